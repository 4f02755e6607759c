-- engagement benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse).
-- (a) the summary plus every accessor vs. the SQL an analyst writes for the same figures;
-- (b) the summary alone vs. the floor: count and sum of the durations per customer;
-- (c) browsing_without_buying over stored summaries vs. its plain SQL over the interactions and
--     the orders. Every output column is consumed.
\set a_sql 'SELECT count(*), sum(n), sum(extract(epoch FROM total)), count(first_seen), count(last_seen), sum(per_week) FROM (SELECT customer_id, count(*) AS n, sum(duration) AS total, min(at) AS first_seen, max(at) AS last_seen, count(*) FILTER (WHERE at <= ''2026-01-01'') / greatest(extract(epoch FROM timestamptz ''2026-01-01'' - min(at))::float8 / 604800, 1) AS per_week FROM bench_shop.interactions GROUP BY customer_id) q'
\set a_profiling 'SELECT count(*), sum(profiling.interaction_count(e)), sum(extract(epoch FROM profiling.total_duration(e))), count(profiling.first_interaction(e)), count(profiling.last_interaction(e)), sum(profiling.interactions_per_week(e, ''2026-01-01'')) FROM (SELECT customer_id, profiling.engagement(at, duration) AS e FROM bench_shop.interactions GROUP BY customer_id) q'
\set b_floor 'SELECT count(n), sum(extract(epoch FROM s)) FROM (SELECT customer_id, count(*) AS n, sum(duration) AS s FROM bench_shop.interactions GROUP BY customer_id) q'
\set b_profiling 'SELECT count(*), sum(pg_column_size(e)) FROM (SELECT customer_id, profiling.engagement(at, duration) AS e FROM bench_shop.interactions GROUP BY customer_id) q'
\set c_sql 'SELECT count(*) FROM (SELECT i.customer_id FROM bench_shop.interactions i LEFT JOIN (SELECT customer_id, max(ordered_at) AS last_order FROM bench_shop.orders WHERE ordered_at <= ''2026-01-01'' GROUP BY customer_id) o USING (customer_id) WHERE i.at <= ''2026-01-01'' AND i.at > greatest(timestamptz ''2026-01-01'' - interval ''30 days'', o.last_order) GROUP BY i.customer_id HAVING count(*) >= 3) q'
\set c_profiling 'SELECT count(*) FROM bench.stored_engagements e LEFT JOIN bench.stored_engagement_histories h USING (customer_id) WHERE profiling.browsing_without_buying(e.e, h.h, ''2026-01-01'')'

\echo '(a) summary + every accessor vs. hand-written SQL (GROUP BY, FILTER)'
SELECT * FROM bench.compare('(a) all figures per customer', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) all figures per customer', :'a_sql', :'a_profiling', 2);

\echo '(b) summary alone vs. the floor: count(*), sum(duration) per customer'
SELECT * FROM bench.compare('(b) engagement(at, duration)', :'b_floor', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) engagement(at, duration)', :'b_floor', :'b_profiling', 2);

\echo '(c) browsing_without_buying over stored summaries vs. its plain SQL over interactions and orders'
CREATE TABLE bench.stored_engagements AS
SELECT customer_id, profiling.engagement(at, duration) AS e FROM bench_shop.interactions GROUP BY customer_id;
CREATE TABLE bench.stored_engagement_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id;
VACUUM ANALYZE bench.stored_engagements;
VACUUM ANALYZE bench.stored_engagement_histories;
\echo 'Check (outside the timing): both sides find the same customers'
SELECT (SELECT count(*) FROM (SELECT i.customer_id FROM bench_shop.interactions i LEFT JOIN (SELECT customer_id, max(ordered_at) AS last_order FROM bench_shop.orders WHERE ordered_at <= '2026-01-01' GROUP BY customer_id) o USING (customer_id) WHERE i.at <= '2026-01-01' AND i.at > greatest(timestamptz '2026-01-01' - interval '30 days', o.last_order) GROUP BY i.customer_id HAVING count(*) >= 3) q) AS plain_sql,
       (SELECT count(*) FROM bench.stored_engagements e LEFT JOIN bench.stored_engagement_histories h USING (customer_id)
         WHERE profiling.browsing_without_buying(e.e, h.h, '2026-01-01')) AS profiling;
SELECT * FROM bench.compare('(c) browsing_without_buying, stored', :'c_sql', :'c_profiling', 0);

\echo 'Peak memory of the aggregate (serial; EXPLAIN ANALYZE of the GROUP BY)'
SELECT 'floor: count, sum(duration)' AS query, bench.aggregate_memory(:'b_floor') AS memory
UNION ALL
SELECT 'engagement(at, duration)', bench.aggregate_memory(:'b_profiling');

\echo 'Size of the stored summaries'
SELECT count(*) AS customers, sum(profiling.interaction_count(e)) AS interactions,
       pg_size_pretty(pg_total_relation_size('bench.stored_engagements')) AS stored,
       pg_size_pretty(pg_total_relation_size('bench_shop.interactions')) AS interactions_table
  FROM bench.stored_engagements;
