-- cohorts properties on the small sample warehouse: retention equals its plain-SQL computation
-- (date_trunc, the first period per customer, GROUP BY) for every unit, in UTC and across the
-- daylight-saving changes of New York and Berlin; periods without a purchase are rows of zeros;
-- rollup of any split = one pass, byte for byte; parallel = serial; text and binary forms read
-- back byte for byte; a stored summary reads the same in any TimeZone. Summaries are compared by
-- their bytes (cohorts_send) or text, never with the type's own =; every other comparison is IS
-- DISTINCT FROM or an explicit tolerance.
\i test/pgtap/lib/begin.psql
SELECT plan(29);

CALL sample_warehouse.build('tap_ch', 'small', 42);
ANALYZE tap_ch.orders;
CALL pg_temp.force_serial();

CREATE TABLE tap_ch.histories AS
SELECT customer_id, purchase_history(ordered_at, amount) AS h FROM tap_ch.orders GROUP BY customer_id;
ANALYZE tap_ch.histories;

-- a close to b, relative: |a - b| <= 1e-12 |b| (both NULL, or exactly equal, pass too).
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT a IS NOT DISTINCT FROM b OR (a IS NOT NULL AND b IS NOT NULL AND abs(a - b) <= 1e-12 * abs(b))
$$;

-- The plain SQL of a retention table: each customer's first period (date_trunc in the session
-- TimeZone), every period of each cohort up to the last one with an order (generate_series),
-- distinct customers and the exact (numeric) sum of the amounts in each.
CREATE FUNCTION pg_temp.plain(unit text)
RETURNS TABLE (cohort date, period int, customers bigint, retained bigint, retention_rate float8,
               revenue float8, revenue_per_customer float8)
LANGUAGE sql STABLE AS $$
    WITH o AS (SELECT customer_id, date_trunc(unit, ordered_at) AS p, amount FROM tap_ch.orders),
         f AS (SELECT customer_id, min(p) AS cohort FROM o GROUP BY customer_id),
         sizes AS (SELECT cohort, count(*) AS customers FROM f GROUP BY cohort),
         cells AS (SELECT f.cohort, o.p, count(DISTINCT o.customer_id) AS retained, sum(o.amount) AS revenue
                     FROM o JOIN f USING (customer_id) GROUP BY f.cohort, o.p)
    SELECT s.cohort::date, (g.n - 1)::int, s.customers, coalesce(c.retained, 0),
           coalesce(c.retained, 0)::float8 / s.customers, coalesce(c.revenue, 0)::float8,
           (coalesce(c.revenue, 0) / s.customers)::float8
      FROM sizes s
     CROSS JOIN LATERAL generate_series(s.cohort, (SELECT max(p) FROM o),
                                        CASE unit WHEN 'quarter' THEN '3 months' ELSE '1 ' || unit END::interval)
                WITH ORDINALITY AS g(p, n)
      LEFT JOIN cells c ON c.cohort = s.cohort AND c.p = g.p
$$;

-- The rows of retention(cohorts(h, unit)) over the histories that differ from the plain SQL (or
-- are missing on either side): counts and revenue exactly, rates to 1e-12.
CREATE FUNCTION pg_temp.differences(unit text) RETURNS SETOF text LANGUAGE sql STABLE AS $$
    SELECT format('%s %s %s', coalesce(a.cohort, b.cohort), coalesce(a.period, b.period), a IS NULL)
      FROM (SELECT * FROM retention((SELECT cohorts(h, unit) FROM tap_ch.histories))) a
      FULL JOIN pg_temp.plain(unit) b ON a.cohort = b.cohort AND a.period = b.period
     WHERE a.cohort IS NULL OR b.cohort IS NULL
        OR (a.customers, a.retained, a.revenue) IS DISTINCT FROM (b.customers, b.retained, b.revenue)
        OR NOT pg_temp.close(a.retention_rate, b.retention_rate)
        OR NOT pg_temp.close(a.revenue_per_customer, b.revenue_per_customer)
$$;

SELECT cmp_ok((SELECT count(*) FROM tap_ch.histories), '>', 1000::bigint, 'the small warehouse has more than 1000 buying customers');

-- Retention = plain SQL ---------------------------------------------------------------------------
SELECT is_empty($$SELECT * FROM pg_temp.differences('week')$$, 'weekly retention = plain SQL (UTC)');
SELECT is_empty($$SELECT * FROM pg_temp.differences('month')$$, 'monthly retention = plain SQL (UTC)');
SELECT is_empty($$SELECT * FROM pg_temp.differences('quarter')$$, 'quarterly retention = plain SQL (UTC)');
SELECT is_empty($$SELECT * FROM pg_temp.differences('year')$$, 'yearly retention = plain SQL (UTC)');
SET LOCAL TimeZone = 'America/New_York';
SELECT is_empty($$SELECT * FROM pg_temp.differences('week')$$, 'weekly retention = plain SQL in New York');
SELECT is_empty($$SELECT * FROM pg_temp.differences('month')$$, 'monthly retention = plain SQL in New York');
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT is_empty($$SELECT * FROM pg_temp.differences('week')$$, 'weekly retention = plain SQL in Berlin');
SELECT is_empty($$SELECT * FROM pg_temp.differences('month')$$, 'monthly retention = plain SQL in Berlin');
-- The zone matters: some customer's first month moves between UTC and Auckland.
SET LOCAL TimeZone = 'Pacific/Auckland';
CREATE TABLE tap_ch.auckland AS SELECT cohorts(h) AS c FROM tap_ch.histories;
SELECT is_empty($$SELECT * FROM pg_temp.differences('month')$$, 'monthly retention = plain SQL in Auckland');
SET LOCAL TimeZone = 'UTC';
SELECT isnt((SELECT cohorts_send(c) FROM tap_ch.auckland), (SELECT cohorts_send(cohorts(h)) FROM tap_ch.histories),
            'the monthly cohorts of Auckland differ from those of UTC');
-- A stored summary reads the same whatever the session TimeZone says later.
CREATE TABLE tap_ch.read_in_utc AS SELECT string_agg(r::text, ';') AS rows FROM tap_ch.auckland, retention(c) r;
SET LOCAL TimeZone = 'Asia/Kathmandu';
SELECT is((SELECT string_agg(r::text, ';') FROM tap_ch.auckland, retention(c) r), (SELECT rows FROM tap_ch.read_in_utc),
          'retention of a stored summary does not depend on the session TimeZone');
SET LOCAL TimeZone = 'UTC';

-- The shape of the table --------------------------------------------------------------------------
CREATE TABLE tap_ch.weekly AS SELECT * FROM retention((SELECT cohorts(h, 'week') FROM tap_ch.histories));
SELECT cmp_ok((SELECT count(*) FROM tap_ch.weekly WHERE retained = 0), '>', 0::bigint,
              'weeks without a purchase are there');
SELECT is_empty($$SELECT * FROM tap_ch.weekly
                   WHERE retained = 0 AND (retention_rate, revenue, revenue_per_customer) IS DISTINCT FROM (0::float8, 0::float8, 0::float8)$$,
                'a period without a purchase is a row of zeros');
SELECT is_empty($$SELECT cohort FROM tap_ch.weekly GROUP BY cohort
                   HAVING min(period) <> 0 OR count(*) <> max(period) + 1
                       OR max(cohort + 7 * period) <> (SELECT max(date_trunc('week', ordered_at))::date FROM tap_ch.orders)$$,
                'every cohort has every period from 0 to the last week with an order');
SELECT is_empty($$SELECT * FROM tap_ch.weekly WHERE period = 0 AND retained IS DISTINCT FROM customers$$,
                'period 0 retains the whole cohort');

-- Rollup --------------------------------------------------------------------------------------------
SELECT is_empty($$
    SELECT u FROM (VALUES ('week'), ('month'), ('quarter'), ('year')) AS v(u)
     WHERE (SELECT cohorts_send(cohorts(h, u)) FROM tap_ch.histories)
           IS DISTINCT FROM (SELECT cohorts_send(rollup(c)) FROM (SELECT cohorts(h, u) AS c FROM tap_ch.histories GROUP BY customer_id % 2) s)$$,
    'rollup of two halves = one pass, byte for byte, for every unit');
SELECT is((SELECT cohorts_send(rollup(c)) FROM (SELECT cohorts(h, 'week') AS c FROM tap_ch.histories GROUP BY customer_id % 97
                                                 UNION ALL SELECT NULL) s),
          (SELECT cohorts_send(cohorts(h, 'week')) FROM tap_ch.histories),
          'rollup of 97 parts and a NULL = one pass');
SELECT is((SELECT cohorts_send(rollup(c)) FROM (SELECT cohorts(h) AS c FROM tap_ch.histories GROUP BY customer_id
                                                 UNION ALL SELECT cohorts(h) FROM tap_ch.histories WHERE false) s),
          (SELECT cohorts_send(cohorts(h)) FROM tap_ch.histories),
          'rollup of one summary a customer = one pass');

-- Parallel plans --------------------------------------------------------------------------------------
CREATE TABLE tap_ch.serial AS
SELECT (SELECT cohorts(h, 'week')::text FROM tap_ch.histories) AS weekly,
       (SELECT rollup(c)::text FROM (SELECT cohorts(h) AS c FROM tap_ch.histories GROUP BY customer_id % 50) s) AS rolled_up;
CREATE TABLE tap_ch.parts AS SELECT cohorts(h) AS c FROM tap_ch.histories GROUP BY customer_id % 50;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT cohorts(h, 'week')::text FROM tap_ch.histories$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'cohorts runs as a partial aggregate on two workers',
    (SELECT weekly FROM tap_ch.serial), 'parallel = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(c)::text FROM tap_ch.parts$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT rolled_up FROM tap_ch.serial), 'parallel rollup = serial rollup');
-- (customer_id + 0: the planner cannot estimate it, so it keeps the partial aggregate)
SELECT pg_temp.runs_and_gives($$SELECT cohorts(h)::text FROM tap_ch.histories WHERE customer_id + 0 < -1$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on histories \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs on two workers that see no rows', NULL, 'parallel cohorts over no rows is NULL');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT cohorts(h, 'week')::text FROM tap_ch.histories$$), (SELECT weekly FROM tap_ch.serial),
          'force_parallel_mode = regress gives the same summary');
CALL pg_temp.force_serial();

-- Text and binary forms -------------------------------------------------------------------------------
SELECT is_empty($$
    SELECT u FROM (VALUES ('week'), ('month'), ('quarter'), ('year')) AS v(u),
           LATERAL (SELECT cohorts(h, u) AS c FROM tap_ch.histories) s
     WHERE cohorts_send(c::text::cohorts) IS DISTINCT FROM cohorts_send(c)$$,
    'the text form reads back byte for byte, every unit');
SELECT is_empty($$
    SELECT u FROM (VALUES ('week'), ('month'), ('quarter'), ('year')) AS v(u),
           LATERAL (SELECT cohorts(h, u) AS c FROM tap_ch.histories) s
     WHERE pg_temp.binary_error('profiling.cohorts', cohorts_send(c)) IS NOT NULL$$,
    'binary receive reads what send writes, every unit');
SELECT is(pg_temp.binary_error('profiling.cohorts', substr((SELECT cohorts_send(cohorts(h)) FROM tap_ch.histories), 1, 200)),
          '22P03: invalid binary cohorts value: The length does not match the cohorts.',
          'binary receive refuses a cut value');

SELECT * FROM finish();
ROLLBACK;
