-- paths benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the sequence rules within 30 days (support >= 0.1 %) from the order lines: item
--     sequences per customer, paths, sequence_rules, vs. the SQL a user writes (each
--     customer's purchases self-joined to the later ones within 30 days, the shortest lag per
--     customer and pair, GROUP BY pair counting customers, percentile_cont for the lag);
-- (a') the floor of (a): a bare count(*) over the same join and GROUP BY customer, which no
--     aggregate over the lines grouped by customer can beat; and the item sequences alone
--     against it;
-- (b) the same rules from stored item sequences, against building them (the SQL side takes
--     minutes on the large warehouse: it is timed in (a) only).
-- Every output column is consumed. Peak memory of both sides follows (bench.aggregate_memory:
-- the memory of each hash and sort node, and whether it spilled to disk).
\set a_sql 'SELECT count(*), count(first_item), count(then_item), sum(customers), sum(support), sum(confidence), sum(lift), sum(extract(epoch FROM median_lag)) FROM (WITH buys AS (SELECT DISTINCT o.customer_id, o.ordered_at, l.product_id FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id)), n AS (SELECT count(DISTINCT customer_id)::float8 AS n FROM buys), buyers AS (SELECT product_id, count(DISTINCT customer_id)::float8 AS nb FROM buys GROUP BY 1), lags AS (SELECT a.customer_id, a.product_id AS first_item, b.product_id AS then_item, min(b.ordered_at - a.ordered_at) AS lag FROM buys a JOIN buys b ON b.customer_id = a.customer_id AND b.product_id <> a.product_id AND b.ordered_at > a.ordered_at AND b.ordered_at - a.ordered_at <= interval ''30 days'' GROUP BY 1, 2, 3) SELECT first_item, then_item, count(*) AS customers, count(*) / min(n.n) AS support, count(*) / min(a.nb) AS confidence, (count(*) / min(a.nb)) / (min(b.nb) / min(n.n)) AS lift, percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS median_lag FROM lags JOIN buyers a ON a.product_id = first_item JOIN buyers b ON b.product_id = then_item, n GROUP BY first_item, then_item HAVING count(*) / min(n.n) >= 0.001) q'
\set a_profiling 'SELECT count(*), count(first_item), count(then_item), sum(customers), sum(support), sum(confidence), sum(lift), sum(extract(epoch FROM median_lag)) FROM profiling.sequence_rules((SELECT profiling.paths(s, ''30 days'') FROM (SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY o.customer_id) q), 0.001) r'
\set b_profiling 'SELECT count(*), count(first_item), count(then_item), sum(customers), sum(support), sum(confidence), sum(lift), sum(extract(epoch FROM median_lag)) FROM profiling.sequence_rules((SELECT profiling.paths(s, ''30 days'') FROM bench.stored_item_sequences), 0.001) r'

\echo 'Check (outside the timing): both sides give the same rules (sums of every column)'
SELECT 'plain SQL' AS side, * FROM (:a_sql) s
UNION ALL
SELECT 'profiling', * FROM (:a_profiling) s;

\echo '(a) item sequences + paths within 30 days + sequence_rules vs. the SQL self-join (serial)'
SELECT * FROM bench.compare('(a) sequence rules, 30 days', :'a_sql', :'a_profiling', 0, 3);

\echo '(a'') the floor: the join and GROUP BY customer alone (count per customer), vs. (a) and vs. the item sequences alone (line_count consumed)'
\set floor 'SELECT count(*), sum(c) FROM (SELECT o.customer_id, count(*) AS c FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY o.customer_id) q'
\set sequences 'SELECT count(*), sum(profiling.line_count(s)) FROM (SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY o.customer_id) q'
SELECT * FROM bench.compare('(a'') the floor vs. (a)', :'floor', :'a_profiling', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(a'') the floor vs. the item sequences alone', :'floor', :'sequences', 0, 3);

\echo 'Peak memory of the aggregate, hash and sort nodes (serial): a spill shows as Disk or Batches above 1'
SELECT 'plain SQL' AS side, bench.aggregate_memory(:'a_sql') AS memory
UNION ALL
SELECT 'profiling', bench.aggregate_memory(:'a_profiling')
UNION ALL
SELECT 'the floor (count per customer)', bench.aggregate_memory(:'floor');

\echo '(b) the same rules from stored item sequences (the profiling side alone)'
CREATE TABLE bench.stored_item_sequences AS
SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s
  FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY 1;
VACUUM ANALYZE bench.stored_item_sequences;
SELECT * FROM bench.compare('(b) stored sequences vs. building them', :'a_profiling', :'b_profiling', 0, 3);

\echo 'Size of the stored sequences and of the paths summary'
SELECT count(*) AS customers, sum(profiling.line_count(s)) AS purchases,
       pg_size_pretty(pg_total_relation_size('bench.stored_item_sequences')) AS stored,
       (SELECT pg_size_pretty(pg_column_size(profiling.paths(s, '30 days'))::bigint) FROM bench.stored_item_sequences) AS paths_summary
  FROM bench.stored_item_sequences;
