-- ============================================================================================
-- coupons: is a customer buying the brand or the discount?
-- The metrics of one purchase history (coupon_intensity, coupon_order_rate, full_price_orders),
-- the class coupon_dependence(...), promotion_share(h, promotions) (src/coupons.c), the trend
-- coupon_trend(...) (src/coupon_trend.c), and the attitude (enum attitude, policy
-- attitude_policy) (src/attitude.c).
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

-- From the least to the most dependent: ORDER BY follows it.
CREATE TYPE profiling.coupon_dependence AS ENUM ('none', 'occasional', 'dependent', 'coupon_only');

-- From the most to the least committed: ORDER BY follows it.
CREATE TYPE profiling.attitude AS ENUM ('positive', 'uncertain', 'neutral');

-- A plain composite, like lifecycle_policy: attitude_policy(...) builds one with defaults and
-- checks it; attitude() checks it again (a ROW(...) cast skips the constructor).
CREATE TYPE profiling.attitude_policy AS (
    within interval,
    min_purchase_days integer,
    lapse_factor double precision,
    uncertain_min double precision
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.coupon_intensity(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'coupons_intensity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.coupon_order_rate(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'coupons_order_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.full_price_orders(h profiling.purchase_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'coupons_full_price_orders' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.coupon_dependence(h profiling.purchase_history,
                                            occasional_max double precision DEFAULT 0.25,
                                            dependent_min double precision DEFAULT 0.5)
    RETURNS profiling.coupon_dependence AS 'MODULE_PATHNAME', 'coupons_dependence'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.promotion_share(h profiling.purchase_history, promotions tstzmultirange,
                                          OUT orders_share double precision, OUT spend_share double precision)
    AS 'MODULE_PATHNAME', 'coupons_promotion_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- STABLE: the default start and "t + step" follow the session TimeZone.
CREATE FUNCTION profiling.coupon_trend(h profiling.purchase_history, step interval,
                                       "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
    RETURNS TABLE (period_start timestamptz, orders integer, coupon_orders integer,
                   spend double precision, coupon_amount double precision,
                   intensity double precision, cumulative_intensity double precision)
    AS 'MODULE_PATHNAME', 'coupons_trend' LANGUAGE C STABLE PARALLEL SAFE ROWS 24;

CREATE FUNCTION profiling.attitude_policy(within interval DEFAULT '1 year',
                                          min_purchase_days integer DEFAULT 2,
                                          lapse_factor double precision DEFAULT 2,
                                          uncertain_min double precision DEFAULT 0.5)
    RETURNS profiling.attitude_policy AS 'MODULE_PATHNAME', 'attitude_policy_make'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- STABLE: purchase days and "as_of - within" follow the session TimeZone.
CREATE FUNCTION profiling.attitude(h profiling.purchase_history, as_of timestamptz,
                                   policy profiling.attitude_policy DEFAULT profiling.attitude_policy(),
                                   promotions tstzmultirange DEFAULT NULL)
    RETURNS profiling.attitude AS 'MODULE_PATHNAME', 'attitude_of'
    LANGUAGE C STABLE PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

-- types
COMMENT ON TYPE profiling.coupon_dependence IS
    'how much a customer relies on coupons: none, occasional, dependent, coupon_only (every order, 2 or more)';
COMMENT ON TYPE profiling.attitude IS
    'attitude to the brand: positive (regular, mostly full price), uncertain (regular, mostly discounted), neutral (buys when the need arises)';
COMMENT ON TYPE profiling.attitude_policy IS
    'when a customer counts as a regular buyer, and from which discounted share on it is uncertain; build with attitude_policy(...)';
-- functions
COMMENT ON FUNCTION profiling.coupon_intensity(profiling.purchase_history)
    IS 'total coupon amount / total spend, amounts as recorded; NULL when the spend is 0';
COMMENT ON FUNCTION profiling.coupon_order_rate(profiling.purchase_history)
    IS 'orders with a coupon / orders; NULL without orders';
COMMENT ON FUNCTION profiling.full_price_orders(profiling.purchase_history)
    IS 'the number of orders without a coupon';
COMMENT ON FUNCTION profiling.coupon_dependence(profiling.purchase_history, double precision, double precision)
    IS 'none, occasional (coupon order rate <= occasional_max), dependent (>= dependent_min), coupon_only; between the thresholds the spend share of coupon orders decides; NULL without orders';
COMMENT ON FUNCTION profiling.promotion_share(profiling.purchase_history, tstzmultirange)
    IS 'the share of the orders and of the spend inside the promotion periods';
COMMENT ON FUNCTION profiling.coupon_trend(profiling.purchase_history, interval, timestamptz, timestamptz)
    IS 'orders, coupon orders, spend, coupon amount and intensity per period from + k * step, and the intensity cumulated from the first period';
COMMENT ON FUNCTION profiling.attitude_policy(interval, integer, double precision, double precision)
    IS 'a checked attitude policy: within (the window), min_purchase_days in it, lapse_factor (times the mean gap), uncertain_min (discounted order share)';
COMMENT ON FUNCTION profiling.attitude(profiling.purchase_history, timestamptz, profiling.attitude_policy, tstzmultirange)
    IS 'positive, uncertain or neutral as of a time; orders in promotions count as discounted when promotions are given';
