-- docs_coupons: every SQL example of docs/coupons.md, verbatim and in its order, on the tiny
-- sample warehouse (schema shop, built by setup), then every example statement of its Errors
-- table. test/pgtap/docs.sql checks that each example is here, that each result the page shows
-- is the output of its own query below, and that each error example raises the SQLSTATE the
-- page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders
 GROUP BY customer_id;

SELECT customer_id,
       profiling.order_count(h) AS orders,
       profiling.full_price_orders(h) AS full_price,
       round(profiling.coupon_order_rate(h)::numeric, 2) AS coupon_order_rate,
       round(profiling.coupon_intensity(h)::numeric, 4) AS intensity,
       profiling.coupon_dependence(h) AS dependence
  FROM shop.histories
 WHERE customer_id IN (1, 10, 12, 13, 33)
 ORDER BY customer_id;

SELECT profiling.coupon_intensity('{(2025-03-01 10:00:00+00,100,20)}') AS gross,
       profiling.coupon_intensity('{(2025-03-01 10:00:00+00,120,20)}') AS "net + coupon";

SELECT profiling.coupon_dependence(h) AS dependence,
       profiling.coupon_dependence(h, occasional_max => 0.1, dependent_min => 0.2) AS stricter,
       count(*) AS customers
  FROM shop.histories
 GROUP BY 1, 2
 ORDER BY 1, 2;

SELECT range_agg(tstzrange(starts_at, ends_at)) AS promotions
  FROM shop.promotions
 WHERE starts_at >= '2025-01-01';

SELECT customer_id, s.orders_share, round(s.spend_share::numeric, 4) AS spend_share
  FROM shop.histories,
       profiling.promotion_share(h, (SELECT range_agg(tstzrange(starts_at, ends_at)) FROM shop.promotions)) AS s
 WHERE s.orders_share > 0.3
 ORDER BY customer_id;

SELECT t.period_start::date AS quarter, t.orders, t.coupon_orders, t.spend, t.coupon_amount,
       round(t.intensity::numeric, 4) AS intensity,
       round(t.cumulative_intensity::numeric, 4) AS cumulative
  FROM shop.histories, profiling.coupon_trend(h, '3 months', '2024-01-01', '2025-12-31') AS t
 WHERE customer_id = 10;

SELECT (profiling.attitude_policy()).*;

SELECT customer_id,
       profiling.attitude(h, '2026-01-01') AS attitude,
       profiling.attitude(h, '2026-01-01',
                          promotions => (SELECT range_agg(tstzrange(starts_at, ends_at)) FROM shop.promotions)) AS with_promotions,
       profiling.attitude(h, '2026-01-01', profiling.attitude_policy(within => '6 months', min_purchase_days => 3)) AS stricter
  FROM shop.histories
 WHERE customer_id IN (1, 10, 12, 13, 33)
 ORDER BY customer_id;

SELECT profiling.attitude(h, '2026-01-01',
                          promotions => (SELECT range_agg(tstzrange(starts_at, ends_at)) FROM shop.promotions)) AS attitude,
       profiling.coupon_dependence(h) AS dependence,
       count(*) AS customers,
       round(sum(profiling.total_spend(h))::numeric, 2) AS value
  FROM shop.histories
 GROUP BY 1, 2
 ORDER BY 1, 2;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES ($$SELECT profiling.coupon_dependence('{}', 0.25, 1.5)$$),
               ($$SELECT profiling.coupon_dependence('{}', 0.6, 0.5)$$),
               ($$SELECT profiling.promotion_share('{(2025-01-10 10:00:00+00,50)}', '{}')$$),
               ($$SELECT * FROM profiling.coupon_trend('{(2025-01-10 10:00:00+00,50)}', '0 days')$$),
               ($$SELECT profiling.attitude('{}', 'infinity')$$),
               ($$SELECT profiling.attitude_policy(uncertain_min => 1.1)$$),
               ($$SELECT profiling.attitude_policy(within => NULL)$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Not in the page: leave the shared database as setup built it.
DROP TABLE shop.histories;
