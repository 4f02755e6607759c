-- ============================================================================================
-- lifecycle: where each customer is in its life, as of any time.
-- The stages (enum lifecycle_stage) and the policy (lifecycle_policy: when a customer counts as
-- active, dormant, churned, VIP); stage(...) as of a time, stage_changes(...) at their exact
-- times, stage_timeline(...) on a calendar. (src/lifecycle.c, src/lifecycle_stage.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

-- In the order of a customer's life: ORDER BY follows it.
CREATE TYPE profiling.lifecycle_stage AS ENUM
    ('prospect', 'registered', 'active', 'new', 'repeat', 'vip', 'dormant', 'churned');

-- A policy is a plain composite, so that a dashboard can show (policy).dormant_after; the
-- function lifecycle_policy(...) builds one with defaults and checks it, and every function that
-- reads a policy checks it again (a ROW(...) cast to the type skips the constructor).
CREATE TYPE profiling.lifecycle_policy AS (
    active_within interval,
    dormant_after interval,
    churn_after interval,
    hero_min double precision,
    repeat_min integer
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.lifecycle_policy(active_within interval DEFAULT '30 days',
                                           dormant_after interval DEFAULT '180 days',
                                           churn_after interval DEFAULT NULL,
                                           hero_min double precision DEFAULT NULL,
                                           repeat_min integer DEFAULT NULL)
    RETURNS profiling.lifecycle_policy AS 'MODULE_PATHNAME', 'lifecycle_policy_make'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- STABLE: purchase days and "t + interval" follow the session TimeZone.
CREATE FUNCTION profiling.stage(registered_at timestamptz, closed_at timestamptz,
                                purchases profiling.purchase_history, engagement profiling.engagement,
                                as_of timestamptz,
                                policy profiling.lifecycle_policy DEFAULT profiling.lifecycle_policy())
    RETURNS profiling.lifecycle_stage AS 'MODULE_PATHNAME', 'lifecycle_stage'
    LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION profiling.stage_changes(registered_at timestamptz, closed_at timestamptz,
                                        purchases profiling.purchase_history, engagement profiling.engagement,
                                        policy profiling.lifecycle_policy DEFAULT profiling.lifecycle_policy(),
                                        until timestamptz DEFAULT NULL)
    RETURNS TABLE (changed_at timestamptz, from_stage profiling.lifecycle_stage, to_stage profiling.lifecycle_stage)
    AS 'MODULE_PATHNAME', 'lifecycle_stage_changes'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 8;

CREATE FUNCTION profiling.stage_timeline(registered_at timestamptz, closed_at timestamptz,
                                         purchases profiling.purchase_history, engagement profiling.engagement,
                                         policy profiling.lifecycle_policy, "from" timestamptz, "to" timestamptz,
                                         step interval)
    RETURNS TABLE (at timestamptz, stage profiling.lifecycle_stage)
    AS 'MODULE_PATHNAME', 'lifecycle_stage_timeline'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 24;

-- Comments -------------------------------------------------------------------------------------

-- types
COMMENT ON TYPE profiling.lifecycle_stage IS
    'lifecycle stage, in the order of a life: prospect, registered, active, new, repeat, vip, dormant, churned';
COMMENT ON TYPE profiling.lifecycle_policy IS
    'when a customer counts as active, dormant or churned, and the VIP test; build with lifecycle_policy(...)';
-- functions
COMMENT ON FUNCTION profiling.lifecycle_policy(interval, interval, interval, double precision, integer)
    IS 'a checked lifecycle policy: active_within, dormant_after, churn_after (NULL: no churn by lapse), hero_min and repeat_min (VIP; both or neither)';
COMMENT ON FUNCTION profiling.stage(timestamptz, timestamptz, profiling.purchase_history, profiling.engagement, timestamptz, profiling.lifecycle_policy)
    IS 'the lifecycle stage as of a time, from what was known at that time; NULL summaries mean none';
COMMENT ON FUNCTION profiling.stage_changes(timestamptz, timestamptz, profiling.purchase_history, profiling.engagement, profiling.lifecycle_policy, timestamptz)
    IS 'every stage change of a customer at its exact time (dormant exactly dormant_after after the last activity), up to until';
COMMENT ON FUNCTION profiling.stage_timeline(timestamptz, timestamptz, profiling.purchase_history, profiling.engagement, profiling.lifecycle_policy, timestamptz, timestamptz, interval)
    IS 'the stage at from + k * step, k = 0, 1, ... up to to: the stage on a calendar, for funnel charts';
