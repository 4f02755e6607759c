-- coupons: coupon intensity, coupon order rate, full-price orders, the dependence class, the
-- promotion share, the trend and the attitude. Hand-made summaries first (no orders, one order,
-- every order with a coupon, a coupon larger than its amount, zero-amount orders), then every
-- customer of the tiny sample warehouse, whose planted coupon_only, full_price and
-- one_time_opportunistic customers must come out as such; then every bad input.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 0;

-- ============================================================================================
-- Hand-made summaries
-- ============================================================================================

CREATE TEMP TABLE hand (name text, h profiling.purchase_history);
INSERT INTO hand VALUES
    ('no orders',          '{}'),
    ('one order',          '{(2025-01-10 10:00:00+00,50)}'),
    ('one coupon order',   '{(2025-01-10 10:00:00+00,50,5)}'),
    ('all with coupons',   '{(2025-01-10 10:00:00+00,40,4),(2025-02-10 10:00:00+00,60,6),(2025-03-10 10:00:00+00,100,30)}'),
    ('coupon > amount',    '{(2025-01-10 10:00:00+00,10,15),(2025-02-10 10:00:00+00,30)}'),
    ('zero amounts',       '{(2025-01-10 10:00:00+00,0),(2025-02-10 10:00:00+00,0,0)}'),
    ('zero with coupon',   '{(2025-01-10 10:00:00+00,0,5),(2025-02-10 10:00:00+00,0)}'),
    ('one in four',        '{(2025-01-10 10:00:00+00,10,1),(2025-02-10 10:00:00+00,10),(2025-03-10 10:00:00+00,10),(2025-04-10 10:00:00+00,10)}'),
    ('grey, cheap coupon', '{(2025-01-10 10:00:00+00,10,1),(2025-02-10 10:00:00+00,100),(2025-03-10 10:00:00+00,10,1),(2025-04-10 10:00:00+00,100),(2025-05-10 10:00:00+00,100)}'),
    ('grey, dear coupon',  '{(2025-01-10 10:00:00+00,100,10),(2025-02-10 10:00:00+00,10),(2025-03-10 10:00:00+00,100,10),(2025-04-10 10:00:00+00,10),(2025-05-10 10:00:00+00,10)}'),
    ('half',               '{(2025-01-10 10:00:00+00,10,1),(2025-02-10 10:00:00+00,10)}');

-- The metrics and the class under the defaults (occasional_max 0.25, dependent_min 0.5).
SELECT name, profiling.order_count(h) AS orders, profiling.coupon_orders(h) AS with_coupon,
       profiling.full_price_orders(h) AS full_price, profiling.coupon_intensity(h) AS intensity,
       profiling.coupon_order_rate(h) AS rate, profiling.coupon_dependence(h) AS dependence
  FROM hand;
-- Other thresholds: equal thresholds leave no grey band; 0 and 1 are allowed.
SELECT name, profiling.coupon_dependence(h, 0.4, 0.4) AS at_040,
       profiling.coupon_dependence(h, 0, 1) AS at_0_1, profiling.coupon_dependence(h, 0.6, 0.9) AS at_060_090
  FROM hand;
-- The enum orders from the least to the most dependent.
SELECT array_agg(d ORDER BY d) FROM unnest(enum_range(NULL::profiling.coupon_dependence)) AS d;

-- Promotion share: two promotion periods, bounds honoured ([a, b) is the default; (a, b] too).
SELECT name, (s).orders_share, (s).spend_share
  FROM hand, profiling.promotion_share(h, '{[2025-01-01,2025-01-15), [2025-03-10 10:00,2025-03-11)}') AS s;
SELECT s.* FROM profiling.promotion_share('{(2025-01-10 10:00:00+00,50),(2025-01-20 10:00:00+00,50)}',
                                           '{(2025-01-10 10:00:00+00,2025-01-20 10:00:00+00]}') AS s;
-- An unbounded promotion covers everything.
SELECT s.* FROM profiling.promotion_share('{(2025-01-10 10:00:00+00,50)}', '{(,)}') AS s;
-- Other periods on every row of one query (each read afresh), checked against the plain SQL
-- (`<@`): a point period, open bounds with orders on them, an 'infinity' upper bound, and 23
-- one-day periods every 4 days (a long walk over the periods).
CREATE TEMP TABLE share_orders (at, amount) AS VALUES
    ('2025-01-10 10:00+00'::timestamptz, 50::float8), ('2025-01-20 10:00+00', 30),
    ('2025-02-03 12:00+00', 20), ('2025-02-17 00:00+00', 10), ('2025-03-01 00:00+00', 5);
WITH periods (k, p) AS (VALUES
        (1, '{[2025-01-10 10:00+00,2025-01-10 10:00+00]}'::tstzmultirange),
        (2, '{(2025-01-10 10:00+00,2025-01-20 10:00+00)}'),
        (3, '{(2025-01-10 10:00+00,infinity]}'),
        (4, (SELECT range_agg(tstzrange(d, d + interval '1 day'))
               FROM generate_series(timestamptz '2024-12-01 00:00+00', '2025-03-01 00:00+00', '4 days') AS d)),
        (5, '{[2025-01-10 10:00+00,2025-01-10 10:00+00]}')),
     history AS (SELECT profiling.purchase_history(at, amount) AS h FROM share_orders)
SELECT k, (s).orders_share, (s).spend_share,
       (s).orders_share = (SELECT count(*) FILTER (WHERE at <@ p)::float8 / count(*) FROM share_orders)
       AND (s).spend_share = (SELECT coalesce(sum(amount) FILTER (WHERE at <@ p), 0) / sum(amount) FROM share_orders) AS as_sql
  FROM (SELECT k, p, profiling.promotion_share(h, p) AS s FROM periods, history OFFSET 0) AS x
 ORDER BY k;

-- The trend: monthly periods from the first order's month, empty months included, the
-- intensity per month and cumulated from the first period.
SELECT t.* FROM hand, profiling.coupon_trend(h, '1 month') AS t WHERE name = 'grey, dear coupon';
SELECT t.* FROM hand, profiling.coupon_trend(h, '1 month') AS t WHERE name = 'coupon > amount';
-- Weekly steps start on a Monday; from and to choose the periods (every one starting at or
-- before to); the cumulative intensity starts at from.
SELECT t.* FROM hand, profiling.coupon_trend(h, '14 days') AS t WHERE name = 'coupon > amount';
SELECT t.* FROM hand, profiling.coupon_trend(h, '1 month', '2025-02-01', '2025-04-01') AS t WHERE name = 'all with coupons';
-- A summary with no orders has no rows unless both from and to are given; zero spend: NULL
-- intensities.
SELECT count(*) FROM hand, profiling.coupon_trend(h, '1 day') AS t WHERE name = 'no orders';
SELECT t.* FROM hand, profiling.coupon_trend(h, '1 month', '2025-01-01', '2025-02-01') AS t WHERE name = 'no orders';
SELECT t.* FROM hand, profiling.coupon_trend(h, '1 month') AS t WHERE name = 'zero with coupon';
-- NULL summary or step: no rows.
SELECT count(*) FROM profiling.coupon_trend(NULL, '1 month');
SELECT count(*) FROM profiling.coupon_trend('{(2025-01-10 10:00:00+00,50)}', NULL);

-- ============================================================================================
-- The attitude
-- ============================================================================================

SELECT profiling.attitude_policy() AS defaults;
SELECT (p).* FROM (SELECT profiling.attitude_policy(within => '6 months', min_purchase_days => 3,
                                                    lapse_factor => 1.5, uncertain_min => 0.3) AS p) x;

-- A monthly buyer (orders on the 10th, Jan to Jun 2025), the first two with a coupon, the
-- third in a promotion.
CREATE TEMP TABLE monthly AS SELECT
    '{(2025-01-10 10:00:00+00,20,2),(2025-02-10 10:00:00+00,20,2),(2025-03-10 10:00:00+00,20),(2025-04-10 10:00:00+00,20),(2025-05-10 10:00:00+00,20),(2025-06-10 10:00:00+00,20)}'::profiling.purchase_history AS h;
-- Over time: neutral before the second purchase day; positive while discounted orders are
-- under half; uncertain when the promotion counts; neutral once the last purchase is more than
-- twice the mean gap (30.2 days) ago, and again when the window holds fewer than 2 days.
SELECT at, profiling.attitude(h, at) AS coupons_only,
       profiling.attitude(h, at, promotions => '{[2025-03-01,2025-03-15)}') AS with_promotions,
       profiling.attitude(h, at, profiling.attitude_policy(uncertain_min => 0.4)) AS uncertain_from_040
  FROM monthly, unnest(array['2025-01-10 10:00', '2025-02-10 10:00', '2025-03-10 10:00', '2025-04-10 10:00',
                             '2025-06-10 10:00', '2025-08-09', '2025-08-11', '2026-06-01']::timestamptz[]) AS at
 ORDER BY at;
-- Another policy on every row of one query: each is read afresh (a window of one month holds
-- one purchase day, two months hold two; 7 purchase days are more than the 6 there are).
SELECT within, min_days,
       profiling.attitude(h, '2025-06-10 12:00', profiling.attitude_policy(within => within, min_purchase_days => min_days)) AS attitude
  FROM monthly, (VALUES ('1 month'::interval, 2), ('2 months', 2), ('1 year', 6), ('1 year', 7), ('2 months', 2)) AS p (within, min_days);
-- The planted kinds by hand: one order is neutral; two orders on one day are one purchase day.
SELECT name, profiling.attitude(h, '2025-06-01') AS attitude FROM hand;
SELECT profiling.attitude('{(2025-01-10 10:00:00+00,20),(2025-01-10 18:00:00+00,20)}', '2025-01-11');
-- NULL summary, as_of or policy: NULL.
SELECT profiling.attitude(NULL, '2025-01-01') IS NULL AS null_h,
       profiling.attitude(h, NULL) IS NULL AS null_as_of,
       profiling.attitude(h, '2025-01-01', NULL) IS NULL AS null_policy
  FROM monthly;

-- ============================================================================================
-- The tiny warehouse
-- ============================================================================================

CREATE TEMP TABLE tiny AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM shop.orders GROUP BY customer_id;
CREATE TEMP TABLE tiny_promotions AS
SELECT range_agg(tstzrange(starts_at, ends_at)) AS promotions FROM shop.promotions;
SELECT promotions FROM tiny_promotions;

-- Every planted coupon, promotion or full-price customer, with its truth.
SELECT t.fact, t.customer_id, t.value AS truth, round(profiling.coupon_intensity(h)::numeric, 6) AS intensity,
       profiling.coupon_order_rate(h) AS rate, profiling.coupon_dependence(h) AS dependence,
       (profiling.promotion_share(h, p.promotions)).orders_share AS in_promotions,
       profiling.attitude(h, '2026-01-01') AS attitude,
       profiling.attitude(h, '2026-01-01', promotions => p.promotions) AS attitude_with_promotions
  FROM shop.truth t JOIN tiny USING (customer_id), tiny_promotions p
 WHERE t.fact IN ('coupon_only', 'full_price', 'one_time_opportunistic')
 ORDER BY t.fact, t.customer_id;
-- The mix: customers and value per dependence class and per attitude.
SELECT profiling.coupon_dependence(h) AS dependence, count(*) AS customers,
       sum(profiling.total_spend(h)) AS value
  FROM tiny GROUP BY 1 ORDER BY 1;
SELECT profiling.attitude(h, '2026-01-01', promotions => p.promotions) AS attitude, count(*) AS customers,
       sum(profiling.total_spend(h)) AS value
  FROM tiny, tiny_promotions p GROUP BY 1 ORDER BY 1;

-- ============================================================================================
-- Bad input
-- ============================================================================================

SELECT call, e.error_code, e.message, e.detail
  FROM (VALUES ('coupon_dependence(''{}'', -0.1, 0.5)'), ('coupon_dependence(''{}'', 0.25, 1.5)'),
               ('coupon_dependence(''{}'', ''NaN'', 0.5)'), ('coupon_dependence(''{}'', 0.6, 0.5)'),
               ('promotion_share(''{(2025-01-10 10:00:00+00,50)}'', ''{}'')'),
               ('coupon_trend(''{(2025-01-10 10:00:00+00,50)}'', ''0 days'')'),
               ('coupon_trend(''{(2025-01-10 10:00:00+00,50)}'', ''-1 month'')'),
               ('coupon_trend(''{(2025-01-10 10:00:00+00,50)}'', ''1 month'', ''-infinity'')'),
               ('coupon_trend(''{(2025-01-10 10:00:00+00,50)}'', ''1 month'', NULL, ''infinity'')'),
               ('attitude(''{}'', ''infinity'')'),
               ('attitude(''{}'', ''2025-01-01'', promotions => ''{}'')'),
               ('attitude_policy(within => ''0 days'')'), ('attitude_policy(within => NULL)'),
               ('attitude_policy(min_purchase_days => 1)'), ('attitude_policy(lapse_factor => 0)'),
               ('attitude_policy(lapse_factor => ''Infinity'')'), ('attitude_policy(uncertain_min => 1.1)'),
               ('attitude_policy(uncertain_min => NULL)')) AS v(call),
       regress.error_of(format('SELECT * FROM profiling.%s', call)) AS e;
-- A policy built by hand skips the constructor; attitude() checks it again.
SELECT e.error_code, e.message
  FROM regress.error_of($$SELECT profiling.attitude('{}', '2025-06-01',
                                                    ROW('1 year', 1, 2, 0.5)::profiling.attitude_policy)$$) AS e;
-- Zero spend is no error: a NULL intensity (and spend share).
SELECT profiling.coupon_intensity('{(2025-01-10 10:00:00+00,0)}') IS NULL AS zero_spend_intensity,
       (profiling.promotion_share('{(2025-01-10 10:00:00+00,0)}', '{(,)}')).spend_share IS NULL AS zero_spend_share;
