-- docs_cohorts: every SQL example of docs/cohorts.md, verbatim and in its order, on the tiny
-- sample warehouse (schema shop, built by setup), then every example statement of its Errors
-- table. test/pgtap/docs.sql checks that each example is here, that each result the page shows
-- is the output of its own query below, and that each error example raises the SQLSTATE the
-- page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.histories AS
SELECT customer_id,
       profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders
 WHERE customer_id IS NOT NULL
 GROUP BY customer_id;

SELECT cohort, period, customers, retained,
       round(100 * retention_rate) AS "retained %",
       revenue, round(revenue_per_customer::numeric, 2) AS per_customer
  FROM profiling.retention((SELECT profiling.cohorts(h) FROM shop.histories))
 WHERE cohort = '2024-01-01' AND period <= 5;

SELECT cohort, customers,
       string_agg(round(100 * retention_rate) || '%', ' ' ORDER BY period) AS "retained, quarter by quarter"
  FROM profiling.retention((SELECT profiling.cohorts(h, 'quarter') FROM shop.histories))
 GROUP BY cohort, customers
 ORDER BY cohort;

SELECT *
  FROM profiling.retention('{(month),(2025-01-01,0,2,120.5),(2025-01-01,2,1,20),(2025-02-01,0,1,5)}');

SET TimeZone = 'America/New_York';
SELECT profiling.cohorts(h)::text AS in_new_york
  FROM (VALUES ('{(2025-03-01 04:30:00+00,10),(2025-03-31 22:30:00+00,20)}'::profiling.purchase_history)) AS v(h);

SET TimeZone = 'UTC';
SELECT profiling.cohorts(h)::text AS in_utc
  FROM (VALUES ('{(2025-03-01 04:30:00+00,10),(2025-03-31 22:30:00+00,20)}'::profiling.purchase_history)) AS v(h);

SELECT ' {(month), (2025-02-01,0,1,5), (2025-01-01,0,2,120.50)}'::profiling.cohorts;

SELECT profiling.rollup(c) OPERATOR(profiling.=) (SELECT profiling.cohorts(h) FROM shop.histories) AS same_as_one_pass
  FROM (SELECT cu.region, profiling.cohorts(h) AS c
          FROM shop.histories JOIN shop.customers cu USING (customer_id)
         GROUP BY cu.region) AS by_region;

-- The Errors table: each example raises the SQLSTATE the page gives.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.cohorts(h, 'day') FROM shop.histories$$),
       ($$SELECT profiling.cohorts(h, NULL) FROM shop.histories$$),
       ($$SELECT profiling.cohorts(h, CASE WHEN customer_id = 1 THEN 'week' ELSE 'month' END) FROM shop.histories$$),
       ($$SELECT profiling.rollup(c) FROM (VALUES ('{(month)}'::profiling.cohorts), ('{(week)}')) AS v(c)$$),
       ($$SELECT profiling.cohorts(h, 'week') FROM (VALUES ('{(1990-01-01 00:00:00+00,1)}'::profiling.purchase_history), ('{(2030-01-01 00:00:00+00,1)}')) AS v(h)$$),
       ($$SELECT profiling.cohorts(h) FROM (VALUES ('{(2025-01-01 00:00:00+00,1e308)}'::profiling.purchase_history), ('{(2025-01-02 00:00:00+00,1e308)}')) AS v(h)$$),
       ($$SELECT '{(month),(2025-01-02,0,1,1)}'::profiling.cohorts$$),
       ($$SELECT '{(month),(2025-01-01,0,1,1e999)}'::profiling.cohorts$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests create this table too).
DROP TABLE shop.histories;
