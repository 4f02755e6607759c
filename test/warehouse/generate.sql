-- test/warehouse/generate.sql: the deterministic sample warehouse of `profiling`.
--
--   \i test/warehouse/generate.sql
--   CALL sample_warehouse.build('shop', 'small', 42);      -- target schema, scale, seed
--
-- Creates or replaces schema sample_warehouse, which holds only the generator. build() drops and
-- recreates the target schema and fills it with customers, products, orders, order_lines,
-- interactions, promotions, truth (every planted fact with its expected value) and
-- warehouse_info. test/warehouse/README.md describes the tables, scales and facts.
--
-- Determinism: the same (scale, seed) gives identical tables in any session, under any TimeZone
-- and any query plan, because
--   * nothing calls random(), setseed() or now(): every random number is
--     u(seed, stream, key, sub), a hash of its arguments mapped to [0, 1). The stream names what
--     is drawn ('order.coupon'); key and sub name for whom (a customer, an order, a line);
--   * time is integer arithmetic on "sec", the seconds since 2024-01-01 00:00:00 UTC (day number
--     = sec / 86400: day 0 is 2024-01-01, day 730 is 2025-12-31, day 731 the reference date).
--     Only at() turns a sec into a timestamptz, counting from the Unix epoch: no local time is
--     ever read or written;
--   * every numbering orders by a unique key, and every running sum runs in a fixed order.
--
-- The steps of build() fill session-private staging tables pg_temp.sw_* in this order:
--   make_customers, make_products, make_pools, schedule_orders, register_customers, make_orders,
--   draw_lines, price_lines, make_interactions, make_truth, publish.
-- What each kind of customer does is data, not code: archetypes() says who they are and when
-- they are active, order_recipes() when they order and what goes into the order.

-- Quiet: no NOTICE such as "schema ... already exists, skipping"; restored at the end.
SELECT current_setting('client_min_messages') AS sw_saved_client_min_messages \gset
SET client_min_messages = warning;
-- Serialise concurrent runs of this script (pg_prove -j): two sessions replacing the same
-- function at the same moment fail with "tuple concurrently updated".
SELECT pg_advisory_lock(7277457061535651) AS sw_script_lock \gset

CREATE SCHEMA IF NOT EXISTS sample_warehouse;
COMMENT ON SCHEMA sample_warehouse IS
    'generator of the deterministic sample warehouses of the profiling tests (test/warehouse/generate.sql)';


-- ==========================================================================================
-- 1. Time and random numbers
-- ==========================================================================================

CREATE OR REPLACE FUNCTION sample_warehouse.period_days() RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 731;
COMMENT ON FUNCTION sample_warehouse.period_days() IS
    'length of the history in days: 2024-01-01 .. 2025-12-31; day 731 is the reference date';

CREATE OR REPLACE FUNCTION sample_warehouse.sec(day int, second_of_day int) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN day::bigint * 86400 + second_of_day;
COMMENT ON FUNCTION sample_warehouse.sec(int, int) IS
    'seconds since 2024-01-01 00:00:00 UTC of a day number and a second of that day';

CREATE OR REPLACE FUNCTION sample_warehouse.at(sec bigint) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN to_timestamp(1704067200 + sec);          -- 1704067200 = 2024-01-01 00:00:00 UTC
COMMENT ON FUNCTION sample_warehouse.at(bigint) IS
    'the timestamptz of a sec, independent of the session TimeZone';

CREATE OR REPLACE FUNCTION sample_warehouse.u(seed int, stream text, key bigint, sub bigint DEFAULT 0)
RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- The top 53 bits of a 64-bit hash, divided by 2^53: exactly representable, uniform on [0, 1).
RETURN ((hashint8extended(key, hashint8extended(sub, hashtextextended(stream, seed))) >> 11)
        & 9007199254740991)::float8 / 9007199254740992::float8;
COMMENT ON FUNCTION sample_warehouse.u(int, text, bigint, bigint) IS
    'the uniform random number in [0, 1) of (seed, stream, key, sub): a hash, the same in every session';

CREATE OR REPLACE FUNCTION sample_warehouse.int_between(u float8, lo int, hi int) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lo + floor(u * (hi - lo + 1))::int;
COMMENT ON FUNCTION sample_warehouse.int_between(float8, int, int) IS
    'uniform integer in [lo, hi] from a uniform u in [0, 1)';

CREATE OR REPLACE FUNCTION sample_warehouse.normal(seed int, stream text, key bigint) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Box-Muller from the draws sub = 1 and sub = 2 of the stream.
RETURN sqrt(-2 * ln(1 - sample_warehouse.u(seed, stream, key, 1)))
       * cos(2 * pi() * sample_warehouse.u(seed, stream, key, 2));
COMMENT ON FUNCTION sample_warehouse.normal(int, text, bigint) IS
    'standard normal random number of (seed, stream, key)';

CREATE OR REPLACE FUNCTION sample_warehouse.pick(choices text[], cumulative float8[], u float8)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN choices[width_bucket(u, cumulative) + 1];
COMMENT ON FUNCTION sample_warehouse.pick(text[], float8[], float8) IS
    'weighted choice: choices[i] when u falls between cumulative[i-1] and cumulative[i] (one bound fewer than choices)';

CREATE OR REPLACE FUNCTION sample_warehouse.time_of_day(u float8) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 25200 + floor(u * 57600)::int;
COMMENT ON FUNCTION sample_warehouse.time_of_day(float8) IS
    'a second of the day between 07:00:00 and 22:59:59 UTC (shops sleep at night)';


-- ==========================================================================================
-- 2. Reference data: scales, archetypes, recipes, catalogue, promotions
-- ==========================================================================================

CREATE OR REPLACE FUNCTION sample_warehouse.scales()
RETURNS TABLE (scale text, customers int, products_per_tier int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- tiny takes its head counts from archetypes().tiny; the others share `customers` by permille.
AS $$ VALUES ('tiny', NULL::int, 2), ('small', 2000, 6), ('large', 200000, 40) $$;
COMMENT ON FUNCTION sample_warehouse.scales() IS
    'the scales build() accepts: customers (NULL: tiny head counts) and products per category and price tier';

CREATE OR REPLACE FUNCTION sample_warehouse.archetypes()
RETURNS TABLE (archetype text, tiny int, permille int, registers boolean, closes boolean,
               first_lo int, first_hi int, last_lo int, last_hi int,
               coupon_propensity float8, avoid_promotions boolean, contacts_lo int, contacts_hi int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- Who the customers are. Each customer is active from a first to a last day (drawn in the
    -- ranges; a closer closes the account the day after the last one); coupon_propensity is the
    -- chance that an order carries a coupon (NULL: drawn per customer); contacts is the range
    -- of interactions (visits, calls, e-mail clicks) besides the visits before orders.
    SELECT archetype, tiny, permille, registers, closes, first_lo, first_hi, last_lo, last_hi,
           coupon_propensity::float8, avoid_promotions, contacts_lo, contacts_hi
      FROM (VALUES
        -- archetype              tiny   ‰   registers closes first days  last days coupon no-promo contacts
        ('background',              10, 660, true,  false,   0, 500,  730, 730, NULL, false, 0, 6),
        ('hero',                     2,  20, true,  false,   0, 700,  730, 730, 0.1,  false, 0, 3),
        ('repeat',                   2,  30, true,  false,   0,  60,  700, 730, 0.1,  false, 0, 6),
        ('vip',                      2,  20, true,  false,   0,  60,  700, 730, 0.1,  false, 1, 8),
        ('one_time_opportunistic',   2,  30, true,  false,   0, 700,  730, 730, 1.0,  false, 0, 3),
        ('coupon_only',              2,  20, true,  false,   0, 200,  730, 730, 1.0,  false, 0, 6),
        ('full_price',               2,  20, true,  false,   0, 200,  730, 730, 0.0,  true,  0, 6),
        ('dormant',                  2,  30, true,  false,   0,  60,  380, 580, 0.1,  false, 0, 6),
        ('closed',                   2,  20, true,  true,    0, 120,  240, 680, 0.1,  false, 0, 6),
        ('prospect',                 2,  50, false, false,   0, 700,  730, 730, NULL, false, 1, 8),
        ('lead',                     1,  10, false, false,   0, 700,  730, 730, NULL, false, 0, 0),
        ('registered_only',          1,  30, true,  false,   0, 700,  730, 730, NULL, false, 0, 4),
        ('newcomer',                 1,  10, true,  false, 700, 714,  730, 730, 0.1,  false, 0, 3),
        ('replenisher',              2,  10, true,  false,   0,  29,  730, 730, 0.0,  false, 0, 6),
        ('growing_quantity',         1,  10, true,  false,   0, 120,  730, 730, 0.1,  false, 0, 6),
        ('stockpiler',               1,  10, true,  false,   0,  60,  730, 730, 0.1,  false, 0, 6),
        ('sequence',                 2,  20, true,  false,   0, 120,  730, 730, 0.1,  false, 0, 6)
      ) AS a (archetype, tiny, permille, registers, closes, first_lo, first_hi, last_lo, last_hi,
              coupon_propensity, avoid_promotions, contacts_lo, contacts_hi)
$$;
COMMENT ON FUNCTION sample_warehouse.archetypes() IS
    'the kinds of customers: head count at tiny scale, permille at the others, registration, closing, active days, coupon use, interactions';

CREATE OR REPLACE FUNCTION sample_warehouse.order_recipes()
RETURNS TABLE (archetype text, part text, schedule text, n_lo int, n_hi int, days int,
               after_part text, profile text, planted_roles text[],
               qty_lo int, qty_hi int, step_lo int, step_hi int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- When each archetype orders (schedule) and what goes into the order (profile, plus one line
    -- of a planted product whose role is drawn from planted_roles, in quantity
    -- qty + step * (k - 1) for the k-th order of the part). Schedules:
    --   background      buy-till-you-die process (schedule_background)
    --   spread          n_lo..n_hi orders spread evenly over the active days, k in time order
    --   cycle           n_lo..n_hi orders exactly `days` apart from the first active day
    --   each_promotion  one order in every promotion
    --   one_promotion   one order in one promotion
    --   after           one order `days` (+-2 days, median exactly `days`) after each order
    --                   of after_part
    SELECT * FROM (VALUES
        -- archetype                part         schedule          n       days after     profile    planted roles                     qty     step
        ('background',             'main',      'background',     NULL::int, NULL::int, NULL::int, NULL, 'regular', NULL::text[],      NULL::int, NULL::int, NULL::int, NULL::int),
        ('hero',                   'main',      'spread',            1,  1, NULL, NULL,    'premium', NULL,                             NULL, NULL, NULL, NULL),
        ('repeat',                 'main',      'spread',           20, 24, NULL, NULL,    'budget',  NULL,                             NULL, NULL, NULL, NULL),
        ('vip',                    'main',      'spread',           20, 24, NULL, NULL,    'upscale', NULL,                             NULL, NULL, NULL, NULL),
        ('one_time_opportunistic', 'main',      'one_promotion',  NULL, NULL, NULL, NULL,  'budget',  NULL,                             NULL, NULL, NULL, NULL),
        ('coupon_only',            'main',      'spread',            4,  9, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('full_price',             'main',      'spread',            4,  9, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('dormant',                'main',      'spread',           14, 20, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('closed',                 'main',      'spread',            6, 14, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('newcomer',               'main',      'spread',            1,  2, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('replenisher',            'cycle',     'cycle',            12, 20,   30, NULL,    'extra',   '{replenish_1,replenish_2}',         1,    3,    0,    0),
        ('growing_quantity',       'main',      'spread',            4,  8, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('growing_quantity',       'growing',   'spread',            6,  9, NULL, NULL,    'extra',   '{growing}',                         1,    2,    1,    2),
        ('stockpiler',             'main',      'spread',            5,  9, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('stockpiler',             'stockpile', 'each_promotion', NULL, NULL, NULL, NULL,  'extra',   '{stockpile}',                       8,   16,    0,    0),
        ('sequence',               'main',      'spread',            3,  6, NULL, NULL,    'regular', NULL,                             NULL, NULL, NULL, NULL),
        ('sequence',               'first',     'spread',            1,  1, NULL, NULL,    'extra',   '{sequence_c}',                      1,    1,    0,    0),
        ('sequence',               'then',      'after',          NULL, NULL,   14, 'first', 'extra',   '{sequence_d}',                      1,    1,    0,    0)
    ) AS r (archetype, part, schedule, n_lo, n_hi, days, after_part, profile, planted_roles,
            qty_lo, qty_hi, step_lo, step_hi)
$$;
COMMENT ON FUNCTION sample_warehouse.order_recipes() IS
    'when each archetype orders and what goes into its orders';

CREATE OR REPLACE FUNCTION sample_warehouse.order_profiles()
RETURNS TABLE (profile text, pool text, min_lines int, max_lines int, max_qty int,
               min_amount numeric, pair_lines boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- The basket of an order: min..max lines from a product pool (see make_pools), 1..max_qty
    -- units each (one unit of anything over 100); the first line's quantity is raised until the
    -- order reaches min_amount. pair_lines: the basket may hold the strong pair (draw_lines).
    -- budget: at most 3 lines of 1 unit of at most 12, so never more than 36.
    VALUES ('regular', 'regular', 1, 3, 2,    0::numeric, true),
           ('budget',  'budget',  1, 3, 1,    0,          false),
           ('premium', 'premium', 2, 3, 1, 1000,          false),
           ('upscale', 'upscale', 1, 3, 2,  260,          false),
           ('extra',   'regular', 0, 2, 2,    0,          false)
$$;
COMMENT ON FUNCTION sample_warehouse.order_profiles() IS
    'order baskets: product pool, number of lines, quantities, minimum amount';

CREATE OR REPLACE FUNCTION sample_warehouse.categories()
RETURNS TABLE (category text, base_price numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ VALUES ('grocery', 4::numeric), ('household', 8), ('books', 14), ('beauty', 15), ('toys', 25),
             ('apparel', 35), ('garden', 45), ('electronics', 120) $$;
COMMENT ON FUNCTION sample_warehouse.categories() IS
    'product categories, cheapest first, with the base price their tiers are cut from';

CREATE OR REPLACE FUNCTION sample_warehouse.price_tiers()
RETURNS TABLE (price_tier text, low_factor float8, high_factor float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- Disjoint ranges, so inside a category every low price < every mid price < every high price.
AS $$ VALUES ('low', 0.50::float8, 0.90::float8), ('mid', 1.00, 1.80), ('high', 2.50, 5.00) $$;
COMMENT ON FUNCTION sample_warehouse.price_tiers() IS
    'price tiers as ranges of multiples of the category base price';

CREATE OR REPLACE FUNCTION sample_warehouse.planted_products()
RETURNS TABLE (role text, category text, price_tier text, description text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- Products that carry planted behaviour: ids 1..8 in this order. They are never drawn into
    -- a random basket, so they appear only where a recipe or the strong pair puts them.
    VALUES ('pair_a',      'electronics', 'low',  'antecedent of the strong pair: nearly always bought with pair_b'),
           ('pair_b',      'household',   'low',  'consequent of the strong pair: also popular on its own'),
           ('sequence_c',  'beauty',      'high', 'bought first; sequence_d follows about 14 days later'),
           ('sequence_d',  'beauty',      'mid',  'bought about 14 days after sequence_c'),
           ('replenish_1', 'beauty',      'mid',  'replenished every 30 days'),
           ('replenish_2', 'household',   'mid',  'replenished every 30 days'),
           ('growing',     'grocery',     'mid',  'bought in strictly growing quantities'),
           ('stockpile',   'household',   'mid',  'stockpiled during promotions, never bought in between')
$$;
COMMENT ON FUNCTION sample_warehouse.planted_products() IS
    'the products of planted behaviour, in product_id order';

CREATE OR REPLACE FUNCTION sample_warehouse.promotions()
RETURNS TABLE (promotion_id int, name text, first_day int, last_day int, discount numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- Site-wide sales: every product costs `discount` less from the first to the last day.
    SELECT promotion_id, name, first_date - date '2024-01-01', last_date - date '2024-01-01', discount
      FROM (VALUES (1, 'spring sale 2024',   date '2024-03-15', date '2024-03-21', 0.15),
                   (2, 'summer sale 2024',   date '2024-07-01', date '2024-07-07', 0.20),
                   (3, 'black friday 2024',  date '2024-11-29', date '2024-12-02', 0.25),
                   (4, 'spring sale 2025',   date '2025-03-14', date '2025-03-20', 0.15),
                   (5, 'summer sale 2025',   date '2025-07-01', date '2025-07-07', 0.20),
                   (6, 'black friday 2025',  date '2025-11-28', date '2025-12-01', 0.25)
           ) AS p (promotion_id, name, first_date, last_date, discount)
$$;
COMMENT ON FUNCTION sample_warehouse.promotions() IS
    'the promotion calendar, as day numbers (0 = 2024-01-01)';

CREATE OR REPLACE FUNCTION sample_warehouse.archetype_facts()
RETURNS TABLE (archetype text, fact text, note text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- The truth row that marks each planted customer (make_truth computes value and at).
    VALUES ('hero',                   'hero',                   'exactly 1 order, of at least 1000; value = its amount'),
           ('repeat',                 'repeat',                 '20 or more orders, each of at most 40; value = the number of orders'),
           ('vip',                    'vip',                    '20 or more orders and a total spend of at least 5000; value = the total spend'),
           ('one_time_opportunistic', 'one_time_opportunistic', 'exactly 1 order, of at most 40, with a coupon, during a promotion; value = its amount'),
           ('coupon_only',            'coupon_only',            'every order has a coupon; value = coupon amount / amount over all orders (6 decimals)'),
           ('full_price',             'full_price',             'several orders, none with a coupon or a promotional price; value = 0'),
           ('dormant',                'dormant',                'bought every few weeks, then stopped: at = the last purchase, value = whole days from it to the reference date'),
           ('closed',                 'closed',                 'closed the account: at = closed_at; no order or interaction after it'),
           ('prospect',               'prospect',               'never registered, has interactions, no orders; value = the number of interactions'),
           ('lead',                   'lead',                   'never registered, no interactions, no orders (known from a lead list); value = 0'),
           ('registered_only',        'registered_only',        'registered, never ordered: at = registered_at, value = the number of interactions'),
           ('newcomer',               'newcomer',               'registered recently, first purchase in the last 31 days: at = the first purchase, value = the number of orders'),
           ('replenisher',            'replenisher',            'buys product_id exactly every 30 days (timestamps 30 * 24 h apart), nowhere else; value = 30'),
           ('growing_quantity',       'growing_quantity',       'the quantity of product_id grows by the same step at each order of it; value = that step (units per order)'),
           ('stockpiler',             'stockpiler',             'buys product_id in large quantities (8 or more) only during promotions, nothing in between; value = share of its units bought on promotion'),
           ('sequence',               'followed_by_lag',        'bought product_id, then other_product_id in a later order: at = that later purchase, value = the lag in days')
$$;
COMMENT ON FUNCTION sample_warehouse.archetype_facts() IS
    'the truth fact that marks each planted archetype, with its explanation';


-- ==========================================================================================
-- 3. Small derived rules
-- ==========================================================================================

CREATE OR REPLACE FUNCTION sample_warehouse.archetype_size(scale text, tiny int, permille int)
RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE scale WHEN 'tiny' THEN tiny
                  ELSE (SELECT s.customers * permille / 1000 FROM sample_warehouse.scales() s
                         WHERE s.scale = archetype_size.scale) END;
COMMENT ON FUNCTION sample_warehouse.archetype_size(text, int, int) IS
    'number of customers of an archetype at a scale';

CREATE OR REPLACE FUNCTION sample_warehouse.lag_jitter(i bigint) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Cycling through 0, 0, -1, +1, -2, +2 keeps the median of any prefix exactly 0.
RETURN ('{0,0,-1,1,-2,2}'::int[])[(i - 1) % 6 + 1];
COMMENT ON FUNCTION sample_warehouse.lag_jitter(bigint) IS
    'days added to the i-th planted lag: between -2 and +2, median exactly 0 over any first i';

CREATE OR REPLACE FUNCTION sample_warehouse.payment_method(channel text, u float8) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE channel
       WHEN 'store' THEN sample_warehouse.pick('{card,cash}', '{0.6}', u)
       ELSE sample_warehouse.pick('{card,paypal,invoice,gift_card}', '{0.6,0.85,0.95}', u) END;
COMMENT ON FUNCTION sample_warehouse.payment_method(text, float8) IS
    'payment method of an order placed through a channel';

CREATE OR REPLACE FUNCTION sample_warehouse.contact_seconds(kind text, u float8) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE kind WHEN 'visit' THEN sample_warehouse.int_between(u, 30, 1800)
                 WHEN 'call'  THEN sample_warehouse.int_between(u, 60, 1200) END;
COMMENT ON FUNCTION sample_warehouse.contact_seconds(text, float8) IS
    'duration in seconds of an interaction (NULL for an e-mail click)';


-- ==========================================================================================
-- 4. Generation steps: each fills one staging table pg_temp.sw_*
-- ==========================================================================================

CREATE OR REPLACE PROCEDURE sample_warehouse.check_arguments(target_schema text, scale text, seed int)
LANGUAGE plpgsql AS $$
BEGIN
    IF seed IS NULL OR target_schema IS NULL THEN
        RAISE EXCEPTION 'target schema and seed of a sample warehouse must not be null'
              USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF scale IS NULL OR NOT EXISTS (SELECT FROM sample_warehouse.scales() s WHERE s.scale = check_arguments.scale) THEN
        RAISE EXCEPTION 'unknown sample warehouse scale "%"', scale
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'The scales are tiny (about 37 customers), small (2,000) and large (200,000).';
    END IF;
    -- The target is dropped: refuse a schema that holds anything but an earlier warehouse.
    IF target_schema IN ('sample_warehouse', 'public', 'information_schema') OR target_schema LIKE 'pg\_%'
       OR (to_regclass(format('%I.warehouse_info', target_schema)) IS NULL
           AND (EXISTS (SELECT FROM pg_class WHERE relnamespace = to_regnamespace(quote_ident(target_schema)))
                OR EXISTS (SELECT FROM pg_proc WHERE pronamespace = to_regnamespace(quote_ident(target_schema)))
                OR EXISTS (SELECT FROM pg_type WHERE typnamespace = to_regnamespace(quote_ident(target_schema))))) THEN
        RAISE EXCEPTION 'schema "%" is not a sample warehouse', target_schema
              USING ERRCODE = 'invalid_schema_name',
                    DETAIL = 'build() drops the target schema, and this one holds other objects.',
                    HINT = 'Choose another name, or drop the schema first.';
    END IF;
END $$;
COMMENT ON PROCEDURE sample_warehouse.check_arguments(text, text, int) IS
    'raises an error unless build() may drop and fill target_schema at this scale';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_customers(seed int, scale text)
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_customer;
    CREATE TEMP TABLE sw_customer AS
    WITH slot AS (
        SELECT a.*, s.nth
          FROM sample_warehouse.archetypes() a
         CROSS JOIN LATERAL generate_series(1, sample_warehouse.archetype_size(scale, a.tiny, a.permille)) AS s (nth)
    ), customer AS (
        -- ids in a seeded random order, so that an id says nothing about its archetype
        SELECT row_number() OVER (ORDER BY sample_warehouse.u(seed, 'customer.id:' || archetype, nth),
                                           archetype, nth) AS customer_id,
               slot.*
          FROM slot
    )
    SELECT customer_id, archetype, nth, registers, closes, avoid_promotions, contacts_lo, contacts_hi,
           sample_warehouse.int_between(sample_warehouse.u(seed, 'customer.first_day', customer_id), first_lo, first_hi) AS first_day,
           sample_warehouse.int_between(sample_warehouse.u(seed, 'customer.last_day', customer_id), last_lo, last_hi) AS last_day,
           coalesce(coupon_propensity, 0.6 * sample_warehouse.u(seed, 'customer.coupon', customer_id) ^ 2) AS coupon_propensity,
           NULL::bigint AS reg_sec,                 -- set by register_customers
           NULL::bigint AS closed_sec,
           -- Demographics. The VIPs share three traits (truth: vip_trait): 4 in 5 of them (all
           -- but every 5th, 4th-of-5 and 3rd-of-5 respectively) use the app, live in the north
           -- and were born in the 1980s; the base rates are about 20 %, 15 % and 15 %.
           CASE WHEN archetype = 'vip' AND nth % 5 <> 0 THEN 'app'
                ELSE sample_warehouse.pick('{web,app,store}', '{0.5,0.7}', sample_warehouse.u(seed, 'customer.channel', customer_id)) END AS channel,
           CASE WHEN archetype = 'vip' AND nth % 5 <> 4 THEN 'north'
                ELSE sample_warehouse.pick('{north,south,east,west,central}', '{0.15,0.4,0.6,0.8}',
                                           sample_warehouse.u(seed, 'customer.region', customer_id)) END AS region,
           CASE WHEN archetype = 'vip' AND nth % 5 <> 3 THEN sample_warehouse.int_between(sample_warehouse.u(seed, 'customer.birth_year', customer_id), 1980, 1989)
                WHEN sample_warehouse.u(seed, 'customer.birth_year_known', customer_id) < 0.06 THEN NULL
                ELSE sample_warehouse.int_between(sample_warehouse.u(seed, 'customer.birth_year', customer_id), 1945, 2006) END AS birth_year
      FROM customer;
    ANALYZE pg_temp.sw_customer;
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_customers(int, text) IS
    'fills pg_temp.sw_customer: every customer with its archetype, active days and demographics';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_products(seed int, scale text)
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_product;
    CREATE TEMP TABLE sw_product AS
    WITH planted AS (
        SELECT p.role, p.category, p.price_tier, 0 AS nth, p.ordinality AS rank
          FROM sample_warehouse.planted_products() WITH ORDINALITY AS p
    ), regular AS (
        -- cheap categories first: the popularity skew of the regular pool (make_pools) favours low ids
        SELECT NULL::text AS role, c.category, t.price_tier, n.nth,
               row_number() OVER (ORDER BY c.base_price, t.low_factor, n.nth) + 1000 AS rank
          FROM sample_warehouse.categories() c
         CROSS JOIN sample_warehouse.price_tiers() t
         CROSS JOIN sample_warehouse.scales() s
         CROSS JOIN LATERAL generate_series(1, s.products_per_tier) AS n (nth)
         WHERE s.scale = make_products.scale
    ), numbered AS (
        SELECT row_number() OVER (ORDER BY rank) AS product_id, *
          FROM (SELECT * FROM planted UNION ALL SELECT * FROM regular) AS p
    )
    SELECT n.product_id, n.role, n.category, c.base_price, n.price_tier,
           round((c.base_price * (t.low_factor + (t.high_factor - t.low_factor)
                                  * sample_warehouse.u(seed, 'product.price', n.product_id)))::numeric, 2) AS list_price
      FROM numbered n
      JOIN sample_warehouse.categories() c USING (category)
      JOIN sample_warehouse.price_tiers() t USING (price_tier);
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_products(int, text) IS
    'fills pg_temp.sw_product: the planted products (ids 1..8), then every category x price tier';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_pools()
LANGUAGE plpgsql AS $$
BEGIN
    -- The products a random basket draws from, numbered 1..size inside each pool. A draw takes
    -- number 1 + floor(size * u ^ skew): skew 1 is uniform; skew 3 makes the first, cheapest
    -- products of the regular pool its best sellers (the curated pools of the planted
    -- archetypes are small and drawn uniformly). Premium products (the high tier of apparel,
    -- garden and electronics) are for heroes and VIPs only: a regular basket stays under 1000
    -- and no other customer drifts into those segments.
    DROP TABLE IF EXISTS pg_temp.sw_pool;
    CREATE TEMP TABLE sw_pool AS
    SELECT v.pool, v.skew, row_number() OVER (PARTITION BY v.pool ORDER BY p.product_id)::int AS idx, p.product_id
      FROM pg_temp.sw_product p
     CROSS JOIN LATERAL (SELECT p.price_tier = 'high' AND p.base_price >= 35 AS premium) AS t
     CROSS JOIN LATERAL (VALUES ('regular', 3::float8, NOT t.premium),
                                ('budget',  1,         p.list_price <= 12),
                                ('premium', 1,         t.premium),
                                ('upscale', 1,         p.price_tier <> 'low' AND p.base_price >= 14)) AS v (pool, skew, member)
     WHERE v.member AND p.role IS NULL;

    DROP TABLE IF EXISTS pg_temp.sw_pool_size;
    CREATE TEMP TABLE sw_pool_size AS
    SELECT pool, skew, count(*)::int AS size FROM pg_temp.sw_pool GROUP BY pool, skew;

    -- A day number -> discount lookup of the promotion calendar.
    DROP TABLE IF EXISTS pg_temp.sw_promotion_day;
    CREATE TEMP TABLE sw_promotion_day AS
    SELECT d.day, p.promotion_id, p.discount
      FROM sample_warehouse.promotions() p
     CROSS JOIN LATERAL generate_series(p.first_day, p.last_day) AS d (day);
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_pools() IS
    'fills pg_temp.sw_pool and sw_pool_size (the products random baskets draw from) and pg_temp.sw_promotion_day';

-- ---- schedules: each adds (customer_id, part, k, sec) rows to pg_temp.sw_plan -------------

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_background(seed int, for_archetype text, as_part text)
LANGUAGE plpgsql AS $$
BEGIN
    -- Buy till you die: from its first active day a customer buys at a personal rate (log-normal
    -- around one order in three weeks) and after each purchase drops out for good with a personal
    -- probability (1 % to 10 %), after 40 purchases at the latest; 8 % register and never buy.
    -- Gaps are whole days, so a gap of 0 is a second order on the same day.
    INSERT INTO pg_temp.sw_plan (customer_id, archetype, part, k, sec)
    WITH buyer AS (
        SELECT c.customer_id, c.first_day,
               exp(ln(1 / 21.0) + 0.7 * sample_warehouse.normal(seed, 'background.rate', c.customer_id)) AS orders_per_day,
               0.01 + 0.09 * sample_warehouse.u(seed, 'background.dropout', c.customer_id) AS dropout
          FROM pg_temp.sw_customer c
         WHERE c.archetype = for_archetype
           AND sample_warehouse.u(seed, 'background.never_buys', c.customer_id) >= 0.08
    ), purchase AS (
        SELECT b.customer_id, s.k,
               b.first_day + sum(CASE WHEN s.k = 1 THEN 0
                                      ELSE floor(-ln(1 - sample_warehouse.u(seed, 'background.gap', b.customer_id, s.k))
                                                 / b.orders_per_day) END)
                             OVER (PARTITION BY b.customer_id ORDER BY s.k) AS day
          FROM buyer b
         CROSS JOIN LATERAL generate_series(1, least(40, 1 + floor(ln(1 - sample_warehouse.u(seed, 'background.lifetime', b.customer_id))
                                                                   / ln(1 - b.dropout))::int)) AS s (k)
    )
    SELECT customer_id, for_archetype, as_part, k,
           sample_warehouse.sec(day::int, sample_warehouse.time_of_day(sample_warehouse.u(seed, 'background.tod', customer_id, k)))
      FROM purchase
     WHERE day < sample_warehouse.period_days();
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_background(int, text, text) IS
    'schedules the orders of random customers: personal purchase rate, dropout after each purchase';

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_spread(seed int, for_archetype text, as_part text, n_lo int, n_hi int)
LANGUAGE plpgsql AS $$
BEGIN
    -- n orders over the active days [first_day, last_day]: the k-th falls in the middle 60 % of
    -- the k-th n-th of that span, so the orders come regularly and in the order of k.
    INSERT INTO pg_temp.sw_plan (customer_id, archetype, part, k, sec)
    SELECT c.customer_id, c.archetype, as_part, s.k,
           sample_warehouse.sec(
               c.first_day + floor((c.last_day - c.first_day + 1)
                                   * (s.k - 0.5 + 0.6 * (sample_warehouse.u(seed, 'spread.day:' || as_part, c.customer_id, s.k) - 0.5))
                                   / n.n)::int,
               sample_warehouse.time_of_day(sample_warehouse.u(seed, 'spread.tod:' || as_part, c.customer_id, s.k)))
      FROM pg_temp.sw_customer c
     CROSS JOIN LATERAL (SELECT sample_warehouse.int_between(sample_warehouse.u(seed, 'spread.n:' || as_part, c.customer_id), n_lo, n_hi) AS n) AS n
     CROSS JOIN LATERAL generate_series(1, n.n) AS s (k)
     WHERE c.archetype = for_archetype;
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_spread(int, text, text, int, int) IS
    'schedules n_lo..n_hi orders per customer, spread regularly over its active days';

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_cycle(seed int, for_archetype text, as_part text, n_lo int, n_hi int, every_days int)
LANGUAGE plpgsql AS $$
BEGIN
    -- From the first active day, every `every_days` days at the same second of the day: the
    -- timestamps are exactly every_days * 24 h apart.
    INSERT INTO pg_temp.sw_plan (customer_id, archetype, part, k, sec)
    SELECT c.customer_id, c.archetype, as_part, s.k,
           sample_warehouse.sec(c.first_day + (s.k - 1) * every_days,
                                sample_warehouse.time_of_day(sample_warehouse.u(seed, 'cycle.tod:' || as_part, c.customer_id)))
      FROM pg_temp.sw_customer c
     CROSS JOIN LATERAL generate_series(1, least(sample_warehouse.int_between(sample_warehouse.u(seed, 'cycle.n:' || as_part, c.customer_id), n_lo, n_hi),
                                                 (sample_warehouse.period_days() - 1 - c.first_day) / every_days + 1)) AS s (k)
     WHERE c.archetype = for_archetype;
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_cycle(int, text, text, int, int, int) IS
    'schedules n_lo..n_hi orders per customer exactly every_days days apart';

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_promotions(seed int, for_archetype text, as_part text, every_promotion boolean)
LANGUAGE plpgsql AS $$
BEGIN
    -- One order on a random day of every promotion, or of one random promotion; k is the
    -- promotion id, which follows the calendar.
    INSERT INTO pg_temp.sw_plan (customer_id, archetype, part, k, sec)
    SELECT c.customer_id, c.archetype, as_part, p.promotion_id,
           sample_warehouse.sec(
               sample_warehouse.int_between(sample_warehouse.u(seed, 'promotion.day:' || as_part, c.customer_id, p.promotion_id),
                                            p.first_day, p.last_day),
               sample_warehouse.time_of_day(sample_warehouse.u(seed, 'promotion.tod:' || as_part, c.customer_id, p.promotion_id)))
      FROM pg_temp.sw_customer c
     CROSS JOIN sample_warehouse.promotions() p
     WHERE c.archetype = for_archetype
       AND (every_promotion
            OR p.promotion_id = sample_warehouse.int_between(sample_warehouse.u(seed, 'promotion.which:' || as_part, c.customer_id),
                                                             1, (SELECT count(*)::int FROM sample_warehouse.promotions())));
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_promotions(int, text, text, boolean) IS
    'schedules one order in every promotion, or in one random promotion';

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_after(for_archetype text, as_part text, after_part text, lag_days int)
LANGUAGE plpgsql AS $$
BEGIN
    -- lag_days + lag_jitter days after every order of after_part, at the same second of the day:
    -- the lags are whole days and their median is exactly lag_days.
    INSERT INTO pg_temp.sw_plan (customer_id, archetype, part, k, sec)
    SELECT p.customer_id, p.archetype, as_part, p.k,
           p.sec + (lag_days + sample_warehouse.lag_jitter(row_number() OVER (ORDER BY p.customer_id, p.k))) * 86400::bigint
      FROM pg_temp.sw_plan p
     WHERE p.archetype = for_archetype AND p.part = after_part;
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_after(text, text, text, int) IS
    'schedules one order about lag_days after each order of another part (median lag exactly lag_days)';

CREATE OR REPLACE FUNCTION sample_warehouse.outside_promotions(sec bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Promotions are days apart and none ends later than 30 days before the period does.
RETURN sec + coalesce((SELECT (p.last_day - p.first_day + 1) * 86400::bigint
                         FROM sample_warehouse.promotions() p
                        WHERE sec / 86400 BETWEEN p.first_day AND p.last_day), 0);
COMMENT ON FUNCTION sample_warehouse.outside_promotions(bigint) IS
    'sec, moved past the end of the promotion it falls in (by the promotion length), if any';

CREATE OR REPLACE PROCEDURE sample_warehouse.schedule_orders(seed int)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_plan;
    CREATE TEMP TABLE sw_plan (customer_id bigint, archetype text, part text, k int, sec bigint);

    -- "after" parts last: they follow orders scheduled by the other parts.
    FOR r IN SELECT * FROM sample_warehouse.order_recipes() ORDER BY schedule = 'after', archetype, part LOOP
        CASE r.schedule
        WHEN 'background'     THEN CALL sample_warehouse.schedule_background(seed, r.archetype, r.part);
        WHEN 'spread'         THEN CALL sample_warehouse.schedule_spread(seed, r.archetype, r.part, r.n_lo, r.n_hi);
        WHEN 'cycle'          THEN CALL sample_warehouse.schedule_cycle(seed, r.archetype, r.part, r.n_lo, r.n_hi, r.days);
        WHEN 'each_promotion' THEN CALL sample_warehouse.schedule_promotions(seed, r.archetype, r.part, true);
        WHEN 'one_promotion'  THEN CALL sample_warehouse.schedule_promotions(seed, r.archetype, r.part, false);
        WHEN 'after'          THEN CALL sample_warehouse.schedule_after(r.archetype, r.part, r.after_part, r.days);
        END CASE;
    END LOOP;

    -- Full-price customers shop outside the promotions.
    UPDATE pg_temp.sw_plan p
       SET sec = sample_warehouse.outside_promotions(p.sec)
      FROM pg_temp.sw_customer c
     WHERE c.customer_id = p.customer_id AND c.avoid_promotions;
    ANALYZE pg_temp.sw_plan;
END $$;
COMMENT ON PROCEDURE sample_warehouse.schedule_orders(int) IS
    'fills pg_temp.sw_plan: the time of every order, by the schedules of order_recipes()';

CREATE OR REPLACE PROCEDURE sample_warehouse.register_customers(seed int)
LANGUAGE plpgsql AS $$
BEGIN
    -- Registration 1 to 90 days before the first order (or the first active day), so no order
    -- precedes it; closing at a random time on the day after the last active day.
    WITH first_order AS (
        SELECT c.customer_id, min(p.sec) / 86400 AS day
          FROM pg_temp.sw_customer c
          LEFT JOIN pg_temp.sw_plan p USING (customer_id)
         GROUP BY c.customer_id
    )
    UPDATE pg_temp.sw_customer c
       SET reg_sec = CASE WHEN c.registers THEN
                         sample_warehouse.sec(coalesce(f.day::int, c.first_day) - 1
                                              - sample_warehouse.int_between(sample_warehouse.u(seed, 'customer.register_lead', c.customer_id), 0, 89),
                                              sample_warehouse.time_of_day(sample_warehouse.u(seed, 'customer.register_tod', c.customer_id))) END,
           closed_sec = CASE WHEN c.closes THEN
                         sample_warehouse.sec(c.last_day + 1,
                                              sample_warehouse.time_of_day(sample_warehouse.u(seed, 'customer.close_tod', c.customer_id))) END
      FROM first_order f
     WHERE f.customer_id = c.customer_id;
END $$;
COMMENT ON PROCEDURE sample_warehouse.register_customers(int) IS
    'sets the registration and closing times of pg_temp.sw_customer';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_orders(seed int)
LANGUAGE plpgsql AS $$
BEGIN
    -- Orders are numbered in time order; the draws of an order are keyed by (customer, part, k).
    DROP TABLE IF EXISTS pg_temp.sw_order;
    CREATE TEMP TABLE sw_order AS
    SELECT row_number() OVER (ORDER BY p.sec, p.customer_id, p.part, p.k) AS order_id,
           p.customer_id, p.part, p.k, p.sec,
           pr.pool, pr.min_lines, pr.max_lines, pr.max_qty, pr.min_amount, pr.pair_lines,
           planted.product_id AS planted_product,
           sample_warehouse.int_between(sample_warehouse.u(seed, 'order.planted_qty:' || p.part, p.customer_id), r.qty_lo, r.qty_hi)
           + sample_warehouse.int_between(sample_warehouse.u(seed, 'order.planted_step:' || p.part, p.customer_id), r.step_lo, r.step_hi)
             * (p.k - 1) AS planted_qty,
           CASE WHEN sample_warehouse.u(seed, 'order.coupon:' || p.part, p.customer_id, p.k) < c.coupon_propensity
                THEN ('{0.05,0.10,0.15,0.20,0.25}'::numeric[])[sample_warehouse.int_between(
                         sample_warehouse.u(seed, 'order.coupon_rate:' || p.part, p.customer_id, p.k), 1, 5)]
                ELSE 0 END AS coupon_rate,
           o.channel,
           sample_warehouse.payment_method(o.channel, sample_warehouse.u(seed, 'order.payment:' || p.part, p.customer_id, p.k)) AS payment_method
      FROM pg_temp.sw_plan p
      JOIN pg_temp.sw_customer c USING (customer_id)
      JOIN sample_warehouse.order_recipes() r ON r.archetype = p.archetype AND r.part = p.part
      JOIN sample_warehouse.order_profiles() pr ON pr.profile = r.profile
      LEFT JOIN pg_temp.sw_product planted
             ON planted.role = r.planted_roles[sample_warehouse.int_between(
                    sample_warehouse.u(seed, 'order.planted_role:' || p.part, p.customer_id), 1, cardinality(r.planted_roles))]
     CROSS JOIN LATERAL (
            -- 4 orders in 5 through the customer's own channel
            SELECT CASE WHEN sample_warehouse.u(seed, 'order.own_channel:' || p.part, p.customer_id, p.k) < 0.8 THEN c.channel
                        ELSE sample_warehouse.pick('{web,app,store}', '{0.34,0.67}',
                                                   sample_warehouse.u(seed, 'order.channel:' || p.part, p.customer_id, p.k)) END AS channel
           ) AS o;
    ANALYZE pg_temp.sw_order;
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_orders(int) IS
    'fills pg_temp.sw_order: order ids, basket profile, planted line, coupon rate, channel and payment';

CREATE OR REPLACE PROCEDURE sample_warehouse.draw_lines(seed int)
LANGUAGE plpgsql AS $$
BEGIN
    -- Which products go into each order (one line per product), and in what quantity when the
    -- recipe fixes it. Staged apart from pricing so that the planner sees its real size.
    DROP TABLE IF EXISTS pg_temp.sw_line_drawn;
    CREATE TEMP TABLE sw_line_drawn AS
    WITH drawn AS (
        -- the random basket: lines from the profile's pool (make_pools)
        SELECT o.order_id, l.line_no, pool.product_id, NULL::int AS quantity, o.max_qty
          FROM pg_temp.sw_order o
          JOIN pg_temp.sw_pool_size ps USING (pool)
         CROSS JOIN LATERAL generate_series(1, sample_warehouse.int_between(sample_warehouse.u(seed, 'line.count', o.order_id),
                                                                            o.min_lines, o.max_lines)) AS l (line_no)
          JOIN pg_temp.sw_pool pool
            ON pool.pool = o.pool
           AND pool.idx = 1 + floor(ps.size * sample_warehouse.u(seed, 'line.product', o.order_id, l.line_no) ^ ps.skew)::int
        UNION ALL
        -- the planted product of the order, in its planned quantity
        SELECT o.order_id, 0, o.planted_product, o.planted_qty, NULL
          FROM pg_temp.sw_order o
         WHERE o.planted_product IS NOT NULL
        UNION ALL
        -- the strong pair: pair_a in 4 % of the baskets, then 95 % of the time with pair_b;
        -- pair_b also in 15 % of the baskets on its own
        SELECT o.order_id, pair.line_no, pair.product_id, pair.quantity, 2
          FROM pg_temp.sw_order o
         CROSS JOIN LATERAL (SELECT sample_warehouse.u(seed, 'pair.a', o.order_id) < 0.04 AS has_a) AS a
         CROSS JOIN LATERAL (VALUES (90, (SELECT product_id FROM pg_temp.sw_product WHERE role = 'pair_a'), 1, a.has_a),
                                    (91, (SELECT product_id FROM pg_temp.sw_product WHERE role = 'pair_b'), NULL,
                                     (a.has_a AND sample_warehouse.u(seed, 'pair.b_with_a', o.order_id) < 0.95)
                                     OR sample_warehouse.u(seed, 'pair.b', o.order_id) < 0.15)
                            ) AS pair (line_no, product_id, quantity, chosen)
         WHERE o.pair_lines AND pair.chosen
    )
    SELECT DISTINCT ON (order_id, product_id) *
      FROM drawn
     ORDER BY order_id, product_id, line_no;
    ANALYZE pg_temp.sw_line_drawn;
END $$;
COMMENT ON PROCEDURE sample_warehouse.draw_lines(int) IS
    'fills pg_temp.sw_line_drawn: the products of every order (random basket, planted line, strong pair)';

CREATE OR REPLACE PROCEDURE sample_warehouse.price_lines(seed int)
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_line;
    CREATE TEMP TABLE sw_line AS
    WITH priced AS (
        -- list price less the promotion of the order day; one unit of anything over 100
        SELECT d.order_id, d.line_no, d.product_id, o.coupon_rate, o.min_amount,
               coalesce(d.quantity,
                        CASE WHEN p.list_price > 100 THEN 1
                             ELSE sample_warehouse.int_between(sample_warehouse.u(seed, 'line.quantity', d.order_id, d.line_no), 1, d.max_qty) END) AS quantity,
               round(p.list_price * (1 - coalesce(pd.discount, 0)), 2) AS unit_price
          FROM pg_temp.sw_line_drawn d
          JOIN pg_temp.sw_order o USING (order_id)
          JOIN pg_temp.sw_product p USING (product_id)
          LEFT JOIN pg_temp.sw_promotion_day pd ON pd.day = o.sec / 86400
    ), topped_up AS (
        -- an order below its profile's minimum amount buys more of its first line
        SELECT order_id, line_no, product_id, unit_price, coupon_rate,
               quantity + CASE WHEN line_no = min(line_no) OVER w AND sum(quantity * unit_price) OVER w < min_amount
                               THEN ceil((min_amount - sum(quantity * unit_price) OVER w) / unit_price)::int
                               ELSE 0 END AS quantity
          FROM priced
        WINDOW w AS (PARTITION BY order_id)
    )
    SELECT order_id, line_no, product_id, quantity, unit_price,
           round(quantity * unit_price * coupon_rate, 2) AS coupon_amount
      FROM topped_up;

    DROP TABLE IF EXISTS pg_temp.sw_order_total;
    CREATE TEMP TABLE sw_order_total AS
    SELECT order_id, sum(quantity * unit_price) AS amount, sum(coupon_amount) AS coupon_amount
      FROM pg_temp.sw_line
     GROUP BY order_id;
    ANALYZE pg_temp.sw_line, pg_temp.sw_order_total;
END $$;
COMMENT ON PROCEDURE sample_warehouse.price_lines(int) IS
    'fills pg_temp.sw_line (prices, top-ups to the minimum amount, coupons) and pg_temp.sw_order_total';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_interactions(seed int)
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_interaction;
    CREATE TEMP TABLE sw_interaction AS
    WITH visit_before_order AS (
        -- 2 orders in 5 follow a visit, 5 minutes to 2 days earlier
        SELECT o.customer_id,
               o.sec - sample_warehouse.int_between(sample_warehouse.u(seed, 'visit.lead', o.order_id), 300, 172800) AS sec,
               'visit' AS kind,
               sample_warehouse.contact_seconds('visit', sample_warehouse.u(seed, 'visit.duration', o.order_id)) AS seconds
          FROM pg_temp.sw_order o
         WHERE sample_warehouse.u(seed, 'visit.before_order', o.order_id) < 0.4
    ), contact AS (
        -- contacts_lo..contacts_hi visits, e-mail clicks and calls over the customer's known life:
        -- from 30 days before registration (or the first active day) to the last active day
        SELECT c.customer_id,
               sample_warehouse.sec(sample_warehouse.int_between(sample_warehouse.u(seed, 'contact.day', c.customer_id, s.k),
                                                                 w.first_day, w.last_day),
                                    sample_warehouse.time_of_day(sample_warehouse.u(seed, 'contact.tod', c.customer_id, s.k))) AS sec,
               kind.kind,
               sample_warehouse.contact_seconds(kind.kind, sample_warehouse.u(seed, 'contact.duration', c.customer_id, s.k)) AS seconds
          FROM pg_temp.sw_customer c
         CROSS JOIN LATERAL (SELECT greatest(0, coalesce((c.reg_sec / 86400)::int - 30, c.first_day)) AS first_day,
                                    c.last_day) AS w
         CROSS JOIN LATERAL generate_series(1, sample_warehouse.int_between(sample_warehouse.u(seed, 'contact.count', c.customer_id),
                                                                            c.contacts_lo, c.contacts_hi)) AS s (k)
         CROSS JOIN LATERAL (SELECT sample_warehouse.pick('{visit,email_click,call}', '{0.7,0.9}',
                                                          sample_warehouse.u(seed, 'contact.kind', c.customer_id, s.k)) AS kind) AS kind
    )
    SELECT DISTINCT ON (i.customer_id, i.sec, i.kind) i.customer_id, i.sec, i.kind, i.seconds
      FROM (SELECT * FROM visit_before_order UNION ALL SELECT * FROM contact) AS i
      JOIN pg_temp.sw_customer c USING (customer_id)
     WHERE i.sec >= 0
       AND i.sec < coalesce(c.closed_sec, sample_warehouse.sec(sample_warehouse.period_days(), 0))
     ORDER BY i.customer_id, i.sec, i.kind, i.seconds;
    ANALYZE pg_temp.sw_interaction;
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_interactions(int) IS
    'fills pg_temp.sw_interaction: visits before orders and contacts over each customer''s life, none after closing';

-- ---- truth: measured on the generated data, except the planted cycle and lag -------------

CREATE OR REPLACE PROCEDURE sample_warehouse.truth_customers()
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.sw_truth (subject, customer_id, product_id, other_product_id, fact, value, sec, note)
    WITH purchases AS (
        SELECT c.customer_id, count(o.order_id) AS orders, coalesce(sum(t.amount), 0) AS spend,
               coalesce(sum(t.coupon_amount), 0) AS coupons, min(o.sec) AS first_sec, max(o.sec) AS last_sec
          FROM pg_temp.sw_customer c
          LEFT JOIN pg_temp.sw_order o USING (customer_id)
          LEFT JOIN pg_temp.sw_order_total t USING (order_id)
         WHERE c.archetype <> 'background'
         GROUP BY c.customer_id
    ), contacts AS (
        SELECT customer_id, count(*) AS n FROM pg_temp.sw_interaction GROUP BY customer_id
    ), planted AS (
        -- each customer's planted product, per recipe part: quantities in time order, units on promotion
        SELECT o.customer_id, o.part, o.planted_product AS product_id,
               count(*) AS orders, min(o.sec) AS first_sec,
               (array_agg(l.quantity ORDER BY o.sec))[1] AS first_qty,
               (array_agg(l.quantity ORDER BY o.sec DESC))[1] AS last_qty,
               sum(l.quantity) AS units,
               coalesce(sum(l.quantity) FILTER (WHERE l.unit_price < p.list_price OR l.coupon_amount > 0), 0) AS promoted_units
          FROM pg_temp.sw_order o
          JOIN pg_temp.sw_line l ON l.order_id = o.order_id AND l.product_id = o.planted_product
          JOIN pg_temp.sw_product p ON p.product_id = l.product_id
         GROUP BY o.customer_id, o.part, o.planted_product
    ), sequence AS (
        -- a planted product followed by another: the two parts of an "after" recipe
        SELECT earlier.customer_id, earlier.product_id, later.product_id AS other_product_id,
               later.first_sec, trim_scale((later.first_sec - earlier.first_sec) / 86400.0) AS lag_days
          FROM sample_warehouse.order_recipes() r
          JOIN planted earlier ON earlier.part = r.after_part
          JOIN planted later ON later.part = r.part AND later.customer_id = earlier.customer_id
         WHERE r.schedule = 'after'
    ), archetype_fact AS (
        SELECT c.customer_id, coalesce(s.product_id, pl.product_id) AS product_id, s.other_product_id, f.fact,
               CASE c.archetype
                   WHEN 'hero'                   THEN pu.spend
                   WHEN 'repeat'                 THEN pu.orders
                   WHEN 'vip'                    THEN pu.spend
                   WHEN 'one_time_opportunistic' THEN pu.spend
                   WHEN 'coupon_only'            THEN round(pu.coupons / pu.spend, 6)
                   WHEN 'full_price'             THEN 0
                   WHEN 'dormant'                THEN (sample_warehouse.sec(sample_warehouse.period_days(), 0) - pu.last_sec) / 86400
                   WHEN 'prospect'               THEN coalesce(ct.n, 0)
                   WHEN 'lead'                   THEN coalesce(ct.n, 0)
                   WHEN 'registered_only'        THEN coalesce(ct.n, 0)
                   WHEN 'newcomer'               THEN pu.orders
                   WHEN 'replenisher'            THEN r.days
                   WHEN 'growing_quantity'       THEN (pl.last_qty - pl.first_qty) / (pl.orders - 1)
                   WHEN 'stockpiler'             THEN round(pl.promoted_units::numeric / pl.units, 6)
                   WHEN 'sequence'               THEN s.lag_days
               END AS value,
               CASE c.archetype
                   WHEN 'dormant'         THEN pu.last_sec
                   WHEN 'closed'          THEN c.closed_sec
                   WHEN 'registered_only' THEN c.reg_sec
                   WHEN 'newcomer'        THEN pu.first_sec
                   WHEN 'sequence'        THEN s.first_sec
               END AS sec,
               f.note
          FROM pg_temp.sw_customer c
          JOIN sample_warehouse.archetype_facts() f USING (archetype)
          JOIN purchases pu USING (customer_id)
          LEFT JOIN contacts ct USING (customer_id)
          LEFT JOIN sequence s USING (customer_id)
          LEFT JOIN planted pl ON pl.customer_id = c.customer_id AND s.customer_id IS NULL
          LEFT JOIN sample_warehouse.order_recipes() r ON r.archetype = c.archetype AND r.schedule = 'cycle'
    ), history AS (
        -- the purchase history of every planted customer, for the accessors' tests
        SELECT pu.customer_id, NULL::bigint, NULL::bigint, v.fact, v.value, v.sec, v.note
          FROM purchases pu
         CROSS JOIN LATERAL (VALUES ('order_count',    pu.orders::numeric, NULL::bigint, 'number of orders'),
                                    ('total_spend',    pu.spend,           NULL,         'sum of the order amounts (before coupons)'),
                                    ('first_purchase', NULL,               pu.first_sec, 'time of the first order'),
                                    ('last_purchase',  NULL,               pu.last_sec,  'time of the last order')
                            ) AS v (fact, value, sec, note)
         WHERE v.fact IN ('order_count', 'total_spend') OR pu.orders > 0
    )
    SELECT 'customer', * FROM archetype_fact
    UNION ALL
    SELECT 'customer', * FROM history;
END $$;
COMMENT ON PROCEDURE sample_warehouse.truth_customers() IS
    'adds to pg_temp.sw_truth the archetype fact and the purchase history of every planted customer';

CREATE OR REPLACE PROCEDURE sample_warehouse.truth_products()
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.sw_truth (subject, product_id, fact, note)
    SELECT 'product', p.product_id, 'planted_product', pp.role || ': ' || pp.description
      FROM pg_temp.sw_product p
      JOIN sample_warehouse.planted_products() pp USING (role);

    -- The strong pair, counted over all orders. Rules read product_id -> other_product_id.
    INSERT INTO pg_temp.sw_truth (subject, product_id, other_product_id, fact, value, note)
    WITH ids AS (
        SELECT (SELECT product_id FROM pg_temp.sw_product WHERE role = 'pair_a') AS a,
               (SELECT product_id FROM pg_temp.sw_product WHERE role = 'pair_b') AS b
    ), basket AS (
        SELECT bool_or(l.product_id = ids.a) AS has_a, bool_or(l.product_id = ids.b) AS has_b
          FROM pg_temp.sw_line l CROSS JOIN ids
         GROUP BY l.order_id
    ), n AS (
        SELECT count(*) AS orders, count(*) FILTER (WHERE has_a) AS a, count(*) FILTER (WHERE has_b) AS b,
               count(*) FILTER (WHERE has_a AND has_b) AS ab
          FROM basket
    )
    SELECT 'product_pair', rule.antecedent, rule.consequent, rule.fact, round(rule.value, 6), rule.note
      FROM ids CROSS JOIN n
     CROSS JOIN LATERAL (VALUES
         ('strong_pair',         ids.a, ids.b, n.ab::numeric / n.a,  'confidence of product_id -> other_product_id: share of the orders with product_id that also hold other_product_id'),
         ('strong_pair_reverse', ids.b, ids.a, n.ab::numeric / n.b,  'confidence of the reverse rule: few orders with product_id hold other_product_id'),
         ('strong_pair_support', ids.a, ids.b, n.ab::numeric / n.orders, 'support: share of all orders that hold both products'),
         ('strong_pair_lift',    ids.a, ids.b, n.ab::numeric * n.orders / (n.a * n.b), 'lift: confidence / share of all orders that hold other_product_id')
     ) AS rule (fact, antecedent, consequent, value, note);

    -- The planted sequence: the lag that schedule_after planted (its median, exactly).
    INSERT INTO pg_temp.sw_truth (subject, product_id, other_product_id, fact, value, note)
    SELECT 'product_pair', first.product_id, later.product_id, 'followed_by', r.days,
           'customers who buy product_id buy other_product_id in a later order; value = the median lag in days'
      FROM sample_warehouse.order_recipes() r
      JOIN sample_warehouse.order_recipes() f ON f.archetype = r.archetype AND f.part = r.after_part
      JOIN pg_temp.sw_product first ON first.role = f.planted_roles[1]
      JOIN pg_temp.sw_product later ON later.role = r.planted_roles[1]
     WHERE r.schedule = 'after';
END $$;
COMMENT ON PROCEDURE sample_warehouse.truth_products() IS
    'adds to pg_temp.sw_truth the planted products, the strong pair and the planted sequence';

CREATE OR REPLACE PROCEDURE sample_warehouse.truth_segments()
LANGUAGE plpgsql AS $$
BEGIN
    -- The traits the VIPs share (make_customers plants them), among the VIPs and among everyone
    -- else; the note is the trait as a condition on customers.
    INSERT INTO pg_temp.sw_truth (subject, fact, value, note)
    SELECT 'segment', CASE WHEN c.archetype = 'vip' THEN 'vip_trait' ELSE 'vip_trait_base' END,
           round(avg(t.holds::int), 6), t.condition
      FROM pg_temp.sw_customer c
     CROSS JOIN LATERAL (VALUES ('channel = ''app''',                c.channel = 'app'),
                                ('region = ''north''',               c.region = 'north'),
                                ('birth_year BETWEEN 1980 AND 1989', coalesce(c.birth_year BETWEEN 1980 AND 1989, false))
                        ) AS t (condition, holds)
     GROUP BY c.archetype = 'vip', t.condition;
END $$;
COMMENT ON PROCEDURE sample_warehouse.truth_segments() IS
    'adds to pg_temp.sw_truth the share of each VIP trait among the VIPs and among everyone else';

CREATE OR REPLACE PROCEDURE sample_warehouse.make_truth()
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_truth;
    CREATE TEMP TABLE sw_truth (subject text, customer_id bigint, product_id bigint, other_product_id bigint,
                                fact text, value numeric, sec bigint, note text);
    CALL sample_warehouse.truth_customers();
    CALL sample_warehouse.truth_products();
    CALL sample_warehouse.truth_segments();
END $$;
COMMENT ON PROCEDURE sample_warehouse.make_truth() IS
    'fills pg_temp.sw_truth: one row per planted fact';


-- ==========================================================================================
-- 5. Publishing and the entry point
-- ==========================================================================================

CREATE OR REPLACE PROCEDURE sample_warehouse.publish(target_schema text, scale text, seed int)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', target_schema);
    EXECUTE format('CREATE SCHEMA %I', target_schema);
    EXECUTE format('COMMENT ON SCHEMA %I IS %L', target_schema,
                   format('sample warehouse (scale %s, seed %s) built by sample_warehouse.build()', scale, seed));

    -- Tables with their checks; keys, foreign keys and indexes come after the load.
    EXECUTE format($ddl$
        CREATE TABLE %1$I.customers (
            customer_id   bigint NOT NULL,
            registered_at timestamptz,
            closed_at     timestamptz CHECK (closed_at > registered_at),
            channel       text NOT NULL,
            region        text NOT NULL,
            birth_year    int);
        CREATE TABLE %1$I.products (
            product_id    bigint NOT NULL,
            category      text NOT NULL,
            unit_price    numeric(12,2) NOT NULL CHECK (unit_price > 0),
            price_tier    text NOT NULL CHECK (price_tier IN ('low', 'mid', 'high')));
        CREATE TABLE %1$I.orders (
            order_id       bigint NOT NULL,
            customer_id    bigint NOT NULL,
            ordered_at     timestamptz NOT NULL,
            amount         numeric(12,2) NOT NULL CHECK (amount > 0),
            coupon_amount  numeric(12,2) NOT NULL CHECK (coupon_amount >= 0 AND coupon_amount <= amount),
            channel        text NOT NULL,
            payment_method text NOT NULL);
        CREATE TABLE %1$I.order_lines (
            order_id      bigint NOT NULL,
            product_id    bigint NOT NULL,
            quantity      int NOT NULL CHECK (quantity > 0),
            unit_price    numeric(12,2) NOT NULL CHECK (unit_price > 0),
            coupon_amount numeric(12,2) NOT NULL CHECK (coupon_amount >= 0 AND coupon_amount <= quantity * unit_price));
        CREATE TABLE %1$I.interactions (
            customer_id   bigint NOT NULL,
            at            timestamptz NOT NULL,
            kind          text NOT NULL CHECK (kind IN ('visit', 'call', 'email_click')),
            duration      interval);
        CREATE TABLE %1$I.promotions (
            promotion_id  int NOT NULL,
            name          text NOT NULL,
            starts_at     timestamptz NOT NULL,
            ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at),
            discount      numeric(4,2) NOT NULL);
        CREATE TABLE %1$I.truth (
            subject          text NOT NULL CHECK (subject IN ('customer', 'product', 'product_pair', 'segment')),
            customer_id      bigint,
            product_id       bigint,
            other_product_id bigint,
            fact             text NOT NULL,
            value            numeric,
            at               timestamptz,
            note             text NOT NULL);
        CREATE TABLE %1$I.warehouse_info (
            scale          text NOT NULL,
            seed           int NOT NULL,
            customers      int NOT NULL,
            orders         int NOT NULL,
            period_start   timestamptz NOT NULL,
            period_end     timestamptz NOT NULL,
            reference_date timestamptz NOT NULL);
        $ddl$, target_schema);

    EXECUTE format($load$
        INSERT INTO %1$I.customers
        SELECT customer_id, sample_warehouse.at(reg_sec), sample_warehouse.at(closed_sec), channel, region, birth_year
          FROM pg_temp.sw_customer ORDER BY customer_id;
        INSERT INTO %1$I.products
        SELECT product_id, category, list_price, price_tier FROM pg_temp.sw_product ORDER BY product_id;
        INSERT INTO %1$I.orders
        SELECT o.order_id, o.customer_id, sample_warehouse.at(o.sec), t.amount, t.coupon_amount, o.channel, o.payment_method
          FROM pg_temp.sw_order o JOIN pg_temp.sw_order_total t USING (order_id) ORDER BY o.order_id;
        INSERT INTO %1$I.order_lines
        SELECT order_id, product_id, quantity, unit_price, coupon_amount FROM pg_temp.sw_line ORDER BY order_id, product_id;
        INSERT INTO %1$I.interactions
        SELECT customer_id, sample_warehouse.at(sec), kind, make_interval(secs => seconds)
          FROM pg_temp.sw_interaction ORDER BY customer_id, sec, kind;
        INSERT INTO %1$I.promotions
        SELECT promotion_id, name, sample_warehouse.at(sample_warehouse.sec(first_day, 0)),
               sample_warehouse.at(sample_warehouse.sec(last_day + 1, 0)), discount
          FROM sample_warehouse.promotions() ORDER BY promotion_id;
        INSERT INTO %1$I.truth
        SELECT subject, customer_id, product_id, other_product_id, fact, value, sample_warehouse.at(sec), note
          FROM pg_temp.sw_truth ORDER BY subject, fact, customer_id, product_id, other_product_id, note;
        INSERT INTO %1$I.warehouse_info
        SELECT %2$L, %3$s, (SELECT count(*) FROM pg_temp.sw_customer), (SELECT count(*) FROM pg_temp.sw_order),
               sample_warehouse.at(0), sample_warehouse.at(sample_warehouse.sec(sample_warehouse.period_days(), 0)),
               sample_warehouse.at(sample_warehouse.sec(sample_warehouse.period_days(), 0));
        $load$, target_schema, scale, seed);

    EXECUTE format($keys$
        ALTER TABLE %1$I.customers    ADD PRIMARY KEY (customer_id);
        ALTER TABLE %1$I.products     ADD PRIMARY KEY (product_id);
        ALTER TABLE %1$I.orders       ADD PRIMARY KEY (order_id),
                                      ADD FOREIGN KEY (customer_id) REFERENCES %1$I.customers;
        ALTER TABLE %1$I.order_lines  ADD PRIMARY KEY (order_id, product_id),
                                      ADD FOREIGN KEY (order_id) REFERENCES %1$I.orders,
                                      ADD FOREIGN KEY (product_id) REFERENCES %1$I.products;
        ALTER TABLE %1$I.interactions ADD PRIMARY KEY (customer_id, at, kind),
                                      ADD FOREIGN KEY (customer_id) REFERENCES %1$I.customers;
        ALTER TABLE %1$I.promotions   ADD PRIMARY KEY (promotion_id);
        ALTER TABLE %1$I.truth        ADD FOREIGN KEY (customer_id) REFERENCES %1$I.customers,
                                      ADD FOREIGN KEY (product_id) REFERENCES %1$I.products,
                                      ADD FOREIGN KEY (other_product_id) REFERENCES %1$I.products;
        CREATE INDEX ON %1$I.orders (customer_id, ordered_at);
        CREATE INDEX ON %1$I.order_lines (product_id);
        CREATE INDEX ON %1$I.truth (fact, customer_id);
        CREATE INDEX ON %1$I.truth (customer_id);
        ANALYZE %1$I.customers, %1$I.products, %1$I.orders, %1$I.order_lines, %1$I.interactions,
                %1$I.promotions, %1$I.truth, %1$I.warehouse_info;
        $keys$, target_schema);

    EXECUTE format($comments$
        COMMENT ON TABLE %1$I.customers IS 'customers; registered_at NULL: a prospect who never registered; closed_at: account closed, nothing after it';
        COMMENT ON TABLE %1$I.products IS 'catalogue: list price, and its tier (low < mid < high) inside the category';
        COMMENT ON TABLE %1$I.orders IS 'orders: amount = sum of quantity * unit_price of the lines, coupon_amount = sum of the lines'' coupons';
        COMMENT ON TABLE %1$I.order_lines IS 'order lines: unit_price is the price charged (below the list price during a promotion)';
        COMMENT ON TABLE %1$I.interactions IS 'visits, calls and e-mail clicks (duration NULL); prospects have only these';
        COMMENT ON TABLE %1$I.promotions IS 'site-wide sales: every product costs discount less in [starts_at, ends_at)';
        COMMENT ON TABLE %1$I.truth IS 'one row per planted fact, with its expected value and/or time (test/warehouse/README.md)';
        COMMENT ON TABLE %1$I.warehouse_info IS 'scale, seed, sizes and calendar: history in [period_start, period_end), "today" = reference_date';
        $comments$, target_schema);
END $$;
COMMENT ON PROCEDURE sample_warehouse.publish(text, text, int) IS
    'drops and recreates target_schema from the staging tables, with keys, indexes and comments';

CREATE OR REPLACE PROCEDURE sample_warehouse.drop_staging()
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sw_customer, pg_temp.sw_product, pg_temp.sw_pool, pg_temp.sw_pool_size, pg_temp.sw_promotion_day,
                         pg_temp.sw_plan, pg_temp.sw_order, pg_temp.sw_line_drawn, pg_temp.sw_line, pg_temp.sw_order_total,
                         pg_temp.sw_interaction, pg_temp.sw_truth;
END $$;
COMMENT ON PROCEDURE sample_warehouse.drop_staging() IS
    'drops the staging tables pg_temp.sw_*';

CREATE OR REPLACE PROCEDURE sample_warehouse.build(target_schema text, scale text DEFAULT 'tiny', seed int DEFAULT 42)
LANGUAGE plpgsql
SET client_min_messages = warning
SET work_mem = '256MB'          -- the large scale sorts millions of rows
SET jit = off                   -- compiling costs more than it saves on these one-off queries
AS $$
BEGIN
    CALL sample_warehouse.check_arguments(target_schema, scale, seed);
    CALL sample_warehouse.make_customers(seed, scale);
    CALL sample_warehouse.make_products(seed, scale);
    CALL sample_warehouse.make_pools();
    CALL sample_warehouse.schedule_orders(seed);
    CALL sample_warehouse.register_customers(seed);
    CALL sample_warehouse.make_orders(seed);
    CALL sample_warehouse.draw_lines(seed);
    CALL sample_warehouse.price_lines(seed);
    CALL sample_warehouse.make_interactions(seed);
    CALL sample_warehouse.make_truth();
    CALL sample_warehouse.publish(target_schema, scale, seed);
    CALL sample_warehouse.drop_staging();
END $$;
COMMENT ON PROCEDURE sample_warehouse.build(text, text, int) IS
    'drops and recreates target_schema as the sample warehouse of (scale, seed): tiny, small or large';

SELECT pg_advisory_unlock(7277457061535651) AS sw_script_lock \gset
SET client_min_messages = :'sw_saved_client_min_messages';
