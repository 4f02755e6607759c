-- baskets benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the association rules of every pair in at least 0.1 % of the orders, both directions, from
--     the order lines: baskets(order_id, product_id) over the lines and association_rules(),
--     vs. the SQL a user writes: the self-join of the order lines on the order, GROUP BY pair
--     with a support HAVING, joined to the item counts; serial and with 2 workers;
-- (a') the same with one array an order (array_agg per order into baskets(items));
-- (b) the same rules from a stored summary vs. the same SQL;
-- (c) (a) against its floor, a scan of the lines alone (count and sums of both columns), and
--     (a') against its floor, the arrays per order alone.
-- Medians of 3 alternating runs after a warm-up.
-- Every output column is consumed. Peak memory of both sides, and whether either writes temp
-- files, from EXPLAIN ANALYZE.
VACUUM ANALYZE bench_shop.order_lines;

\set a_sql 'SELECT count(*), sum(pair_count), sum(antecedent_count), sum(consequent_count), sum(support), sum(confidence), sum(lift), sum(CASE WHEN confidence = 1 THEN 0 ELSE (1 - consequent_count / n) / (1 - confidence) END), sum(support - antecedent_count / n * consequent_count / n) FROM (SELECT r.*, n.n, r.pair_count / n.n AS support, r.pair_count::float8 / r.antecedent_count AS confidence, r.pair_count::float8 / r.antecedent_count / (r.consequent_count / n.n) AS lift FROM (SELECT ia.product_id AS antecedent, ib.product_id AS consequent, p.c AS pair_count, ia.c AS antecedent_count, ib.c AS consequent_count FROM (SELECT a.product_id AS x, b.product_id AS y, count(*) AS c FROM bench_shop.order_lines a JOIN bench_shop.order_lines b ON a.order_id = b.order_id AND a.product_id < b.product_id GROUP BY 1, 2 HAVING count(*) >= 0.001 * (SELECT count(DISTINCT order_id) FROM bench_shop.order_lines)) p CROSS JOIN LATERAL (VALUES (p.x, p.y), (p.y, p.x)) d(ante, cons) JOIN (SELECT product_id, count(*) AS c FROM bench_shop.order_lines GROUP BY product_id) ia ON ia.product_id = d.ante JOIN (SELECT product_id, count(*) AS c FROM bench_shop.order_lines GROUP BY product_id) ib ON ib.product_id = d.cons) r, (SELECT count(DISTINCT order_id)::float8 AS n FROM bench_shop.order_lines) n) q'
\set a_profiling 'SELECT count(*), sum(pair_count), sum(antecedent_count), sum(consequent_count), sum(support), sum(confidence), sum(lift), sum(CASE WHEN confidence = 1 THEN 0 ELSE conviction END), sum(leverage) FROM (SELECT profiling.baskets(order_id, product_id) AS b FROM bench_shop.order_lines) s, profiling.association_rules(b, 0.001) r'
\set a_arrays 'SELECT count(*), sum(pair_count), sum(antecedent_count), sum(consequent_count), sum(support), sum(confidence), sum(lift), sum(CASE WHEN confidence = 1 THEN 0 ELSE conviction END), sum(leverage) FROM (SELECT profiling.baskets(items) AS b FROM (SELECT array_agg(product_id) AS items FROM bench_shop.order_lines GROUP BY order_id) o) s, profiling.association_rules(b, 0.001) r'
\set b_profiling 'SELECT count(*), sum(pair_count), sum(antecedent_count), sum(consequent_count), sum(support), sum(confidence), sum(lift), sum(CASE WHEN confidence = 1 THEN 0 ELSE conviction END), sum(leverage) FROM bench.stored_baskets, profiling.association_rules(b, 0.001) r'
\set a_summary 'SELECT profiling.baskets(order_id, product_id) FROM bench_shop.order_lines'
\set a_pairs 'SELECT a.product_id, b.product_id, count(*) FROM bench_shop.order_lines a JOIN bench_shop.order_lines b ON a.order_id = b.order_id AND a.product_id < b.product_id GROUP BY 1, 2 HAVING count(*) >= 2143'

\echo 'Check (outside the timing): every side gives the same rules (counts; sums of support, confidence, lift, conviction, leverage), and the lines give the arrays summary byte for byte'
SELECT 'plain SQL' AS side, * FROM (:a_sql) s
UNION ALL
SELECT 'profiling, lines', * FROM (:a_profiling) s
UNION ALL
SELECT 'profiling, arrays', * FROM (:a_arrays) s;
SELECT (SELECT profiling.baskets_send(b) FROM (:a_summary) s(b))
       = (SELECT profiling.baskets_send(profiling.baskets(items)) FROM (SELECT array_agg(product_id) AS items FROM bench_shop.order_lines GROUP BY order_id) o) AS lines_equal_arrays;

\echo '(a) baskets(order_id, product_id) + association_rules from the order lines vs. the self-join with GROUP BY pair and HAVING support'
SELECT * FROM bench.compare('(a) association rules, support 0.1 %', :'a_sql', :'a_profiling', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(a) association rules, support 0.1 %', :'a_sql', :'a_profiling', 2, 3);

\echo '(a'') the same with one array an order: array_agg per order into baskets(items)'
SELECT * FROM bench.compare('(a'') association rules from arrays', :'a_sql', :'a_arrays', 0, 3);

\echo '(b) the same rules from a stored summary vs. the same SQL'
CREATE TABLE bench.stored_baskets AS SELECT b FROM (:a_summary) s(b);
SELECT * FROM bench.compare('(b) association rules, stored summary', :'a_sql', :'b_profiling', 0, 3);

\echo '(c) the floors: a scan of the lines alone vs. (a); one array per order alone (array_agg, consumed) vs. (a'')'
\set c_floor 'SELECT count(*), sum(order_id), sum(product_id) FROM bench_shop.order_lines'
\set c_arrays_floor 'SELECT count(*), sum(cardinality(items)) FROM (SELECT array_agg(product_id) AS items FROM bench_shop.order_lines GROUP BY order_id) o'
SELECT * FROM bench.compare('(c) vs. the floor: a scan of the lines', :'c_floor', :'a_profiling', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(c) vs. the floor: array_agg per order', :'c_arrays_floor', :'a_arrays', 0, 3);

\echo 'Peak memory and temp files: every aggregate, hash and sort node of each side (serial)'
SELECT 'plain SQL: self-join, GROUP BY pair' AS side, bench.aggregate_memory(:'a_pairs') AS memory
UNION ALL
-- each summary as one group of a hash aggregate, whose memory (the baskets state) EXPLAIN reports
SELECT 'profiling: the baskets(order_id, product_id) state, as one hash group',
       bench.aggregate_memory('SELECT g, profiling.baskets(order_id, product_id) FROM (SELECT order_id >= 0 AS g, order_id, product_id FROM bench_shop.order_lines) l GROUP BY g')
UNION ALL
SELECT 'profiling: array_agg per order + baskets(items)', bench.aggregate_memory('SELECT profiling.baskets(items) FROM (SELECT array_agg(product_id) AS items FROM bench_shop.order_lines GROUP BY order_id) o')
UNION ALL
SELECT 'profiling: the baskets(items) state, as one hash group',
       bench.aggregate_memory('SELECT g, profiling.baskets(items) FROM (SELECT order_id >= 0 AS g, array_agg(product_id) AS items FROM bench_shop.order_lines GROUP BY order_id) o GROUP BY g');

\echo 'Temp files: the temp blocks EXPLAIN (ANALYZE, BUFFERS) reports for each whole query (serial)'
CREATE FUNCTION pg_temp.temp_blocks(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    written bigint := 0;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) ' || query LOOP
        IF line ~ 'temp .*written=\d+' THEN
            written := greatest(written, (regexp_match(line, 'written=(\d+)'))[1]::bigint);
        END IF;
    END LOOP;
    RETURN CASE WHEN written = 0 THEN 'none' ELSE written || ' blocks of 8 kB written' END;
END $$;
SELECT 'plain SQL' AS side, pg_temp.temp_blocks(:'a_sql') AS temp_files
UNION ALL
SELECT 'profiling, lines', pg_temp.temp_blocks(:'a_profiling')
UNION ALL
SELECT 'profiling, arrays', pg_temp.temp_blocks(:'a_arrays');

\echo 'Size of the stored summary'
SELECT profiling.basket_count(b) AS baskets, profiling.pair_error(b) AS pair_error,
       (SELECT count(*) FROM profiling.association_rules(b, 0.000001)) / 2 AS pairs,
       pg_size_pretty(pg_column_size(b)::bigint) AS stored,
       pg_size_pretty(pg_total_relation_size('bench_shop.order_lines')) AS order_lines_table
  FROM bench.stored_baskets;

\echo '(d) a catalogue of a million products: two million baskets of three items (two drawn from a million products), at the default pair budget'
CREATE TABLE bench.million_products AS
SELECT ARRAY[(hashint4(i) & 1048575)::bigint % 1000000, (hashint4(i + 7777777) & 1048575)::bigint % 1000000, (i % 1000)::bigint] AS items
  FROM generate_series(1, 2000000) i;
SELECT bench.aggregate_memory('SELECT g, profiling.baskets(items) FROM (SELECT true AS g, items FROM bench.million_products OFFSET 0) s GROUP BY g') AS state_memory,
       (SELECT round(bench.time_ms('SELECT profiling.pair_error(profiling.baskets(items)) FROM bench.million_products'))) AS ms;
SELECT profiling.basket_count(b) AS baskets, profiling.pair_error(b) AS pair_error,
       (SELECT 2 * sum(cardinality(items) * (cardinality(items) - 1) / 2) / 1000000 FROM bench.million_products) AS error_bound,
       pg_size_pretty(pg_column_size(b)::bigint) AS stored
  FROM (SELECT profiling.baskets(items) AS b FROM bench.million_products) s;
