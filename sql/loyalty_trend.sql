-- loyalty_trend: the summary type, its aggregates and every accessor, with hand-checked values,
-- edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

-- Hand-made purchase lines (time, amount, category).
-- ann: 60 of books and 40 of toys at one moment (two categories one day), 50 of books in
--   March, 30 of garden in April: months Jan..Apr spend 100, 0, 50, 30 (February empty).
-- bob: one line.
-- cat: three lines in one month.
-- dan: 10, 20, 30 in three months, one category, then three: growing spend.
-- eve: 50 a month for four months, one category, then four: flat spend, more categories.
-- fay: lines of amount 0.
CREATE TABLE lt_rows (customer text, ordered_at timestamptz, amount float8, category text);
INSERT INTO lt_rows VALUES
  ('ann', '2025-03-15 10:00:00+00', 50, 'books'),
  ('ann', '2025-01-10 10:00:00+00', 60, 'books'),
  ('ann', '2025-01-10 10:00:00+00', 40, 'toys'),
  ('ann', '2025-04-20 10:00:00+00', 30, 'garden'),
  ('bob', '2025-02-14 18:45:10.25+00', 19.99, 'books'),
  ('cat', '2025-05-03 10:00:00+00', 10, 'books'),
  ('cat', '2025-05-20 10:00:00+00', 5, 'books'),
  ('cat', '2025-05-20 10:00:00+00', 5, 'toys'),
  ('dan', '2025-01-01 10:00:00+00', 10, 'a'),
  ('dan', '2025-02-01 10:00:00+00', 20, 'a'),
  ('dan', '2025-03-01 10:00:00+00', 10, 'a'),
  ('dan', '2025-03-01 10:00:00+00', 10, 'b'),
  ('dan', '2025-03-01 10:00:00+00', 10, 'c'),
  ('eve', '2025-01-01 10:00:00+00', 50, 'a'),
  ('eve', '2025-02-01 10:00:00+00', 50, 'a'),
  ('eve', '2025-03-01 10:00:00+00', 25, 'b'),
  ('eve', '2025-03-01 10:00:00+00', 25, 'c'),
  ('eve', '2025-04-01 10:00:00+00', 25, 'c'),
  ('eve', '2025-04-01 10:00:00+00', 25, 'd'),
  ('fay', '2025-01-05 10:00:00+00', 0, 'x'),
  ('fay', '2025-03-05 10:00:00+00', 0, 'y');

CREATE TABLE lt AS
SELECT customer, profiling.loyalty_trend(ordered_at, amount, category) AS t FROM lt_rows GROUP BY customer;

-- The text form: sorted by (time, amount, category), UTC, shortest exact numbers, categories quoted.
SELECT customer, t FROM lt ORDER BY customer;

-- The figures, hand-checked.
-- ann: months 0..3 spend 100, 0, 50, 30: sum((x - 1.5) y) = -150 + 25 + 45 = -80 over
--   sum((x - 1.5)^2) = 5: slope -16; mean 45, -16 / 45 = -0.36: declining. Life 2025-01-10
--   10:00 to 2025-04-20 10:00 (100 days), midpoint 2025-03-01 10:00: books and toys before,
--   books and garden after: growth 0.
-- bob: one month, a life of no length: NULL everywhere.
-- cat: one month: no slope, no trend; midpoint 2025-05-11 22:00: books before, books and toys
--   after: growth 1.
-- dan: 10, 20, 30: slope 10, mean 20, 0.5: growing; midpoint 2025-01-30 22:00: growth 3 - 1 = 2.
-- eve: 50 a month: slope 0; midpoint 2025-02-15 10:00: a before; b, c, d after: growth 2, so
--   growing by the categories (category_step 2), stable with category_step 3.
-- fay: nothing spent: relative slope 0 and growth 0: stable.
SELECT customer, profiling.line_count(t) AS lines, profiling.total_amount(t) AS spend,
       profiling.category_count(t) AS categories, profiling.spend_slope(t) AS slope,
       profiling.category_growth(t) AS growth, profiling.trend(t) AS trend,
       profiling.trend(t, category_step => 3) AS trend_step_3
  FROM lt ORDER BY customer;

-- The threshold: ann's relative slope is -16/45 = -0.3556, dan's 0.5.
SELECT customer, threshold, profiling.trend(t, NULL, threshold) AS trend
  FROM lt, (VALUES (0::float8), (0.3), (0.35), (0.36), (0.5), (0.51)) AS v(threshold)
 WHERE customer IN ('ann', 'dan') ORDER BY customer, threshold;

-- As of a date: lines after it are left out, and the months run to the last month begun
-- before it (as of the 1st at midnight, the month before; as of the 15th, that month).
-- ann as of 2025-06-01 or 2025-05-15: months Jan..May, 100, 0, 50, 30, 0: sum((x - 2) y) =
--   -200 + 0 + 30 = -170 over 10: slope -17; as of 2025-06-01 the life ends then, midpoint
--   2025-03-22 05:00: books, toys before; garden after: growth -1. As of 2025-04-01: the
--   lines up to then, months Jan..Mar, 100, 0, 50: -100 + 50 over 2: -25; midpoint
--   2025-02-19 17:00: growth -1. As of 2025-02-01: January's lines, one month: no slope, no
--   trend; midpoint 2025-01-21 05:00: growth -2.
-- bob as of 2025-04-01: months Feb..Mar, 19.99, 0: slope -19.99: declining; as of 2025-06-01,
--   Feb..May: -1.5 * 19.99 / 5 = -5.997. Before a customer's first line: NULL.
SELECT customer, a AS as_of, profiling.spend_slope(t, a) AS slope,
       profiling.category_growth(t, a) AS growth, profiling.trend(t, a) AS trend
  FROM lt, (VALUES ('2025-02-01 00:00:00+00'::timestamptz), ('2025-04-01 00:00:00+00'),
                   ('2025-05-15 00:00:00+00'), ('2025-06-01 00:00:00+00'), ('2024-12-31 00:00:00+00')) AS v(a)
 WHERE customer IN ('ann', 'bob') ORDER BY customer, a;

-- Quiet months: as of 2025-06-01, bob has bought nothing in March, April and May. With a
-- threshold no slope reaches, three quiet months still make him declining (the default
-- quiet_months 3); with quiet_months 4, his category growth -1 does not reach 2: stable.
SELECT quiet_months, profiling.trend(t, '2025-06-01', 100, 2, quiet_months) AS trend
  FROM lt, (VALUES (1), (3), (4)) AS v(quiet_months)
 WHERE customer = 'bob' ORDER BY quiet_months;
SELECT profiling.spend_slope(t, '2025-06-01') IS NOT DISTINCT FROM
       profiling.spend_slope(profiling.as_of(t, '2025-06-01'), '2025-06-01') AS as_of_argument_is_the_slice
  FROM lt WHERE customer = 'ann';

-- as_of and during slice the lines, keeping only the categories they use.
SELECT a, profiling.as_of(t, a) AS t
  FROM lt, (VALUES ('2024-12-31 00:00:00+00'::timestamptz), ('2025-01-10 10:00:00+00'), ('2025-03-15 10:00:00+00'),
                   ('infinity')) AS v(a)
 WHERE customer = 'ann' ORDER BY a;
SELECT r, profiling.during(t, r) AS t, profiling.category_count(profiling.during(t, r)) AS categories
  FROM lt, (VALUES (tstzrange('2025-01-10 10:00:00+00', '2025-04-20 10:00:00+00')),
                   (tstzrange('2025-01-10 10:00:00+00', '2025-04-20 10:00:00+00', '(]')),
                   ('empty'::tstzrange)) AS v(r)
 WHERE customer = 'ann' ORDER BY r;

-- Months follow the session TimeZone: 2025-01-31 23:30 UTC is in February in Berlin.
CREATE TABLE tz AS SELECT '{(2025-01-31 23:30:00+00,10,"a"),(2025-02-15 12:00:00+00,30,"a")}'::profiling.loyalty_trend AS t;
SELECT profiling.spend_slope(t) AS utc_slope FROM tz;
SET TimeZone = 'Europe/Berlin';
SELECT profiling.spend_slope(t) AS berlin_slope, profiling.trend(t) AS berlin_trend, t::text FROM tz;
SET TimeZone = 'UTC';
DROP TABLE tz;

-- The empty group and NULLs: a LEFT JOIN's all-NULL rows are skipped; no rows give '{}'.
SELECT c.name, profiling.loyalty_trend(r.ordered_at, r.amount, r.category) AS t
  FROM (VALUES ('zoe'), ('bob')) c(name) LEFT JOIN lt_rows r ON r.customer = c.name
 GROUP BY c.name ORDER BY c.name;
SELECT t, profiling.line_count(t), profiling.total_amount(t), profiling.category_count(t),
       profiling.spend_slope(t), profiling.category_growth(t), profiling.trend(t),
       profiling.spend_slope(t, '2026-01-01'), profiling.trend(t, '2026-01-01')
  FROM (SELECT profiling.loyalty_trend(ordered_at, amount, category) AS t FROM lt_rows WHERE false) s;
SELECT profiling.spend_slope(NULL) AS slope, profiling.category_growth(NULL) AS growth,
       profiling.trend(NULL) AS trend, profiling.trend('{}', NULL, NULL) AS null_threshold,
       profiling.trend('{}', NULL, 0.05, NULL) AS null_step, profiling.trend('{}', NULL, 0.05, 2, NULL) AS null_quiet,
       (SELECT profiling.rollup(x) FROM (VALUES (NULL::profiling.loyalty_trend)) v(x)) AS rollup_of_nulls;

-- Ties: equal lines are all kept; lines equal in time and amount sort by category; the empty
-- string is a category; quotes and backslashes round-trip.
SELECT profiling.loyalty_trend(at, amount, category) AS t
  FROM (VALUES ('2025-01-01 10:00:00+00'::timestamptz, 5::float8, 'b'), ('2025-01-01 10:00:00+00', 5, 'a'),
               ('2025-01-01 10:00:00+00', 5, 'a'), ('2025-01-01 10:00:00+00', 5, ''),
               ('2025-01-01 10:00:00+00', -0::float8, 'say "hi" \ bye')) AS v(at, amount, category);

-- Lines in any order give the same bytes; rollup of any split is one pass.
SELECT profiling.loyalty_trend_send(a) = profiling.loyalty_trend_send(b) AS same_bytes, a = b AS equal
  FROM (SELECT (SELECT profiling.loyalty_trend(ordered_at, amount, category ORDER BY ordered_at DESC) FROM lt_rows) AS a,
               (SELECT profiling.loyalty_trend(ordered_at, amount, category ORDER BY category DESC, customer) FROM lt_rows) AS b) s;
SELECT profiling.loyalty_trend_send(profiling.rollup(t))
       = profiling.loyalty_trend_send((SELECT profiling.loyalty_trend(ordered_at, amount, category) FROM lt_rows)) AS rollup_is_one_pass
  FROM (SELECT profiling.loyalty_trend(ordered_at, amount, category) AS t FROM lt_rows GROUP BY customer, amount) s;
SELECT customer, t::text::profiling.loyalty_trend = t AS round_trip,
       profiling.loyalty_trend_send(t::text::profiling.loyalty_trend) = profiling.loyalty_trend_send(t) AS same_bytes
  FROM lt ORDER BY customer;

-- A timestamp without time zone is refused (42804), with rows or without.
SELECT rows, e.*
  FROM (VALUES ('one row', 'VALUES (''2025-01-01 10:00:00''::timestamp)'),
               ('no rows', 'SELECT ''2025-01-01 10:00:00''::timestamp WHERE false')) AS q(rows, source),
       regress.error_of(format('SELECT profiling.loyalty_trend(t, 1, ''a'') FROM (%s) s(t)', source)) AS e;

-- Bad rows: each error with its SQLSTATE. A NULL category is refused, with a hint.
SELECT what, e.*
  FROM (VALUES ('NULL time', $$(NULL::timestamptz, 1::float8, 'a')$$),
               ('NULL amount', $$('2025-01-01 10:00:00+00'::timestamptz, NULL::float8, 'a')$$),
               ('NULL category', $$('2025-01-01 10:00:00+00'::timestamptz, 1::float8, NULL::text)$$),
               ('infinite time', $$('infinity'::timestamptz, 1::float8, 'a')$$),
               ('negative amount', $$('2025-01-01 10:00:00+00'::timestamptz, -1::float8, 'a')$$),
               ('NaN amount', $$('2025-01-01 10:00:00+00'::timestamptz, 'NaN'::float8, 'a')$$),
               ('infinite amount', $$('2025-01-01 10:00:00+00'::timestamptz, 'Infinity'::float8, 'a')$$)) AS v(what, row_values),
       regress.error_of(format('SELECT profiling.loyalty_trend(t, a, c) FROM (VALUES %s) v(t, a, c)', row_values)) AS e;

-- Bad accessor arguments.
SELECT what, e.error_code, e.message
  FROM (VALUES ('infinite as_of', $$profiling.trend('{}', 'infinity')$$),
               ('infinite as_of, slope', $$profiling.spend_slope('{}', '-infinity')$$),
               ('negative threshold', $$profiling.trend('{}', NULL, -0.1)$$),
               ('NaN threshold', $$profiling.trend('{}', NULL, 'NaN')$$),
               ('category step 0', $$profiling.trend('{}', NULL, 0.05, 0)$$),
               ('quiet months 0', $$profiling.trend('{}', NULL, 0.05, 2, 0)$$)) AS v(what, call),
       regress.error_of('SELECT ' || call) AS e;

-- Malformed text literals: each a 22P02 (or a range or value error) saying where.
SELECT literal, e.*
  FROM (VALUES (''), ('{'), ('{}x'), ('{()}'), ('{(2025-01-01)}'), ('{(2025-01-01,1)}'),
               ('{(2025-01-01,1,)}'), ('{(2025-01-01,1,a)}'), ('{(2025-01-01,1,"a)}'), ('{(2025-01-01,1,"a\x")}'),
               ('{(2025-01-01,1,"a","b")}'), ('{(2025-01-01,1,"a")'), ('{(2025-01-01,1,"a"),}'),
               ('{(,1,"a")}'), ('{(2025-13-01,1,"a")}'), ('{(yesterday,1,"a")}'), ('{(infinity,1,"a")}'),
               ('{(2025-01-01,abc,"a")}'), ('{(2025-01-01,-1,"a")}'), ('{(2025-01-01,NaN,"a")}'),
               ('{(2025-01-01,1e999,"a")}'), ('{(2025-01-01,0x10,"a")}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.loyalty_trend', literal)) AS e;

-- Binary receive trusts nothing. What send writes, receive reads back identically.
SELECT customer, profiling.loyalty_trend_send(regress.binary_input(NULL::profiling.loyalty_trend, profiling.loyalty_trend_send(t)))
                 = profiling.loyalty_trend_send(t) AS binary_round_trip
  FROM lt ORDER BY customer;
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('version 2', '\x02000000000000000000'),
               ('unknown flag', '\x01020000000000000000'),
               ('negative count', '\x0100ffffffff00000000'),
               ('categories, no lines', '\x01000000000000000001'),
               ('lines, no categories', '\x01000000000100000000'),
               ('unterminated category', '\x010000000001000000016162'),
               ('one byte too few', '\x01000000000100000001' || '\x6100'::bytea || int8send(0) || float8send(1) || '\x000000'::bytea),
               ('negative amount', '\x01000000000100000001' || '\x6100'::bytea || int8send(0) || float8send(-1) || int4send(0)),
               ('NaN amount', '\x01000000000100000001' || '\x6100'::bytea || int8send(0) || float8send('NaN') || int4send(0)),
               ('negative zero', '\x01000000000100000001' || '\x6100'::bytea || int8send(0) || float8send('-0') || int4send(0)),
               ('index out of range', '\x01000000000100000001' || '\x6100'::bytea || int8send(0) || float8send(1) || int4send(1)),
               ('infinite time', '\x01000000000100000001' || '\x6100'::bytea || int8send(9223372036854775807) || float8send(1) || int4send(0)),
               ('categories unsorted', '\x01000000000200000002' || '\x62006100'::bytea || int8send(0) || int8send(1) || float8send(1) || float8send(1) || int4send(0) || int4send(1)),
               ('category unused', '\x01000000000200000002' || '\x61006200'::bytea || int8send(0) || int8send(1) || float8send(1) || float8send(1) || int4send(0) || int4send(0)),
               ('lines unsorted', '\x01000000000200000001' || '\x6100'::bytea || int8send(1) || int8send(0) || float8send(1) || float8send(1) || int4send(0) || int4send(0)),
               ('invalid UTF-8', '\x01000000000100000001' || '\xc300'::bytea || int8send(0) || float8send(1) || int4send(0))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.loyalty_trend, %L::bytea)', payload)) AS e;

-- Damaged stored values: a newer format is 0A000, anything else XX001, in every function.
-- The value: 12 header bytes after the length, times at 12, amounts at 28, category indexes at
-- 44, the categories "a" and "b" at 52.
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(2025-01-01 00:00:00+00,1,"a"),(2025-01-11 00:00:00+00,2,"b")}'::profiling.loyalty_trend) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'unknown flag', set_byte(raw, 1, 2)),
                       (4, 'reserved not zero', set_byte(raw, 3, 1)),
                       (5, 'negative count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (6, 'three categories', set_byte(raw, 8, 3)),
                       (7, 'index out of range', set_byte(raw, 48, 5)),
                       (8, 'categories unsorted', set_byte(set_byte(raw, 52, 98), 54, 97)),
                       (9, 'category unterminated', set_byte(raw, 55, 99)),
                       (10, 'last 4 bytes cut off', substr(raw, 1, length(raw) - 4))) AS v(id, what, bytes);
CREATE TABLE stored_calls (call text);
INSERT INTO stored_calls VALUES
  ('v::text'), ('profiling.loyalty_trend_send(v)'), ('profiling.line_count(v)'), ('profiling.total_amount(v)'),
  ('profiling.category_count(v)'), ('profiling.spend_slope(v)'), ('profiling.category_growth(v)'),
  ('profiling.trend(v)'), ('profiling.trend(v, ''2026-01-01'')'),
  ('profiling.as_of(v, ''2026-01-01'')'), ('profiling.during(v, tstzrange(NULL, NULL))'),
  ('profiling.rollup(v)'), ('v = v'), ('v < v'), ('profiling.loyalty_trend_cmp(v, v)'),
  ('profiling.loyalty_trend_hash(v)'), ('profiling.loyalty_trend_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL regress.error_of_stored(NULL::profiling.loyalty_trend, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE raw_cases, stored_calls;

-- Comparison: = is "the same bytes", the operators and cmp are one order (fewer lines first).
SELECT a, b, eq, lt, cmp, same_hash, same_hash_extended, same_bytes, antisymmetric
  FROM regress.comparisons('profiling.loyalty_trend', $$VALUES ('empty', '{}'::profiling.loyalty_trend),
        ('one', '{(2025-01-01 00:00:00+00,1,"a")}'), ('same, other zone', '{(2025-01-01 01:00:00+01,1,"a")}'),
        ('other category', '{(2025-01-01 00:00:00+00,1,"b")}'),
        ('two', '{(2025-01-01 00:00:00+00,1,"a"),(2025-01-01 00:00:00+00,1,"a")}')$$)
 ORDER BY a_row, b_row;

-- On the tiny sample warehouse, one row per order line: every customer's slope equals plain
-- SQL's regr_slope over a month series with its empty months, and the category growth plain
-- SQL's count(DISTINCT) per half.
CREATE TABLE lt_shop AS
SELECT o.customer_id, profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t
  FROM shop.order_lines l JOIN shop.orders o USING (order_id) JOIN shop.products p USING (product_id)
 GROUP BY 1;
SELECT count(*) AS customers, sum(profiling.line_count(t)) AS lines,
       (SELECT count(*) FROM shop.order_lines) AS order_lines,
       count(profiling.spend_slope(t)) AS with_slope, count(profiling.category_growth(t)) AS with_growth
  FROM lt_shop;
WITH lines AS (
  SELECT o.customer_id, o.ordered_at, (l.quantity * l.unit_price)::float8 AS amount, p.category
    FROM shop.order_lines l JOIN shop.orders o USING (order_id) JOIN shop.products p USING (product_id)),
span AS (
  SELECT customer_id, min(ordered_at) AS first, max(ordered_at) AS last FROM lines GROUP BY 1),
months AS (
  SELECT s.customer_id, m, COALESCE(sum(l.amount), 0) AS spend
    FROM span s
   CROSS JOIN generate_series(date_trunc('month', s.first), date_trunc('month', s.last), '1 month') AS m
    LEFT JOIN lines l ON l.customer_id = s.customer_id AND date_trunc('month', l.ordered_at) = m
   GROUP BY 1, 2),
plain AS (
  SELECT customer_id, regr_slope(spend, k) AS slope
    FROM (SELECT customer_id, spend, row_number() OVER (PARTITION BY customer_id ORDER BY m) AS k FROM months) x
   GROUP BY 1),
halves AS (
  SELECT l.customer_id,
         count(DISTINCT l.category) FILTER (WHERE l.ordered_at >= s.first + (s.last - s.first) / 2)
         - count(DISTINCT l.category) FILTER (WHERE l.ordered_at < s.first + (s.last - s.first) / 2) AS growth
    FROM lines l JOIN span s USING (customer_id) WHERE s.last > s.first GROUP BY 1)
SELECT count(*) AS customers_differing
  FROM lt_shop t LEFT JOIN plain p USING (customer_id) LEFT JOIN halves h USING (customer_id)
 WHERE abs(profiling.spend_slope(t.t) - p.slope) > 1e-12 * abs(p.slope)
    OR (profiling.spend_slope(t.t) IS NULL) <> (p.slope IS NULL)
    OR profiling.category_growth(t.t) IS DISTINCT FROM h.growth;
DROP TABLE lt_shop;

DROP TABLE lt, lt_rows;
