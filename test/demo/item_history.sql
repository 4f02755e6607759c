-- make demo, item_history section: one item history per customer and product, the products
-- ranked by how regularly they are replenished, the customers due this week, and the planted
-- growers and stockpilers told apart.
\pset border 1

CREATE TABLE shop.item_histories AS
SELECT o.customer_id, l.product_id,
       profiling.item_history(o.ordered_at, l.quantity::float8, l.coupon_amount::float8) AS i
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
 GROUP BY o.customer_id, l.product_id;

\echo
\echo '== Products by replenishment regularity (customers with 3 or more purchases of it): typical cycle and regularity'
SELECT product_id, count(*) AS customers,
       justify_hours(date_trunc('hour', percentile_cont(0.5) WITHIN GROUP (ORDER BY profiling.replenishment_cycle(i)))) AS typical_cycle,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY profiling.regularity(i))::numeric, 3) AS typical_regularity
  FROM shop.item_histories
 WHERE profiling.purchases(i) >= 3
 GROUP BY product_id
 ORDER BY typical_regularity, product_id
 LIMIT 10;

\echo
\echo '== Customers due for a product in the week from 2025-06-01 (from their purchases up to then)'
SELECT count(*) AS customer_products, count(DISTINCT h.customer_id) AS customers,
       count(*) FILTER (WHERE t.fact = 'replenisher') AS planted_replenishers
  FROM shop.item_histories h
  LEFT JOIN shop.truth t ON t.fact = 'replenisher' AND (t.customer_id, t.product_id) = (h.customer_id, h.product_id)
 WHERE profiling.next_due(profiling.as_of(h.i, '2025-06-01')) <@ tstzrange('2025-06-01', '2025-06-08');

\echo
\echo '== Growers and stockpilers told apart (planted truth against what the summaries say)'
SELECT t.fact AS planted, count(*) AS customers,
       count(*) FILTER (WHERE profiling.is_incremental(h.i)) AS incremental,
       count(*) FILTER (WHERE profiling.stockpiling(h.i, p.promotions)) AS stockpiling,
       round(avg(profiling.quantity_slope(h.i))::numeric, 2) AS avg_slope
  FROM shop.truth t
  JOIN shop.item_histories h USING (customer_id, product_id),
       (SELECT range_agg(tstzrange(starts_at, ends_at)) AS promotions FROM shop.promotions) p
 WHERE t.fact IN ('growing_quantity', 'stockpiler', 'replenisher')
 GROUP BY t.fact ORDER BY t.fact;

DROP TABLE shop.item_histories;
