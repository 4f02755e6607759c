-- item_history benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the replenishment cycle, regularity and next due date of every customer x product, and
--     the quantity slopes, from the summary vs. the SQL a user writes (purchase days, a lag
--     window, percentile_cont, stddev_samp and regr_slope per group);
-- (a') the floor of (a): a bare count(*) over the same join and GROUP BY, which no aggregate over
--     the lines can beat;
-- (b) the same figures read from stored summaries vs. the same SQL.
-- Every output column is consumed.
\set a_sql 'SELECT count(*), sum(extract(epoch FROM cycle)), sum(regularity), count(next_due), sum(slope) FROM (SELECT customer_id, product_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS cycle, stddev_samp(extract(epoch FROM gap)) / avg(extract(epoch FROM gap)) AS regularity, max(at) + percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS next_due, regr_slope(q, k) AS slope FROM (SELECT customer_id, product_id, at, q, at - lag(at) OVER w AS gap, row_number() OVER w AS k FROM (SELECT o.customer_id, l.product_id, max(o.ordered_at) AS at, sum(l.quantity::float8) AS q FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY 1, 2, o.ordered_at::date) d WINDOW w AS (PARTITION BY customer_id, product_id ORDER BY at)) g GROUP BY 1, 2) q'
\set a_profiling 'SELECT count(*), sum(extract(epoch FROM profiling.replenishment_cycle(i))), sum(profiling.regularity(i)), count(profiling.next_due(i)), sum(profiling.quantity_slope(i)) FROM (SELECT o.customer_id, l.product_id, profiling.item_history(o.ordered_at, l.quantity::float8) AS i FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY 1, 2) q'
\set b_profiling 'SELECT count(*), sum(extract(epoch FROM profiling.replenishment_cycle(i))), sum(profiling.regularity(i)), count(profiling.next_due(i)), sum(profiling.quantity_slope(i)) FROM bench.stored_item_histories'

\echo 'Check (outside the timing): both sides give the same figures'
SELECT 'plain SQL' AS side, * FROM (:a_sql) s
UNION ALL
SELECT 'profiling', * FROM (:a_profiling) s;

\echo '(a) summary + cycle, regularity, next due and slope per customer x product vs. hand-written SQL'
SELECT * FROM bench.compare('(a) replenishment figures', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) replenishment figures', :'a_sql', :'a_profiling', 2);

\echo '(a'') the floor: a bare count(*) over the same join and GROUP BY, vs. the profiling side of (a)'
\set floor_sql 'SELECT count(*), sum(c) FROM (SELECT o.customer_id, l.product_id, count(*) AS c FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY 1, 2) q'
SELECT * FROM bench.compare('(a'') floor: count(*) GROUP BY customer, product', :'floor_sql', :'a_profiling', 0, 3);

\echo '(b) the same figures from stored summaries vs. hand-written SQL'
CREATE TABLE bench.stored_item_histories AS
SELECT o.customer_id, l.product_id, profiling.item_history(o.ordered_at, l.quantity::float8) AS i
  FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) GROUP BY 1, 2;
VACUUM ANALYZE bench.stored_item_histories;
SELECT * FROM bench.compare('(b) replenishment figures, stored', :'a_sql', :'b_profiling', 0);

\echo 'Size of the stored summaries'
SELECT count(*) AS pairs, sum(profiling.line_count(i)) AS lines,
       pg_size_pretty(pg_total_relation_size('bench.stored_item_histories')) AS stored,
       pg_size_pretty(pg_total_relation_size('bench_shop.order_lines')) AS order_lines_table
  FROM bench.stored_item_histories;
