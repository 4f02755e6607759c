-- loyalty_trend benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the spend slope and category growth of every customer from the order lines: the summary
--     and its accessors vs. the SQL a user writes (a generate_series of each customer's months
--     left-joined to the monthly spend, regr_slope over them, count(DISTINCT category) per half
--     of the customer's life);
-- (b) the same figures, and the trend, read from stored summaries vs. the same SQL.
-- Every output column is consumed. Months in UTC, so both sides read the same months.
SET TimeZone = 'UTC';

\set a_sql 'WITH lines AS (SELECT o.customer_id, o.ordered_at, (l.quantity * l.unit_price)::float8 AS amount, p.category FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) JOIN bench_shop.products p USING (product_id)), span AS (SELECT customer_id, min(ordered_at) AS first, max(ordered_at) AS last FROM lines GROUP BY 1), monthly AS (SELECT customer_id, date_trunc(''month'', ordered_at) AS m, sum(amount) AS spend FROM lines GROUP BY 1, 2), slopes AS (SELECT s.customer_id, regr_slope(COALESCE(mo.spend, 0), extract(year FROM g.m) * 12 + extract(month FROM g.m)) AS slope FROM span s CROSS JOIN generate_series(date_trunc(''month'', s.first), date_trunc(''month'', s.last), interval ''1 month'') AS g(m) LEFT JOIN monthly mo ON mo.customer_id = s.customer_id AND mo.m = g.m GROUP BY 1), halves AS (SELECT l.customer_id, count(DISTINCT l.category) FILTER (WHERE l.ordered_at >= s.first + (s.last - s.first) / 2) - count(DISTINCT l.category) FILTER (WHERE l.ordered_at < s.first + (s.last - s.first) / 2) AS growth FROM lines l JOIN span s USING (customer_id) WHERE s.last > s.first GROUP BY 1) SELECT count(*), sum(slope), sum(growth) FROM slopes LEFT JOIN halves USING (customer_id)'
\set a_profiling 'SELECT count(*), sum(profiling.spend_slope(t)), sum(profiling.category_growth(t)) FROM (SELECT o.customer_id, profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) JOIN bench_shop.products p USING (product_id) GROUP BY 1) q'
\set b_profiling 'SELECT count(*), sum(profiling.spend_slope(t)), sum(profiling.category_growth(t)), count(profiling.trend(t, ''2026-01-01'')) FROM bench.stored_loyalty_trends'

\echo 'Check (outside the timing): both sides give the same figures'
SELECT 'plain SQL' AS side, count, round(sum::numeric, 6) AS sum_slope, sum_growth
  FROM (:a_sql) s(count, sum, sum_growth)
UNION ALL
SELECT 'profiling', count, round(sum::numeric, 6), sum_growth
  FROM (:a_profiling) s(count, sum, sum_growth);

\echo '(a) summary + spend slope and category growth per customer vs. hand-written SQL'
SELECT * FROM bench.compare('(a) loyalty figures', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) loyalty figures', :'a_sql', :'a_profiling', 2);

\echo '(b) the same figures and the trend from stored summaries vs. hand-written SQL'
CREATE TABLE bench.stored_loyalty_trends AS
SELECT o.customer_id, profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t
  FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) JOIN bench_shop.products p USING (product_id)
 GROUP BY 1;
VACUUM ANALYZE bench.stored_loyalty_trends;
SELECT * FROM bench.compare('(b) loyalty figures and trend, stored', :'a_sql', :'b_profiling', 0);

\echo 'Size of the stored summaries, and the memory of the aggregate'
SELECT count(*) AS customers, sum(profiling.line_count(t)) AS lines,
       pg_size_pretty(pg_total_relation_size('bench.stored_loyalty_trends')) AS stored,
       pg_size_pretty(pg_total_relation_size('bench_shop.order_lines')) AS order_lines_table
  FROM bench.stored_loyalty_trends;
SELECT bench.aggregate_memory(:'a_profiling') AS summary_aggregate;
