-- purchase_history: the summary type, its aggregates and every accessor, with hand-checked
-- values, edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Hand-made orders. ann: three orders, one with a coupon, given out of order. bob: one order.
-- cat: two orders on one day and a zero amount. dan: amounts whose float sum is not exact.
CREATE TABLE ph_orders (customer text, ordered_at timestamptz, amount numeric(12,2), coupon numeric(12,2));
INSERT INTO ph_orders VALUES
  ('ann', '2025-03-01 12:00:00+00', 40.00, 0),
  ('ann', '2025-01-01 09:30:00+00', 25.50, 5.00),
  ('ann', '2025-01-31 09:30:00+00', 10.00, 0),
  ('bob', '2025-02-14 18:45:10.25+00', 1999.99, 0),
  ('cat', '2025-04-10 08:00:00+00', 12.00, 0),
  ('cat', '2025-04-10 20:00:00+00', 0.00, 0),
  ('cat', '2025-04-12 08:00:00+00', 7.25, 7.25),
  ('dan', '2025-05-01 00:00:00+00', 0.10, 0),
  ('dan', '2025-05-02 00:00:00+00', 0.20, 0),
  ('dan', '2025-05-03 00:00:00+00', 0.30, 0);

CREATE TABLE ph AS
SELECT customer, profiling.purchase_history(ordered_at, amount::float8, coupon::float8) AS h
  FROM ph_orders GROUP BY customer;

-- The text form: sorted, UTC, shortest exact amounts; the coupon field only when a coupon exists.
SELECT customer, h FROM ph ORDER BY customer;

-- Every accessor, hand-checked:
-- ann: 3 orders on 3 days, 75.50 spent, 25.1666.. average, 40 max; gaps 30 days and 29 days
-- 02:30, so median and mean both 29 days 13:15; coupon 5 on one order.
SELECT customer,
       profiling.order_count(h) AS orders, profiling.purchase_days(h) AS days,
       profiling.total_spend(h) AS spend, profiling.avg_order_value(h) AS avg,
       profiling.max_order_value(h) AS max,
       profiling.coupon_total(h) AS coupons, profiling.coupon_orders(h) AS coupon_orders
  FROM ph ORDER BY customer;
SELECT customer,
       profiling.first_purchase(h) AS first, profiling.last_purchase(h) AS last,
       profiling.interpurchase_median(h) AS median_gap, profiling.interpurchase_mean(h) AS mean_gap
  FROM ph ORDER BY customer;
SELECT customer,
       profiling.recency(h, '2025-06-01 00:00:00+00') AS recency,
       profiling.tenure(h, '2025-06-01 00:00:00+00') AS tenure,
       (profiling.rfm(h, '2025-06-01 00:00:00+00')).*
  FROM ph ORDER BY customer;

-- Recency equals as_of minus the last order, exactly as timestamptz subtraction writes it.
SELECT customer,
       profiling.recency(h, '2025-06-01 00:00:00+00')
         = '2025-06-01 00:00:00+00'::timestamptz - profiling.last_purchase(h) AS same
  FROM ph ORDER BY customer;

-- total_spend is the exact decimal sum where plain float8 addition is not.
SELECT profiling.total_spend(h) AS total_spend, (SELECT sum(amount::float8) FROM ph_orders WHERE customer = 'dan') AS float_sum
  FROM ph WHERE customer = 'dan';

-- as_of: nothing from the future; the order at exactly as_of counts. Before the first order
-- there is no recency and no tenure, and rfm is (NULL, 0, 0).
SELECT t, profiling.as_of(h, t) AS h,
       profiling.recency(h, t) AS recency, profiling.tenure(h, t) AS tenure, (profiling.rfm(h, t)).*
  FROM ph, (VALUES ('2024-12-31 23:59:59+00'::timestamptz), ('2025-01-01 09:30:00+00'),
                   ('2025-01-31 09:29:59.999999+00'), ('2025-02-15 00:00:00+00')) AS v(t)
 WHERE customer = 'ann' ORDER BY t;
SELECT profiling.recency(h, t) IS NULL AS no_recency, profiling.tenure(h, t) IS NULL AS no_tenure,
       profiling.rfm(h, t) IS NOT DISTINCT FROM (NULL::float8, 0, 0::float8) AS empty_rfm
  FROM ph, (VALUES ('2025-01-01 09:29:59.999999+00'::timestamptz)) v(t) WHERE customer = 'ann';
SELECT profiling.as_of(h, 'infinity') = h AS all_orders,
       profiling.purchase_history_send(profiling.as_of(h, 'infinity')) = profiling.purchase_history_send(h) AS same_bytes,
       profiling.as_of(h, '-infinity') AS no_orders
  FROM ph WHERE customer = 'ann';
-- recency, tenure and rfm need a real as-of time.
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.recency(h, ''infinity'')'), ('profiling.tenure(h, ''-infinity'')'),
               ('profiling.rfm(h, ''infinity'')')) AS v(call),
       regress.error_of(format('SELECT %s FROM ph WHERE customer = ''ann''', call)) AS e;

-- during: a tstzrange with its bounds honoured (the last N days).
SELECT r, profiling.during(h, r) AS h
  FROM ph, (VALUES (tstzrange('2025-01-01 09:30:00+00', '2025-03-01 12:00:00+00')),
                   (tstzrange('2025-01-01 09:30:00+00', '2025-03-01 12:00:00+00', '(]')),
                   (tstzrange(NULL, '2025-02-01')), (tstzrange('2025-02-01', NULL)),
                   ('empty'::tstzrange),
                   (tstzrange('2025-03-01 12:00:00+00', '2025-03-01 12:00:00+00', '[]'))) AS v(r)
 WHERE customer = 'ann' ORDER BY r;
SELECT profiling.order_count(profiling.during(h, tstzrange('2025-06-01'::timestamptz - interval '100 days', '2025-06-01'))) AS orders_last_100_days
  FROM ph WHERE customer = 'ann';

-- orders(h): the orders back, one row each.
SELECT o.* FROM ph, profiling.orders(h) o WHERE customer = 'cat';

-- The empty group: LEFT JOIN rows (all arguments NULL) are skipped, so a customer without
-- orders gets the empty summary, and so does an aggregate over no rows.
SELECT c.name, profiling.purchase_history(o.ordered_at, o.amount::float8, o.coupon::float8) AS h
  FROM (VALUES ('eve'), ('bob')) c(name) LEFT JOIN ph_orders o ON o.customer = c.name
 GROUP BY c.name ORDER BY c.name;
SELECT h, profiling.order_count(h), profiling.purchase_days(h), profiling.total_spend(h),
       profiling.avg_order_value(h), profiling.max_order_value(h),
       profiling.first_purchase(h), profiling.last_purchase(h),
       profiling.recency(h, '2025-06-01'), profiling.tenure(h, '2025-06-01'),
       profiling.interpurchase_median(h), profiling.interpurchase_mean(h),
       profiling.coupon_total(h), profiling.coupon_orders(h), profiling.rfm(h, '2025-06-01')
  FROM (SELECT profiling.purchase_history(ordered_at, amount::float8) AS h FROM ph_orders WHERE false) s;
SELECT count(*) AS empty_orders_rows FROM profiling.orders('{}');
-- NULL in, NULL out for every accessor.
SELECT profiling.order_count(NULL), profiling.total_spend(NULL), profiling.as_of(NULL::profiling.purchase_history, now()),
       profiling.recency('{}', NULL), profiling.rfm(NULL, now());

-- One order: no gaps.
SELECT profiling.interpurchase_median(h) IS NULL AS no_median, profiling.interpurchase_mean(h) IS NULL AS no_mean,
       profiling.tenure(h, profiling.first_purchase(h)) AS tenure_at_first
  FROM ph WHERE customer = 'bob';

-- Orders in any order give the same summary; so do ties (same time, same amount).
SELECT a = b AS order_independent, profiling.purchase_history_send(a) = profiling.purchase_history_send(b) AS same_bytes
  FROM (SELECT (SELECT profiling.purchase_history(ordered_at, amount::float8, coupon::float8 ORDER BY ordered_at DESC) FROM ph_orders) AS a,
               (SELECT profiling.purchase_history(ordered_at, amount::float8, coupon::float8 ORDER BY amount, customer) FROM ph_orders) AS b) s;
SELECT profiling.purchase_history(t, a) AS ties, profiling.order_count(profiling.purchase_history(t, a)) AS orders
  FROM (VALUES ('2025-01-01 10:00+00'::timestamptz, 5::float8), ('2025-01-01 10:00+00', 5), ('2025-01-01 10:00+00', 3)) v(t, a);

-- A coupon of NULL is no coupon; a coupon above the amount is accepted (and kept as given).
SELECT profiling.purchase_history(t, a, c) AS h
  FROM (VALUES ('2025-01-01 10:00+00'::timestamptz, 5::float8, NULL::float8), ('2025-01-02 10:00+00', 5, 8)) v(t, a, c);

-- numeric amounts are read directly (no cast per row) and give the same float8 as ::float8,
-- including values with more digits than a float8 holds.
SELECT left(n::text, 24) AS n, r.read, r.read = n::float8 AS same_as_cast
  FROM (VALUES (0::numeric), (0.00), (0.01), (890.44), (123456789012.34), (99999999999999.99),
               (1e-20), (1e20), (12345678901234567890.123), (0.1234567890123456789),
               (1e-300), (-0.0), (5e-324)) v(n),
       LATERAL (SELECT profiling.total_spend(profiling.purchase_history('2025-01-01+00'::timestamptz, m)) AS read
                  FROM (VALUES (n)) x(m)) r;
SELECT r.read = 1e300::float8 AS huge_same_as_cast
  FROM (SELECT profiling.total_spend(profiling.purchase_history('2025-01-01+00'::timestamptz, 1e300::numeric)) AS read) r;
SELECT profiling.purchase_history(ordered_at, amount, coupon)
       = profiling.purchase_history(ordered_at, amount::float8, coupon::float8) AS numeric_equals_float8,
       profiling.purchase_history_send(profiling.purchase_history(ordered_at, amount, coupon))
       = profiling.purchase_history_send(profiling.purchase_history(ordered_at, amount::float8, coupon::float8)) AS same_bytes
  FROM ph_orders;
SELECT left(n::text, 12) AS n, e.error_code, left(e.message, 50) AS message, e.detail
  FROM (VALUES ('NaN'::numeric), ('Infinity'), ('-0.01'), ('1e400')) v(n),
       regress.error_of(format('SELECT profiling.purchase_history(''2025-01-01 00:00:00+00'', %L::numeric)', n)) e;

-- Time zones: the text form is UTC whatever the session zone; calendar days follow the session
-- TimeZone. These two orders are on one day in UTC, on two days in Tokyo, on one in New York.
CREATE TABLE tz_orders AS
SELECT profiling.purchase_history(t, 10) AS h
  FROM (VALUES ('2025-06-01 14:30:00+00'::timestamptz), ('2025-06-01 15:30:00+00')) v(t);
SET TimeZone = 'Asia/Tokyo';
SELECT h, profiling.purchase_days(h) AS days_tokyo, profiling.first_purchase(h) AS first_tokyo FROM tz_orders;
SET TimeZone = 'America/New_York';
SELECT h, profiling.purchase_days(h) AS days_new_york FROM tz_orders;
-- Input without a zone is read in the session TimeZone, as timestamptz reads it.
SELECT '{(2025-06-01 10:30:00,1)}'::profiling.purchase_history AS new_york_input;
SET TimeZone = 'UTC';
SELECT h, profiling.purchase_days(h) AS days_utc FROM tz_orders;
-- Across a daylight-saving change the gap is absolute time (23 hours over the spring-forward night).
SELECT profiling.interpurchase_median(profiling.purchase_history(t, 1)) AS gap
  FROM (VALUES ('2025-03-08 12:00:00-05'::timestamptz), ('2025-03-09 12:00:00-04')) v(t);

-- Gaps and elapsed times beyond the interval range are errors, not wrapped numbers.
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.tenure(''{(4713-11-24 00:00:00+00 BC,1)}'', ''294276-12-31 00:00:00+00'')'),
               ('profiling.interpurchase_mean(''{(4713-11-24 00:00:00+00 BC,1),(294276-12-31 00:00:00+00,1)}'')'),
               ('profiling.interpurchase_median(''{(4713-11-24 00:00:00+00 BC,1),(294276-12-31 00:00:00+00,1)}'')'),
               ('profiling.rfm(''{(4713-11-24 00:00:00+00 BC,1)}'', ''294276-12-31 00:00:00+00'')')) AS v(call),
       regress.error_of('SELECT ' || call) AS e;
-- The median of an even number of gaps is lo + (hi - lo) * 0.5 with the half rounded to even,
-- as percentile_cont(0.5) computes it: gaps of 1 and 2 microseconds give 1, of 1 and 4 give 3,
-- of 1 and 6 give 3.
SELECT g AS gaps_usec,
       profiling.interpurchase_median(format('{(2025-01-01 00:00:00+00,1),(2025-01-01 00:00:00.%s+00,1),(2025-01-01 00:00:00.%s+00,1)}',
                                             lpad(g[1]::text, 6, '0'), lpad((g[1] + g[2])::text, 6, '0'))::profiling.purchase_history) AS median,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x * interval '1 microsecond') FROM unnest(g) x) AS percentile_cont
  FROM (VALUES ('{1,2}'::int[]), ('{1,4}'), ('{1,6}'), ('{2,3}')) v(g);
-- The median sorts up to 32 gaps by insertion and more with qsort, and keeps up to 64 gaps on
-- the stack: around each limit, odd and even counts, pseudo-random gaps to the microsecond (one
-- in ten 0: two orders at one time), it is percentile_cont(0.5) of the gaps.
WITH g AS (
    SELECT n, i, CASE WHEN sample_warehouse.u(7, 'gap.zero', n, i) < 0.1 THEN 0
                      ELSE floor(sample_warehouse.u(7, 'gap', n, i) * 1e10)::bigint END AS gap
      FROM unnest('{31,32,33,34,63,64,65,66,300,301,1000,1001}'::int[]) n, generate_series(1, n) i
), summaries AS (
    SELECT n, profiling.purchase_history(t, 1) AS h
      FROM (SELECT n, timestamptz '2025-01-01 00:00:00+00' + (sum(gap) OVER (PARTITION BY n ORDER BY i))::float8 * interval '1 microsecond' AS t
              FROM g
            UNION ALL
            SELECT DISTINCT n, timestamptz '2025-01-01 00:00:00+00' FROM g) o
     GROUP BY n
)
SELECT n AS gaps, profiling.interpurchase_median(h) AS median, p.percentile_cont,
       profiling.interpurchase_median(h) = p.percentile_cont AS same, p.shortest
  FROM summaries
  JOIN (SELECT n, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap * interval '1 microsecond') AS percentile_cont,
               min(gap) * interval '1 microsecond' AS shortest
          FROM g GROUP BY n) p USING (n)
 ORDER BY n;
-- A timestamp without time zone names no moment: every overload refuses it (42804, with a hint),
-- with rows or without, instead of reading it silently in the session TimeZone; AT TIME ZONE
-- says which zone the local times are in.
SET TimeZone = 'Europe/Paris';
SELECT args, e.*
  FROM (VALUES ('t, 1::float8'), ('t, 1::float8, 0::float8'), ('t, 1::numeric'), ('t, 1::numeric, 0::numeric')) AS a(args),
       LATERAL (VALUES ('one row', 'VALUES (''2025-01-01 10:00:00''::timestamp)'),
                       ('no rows', 'SELECT ''2025-01-01 10:00:00''::timestamp WHERE false')) AS q(rows, source),
       regress.error_of(format('SELECT profiling.purchase_history(%s) FROM (%s) s(t)', args, source)) AS e
 ORDER BY args, rows;
SELECT profiling.purchase_history('2025-01-01 10:00:00'::timestamp AT TIME ZONE 'America/New_York', 1) AS said_new_york;
-- A date is midnight at the start of that day in the session TimeZone (day-level data such as
-- CDNOW): Paris midnight is 23:00 UTC the day before.
SELECT profiling.purchase_history(d, 1) AS dates_in_paris,
       profiling.purchase_history(d, 1::numeric, 0.5::numeric) AS dates_numeric_coupon,
       profiling.purchase_days(profiling.purchase_history(d, 1)) AS days
  FROM (VALUES ('2025-01-01'::date), ('2025-01-02')) v(d);
SET TimeZone = 'UTC';
-- Text input is ISO 8601, year first, so DateStyle cannot change which day is meant.
SET DateStyle = 'SQL, DMY';
SELECT '{(2025-02-01 00:00:00+00,1)}'::profiling.purchase_history AS iso_under_dmy;
SELECT * FROM regress.error_of($$SELECT '{(01/02/2025 00:00:00+00,1)}'::profiling.purchase_history$$);
SET DateStyle = 'ISO, YMD';

-- Huge and tiny amounts, and zero, survive exactly.
SELECT h, profiling.total_spend(h), profiling.max_order_value(h), h::text::profiling.purchase_history = h AS round_trip,
       profiling.purchase_history_send(h::text::profiling.purchase_history) = profiling.purchase_history_send(h) AS same_bytes
  FROM (SELECT profiling.purchase_history(t, a) AS h
          FROM (VALUES ('2025-01-01+00'::timestamptz, 1e300::float8), ('2025-01-02+00', 5e-324),
                       ('2025-01-03+00', 0), ('2025-01-04+00', 123456789012.34)) v(t, a)) s;
-- Sums beyond float8 are errors (22003), for the total, the mean, the coupons and rfm's monetary.
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.total_spend(h)'), ('profiling.avg_order_value(h)'), ('profiling.coupon_total(h)'),
               ('profiling.rfm(h, ''2025-02-01'')')) AS v(call),
       regress.error_of(format('SELECT %s FROM (SELECT profiling.purchase_history(t, a, a) AS h FROM (VALUES %s) v(t, a)) s', call,
                               $$('2025-01-01+00'::timestamptz, 1.7e308::float8), ('2025-01-02+00', 1.7e308)$$)) AS e;
-- Microseconds and the far past and future round-trip too.
SELECT h, h::text::profiling.purchase_history = h AS round_trip,
       profiling.purchase_history_send(h::text::profiling.purchase_history) = profiling.purchase_history_send(h) AS same_bytes
  FROM (SELECT profiling.purchase_history(t, 1) AS h
          FROM (VALUES ('2025-01-01 00:00:00.000001+00'::timestamptz), ('4713-11-24 00:00:00+00 BC'),
                       ('294276-12-31 23:59:59.999999+00')) v(t)) s;

-- Text round trip, byte for byte, whatever DateStyle and extra_float_digits say.
SET DateStyle = 'SQL, DMY';
SET extra_float_digits = -15;
SELECT customer, h::text::profiling.purchase_history = h AS round_trip,
       profiling.purchase_history_send(h) = profiling.purchase_history_send(h::text::profiling.purchase_history) AS same_bytes
  FROM ph ORDER BY customer;
RESET DateStyle;
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;
-- Input is forgiving: any order, blanks, other zones, a missing coupon; -0 is 0.
SELECT ' { ( 2025-01-02 01:00:00+01 , 2.5 , 0.5 ) , (2025-01-01T00:00:00Z,1) } '::profiling.purchase_history AS h;
SELECT '{(2025-01-01 00:00:00+00,-0)}'::profiling.purchase_history = '{(2025-01-01 00:00:00+00,0)}' AS minus_zero_is_zero,
       profiling.purchase_history_send('{(2025-01-01 00:00:00+00,-0)}')
       = profiling.purchase_history_send('{(2025-01-01 00:00:00+00,0)}') AS same_bytes;

-- jsonb
SELECT jsonb_pretty(h::jsonb) FROM ph WHERE customer = 'ann';
SELECT h::jsonb FROM ph WHERE customer = 'bob';
SELECT '{}'::profiling.purchase_history::jsonb AS empty;
-- A total beyond float8 is null in jsonb (the cast never fails on a valid summary).
SELECT '{(2025-01-01 00:00:00+00,1.7e308),(2025-01-02 00:00:00+00,1.7e308)}'::profiling.purchase_history::jsonb -> 'total_spend' AS overflowing_total;

-- Equality, inequality, hashing: GROUP BY and DISTINCT work on summaries.
SELECT a.customer, b.customer, a.h = b.h AS eq, a.h <> b.h AS ne
  FROM ph a, ph b WHERE a.customer IN ('ann', 'bob') AND b.customer IN ('ann', 'bob') ORDER BY 1, 2;
SELECT count(*) AS distinct_summaries FROM (SELECT DISTINCT h FROM (SELECT h FROM ph UNION ALL SELECT h FROM ph) u) s;
SELECT count(DISTINCT h) AS count_distinct FROM (SELECT h FROM ph UNION ALL SELECT h FROM ph) u;
-- The btree order means nothing about customers (fewer orders first, then bytes) but is total.
SELECT customer, profiling.order_count(h) FROM ph ORDER BY h, customer;
SELECT a.customer, b.customer, a.h < b.h AS lt, a.h <= b.h AS le, a.h > b.h AS gt, a.h >= b.h AS ge,
       profiling.purchase_history_cmp(a.h, b.h) AS cmp
  FROM ph a, ph b WHERE a.customer IN ('ann', 'bob') AND b.customer IN ('ann', 'bob') ORDER BY 1, 2;
SELECT profiling.order_count(h), count(*) FROM (SELECT h FROM ph UNION ALL SELECT h FROM ph) u GROUP BY h ORDER BY 1, 2;
SELECT profiling.purchase_history_hash(h) = profiling.purchase_history_hash(h::text::profiling.purchase_history) AS same_hash
  FROM ph WHERE customer = 'ann';

-- = compares every byte, not only the order count: summaries of three orders that differ from
-- the first in one time (a microsecond), one amount (a cent), one coupon (a cent), or where the
-- coupon is. <>, the btree order, cmp and both hashes agree with =, and so do the bytes (send).
CREATE TABLE eq_cases (id int, what text, h profiling.purchase_history);
INSERT INTO eq_cases VALUES
  (1, 'base',                        '{(2025-01-01 10:00:00+00,10,1),(2025-01-02 10:00:00+00,20),(2025-01-03 10:00:00+00,30)}'),
  (2, 'the same orders, other text', '{(2025-01-03 11:00:00+01,30.00,0),(2025-01-01T10:00:00Z,10,1),(2025-01-02 05:00:00-05,20)}'),
  (3, 'a time a microsecond later',  '{(2025-01-01 10:00:00+00,10,1),(2025-01-02 10:00:00.000001+00,20),(2025-01-03 10:00:00+00,30)}'),
  (4, 'an amount a cent more',       '{(2025-01-01 10:00:00+00,10,1),(2025-01-02 10:00:00+00,20.01),(2025-01-03 10:00:00+00,30)}'),
  (5, 'the coupon a cent more',      '{(2025-01-01 10:00:00+00,10,1.01),(2025-01-02 10:00:00+00,20),(2025-01-03 10:00:00+00,30)}'),
  (6, 'the coupon on another order', '{(2025-01-01 10:00:00+00,10),(2025-01-02 10:00:00+00,20,1),(2025-01-03 10:00:00+00,30)}'),
  (7, 'no coupon',                   '{(2025-01-01 10:00:00+00,10),(2025-01-02 10:00:00+00,20),(2025-01-03 10:00:00+00,30)}'),
  (8, 'an order less',               '{(2025-01-01 10:00:00+00,10,1),(2025-01-02 10:00:00+00,20)}');
SELECT b.what, b.h = a.h AS eq, b.h <> a.h AS ne, b.h < a.h AS lt, b.h <= a.h AS le, b.h > a.h AS gt, b.h >= a.h AS ge,
       profiling.purchase_history_cmp(b.h, a.h) AS cmp,
       profiling.purchase_history_hash(b.h) = profiling.purchase_history_hash(a.h) AS same_hash,
       profiling.purchase_history_hash_extended(b.h, 7) = profiling.purchase_history_hash_extended(a.h, 7) AS same_hash_extended,
       profiling.purchase_history_send(b.h) = profiling.purchase_history_send(a.h) AS same_bytes
  FROM eq_cases a, eq_cases b WHERE a.id = 1 ORDER BY b.id;
-- Over every pair: = is "the same bytes", <> its negation, the operators and cmp one order
-- (antisymmetric), equal summaries have equal hashes (expect no row).
SELECT a.what, b.what
  FROM eq_cases a, eq_cases b
 WHERE (a.h = b.h) IS DISTINCT FROM (profiling.purchase_history_send(a.h) = profiling.purchase_history_send(b.h))
    OR (a.h <> b.h) IS DISTINCT FROM NOT (a.h = b.h)
    OR (a.h < b.h) IS DISTINCT FROM (profiling.purchase_history_cmp(a.h, b.h) < 0)
    OR (a.h <= b.h) IS DISTINCT FROM (profiling.purchase_history_cmp(a.h, b.h) <= 0)
    OR (a.h > b.h) IS DISTINCT FROM (profiling.purchase_history_cmp(a.h, b.h) > 0)
    OR (a.h >= b.h) IS DISTINCT FROM (profiling.purchase_history_cmp(a.h, b.h) >= 0)
    OR profiling.purchase_history_cmp(a.h, b.h) IS DISTINCT FROM -profiling.purchase_history_cmp(b.h, a.h)
    OR (a.h = b.h AND (profiling.purchase_history_hash(a.h) <> profiling.purchase_history_hash(b.h)
                       OR profiling.purchase_history_hash_extended(a.h, 7) <> profiling.purchase_history_hash_extended(b.h, 7)));
SELECT count(DISTINCT h) AS distinct_summaries, count(DISTINCT profiling.purchase_history_send(h)) AS distinct_bytes FROM eq_cases;
DROP TABLE eq_cases;

-- hash_extended, the support function of hash partitioning: the same for equal summaries,
-- another value with another seed, and with seed 0 its low 32 bits are the 32-bit hash.
SELECT customer,
       profiling.purchase_history_hash_extended(h, 0) = profiling.purchase_history_hash_extended(h::text::profiling.purchase_history, 0) AS copies_agree,
       profiling.purchase_history_hash_extended(h, 1) = profiling.purchase_history_hash_extended(h::text::profiling.purchase_history, 1) AS copies_agree_seeded,
       profiling.purchase_history_hash_extended(h, 0) <> profiling.purchase_history_hash_extended(h, 1) AS seed_changes_it,
       (profiling.purchase_history_hash_extended(h, 0) & 4294967295) = (profiling.purchase_history_hash(h)::bigint & 4294967295) AS seed_0_is_the_hash
  FROM ph ORDER BY customer;
SELECT count(DISTINCT profiling.purchase_history_hash_extended(h, 0)) AS distinct_hashes FROM ph;
-- A table partitioned by hash of a summary column: each summary is found, in its partition only.
CREATE TABLE ph_by_hash (customer text, h profiling.purchase_history) PARTITION BY HASH (h);
CREATE TABLE ph_by_hash_0 PARTITION OF ph_by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ph_by_hash_1 PARTITION OF ph_by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO ph_by_hash SELECT customer, h FROM ph;
SELECT customer,
       (SELECT array_agg(p.customer) FROM ph_by_hash p WHERE p.h = ph.h::text::profiling.purchase_history) AS found,
       (SELECT satisfies_hash_partition('ph_by_hash'::regclass, 2, right(p.tableoid::regclass::text, 1)::int, p.h)
          FROM ph_by_hash p WHERE p.customer = ph.customer) AS in_its_partition
  FROM ph ORDER BY customer;
DROP TABLE ph_by_hash;

-- rollup: stored summaries merged give the summary of all their orders; NULLs are skipped.
SELECT profiling.rollup(h) = (SELECT profiling.purchase_history(ordered_at, amount::float8, coupon::float8) FROM ph_orders) AS rollup_equals_one_pass,
       profiling.purchase_history_send(profiling.rollup(h))
       = (SELECT profiling.purchase_history_send(profiling.purchase_history(ordered_at, amount::float8, coupon::float8)) FROM ph_orders) AS same_bytes
  FROM ph;
SELECT profiling.rollup(h) AS h
  FROM (SELECT profiling.as_of(h, '2025-01-15') AS h FROM ph WHERE customer = 'ann'
        UNION ALL SELECT profiling.during(h, tstzrange('2025-01-15', NULL)) FROM ph WHERE customer = 'ann'
        UNION ALL SELECT NULL) s;
SELECT profiling.rollup(h) AS empty FROM ph WHERE false;

-- The aggregates collect orders in chunks of 7, 15, 31, ... slots, an order with a coupon
-- taking two slots that never straddle chunks (src/order_log.h). Every count of 1 to 300
-- orders, with a coupon on every k-th order (k = 1, 2, 3, 7, or none), in time order and in
-- reverse, gives what the same orders give read as text (text input does not use the log).
WITH o AS (
    SELECT n, k, i, timestamptz '2025-01-01 00:00+00' + i * interval '1 hour' AS at, i * 1.25 AS amount,
           CASE WHEN k > 0 AND i % k = 0 THEN 0.5 ELSE 0 END AS coupon
      FROM generate_series(1, 300) n, unnest(ARRAY[0, 1, 2, 3, 7]) k, generate_series(1, n) i
)
SELECT count(*) AS summaries,
       count(*) FILTER (WHERE in_order = from_text AND reversed = from_text) AS equal_to_text,
       count(*) FILTER (WHERE profiling.purchase_history_send(in_order) = profiling.purchase_history_send(from_text)
                          AND profiling.purchase_history_send(reversed) = profiling.purchase_history_send(from_text)) AS same_bytes
  FROM (SELECT profiling.purchase_history(at, amount, coupon) AS in_order,
               profiling.purchase_history(at, amount, coupon ORDER BY i DESC) AS reversed,
               ('{' || string_agg(format('(%s+00,%s,%s)', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                                         amount, coupon), ',') || '}')::profiling.purchase_history AS from_text
          FROM o GROUP BY n, k) s;

-- Bad orders: a clean error with its SQLSTATE and the value named; none is dropped silently.
SELECT input, e.*
  FROM (VALUES ('(''2025-01-01+00'', NULL)'), ('(NULL, 12.5)'), ('(''2025-01-01+00'', ''NaN'')'),
               ('(''2025-01-01+00'', ''Infinity'')'), ('(''2025-01-01+00'', -3.5)'),
               ('(''2025-01-01+00'', 3.5, -1)'), ('(''2025-01-01+00'', 3.5, ''-Infinity'')'),
               ('(''2025-01-01+00'', 3.5, ''NaN'')'),
               ('(''infinity'', 1)'), ('(''-infinity'', 1)'), ('(''infinity'', NULL)')) AS v(input),
       regress.error_of(format('SELECT profiling.purchase_history(%s) FROM (VALUES %s) v(t, a%s)',
                               CASE WHEN input LIKE '%,%,%' THEN 't::timestamptz, a::float8, c::float8' ELSE 't::timestamptz, a::float8' END,
                               input,
                               CASE WHEN input LIKE '%,%,%' THEN ', c' ELSE '' END)) AS e;
SELECT e.* FROM regress.error_of('SELECT profiling.purchase_history(t, a) FROM (VALUES (NULL::timestamptz, 1e400::numeric)) v(t, a)') e;
-- The support functions are not callable outside an aggregate.
SELECT * FROM regress.error_of('SELECT profiling.purchase_history_final(NULL::internal)');
SELECT * FROM regress.error_of('SELECT profiling.purchase_history_trans(NULL::internal, now(), 1)');

-- Wrong arguments: errors from the type system or the argument's own input, never a crash.
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.order_count(42)'),
               ('profiling.recency(''{}'', ''not a time'')'),
               ('profiling.during(''{}''::profiling.purchase_history, ''[2025-02-01,2025-01-01)'')'),
               ('profiling.as_of(''{}'', 1)'),
               ('profiling.purchase_history(now(), ''abc'')'),
               ('profiling.purchase_history(''2025-01-01'', 1, 2, 3)'),
               ('profiling.rollup(''{}''::profiling.purchase_history, 1)')) AS v(call),
       regress.error_of('SELECT ' || call) AS e;

-- Malformed text literals: each a 22P02 (or a range error) saying where the problem is.
SELECT literal, e.*
  FROM (VALUES (''), ('   '), ('{'), ('}'), ('[]'), ('{}x'), ('{} {}'), ('{()}'),
               ('{(2025-01-01)}'), ('{(2025-01-01,)}'), ('{(2025-01-01,1,)}'),
               ('{(2025-01-01,1,2,3)}'), ('{(2025-01-01,1)'), ('{(2025-01-01,1),}'),
               ('{(2025-01-01,1)(2025-01-02,1)}'), ('{(2025-01-01,1);(2025-01-02,1)}'),
               ('{((2025-01-01,1))}'), ('{(,1)}'),
               ('{(2025-13-01,1)}'), ('{(2025-02-30 10:00,1)}'), ('{(yesterday,1)}'),
               ('{(2025-01-01 now,1)}'), ('{(infinity,1)}'), ('{(epoch,1)}'),
               ('{(300000-01-01,1)}'), ('{(2025-01-01 10:00 Mars/Olympus,1)}'),
               ('{(2025-01-01,abc)}'), ('{(2025-01-01,1.5.5)}'), ('{(2025-01-01,0x10)}'),
               ('{(2025-01-01,1e999)}'), ('{(2025-01-01,NaN)}'), ('{(2025-01-01,-1)}'),
               ('{(2025-01-01,1,-0.01)}'), ('{(2025-01-01,1,inf)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.purchase_history', literal)) AS e;

-- Binary receive trusts nothing. recv_test() wraps a payload into a one-row binary COPY file
-- (written server-side with lo_export) and COPYs it in, as a client sending binary would.
CREATE FUNCTION recv_test(payload bytea) RETURNS profiling.purchase_history LANGUAGE plpgsql AS $$
DECLARE
    file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea   -- signature, flags, extension
                  || '\x0001'::bytea || int4send(length(payload)) || payload        -- one tuple, one field
                  || '\xffff'::bytea;                                              -- trailer
    lo oid := lo_from_bytea(0, file);
    result profiling.purchase_history;
BEGIN
    PERFORM lo_export(lo, 'profiling_recv_test.bin');
    PERFORM lo_unlink(lo);
    CREATE TEMP TABLE IF NOT EXISTS recv_target (h profiling.purchase_history);
    TRUNCATE recv_target;
    COPY recv_target FROM 'profiling_recv_test.bin' WITH (FORMAT binary);
    SELECT h INTO result FROM recv_target;
    RETURN result;
END $$;
-- What send writes, recv reads back identically.
SELECT customer, recv_test(profiling.purchase_history_send(h)) = h AS binary_round_trip,
       recv_test(profiling.purchase_history_send(h))::text = h::text AS same_text
  FROM ph ORDER BY customer;
SELECT profiling.purchase_history_send(h) AS ann_binary FROM ph WHERE customer = 'ann';
SELECT recv_test('\x010000000000') AS empty;
-- Truncated and corrupted values.
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('short header', '\x0100000000'),
               ('version 2', '\x020000000000'),
               ('unknown flag', '\x010200000000'),
               ('negative count', '\x0100ffffffff'),
               ('huge count', '\x01007fffffff'),
               ('count without orders', '\x010000000001'),
               ('one byte too many', '\x010000000001' || int8send(0) || float8send(1) || '\x00'::bytea),
               ('one byte too few', '\x010000000001' || int8send(0) || substr(float8send(1), 1, 7)),
               ('empty with coupon column', '\x010100000000'),
               ('time out of range', '\x010000000001' || int8send(9223372036854775807) || float8send(1)),
               ('NaN amount', '\x010000000001' || int8send(0) || float8send('NaN')),
               ('negative amount', '\x010000000001' || int8send(0) || float8send(-1)),
               ('negative zero', '\x010000000001' || int8send(0) || float8send('-0')),
               ('unsorted', '\x010000000002' || int8send(10) || int8send(0) || float8send(1) || float8send(1)),
               ('same time, amounts descending', '\x010000000002' || int8send(0) || int8send(0) || float8send(2) || float8send(1)),
               ('same time and amount, coupons descending', '\x010100000002' || int8send(0) || int8send(0) || float8send(1) || float8send(1) || float8send(0.5) || float8send(0.25)),
               ('all-zero coupons', '\x010100000001' || int8send(0) || float8send(1) || float8send(0)),
               ('negative coupon', '\x010100000001' || int8send(0) || float8send(1) || float8send(-2))) AS v(what, payload),
       regress.error_of(format('SELECT recv_test(%L::bytea)', payload)) AS e;
-- Valid, non-trivial binary values still read.
SELECT recv_test('\x010100000002' || int8send(0) || int8send(86400000000) || float8send(1) || float8send(2.5) || float8send(0) || float8send(0.5)) AS h;

DROP FUNCTION recv_test(bytea);

-- A stored value this version cannot read is an error (XX001, data corrupted), never misread: a
-- format version other than 1, unknown flags, reserved fields that are not zero, a count that
-- does not fit. No SQL can write such a value (input, receive and the aggregates all check), so
-- the test stores one through the catalog: the column of stored_raw is declared bytea and holds
-- the raw bytes of a valid summary, edited; setting the column's type to purchase_history in
-- pg_attribute (tests run as superuser) then hands those very bytes to the type's functions.
-- Both types are variable-length, so only the column's type changes, not how its rows are laid
-- out. raw_bytes() reads the bytes of a valid summary the same way, the other way round.
CREATE TABLE stored_raw (h bytea);
CREATE FUNCTION stored_raw_is(type regtype) RETURNS void LANGUAGE sql AS $$
    UPDATE pg_catalog.pg_attribute SET atttypid = type WHERE attrelid = 'stored_raw'::regclass AND attname = 'h';
$$;
-- Dynamic SQL throughout: each statement is planned after the type change before it.
CREATE FUNCTION raw_bytes(h profiling.purchase_history) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
    bytes bytea;
BEGIN
    PERFORM stored_raw_is('profiling.purchase_history');
    EXECUTE 'DELETE FROM stored_raw';
    EXECUTE 'INSERT INTO stored_raw VALUES ($1)' USING h;
    PERFORM stored_raw_is('bytea');
    EXECUTE 'SELECT h FROM stored_raw' INTO bytes;
    RETURN bytes;
END $$;
CREATE FUNCTION error_of_stored(bytes bytea, call text,
                                OUT error_code text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stored_raw_is('bytea');
    EXECUTE 'DELETE FROM stored_raw';
    EXECUTE 'INSERT INTO stored_raw VALUES ($1)' USING bytes;
    PERFORM stored_raw_is('profiling.purchase_history');
    SELECT * INTO error_code, message, detail, hint FROM regress.error_of(format('SELECT %s FROM stored_raw', call));
END $$;
-- The header: version, flags, reserved1 (2 bytes), the order count (4 bytes, in the machine's
-- byte order), reserved2 (4 bytes); then the columns.
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT raw_bytes('{(2025-01-01 00:00:00+00,1.5,0.5),(2025-01-02 00:00:00+00,2.5)}') AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'version 0', set_byte(raw, 0, 0)),
                       (4, 'unknown flag', set_byte(raw, 1, get_byte(raw, 1) | 128)),
                       (5, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (6, 'reserved2 not zero', set_byte(raw, 11, 1)),
                       (7, 'negative count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (8, 'last 24 bytes cut off', substr(raw, 1, length(raw) - 24))) AS v(id, what, bytes)
 ORDER BY id;
SELECT what, length(bytes) AS bytes, get_byte(bytes, 0) AS version, get_byte(bytes, 1) AS flags FROM raw_cases ORDER BY id;
CREATE TABLE stored_calls (call text);
INSERT INTO stored_calls VALUES
  ('h::text'), ('profiling.purchase_history_send(h)'), ('h::jsonb'), ('profiling.order_count(h)'),
  ('profiling.purchase_days(h)'), ('profiling.total_spend(h)'), ('profiling.avg_order_value(h)'),
  ('profiling.max_order_value(h)'), ('profiling.first_purchase(h)'), ('profiling.last_purchase(h)'),
  ('profiling.recency(h, ''2026-01-01'')'), ('profiling.tenure(h, ''2026-01-01'')'),
  ('profiling.interpurchase_median(h)'), ('profiling.interpurchase_mean(h)'), ('profiling.coupon_total(h)'),
  ('profiling.coupon_orders(h)'), ('profiling.rfm(h, ''2026-01-01'')'), ('profiling.as_of(h, ''2026-01-01'')'),
  ('profiling.during(h, tstzrange(NULL, NULL))'), ('(SELECT count(*) FROM profiling.orders(h))'),
  ('profiling.rollup(h)'), ('h = h'), ('h <> h'), ('h < h'), ('profiling.purchase_history_cmp(h, h)'),
  ('profiling.purchase_history_hash(h)'), ('profiling.purchase_history_hash_extended(h, 0)');
-- Every function refuses a value of format version 2 (a newer release's)...
SELECT call, e.error_code, e.message
  FROM stored_calls, raw_cases, LATERAL error_of_stored(bytes, call) e
 WHERE what = 'version 2';
-- ... and every damaged header; the unchanged bytes read back (no error, every call). order_count,
-- which reads only the header, knows the value's size too: a cut-off end is corrupted there as well.
SELECT what, e.error_code, e.message, e.hint, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL error_of_stored(bytes, call) e
 GROUP BY id, what, e.error_code, e.message, e.hint ORDER BY id, e.error_code NULLS FIRST;
-- The trick itself changes nothing: the unchanged bytes are the summary they were read from.
SELECT (error_of_stored(bytes, 'h')).error_code FROM raw_cases WHERE what = 'unchanged';
SELECT h, profiling.purchase_history_send(h)
          = profiling.purchase_history_send('{(2025-01-01 00:00:00+00,1.5,0.5),(2025-01-02 00:00:00+00,2.5)}') AS same_bytes
  FROM stored_raw;
DROP TABLE stored_raw, raw_cases, stored_calls;
DROP FUNCTION raw_bytes(profiling.purchase_history), error_of_stored(bytea, text), stored_raw_is(regtype);

-- Stored summaries: large ones are compressed or kept out of line (TOAST), and order_count
-- reads only their header; every form reads back the same.
CREATE TABLE stored (storage text, h profiling.purchase_history);
INSERT INTO stored
SELECT 'compressed', profiling.purchase_history('2025-01-01+00'::timestamptz + i * interval '1 hour', 10)
  FROM generate_series(1, 5000) i;
CREATE TABLE stored_external (storage text, h profiling.purchase_history);
ALTER TABLE stored_external ALTER COLUMN h SET STORAGE external;
INSERT INTO stored_external SELECT 'external', h::text::profiling.purchase_history FROM stored;  -- a fresh, uncompressed value
INSERT INTO stored VALUES ('empty', '{}'), ('one order', '{(2025-01-01 00:00:00+00,1)}');
SELECT storage, profiling.order_count(h), profiling.total_spend(h), pg_column_size(h) AS stored_bytes,
       h = (SELECT h FROM stored WHERE storage = 'compressed') AS same_as_compressed,
       profiling.purchase_history_send(h) = (SELECT profiling.purchase_history_send(h) FROM stored WHERE storage = 'compressed') AS same_bytes
  FROM (SELECT * FROM stored UNION ALL SELECT * FROM stored_external) s ORDER BY storage;
DROP TABLE stored, stored_external;

-- A compensated sum whose parts are finite can still round past float8: an error, not Infinity
-- (and null in jsonb, whose cast never fails on a valid summary).
SELECT e.error_code, e.message
  FROM regress.error_of($$SELECT profiling.total_spend('{(2025-01-01 00:00:00+00,1.7976931348623157e+308),(2025-01-02 00:00:00+00,4.9896007738368e+291),(2025-01-03 00:00:00+00,4.9896007738368e+291)}')$$) e;
SELECT '{(2025-01-01 00:00:00+00,1.7976931348623157e+308),(2025-01-02 00:00:00+00,4.9896007738368e+291),(2025-01-03 00:00:00+00,4.9896007738368e+291)}'::profiling.purchase_history::jsonb -> 'total_spend' AS rounding_past_float8;

-- recency_days(h, as_of): a number of days, so that recency_days(h, t) > 90 reads as it should;
-- the same value as rfm's recency_days; NULL when no order is at or before as_of.
SELECT customer, t, profiling.recency_days(h, t) AS recency_days,
       profiling.recency_days(h, t) IS NOT DISTINCT FROM (profiling.rfm(h, t)).recency_days AS same_as_rfm,
       profiling.recency_days(h, t) IS NOT DISTINCT FROM extract(epoch FROM profiling.recency(h, t))::float8 / 86400 AS same_as_recency
  FROM ph, (VALUES ('2024-12-31 00:00:00+00'::timestamptz), ('2025-01-01 09:30:00+00'), ('2025-06-01 00:00:00+00')) AS v(t)
 WHERE customer IN ('ann', 'bob') ORDER BY customer, t;
SELECT count(*) AS recent_customers FROM ph WHERE profiling.recency_days(h, '2025-06-01') < 90;
SELECT profiling.recency_days('{}', '2025-06-01') AS empty, profiling.recency_days(NULL, now()) AS null_summary;
SELECT e.* FROM regress.error_of($$SELECT profiling.recency_days('{(2025-01-01 00:00:00+00,1)}', 'infinity')$$) e;

-- A summary holds at most 44,739,241 orders (its size must stay under 1 GB); more is an error
-- (54000). Forty-five copies of a stored summary of a million orders are 45 million orders:
-- with a coupon on every order the aggregate's order log passes its bound while the rows are
-- added; without coupons the final function finds too many orders. (Each takes seconds and up to
-- about 2 GB of memory.)
CREATE TABLE million AS
SELECT coupons, profiling.rollup(h) AS h
  FROM (SELECT coupons, profiling.purchase_history(timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second', 1::float8,
                                                   CASE WHEN coupons THEN 0.5 ELSE 0 END::float8) AS h
          FROM (VALUES (false), (true)) v(coupons), generate_series(1, 1000) i GROUP BY coupons) thousand,
       generate_series(1, 1000)
 GROUP BY coupons;
SELECT coupons, profiling.order_count(h), profiling.coupon_orders(h) FROM million ORDER BY coupons;
SELECT coupons, e.*
  FROM (VALUES (false), (true)) v(coupons),
       regress.error_of(format('SELECT profiling.rollup(h) FROM million, generate_series(1, 45) WHERE coupons = %L', coupons)) e;
DROP TABLE million;
DROP TABLE ph, ph_orders, tz_orders;
