-- docs_segmentation: every SQL example of docs/segmentation.md, verbatim and in its order, on
-- the tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the
-- page shows is the output of its own query below, and that each error example raises the
-- SQLSTATE the page gives.
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

SELECT profiling.value_class(1200, 1, 1000, 20)  AS one_big_order,
       profiling.value_class(300, 22, 1000, 20)  AS many_small_orders,
       profiling.value_class(8500, 24, 1000, 20) AS both,
       profiling.value_class(400, 5, 1000, 20)   AS neither;

SELECT profiling.value_class(h, 1000, 20) AS class, count(*) AS customers
  FROM shop.histories
 GROUP BY 1
 ORDER BY 1;

SELECT customer_id, profiling.total_spend(h) AS spend, profiling.order_count(h) AS orders,
       profiling.is_one_time(h) AS one_time
  FROM shop.histories
 WHERE profiling.value_class(h, 1000, 20) = 'hero'
 ORDER BY customer_id;

SELECT customer_id,
       profiling.value_class(h, 1000, 10) AS all_time,
       profiling.value_class(h, 1000, 10, tstzrange('2025-01-01', '2026-01-01')) AS in_2025
  FROM shop.histories
 WHERE customer_id IN (13, 22, 27)
 ORDER BY customer_id;

SELECT profiling.order_count(h) AS orders, profiling.purchase_days(h) AS days,
       profiling.value_class(h, 1000, 33) AS at_33_orders
  FROM shop.histories WHERE customer_id = 6;

SET TimeZone = 'Asia/Tokyo';
SELECT profiling.is_one_time('{(2025-06-01 14:30:00+00,700),(2025-06-01 15:30:00+00,600)}') AS one_time_in_tokyo;

SET TimeZone = 'UTC';
SELECT profiling.is_one_time('{(2025-06-01 14:30:00+00,700),(2025-06-01 15:30:00+00,600)}') AS one_time_in_utc;

CREATE TABLE shop.value_structure AS
SELECT profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd
  FROM shop.histories;

SELECT profiling.value_distribution(spend, orders)
  FROM (SELECT sum(amount) AS spend, count(*) AS orders
          FROM shop.orders WHERE customer_id IN (4, 22, 36) GROUP BY customer_id) AS c;

SELECT * FROM profiling.deciles((SELECT vd FROM shop.value_structure));

SELECT band, customers, min_value, max_value
  FROM profiling.deciles('{(10,1),(10,1),(10,1),(10,1),(2,1),(2,1),(2,1),(2,1),(2,1),(2,1)}', 4);

SELECT band, first_band, last_band, customers, total_value, share_of_value, cumulative_share, avg_value
  FROM profiling.merge_bands((SELECT vd FROM shop.value_structure), 3);

SELECT profiling.top_share(vd, 0.2) AS top_20_percent,
       profiling.top_share(vd, 0.3) AS top_30_percent,
       profiling.gini(vd) AS gini
  FROM shop.value_structure;

SELECT profiling.top_share('{(10,1),(10,1),(10,1),(10,1),(0,1)}', 0.1) AS top_10_percent;

SELECT * FROM profiling.lorenz((SELECT vd FROM shop.value_structure), 4);

SELECT * FROM profiling.deciles('{(-40,2),(-5,1),(15,1),(60,3),(210,9)}', 5);

SELECT hero_min, repeat_min, vip_customers AS vip, hero_customers AS hero,
       repeat_customers AS repeat, regular_customers AS regular, one_time_heroes
  FROM profiling.threshold_capture((SELECT vd FROM shop.value_structure))
 WHERE repeat_min IN (5, 10) AND hero_min > 1000;

SELECT hero_min, repeat_min, vip_customers, hero_customers, one_time_heroes,
       round(vip_value_share::numeric, 3) AS vip_value, round(hero_value_share::numeric, 3) AS hero_value
  FROM profiling.threshold_capture((SELECT vd FROM shop.value_structure), '{5000,1000,500}', '{20}');

SELECT '{(1127.77,1),(25.5,2),(-0,3)}'::profiling.value_distribution;

SELECT profiling.rollup(vd) OPERATOR(profiling.=) (SELECT vd FROM shop.value_structure) AS same_as_one_pass
  FROM (SELECT c.region, profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd
          FROM shop.histories JOIN shop.customers c USING (customer_id)
         GROUP BY c.region) AS by_region;

-- RFM
SELECT profiling.rfm_model(profiling.recency_days(h, (SELECT max(ordered_at) FROM shop.orders)),
                           profiling.order_count(h), profiling.total_spend(h)) AS model
  FROM shop.histories;

SELECT profiling.rfm_score(profiling.rfm_model(array[30, 90, 180, 365], array[1, 2, 4, 8], array[50, 100, 250, 1000]),
                           30, 4, 1200) AS score;

SELECT s, profiling.r(s), profiling.f(s), profiling.m(s), s::int AS as_integer
  FROM (VALUES ('435'::profiling.rfm_score)) AS v(s);

SELECT '12-3-45'::profiling.rfm_score AS ten_bins_or_more, '5-4-5'::profiling.rfm_score AS also_545;

SELECT orders, count(*) AS customers,
       array_agg(DISTINCT ntile ORDER BY ntile) AS ntile_buckets,
       array_agg(DISTINCT f_score ORDER BY f_score) AS f_scores
  FROM (SELECT profiling.order_count(h) AS orders,
               ntile(5) OVER (ORDER BY profiling.order_count(h), customer_id) AS ntile,
               profiling.f(profiling.rfm_score(m.model, 0, profiling.order_count(h), 0)) AS f_score
          FROM shop.histories,
               (SELECT profiling.rfm_model(0, profiling.order_count(h), 0) AS model FROM shop.histories) AS m) AS c
 GROUP BY orders
 ORDER BY orders;

SELECT segment, r_min, r_max, fm_min, fm_max
  FROM profiling.rfm_segment_map
 WHERE bins = 5
 ORDER BY r_max DESC, fm_max DESC;

SELECT profiling.rfm_segment(s) AS segment, count(*) AS customers,
       round(avg(profiling.order_count(h)), 1) AS avg_orders, round(avg(profiling.total_spend(h))::numeric, 2) AS avg_spend
  FROM (SELECT h, profiling.rfm_score(m.model, profiling.recency_days(h, '2026-01-01'),
                                      profiling.order_count(h), profiling.total_spend(h)) AS s
          FROM shop.histories,
               (SELECT profiling.rfm_model(profiling.recency_days(h, '2026-01-01'), profiling.order_count(h),
                                           profiling.total_spend(h)) AS model
                  FROM shop.histories) AS m) AS scored
 GROUP BY 1
 ORDER BY customers DESC, segment;

-- The edit example, undone after it.
BEGIN;
UPDATE profiling.rfm_segment_map SET segment = 'Stars' WHERE segment = 'Champions' AND bins = 5;
DELETE FROM profiling.rfm_segment_map WHERE segment = 'Promising' AND bins = 5;
SELECT * FROM profiling.check_rfm_segment_map();
ROLLBACK;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.value_class('NaN', 1, 1000, 20)$$),
       ($$SELECT profiling.value_distribution(10, -1)$$),
       ($$SELECT profiling.value_class(10, 2147483648, 1000, 20)$$),
       ($$SELECT profiling.value_distribution(v, o) FROM (VALUES (NULL::float8, 3)) AS c(v, o)$$),
       ($$SELECT profiling.value_class(10, 1, 'NaN', 20)$$),
       ($$SELECT profiling.value_class(10, 1, 1000, 0)$$),
       ($$SELECT * FROM profiling.deciles('{(1,1)}', 1)$$),
       ($$SELECT * FROM profiling.merge_bands('{(1,1)}', 11)$$),
       ($$SELECT profiling.top_share('{(1,1)}', 1.5)$$),
       ($$SELECT * FROM profiling.lorenz('{(1,1)}', 0)$$),
       ($$SELECT profiling.gini('{(-5,1),(10,1)}')$$),
       ($$SELECT * FROM profiling.threshold_capture('{(1,1)}', '{1000,NULL}', '{2}')$$),
       ($$SELECT * FROM profiling.threshold_capture('{(1,1)}', '{{1,2},{3,4}}', '{2}')$$),
       ($$SELECT * FROM profiling.deciles('{(1.7e308,1),(1.7e308,1)}', 2)$$),
       ($$SELECT '{(1e999,1)}'::profiling.value_distribution$$),
       ($$SELECT '{(25.5,2.5)}'::profiling.value_distribution$$),
       ($$SELECT profiling.rfm_model(1, 1, 1, 1)$$),
       ($$SELECT profiling.rfm_model('NaN', 1, 1)$$),
       ($$SELECT profiling.rfm_model(r, 1, 1) FROM (VALUES (NULL::float8)) AS c(r)$$),
       ($$SELECT profiling.rfm_score('{{30},{1},{50}}', 3, -1, 20)$$),
       ($$SELECT profiling.rfm_model(array[90, 30], array[1, 2], array[50, 100])$$),
       ($$SELECT '{{30},{1}}'::profiling.rfm_model$$),
       ($$SELECT '5-4'::profiling.rfm_score$$),
       ($$SELECT '12-3-45'::profiling.rfm_score::int$$),
       ($$SELECT profiling.rfm_segment('655')$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests create these tables too).
DROP TABLE shop.histories, shop.value_structure;
