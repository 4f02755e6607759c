-- make demo, baskets section: one basket per order, straight from the order lines, the top
-- cross-sell rules of the shop, and the planted strong pair with its strong direction.
\pset border 1

CREATE TABLE shop.basket_summary AS
SELECT profiling.baskets(order_id, product_id) AS b FROM shop.order_lines;

\echo
\echo '== Top cross-sell rules (pairs in at least 2 % of the orders, confidence 30 % or more), by lift'
SELECT antecedent, consequent, pair_count AS orders, round(support::numeric, 3) AS support,
       round(confidence::numeric, 3) AS confidence, round(lift::numeric, 2) AS lift
  FROM shop.basket_summary, profiling.association_rules(b, min_support => 0.02, min_confidence => 0.3)
 ORDER BY lift DESC, antecedent, consequent
 LIMIT 10;

\echo
\echo '== The planted strong pair: A -> B is strong, B -> A is not (truth vs. association_rules)'
SELECT t.fact, t.product_id AS antecedent, t.other_product_id AS consequent, t.value AS planted,
       round(CASE WHEN t.fact = 'strong_pair_support' THEN r.support
                  WHEN t.fact = 'strong_pair_lift' THEN r.lift ELSE r.confidence END::numeric, 6) AS found
  FROM shop.truth t, shop.basket_summary s, profiling.association_rules(s.b, 0.001) r
 WHERE t.fact LIKE 'strong_pair%' AND r.antecedent = t.product_id::text AND r.consequent = t.other_product_id::text
 ORDER BY t.fact;

\echo
\echo '== Customers with product 1 in the basket also buy ...'
SELECT consequent, pair_count AS orders, round(confidence::numeric, 3) AS confidence, round(lift::numeric, 2) AS lift
  FROM shop.basket_summary, profiling.cross_sell(b, 1, 5);

DROP TABLE shop.basket_summary;
