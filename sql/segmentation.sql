-- segmentation: value classes (value_class, is_one_time), the value_distribution summary type,
-- its aggregates, the value structure (deciles, merge_bands, top_share, gini, lorenz) and
-- threshold capture, with hand-checked values, edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

-- ============================================================================================
-- Value classes
-- ============================================================================================

-- HERO: spend >= hero_min; REPEAT: orders >= repeat_min; VIP: both; REGULAR: neither. A value
-- exactly at a threshold passes it.
SELECT spend, orders, profiling.value_class(spend, orders, 1000, 2) AS class
  FROM (VALUES (1000::float8, 1::bigint), (999.99, 1), (1000, 2), (999.99, 2), (5000, 30),
               (0, 0), (-250, 3), (1.7976931348623157e308, 2147483647)) AS v(spend, orders)
 ORDER BY class, spend;
-- In order of value: VIPs first.
SELECT unnest(enum_range(NULL::profiling.value_class)) AS class;
-- Its text input is the four labels, exactly (an enum: case matters, no blanks).
SELECT literal, e.error_code, e.message
  FROM (VALUES ('gold'), ('VIP'), (' vip'), (''), ('vip,hero')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.value_class', literal)) AS e;
-- Thresholds at the ends: -Infinity makes everyone a hero, Infinity no one; repeat_min 1
-- makes every customer with an order a repeat buyer.
SELECT profiling.value_class(0, 0, '-Infinity', 1) AS minus_infinity,
       profiling.value_class(1e300, 1, 'Infinity', 1) AS infinity,
       profiling.value_class(0, 1, 0, 1) AS zero_thresholds;
-- NULL in, NULL out.
SELECT profiling.value_class(NULL, 1, 1000, 2) IS NULL AS null_spend,
       profiling.value_class(1, NULL, 1000, 2) IS NULL AS null_orders,
       profiling.value_class(1, 1, NULL, 2) IS NULL AS null_hero_min,
       profiling.value_class(1, 1, 1000, NULL) IS NULL AS null_repeat_min;
-- Bad input: an error with its SQLSTATE, never a class.
SELECT call, e.*
  FROM (VALUES ('profiling.value_class(''NaN'', 1, 1000, 2)'),
               ('profiling.value_class(''Infinity'', 1, 1000, 2)'),
               ('profiling.value_class(''-Infinity'', 1, 1000, 2)'),
               ('profiling.value_class(10, -1, 1000, 2)'),
               ('profiling.value_class(10, 2147483648, 1000, 2)'),
               ('profiling.value_class(10, 1, ''NaN'', 2)'),
               ('profiling.value_class(10, 1, 1000, 0)'),
               ('profiling.value_class(10, 1, 1000, -3)')) AS v(call),
       regress.error_of('SELECT ' || call) AS e;

-- From purchase histories: the total spend and the order count of the summary.
CREATE TABLE seg_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders WHERE customer_id IS NOT NULL GROUP BY customer_id;
SELECT profiling.value_class(h, 1000, 20) AS class, count(*) AS customers,
       array_agg(customer_id ORDER BY customer_id) AS customer_ids
  FROM seg_histories GROUP BY 1 ORDER BY 1;
-- value_class(h, ...) is value_class(total_spend(h), order_count(h), ...) (expect none listed).
SELECT customer_id, hero_min, repeat_min
  FROM seg_histories, (VALUES (1000::float8, 20), (5000, 20), (0, 1), (500, 5), (2285.01, 33), (2285.02, 34)) AS t(hero_min, repeat_min)
 WHERE profiling.value_class(h, hero_min, repeat_min)
       IS DISTINCT FROM profiling.value_class(profiling.total_spend(h), profiling.order_count(h), hero_min, repeat_min);
-- "orders" is the order count: customer 6 has 33 orders on 31 days; at repeat_min 33 it is a
-- repeat buyer, although purchase_days is 31.
SELECT profiling.order_count(h) AS orders, profiling.purchase_days(h) AS days,
       profiling.value_class(h, 1e9, 33) AS at_33, profiling.value_class(h, 1e9, 34) AS at_34
  FROM seg_histories WHERE customer_id = 6;
-- The planted truth of the tiny warehouse: at (5000, 20) the VIPs are the planted ones; at
-- (1000, 20) the planted heroes are one-time heroes and the planted repeat buyers repeat.
SELECT t.fact, t.customer_id, profiling.value_class(h, 5000, 20) AS at_5000_20,
       profiling.value_class(h, 1000, 20) AS at_1000_20, profiling.is_one_time(h) AS one_time
  FROM shop.truth t JOIN seg_histories USING (customer_id)
 WHERE t.fact IN ('hero', 'repeat', 'vip') ORDER BY t.fact, t.customer_id;
-- The README's query: the heroes, one-time or not.
SELECT customer_id, round(profiling.total_spend(h)::numeric, 2) AS spend, profiling.order_count(h) AS orders,
       profiling.is_one_time(h) AS one_time
  FROM seg_histories
 WHERE profiling.value_class(h, 1000, 20) = 'hero'
 ORDER BY profiling.is_one_time(h) DESC, customer_id;

-- during: only the orders inside the range count (here 2025, and the last 90 days).
SELECT customer_id, profiling.value_class(h, 1000, 10) AS all_time,
       profiling.value_class(h, 1000, 10, tstzrange('2025-01-01', '2026-01-01')) AS in_2025,
       profiling.value_class(h, 1000, 10, tstzrange('2026-01-01'::timestamptz - interval '90 days', '2026-01-01')) AS last_90_days,
       profiling.order_count(profiling.during(h, tstzrange('2025-01-01', '2026-01-01'))) AS orders_2025,
       profiling.total_spend(profiling.during(h, tstzrange('2025-01-01', '2026-01-01'))) AS spend_2025
  FROM seg_histories WHERE customer_id IN (4, 6, 13, 22, 27, 36) ORDER BY customer_id;
-- ... and equals value_class of the slice, for every customer and every range here (expect none).
SELECT customer_id, r
  FROM seg_histories,
       (VALUES (tstzrange('2025-01-01', '2026-01-01')), (tstzrange('2025-01-01', '2026-01-01', '(]')),
               (tstzrange(NULL, '2025-01-01')), (tstzrange('2025-06-01', NULL)), ('empty'::tstzrange)) AS v(r)
 WHERE profiling.value_class(h, 500, 5, r) IS DISTINCT FROM profiling.value_class(profiling.during(h, r), 500, 5);
-- An empty window: no spend, no orders.
SELECT profiling.value_class(h, 0, 1, 'empty') AS empty_window_hero_min_0,
       profiling.value_class(h, 0.01, 1, 'empty') AS empty_window
  FROM seg_histories WHERE customer_id = 22;
SELECT profiling.value_class(h, 1000, 2, NULL) IS NULL AS null_window FROM seg_histories WHERE customer_id = 22;

-- is_one_time: every order on one calendar day, in the session TimeZone. Two orders at 14:30
-- and 15:30 UTC are one day in UTC and two in Tokyo; no orders is not one-time.
CREATE TABLE seg_one_time (what text, h profiling.purchase_history);
INSERT INTO seg_one_time VALUES
  ('one order', '{(2025-06-01 10:00:00+00,1200)}'),
  ('two orders, one day', '{(2025-06-01 10:00:00+00,700),(2025-06-01 18:00:00+00,600)}'),
  ('two orders, 14:30 and 15:30 UTC', '{(2025-06-01 14:30:00+00,700),(2025-06-01 15:30:00+00,600)}'),
  ('two days', '{(2025-06-01 10:00:00+00,700),(2025-06-02 10:00:00+00,600)}'),
  ('no orders', '{}');
SELECT what, profiling.is_one_time(h) AS utc, profiling.value_class(h, 1000, 2) AS class FROM seg_one_time ORDER BY what;
SET TimeZone = 'Asia/Tokyo';
SELECT what, profiling.is_one_time(h) AS tokyo FROM seg_one_time ORDER BY what;
SET TimeZone = 'UTC';
SELECT profiling.is_one_time(NULL) IS NULL AS null_in_null_out;
DROP TABLE seg_one_time;

-- ============================================================================================
-- The value_distribution summary
-- ============================================================================================

-- One (value, orders) pair per customer, sorted by value then orders; -0 is 0.
CREATE TABLE seg_customers (customer text, value float8, orders bigint);
INSERT INTO seg_customers VALUES
  ('ann', 25.5, 2), ('bob', 1127.77, 1), ('cat', 0, 1), ('dan', -0.0, 3), ('eve', 25.5, 1);
SELECT profiling.value_distribution(value, orders) FROM seg_customers;
-- Rows in any order give the same bytes.
SELECT profiling.value_distribution_send(a) = profiling.value_distribution_send(b) AS same_bytes
  FROM (SELECT profiling.value_distribution(value, orders ORDER BY customer DESC) AS a,
               profiling.value_distribution(value, orders ORDER BY value, customer) AS b FROM seg_customers) s;
-- An integer orders column, a numeric value column and count(*) need no cast.
SELECT profiling.value_distribution(v, o) AS integer_orders
  FROM (VALUES (10.5::numeric, 1::integer), (3, 2)) AS c(v, o);
SELECT profiling.value_distribution(spend, n) AS from_count
  FROM (SELECT customer_id, sum(amount) AS spend, count(*) AS n FROM shop.orders
         WHERE customer_id IN (4, 36) GROUP BY customer_id) s;
-- The tiny warehouse, one customer a row: its total spend and order count.
CREATE TABLE seg_vd AS
SELECT profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd FROM seg_histories;
SELECT vd FROM seg_vd;
-- No rows, and rows whose arguments are all NULL (a LEFT JOIN without a summary), give the
-- empty summary; a NULL in an otherwise present customer is an error.
SELECT profiling.value_distribution(value, orders) AS no_rows FROM seg_customers WHERE false;
SELECT profiling.value_distribution(profiling.total_spend(s.h), profiling.order_count(s.h)) AS left_join
  FROM (VALUES (1), (2)) AS c(id) LEFT JOIN seg_histories s ON s.customer_id = c.id;
SELECT input, e.*
  FROM (VALUES ('(NULL::float8, 3::bigint)'), ('(12.5::float8, NULL::bigint)'),
               ('(''NaN''::float8, 1::bigint)'), ('(''Infinity''::float8, 1::bigint)'),
               ('(''-Infinity''::float8, 1::bigint)'), ('(12.5::float8, -1::bigint)'),
               ('(12.5::float8, 2147483648::bigint)')) AS v(input),
       regress.error_of(format('SELECT profiling.value_distribution(v, o) FROM (VALUES %s) AS c(v, o)', input)) AS e;
-- The support functions take internal, which no SQL value is: only an aggregate calls them.
SELECT * FROM regress.error_of('SELECT profiling.value_distribution_final(NULL::internal)');
SELECT * FROM regress.error_of('SELECT profiling.value_distribution_combine(NULL::internal, NULL::internal)');

-- Text form: lossless (shortest exact digits), forgiving on input (any order, blanks, -0).
SELECT ' { ( 1127.77 , 1 ) , (25.5,2),(-0,3), (0.1,0) } '::profiling.value_distribution AS vd;
SELECT v::text = v::text::profiling.value_distribution::text AS same_text,
       profiling.value_distribution_send(v) = profiling.value_distribution_send(v::text::profiling.value_distribution) AS same_bytes
  FROM (VALUES ('{(0.1,1),(0.30000000000000004,2),(1e-300,0),(1.7976931348623157e308,2147483647),(-5e-324,1)}'::profiling.value_distribution),
               ((SELECT vd FROM seg_vd))) AS t(v);
SET extra_float_digits = 0;
SELECT '{(0.30000000000000004,2),(0.1,1)}'::profiling.value_distribution AS with_extra_float_digits_0;
SET extra_float_digits = 1;
-- Malformed literals: each a 22P02 (or a range error) saying where the problem is.
SELECT literal, e.*
  FROM (VALUES (''), ('  '), ('{'), ('}'), ('[]'), ('{}x'), ('{} {}'), ('{()}'), ('{(1)}'), ('{(1,)}'),
               ('{(,1)}'), ('{(1,2,3)}'), ('{(1,2)'), ('{(1,2),}'), ('{(1,2)(3,4)}'), ('{(1,2);(3,4)}'),
               ('{((1,2))}'), ('{(abc,1)}'), ('{(1.5.5,1)}'), ('{(0x10,1)}'), ('{(1,1.5)}'), ('{(1,abc)}'),
               ('{(1, 2 3)}'), ('{(1,0x1)}'), ('{(1,+)}'), ('{(1e999,1)}'), ('{(1,99999999999)}'),
               ('{(NaN,1)}'), ('{(Infinity,1)}'), ('{(-Infinity,1)}'), ('{(1,-1)}'), ('{(1,2147483648)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.value_distribution', literal)) AS e;
-- A sign on the order count is allowed (+3 is 3).
SELECT '{(1,+3),(2,-0)}'::profiling.value_distribution AS signs;

-- Binary form: what send writes, receive reads back byte for byte; receive trusts nothing.
SELECT profiling.value_distribution_send('{(25.5,2),(1127.77,1)}') AS binary;
SELECT profiling.value_distribution_send(regress.binary_input(NULL::profiling.value_distribution, profiling.value_distribution_send(v)))
       = profiling.value_distribution_send(v) AS round_trip
  FROM (VALUES ('{}'::profiling.value_distribution), ('{(25.5,2),(1127.77,1)}'), ((SELECT vd FROM seg_vd))) AS t(v);
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('short header', '\x0100000000'),
               ('version 2', '\x020000000000'),
               ('version 0', '\x000000000000'),
               ('unknown flag', '\x010100000000'),
               ('negative count', '\x0100ffffffff'),
               ('count above the limit', '\x0100' || int4send(89478484)),
               ('count without customers', '\x010000000001'),
               ('one byte too many', '\x010000000001' || float8send(1) || int4send(1) || '\x00'::bytea),
               ('one byte too few', '\x010000000001' || float8send(1) || substr(int4send(1), 1, 3)),
               ('NaN value', '\x010000000001' || float8send('NaN') || int4send(1)),
               ('infinite value', '\x010000000001' || float8send('Infinity') || int4send(1)),
               ('negative orders', '\x010000000001' || float8send(1) || int4send(-1)),
               ('negative zero', '\x010000000001' || float8send('-0') || int4send(1)),
               ('values descending', '\x010000000002' || float8send(2) || float8send(1) || int4send(1) || int4send(1)),
               ('same value, orders descending', '\x010000000002' || float8send(1) || float8send(1) || int4send(2) || int4send(1))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.value_distribution, %L::bytea)', payload)) AS e;
-- Valid crafted values still read: ties in canonical order, a negative value, the empty summary.
SELECT regress.binary_input(NULL::profiling.value_distribution,
                            '\x010000000003' || float8send(-2.5) || float8send(1) || float8send(1) || int4send(0) || int4send(1) || int4send(1)) AS crafted,
       regress.binary_input(NULL::profiling.value_distribution, '\x010000000000') AS empty;

-- = is "the same customers", by the bytes; <>, the btree order, cmp and both hashes agree with it.
CREATE TABLE seg_eq (id int, what text, vd profiling.value_distribution);
INSERT INTO seg_eq VALUES
  (1, 'base',                       '{(10,1),(20,2),(30,3)}'),
  (2, 'the same, other text',       '{(30.00,3),( 10 ,1),(2e1,2)}'),
  (3, 'a value a cent more',        '{(10,1),(20.01,2),(30,3)}'),
  (4, 'an order more',              '{(10,1),(20,3),(30,3)}'),
  (5, 'orders on another customer', '{(10,2),(20,1),(30,3)}'),
  (6, 'a customer less',            '{(10,1),(20,2)}'),
  (7, 'a customer more',            '{(10,1),(20,2),(30,3),(30,3)}');
SELECT a AS what, eq, ne, lt, le, gt, ge, cmp, same_hash, same_hash_extended, same_bytes
  FROM regress.comparisons('profiling.value_distribution', 'SELECT what, vd FROM seg_eq ORDER BY id')
 WHERE b = 'base' ORDER BY a_row;
-- Over every pair: = is "the same bytes", <> its negation, the operators and cmp one total
-- order, equal values have equal hashes (expect no row).
SELECT a, b
  FROM regress.comparisons('profiling.value_distribution', 'SELECT what, vd FROM seg_eq ORDER BY id')
 WHERE eq IS DISTINCT FROM same_bytes OR ne IS DISTINCT FROM NOT eq
    OR lt IS DISTINCT FROM (cmp < 0) OR le IS DISTINCT FROM (cmp <= 0)
    OR gt IS DISTINCT FROM (cmp > 0) OR ge IS DISTINCT FROM (cmp >= 0)
    OR antisymmetric IS NOT TRUE OR (eq AND NOT (same_hash AND same_hash_extended));
-- GROUP BY, DISTINCT and ORDER BY work on summaries (hash and sort).
SELECT count(DISTINCT vd) AS count_distinct, count(DISTINCT profiling.value_distribution_send(vd)) AS distinct_bytes FROM seg_eq;
SELECT array_agg(id ORDER BY id) AS ids FROM seg_eq GROUP BY vd ORDER BY vd;
SELECT (profiling.value_distribution_hash_extended(vd, 0) & 4294967295) = (profiling.value_distribution_hash(vd)::bigint & 4294967295) AS seed_0_is_the_hash,
       profiling.value_distribution_hash_extended(vd, 0) <> profiling.value_distribution_hash_extended(vd, 1) AS seed_changes_it
  FROM seg_eq WHERE id = 1;
DROP TABLE seg_eq;

-- rollup: summaries of disjoint customers merged give the summary of all of them; NULLs are
-- skipped; no rows give the empty summary.
SELECT profiling.value_distribution_send(profiling.rollup(vd)) = (SELECT profiling.value_distribution_send(vd) FROM seg_vd) AS rollup_of_thirds_is_one_pass
  FROM (SELECT customer_id % 3 AS part,
               profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd
          FROM seg_histories GROUP BY 1
        UNION ALL SELECT NULL, NULL) s;
SELECT profiling.rollup(vd) AS empty FROM seg_vd WHERE false;
SELECT profiling.rollup(vd) AS only_nulls FROM (VALUES (NULL::profiling.value_distribution)) AS t(vd);
-- A customer in two summaries counts twice: rollup is a multiset union.
SELECT profiling.rollup(vd) AS twice FROM (VALUES ('{(1,1)}'::profiling.value_distribution), ('{(1,1),(2,2)}')) AS t(vd);

-- Window use calls the final function again after more rows (FINALFUNC_MODIFY = READ_ONLY):
-- each running summary equals the aggregate over the rows so far.
SELECT customer, profiling.value_distribution(value, orders) OVER (ORDER BY customer) AS running
  FROM seg_customers ORDER BY customer;
SELECT count(*) AS running_summaries,
       count(*) FILTER (WHERE profiling.value_distribution_send(running)
                              = profiling.value_distribution_send((SELECT profiling.value_distribution(profiling.total_spend(s.h), profiling.order_count(s.h))
                                                                     FROM seg_histories s WHERE s.customer_id <= r.customer_id))) AS equal_to_aggregate
  FROM (SELECT customer_id, profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) OVER (ORDER BY customer_id) AS running
          FROM seg_histories) r;

-- ============================================================================================
-- The value structure
-- ============================================================================================

-- deciles: 33 customers, ntile(10) by value descending: bands 1-3 hold 4 customers, 4-10 hold
-- 3. Totals are exact decimal sums, so the last cumulative share is 1.
SELECT * FROM profiling.deciles((SELECT vd FROM seg_vd));
SELECT * FROM profiling.deciles((SELECT vd FROM seg_vd), 4);
-- Bands equal the plain SQL: ntile over the customers, a tie group to its first member's band
-- (expect none listed).
WITH c AS (
    SELECT profiling.total_spend(h) AS v FROM seg_histories
), ranked AS (
    SELECT v, min(nt) OVER (PARTITION BY v) AS band
      FROM (SELECT v, ntile(10) OVER (ORDER BY v DESC) AS nt FROM c) s
), plain AS (
    SELECT band, count(*) AS customers, min(v) AS min_value, max(v) AS max_value, sum(v::numeric) AS total
      FROM ranked GROUP BY band
)
SELECT d.band FROM profiling.deciles((SELECT vd FROM seg_vd)) d FULL JOIN plain p USING (band)
 WHERE d.customers IS DISTINCT FROM p.customers OR d.min_value IS DISTINCT FROM p.min_value
    OR d.max_value IS DISTINCT FROM p.max_value OR d.total_value IS DISTINCT FROM p.total::float8;

-- Hand-made inputs. One customer: band 1 holds it, the others are empty.
SELECT * FROM profiling.deciles('{(42.5,3)}');
-- No customers: every band empty, shares NULL.
SELECT * FROM profiling.deciles('{}', 3);
-- All ties: the whole tie group goes to band 1.
SELECT * FROM profiling.deciles('{(7,1),(7,2),(7,3),(7,4),(7,5)}', 5);
-- Two distinct values, 4 x 10 and 6 x 2 among 10 customers in 4 bands: ntile(4) cuts 3, 3, 2,
-- 2. The 10s begin at rank 1 and all go to band 1, although ntile would put the fourth in band
-- 2; the 2s begin at rank 5, in band 2, and all go there; bands 3 and 4 are empty.
SELECT * FROM profiling.deciles('{(10,1),(10,1),(10,1),(10,1),(2,1),(2,1),(2,1),(2,1),(2,1),(2,1)}', 4);
-- A tie group straddling a boundary: 1, 2, 2, 3 in 2 bands: ntile cuts 3, 2 | 2, 1; the 2s
-- stay in band 1.
SELECT band, customers, min_value, max_value FROM profiling.deciles('{(1,1),(2,1),(2,1),(3,1)}', 2);
-- Fewer customers than bands: one each, then empty bands.
SELECT band, customers, min_value, total_value FROM profiling.deciles('{(1,1),(2,1),(3,1)}', 5);
-- Zero spend: a total of 0 has no shares.
SELECT * FROM profiling.deciles('{(0,1),(0,1),(0,2)}', 2);
-- Negative values (profit): shares of a positive total can leave [0, 1]; a total that is not
-- positive has no shares.
SELECT * FROM profiling.deciles('{(-50,1),(10,1),(100,2),(200,3)}', 4);
SELECT band, total_value, share_of_value, cumulative_share FROM profiling.deciles('{(-50,1),(10,1)}', 2);
-- Huge values: sums beyond float8 are an error, not Infinity.
SELECT band, total_value, share_of_value FROM profiling.deciles('{(1e300,1),(1e300,1),(1e307,1)}', 2);
SELECT e.error_code, e.message FROM regress.error_of($$SELECT * FROM profiling.deciles('{(1.7e308,1),(1.7e308,1)}', 2)$$) e;
-- Values that are no decimals use compensated sums.
SELECT band, total_value, avg_value FROM profiling.deciles('{(0.3333333333333333,1),(0.6666666666666666,1),(1e-20,1)}', 2);
-- bands between 2 and 100.
SELECT count(*) AS rows, sum(customers) AS customers FROM profiling.deciles((SELECT vd FROM seg_vd), 100);
SELECT bands, e.error_code, e.message
  FROM (VALUES (1), (0), (-1), (101)) AS v(bands),
       regress.error_of(format('SELECT * FROM profiling.deciles(''{(1,1)}'', %s)', bands)) AS e;
SELECT count(*) AS null_in_no_rows FROM profiling.deciles(NULL);

-- merge_bands: the ten bands merged into 3 groups by natural breaks of their mean values.
SELECT * FROM profiling.merge_bands((SELECT vd FROM seg_vd), 3);
-- The split is the best of all 36 splits of 10 bands into 3 groups: the within-group sum of
-- squared deviations of the bands' mean values (expect one row, the chosen split, rank 1).
WITH bands AS (
    SELECT band, avg_value FROM profiling.deciles((SELECT vd FROM seg_vd))
), splits AS (
    SELECT a, b FROM generate_series(1, 8) a, generate_series(2, 9) b WHERE a < b
), costs AS (
    SELECT a, b, sum(d) AS cost
      FROM (SELECT a, b, (avg_value - avg(avg_value) OVER (PARTITION BY a, b, CASE WHEN band <= a THEN 1 WHEN band <= b THEN 2 ELSE 3 END))^2 AS d
              FROM splits, bands) s
     GROUP BY a, b
)
SELECT a AS last_of_group_1, b AS last_of_group_2, rank() OVER (ORDER BY cost) AS rank
  FROM costs
 WHERE (a, b) = (SELECT (array_agg(last_band ORDER BY band))[1], (array_agg(last_band ORDER BY band))[2]
                   FROM profiling.merge_bands((SELECT vd FROM seg_vd), 3));
SELECT band, customers, total_value, cumulative_share, first_band, last_band FROM profiling.merge_bands((SELECT vd FROM seg_vd), 1);
SELECT count(*) AS groups, min(last_band - first_band) AS smallest, max(last_band - first_band) AS largest
  FROM profiling.merge_bands((SELECT vd FROM seg_vd), 10);
SELECT band, customers, first_band, last_band FROM profiling.merge_bands((SELECT vd FROM seg_vd), 2, 4);
-- Empty bands weigh nothing: all ties in band 1, the four empty bands go to the groups the
-- tie rule prefers (the first group as short as possible).
SELECT * FROM profiling.merge_bands('{(7,1),(7,2),(7,3),(7,4),(7,5)}', 2, 5);
SELECT band, customers, first_band, last_band FROM profiling.merge_bands('{}', 2, 3);
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.merge_bands(''{(1,1)}'', 11)'), ('profiling.merge_bands(''{(1,1)}'', 0)'),
               ('profiling.merge_bands(''{(1,1)}'', 5, 4)'), ('profiling.merge_bands(''{(1,1)}'', 2, 1)'),
               ('profiling.merge_bands(''{(1,1)}'', 2, 101)')) AS v(call),
       regress.error_of('SELECT * FROM ' || call) AS e;

-- top_share: the share of the total held by the most valuable fraction of the customers.
-- 10, 20, 30, 40 (total 100): the top 25% is 40; the top 30% is 40 + 0.2 x 30.
SELECT f, profiling.top_share('{(10,1),(20,1),(30,1),(40,1)}', f) AS top_share
  FROM (VALUES (0::float8), (0.25), (0.3), (0.5), (0.99), (1)) AS v(f);
-- Inside a tie group the customers taken count with their part of the value: four customers
-- of 10 and one of 0 (total 40); the top 10% is half a customer: 5 of 40.
SELECT profiling.top_share('{(10,1),(10,1),(10,1),(10,1),(0,1)}', 0.1) AS half_a_customer;
-- The tiny warehouse: the top 20% and 30% (the Pareto figures).
SELECT profiling.top_share(vd, 0.2) AS top_20, profiling.top_share(vd, 0.3) AS top_30 FROM seg_vd;
-- No customers, or a total that is not positive: NULL.
SELECT profiling.top_share('{}', 0.2) AS empty, profiling.top_share('{(0,1),(0,2)}', 0.5) AS zero_total,
       profiling.top_share('{(-5,1),(2,2)}', 0.5) AS negative_total;
-- With a customer who loses money the top can hold more than the whole (a whale curve).
SELECT profiling.top_share('{(-50,1),(30,1),(100,1)}', 2.0 / 3) AS top_two_thirds;
SELECT f, e.error_code, e.message
  FROM (VALUES ('NaN'), ('-0.1'), ('1.5'), ('Infinity')) AS v(f),
       regress.error_of(format('SELECT profiling.top_share(''{(1,1)}'', %L)', f)) AS e;

-- gini: sum of (2i - n - 1) v_i / (n sum v), values ascending: 1, 2, 3, 4 give 10 / 40.
SELECT profiling.gini('{(1,1),(2,1),(3,1),(4,1)}') AS one_to_four,
       profiling.gini('{(7,1),(7,2),(7,3)}') AS equal,
       profiling.gini('{(0,1),(0,1),(0,1),(9,1)}') AS one_holds_all,
       profiling.gini('{(5,1)}') AS one_customer,
       profiling.gini('{(1e300,1),(1.7976931348623157e308,1)}') AS huge;
-- The tiny warehouse, and the plain SQL (exact numeric) formula it equals.
SELECT profiling.gini(vd) AS gini,
       abs(profiling.gini(vd) - (SELECT (sum((2 * i - n - 1) * v) / (max(n) * sum(v)))::float8
                                   FROM (SELECT profiling.total_spend(h)::numeric AS v,
                                                row_number() OVER (ORDER BY profiling.total_spend(h)) AS i,
                                                count(*) OVER () AS n FROM seg_histories) s)) < 1e-15 AS equals_plain_sql
  FROM seg_vd;
-- NULL without customers or when every value is 0; negative values are refused.
SELECT profiling.gini('{}') AS empty, profiling.gini('{(0,1),(0,3)}') AS all_zero;
SELECT e.* FROM regress.error_of($$SELECT profiling.gini('{(-0.01,1),(10,1)}')$$) e;

-- lorenz: points + 1 rows from (0, 0) to (1, 1). 10, 20, 30, 40 at quarters: 0.1, 0.3, 0.6;
-- at fifths the curve is interpolated inside a customer.
SELECT * FROM profiling.lorenz('{(10,1),(20,1),(30,1),(40,1)}', 4);
SELECT * FROM profiling.lorenz('{(10,1),(20,1),(30,1),(40,1)}', 5);
SELECT * FROM profiling.lorenz('{(10,1),(20,1)}', 1);
SELECT count(*) AS rows, min(value_share) AS first, max(value_share) AS last,
       bool_and(value_share >= 0 AND value_share <= 1) AS in_range FROM profiling.lorenz((SELECT vd FROM seg_vd));
-- lorenz(f) = 1 - top_share(1 - f) (expect none listed).
SELECT l.customer_share FROM seg_vd, profiling.lorenz(vd, 20) l
 WHERE abs(l.value_share - (1 - profiling.top_share(vd, 1 - l.customer_share))) > 1e-15;
SELECT * FROM profiling.lorenz('{}', 2);
SELECT * FROM profiling.lorenz('{(0,1),(0,1)}', 2);
SELECT points, e.error_code, e.message
  FROM (VALUES (0), (-1), (1000001)) AS v(points),
       regress.error_of(format('SELECT * FROM profiling.lorenz(''{(1,1)}'', %s)', points)) AS e;

-- ============================================================================================
-- Threshold capture
-- ============================================================================================

-- Defaults: hero_min the value deciles (percentile_cont(0.9) .. (0.1), from the top), each
-- repeat_min 2 to 10: here the first deciles and repeat_mins.
SELECT hero_min, repeat_min, vip_customers AS vip, hero_customers AS hero, repeat_customers AS repeat,
       regular_customers AS regular, round(vip_value_share::numeric, 4) AS vip_value,
       round(hero_value_share::numeric, 4) AS hero_value, one_time_heroes
  FROM profiling.threshold_capture((SELECT vd FROM seg_vd))
 WHERE repeat_min IN (2, 10) AND hero_min > 700;
SELECT count(*) AS rows, count(DISTINCT hero_min) AS hero_mins, min(repeat_min), max(repeat_min)
  FROM profiling.threshold_capture((SELECT vd FROM seg_vd));
-- The default hero_mins are percentile_cont's deciles of the values (expect none listed).
SELECT k FROM generate_series(1, 9) k
 WHERE (SELECT percentile_cont(k / 10.0) WITHIN GROUP (ORDER BY profiling.total_spend(h)) FROM seg_histories)
       NOT IN (SELECT hero_min FROM profiling.threshold_capture((SELECT vd FROM seg_vd)));
-- Given thresholds, in the order given: the whole row.
SELECT * FROM profiling.threshold_capture((SELECT vd FROM seg_vd), '{5000,1000}', '{20}');
-- Every row equals value_class over the customers (expect none listed).
WITH grid AS (
    SELECT * FROM profiling.threshold_capture((SELECT vd FROM seg_vd), '{5000,1000,700.8,0,-Infinity,Infinity}', '{1,2,20,34}')
), plain AS (
    SELECT hero_min, repeat_min,
           count(*) FILTER (WHERE class = 'vip') AS vip, count(*) FILTER (WHERE class = 'hero') AS hero,
           count(*) FILTER (WHERE class = 'repeat') AS repeat, count(*) FILTER (WHERE class = 'regular') AS regular,
           coalesce(sum(v) FILTER (WHERE class = 'hero'), 0) / sum(v) AS hero_value,
           count(*) FILTER (WHERE class = 'hero' AND o = 1) AS one_time
      FROM (SELECT profiling.total_spend(h)::numeric AS v, profiling.order_count(h) AS o, hero_min, repeat_min,
                   profiling.value_class(h, hero_min, repeat_min) AS class
              FROM seg_histories, unnest('{5000,1000,700.8,0,-Infinity,Infinity}'::float8[]) hero_min,
                   unnest('{1,2,20,34}'::int[]) repeat_min) s
     GROUP BY hero_min, repeat_min
)
SELECT g.hero_min, g.repeat_min FROM grid g FULL JOIN plain p USING (hero_min, repeat_min)
 WHERE (g.vip_customers, g.hero_customers, g.repeat_customers, g.regular_customers, g.one_time_heroes)
       IS DISTINCT FROM (p.vip, p.hero, p.repeat, p.regular, p.one_time)
    OR abs(g.hero_value_share - p.hero_value::float8) > 1e-15
    OR abs(g.vip_customer_share + g.hero_customer_share + g.repeat_customer_share + g.regular_customer_share - 1) > 1e-15
    OR abs(g.vip_value_share + g.hero_value_share + g.repeat_value_share + g.regular_value_share - 1) > 1e-15;
-- No summary gives no rows; empty arrays no rows; an empty summary zeros and NULL shares.
SELECT count(*) AS null_summary FROM profiling.threshold_capture(NULL);
SELECT count(*) AS no_thresholds FROM profiling.threshold_capture('{(1,1)}', '{}', '{2}');
SELECT count(*) AS no_deciles FROM profiling.threshold_capture('{}');
SELECT * FROM profiling.threshold_capture('{}', '{100}', '{2}');
-- One-time heroes have exactly one order: a hero without orders (a value from elsewhere) is not.
SELECT hero_min, repeat_min, hero_customers, one_time_heroes
  FROM profiling.threshold_capture('{(100,0),(200,1),(300,2),(400,3)}', '{50}', '{1,2,3,4}');
-- NULL arrays are the defaults: only hero_mins given, the repeat_mins are 2 to 10.
SELECT array_agg(repeat_min ORDER BY repeat_min) AS default_repeat_mins
  FROM profiling.threshold_capture('{(1,1),(2,3)}', hero_mins => '{1}');
SELECT array_agg(DISTINCT hero_min ORDER BY hero_min DESC) AS default_hero_mins
  FROM profiling.threshold_capture('{(1,1),(2,3),(2,3),(2,3),(10,1)}', repeat_mins => '{2}');
-- One call takes at most about 7.9 million pairs of thresholds (its result must fit in memory).
SELECT e.error_code, e.message, e.detail
  FROM regress.error_of($$SELECT count(*) FROM profiling.threshold_capture('{(1,1)}', array(SELECT generate_series(1, 3000)::float8),
                                                                         array(SELECT generate_series(1, 3000)))$$) e;
SELECT call, e.error_code, e.message
  FROM (VALUES ('''{1,NULL}'', ''{2}'''), ('''{1}'', ''{2,NULL}'''), ('''{NaN}'', ''{2}'''),
               ('''{1}'', ''{0}'''), ('''{1}'', ''{-1}'''), ('''{{1,2},{3,4}}'', ''{2}'''),
               ('''{1}'', ''{{2}}''')) AS v(call),
       regress.error_of(format('SELECT * FROM profiling.threshold_capture(''{(1,1)}'', %s)', call)) AS e;

-- ============================================================================================
-- Stored values and limits
-- ============================================================================================

-- A stored value this version cannot read is an error (XX001, data corrupted; 0A000 for a newer
-- format), never misread. The header: version, flags, reserved1 (2 bytes), the customer count
-- (4 bytes, machine order), reserved2 (4 bytes); then the columns.
CREATE TABLE seg_raw AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(1.5,1),(2.5,3)}'::profiling.value_distribution) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'version 0', set_byte(raw, 0, 0)),
                       (4, 'a flag', set_byte(raw, 1, 1)),
                       (5, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (6, 'reserved2 not zero', set_byte(raw, 11, 1)),
                       (7, 'negative count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (8, 'last 12 bytes cut off', substr(raw, 1, length(raw) - 12)),
                       (9, 'header cut', substr(raw, 1, 10))) AS v(id, what, bytes);
SELECT what, length(bytes) AS bytes, get_byte(bytes, 0) AS version FROM seg_raw ORDER BY id;
CREATE TABLE seg_calls (call text);
INSERT INTO seg_calls VALUES
  ('v::text'), ('profiling.value_distribution_send(v)'), ('(SELECT count(*) FROM profiling.deciles(v))'),
  ('(SELECT count(*) FROM profiling.merge_bands(v, 2))'), ('profiling.top_share(v, 0.5)'), ('profiling.gini(v)'),
  ('(SELECT count(*) FROM profiling.lorenz(v))'), ('(SELECT count(*) FROM profiling.threshold_capture(v))'),
  ('profiling.rollup(v)'), ('v = v'), ('v < v'), ('profiling.value_distribution_cmp(v, v)'),
  ('profiling.value_distribution_hash(v)'), ('profiling.value_distribution_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM seg_calls, seg_raw, LATERAL regress.error_of_stored(NULL::profiling.value_distribution, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE seg_raw, seg_calls;

-- A summary holds at most 89,478,483 customers (its size must stay under 1 GB); more is an
-- error (54000). Ninety copies of a stored summary of a million customers are 90 million. (It
-- takes a second or two and up to about 1.5 GB of memory.)
CREATE TABLE seg_million AS
SELECT profiling.value_distribution(i % 1000, 1) AS vd FROM generate_series(1, 1000000) i;
SELECT (length(profiling.value_distribution_send(vd)) - 6) / 12 AS customers, pg_column_size(vd) < 12000016 AS compressed FROM seg_million;
SELECT e.* FROM regress.error_of('SELECT profiling.rollup(vd) FROM seg_million, generate_series(1, 90)') e;
DROP TABLE seg_million;

DROP TABLE seg_customers, seg_vd, seg_histories;

-- ============================================================================================
-- RFM: rfm_model, rfm_score
-- ============================================================================================

-- Ten customers: (recency_days, frequency, monetary). Ties on purpose: four customers ordered
-- twice, two spent 100.
CREATE TABLE seg_rfm (id int, recency float8, frequency float8, monetary float8);
INSERT INTO seg_rfm VALUES
  (1, 3, 12, 1500), (2, 10, 6, 820.5), (3, 25, 2, 100), (4, 40, 2, 100), (5, 60, 4, 310),
  (6, 90, 1, 45), (7, 120, 2, 60), (8, 200, 1, 12.99), (9, 365, 2, 230), (10, 400, 1, 20);
-- The cut points are percentile_cont(i / bins) of each metric.
SELECT profiling.rfm_model(recency, frequency, monetary) AS model FROM seg_rfm;
SELECT array[percentile_cont(0.2) WITHIN GROUP (ORDER BY recency), percentile_cont(0.4) WITHIN GROUP (ORDER BY recency),
             percentile_cont(0.6) WITHIN GROUP (ORDER BY recency), percentile_cont(0.8) WITHIN GROUP (ORDER BY recency)] AS recency_cuts,
       array[percentile_cont(0.2) WITHIN GROUP (ORDER BY frequency), percentile_cont(0.4) WITHIN GROUP (ORDER BY frequency),
             percentile_cont(0.6) WITHIN GROUP (ORDER BY frequency), percentile_cont(0.8) WITHIN GROUP (ORDER BY frequency)] AS frequency_cuts
  FROM seg_rfm;
-- Scores: a value equal to a cut point takes the lower score; recency reversed; equal values
-- score the same (customers 3 and 4 spent 100; the four who ordered twice share f).
SELECT id, recency, frequency, monetary, s, profiling.r(s), profiling.f(s), profiling.m(s), s::int AS as_int
  FROM (SELECT r.*, profiling.rfm_score(model, recency, frequency, monetary) AS s
          FROM seg_rfm r, (SELECT profiling.rfm_model(recency, frequency, monetary) AS model FROM seg_rfm) m) x
 ORDER BY id;
-- bins 2 and 3, and 100 (more bins than customers: scores keep 1..100, most unused).
SELECT bins, profiling.rfm_model(recency, frequency, monetary, bins)::text AS model
  FROM seg_rfm, (VALUES (2), (3)) AS b(bins) GROUP BY bins ORDER BY bins;
SELECT profiling.bins(model), s AS score_of_customer_1, profiling.r(s), profiling.f(s), profiling.m(s)
  FROM (SELECT profiling.rfm_model(recency, frequency, monetary, 100) AS model FROM seg_rfm) m,
       LATERAL (SELECT profiling.rfm_score(model, 3, 12, 1500) AS s) x;
-- One customer: every cut point is its value; it scores 1 on f and m (equal to the cut
-- points: the lower score) and bins on r. All equal: the same.
SELECT profiling.rfm_model(7, 2, 50) AS one_customer,
       profiling.rfm_score(profiling.rfm_model(7, 2, 50), 7, 2, 50) AS its_score;
SELECT profiling.rfm_model(7, 2, 50) AS all_equal FROM generate_series(1, 4);
-- No customers, or only all-NULL rows (skipped): NULL, as percentile_cont.
SELECT profiling.rfm_model(recency, frequency, monetary) IS NULL AS none FROM seg_rfm WHERE false;
SELECT profiling.rfm_model(NULL::float8, NULL, NULL) IS NULL AS all_null;
-- Bad input to the aggregate.
SELECT input, e.error_code, e.message, e.detail
  FROM (VALUES ('(1, 1, 1, 1)'), ('(1, 1, 1, 101)'), ('(1, 1, 1, NULL)'), ('(''NaN'', 1, 1, 5)'),
               ('(1, -1, 1, 5)'), ('(1, 1, ''Infinity'', 5)'), ('(NULL, 1, 1, 5)'), ('(1, 1, NULL, 5)'),
               ('(1, 1, 1, 5), (1, 1, 1, 6)')) AS v(input),
       regress.error_of(format('SELECT profiling.rfm_model(r::float8, f::float8, m::float8, b::int) FROM (VALUES %s) AS c(r, f, m, b)', input)) AS e;
-- Bad input to rfm_score; a NULL metric gives NULL (strict).
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.rfm_score(''{{1},{1},{1}}'', ''NaN'', 1, 1)'), ('profiling.rfm_score(''{{1},{1},{1}}'', 1, -0.5, 1)'),
               ('profiling.rfm_score(''{{1},{1},{1}}'', 1, 1, ''-Infinity'')')) AS v(call),
       regress.error_of('SELECT ' || call) AS e;
SELECT profiling.rfm_score('{{1},{1},{1}}', NULL, 1, 1) IS NULL AS null_metric;

-- Explicit cut points. The text form is lossless.
SELECT profiling.rfm_model(array[30, 90, 180, 365], array[1, 2, 4, 8], array[50, 100, 250, 1000]) AS model;
SELECT m::text::profiling.rfm_model = m AS equal,
       profiling.rfm_model_send(m) = profiling.rfm_model_send(m::text::profiling.rfm_model) AS same_bytes
  FROM (SELECT profiling.rfm_model(array[1e-300, 0.1], array[1, 1.7976931348623157e308], array['-0'::float8, 1/3.0])) x(m);
SELECT call, e.error_code, e.message, e.detail
  FROM (VALUES ('array[]::float8[], array[]::float8[], array[]::float8[]'), ('array[1, 2], array[1], array[1, 2]'),
               ('array[2, 1], array[1, 2], array[1, 2]'), ('array[1, NULL], array[1, 2], array[1, 2]'),
               ('array[1, ''NaN'']::float8[], array[1, 2], array[1, 2]'), ('array[-1, 2], array[1, 2], array[1, 2]'),
               ('array[[1, 2]], array[1, 2], array[1, 2]'),
               ('(SELECT array_agg(i) FROM generate_series(1, 100) i), array[1], array[1]')) AS v(call),
       regress.error_of(format('SELECT profiling.rfm_model(%s)', call)) AS e;
SELECT literal, e.error_code, e.message, e.detail
  FROM (VALUES (''), ('{}'), ('{{}}'), ('{{1},{1}}'), ('{{1},{1},{1},{1}}'), ('{{1},{1},{1}'), ('{{1},{1},{1}}x'),
               ('{{1,2},{1},{1}}'), ('{{2,1},{1,2},{1,2}}'), ('{{1},{1},{-1}}'), ('{{1},{1},{NaN}}'),
               ('{{1},{1},{Infinity}}'), ('{{a},{1},{1}}'), ('{{1,},{1},{1}}'), ('{{0x10},{1},{1}}'),
               ('{{1} {1} {1}}'), ('{(1),(1),(1)}'), ('{{1},{1},{1e999}}'), ('[[1],[1],[1]]')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.rfm_model', literal)) AS e;
SELECT ' { { 1 , 2 } , {3,4},{ -0 ,5 } } '::profiling.rfm_model AS blanks_and_minus_zero;
-- Binary form: what send writes, receive reads back; receive trusts nothing.
SELECT profiling.rfm_model_send('{{1},{2},{3}}') AS binary;
SELECT bytes, e.error_code, e.message, e.detail
  FROM (VALUES ('\x010000023ff000000000000040000000000000004008000000000000'), ('\x020000023ff000000000000040000000000000004008000000000000'),
               ('\x010100023ff000000000000040000000000000004008000000000000'), ('\x010000013ff000000000000040000000000000004008000000000000'),
               ('\x01000002bff000000000000040000000000000004008000000000000'), ('\x010000023ff0000000000000400000000000000040080000000000'),
               ('\x0100')) AS v(bytes),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.rfm_model, %L)::text', bytes)) AS e;

-- rfm_score: text '545', or '12-3-45' when a score is above 9; lossless both ways.
SELECT s, s::text::profiling.rfm_score = s AS round_trip, profiling.rfm_score_send(s) AS binary
  FROM (VALUES ('545'::profiling.rfm_score), ('111'), ('5-4-5'), (' 999 '), ('12-3-45'), ('100-100-100'), ('1-10-1')) AS v(s);
SELECT literal, e.error_code, e.message, e.detail
  FROM (VALUES (''), ('55'), ('5455'), ('045'), ('505'), ('5-4'), ('5-4-5-'), ('5--4-5'), ('0-1-1'), ('101-1-1'),
               ('05-4-5'), ('5-4-x'), ('+5-4-5'), ('5 4 5'), ('a45'), ('5-4-5x'), ('1000-1-1'), ('-5-4-5'),
               ('５45'), ('5,4,5')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.rfm_score', literal)) AS e;
SELECT bytes, e.error_code, e.message, e.detail
  FROM (VALUES ('\x050405'), ('\x0504'), ('\x05040500'), ('\x000405'), ('\x650101')) AS v(bytes),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.rfm_score, %L)::text', bytes)) AS e;
-- Ordered by r, then f, then m; hashable (GROUP BY, DISTINCT).
SELECT s FROM (VALUES ('545'::profiling.rfm_score), ('5-10-1'), ('155'), ('511'), ('545'), ('1-1-100')) AS v(s)
 GROUP BY s ORDER BY s;
SELECT '545'::profiling.rfm_score < '5-10-1' AS lt, '545'::profiling.rfm_score = '5-4-5' AS eq,
       '111'::profiling.rfm_score <> '112' AS ne, '9-9-9'::profiling.rfm_score::int AS nine_nine_nine;
SELECT e.* FROM regress.error_of('SELECT ''12-3-45''::profiling.rfm_score::int') e;

-- ============================================================================================
-- Named RFM segments: rfm_segment_map, rfm_segment, check_rfm_segment_map
-- ============================================================================================

-- The shipped map: 11 segments over r and fm = (f + m + 1) / 2, 5 bins, complete and exclusive.
SELECT segment, bins, r_min, r_max, fm_min, fm_max, shipped
  FROM profiling.rfm_segment_map ORDER BY r_max DESC, fm_max DESC;
SELECT * FROM profiling.check_rfm_segment_map();
-- Every cell of the grid: r down, fm across.
SELECT r, string_agg(profiling.rfm_segment(format('%s%s%s', r, fm, fm)::profiling.rfm_score), ' | ' ORDER BY fm) AS "fm 1 | 2 | 3 | 4 | 5"
  FROM generate_series(1, 5) AS r, generate_series(1, 5) AS fm GROUP BY r ORDER BY r DESC;
-- fm is the mean of f and m, halves rounded up: 534 and 543 are fm 4 (Champions), 523 fm 3.
SELECT s, profiling.rfm_segment(s) FROM (VALUES ('534'::profiling.rfm_score), ('543'), ('523'), ('515'), ('551')) AS v(s);
-- The customers of the RFM test above, named.
SELECT id, s, profiling.rfm_segment(s)
  FROM (SELECT r.id, profiling.rfm_score(model, recency, frequency, monetary) AS s
          FROM seg_rfm r, (SELECT profiling.rfm_model(recency, frequency, monetary) AS model FROM seg_rfm) m) x
 ORDER BY id;
-- Strict: NULL in, NULL out.
SELECT profiling.rfm_segment(NULL) IS NULL AS null_score, profiling.rfm_segment('555', NULL) IS NULL AS null_bins;
-- Scores above the bins, bins out of range, bins without a map: errors.
SELECT call, e.error_code, e.message, e.detail, e.hint
  FROM (VALUES ('''655'''), ('''1-1-10'', 9'), ('''111'', 1'), ('''111'', 101'), ('''111'', 3')) AS v(call),
       regress.error_of(format('SELECT profiling.rfm_segment(%s)', call)) AS e;

-- Editing the map. Editing a shipped row takes the whole map of its bins over (shipped = false
-- on every row, so pg_dump keeps all of it).
BEGIN;
UPDATE profiling.rfm_segment_map SET segment = 'Stars' WHERE segment = 'Champions';
SELECT shipped, count(*) FROM profiling.rfm_segment_map GROUP BY shipped;
SELECT profiling.rfm_segment('555');
-- A gap (deleted row): NULL for its scores, and check_rfm_segment_map names its cells.
DELETE FROM profiling.rfm_segment_map WHERE segment = 'Promising';
SELECT profiling.rfm_segment('411') IS NULL AS unmapped;
SELECT * FROM profiling.check_rfm_segment_map();
-- An overlap: an error for its scores (never an arbitrary pick), and the check names both.
INSERT INTO profiling.rfm_segment_map (segment, r_min, r_max, fm_min, fm_max) VALUES ('Promising', 4, 4, 1, 2);
SELECT * FROM profiling.check_rfm_segment_map();
SELECT e.* FROM regress.error_of('SELECT profiling.rfm_segment(''422'')') e;
SELECT profiling.rfm_segment('411') AS no_longer_a_gap;
ROLLBACK;
-- Inserting rows for a bins value replaces its shipped map; a map for 3 bins is a new map.
BEGIN;
INSERT INTO profiling.rfm_segment_map (segment, bins, r_min, r_max, fm_min, fm_max) VALUES
    ('Active', 3, 2, 3, 1, 3), ('Lapsed', 3, 1, 1, 1, 3);
SELECT * FROM profiling.check_rfm_segment_map();
SELECT s, profiling.rfm_segment(s, 3) FROM (VALUES ('333'::profiling.rfm_score), ('211'), ('133')) AS v(s);
INSERT INTO profiling.rfm_segment_map (segment, r_min, r_max, fm_min, fm_max) VALUES ('Everyone', 1, 5, 1, 5);
SELECT segment, bins, shipped FROM profiling.rfm_segment_map ORDER BY bins, segment;
SELECT profiling.rfm_segment('555') AS replaced;
-- The rules of the table.
SELECT row, e.error_code, e.message
  FROM (VALUES ('(''x'', 5, 0, 1, 1, 1)'), ('(''x'', 5, 2, 1, 1, 1)'), ('(''x'', 5, 1, 6, 1, 1)'), ('(''x'', 1, 1, 1, 1, 1)'),
               ('('''', 5, 1, 1, 1, 1)'), ('(NULL, 5, 1, 1, 1, 1)'), ('(''x'', 5, 1, 1, 3, 2)')) AS v(row),
       regress.error_of(format('INSERT INTO profiling.rfm_segment_map (segment, bins, r_min, r_max, fm_min, fm_max) VALUES %s', row)) AS e;
ROLLBACK;
-- pg_dump keeps the rows that are not shipped.
SELECT c.relname, x.extcondition
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(config, extcondition) JOIN pg_class c ON c.oid = x.config
 WHERE e.extname = 'profiling';
-- A real dump and restore (pg_dump | pg_restore between scratch databases, each edit committed):
-- the shipped map restores as shipped; an edited map (a row renamed, one deleted and replaced, a
-- map for 3 bins added) restores exactly, with no shipped row left beside it.
CREATE DATABASE regression_dump_src;
CREATE DATABASE regression_dump_shipped;
CREATE DATABASE regression_dump_edited;
\setenv MAP_QUERY 'SELECT concat_ws(\' \', bins, r_min, r_max, fm_min, fm_max, shipped, segment) FROM profiling.rfm_segment_map ORDER BY bins, r_min, fm_min, segment'
\! psql -X -q -At -d regression_dump_src -c 'CREATE EXTENSION profiling'
\! pg_dump -Fc regression_dump_src | pg_restore -d regression_dump_shipped
\! psql -X -q -At -d regression_dump_src -c "$MAP_QUERY" > results/dump_shipped_before.txt
\! psql -X -q -At -d regression_dump_shipped -c "$MAP_QUERY" | diff results/dump_shipped_before.txt - && echo 'shipped map: restored exactly'
\! psql -X -q -At -d regression_dump_src -c "UPDATE profiling.rfm_segment_map SET segment = 'Stars' WHERE segment = 'Champions'" -c "DELETE FROM profiling.rfm_segment_map WHERE segment = 'Lost'" -c "INSERT INTO profiling.rfm_segment_map (segment, r_min, r_max, fm_min, fm_max) VALUES ('Gone', 1, 1, 1, 2)" -c "INSERT INTO profiling.rfm_segment_map (segment, bins, r_min, r_max, fm_min, fm_max) VALUES ('Active', 3, 2, 3, 1, 3), ('Lapsed', 3, 1, 1, 1, 3)"
\! pg_dump -Fc regression_dump_src | pg_restore -d regression_dump_edited
\! psql -X -q -At -d regression_dump_src -c "$MAP_QUERY" > results/dump_edited_before.txt
\! psql -X -q -At -d regression_dump_edited -c "$MAP_QUERY" | diff results/dump_edited_before.txt - && echo 'edited map: restored exactly'
\! psql -X -q -At -d regression_dump_edited -c "$MAP_QUERY"
\! psql -X -q -At -d regression_dump_edited -c "SELECT profiling.rfm_segment('555'), profiling.rfm_segment('111'), profiling.rfm_segment('133', 3), (SELECT count(*) FROM profiling.check_rfm_segment_map())"
DROP DATABASE regression_dump_src;
DROP DATABASE regression_dump_shipped;
DROP DATABASE regression_dump_edited;

DROP TABLE seg_rfm;
