-- readme: every SQL example of README.md, verbatim and in its order, on the tiny sample
-- warehouse (schema shop, built by setup). test/pgtap/docs.sql checks that each example is
-- here and that each result the README shows is the output of its own query below.
-- (The install lines, CREATE EXTENSION and ALTER DATABASE, are the one exception: the
-- extension is installed already.)
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

SELECT customer_id,
       profiling.order_count(h)               AS orders,
       profiling.total_spend(h)               AS spend,
       profiling.recency(h, '2026-01-01')     AS recency,
       profiling.interpurchase_median(h)      AS usual_gap
  FROM shop.histories
 ORDER BY spend DESC
 LIMIT 3;

SELECT customer_id,
       profiling.order_count(profiling.as_of(h, '2025-07-01')) AS orders_by_july,
       (profiling.rfm(h, '2025-07-01')).*
  FROM shop.histories
 WHERE customer_id IN (22, 27, 34)   -- a VIP, a customer gone dormant in April, a replenisher
 ORDER BY customer_id;

SELECT profiling.order_count(profiling.rollup(h)) AS orders,
       profiling.total_spend(profiling.rollup(h)) AS revenue
  FROM shop.histories;

SELECT customer_id,
       profiling.total_spend(h)  AS spend,
       profiling.order_count(h)  AS orders,
       profiling.is_one_time(h)  AS one_time
  FROM shop.histories
 WHERE profiling.value_class(h, 1000, 20) = 'hero'
 ORDER BY one_time DESC, customer_id;

SELECT customer_id, orders, ntile AS ntile_f, s AS score, profiling.rfm_segment(s) AS segment
  FROM (SELECT customer_id, profiling.order_count(h) AS orders,
               ntile(5) OVER (ORDER BY profiling.order_count(h), customer_id) AS ntile,
               profiling.rfm_score(m.model, profiling.recency_days(h, '2026-01-01'),
                                   profiling.order_count(h), profiling.total_spend(h)) AS s
          FROM shop.histories,
               (SELECT profiling.rfm_model(profiling.recency_days(h, '2026-01-01'), profiling.order_count(h),
                                           profiling.total_spend(h)) AS model
                  FROM shop.histories) AS m) AS scored
 WHERE orders BETWEEN 12 AND 14
 ORDER BY orders, customer_id;

SELECT e.customer_id, profiling.interaction_count(e.e) AS interactions,
       profiling.last_interaction(e.e) AS last_seen, profiling.last_purchase(h.h) AS last_bought
  FROM (SELECT customer_id, profiling.engagement(at, duration) AS e
          FROM shop.interactions GROUP BY customer_id) e
  LEFT JOIN shop.histories h USING (customer_id)
 WHERE profiling.browsing_without_buying(e.e, h.h, '2026-01-01', 3, '90 days')
 ORDER BY e.customer_id;

SELECT profiling.stage(c.registered_at, c.closed_at, h.h, e.e, '2026-01-01',
                       profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) AS stage,
       count(*) AS customers,
       round(coalesce(sum(profiling.total_spend(h.h)), 0)::numeric, 2) AS spend
  FROM shop.customers c
  LEFT JOIN shop.histories h USING (customer_id)
  LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e
               FROM shop.interactions GROUP BY customer_id) e USING (customer_id)
 GROUP BY 1
 ORDER BY 1;

SELECT r.from_stage, r.to_stage, r.customers, round(r.rate::numeric, 2) AS rate
  FROM (SELECT profiling.transitions(profiling.stage(c.registered_at, c.closed_at, h.h, e.e, '2025-10-01'),
                                     profiling.stage(c.registered_at, c.closed_at, h.h, e.e, '2026-01-01')) AS t
          FROM shop.customers c
          LEFT JOIN shop.histories h USING (customer_id)
          LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e
                       FROM shop.interactions GROUP BY customer_id) e USING (customer_id)) AS q,
       profiling.transition_rates(q.t) AS r;

SELECT cohort, customers,
       string_agg(round(100 * retention_rate) || '%', ' ' ORDER BY period) AS "retained, quarter by quarter"
  FROM profiling.retention((SELECT profiling.cohorts(h, 'quarter') FROM shop.histories))
 GROUP BY cohort, customers
 ORDER BY cohort;

SELECT profiling.attitude(h, '2026-01-01',
                          promotions => (SELECT range_agg(tstzrange(starts_at, ends_at)) FROM shop.promotions)) AS attitude,
       profiling.coupon_dependence(h) AS dependence,
       count(*) AS customers,
       round(sum(profiling.total_spend(h))::numeric, 2) AS value
  FROM shop.histories
 GROUP BY GROUPING SETS (1, 2)
 ORDER BY 1, 2;

SELECT customer_id, year_before, last_year
  FROM (SELECT customer_id,
               round(profiling.coupon_intensity(profiling.during(h, '[2024-01-01,2025-01-01)'))::numeric, 3) AS year_before,
               round(profiling.coupon_intensity(profiling.during(h, '[2025-01-01,2026-01-01)'))::numeric, 3) AS last_year
          FROM shop.histories) AS i
 WHERE last_year > year_before
 ORDER BY last_year - year_before DESC, customer_id
 LIMIT 5;

WITH bands AS (
    SELECT category, profiling.price_bands(unit_price::float8) AS bands
      FROM shop.products GROUP BY category
), mixes AS (
    SELECT o.customer_id,
           profiling.tier_mix(profiling.price_tier(b.bands, p.unit_price::float8),
                              (l.quantity * l.unit_price)::float8) AS m
      FROM shop.order_lines l JOIN shop.orders o USING (order_id)
      JOIN shop.products p USING (product_id) JOIN bands b USING (category)
     GROUP BY o.customer_id
)
SELECT profiling.dominant_tier(m) AS leans, count(*) AS customers,
       round(avg(profiling.tier_share(m, 'high'))::numeric, 2) AS avg_high_share
  FROM mixes GROUP BY 1 ORDER BY 1;

CREATE TABLE shop.item_histories AS
SELECT o.customer_id, l.product_id, profiling.item_history(o.ordered_at, l.quantity::float8) AS i
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
 GROUP BY o.customer_id, l.product_id;

SELECT product_id, count(*) AS customers,
       justify_hours(percentile_cont(0.5) WITHIN GROUP (ORDER BY profiling.replenishment_cycle(i))) AS typical_cycle,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY profiling.regularity(i))::numeric, 2) AS typical_regularity
  FROM shop.item_histories
 WHERE profiling.purchases(i) >= 3
 GROUP BY product_id
 ORDER BY typical_regularity, product_id
 LIMIT 5;

SELECT customer_id, product_id, profiling.next_due(profiling.as_of(i, '2025-06-01')) AS due
  FROM shop.item_histories
 WHERE profiling.next_due(profiling.as_of(i, '2025-06-01')) <@ tstzrange('2025-06-01', '2025-06-08')
 ORDER BY due;

WITH trends AS (
    SELECT o.customer_id,
           profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t
      FROM shop.order_lines l JOIN shop.orders o USING (order_id) JOIN shop.products p USING (product_id)
     GROUP BY o.customer_id
)
SELECT profiling.trend(t, '2026-01-01') AS trend, count(*) AS customers,
       round(avg(profiling.spend_slope(t, '2026-01-01'))::numeric, 2) AS avg_slope,
       round(avg(profiling.category_growth(t, '2026-01-01'))::numeric, 2) AS avg_growth
  FROM trends GROUP BY 1 ORDER BY 1;

SELECT consequent, pair_count, round(confidence::numeric, 3) AS confidence, round(lift::numeric, 2) AS lift
  FROM (SELECT profiling.baskets(order_id, product_id) AS b FROM shop.order_lines) s,
       profiling.cross_sell(b, 1, 3);

SELECT r.*
  FROM (SELECT profiling.paths(s, '30 days') AS p
          FROM (SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s
                  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
                 GROUP BY o.customer_id) per_customer) q,
       profiling.sequence_rules(p, 0.05, 0.5) r
 ORDER BY r.lift DESC LIMIT 3;

WITH s AS (SELECT customer_id, (profiling.btyd_summary(h, '2025-07-01')).* FROM shop.histories),
     m AS (SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg FROM s)
SELECT customer_id, x, round(profiling.p_alive(bg, x, t_x, "T")::numeric, 3) AS p_alive,
       round(profiling.expected_purchases(bg, 26, x, t_x, "T")::numeric, 2) AS next_26_weeks
  FROM s, m
 WHERE x IS NOT NULL
 ORDER BY next_26_weeks DESC, customer_id
 LIMIT 5;

WITH s AS (SELECT (profiling.holdout(h, '2025-04-01', '2025-07-01')).* FROM shop.histories),
     m AS (SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg, profiling.mbgnbd_fit(x, t_x, "T") AS mbg,
                  profiling.pnbd_fit(x, t_x, "T") AS pnbd FROM s),
     c AS (SELECT profiling.holdout_check(x, profiling.expected_purchases(bg, t_holdout, x, t_x, "T"), x_holdout) AS bg,
                  profiling.holdout_check(x, profiling.expected_purchases(mbg, t_holdout, x, t_x, "T"), x_holdout) AS mbg,
                  profiling.holdout_check(x, profiling.expected_purchases(pnbd, t_holdout, x, t_x, "T"), x_holdout) AS pnbd
             FROM s, m)
SELECT v.model, round(b.predicted::numeric, 1) AS predicted, b.actual,
       round(profiling.mean_absolute_error(v.hc)::numeric, 3) AS mean_absolute_error
  FROM c, LATERAL (VALUES ('BG/NBD', c.bg), ('MBG/NBD', c.mbg), ('Pareto/NBD', c.pnbd)) AS v(model, hc),
       profiling.buckets(v.hc) AS b
 WHERE b.bucket = 'total';

SELECT order_id, customer_id, ordered_at, amount, coupon_amount
  FROM shop.orders
 WHERE customer_id IS NOT NULL
   AND (ordered_at IS NULL OR NOT isfinite(ordered_at)
        OR amount IS NULL OR NOT (amount >= 0 AND amount < 'Infinity')
        OR NOT (coupon_amount >= 0 AND coupon_amount < 'Infinity'));

-- Not in the README: leave the shared database as setup built it.
DROP TABLE shop.histories;
DROP TABLE shop.item_histories;

CALL sample_warehouse.build('shop', 'tiny', 42);   -- 'tiny' | 'small' | 'large', seed
