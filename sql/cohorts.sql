-- cohorts: the cohorts summary type, its aggregates (cohorts, rollup) and retention, with
-- hand-checked values, every unit, daylight-saving changes, the sample warehouse against plain
-- SQL, the text and binary forms, damaged values, limits and every error.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

-- ============================================================================================
-- Hand-made customers
-- ============================================================================================

-- 1: January, again in January and in March; 2: January (its last minute), February, twice in
-- April; 3: one order in February; 4: a late first purchase (April); 5: an empty summary and
-- 6: NULL, both skipped.
CREATE TABLE ch_orders (customer_id int, ordered_at timestamptz, amount numeric);
INSERT INTO ch_orders VALUES
  (1, '2025-01-15 10:00+00', 10.10), (1, '2025-01-20 10:00+00', 5.20), (1, '2025-03-02 10:00+00', 0.1),
  (2, '2025-01-31 23:59:59+00', 100), (2, '2025-02-01 00:00+00', 0.2), (2, '2025-04-10 10:00+00', 7),
  (2, '2025-04-30 10:00+00', 3),
  (3, '2025-02-14 12:00+00', 42.42),
  (4, '2025-04-30 23:00+00', 15);
CREATE TABLE ch_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM ch_orders GROUP BY customer_id
UNION ALL SELECT 5, '{}' UNION ALL SELECT 6, NULL;

-- Monthly (the default): January has 2 customers, February 1, April 1. Every cohort runs to
-- April, the last month with a purchase; months without one are rows of zeros.
SELECT * FROM profiling.retention((SELECT profiling.cohorts(h) FROM ch_histories));
-- The same summary as cohorts(h, 'month'); the text form lists the cells with customers.
SELECT profiling.cohorts(h)::text AS monthly,
       profiling.cohorts_send(profiling.cohorts(h)) = profiling.cohorts_send(profiling.cohorts(h, 'month')) AS month_is_default
  FROM ch_histories;
-- Every unit (any case, as date_trunc reads it).
SELECT u AS unit, r.*
  FROM (VALUES ('week'), ('Quarter'), ('YEAR')) AS v(u),
       LATERAL profiling.retention((SELECT profiling.cohorts(h, u) FROM ch_histories)) r;

-- Empty input: no rows at all is NULL (no unit); rows without orders an empty summary.
SELECT profiling.cohorts(h) IS NULL AS no_rows FROM ch_histories WHERE false;
SELECT profiling.cohorts(h, 'week')::text AS no_orders FROM ch_histories WHERE customer_id >= 5;
SELECT count(*) AS rows_of_empty FROM profiling.retention('{(month)}');
-- One customer, one order: one row.
SELECT * FROM profiling.retention((SELECT profiling.cohorts(h) FROM ch_histories WHERE customer_id = 3));
-- NULL summaries in rollup are skipped; rollup of nothing is NULL.
SELECT profiling.rollup(c)::text AS with_nulls
  FROM (VALUES (NULL::profiling.cohorts), ('{(month),(2025-01-01,0,1,1)}'), (NULL)) AS v(c);
SELECT profiling.rollup(c) IS NULL AS rollup_no_rows FROM (SELECT NULL::profiling.cohorts WHERE false) AS v(c);

-- Sums are exact for money: 0.1 + 0.2 is 0.3, and the revenue per customer of 0.1 + 0.2 over
-- three customers is 0.1.
SELECT revenue, revenue_per_customer
  FROM profiling.retention((SELECT profiling.cohorts(h) FROM (VALUES
           ('{(2025-01-01 10:00:00+00,0.1)}'::profiling.purchase_history),
           ('{(2025-01-02 10:00:00+00,0.2)}'), ('{(2025-01-03 10:00:00+00,0)}')) AS v(h)));

-- ============================================================================================
-- Calendar periods: the session TimeZone when the aggregate runs, across daylight saving
-- ============================================================================================

-- The cohort of a one-order customer is date_trunc(unit, ordered_at) in the session TimeZone,
-- for instants around the daylight-saving changes of 2025 (New York: 9 March, 2 November;
-- Berlin: 30 March, 26 October) and around midnights that start a period there.
CREATE TABLE ch_instants (t timestamptz);
INSERT INTO ch_instants VALUES
  ('2025-03-01 04:30+00'), ('2025-03-01 05:30+00'), ('2025-03-09 06:59+00'), ('2025-03-09 07:01+00'),
  ('2025-03-10 03:30+00'), ('2025-03-10 04:30+00'), ('2025-03-30 00:59+00'), ('2025-03-30 01:01+00'),
  ('2025-03-30 22:30+00'), ('2025-03-31 21:59+00'), ('2025-03-31 22:00+00'), ('2025-04-01 03:59+00'),
  ('2025-04-01 04:00+00'), ('2025-09-30 22:00+00'), ('2025-10-01 04:00+00'), ('2025-10-26 00:59+00'),
  ('2025-10-26 01:01+00'), ('2025-10-26 23:30+00'), ('2025-10-31 22:59+00'), ('2025-10-31 23:00+00'),
  ('2025-11-01 04:00+00'), ('2025-11-02 05:59+00'), ('2025-11-02 06:01+00'), ('2025-11-03 04:59+00'),
  ('2025-11-03 05:00+00'), ('2025-12-31 22:59+00'), ('2025-12-31 23:00+00'), ('2026-01-01 04:59+00'),
  ('2026-01-01 05:00+00');
CREATE FUNCTION ch_cohort_of(t timestamptz, unit text) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT cohort FROM profiling.retention((SELECT profiling.cohorts(h, unit) FROM (SELECT profiling.purchase_history(t, 1) AS h) s))
$$;
-- A query's rows as text, run in a time zone (for this statement only).
CREATE FUNCTION ch_in_zone(zone text, query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('TimeZone', zone, true);
    RETURN QUERY EXECUTE query;
END $$;
-- Expect each zone with 0 differences over its 116 instants and units.
SELECT zone, r AS differences
  FROM (VALUES ('America/New_York'), ('Europe/Berlin'), ('UTC'), ('Asia/Kolkata')) AS z(zone),
       LATERAL ch_in_zone(zone, $$
           SELECT format('%s of %s', count(*) FILTER (WHERE ch_cohort_of(t, unit) IS DISTINCT FROM date_trunc(unit, t)::date), count(*))
             FROM ch_instants, (VALUES ('week'), ('month'), ('quarter'), ('year')) AS u(unit)$$) AS r;
-- Two orders, at 04:30 UTC on 1 March and 22:30 UTC on 31 March. New York: 23:30 on 28
-- February, so February's cohort, and again in period 1 (18:30 on 31 March). Berlin: March's
-- cohort, and again in period 1 (00:30 on 1 April). UTC: both in March, period 0 only.
CREATE TABLE ch_dst (h profiling.purchase_history);
INSERT INTO ch_dst VALUES ('{(2025-03-01 04:30:00+00,10),(2025-03-31 22:30:00+00,20)}');
SELECT zone, r AS cohorts
  FROM (VALUES ('America/New_York'), ('Europe/Berlin'), ('UTC')) AS z(zone),
       LATERAL ch_in_zone(zone, 'SELECT profiling.cohorts(h)::text FROM ch_dst') AS r;
-- Weekly in Berlin around the spring change: Sunday 30 March 23:30 local and Monday 31 March
-- 00:30 local are two ISO weeks.
SET TimeZone = 'Europe/Berlin';
SELECT cohort, period, retained
  FROM profiling.retention((SELECT profiling.cohorts('{(2025-03-30 21:30:00+00,1),(2025-03-30 22:30:00+00,1)}'::profiling.purchase_history, 'week')));
-- A stored summary does not depend on the session afterwards: made in Berlin, read in Tokyo.
CREATE TABLE ch_stored AS SELECT profiling.cohorts(h, 'week') AS c FROM ch_histories;
SET TimeZone = 'Asia/Tokyo';
SELECT (SELECT c::text FROM ch_stored) = (SELECT profiling.cohorts(h, 'week')::text FROM ch_histories) AS same_in_tokyo,
       (SELECT string_agg(r::text, ';') FROM ch_stored, profiling.retention(c) r) AS rows_read_in_tokyo;
SET TimeZone = 'Europe/Berlin';
SELECT string_agg(r::text, ';') AS rows_read_in_berlin FROM ch_stored, profiling.retention(c) r;
SET TimeZone = 'UTC';
DROP TABLE ch_instants, ch_dst, ch_stored;
DROP FUNCTION ch_cohort_of(timestamptz, text), ch_in_zone(text, text);

-- ============================================================================================
-- The sample warehouse, against the SQL a user writes
-- ============================================================================================

CREATE TABLE ch_wh AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h
  FROM shop.orders WHERE customer_id IS NOT NULL GROUP BY customer_id;
-- Quarterly cohorts of the tiny warehouse, in full.
SELECT * FROM profiling.retention((SELECT profiling.cohorts(h, 'quarter') FROM ch_wh));
-- The plain SQL: each customer's first period, every period of each cohort up to the last one
-- with an order, distinct customers and the sum of amounts in each.
CREATE FUNCTION ch_plain(unit text)
RETURNS TABLE (cohort date, period int, customers bigint, retained bigint, retention_rate float8,
               revenue float8, revenue_per_customer float8)
LANGUAGE sql STABLE AS $$
    WITH o AS (SELECT customer_id, date_trunc(unit, ordered_at) AS p, amount
                 FROM shop.orders WHERE customer_id IS NOT NULL),
         f AS (SELECT customer_id, min(p) AS cohort FROM o GROUP BY customer_id),
         sizes AS (SELECT cohort, count(*) AS customers FROM f GROUP BY cohort),
         cells AS (SELECT f.cohort, o.p, count(DISTINCT o.customer_id) AS retained, sum(o.amount) AS revenue
                     FROM o JOIN f USING (customer_id) GROUP BY f.cohort, o.p)
    SELECT s.cohort::date, (g.n - 1)::int, s.customers, coalesce(c.retained, 0),
           coalesce(c.retained, 0)::float8 / s.customers, coalesce(c.revenue, 0)::float8,
           (coalesce(c.revenue, 0) / s.customers)::float8
      FROM sizes s
     CROSS JOIN LATERAL generate_series(s.cohort, (SELECT max(p) FROM o), CASE unit WHEN 'quarter' THEN '3 months' ELSE '1 ' || unit END::interval) WITH ORDINALITY AS g(p, n)
      LEFT JOIN cells c ON c.cohort = s.cohort AND c.p = g.p
$$;
-- Every unit, every row and column (expect none listed; the revenue per customer to 1e-12
-- relative: numeric division rounds before the cast). Then the row counts.
WITH units(u) AS (VALUES ('week'), ('month'), ('quarter'), ('year')),
     a AS (SELECT u, r.* FROM units, LATERAL profiling.retention((SELECT profiling.cohorts(h, u) FROM ch_wh)) r),
     b AS (SELECT u, p.* FROM units, LATERAL ch_plain(u) p)
SELECT coalesce(a.u, b.u) AS unit, coalesce(a.cohort, b.cohort) AS cohort, coalesce(a.period, b.period) AS period
  FROM a FULL JOIN b ON a.u = b.u AND a.cohort = b.cohort AND a.period = b.period
 WHERE a.cohort IS NULL OR b.cohort IS NULL
    OR (a.customers, a.retained, a.retention_rate, a.revenue) IS DISTINCT FROM (b.customers, b.retained, b.retention_rate, b.revenue)
    OR abs(a.revenue_per_customer - b.revenue_per_customer) > 1e-12 * b.revenue_per_customer;
SELECT u AS unit, (SELECT count(*) FROM profiling.retention((SELECT profiling.cohorts(h, u) FROM ch_wh))) AS rows,
       (SELECT count(*) FROM ch_plain(u)) AS plain_rows,
       (SELECT count(*) FROM ch_plain(u) WHERE retained = 0) AS periods_without_purchase
  FROM (VALUES ('week'), ('month'), ('quarter'), ('year')) AS v(u);
-- Rollup of stored summaries of any split of the customers is one pass, byte for byte.
SELECT parts, profiling.cohorts_send(profiling.rollup(c)) = (SELECT profiling.cohorts_send(profiling.cohorts(h, 'week')) FROM ch_wh) AS rollup_is_one_pass
  FROM (VALUES (2), (3), (7)) AS v(parts),
       LATERAL (SELECT profiling.cohorts(h, 'week') AS c FROM ch_wh GROUP BY customer_id % parts) s
 GROUP BY parts ORDER BY parts;
DROP FUNCTION ch_plain(text);

-- ============================================================================================
-- Text form
-- ============================================================================================

-- Lossless: the text typed back is the same value byte for byte.
SELECT u AS unit, profiling.cohorts_send(c::text::profiling.cohorts) = profiling.cohorts_send(c) AS text_round_trip
  FROM (VALUES ('week'), ('month'), ('quarter'), ('year')) AS v(u),
       LATERAL (SELECT profiling.cohorts(h, u) AS c FROM ch_wh) s;
-- Input accepts cells in any order and blanks; the output is canonical. A date before year 1
-- is written BC, as ISO dates are.
SELECT ' { ( year ) , (2025-01-01, 1, 1, 2.50) ,(2024-01-01,0,1,1),(2025-01-01 ,0,2,-0)}'::profiling.cohorts AS canonical,
       '{(month),(0044-03-01 BC,0,1,1)}'::profiling.cohorts AS before_year_one;
-- Malformed literals: each a 22P02 (or a range error) saying where the problem is.
SELECT literal, e.*
  FROM (VALUES (''), ('{}'), ('{(day)}'), ('{(Month)}'), ('{month}'), ('{(month),}'), ('{(month)} x'),
               ('{(month,2025-01-01)}'), ('{(month),(2025-01-01,0,1)}'), ('{(month),(2025-01-01,0,1,1,1)}'),
               ('{(month),(2025-1-01,0,1,1)}'), ('{(month),(25-01-01,0,1,1)}'), ('{(month),(2025-02-30,0,1,1)}'),
               ('{(month),(2025-01-01x,0,1,1)}'), ('{(month),(0000-01-01,0,1,1)}'),
               ('{(month),(2025-01-02,0,1,1)}'), ('{(week),(2025-01-01,0,1,1)}'),
               ('{(month),(2025-01-01,-1,1,1)}'), ('{(month),(2025-01-01,2000,1,1)}'), ('{(month),(2025-01-01,x,1,1)}'),
               ('{(month),(2025-01-01,0,0,1)}'), ('{(month),(2025-01-01,0,-1,1)}'), ('{(month),(2025-01-01,0,1.5,1)}'),
               ('{(month),(2025-01-01,0,99999999999999999999,1)}'),
               ('{(month),(2025-01-01,0,1,-1)}'), ('{(month),(2025-01-01,0,1,NaN)}'), ('{(month),(2025-01-01,0,1,Infinity)}'),
               ('{(month),(2025-01-01,0,1,1e999)}'), ('{(month),(2025-01-01,0,1,0x10)}'),
               ('{(month),(2025-01-01,0,1,1),(2025-01-01,0,1,1)}'),
               ('{(month),(2025-01-01,1,1,1)}'), ('{(month),(2025-01-01,0,1,1),(2025-01-01,1,2,1)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.cohorts', literal)) AS e;

-- ============================================================================================
-- Binary form
-- ============================================================================================

-- send: version, unit, cohorts, last, the starts, then retained and revenue of every cell.
SELECT profiling.cohorts_send('{(month),(2025-01-01,0,2,1.5),(2025-02-01,0,1,2)}') AS binary;
SELECT profiling.cohorts_send(regress.binary_input(NULL::profiling.cohorts, profiling.cohorts_send(c)))
       = profiling.cohorts_send(c) AS round_trip
  FROM (VALUES ('{(month)}'::profiling.cohorts), ('{(week),(2025-01-06,0,2,1.5),(2025-01-06,3,1,2)}'),
               ((SELECT profiling.cohorts(h, 'week') FROM ch_wh))) AS t(c);
-- Receive trusts nothing: every length and value is checked (22P03).
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('short header', '\x010200000000'),
               ('version 2', '\x02020000000000000000'),
               ('version 0', '\x00020000000000000000'),
               ('unit 0', '\x01000000000000000000'),
               ('unit 5', '\x01050000000000000000'),
               ('empty with a last period', '\x0102000000000000016f'),
               ('negative cohort count', '\x0102ffffffff00000000'),
               ('cohort count above the limit', '\x0102' || int4send(2001) || int4send(0)),
               ('cohorts without starts', '\x0102' || int4send(1) || int4send(9132)),
               ('start not a month', '\x0102' || int4send(1) || int4send(9132) || int4send(9133) || int8send(1) || float8send(1)),
               ('last before the start', '\x0102' || int4send(1) || int4send(9132) || int4send(9163) || int8send(1) || float8send(1)),
               ('starts descending', '\x0102' || int4send(2) || int4send(9163) || int4send(9163) || int4send(9132)
                                    || int8send(1) || int8send(1) || int8send(1) || float8send(1) || float8send(1) || float8send(1)),
               ('one byte too few', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(1) || substr(float8send(1), 1, 7)),
               ('one byte too many', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(1) || float8send(1) || '\x00'::bytea),
               ('no customers', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(0) || float8send(0)),
               ('more retained than customers', '\x0102' || int4send(1) || int4send(9163) || int4send(9132) || int8send(1) || int8send(2) || float8send(1) || float8send(1)),
               ('negative revenue', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(1) || float8send(-1)),
               ('NaN revenue', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(1) || float8send('NaN')),
               ('negative zero', '\x0102' || int4send(1) || int4send(9132) || int4send(9132) || int8send(1) || float8send('-0')),
               ('revenue without customers', '\x0102' || int4send(1) || int4send(9163) || int4send(9132) || int8send(1) || int8send(0) || float8send(1) || float8send(1)),
               ('no purchase in the last period', '\x0102' || int4send(1) || int4send(9163) || int4send(9132) || int8send(1) || int8send(0) || float8send(1) || float8send(0))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.cohorts, %L::bytea)', payload)) AS e;
-- A crafted valid value reads: January 2025 (9132) to February (9163).
SELECT regress.binary_input(NULL::profiling.cohorts,
                            '\x0102' || int4send(1) || int4send(9163) || int4send(9132) || int8send(2) || int8send(1) || float8send(1) || float8send(0.5))::text AS crafted;

-- ============================================================================================
-- Comparison and hashing
-- ============================================================================================

-- = is "the same cells", by the bytes; <>, the btree order, cmp and both hashes agree with it.
CREATE TABLE ch_eq (id int, what text, c profiling.cohorts);
INSERT INTO ch_eq VALUES
  (1, 'base',                 '{(month),(2025-01-01,0,2,10),(2025-01-01,1,1,5)}'),
  (2, 'the same, other text', '{(month),( 2025-01-01 ,1,1,5.0),(2025-01-01,0,2,1e1)}'),
  (3, 'a cent more',          '{(month),(2025-01-01,0,2,10.01),(2025-01-01,1,1,5)}'),
  (4, 'a customer more',      '{(month),(2025-01-01,0,3,10),(2025-01-01,1,1,5)}'),
  (5, 'another unit',         '{(year),(2025-01-01,0,2,10),(2025-01-01,1,1,5)}'),
  (6, 'a period less',        '{(month),(2025-01-01,0,2,10)}'),
  (7, 'empty',                '{(month)}');
SELECT a AS what, eq, ne, lt, le, gt, ge, cmp, same_hash, same_hash_extended, same_bytes
  FROM regress.comparisons('profiling.cohorts', 'SELECT what, c FROM ch_eq ORDER BY id')
 WHERE b = 'base' ORDER BY a_row;
-- Over every pair (expect no row).
SELECT a, b
  FROM regress.comparisons('profiling.cohorts', 'SELECT what, c FROM ch_eq ORDER BY id')
 WHERE eq IS DISTINCT FROM same_bytes OR ne IS DISTINCT FROM NOT eq
    OR lt IS DISTINCT FROM (cmp < 0) OR le IS DISTINCT FROM (cmp <= 0)
    OR gt IS DISTINCT FROM (cmp > 0) OR ge IS DISTINCT FROM (cmp >= 0)
    OR antisymmetric IS NOT TRUE OR (eq AND NOT (same_hash AND same_hash_extended));
SELECT count(DISTINCT c) AS count_distinct, count(DISTINCT profiling.cohorts_send(c)) AS distinct_bytes FROM ch_eq;
DROP TABLE ch_eq;

-- ============================================================================================
-- Stored values and limits
-- ============================================================================================

-- A stored value this version cannot read is an error (XX001, data corrupted; 0A000 for a newer
-- format), never misread. The header: version, unit, reserved1 (2 bytes), cohorts, cells, last
-- (4 bytes each, machine order), reserved2 (4 bytes); then the columns.
CREATE TABLE ch_raw AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(month),(2025-01-01,0,2,1.5),(2025-02-01,0,1,2)}'::profiling.cohorts) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'version 0', set_byte(raw, 0, 0)),
                       (4, 'unit 9', set_byte(raw, 1, 9)),
                       (5, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (6, 'reserved2 not zero', set_byte(raw, 19, 1)),
                       (7, 'cell count one more', set_byte(raw, 8, get_byte(raw, 8) + 1)),
                       (8, 'last a day later', set_byte(raw, 12, get_byte(raw, 12) + 1)),
                       (9, 'last 4 bytes cut off', substr(raw, 1, length(raw) - 4)),
                       (10, 'header cut', substr(raw, 1, 12))) AS v(id, what, bytes);
SELECT what, length(bytes) AS bytes, get_byte(bytes, 0) AS version, get_byte(bytes, 1) AS unit FROM ch_raw ORDER BY id;
CREATE TABLE ch_calls (call text);
INSERT INTO ch_calls VALUES
  ('v::text'), ('profiling.cohorts_send(v)'), ('(SELECT count(*) FROM profiling.retention(v))'),
  ('profiling.rollup(v)'), ('v = v'), ('v < v'), ('profiling.cohorts_cmp(v, v)'),
  ('profiling.cohorts_hash(v)'), ('profiling.cohorts_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM ch_calls, ch_raw, LATERAL regress.error_of_stored(NULL::profiling.cohorts, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE ch_raw, ch_calls;

-- A summary spans at most 2,000 periods from its first cohort to its last purchase (38 years of
-- weeks); more is an error (54000). The same customers by month are 461 periods.
SELECT e.* FROM regress.error_of($$SELECT profiling.cohorts(h, 'week') FROM (VALUES
    ('{(1990-01-01 00:00:00+00,1)}'::profiling.purchase_history), ('{(2028-05-01 00:00:00+00,1)}')) AS v(h)$$) e;
SELECT count(*) AS monthly_rows FROM profiling.retention((SELECT profiling.cohorts(h) FROM (VALUES
    ('{(1990-01-01 00:00:00+00,1)}'::profiling.purchase_history), ('{(2028-05-01 00:00:00+00,1)}')) AS v(h)));
SELECT e.* FROM regress.error_of($$SELECT '{(year),(2000-01-01,0,1,1),(4000-01-01,0,1,1)}'::profiling.cohorts$$) e;
-- Revenue beyond float8 is an error, not Infinity.
SELECT e.* FROM regress.error_of($$SELECT profiling.cohorts(h) FROM (VALUES
    ('{(2025-01-01 00:00:00+00,1e308)}'::profiling.purchase_history), ('{(2025-01-02 00:00:00+00,1e308)}')) AS v(h)$$) e;

-- ============================================================================================
-- Errors
-- ============================================================================================

SELECT call, e.*
  FROM (VALUES ($$profiling.cohorts(h, 'day') FROM ch_histories$$),
               ($$profiling.cohorts(h, 'months') FROM ch_histories$$),
               ($$profiling.cohorts(h, NULL) FROM ch_histories$$),
               ($$profiling.cohorts(h, CASE WHEN customer_id = 1 THEN 'week' ELSE 'month' END) FROM (SELECT * FROM ch_histories ORDER BY customer_id) s$$),
               ($$profiling.rollup(c) FROM (VALUES ('{(month)}'::profiling.cohorts), ('{(week)}')) AS v(c)$$),
               ($$profiling.cohorts_final(NULL::internal)$$),
               ($$profiling.cohorts_combine(NULL::internal, NULL::internal)$$)) AS v(call),
       regress.error_of('SELECT ' || call) AS e;

DROP TABLE ch_orders, ch_histories, ch_wh;
