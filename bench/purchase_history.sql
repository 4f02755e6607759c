-- purchase_history benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the summary plus every accessor vs. the SQL an analyst writes for the same figures;
-- (b) the summary alone vs. the floor: count and sum per customer. Each with 0 and 2 workers.
\set a_sql 'SELECT count(*), sum(orders), sum(days), sum(spend), sum(avg_order), sum(max_order), count(first_order), count(last_order), count(recency), count(tenure), count(median_gap), count(mean_gap), sum(coupons), sum(coupon_orders) FROM (SELECT customer_id, count(*) AS orders, count(DISTINCT ordered_at::date) AS days, sum(amount) AS spend, avg(amount) AS avg_order, max(amount) AS max_order, min(ordered_at) AS first_order, max(ordered_at) AS last_order, timestamptz ''2026-01-01'' - max(ordered_at) AS recency, timestamptz ''2026-01-01'' - min(ordered_at) AS tenure, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap, avg(gap) AS mean_gap, sum(coupon_amount) AS coupons, count(*) FILTER (WHERE coupon_amount > 0) AS coupon_orders FROM (SELECT customer_id, ordered_at, amount, coupon_amount, ordered_at - lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap FROM bench_shop.orders) o GROUP BY customer_id) q'
\set a_profiling 'SELECT count(*), sum(profiling.order_count(h)), sum(profiling.purchase_days(h)), sum(profiling.total_spend(h)), sum(profiling.avg_order_value(h)), sum(profiling.max_order_value(h)), count(profiling.first_purchase(h)), count(profiling.last_purchase(h)), count(profiling.recency(h, ''2026-01-01'')), count(profiling.tenure(h, ''2026-01-01'')), count(profiling.interpurchase_median(h)), count(profiling.interpurchase_mean(h)), sum(profiling.coupon_total(h)), sum(profiling.coupon_orders(h)) FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h FROM bench_shop.orders GROUP BY customer_id) q'
\set b_floor 'SELECT count(n), sum(s) FROM (SELECT customer_id, count(*) AS n, sum(amount) AS s FROM bench_shop.orders GROUP BY customer_id) q'
\set b_profiling 'SELECT count(*), sum(pg_column_size(h)) FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) q'
\set b_profiling_coupon 'SELECT count(*), sum(pg_column_size(h)) FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h FROM bench_shop.orders GROUP BY customer_id) q'
\set b_profiling_cast 'SELECT count(*), sum(pg_column_size(h)) FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount::float8) AS h FROM bench_shop.orders GROUP BY customer_id) q'
\set c_sql_stored 'SELECT count(*), sum(profiling.order_count(h)), sum(profiling.total_spend(h)), count(profiling.recency(h, ''2026-01-01'')), count(profiling.interpurchase_median(h)) FROM bench.stored_histories'

\echo '(a) summary + every accessor vs. hand-written SQL (GROUP BY + lag() window + percentile_cont)'
SELECT * FROM bench.compare('(a) all figures per customer', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) all figures per customer', :'a_sql', :'a_profiling', 2);

\echo '(b) summary alone vs. the floor: count(*), sum(amount) per customer'
SELECT * FROM bench.compare('(b) purchase_history(t, amount)', :'b_floor', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) purchase_history(t, amount)', :'b_floor', :'b_profiling', 2)
UNION ALL
SELECT * FROM bench.compare('(b) purchase_history(t, amount::float8)', :'b_floor', :'b_profiling_cast', 0)
UNION ALL
SELECT * FROM bench.compare('(b) purchase_history(t, amount, coupon)', :'b_floor', :'b_profiling_coupon', 0)
UNION ALL
SELECT * FROM bench.compare('(b) purchase_history(t, amount, coupon)', :'b_floor', :'b_profiling_coupon', 2);

\echo '(c) accessors over stored summaries (what a dashboard reads) vs. the SQL of (a) over the orders'
CREATE TABLE bench.stored_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM bench_shop.orders GROUP BY customer_id;
VACUUM ANALYZE bench.stored_histories;
SELECT * FROM bench.compare('(c) stored summaries, 4 figures', :'a_sql', :'c_sql_stored', 0);

\echo '(d) text input: the canonical text of every stored summary (what postgres_fdw ships from a shard)'
\echo '    vs. the same orders spelled for the general parsers (+00:00, 25e0): the path every text took before'
CREATE TABLE bench.history_texts AS
SELECT h::text AS canonical,
       regexp_replace(replace(h::text, '+00,', '+00:00,'), ',(-?[0-9.]+)(?=[,)])', ',\1e0', 'g') AS general
  FROM bench.stored_histories;
VACUUM ANALYZE bench.history_texts;
SELECT count(*) FILTER (WHERE profiling.purchase_history_send(canonical::profiling.purchase_history)
                              IS DISTINCT FROM profiling.purchase_history_send(general::profiling.purchase_history)) AS differ,
       count(*) AS summaries
  FROM bench.history_texts;
\set d_general 'SELECT sum(profiling.order_count(general::profiling.purchase_history)) FROM bench.history_texts'
\set d_canonical 'SELECT sum(profiling.order_count(canonical::profiling.purchase_history)) FROM bench.history_texts'
SELECT * FROM bench.compare('(d) text input, general vs canonical', :'d_general', :'d_canonical', 0);
\echo '(e) text output of every stored summary vs. its binary form (send)'
\set e_send 'SELECT sum(length(profiling.purchase_history_send(h))) FROM bench.stored_histories'
\set e_text 'SELECT sum(length(h::text)) FROM bench.stored_histories'
SELECT * FROM bench.compare('(e) text output vs send', :'e_send', :'e_text', 0);
DROP TABLE bench.history_texts;

\echo 'Peak memory of the aggregate (serial; EXPLAIN ANALYZE of the GROUP BY)'
SELECT 'floor: count, sum' AS query,
       bench.aggregate_memory('SELECT customer_id, count(*), sum(amount) FROM bench_shop.orders GROUP BY customer_id') AS memory
UNION ALL
SELECT 'purchase_history(t, amount, coupon)',
       bench.aggregate_memory('SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM bench_shop.orders GROUP BY customer_id')
UNION ALL
SELECT 'hand-written SQL of (a)', bench.aggregate_memory(:'a_sql');

\echo 'Size of the stored summaries'
SELECT count(*) AS customers, sum(profiling.order_count(h)) AS orders,
       pg_size_pretty(sum(pg_column_size(h))) AS summaries,
       round(sum(pg_column_size(h))::numeric / sum(profiling.order_count(h)), 1) AS bytes_per_order,
       pg_size_pretty(pg_total_relation_size('bench.stored_histories')) AS table_size,
       pg_size_pretty(pg_total_relation_size('bench_shop.orders')) AS orders_table_size
  FROM bench.stored_histories;
