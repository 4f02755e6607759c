-- docs_lifecycle: every SQL example of docs/lifecycle.md, verbatim and in its order, on the
-- tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the
-- page shows is the output of its own query below, and that each error example raises the
-- SQLSTATE the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.lives AS
SELECT c.customer_id, c.registered_at, c.closed_at, o.h, i.e
  FROM shop.customers c
  LEFT JOIN (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
               FROM shop.orders GROUP BY customer_id) o USING (customer_id)
  LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e
               FROM shop.interactions GROUP BY customer_id) i USING (customer_id);

SELECT (profiling.lifecycle_policy()).*;

SELECT (profiling.lifecycle_policy(churn_after => '1 year', hero_min => 5000, repeat_min => 20)).*;

SELECT profiling.stage(registered_at, closed_at, h, e, '2026-01-01',
                       profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) AS stage,
       count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       round(coalesce(sum(profiling.total_spend(h)), 0)::numeric, 2) AS spend
  FROM shop.lives
 GROUP BY 1
 ORDER BY 1;

SELECT c.*
  FROM shop.lives, profiling.stage_changes(registered_at, closed_at, h, e) AS c
 WHERE customer_id = 27;

SELECT profiling.last_purchase(h) AS last_purchase, profiling.last_interaction(e) AS last_interaction
  FROM shop.lives
 WHERE customer_id = 27;

SELECT t.at::date AS month,
       count(*) FILTER (WHERE t.stage = 'prospect') AS prospect,
       count(*) FILTER (WHERE t.stage = 'registered') AS registered,
       count(*) FILTER (WHERE t.stage = 'active') AS active,
       count(*) FILTER (WHERE t.stage = 'new') AS new,
       count(*) FILTER (WHERE t.stage = 'repeat') AS repeat,
       count(*) FILTER (WHERE t.stage = 'vip') AS vip,
       count(*) FILTER (WHERE t.stage = 'dormant') AS dormant,
       count(*) FILTER (WHERE t.stage = 'churned') AS churned
  FROM shop.lives,
       profiling.stage_timeline(registered_at, closed_at, h, e,
                                profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20),
                                '2025-07-01', '2026-01-01', '1 month') AS t
 GROUP BY 1
 ORDER BY 1;

SELECT profiling.stage(registered_at, closed_at, h, e, '2025-10-01') AS from_stage,
       profiling.stage(registered_at, closed_at, h, e, '2026-01-01') AS to_stage,
       count(*) AS customers
  FROM shop.lives
 GROUP BY 1, 2
 ORDER BY 1, 2;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.lifecycle_policy(active_within => '0 days')$$),
       ($$SELECT profiling.lifecycle_policy(hero_min => 1000)$$),
       ($$SELECT profiling.lifecycle_policy(dormant_after => NULL)$$),
       ($$SELECT profiling.stage('2025-01-01', '2024-01-01', NULL, NULL, '2025-06-01')$$),
       ($$SELECT profiling.stage('infinity', NULL, NULL, NULL, '2025-06-01')$$),
       ($$SELECT * FROM profiling.stage_timeline(NULL, NULL, NULL, NULL, profiling.lifecycle_policy(), '2025-01-01', '2025-02-01', '0 days')$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it.
DROP TABLE shop.lives;
