-- docs_baskets: every SQL example of docs/baskets.md, verbatim and in its order, on the tiny
-- sample warehouse (schema shop, built by setup), then every example statement of its Errors
-- table. test/pgtap/docs.sql checks that each example is here, that each result the page shows
-- is the output of its own query below, and that each error example raises the SQLSTATE the
-- page gives.
SET search_path = public;
SET extra_float_digits = 1;

CREATE TABLE shop.basket_summary AS
SELECT profiling.baskets(items) AS b
  FROM (SELECT array_agg(product_id) AS items FROM shop.order_lines GROUP BY order_id) o;

SELECT b::text = (SELECT b::text FROM shop.basket_summary) AS same_summary,
       (SELECT profiling.baskets(order_id, product_id)::text
          FROM (SELECT * FROM shop.order_lines ORDER BY md5(product_id || '/' || order_id)) shuffled)
         = b::text AS same_when_shuffled,
       profiling.basket_count(b) AS baskets
  FROM (SELECT profiling.baskets(order_id, product_id) AS b FROM shop.order_lines) s;

SELECT antecedent, consequent, pair_count, round(support::numeric, 3) AS support,
       round(confidence::numeric, 3) AS confidence, round(lift::numeric, 3) AS lift,
       round(conviction::numeric, 3) AS conviction
  FROM (SELECT profiling.baskets(items) AS b
          FROM (VALUES ('{beer,diapers,chips}'::text[]), ('{beer,diapers}'), ('{beer,diapers}'), ('{beer,chips}'),
                       ('{beer}'), ('{beer,diapers,chips}'), ('{beer,diapers}')) AS v(items)) s,
       profiling.association_rules(b, min_support => 0.25, min_confidence => 0.5);

SELECT antecedent, consequent, pair_count, antecedent_count, consequent_count,
       round(confidence::numeric, 6) AS confidence, round(lift::numeric, 6) AS lift
  FROM shop.basket_summary, profiling.association_rules(b, min_support => 0.02)
 WHERE antecedent IN ('1', '2') AND consequent IN ('1', '2');

SELECT consequent, pair_count, round(confidence::numeric, 3) AS confidence, round(lift::numeric, 3) AS lift
  FROM shop.basket_summary, profiling.cross_sell(b, 1, 3);

SELECT profiling.pair_error(b) AS pair_error, r.consequent, r.pair_count AS kept_count
  FROM (SELECT profiling.baskets(items, 100) AS b
          FROM (SELECT array_agg(product_id) AS items FROM shop.order_lines GROUP BY order_id) o) s,
       profiling.cross_sell(b, 1, 1) r;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT * FROM profiling.association_rules('{(none,0,0,16)}', 0)$$),
       ($$SELECT * FROM profiling.association_rules('{(none,0,0,16)}', 0.1, -1)$$),
       ($$SELECT * FROM profiling.cross_sell('{(none,0,0,16)}', 'beer', -1)$$),
       ($$SELECT profiling.baskets('{1,2}'::bigint[], 10)$$),
       ($$SELECT profiling.baskets('{1,2}'::bigint[], NULL)$$),
       ($$SELECT profiling.baskets(ARRAY(SELECT generate_series(1, 10001)::bigint))$$),
       ($$SELECT profiling.baskets(7::bigint, i::bigint) FROM generate_series(1, 10001) i$$),
       ($$SELECT profiling.rollup(b) FROM (VALUES ('{(text,1,0,16),("a",1)}'::profiling.baskets), ('{(bigint,1,0,16),(1,1)}')) AS v(b)$$),
       ($$SELECT '{(bigint,1,0,16),(1,2)}'::profiling.baskets$$),
       ($$SELECT '{(text,1,0,16),(beer,1)}'::profiling.baskets$$),
       ($$SELECT '{(bigint,99999999999999999999,0,16)}'::profiling.baskets$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it.
DROP TABLE shop.basket_summary;
