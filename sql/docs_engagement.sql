-- docs_engagement: every SQL example of docs/engagement.md, verbatim and in its order, on the
-- tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the page
-- shows is the output of its own query below, and that each error example raises the SQLSTATE
-- the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.engagements AS
SELECT customer_id, profiling.engagement(at, duration) AS e
  FROM shop.interactions
 GROUP BY customer_id;

SELECT e FROM shop.engagements WHERE customer_id = 2;

SELECT c.customer_id, profiling.engagement(i.at, i.duration) AS e
  FROM shop.customers c LEFT JOIN shop.interactions i USING (customer_id)
 WHERE c.customer_id IN (2, 19)
 GROUP BY c.customer_id
 ORDER BY c.customer_id;

SELECT profiling.interaction_count(e) AS interactions, profiling.total_duration(e) AS total,
       profiling.first_interaction(e) AS first, profiling.last_interaction(e) AS last
  FROM shop.engagements WHERE customer_id = 2;

SELECT profiling.interactions_per_week(e, '2026-01-01') AS per_week,
       profiling.interactions_per_week(e, '2024-01-01') AS before_any
  FROM shop.engagements WHERE customer_id = 2;

SELECT profiling.interaction_count(profiling.during(e, tstzrange('2026-01-01'::timestamptz - interval '90 days', '2026-01-01')))
  FROM shop.engagements WHERE customer_id = 2;

SELECT e.customer_id
  FROM shop.engagements e
  LEFT JOIN (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h
               FROM shop.orders GROUP BY customer_id) p USING (customer_id)
 WHERE profiling.browsing_without_buying(e.e, p.h, '2026-01-01', 3, '90 days')
 ORDER BY e.customer_id;

SELECT profiling.browsing_without_buying('{(2025-03-02 10:00:00+00,00:05:00)}', '{(2025-03-01 10:00:00+00,25)}',
                                         '2025-03-10', 1, '30 days') AS after_purchase,
       profiling.browsing_without_buying('{(2025-02-28 10:00:00+00,00:05:00)}', '{(2025-03-01 10:00:00+00,25)}',
                                         '2025-03-10', 1, '30 days') AS before_purchase;

SELECT '{(2025-01-06 10:00:00+00,1 day 2 hours),(2025-01-06 09:00:00-05,PT1M30S),(2025-01-05 10:00:00+00,null)}'::profiling.engagement;

SELECT * FROM profiling.interactions((SELECT e FROM shop.engagements WHERE customer_id = 2)) LIMIT 3;

SELECT '{(2025-01-06 10:00:00+00,00:05:00),(2025-01-07 10:00:00+00,NULL)}'::profiling.engagement::jsonb;

SELECT profiling.interaction_count(profiling.rollup(e)) AS interactions,
       profiling.total_duration(profiling.rollup(e)) AS total
  FROM shop.engagements;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.engagement(t, d) FROM (VALUES (NULL::timestamptz, '5 minutes'::interval)) AS i(t, d)$$),
       ($$SELECT profiling.engagement('2025-01-01 10:00:00+00'::timestamptz, '-5 minutes'::interval)$$),
       ($$SELECT profiling.engagement('2025-01-01 10:00:00+00'::timestamptz, '1 mon'::interval)$$),
       ($$SELECT profiling.engagement('2025-01-01 10:00:00+00'::timestamptz, '106751992 days'::interval)$$),
       ($$SELECT profiling.engagement('2025-07-01 10:00:00'::timestamp, '5 minutes'::interval)$$),
       ($$SELECT profiling.engagement('infinity'::timestamptz, NULL::interval)$$),
       ($$SELECT profiling.interactions_per_week('{(2025-01-01 10:00:00+00,NULL)}', 'infinity')$$),
       ($$SELECT profiling.total_duration('{(2025-01-01 00:00:00+00,2562047788:00:54.775807),(2025-01-02 00:00:00+00,00:00:01)}')$$),
       ($$SELECT profiling.browsing_without_buying('{}', NULL, '2026-01-01', 0)$$),
       ($$SELECT profiling.browsing_without_buying('{}', NULL, '2026-01-01', 3, '-30 days')$$),
       ($$SELECT '{(2025-01-01 10:00:00+00,abc)}'::profiling.engagement$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests create these tables too).
DROP TABLE shop.engagements;
