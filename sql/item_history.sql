-- item_history: the summary type, its aggregates and every accessor, with hand-checked values,
-- edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Hand-made lines of one product. ann: every 10 days, 2 units, then 4 (a coupon on the 4).
-- bob: one purchase. cat: two lines on one day (one purchase of 3 units), then 3 units ten
-- days later, then 3 twenty days after that: equal quantities. dan: a zero quantity, then 2.
-- eve: growing, 1, 2, 3, 4, 5 units a week apart.
CREATE TABLE ih_rows (customer text, ordered_at timestamptz, quantity float8, coupon float8);
INSERT INTO ih_rows VALUES
  ('ann', '2025-01-21 10:00:00+00', 4, 1.5),
  ('ann', '2025-01-01 10:00:00+00', 2, NULL),
  ('ann', '2025-01-11 10:00:00+00', 2, 0),
  ('bob', '2025-02-14 18:45:10.25+00', 1, NULL),
  ('cat', '2025-03-01 09:00:00+00', 1, NULL),
  ('cat', '2025-03-01 17:30:00+00', 2, NULL),
  ('cat', '2025-03-11 17:30:00+00', 3, NULL),
  ('cat', '2025-03-31 17:30:00+00', 3, NULL),
  ('dan', '2025-04-01 00:00:00+00', 0, NULL),
  ('dan', '2025-04-05 00:00:00+00', 2, NULL),
  ('dan', '2025-04-13 00:00:00+00', 1, NULL),
  ('eve', '2025-05-01 08:00:00+00', 1, NULL),
  ('eve', '2025-05-08 08:00:00+00', 2, NULL),
  ('eve', '2025-05-15 08:00:00+00', 3, NULL),
  ('eve', '2025-05-22 08:00:00+00', 4, NULL),
  ('eve', '2025-05-29 08:00:00+00', 5, NULL);

CREATE TABLE ih AS
SELECT customer, profiling.item_history(ordered_at, quantity, coupon) AS i FROM ih_rows GROUP BY customer;

-- The text form: sorted, UTC, shortest exact numbers; the coupon field only when some line has one.
SELECT customer, i FROM ih ORDER BY customer;

-- lines(i): every line back, in time order, as received (two lines of one day stay two); the
-- empty summary has none.
SELECT customer, l.* FROM ih, profiling.lines(i) AS l WHERE customer IN ('ann', 'cat') ORDER BY customer, l.ordered_at;
SELECT count(*) AS lines_of_empty FROM profiling.lines('{}'::profiling.item_history);

-- Replenishment, hand-checked. ann: gaps 10, 10 days: cycle 10 days, regularity 0, next due
-- 2025-01-31 10:00; per unit 10/2 = 5 days. bob: one purchase, no cycle. cat: 3 purchases
-- (two lines on 03-01 are one, at the later line, 17:30, of 3 units), gaps 10 and 20 days:
-- cycle 15 days, per unit median(10/3, 20/3) = 5 days, regularity stddev_samp(10, 20) / 15.
-- dan: gaps 4 and 8 days; the gap after 0 units leaves cycle_per_unit: 8 / 2 = 4 days.
SELECT customer, profiling.line_count(i) AS lines, profiling.purchases(i) AS purchases,
       profiling.total_quantity(i) AS quantity, profiling.replenishment_cycle(i) AS cycle,
       profiling.cycle_per_unit(i) AS per_unit, profiling.regularity(i) AS regularity,
       profiling.last_purchase(i) AS last, profiling.next_due(i) AS next_due
  FROM ih ORDER BY customer;
SELECT profiling.regularity(i) = sqrt(50.0::float8) / 15 AS cat_regularity_exact
  FROM ih WHERE customer = 'cat';

-- is_due(i, as_of [, tolerance]): from the purchases at or before as_of, the next due date is
-- at or before as_of + tolerance. ann is due 2025-01-31 10:00; as of 2025-01-15 she is due
-- 2025-01-21 10:00 (cycle 10 days from two purchases).
SELECT t, tol, profiling.is_due(i, t, tol) AS due
  FROM ih, (VALUES ('2025-01-05 00:00:00+00'::timestamptz, '0'::interval), ('2025-01-15 00:00:00+00', '0'),
                   ('2025-01-15 00:00:00+00', '6 days 10:00'), ('2025-01-15 00:00:00+00', '6 days 09:59:59'),
                   ('2025-01-25 00:00:00+00', '7 days'), ('2025-01-31 10:00:00+00', '0')) AS v(t, tol)
 WHERE customer = 'ann' ORDER BY t, tol;
SELECT profiling.is_due(i, '2025-01-25 00:00:00+00') AS default_tolerance FROM ih WHERE customer = 'ann';
SELECT e.error_code, e.message FROM regress.error_of($$SELECT profiling.is_due('{}', 'infinity')$$) e;

-- Incremental sales. quantity_slope is regr_slope(quantity, purchase number): eve 1, ann 1
-- (2, 2, 4), cat 0. is_incremental: the last min_purchases (4) purchases each buy more.
SELECT customer, profiling.quantity_slope(i) AS slope, profiling.is_incremental(i) AS incremental,
       profiling.is_incremental(i, 2) AS incremental_2, profiling.is_incremental(i, 5) AS incremental_5,
       profiling.is_incremental(i, 6) AS incremental_6
  FROM ih ORDER BY customer;
SELECT e.error_code, e.message FROM regress.error_of($$SELECT profiling.is_incremental('{}', 1)$$) e;

-- stockpiling(i [, promotions]): promoted spikes followed by long gaps. A customer who buys 10
-- units in each promotion and nothing between; the same with a plain 2 units every 10 days
-- between two spikes of 8 followed by 40-day gaps; a grower whose purchases fall in promotions
-- is not stockpiling.
CREATE TABLE promo (p tstzmultirange);
INSERT INTO promo VALUES ('{[2025-03-01,2025-03-08), [2025-06-01,2025-06-08), [2025-09-01,2025-09-08)}');
SELECT label, profiling.stockpiling(i::profiling.item_history, p) AS with_promotions,
       profiling.stockpiling(i::profiling.item_history) AS coupons_only
  FROM promo, (VALUES
    ('promotions only', '{(2025-03-02 10:00:00+00,10),(2025-06-02 10:00:00+00,10),(2025-09-02 10:00:00+00,10)}'),
    ('spikes and plain', '{(2025-02-09 10:00:00+00,2),(2025-02-19 10:00:00+00,2),(2025-03-02 10:00:00+00,8),(2025-04-11 10:00:00+00,2),(2025-04-21 10:00:00+00,2),(2025-06-02 10:00:00+00,8),(2025-07-12 10:00:00+00,2),(2025-07-22 10:00:00+00,2)}'),
    ('spikes with coupons', '{(2025-01-09 10:00:00+00,2),(2025-01-19 10:00:00+00,2),(2025-01-29 10:00:00+00,8,1),(2025-03-11 10:00:00+00,2),(2025-03-21 10:00:00+00,8,1),(2025-04-30 10:00:00+00,2)}'),
    ('growing in promotions', '{(2025-03-02 10:00:00+00,1),(2025-06-02 10:00:00+00,2),(2025-09-02 10:00:00+00,3)}'),
    ('one purchase', '{(2025-03-02 10:00:00+00,10)}'),
    ('empty', '{}')) AS v(label, i);
SELECT profiling.stockpiling(NULL) AS null_summary, profiling.stockpiling('{}', NULL) AS null_promotions;
DROP TABLE promo;

-- as_of and during slice the lines.
SELECT t, profiling.as_of(i, t) AS i
  FROM ih, (VALUES ('2024-12-31 00:00:00+00'::timestamptz), ('2025-01-11 10:00:00+00'), ('infinity')) AS v(t)
 WHERE customer = 'ann' ORDER BY t;
SELECT r, profiling.during(i, r) AS i
  FROM ih, (VALUES (tstzrange('2025-01-11 10:00:00+00', '2025-01-21 10:00:00+00')),
                   (tstzrange('2025-01-11 10:00:00+00', '2025-01-21 10:00:00+00', '(]')),
                   ('empty'::tstzrange)) AS v(r)
 WHERE customer = 'ann' ORDER BY r;

-- Purchase days follow the session TimeZone: in Tokyo cat's lines at 09:00 and 17:30 UTC on
-- 03-01 fall on 03-01 and 03-02, so she has four purchases.
SET TimeZone = 'Asia/Tokyo';
SELECT profiling.purchases(i), profiling.replenishment_cycle(i) FROM ih WHERE customer = 'cat';
SET TimeZone = 'UTC';

-- The empty group and NULLs: a LEFT JOIN's all-NULL rows are skipped; no rows give '{}'.
SELECT c.name, profiling.item_history(r.ordered_at, r.quantity) AS i
  FROM (VALUES ('zoe'), ('bob')) c(name) LEFT JOIN ih_rows r ON r.customer = c.name
 GROUP BY c.name ORDER BY c.name;
SELECT i, profiling.line_count(i), profiling.purchases(i), profiling.total_quantity(i),
       profiling.replenishment_cycle(i), profiling.cycle_per_unit(i), profiling.regularity(i),
       profiling.last_purchase(i), profiling.next_due(i), profiling.is_due(i, '2025-01-01'),
       profiling.quantity_slope(i), profiling.is_incremental(i), profiling.stockpiling(i)
  FROM (SELECT profiling.item_history(ordered_at, quantity) AS i FROM ih_rows WHERE false) s;
SELECT profiling.replenishment_cycle(NULL::profiling.item_history) AS cycle,
       profiling.rollup(x) AS rollup_of_nulls
  FROM (VALUES (NULL::profiling.item_history)) v(x);

-- Lines in any order give the same bytes; rollup of any split is one pass.
SELECT profiling.item_history_send(a) = profiling.item_history_send(b) AS same_bytes, a = b AS equal
  FROM (SELECT (SELECT profiling.item_history(ordered_at, quantity, coupon ORDER BY ordered_at DESC) FROM ih_rows) AS a,
               (SELECT profiling.item_history(ordered_at, quantity, coupon ORDER BY customer, quantity DESC) FROM ih_rows) AS b) s;
SELECT profiling.item_history_send(profiling.rollup(i)) = profiling.item_history_send((SELECT profiling.item_history(ordered_at, quantity, coupon) FROM ih_rows)) AS rollup_is_one_pass
  FROM (SELECT profiling.item_history(ordered_at, quantity, coupon) AS i FROM ih_rows GROUP BY customer, quantity) s;
SELECT i::text::profiling.item_history = i AS round_trip,
       profiling.item_history_send(i::text::profiling.item_history) = profiling.item_history_send(i) AS same_bytes
  FROM ih ORDER BY customer;

-- A timestamp without time zone is refused (42804), with rows or without.
SELECT rows, e.*
  FROM (VALUES ('one row', 'VALUES (''2025-01-01 10:00:00''::timestamp)'),
               ('no rows', 'SELECT ''2025-01-01 10:00:00''::timestamp WHERE false')) AS q(rows, source),
       regress.error_of(format('SELECT profiling.item_history(t, 1) FROM (%s) s(t)', source)) AS e;

-- Bad rows: each error with its SQLSTATE. Negative quantities (returns) are refused: a
-- return netted into a cycle would make a silently wrong one.
SELECT what, e.*
  FROM (VALUES ('NULL time', $$(NULL::timestamptz, 1::float8, NULL::float8)$$),
               ('NULL quantity', $$('2025-01-01 10:00:00+00'::timestamptz, NULL::float8, NULL::float8)$$),
               ('infinite time', $$('infinity'::timestamptz, 1::float8, NULL::float8)$$),
               ('negative quantity', $$('2025-01-01 10:00:00+00'::timestamptz, -1::float8, NULL::float8)$$),
               ('NaN quantity', $$('2025-01-01 10:00:00+00'::timestamptz, 'NaN'::float8, NULL::float8)$$),
               ('infinite quantity', $$('2025-01-01 10:00:00+00'::timestamptz, 'Infinity'::float8, NULL::float8)$$),
               ('negative coupon', $$('2025-01-01 10:00:00+00'::timestamptz, 1::float8, -0.5::float8)$$),
               ('NaN coupon', $$('2025-01-01 10:00:00+00'::timestamptz, 1::float8, 'NaN'::float8)$$)) AS v(what, row_values),
       regress.error_of(format('SELECT profiling.item_history(t, q, c) FROM (VALUES %s) v(t, q, c)', row_values)) AS e;

-- Malformed text literals: each a 22P02 (or a range or value error) saying where.
SELECT literal, e.*
  FROM (VALUES (''), ('{'), ('{}x'), ('{()}'), ('{(2025-01-01)}'), ('{(2025-01-01,)}'),
               ('{(2025-01-01,1,1,1)}'), ('{(2025-01-01,1)'), ('{(2025-01-01,1),}'), ('{(,1)}'),
               ('{(2025-13-01,1)}'), ('{(yesterday,1)}'), ('{(infinity,1)}'), ('{(2025-01-01,abc)}'),
               ('{(2025-01-01,-1)}'), ('{(2025-01-01,NaN)}'), ('{(2025-01-01,Infinity)}'),
               ('{(2025-01-01,1e999)}'), ('{(2025-01-01,1,-1)}'), ('{(2025-01-01,0x10)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.item_history', literal)) AS e;

-- Binary receive trusts nothing. What send writes, receive reads back identically.
SELECT customer, profiling.item_history_send(regress.binary_input(NULL::profiling.item_history, profiling.item_history_send(i)))
                 = profiling.item_history_send(i) AS binary_round_trip
  FROM ih ORDER BY customer;
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('version 2', '\x020000000000'),
               ('unknown flag', '\x010200000000'),
               ('negative count', '\x0100ffffffff'),
               ('coupons, no lines', '\x010100000000'),
               ('one byte too few', '\x010000000001' || int8send(0) || substr(float8send(1), 1, 7)),
               ('negative quantity', '\x010000000001' || int8send(0) || float8send(-1)),
               ('NaN quantity', '\x010000000001' || int8send(0) || float8send('NaN')),
               ('negative zero', '\x010000000001' || int8send(0) || float8send('-0')),
               ('unsorted', '\x010000000002' || int8send(10) || int8send(0) || float8send(1) || float8send(1)),
               ('zero coupons', '\x010100000001' || int8send(0) || float8send(1) || float8send(0))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.item_history, %L::bytea)', payload)) AS e;

-- Damaged stored values: a newer format is 0A000, anything else XX001, in every function.
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(2025-01-01 00:00:00+00,1),(2025-01-11 00:00:00+00,2)}'::profiling.item_history) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'unknown flag', set_byte(raw, 1, 2)),
                       (4, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (5, 'negative count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (6, 'last 16 bytes cut off', substr(raw, 1, length(raw) - 16))) AS v(id, what, bytes);
CREATE TABLE stored_calls (call text);
INSERT INTO stored_calls VALUES
  ('v::text'), ('profiling.item_history_send(v)'), ('profiling.line_count(v)'), ('(SELECT count(*) FROM profiling.lines(v))'), ('profiling.purchases(v)'),
  ('profiling.total_quantity(v)'), ('profiling.replenishment_cycle(v)'), ('profiling.cycle_per_unit(v)'),
  ('profiling.regularity(v)'), ('profiling.last_purchase(v)'), ('profiling.next_due(v)'),
  ('profiling.is_due(v, ''2026-01-01'')'), ('profiling.quantity_slope(v)'), ('profiling.is_incremental(v)'),
  ('profiling.stockpiling(v)'), ('profiling.as_of(v, ''2026-01-01'')'), ('profiling.during(v, tstzrange(NULL, NULL))'),
  ('profiling.rollup(v)'), ('v = v'), ('v < v'), ('profiling.item_history_cmp(v, v)'),
  ('profiling.item_history_hash(v)'), ('profiling.item_history_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL regress.error_of_stored(NULL::profiling.item_history, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE raw_cases, stored_calls;

-- Comparison: = is "the same bytes", the operators and cmp are one order (fewer lines first).
SELECT a, b, eq, lt, cmp, same_hash, same_hash_extended, same_bytes, antisymmetric
  FROM regress.comparisons('profiling.item_history', $$VALUES ('empty', '{}'::profiling.item_history),
        ('one', '{(2025-01-01 00:00:00+00,1)}'), ('same, other zone', '{(2025-01-01 01:00:00+01,1)}'),
        ('with coupon', '{(2025-01-01 00:00:00+00,1,0.5)}'), ('two', '{(2025-01-01 00:00:00+00,1),(2025-01-01 00:00:00+00,1)}')$$)
 ORDER BY a_row, b_row;

-- On the tiny sample warehouse: every customer x product, the cycle and slope equal to plain SQL.
CREATE TABLE ih_shop AS
SELECT o.customer_id, l.product_id, profiling.item_history(o.ordered_at, l.quantity::float8, l.coupon_amount::float8) AS i
  FROM shop.order_lines l JOIN shop.orders o USING (order_id) GROUP BY 1, 2;
CREATE TABLE ih_days AS
SELECT o.customer_id, l.product_id, max(o.ordered_at) AS at, sum(l.quantity::float8) AS q
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
 GROUP BY 1, 2, (o.ordered_at AT TIME ZONE 'UTC')::date;
SELECT count(*) AS pairs, sum(profiling.purchases(i)) AS purchases, (SELECT count(*) FROM ih_days) AS days
  FROM ih_shop;
SELECT count(*) AS pairs_differing
  FROM ih_shop s
  JOIN (SELECT customer_id, product_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS cycle,
               regr_slope(q, k) AS slope, max(at) AS last
          FROM (SELECT customer_id, product_id, q, at,
                       at - lag(at) OVER w AS gap, row_number() OVER w AS k
                  FROM ih_days WINDOW w AS (PARTITION BY customer_id, product_id ORDER BY at)) d
         GROUP BY 1, 2) p USING (customer_id, product_id)
 WHERE profiling.replenishment_cycle(s.i) IS DISTINCT FROM p.cycle
    OR profiling.quantity_slope(s.i) IS DISTINCT FROM p.slope
    OR profiling.last_purchase(s.i) IS DISTINCT FROM p.last;
DROP TABLE ih_shop, ih_days;

DROP TABLE ih, ih_rows;
