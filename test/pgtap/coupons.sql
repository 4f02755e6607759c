-- coupons properties on the small sample warehouse: the planted coupon_only, full_price and
-- one_time_opportunistic customers are recovered; every metric (intensity, order rate,
-- full-price orders, dependence class, promotion share, attitude) equals its plain-SQL
-- computation over the orders (numbers to 1e-12 relative); coupon_trend equals the
-- date_trunc / window-function SQL. Comparisons are IS DISTINCT FROM or explicit tolerances,
-- so that a NULL where a value belongs is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(19);

CALL sample_warehouse.build('tap_cp', 'small', 42);
ANALYZE tap_cp.orders;
CALL pg_temp.force_serial();

CREATE TABLE tap_cp.histories AS
SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM tap_cp.orders GROUP BY customer_id;
CREATE TABLE tap_cp.promo AS
SELECT range_agg(tstzrange(starts_at, ends_at)) AS promotions FROM tap_cp.promotions;

-- a close to b, relative: |a - b| <= 1e-12 |b| (both NULL, or exactly equal, pass too).
CREATE FUNCTION pg_temp.close(a float8, b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT a IS NOT DISTINCT FROM b::float8
        OR (a IS NOT NULL AND b IS NOT NULL AND abs(a::numeric - b) <= 1e-12 * abs(b))
$$;

-- The plain SQL a user writes over the orders: GROUP BY with FILTER, a join to the promotions.
CREATE TABLE tap_cp.plain AS
SELECT o.customer_id, count(*) AS orders,
       count(*) FILTER (WHERE o.coupon_amount > 0) AS coupon_orders,
       sum(o.amount) AS spend, sum(o.coupon_amount) AS coupons,
       sum(o.amount) FILTER (WHERE o.coupon_amount > 0) AS coupon_order_spend,
       count(*) FILTER (WHERE p.promotion_id IS NOT NULL) AS promo_orders,
       coalesce(sum(o.amount) FILTER (WHERE p.promotion_id IS NOT NULL), 0) AS promo_spend
  FROM tap_cp.orders o
  LEFT JOIN tap_cp.promotions p ON o.ordered_at >= p.starts_at AND o.ordered_at < p.ends_at
 GROUP BY o.customer_id;

SELECT cmp_ok((SELECT count(*) FROM tap_cp.histories), '>', 1000::bigint, 'the small warehouse has more than 1000 buying customers');

-- The planted truth -----------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM tap_cp.truth WHERE fact = 'coupon_only'), '>=', 20::bigint,
              'the small warehouse plants coupon_only customers');
SELECT is_empty($$SELECT t.customer_id FROM tap_cp.truth t JOIN tap_cp.histories USING (customer_id)
                   WHERE t.fact = 'coupon_only'
                     AND (coupon_dependence(h) IS DISTINCT FROM 'coupon_only'
                          OR round(coupon_intensity(h)::numeric, 6) IS DISTINCT FROM t.value)$$,
                'every planted coupon_only customer is coupon_only, its intensity the truth value');
SELECT is_empty($$SELECT t.customer_id FROM tap_cp.truth t JOIN tap_cp.histories USING (customer_id), tap_cp.promo p
                   WHERE t.fact = 'full_price'
                     AND (coupon_dependence(h) IS DISTINCT FROM 'none'
                          OR attitude(h, '2026-01-01') IS DISTINCT FROM 'positive'
                          OR attitude(h, '2026-01-01', promotions => p.promotions) IS DISTINCT FROM 'positive')$$,
                'every planted full_price customer is none and positive (with and without promotions)');
SELECT is_empty($$SELECT t.customer_id FROM tap_cp.truth t JOIN tap_cp.histories USING (customer_id), tap_cp.promo p
                   WHERE t.fact = 'one_time_opportunistic'
                     AND (attitude(h, '2026-01-01', promotions => p.promotions) IS DISTINCT FROM 'neutral'
                          OR (promotion_share(h, p.promotions)).orders_share IS DISTINCT FROM 1::float8)$$,
                'every planted one_time_opportunistic customer is neutral, with a promotion order share of 1');
SELECT is((SELECT count(*) FROM tap_cp.truth t JOIN tap_cp.histories USING (customer_id)
            WHERE t.fact IN ('coupon_only', 'full_price', 'one_time_opportunistic')),
          (SELECT count(*) FROM tap_cp.truth WHERE fact IN ('coupon_only', 'full_price', 'one_time_opportunistic')),
          'every planted customer of the three kinds has a summary');

-- Each metric = the plain SQL --------------------------------------------------------------------
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories JOIN tap_cp.plain USING (customer_id)
                   WHERE NOT pg_temp.close(coupon_intensity(h), coupons / nullif(spend, 0))$$,
                'coupon_intensity = sum(coupon_amount) / sum(amount)');
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories JOIN tap_cp.plain USING (customer_id)
                   WHERE NOT pg_temp.close(coupon_order_rate(h), coupon_orders::numeric / orders)$$,
                'coupon_order_rate = count(*) FILTER (WHERE coupon_amount > 0) / count(*)');
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories JOIN tap_cp.plain USING (customer_id)
                   WHERE full_price_orders(h) IS DISTINCT FROM (orders - coupon_orders)::int$$,
                'full_price_orders = count(*) FILTER (WHERE coupon_amount = 0)');
CREATE FUNCTION pg_temp.dependence_of(p tap_cp.plain, occasional_max float8, dependent_min float8)
RETURNS coupon_dependence LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p.coupon_orders = 0 THEN 'none'
                WHEN p.coupon_orders = p.orders AND p.orders >= 2 THEN 'coupon_only'
                WHEN p.coupon_orders::float8 / p.orders >= dependent_min THEN 'dependent'
                WHEN p.coupon_orders::float8 / p.orders <= occasional_max THEN 'occasional'
                WHEN p.coupon_order_spend >= dependent_min::numeric * p.spend AND p.spend > 0 THEN 'dependent'
                ELSE 'occasional' END::coupon_dependence
$$;
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories h JOIN tap_cp.plain p USING (customer_id),
                          (VALUES (0.25::float8, 0.5::float8), (0.1, 0.9), (0.4, 0.4), (0, 1)) AS t(lo, hi)
                   WHERE coupon_dependence(h.h, t.lo, t.hi) IS DISTINCT FROM pg_temp.dependence_of(p, t.lo, t.hi)$$,
                'coupon_dependence = its CASE over the plain SQL, under four pairs of thresholds');
SELECT cmp_ok((SELECT count(DISTINCT coupon_dependence(h)) FROM tap_cp.histories), '=', 4::bigint,
              'every dependence class occurs on the small warehouse');
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories h JOIN tap_cp.plain p USING (customer_id), tap_cp.promo pr,
                          promotion_share(h.h, pr.promotions) s
                   WHERE NOT pg_temp.close(s.orders_share, p.promo_orders::numeric / p.orders)
                      OR NOT pg_temp.close(s.spend_share, p.promo_spend / nullif(p.spend, 0))$$,
                'promotion_share = the orders and spend joined to promotions over all of them');

-- The attitude as of the reference date, under the default policy and a stricter one, in plain
-- SQL: purchase days in the window, the mean gap between purchase days, the discounted share.
CREATE FUNCTION pg_temp.attitude_sql(customer bigint, as_of timestamptz, within interval, min_days int,
                                     lapse float8, uncertain_min float8, promotions tstzmultirange)
RETURNS attitude LANGUAGE sql STABLE AS $$
    WITH o AS (SELECT ordered_at, coupon_amount, ordered_at > as_of - within AS in_window,
                      coalesce(promotions @> ordered_at, false) AS in_promotion
                 FROM tap_cp.orders WHERE customer_id = customer AND ordered_at <= as_of),
    s AS (SELECT count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) FILTER (WHERE in_window) AS window_days,
                 count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS days,
                 extract(epoch FROM max(ordered_at) - min(ordered_at)) * 1000000 AS span_us,
                 extract(epoch FROM as_of - max(ordered_at)) * 1000000 AS recency_us,
                 count(*) FILTER (WHERE in_window AND (coupon_amount > 0 OR in_promotion)) AS discounted,
                 count(*) FILTER (WHERE in_window) AS window_orders
            FROM o)
    SELECT CASE WHEN window_days < min_days THEN 'neutral'
                WHEN recency_us > lapse * trunc(span_us / (days - 1)) THEN 'neutral'
                WHEN discounted::float8 / window_orders >= uncertain_min THEN 'uncertain'
                ELSE 'positive' END::attitude
      FROM s
$$;
SELECT is_empty($$SELECT customer_id FROM tap_cp.histories, tap_cp.promo p,
                          (VALUES ('1 year'::interval, 2, 2::float8, 0.5::float8), ('6 months', 3, 1.5, 0.3)) AS v(w, d, l, u),
                          (VALUES (false), (true)) AS with_promotions(b)
                   WHERE attitude(h, '2026-01-01', attitude_policy(w, d, l, u), CASE WHEN b THEN p.promotions END)
                         IS DISTINCT FROM pg_temp.attitude_sql(customer_id, '2026-01-01', w, d, l, u, CASE WHEN b THEN p.promotions END)$$,
                'attitude = its plain-SQL rule, under two policies, with and without promotions');
SELECT cmp_ok((SELECT count(DISTINCT attitude(h, '2026-01-01', promotions => p.promotions)) FROM tap_cp.histories, tap_cp.promo p),
              '=', 3::bigint, 'every attitude occurs on the small warehouse');

-- Serial = parallel: the per-customer functions run in two workers, each worker with its own
-- call-site caches (labels, policy, promotion periods) -------------------------------------------
-- The figures of each customer as one text, hashed and summed: a partial aggregate, so that the
-- functions run inside the workers (string_agg would run them in the leader).
CREATE FUNCTION pg_temp.figures_query() RETURNS text LANGUAGE sql AS $q$
    SELECT $$SELECT count(*) || ' ' || sum(hashtext(concat_ws(',', customer_id, coupon_intensity(h), coupon_order_rate(h),
                     full_price_orders(h), coupon_dependence(h), promotion_share(h, (SELECT promotions FROM tap_cp.promo)),
                     attitude(h, '2026-01-01', promotions => (SELECT promotions FROM tap_cp.promo)))))
              FROM tap_cp.histories$$
$q$;
CREATE TABLE tap_cp.figures_serial AS SELECT pg_temp.value_of(pg_temp.figures_query()) AS figures;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives(pg_temp.figures_query(),
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'the per-customer figures are computed on two workers',
    (SELECT figures FROM tap_cp.figures_serial), 'every figure of every customer, parallel = serial');
CALL pg_temp.force_serial();

-- The trend = date_trunc and window functions ---------------------------------------------------
CREATE TABLE tap_cp.trend_sql AS
WITH span AS (SELECT customer_id, date_trunc('month', min(ordered_at)) AS first_month,
                     date_trunc('month', max(ordered_at)) AS last_month
                FROM tap_cp.orders GROUP BY customer_id),
months AS (SELECT customer_id, m FROM span, generate_series(first_month, last_month, '1 month') AS m),
per_month AS (SELECT customer_id, date_trunc('month', ordered_at) AS m, count(*) AS orders,
                     count(*) FILTER (WHERE coupon_amount > 0) AS coupon_orders,
                     sum(amount) AS spend, sum(coupon_amount) AS coupons
                FROM tap_cp.orders GROUP BY 1, 2)
SELECT customer_id, m AS period_start, coalesce(orders, 0) AS orders, coalesce(coupon_orders, 0) AS coupon_orders,
       coalesce(spend, 0) AS spend, coalesce(coupons, 0) AS coupons,
       coupons / nullif(spend, 0) AS intensity,
       sum(coupons) OVER w / nullif(sum(spend) OVER w, 0) AS cumulative_intensity
  FROM months LEFT JOIN per_month USING (customer_id, m)
WINDOW w AS (PARTITION BY customer_id ORDER BY m);
CREATE TABLE tap_cp.trend AS
SELECT customer_id, t.* FROM tap_cp.histories, coupon_trend(h, '1 month') AS t;
SELECT is((SELECT count(*) FROM tap_cp.trend), (SELECT count(*) FROM tap_cp.trend_sql),
          'coupon_trend has one row per month from the first to the last order''s month, empty months too');
SELECT is_empty($$SELECT customer_id, period_start FROM tap_cp.trend t FULL JOIN tap_cp.trend_sql s USING (customer_id, period_start)
                   WHERE t.orders IS DISTINCT FROM s.orders::int OR t.coupon_orders IS DISTINCT FROM s.coupon_orders::int
                      OR NOT pg_temp.close(t.spend, s.spend) OR NOT pg_temp.close(t.coupon_amount, s.coupons)
                      OR NOT pg_temp.close(t.intensity, s.intensity)
                      OR NOT pg_temp.close(t.cumulative_intensity, s.cumulative_intensity)$$,
                'coupon_trend(h, ''1 month'') = date_trunc(''month'') with window sums');
-- Weekly: date_trunc('week') periods, from a given start to a given end.
SELECT is_empty($$WITH t AS (SELECT customer_id, x.* FROM tap_cp.histories,
                                    coupon_trend(h, '7 days', '2025-01-06', '2025-12-29') AS x),
                         s AS (SELECT customer_id, date_trunc('week', ordered_at) AS period_start, count(*) AS orders,
                                      sum(coupon_amount) / nullif(sum(amount), 0) AS intensity
                                 FROM tap_cp.orders WHERE ordered_at >= '2025-01-06' AND ordered_at < '2026-01-05'
                                GROUP BY 1, 2)
                   SELECT customer_id, period_start FROM t FULL JOIN s USING (customer_id, period_start)
                    WHERE (s.orders IS NOT NULL OR t.orders > 0)
                      AND (t.orders IS DISTINCT FROM s.orders::int OR NOT pg_temp.close(t.intensity, s.intensity))$$,
                'coupon_trend(h, ''7 days'', from, to) = date_trunc(''week'') over the orders in those weeks');

SELECT * FROM finish();
ROLLBACK;
