-- baskets properties on the small sample warehouse: the planted strong pair recovered exactly;
-- every rule = the plain-SQL self-join a user writes (counts exactly; support, confidence and
-- lift to 1e-12 relative); rollup of halves = one pass; serial = parallel; bigint and text items
-- give the same rules; the pair budget's error bound holds. Summaries are compared by their bytes
-- (baskets_send), never with the type's own =; every other comparison is IS DISTINCT FROM or a
-- stated tolerance, so that NULL is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(27);

CALL sample_warehouse.build('tap_bk', 'small', 42);
CREATE TABLE tap_bk.orders_items AS
SELECT order_id, array_agg(product_id) AS items FROM tap_bk.order_lines GROUP BY order_id;
ANALYZE tap_bk.orders_items;

CALL pg_temp.force_serial();
CREATE TABLE tap_bk.one_pass AS SELECT baskets(items) AS b FROM tap_bk.orders_items;
CREATE TABLE tap_bk.rules AS SELECT r.* FROM tap_bk.one_pass, association_rules(b, 0.001) r;

-- The planted truth: the strong pair, its direction, support and lift, as the truth table
-- states them (rounded to 6 decimals there).
SELECT is((SELECT count(*) FROM tap_bk.truth WHERE fact IN ('strong_pair', 'strong_pair_reverse', 'strong_pair_support', 'strong_pair_lift')),
          4::bigint, 'the small warehouse plants the strong pair with its four facts');
SELECT is((SELECT count(*) FROM tap_bk.truth t JOIN tap_bk.rules r
             ON r.antecedent = t.product_id::text AND r.consequent = t.other_product_id::text
            WHERE (t.fact = 'strong_pair' AND round(r.confidence::numeric, 6) = t.value)
               OR (t.fact = 'strong_pair_reverse' AND round(r.confidence::numeric, 6) = t.value)
               OR (t.fact = 'strong_pair_support' AND round(r.support::numeric, 6) = t.value)
               OR (t.fact = 'strong_pair_lift' AND round(r.lift::numeric, 6) = t.value)), 4::bigint,
          'confidence both ways, support and lift of the strong pair match the truth exactly');
SELECT is((SELECT antecedent || ' -> ' || consequent FROM tap_bk.one_pass, cross_sell(b, (SELECT product_id FROM tap_bk.truth WHERE fact = 'strong_pair'), 1)),
          (SELECT product_id || ' -> ' || other_product_id FROM tap_bk.truth WHERE fact = 'strong_pair'),
          'cross_sell of product A puts B first');
SELECT ok((SELECT r.lift > 3 AND r.confidence > 0.9 FROM tap_bk.rules r JOIN tap_bk.truth t
             ON t.fact = 'strong_pair' AND r.antecedent = t.product_id::text AND r.consequent = t.other_product_id::text),
          'the strong pair: confidence above 0.9, lift above 3');

-- Every rule = the plain SQL: the self-join on the order, GROUP BY pair.
CREATE TABLE tap_bk.sql_rules AS
WITH n AS (SELECT count(DISTINCT order_id)::float8 AS n FROM tap_bk.order_lines),
item AS (SELECT product_id, count(DISTINCT order_id) AS c FROM tap_bk.order_lines GROUP BY product_id),
pair AS (SELECT a.product_id AS x, b.product_id AS y, count(*) AS c
           FROM tap_bk.order_lines a JOIN tap_bk.order_lines b ON a.order_id = b.order_id AND a.product_id <> b.product_id
          GROUP BY 1, 2)
SELECT pair.x::text AS antecedent, pair.y::text AS consequent, pair.c AS pair_count, ix.c AS antecedent_count,
       iy.c AS consequent_count, pair.c / n.n AS support, pair.c::float8 / ix.c AS confidence,
       (pair.c::float8 / ix.c) / (iy.c / n.n) AS lift
  FROM pair JOIN item ix ON ix.product_id = pair.x JOIN item iy ON iy.product_id = pair.y, n
 WHERE pair.c / n.n >= 0.001;
SELECT is((SELECT count(*) FROM tap_bk.rules), (SELECT count(*) FROM tap_bk.sql_rules), 'as many rules as the self-join');
SELECT is((SELECT count(*) FROM tap_bk.rules r FULL JOIN tap_bk.sql_rules s USING (antecedent, consequent)
            WHERE (r.pair_count, r.antecedent_count, r.consequent_count) IS DISTINCT FROM (s.pair_count, s.antecedent_count, s.consequent_count)),
          0::bigint, 'every rule: the same pair, antecedent and consequent counts as the self-join');
SELECT is((SELECT count(*) FROM tap_bk.rules r JOIN tap_bk.sql_rules s USING (antecedent, consequent)
            WHERE NOT (abs(r.support - s.support) <= 1e-12 * abs(s.support)
                       AND abs(r.confidence - s.confidence) <= 1e-12 * abs(s.confidence)
                       AND abs(r.lift - s.lift) <= 1e-12 * abs(s.lift))),
          0::bigint, 'every rule: support, confidence and lift within 1e-12 of the self-join');
SELECT is((SELECT count(*) FROM tap_bk.rules
            WHERE conviction IS DISTINCT FROM CASE WHEN confidence = 1 THEN 'Infinity'::float8
                                                   ELSE (1 - consequent_count / (SELECT basket_count(b) FROM tap_bk.one_pass)::float8) / (1 - confidence) END
               OR abs(leverage - (support - antecedent_count * consequent_count / (SELECT basket_count(b) FROM tap_bk.one_pass)::float8 ^ 2)) > 1e-15),
          0::bigint, 'conviction and leverage follow their definitions');

-- bigint and text items give the same rules.
SELECT is((SELECT count(*) FROM (
             (SELECT r.* FROM (SELECT baskets(items::text[]) AS b FROM tap_bk.orders_items) s, association_rules(b, 0.001) r
              EXCEPT ALL SELECT * FROM tap_bk.rules)
             UNION ALL
             (SELECT * FROM tap_bk.rules
              EXCEPT ALL SELECT r.* FROM (SELECT baskets(items::text[]) AS b FROM tap_bk.orders_items) s, association_rules(b, 0.001) r)) d),
          0::bigint, 'text items give the same rules as bigint items');

-- rollup of halves, and of a hundred parts, = one pass, byte for byte.
SELECT is((SELECT baskets_send(rollup(b)) FROM (SELECT baskets(items) AS b FROM tap_bk.orders_items GROUP BY order_id % 2) h),
          (SELECT baskets_send(b) FROM tap_bk.one_pass), 'rollup of two halves = one pass');
SELECT is((SELECT baskets_send(rollup(b)) FROM (SELECT baskets(items) AS b FROM tap_bk.orders_items GROUP BY order_id % 100) h),
          (SELECT baskets_send(b) FROM tap_bk.one_pass), 'rollup of a hundred parts = one pass');

-- Parallel = serial.
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT baskets_send(baskets(items))::text FROM tap_bk.orders_items$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'baskets runs as a partial aggregate on two workers',
    (SELECT baskets_send(b)::text FROM tap_bk.one_pass), 'parallel = serial');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT baskets_send(baskets(items))::text FROM tap_bk.orders_items$$),
          (SELECT baskets_send(b)::text FROM tap_bk.one_pass), 'force_parallel_mode = regress gives the same summary');
CALL pg_temp.plan_settings();

-- The pair budget: with 200 counters, every count is within pair_error below the truth, and
-- pair_error within its bound, 2 x pair occurrences / max_pairs.
CREATE TABLE tap_bk.approximate AS SELECT baskets(items, 200) AS b FROM tap_bk.orders_items;
SELECT is((SELECT count(*) FROM tap_bk.approximate a, tap_bk.one_pass e, association_rules(e.b, 0.00001) x
             LEFT JOIN association_rules(a.b, 0.00001) y USING (antecedent, consequent)
            WHERE coalesce(y.pair_count, 0) > x.pair_count OR coalesce(y.pair_count, 0) < x.pair_count - pair_error(a.b)),
          0::bigint, 'approximate: every pair count within pair_error below the exact count');
SELECT ok((SELECT pair_error(b) > 0 AND pair_error(b) <= 2 * (SELECT sum(cardinality(items) * (cardinality(items) - 1) / 2) FROM tap_bk.orders_items) / 200
             FROM tap_bk.approximate),
          'approximate: pair_error above 0 and within 2 x pair occurrences / max_pairs');

-- From the order lines: baskets(order_id, item) = baskets(items) over one array an order, byte
-- for byte, whatever the lines' order: in table order, shuffled, each order in two parts far
-- apart, as text; serial and parallel (the workers' block ranges split orders between them).
CALL pg_temp.force_serial();
CREATE TABLE tap_bk.shuffled_lines AS
SELECT order_id, product_id FROM tap_bk.order_lines ORDER BY md5(order_id || '/' || product_id);
SELECT is((SELECT baskets_send(baskets(order_id, product_id)) FROM tap_bk.order_lines),
          (SELECT baskets_send(b) FROM tap_bk.one_pass), 'lines: the same bytes as one array an order');
SELECT is((SELECT baskets_send(baskets(order_id, product_id)) FROM tap_bk.shuffled_lines),
          (SELECT baskets_send(b) FROM tap_bk.one_pass), 'lines shuffled: the same bytes');
SELECT is((SELECT baskets_send(baskets(order_id, product_id)) FROM (
             SELECT * FROM (SELECT order_id, product_id FROM tap_bk.order_lines WHERE product_id % 2 = 0 OFFSET 0) a
             UNION ALL
             SELECT * FROM (SELECT order_id, product_id FROM tap_bk.order_lines WHERE product_id % 2 = 1 OFFSET 0) b) l),
          (SELECT baskets_send(b) FROM tap_bk.one_pass), 'lines, every order in two parts far apart: the same bytes');
SELECT is((SELECT baskets_send(baskets(order_id, product_id::text)) FROM tap_bk.shuffled_lines),
          (SELECT baskets_send(baskets(items::text[])) FROM tap_bk.orders_items), 'text lines shuffled: the bytes of text arrays');
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT baskets_send(baskets(order_id, product_id))::text FROM tap_bk.order_lines$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'baskets over lines runs as a partial aggregate on two workers',
    (SELECT baskets_send(b)::text FROM tap_bk.one_pass), 'lines: parallel = serial');
SELECT is(pg_temp.value_of($$SELECT baskets_send(baskets(order_id, product_id::text))::text FROM tap_bk.shuffled_lines$$),
          (SELECT baskets_send(baskets(items::text[]))::text FROM tap_bk.orders_items), 'text lines shuffled, parallel: the same bytes');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT baskets_send(baskets(order_id, product_id))::text FROM tap_bk.shuffled_lines$$),
          (SELECT baskets_send(b)::text FROM tap_bk.one_pass), 'lines: force_parallel_mode = regress gives the same summary');
CALL pg_temp.force_serial();
-- Partitionwise aggregation combines the partitions' states in one process, unserialized:
-- partitions by product split every order of several products between them.
CREATE TABLE tap_bk.lines_by_product (order_id bigint, product_id bigint) PARTITION BY RANGE (product_id);
CREATE TABLE tap_bk.lines_low PARTITION OF tap_bk.lines_by_product FOR VALUES FROM (MINVALUE) TO (20);
CREATE TABLE tap_bk.lines_high PARTITION OF tap_bk.lines_by_product FOR VALUES FROM (20) TO (MAXVALUE);
INSERT INTO tap_bk.lines_by_product SELECT order_id, product_id FROM tap_bk.order_lines;
ANALYZE tap_bk.lines_by_product;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT pg_temp.runs_and_gives($$SELECT baskets_send(baskets(order_id, product_id))::text FROM tap_bk.lines_by_product$$,
    'Partial Aggregate(.|\n)*Partial Aggregate', 'partitionwise: a partial aggregate per partition',
    (SELECT baskets_send(b)::text FROM tap_bk.one_pass), 'lines split between partitions: the same bytes');
RESET enable_partitionwise_aggregate;
-- Beyond the pair budget, the lines' counts keep the bound, shuffled too.
SELECT is((SELECT count(*) FROM (SELECT baskets(order_id, product_id, 200) AS b FROM tap_bk.shuffled_lines) a, tap_bk.one_pass e,
                  association_rules(e.b, 0.00001) x LEFT JOIN association_rules(a.b, 0.00001) y USING (antecedent, consequent)
            WHERE coalesce(y.pair_count, 0) > x.pair_count OR coalesce(y.pair_count, 0) < x.pair_count - pair_error(a.b)),
          0::bigint, 'lines shuffled, approximate: every pair count within pair_error below the exact count');

\i test/pgtap/lib/end.psql
