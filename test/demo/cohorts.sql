-- make demo, cohorts section: the monthly cohort retention table of the sample warehouse (the
-- 2025 cohorts, months 0 to 6, in %) and what the cohorts spend per customer. Reads
-- shop.purchase_histories, which the purchase-history section builds before it.
\pset border 1
SET TimeZone = 'UTC';

-- One summary of the customer table: monthly cohorts (the session TimeZone decides the months).
CREATE TABLE shop.monthly_cohorts AS
SELECT profiling.cohorts(h, 'month') AS c FROM shop.purchase_histories;

\echo
\echo '== Monthly cohort retention: customers by the month of their first purchase (2025), and the % of them buying again in each month after the first (m1 to m6)'
SELECT to_char(cohort, 'YYYY-MM') AS cohort, max(customers) AS customers,
       round(100 * max(retention_rate) FILTER (WHERE period = 1)) AS "m1 %",
       round(100 * max(retention_rate) FILTER (WHERE period = 2)) AS "m2 %",
       round(100 * max(retention_rate) FILTER (WHERE period = 3)) AS "m3 %",
       round(100 * max(retention_rate) FILTER (WHERE period = 4)) AS "m4 %",
       round(100 * max(retention_rate) FILTER (WHERE period = 5)) AS "m5 %",
       round(100 * max(retention_rate) FILTER (WHERE period = 6)) AS "m6 %"
  FROM profiling.retention((SELECT c FROM shop.monthly_cohorts))
 WHERE cohort >= '2025-01-01'
 GROUP BY cohort ORDER BY cohort;

\echo
\echo '== What a cohort spends per customer in its first months (the same 2025 cohorts)'
SELECT to_char(cohort, 'YYYY-MM') AS cohort,
       round(max(revenue_per_customer) FILTER (WHERE period = 0)::numeric, 2) AS m0,
       round(max(revenue_per_customer) FILTER (WHERE period = 1)::numeric, 2) AS m1,
       round(max(revenue_per_customer) FILTER (WHERE period = 2)::numeric, 2) AS m2,
       round(max(revenue_per_customer) FILTER (WHERE period = 3)::numeric, 2) AS m3,
       round(sum(revenue_per_customer) FILTER (WHERE period <= 6)::numeric, 2) AS "m0-m6"
  FROM profiling.retention((SELECT c FROM shop.monthly_cohorts))
 WHERE cohort >= '2025-01-01'
 GROUP BY cohort ORDER BY cohort;

\echo
\echo '== Quarterly, every cohort: the % still buying in each quarter after the first'
SELECT to_char(cohort, 'YYYY-"Q"Q') AS cohort, max(customers) AS customers,
       string_agg(round(100 * retention_rate)::text, ' ' ORDER BY period) FILTER (WHERE period > 0) AS "q1 q2 ... %"
  FROM profiling.retention((SELECT profiling.cohorts(h, 'quarter') FROM shop.purchase_histories))
 GROUP BY cohort ORDER BY cohort;
