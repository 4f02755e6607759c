-- make demo, paths section: one item sequence per customer, one paths summary within 30 days,
-- and the top shopping paths of the sample warehouse, the planted one marked.
\pset border 1

CREATE TABLE shop.paths_30d AS
SELECT profiling.paths(s, '30 days') AS p
  FROM (SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s
          FROM shop.order_lines l JOIN shop.orders o USING (order_id)
         GROUP BY o.customer_id) q;

\echo
\echo '== Top shopping paths within 30 days (support >= 1 %, confidence >= 0.3), by lift; the planted one marked'
SELECT r.first_item, r.then_item, r.customers, round(r.support::numeric, 3) AS support,
       round(r.confidence::numeric, 3) AS confidence, round(r.lift::numeric, 2) AS lift,
       r.median_lag, t.fact IS NOT NULL AS planted
  FROM shop.paths_30d, profiling.sequence_rules(p, 0.01, 0.3) r
  LEFT JOIN shop.truth t ON t.fact = 'followed_by'
        AND (t.product_id::text, t.other_product_id::text) = (r.first_item, r.then_item)
 ORDER BY r.lift DESC, r.first_item, r.then_item
 LIMIT 10;

\echo
\echo '== The most common shopping paths within 30 days: support first'
SELECT r.first_item, r.then_item, r.customers, round(r.support::numeric, 3) AS support,
       round(r.confidence::numeric, 3) AS confidence, round(r.lift::numeric, 2) AS lift, r.median_lag
  FROM shop.paths_30d, profiling.sequence_rules(p) r
 LIMIT 5;

DROP TABLE shop.paths_30d;
