-- coupons benchmarks (run by bench/run.sh on bench_shop).
-- Per customer: coupon intensity, coupon order rate, dependence class, promotion share (orders
-- and spend) and attitude as of 2026-01-01 with promotions counted as discounts.
-- (a) from a stored customer table of purchase histories (customer_id, h), vs. the SQL a user
--     writes over the orders: GROUP BY with FILTER, a join to promotions, count(DISTINCT day)
--     for the purchase days, CASE for the class and the attitude;
-- (b) the same from the orders, the summaries built in the same query, vs. the same SQL.
-- Every output is consumed: sums of the numbers, and the customers of each class and attitude.
-- The promotion share is computed once per customer in a subquery kept from flattening by
-- OFFSET 0 (flattened, (s).orders_share and (s).spend_share would call it twice; LATERAL
-- would pay a function scan per customer).
-- Both sides are checked once, outside the timing, to give the same figures. Session TimeZone
-- UTC; default thresholds (occasional_max 0.25, dependent_min 0.5) and policy (within 1 year,
-- min_purchase_days 2, lapse_factor 2, uncertain_min 0.5).
SET TimeZone = 'UTC';

\set consume 'SELECT count(*) AS customers, round(sum(intensity)::numeric, 6) AS intensity, round(sum(rate)::numeric, 6) AS rate, count(*) FILTER (WHERE dependence = ''none'') AS d_none, count(*) FILTER (WHERE dependence = ''occasional'') AS d_occasional, count(*) FILTER (WHERE dependence = ''dependent'') AS d_dependent, count(*) FILTER (WHERE dependence = ''coupon_only'') AS d_coupon_only, round(sum(orders_share)::numeric, 6) AS orders_share, round(sum(spend_share)::numeric, 6) AS spend_share, count(*) FILTER (WHERE attitude = ''positive'') AS a_positive, count(*) FILTER (WHERE attitude = ''uncertain'') AS a_uncertain, count(*) FILTER (WHERE attitude = ''neutral'') AS a_neutral FROM '
\set plain_sql 'WITH o AS (SELECT o.customer_id, count(*) AS n, count(*) FILTER (WHERE o.coupon_amount > 0) AS nc, sum(o.amount) AS spend, sum(o.coupon_amount) AS coupons, sum(o.amount) FILTER (WHERE o.coupon_amount > 0) AS coupon_spend, count(*) FILTER (WHERE p.promotion_id IS NOT NULL) AS np, coalesce(sum(o.amount) FILTER (WHERE p.promotion_id IS NOT NULL), 0) AS promo_spend, count(DISTINCT o.ordered_at::date) FILTER (WHERE o.ordered_at > ''2025-01-01'') AS window_days, count(DISTINCT o.ordered_at::date) AS days, min(o.ordered_at) AS first, max(o.ordered_at) AS last, count(*) FILTER (WHERE o.ordered_at > ''2025-01-01'') AS window_orders, count(*) FILTER (WHERE o.ordered_at > ''2025-01-01'' AND (o.coupon_amount > 0 OR p.promotion_id IS NOT NULL)) AS window_discounted FROM bench_shop.orders o LEFT JOIN bench_shop.promotions p ON o.ordered_at >= p.starts_at AND o.ordered_at < p.ends_at WHERE o.ordered_at <= ''2026-01-01'' GROUP BY o.customer_id), m AS (SELECT (coupons / nullif(spend, 0))::float8 AS intensity, nc::float8 / n AS rate, CASE WHEN nc = 0 THEN ''none'' WHEN nc = n AND n >= 2 THEN ''coupon_only'' WHEN nc::float8 / n >= 0.5 THEN ''dependent'' WHEN nc::float8 / n <= 0.25 THEN ''occasional'' WHEN spend > 0 AND coupon_spend >= 0.5 * spend THEN ''dependent'' ELSE ''occasional'' END AS dependence, np::float8 / n AS orders_share, (promo_spend / nullif(spend, 0))::float8 AS spend_share, CASE WHEN window_days < 2 THEN ''neutral'' WHEN extract(epoch FROM ''2026-01-01''::timestamptz - last) > 2 * extract(epoch FROM last - first) / (days - 1) THEN ''neutral'' WHEN window_discounted::float8 / window_orders >= 0.5 THEN ''uncertain'' ELSE ''positive'' END AS attitude FROM o) ' :consume 'm'
\set per_customer '(SELECT profiling.coupon_intensity(h) AS intensity, profiling.coupon_order_rate(h) AS rate, profiling.coupon_dependence(h) AS dependence, (s).orders_share, (s).spend_share, profiling.attitude(h, ''2026-01-01'', promotions => (SELECT periods FROM bench.cp_promotions)) AS attitude FROM (SELECT h, profiling.promotion_share(h, (SELECT periods FROM bench.cp_promotions)) AS s FROM '
\set a_profiling :consume :per_customer 'bench.cp_histories OFFSET 0) x) m'
\set b_profiling :consume :per_customer '(SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h FROM bench_shop.orders GROUP BY customer_id) y OFFSET 0) x) m'

-- The stored customer table of (a), and the promotion periods as one multirange.
CREATE TABLE bench.cp_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM bench_shop.orders GROUP BY customer_id;
VACUUM ANALYZE bench.cp_histories;
CREATE TABLE bench.cp_promotions AS
SELECT range_agg(tstzrange(starts_at, ends_at)) AS periods FROM bench_shop.promotions;

\echo 'Checks (outside the timing): the plain SQL, stored summaries and summaries built from the orders give the same figures'
:plain_sql;
:a_profiling;
:b_profiling;

\echo '(a) from stored purchase histories, vs. plain SQL over the orders'
SELECT * FROM bench.compare('(a) coupon figures from stored histories', :'plain_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) coupon figures from stored histories', :'plain_sql', :'a_profiling', 2);
\echo '(b) from the orders (summaries built in the query), vs. plain SQL'
SELECT * FROM bench.compare('(b) coupon figures from the orders', :'plain_sql', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) coupon figures from the orders', :'plain_sql', :'b_profiling', 2);

DROP TABLE bench.cp_histories, bench.cp_promotions;
