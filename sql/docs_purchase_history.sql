-- docs_purchase_history: every SQL example of docs/purchase_history.md, verbatim and in its
-- order, on the tiny sample warehouse (schema shop, built by setup), then every example
-- statement of its Errors table. test/pgtap/docs.sql checks that each example is here, that
-- each result the page shows is the output of its own query below, and that each error
-- example raises the SQLSTATE the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.histories AS
SELECT customer_id,
       profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders
 WHERE customer_id IS NOT NULL
 GROUP BY customer_id;

SELECT profiling.purchase_history(ordered_at, amount) FROM shop.orders WHERE customer_id = 36;

SELECT c.customer_id, profiling.purchase_history(o.ordered_at, o.amount) AS h
  FROM shop.customers c LEFT JOIN shop.orders o USING (customer_id)
 WHERE c.customer_id IN (2, 36)
 GROUP BY c.customer_id
 ORDER BY c.customer_id;

SELECT profiling.order_count(h) AS orders, profiling.purchase_days(h) AS days,
       profiling.total_spend(h) AS spend, profiling.avg_order_value(h) AS average,
       profiling.max_order_value(h) AS largest
  FROM shop.histories WHERE customer_id = 34;

SELECT profiling.order_count(h) AS orders, profiling.coupon_orders(h) AS with_coupon,
       profiling.coupon_total(h) AS coupons, profiling.total_spend(h) AS spend
  FROM shop.histories WHERE customer_id = 10;

SELECT profiling.first_purchase(h) AS first, profiling.last_purchase(h) AS last,
       profiling.recency(h, '2026-01-01') AS recency, profiling.tenure(h, '2026-01-01') AS tenure
  FROM shop.histories WHERE customer_id = 34;

SELECT profiling.interpurchase_median(h) AS median_gap, profiling.interpurchase_mean(h) AS mean_gap
  FROM shop.histories WHERE customer_id = 34;

SELECT (profiling.rfm(h, '2026-01-01')).* FROM shop.histories WHERE customer_id = 34;

SELECT count(*) AS quiet_for_90_days
  FROM shop.histories
 WHERE profiling.recency_days(h, '2026-01-01') > 90;

SELECT profiling.order_count(profiling.as_of(h, '2025-06-30')) AS by_june_30,
       profiling.order_count(profiling.as_of(h, '2025-07-01')) AS by_july_1
  FROM shop.histories WHERE customer_id = 6;

SELECT profiling.order_count(profiling.during(h, tstzrange('2026-01-01'::timestamptz - interval '90 days', '2026-01-01')))
  FROM shop.histories WHERE customer_id = 22;

SELECT profiling.total_spend(profiling.during(h, tstzrange('2025-01-01', '2025-07-01')))
  FROM shop.histories WHERE customer_id = 34;

SET TimeZone = 'Asia/Tokyo';
SELECT profiling.purchase_days('{(2025-06-01 14:30:00+00,10),(2025-06-01 15:30:00+00,10)}') AS days_in_tokyo;

SET TimeZone = 'UTC';
SELECT profiling.purchase_days('{(2025-06-01 14:30:00+00,10),(2025-06-01 15:30:00+00,10)}') AS days_in_utc;

SELECT profiling.purchase_history(ordered_at AT TIME ZONE 'Europe/London', amount)
  FROM (VALUES ('2025-07-01 10:00:00'::timestamp, 25.00)) AS o(ordered_at, amount);

SELECT profiling.purchase_history(ordered_on, amount)
  FROM (VALUES ('2025-07-01'::date, 25.00)) AS o(ordered_on, amount);

SELECT '{(2025-01-06 10:00:00+00,25),(2025-02-05 10:00:00+00,30,5)}'::profiling.purchase_history;

SELECT * FROM profiling.orders((SELECT h FROM shop.histories WHERE customer_id = 34)) LIMIT 3;

SELECT h::jsonb FROM shop.histories WHERE customer_id = 36;

SELECT profiling.order_count(profiling.rollup(h)) AS orders,
       profiling.total_spend(profiling.rollup(h)) AS revenue
  FROM shop.histories;

CREATE TABLE shop.histories_today AS
SELECT customer_id, profiling.rollup(h) AS h
  FROM (SELECT customer_id, h FROM shop.histories
        UNION ALL
        SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount)
          FROM shop.orders WHERE ordered_at >= '2026-01-01' GROUP BY customer_id) s
 GROUP BY customer_id;

SELECT count(*) AS unchanged
  FROM shop.histories a JOIN shop.histories_today b USING (customer_id)
 WHERE a.h OPERATOR(profiling.=) b.h;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.purchase_history(t, a) FROM (VALUES ('2025-01-01 10:00:00+00'::timestamptz, NULL::numeric)) AS o(t, a)$$),
       ($$SELECT profiling.purchase_history(t, a) FROM (VALUES (NULL::timestamptz, 12.5)) AS o(t, a)$$),
       ($$SELECT profiling.purchase_history('2025-01-01 10:00:00+00'::timestamptz, -12.5)$$),
       ($$SELECT profiling.purchase_history('2025-01-01 10:00:00+00'::timestamptz, 10, -1)$$),
       ($$SELECT profiling.purchase_history('2025-07-01 10:00:00'::timestamp, 25.00)$$),
       ($$SELECT profiling.purchase_history('infinity'::timestamptz, 10)$$),
       ($$SELECT profiling.recency('{(2025-01-01 10:00:00+00,10)}', 'infinity')$$),
       ($$SELECT profiling.tenure('{(4713-11-24 00:00:00+00 BC,1)}', '294276-12-31 00:00:00+00')$$),
       ($$SELECT profiling.recency_days('{(4713-11-24 00:00:00+00 BC,1)}', '294276-12-31 00:00:00+00')$$),
       ($$SELECT '{(300000-01-01 00:00:00+00,1)}'::profiling.purchase_history$$),
       ($$SELECT profiling.total_spend('{(2025-01-01 00:00:00+00,1.7e308),(2025-01-02 00:00:00+00,1.7e308)}')$$),
       ($$SELECT '{(2025-01-01 00:00:00+00,1e999)}'::profiling.purchase_history$$),
       ($$SELECT '{(2025-01-01 10:00:00+00,abc)}'::profiling.purchase_history$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests create these tables too).
DROP TABLE shop.histories, shop.histories_today;
