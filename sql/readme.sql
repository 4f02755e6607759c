-- readme: every SQL example of README.md, in order, on the tiny sample warehouse (schema shop,
-- built by setup). test/pgtap/readme.sql checks that each README block appears here verbatim
-- and that the outputs the README shows are the ones below.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.histories AS
SELECT customer_id,
       profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders
 GROUP BY customer_id;

SELECT customer_id,
       profiling.order_count(h)               AS orders,
       profiling.total_spend(h)               AS spend,
       profiling.recency(h, '2026-01-01')     AS recency,
       profiling.interpurchase_median(h)      AS usual_gap
  FROM shop.histories
 ORDER BY spend DESC
 LIMIT 3;

SELECT customer_id,
       profiling.order_count(profiling.as_of(h, '2025-07-01')) AS orders_by_july,
       (profiling.rfm(h, '2025-07-01')).*
  FROM shop.histories
 WHERE customer_id IN (22, 27, 34)   -- a VIP, a customer gone dormant in April, a replenisher
 ORDER BY customer_id;

-- orders of one customer, (time, amount) or (time, amount, coupon)
SELECT profiling.purchase_history(ordered_at, amount) FROM shop.orders WHERE customer_id = 36;
-- merge stored summaries: the same result as one pass over all their orders
SELECT profiling.order_count(profiling.rollup(h)) AS orders,
       profiling.total_spend(profiling.rollup(h)) AS revenue
  FROM shop.histories;

SELECT profiling.order_count(h), profiling.purchase_days(h), profiling.total_spend(h),
       profiling.avg_order_value(h), profiling.max_order_value(h),
       profiling.first_purchase(h), profiling.last_purchase(h),
       profiling.recency(h, '2026-01-01'), profiling.tenure(h, '2026-01-01'),
       profiling.interpurchase_median(h), profiling.interpurchase_mean(h),
       profiling.coupon_total(h), profiling.coupon_orders(h)
  FROM shop.histories WHERE customer_id = 34;

-- orders at or before a time
SELECT profiling.total_spend(profiling.as_of(h, '2025-06-30')) FROM shop.histories WHERE customer_id = 34;
-- orders in a window, bounds as the range says: the last 90 days
SELECT profiling.order_count(profiling.during(h, tstzrange('2026-01-01'::timestamptz - interval '90 days', '2026-01-01')))
  FROM shop.histories WHERE customer_id = 22;

SELECT * FROM profiling.orders((SELECT h FROM shop.histories WHERE customer_id = 34)) LIMIT 3;
SELECT h::jsonb FROM shop.histories WHERE customer_id = 36;

SELECT '{(2025-01-06 10:00:00+00,25),(2025-02-05 10:00:00+00,30)}'::profiling.purchase_history;

-- yesterday's stored summaries + today's new orders = one pass over everything
CREATE TABLE shop.histories_today AS
SELECT customer_id, profiling.rollup(h) AS h
  FROM (SELECT customer_id, h FROM shop.histories
        UNION ALL
        SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount)
          FROM shop.orders WHERE ordered_at >= '2026-01-01' GROUP BY customer_id) s
 GROUP BY customer_id;

SELECT profiling.rfm(h, '2026-01-01') FROM shop.histories WHERE customer_id = 34;
SELECT profiling.recency(h, '2026-01-01'), profiling.tenure(h, '2026-01-01') FROM shop.histories WHERE customer_id = 34;
SELECT profiling.interpurchase_median(h), profiling.interpurchase_mean(h) FROM shop.histories WHERE customer_id = 34;

CALL sample_warehouse.build('shop', 'tiny', 42);   -- 'tiny' | 'small' | 'large', seed
