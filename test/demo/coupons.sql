-- make demo, coupons section: the coupon-dependence mix and the attitude mix (customers and
-- value), with promotions counted as discounts, and the customers whose coupon intensity rose
-- most in the last year. Reads shop.purchase_histories, which the purchase-history section
-- builds before it.
\pset border 1

CREATE TEMP TABLE promotion_periods AS
SELECT range_agg(tstzrange(starts_at, ends_at)) AS periods FROM shop.promotions;

\echo
\echo '== Coupon dependence: customers and value per class (occasional: up to 1 order in 4 with a coupon; dependent: half or more)'
SELECT profiling.coupon_dependence(h) AS dependence, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       round(sum(profiling.total_spend(h))::numeric, 2) AS value,
       round((100 * sum(profiling.total_spend(h)) / sum(sum(profiling.total_spend(h))) OVER ())::numeric, 1) AS "value %",
       round(avg(profiling.coupon_intensity(h))::numeric, 3) AS avg_intensity
  FROM shop.purchase_histories
 GROUP BY 1 ORDER BY 1;

\echo
\echo '== Attitude as of 2026-01-01: positive (regular, mostly full price), uncertain (regular, mostly discounted), neutral (buys when the need arises)'
SELECT profiling.attitude(h, '2026-01-01', promotions => p.periods) AS attitude, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       round(sum(profiling.total_spend(h))::numeric, 2) AS value,
       round((100 * sum(profiling.total_spend(h)) / sum(sum(profiling.total_spend(h))) OVER ())::numeric, 1) AS "value %"
  FROM shop.purchase_histories, promotion_periods p
 GROUP BY 1 ORDER BY 1;

\echo
\echo '== The planted kinds: coupon_only, full_price and one_time_opportunistic customers, by class and attitude'
SELECT t.fact, profiling.coupon_dependence(h) AS dependence,
       profiling.attitude(h, '2026-01-01', promotions => p.periods) AS attitude, count(*) AS customers,
       round(avg((profiling.promotion_share(h, p.periods)).orders_share)::numeric, 2) AS avg_promotion_share
  FROM shop.truth t JOIN shop.purchase_histories USING (customer_id), promotion_periods p
 WHERE t.fact IN ('coupon_only', 'full_price', 'one_time_opportunistic')
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

\echo
\echo '== Coupon intensity rising: the ten customers whose intensity rose most from 2024 to 2025 (during slices)'
SELECT customer_id, profiling.order_count(profiling.during(h, '[2024-01-01,2025-01-01)')) AS orders_2024,
       round(profiling.coupon_intensity(profiling.during(h, '[2024-01-01,2025-01-01)'))::numeric, 3) AS intensity_2024,
       profiling.order_count(profiling.during(h, '[2025-01-01,2026-01-01)')) AS orders_2025,
       round(profiling.coupon_intensity(profiling.during(h, '[2025-01-01,2026-01-01)'))::numeric, 3) AS intensity_2025
  FROM shop.purchase_histories
 WHERE profiling.coupon_intensity(profiling.during(h, '[2025-01-01,2026-01-01)'))
       > profiling.coupon_intensity(profiling.during(h, '[2024-01-01,2025-01-01)'))
 ORDER BY profiling.coupon_intensity(profiling.during(h, '[2025-01-01,2026-01-01)'))
          - profiling.coupon_intensity(profiling.during(h, '[2024-01-01,2025-01-01)')) DESC, customer_id
 LIMIT 10;

DROP TABLE promotion_periods;
