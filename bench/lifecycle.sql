-- lifecycle benchmarks (run by bench/run.sh on bench_shop, the large sample warehouse), under
-- the policy of every rule: active_within 30 days, dormant_after 180 days, churn_after 1 year,
-- VIP at a spend of 1000 and 10 orders.
-- (a) from the orders and interactions: the stage of every customer at the 12 month ends of
--     2025, counted by month end and stage, vs. the SQL a user writes: the rules as CASE over
--     LATERAL aggregates of the orders and interactions at or before each month end;
-- (b) every stage change of every customer (stage_changes) from stored summaries: no plain SQL
--     gives them exactly (the dormant and churn timers fall between events), so it is timed next
--     to the 12 month-end stages from the same stored summaries (stage_timeline).
-- Both sides of (a) are checked once, outside the timing, to give the same counts. Every output
-- column is consumed (the counts are printed into one string, the changes counted column by
-- column).
SET TimeZone = 'UTC';
\set policy 'profiling.lifecycle_policy(''30 days'', ''180 days'', ''1 year'', 1000, 10)'

-- (a) the plain SQL.
\set a_sql 'SELECT string_agg(format(''%s %s %s'', at::date, stage, n), '', '' ORDER BY at, stage) FROM (SELECT m.at, CASE WHEN c.closed_at <= m.at THEN ''churned'' WHEN o.n = 0 AND (c.registered_at IS NULL OR c.registered_at > m.at) THEN ''prospect'' WHEN o.n = 0 AND m.at < i.last_at + interval ''30 days'' THEN ''active'' WHEN o.n = 0 THEN ''registered'' WHEN m.at >= greatest(o.last_at, i.last_at) + interval ''1 year'' THEN ''churned'' WHEN m.at >= greatest(o.last_at, i.last_at) + interval ''180 days'' THEN ''dormant'' WHEN o.days >= 2 AND o.spend >= 1000 AND o.n >= 10 THEN ''vip'' WHEN o.days >= 2 THEN ''repeat'' ELSE ''new'' END AS stage, count(*) AS n FROM bench_shop.customers c CROSS JOIN (SELECT date_trunc(''month'', d) + interval ''1 month'' - interval ''1 day'' AS at FROM generate_series(timestamptz ''2025-01-01'', ''2025-12-01'', ''1 month'') d) m CROSS JOIN LATERAL (SELECT count(*) AS n, max(ordered_at) AS last_at, count(DISTINCT ordered_at::date) AS days, sum(amount) AS spend FROM bench_shop.orders o WHERE o.customer_id = c.customer_id AND o.ordered_at <= m.at) o CROSS JOIN LATERAL (SELECT max(at) AS last_at FROM bench_shop.interactions i WHERE i.customer_id = c.customer_id AND i.at <= m.at) i GROUP BY 1, 2) s'
-- (a) with profiling: the summaries from the orders and interactions, then stage_timeline.
\set a_profiling 'WITH h AS (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id), e AS (SELECT customer_id, profiling.engagement(at, duration) AS e FROM bench_shop.interactions GROUP BY customer_id) SELECT string_agg(format(''%s %s %s'', at::date, stage, n), '', '' ORDER BY at, stage) FROM (SELECT t.at, t.stage::text AS stage, count(*) AS n FROM bench_shop.customers c LEFT JOIN h USING (customer_id) LEFT JOIN e USING (customer_id) CROSS JOIN LATERAL profiling.stage_timeline(c.registered_at, c.closed_at, h.h, e.e, ' :policy ', ''2025-01-31'', ''2025-12-31'', ''1 month'') t GROUP BY 1, 2) s'
-- (b) from stored summaries: every change, and the 12 month-end stages.
\set b_timeline 'SELECT count(t.at), count(t.stage) FROM bench.lc_lives l CROSS JOIN LATERAL profiling.stage_timeline(l.registered_at, l.closed_at, l.h, l.e, ' :policy ', ''2025-01-31'', ''2025-12-31'', ''1 month'') t'
\set b_changes 'SELECT count(s.changed_at), count(s.from_stage), count(s.to_stage) FROM bench.lc_lives l CROSS JOIN LATERAL profiling.stage_changes(l.registered_at, l.closed_at, l.h, l.e, ' :policy ') s'

CREATE TABLE bench.lc_lives AS
SELECT c.customer_id, c.registered_at, c.closed_at, h.h, e.e
  FROM bench_shop.customers c
  LEFT JOIN (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) h USING (customer_id)
  LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e FROM bench_shop.interactions GROUP BY customer_id) e USING (customer_id);
VACUUM ANALYZE bench.lc_lives;

\echo 'The data: customers, buyers, customers with interactions, stage changes'
SELECT count(*) AS customers, count(h) AS buyers, count(e) AS with_interactions,
       (SELECT count(*) FROM bench.lc_lives l, LATERAL profiling.stage_changes(l.registered_at, l.closed_at, l.h, l.e,
                                       profiling.lifecycle_policy('30 days', '180 days', '1 year', 1000, 10)) s) AS stage_changes
  FROM bench.lc_lives;

\echo 'Check (outside the timing): both sides of (a) give the same counts'
SELECT q.plain = q.profiling AS same_counts, length(q.plain) AS length
  FROM (SELECT (:a_sql) AS plain, (:a_profiling) AS profiling) q;
SELECT s.stage, count(*) AS month_ends, sum(s.n) AS customer_months
  FROM (SELECT t.stage, count(*) AS n FROM bench.lc_lives l,
               LATERAL profiling.stage_timeline(l.registered_at, l.closed_at, l.h, l.e, :policy, '2025-01-31', '2025-12-31', '1 month') t
         GROUP BY t.at, t.stage) s
 GROUP BY 1 ORDER BY 1;

\echo '(a) the stage of every customer at 12 month ends, from the orders and interactions, vs. CASE over LATERAL aggregates (3 runs each)'
SELECT * FROM bench.compare('(a) stages at 12 month ends', :'a_sql', :'a_profiling', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(a) stages at 12 month ends', :'a_sql', :'a_profiling', 2, 3);

\echo '(b) every stage change of every customer, from stored summaries, next to the 12 month-end stages (baseline)'
SELECT * FROM bench.compare('(b) stage_changes vs stage_timeline, stored', :'b_timeline', :'b_changes', 0)
UNION ALL
SELECT * FROM bench.compare('(b) stage_changes vs stage_timeline, stored', :'b_timeline', :'b_changes', 2);
