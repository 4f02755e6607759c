-- cohorts benchmarks (run by bench/run.sh on bench_shop).
-- (a) from the orders: the monthly cohort retention table (every cohort, every period from 0 to
--     the last month with an order, periods without a purchase as zeros: customers, retained,
--     rate, revenue, revenue per customer), vs. the SQL a user writes for it: each customer's
--     spend per month (date_trunc, GROUP BY), the first month per customer, GROUP BY cohort and
--     month, and generate_series for the periods without a purchase;
-- (a') the same, weekly;
-- (b) from a stored customer table of purchase histories (customer_id, h): cohorts(h) and
--     retention, vs. the same plain SQL over the orders (what there is without the summaries).
-- (a) with 0 and 2 workers. Both sides are checked once, outside the timing, to give the same
-- rows. Every output column is consumed.

-- The plain SQL, for a unit (:unit) and its interval (:step).
\set sql_head 'WITH cp AS MATERIALIZED (SELECT customer_id, date_trunc('
\set sql_tail ', ordered_at) AS p, sum(amount) AS spend FROM bench_shop.orders GROUP BY customer_id, 2), f AS (SELECT customer_id, min(p) AS cohort FROM cp GROUP BY customer_id), sizes AS (SELECT cohort, count(*) AS customers FROM f GROUP BY cohort), cells AS (SELECT f.cohort, cp.p, count(*) AS retained, sum(cp.spend) AS revenue FROM cp JOIN f USING (customer_id) GROUP BY f.cohort, cp.p), r AS (SELECT s.cohort::date AS cohort, (g.n - 1)::int AS period, s.customers, coalesce(c.retained, 0) AS retained, coalesce(c.retained, 0)::float8 / s.customers AS retention_rate, coalesce(c.revenue, 0)::float8 AS revenue, (coalesce(c.revenue, 0) / s.customers)::float8 AS revenue_per_customer FROM sizes s CROSS JOIN LATERAL generate_series(s.cohort, (SELECT max(p) FROM cp), '
\set sql_end ') WITH ORDINALITY AS g(p, n) LEFT JOIN cells c ON c.cohort = s.cohort AND c.p = g.p) '
\set consume 'SELECT count(cohort), sum(period), sum(customers), sum(retained), sum(retention_rate), sum(revenue), sum(revenue_per_customer) FROM '
\set a_sql :sql_head '''month''' :sql_tail '''1 month''' :sql_end :consume 'r'
\set a_profiling 'WITH c AS MATERIALIZED (SELECT profiling.cohorts(h) AS c FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) s) ' :consume 'profiling.retention((SELECT c FROM c))'
\set a2_sql :sql_head '''week''' :sql_tail '''1 week''' :sql_end :consume 'r'
\set a2_profiling 'WITH c AS MATERIALIZED (SELECT profiling.cohorts(h, ''week'') AS c FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) s) ' :consume 'profiling.retention((SELECT c FROM c))'
\set b_profiling 'WITH c AS MATERIALIZED (SELECT profiling.cohorts(h) AS c FROM bench.ch_histories) ' :consume 'profiling.retention((SELECT c FROM c))'

-- The stored customer table of (b). The session TimeZone of the figures: UTC.
SET TimeZone = 'UTC';
CREATE TABLE bench.ch_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id;
VACUUM ANALYZE bench.ch_histories;

\echo 'The data: customers, months and weeks from the first order to the last, cells of the monthly table'
SELECT count(DISTINCT customer_id) AS customers,
       (extract(year FROM age(date_trunc('month', max(ordered_at)), date_trunc('month', min(ordered_at)))) * 12
        + extract(month FROM age(date_trunc('month', max(ordered_at)), date_trunc('month', min(ordered_at)))) + 1)::int AS months,
       ((date_trunc('week', max(ordered_at))::date - date_trunc('week', min(ordered_at))::date) / 7 + 1) AS weeks
  FROM bench_shop.orders;
SELECT count(*) AS monthly_rows, count(*) FILTER (WHERE retained = 0) AS periods_without_purchase,
       pg_column_size(c) AS monthly_summary_bytes
  FROM (SELECT profiling.cohorts(h) AS c FROM bench.ch_histories) s, profiling.retention(c)
 GROUP BY c;

\echo 'Checks (outside the timing): both sides give the same rows (revenue exactly, the revenue per customer to 1e-12)'
\set month_rows :sql_head '''month''' :sql_tail '''1 month''' :sql_end 'SELECT * FROM r'
\set week_rows :sql_head '''week''' :sql_tail '''1 week''' :sql_end 'SELECT * FROM r'
CREATE TEMP TABLE ch_plain_month AS :month_rows;
CREATE TEMP TABLE ch_plain_week AS :week_rows;
WITH a AS (SELECT 'month' AS unit, * FROM profiling.retention((SELECT profiling.cohorts(h) FROM bench.ch_histories))
           UNION ALL
           SELECT 'week', * FROM profiling.retention((SELECT profiling.cohorts(h, 'week') FROM bench.ch_histories))),
     b AS (SELECT 'month' AS unit, * FROM ch_plain_month UNION ALL SELECT 'week', * FROM ch_plain_week)
SELECT coalesce(a.unit, b.unit) AS unit, count(*) AS rows,
       count(*) FILTER (WHERE a.cohort IS NULL OR b.cohort IS NULL
                         OR (a.customers, a.retained, a.retention_rate, a.revenue)
                            IS DISTINCT FROM (b.customers, b.retained, b.retention_rate, b.revenue)
                         OR abs(a.revenue_per_customer - b.revenue_per_customer) > 1e-12 * b.revenue_per_customer) AS rows_that_differ
  FROM a FULL JOIN b ON a.unit = b.unit AND a.cohort = b.cohort AND a.period = b.period
 GROUP BY 1 ORDER BY 1;

\echo '(a) from the orders: monthly cohort retention, vs. plain SQL'
SELECT * FROM bench.compare('(a) monthly retention from the orders', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) monthly retention from the orders', :'a_sql', :'a_profiling', 2);
\echo '(a'') weekly, from the orders'
SELECT * FROM bench.compare('(a'') weekly retention from the orders', :'a2_sql', :'a2_profiling', 0);
\echo '(b) from stored purchase histories, vs. plain SQL over the orders'
SELECT * FROM bench.compare('(b) monthly retention from stored histories', :'a_sql', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) monthly retention from stored histories', :'a_sql', :'b_profiling', 2);

DROP TABLE bench.ch_histories, ch_plain_month, ch_plain_week;
