-- segmentation properties on the small sample warehouse: every customer's value class equals
-- its plain-SQL definition, the planted VIP, hero and repeat customers are recovered, rollup of
-- any split = one pass, and parallel = serial.
-- Summaries are compared by their bytes (value_distribution_send) or text, never with the type's
-- own =; every other comparison is IS DISTINCT FROM or an explicit tolerance, so that a NULL
-- where a number belongs is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(25);

CALL sample_warehouse.build('tap_seg', 'small', 42);
ANALYZE tap_seg.orders;
CALL pg_temp.force_serial();

CREATE TABLE tap_seg.histories AS
SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h,
       sum(amount) AS spend, count(*)::int AS orders
  FROM tap_seg.orders GROUP BY customer_id;

-- a close to b, relative: |a - b| <= 1e-12 |b| (both NULL, or exactly equal, pass too).
CREATE FUNCTION pg_temp.close(a float8, b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT a IS NOT DISTINCT FROM b::float8
        OR (a IS NOT NULL AND b IS NOT NULL AND abs(a::numeric - b) <= 1e-12 * abs(b))
$$;

SELECT cmp_ok((SELECT count(*) FROM tap_seg.histories), '>', 1000::bigint, 'the small warehouse has more than 1000 buying customers');

-- Value classes ---------------------------------------------------------------------------------
-- The plain-SQL definition: HERO spend >= hero_min, REPEAT orders >= repeat_min, VIP both.
CREATE FUNCTION pg_temp.class_of(spend numeric, orders bigint, hero_min float8, repeat_min int)
RETURNS value_class LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN spend >= hero_min AND orders >= repeat_min THEN 'vip'
                WHEN spend >= hero_min THEN 'hero'
                WHEN orders >= repeat_min THEN 'repeat'
                ELSE 'regular' END::value_class
$$;
CREATE TABLE tap_seg.thresholds AS
SELECT * FROM (VALUES (1000::float8, 20), (5000, 20), (500, 5), (0, 1), (250.5, 2), (1e9, 1)) AS t(hero_min, repeat_min);

SELECT is_empty($$
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories, tap_seg.thresholds
     WHERE value_class(h, hero_min, repeat_min) IS DISTINCT FROM pg_temp.class_of(spend, orders, hero_min, repeat_min)$$,
    'value_class(h, hero_min, repeat_min) = the plain-SQL class of sum(amount) and count(*), for every customer');
SELECT is_empty($$
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories, tap_seg.thresholds
     WHERE value_class(spend::float8, orders, hero_min, repeat_min) IS DISTINCT FROM pg_temp.class_of(spend, orders, hero_min, repeat_min)$$,
    'value_class(total_spend, orders, hero_min, repeat_min) = the plain-SQL class');
SELECT is_empty($$
    WITH w AS (
        SELECT c.customer_id, sum(o.amount) FILTER (WHERE o.ordered_at >= '2025-01-01' AND o.ordered_at < '2026-01-01') AS spend,
               count(o.*) FILTER (WHERE o.ordered_at >= '2025-01-01' AND o.ordered_at < '2026-01-01') AS orders
          FROM tap_seg.histories c JOIN tap_seg.orders o USING (customer_id) GROUP BY c.customer_id
    )
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories h JOIN w USING (customer_id), tap_seg.thresholds
     WHERE value_class(h.h, hero_min, repeat_min, tstzrange('2025-01-01', '2026-01-01'))
           IS DISTINCT FROM pg_temp.class_of(coalesce(w.spend, 0), w.orders, hero_min, repeat_min)$$,
    'value_class(h, ..., the last 365 days) = the plain-SQL class of the orders in the window');
SELECT is_empty($$
    SELECT customer_id FROM tap_seg.histories h
     WHERE is_one_time(h) IS DISTINCT FROM
           ((SELECT count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) FROM tap_seg.orders o WHERE o.customer_id = h.customer_id) = 1)$$,
    'is_one_time(h) = one distinct purchase day, for every customer');

-- The planted truth -------------------------------------------------------------------------------
SELECT set_eq($$SELECT customer_id FROM tap_seg.histories WHERE value_class(h, 5000, 20) = 'vip'$$,
              $$SELECT customer_id FROM tap_seg.truth WHERE fact = 'vip'$$,
              'at hero_min 5000 and repeat_min 20 the vip class is exactly the planted VIPs');
SELECT set_eq($$SELECT customer_id FROM tap_seg.histories WHERE value_class(h, 1000, 20) = 'hero' AND is_one_time(h)$$,
              $$SELECT customer_id FROM tap_seg.truth WHERE fact = 'hero'$$,
              'at hero_min 1000 and repeat_min 20 the one-time buyers of the hero class are exactly the planted heroes');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_seg.truth t JOIN tap_seg.histories USING (customer_id)
     WHERE t.fact = 'repeat' AND value_class(h, 1000, 20) IS DISTINCT FROM 'repeat'$$,
    'every planted repeat customer is repeat at hero_min 1000 and repeat_min 20');
SELECT cmp_ok((SELECT count(*) FROM tap_seg.truth WHERE fact IN ('vip', 'hero', 'repeat')), '>=', 100::bigint,
              'the planted VIPs, heroes and repeat customers number 100 or more');

-- The customer tables -----------------------------------------------------------------------------
-- One row per customer and dataset: exact decimals (spend), values that are no decimals (spend
-- in thirds, compensated sums), many ties (spend to the hundred), two values, all equal, and a
-- "profit" with negative values.
CREATE TABLE tap_seg.data AS
SELECT dataset, customer_id, v, orders AS o
  FROM tap_seg.histories,
       LATERAL (VALUES ('spend', total_spend(h)),
                       ('spend in thirds', total_spend(h) / 3),
                       ('hundreds', round(total_spend(h) / 100) * 100),
                       ('two values', CASE WHEN total_spend(h) >= 1000 THEN 1000 ELSE 10 END),
                       ('all equal', 50),
                       ('profit', round((total_spend(h) * 0.3 - 60)::numeric, 2)::float8)) AS d(dataset, v);
ANALYZE tap_seg.data;
CREATE TABLE tap_seg.vd AS
SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset;

SELECT is((SELECT count(*) FROM tap_seg.vd), 6::bigint, 'six datasets');
SELECT is((SELECT value_distribution_send(vd) FROM tap_seg.vd WHERE dataset = 'spend'),
          (SELECT value_distribution_send(value_distribution(s, n))
             FROM (SELECT sum(amount) AS s, count(*) AS n FROM tap_seg.orders GROUP BY customer_id) c),
          'value_distribution(sum(amount), count(*)) over the orders = over the purchase histories, byte for byte');
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
     WHERE vd::text IS DISTINCT FROM (SELECT '{' || string_agg(format('(%s,%s)', v, o), ',' ORDER BY v, o) || '}'
                                        FROM tap_seg.data d WHERE d.dataset = vd.dataset)
        OR value_distribution_send(vd::text::value_distribution) IS DISTINCT FROM value_distribution_send(vd)$$,
    'the text form = the pairs sorted as float8 prints them, and reads back byte for byte');

-- Rollup and parallel plans -----------------------------------------------------------------------
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
      FULL JOIN (SELECT dataset, rollup(vd) AS r
                   FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset, customer_id % 2) s
                  GROUP BY dataset) u USING (dataset)
     WHERE value_distribution_send(vd) IS DISTINCT FROM value_distribution_send(r)$$,
    'rollup of two halves = one pass, for every dataset');
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
      FULL JOIN (SELECT dataset, rollup(vd) AS r
                   FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset, customer_id % 97
                         UNION ALL SELECT dataset, NULL FROM tap_seg.vd) s
                  GROUP BY dataset) u USING (dataset)
     WHERE value_distribution_send(vd) IS DISTINCT FROM value_distribution_send(r)$$,
    'rollup of 97 parts and NULLs = one pass');

CREATE TABLE tap_seg.serial AS
SELECT (SELECT value_distribution(v, o)::text FROM tap_seg.data) AS all_rows,
       (SELECT string_agg(dataset || vd::text, ';' ORDER BY dataset) FROM tap_seg.vd) AS grouped;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary of every row runs as a partial aggregate on two workers',
    (SELECT all_rows FROM tap_seg.serial), 'parallel = serial');
SELECT pg_temp.runs_and_gives($$SELECT string_agg(dataset || vd::text, ';' ORDER BY dataset)
                                  FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset) s$$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY dataset runs as a partial aggregate on two workers',
    (SELECT grouped FROM tap_seg.serial), 'parallel GROUP BY = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(vd)::text FROM (SELECT vd FROM tap_seg.vd, generate_series(1, 50)) s$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT rollup(vd)::text FROM (SELECT vd FROM tap_seg.vd, generate_series(1, 50)) s), 'parallel rollup = serial rollup');
-- (v + 0: the planner cannot estimate it, so it does not expect a single row and keeps the
-- partial aggregate)
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data WHERE v + 0 < -1e300$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on data \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs on two workers that see no rows', '{}', 'parallel aggregate over no rows is the empty summary');
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data WHERE dataset = 'all equal' AND customer_id = (SELECT min(customer_id) FROM tap_seg.data)$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'the aggregate of one row runs on two workers',
    '{(50,1)}', 'parallel aggregate where only one worker sees a row');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT value_distribution(v, o)::text FROM tap_seg.data$$), (SELECT all_rows FROM tap_seg.serial),
          'force_parallel_mode = regress gives the same summary');
CALL pg_temp.force_serial();

\i test/pgtap/lib/end.psql
