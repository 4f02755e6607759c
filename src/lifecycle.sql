-- ============================================================================================
-- lifecycle: where each customer is in its life, as of any time.
-- The stages (enum lifecycle_stage) and the policy (lifecycle_policy: when a customer counts as
-- active, dormant, churned, VIP); stage(...) as of a time, stage_changes(...) at their exact
-- times, stage_timeline(...) on a calendar. (src/lifecycle.c, src/lifecycle_stage.c)
-- The moves between stages: the transitions(from_stage, to_stage) aggregate and rollup, read by
-- transition_rates and transition_count. (src/transitions*.c)
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

-- transitions (src/transitions.c)
-- The customers moving between each pair of stages over a period: an 8 x 8 matrix of counts.
CREATE TYPE profiling.transitions;

-- I/O ------------------------------------------------------------------------------------------

-- transitions (src/transitions.c)
CREATE FUNCTION profiling.transitions_in(cstring) RETURNS profiling.transitions
    AS 'MODULE_PATHNAME', 'transitions_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_out(profiling.transitions) RETURNS cstring
    AS 'MODULE_PATHNAME', 'transitions_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_recv(internal) RETURNS profiling.transitions
    AS 'MODULE_PATHNAME', 'transitions_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_send(profiling.transitions) RETURNS bytea
    AS 'MODULE_PATHNAME', 'transitions_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- 520 bytes, always: under the TOAST threshold, so stored inline and uncompressed.
CREATE TYPE profiling.transitions (
    INPUT = profiling.transitions_in,
    OUTPUT = profiling.transitions_out,
    RECEIVE = profiling.transitions_recv,
    SEND = profiling.transitions_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- transitions (src/transitions.c)
-- = is "the same counts". The btree order (the bytes) means nothing about customers: it lets
-- ORDER BY, DISTINCT and merge joins work.
CREATE FUNCTION profiling.transitions_cmp(profiling.transitions, profiling.transitions)
    RETURNS integer AS 'MODULE_PATHNAME', 'transitions_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_eq(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_ne(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_lt(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_le(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_gt(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_ge(profiling.transitions, profiling.transitions)
    RETURNS boolean AS 'MODULE_PATHNAME', 'transitions_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.transitions_hash(profiling.transitions) RETURNS integer
    AS 'MODULE_PATHNAME', 'transitions_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_hash_extended(profiling.transitions, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'transitions_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.transitions, RIGHTARG = profiling.transitions,
    FUNCTION = profiling.transitions_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.transitions_btree_ops
    DEFAULT FOR TYPE profiling.transitions USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.transitions_cmp(profiling.transitions, profiling.transitions);
CREATE OPERATOR CLASS profiling.transitions_hash_ops
    DEFAULT FOR TYPE profiling.transitions USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.transitions_hash(profiling.transitions),
    FUNCTION 2 profiling.transitions_hash_extended(profiling.transitions, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- transitions (src/transitions_agg.c)
-- Support functions take or return internal: callable only by the aggregates.
CREATE FUNCTION profiling.transitions_trans(internal, profiling.lifecycle_stage, profiling.lifecycle_stage)
    RETURNS internal AS 'MODULE_PATHNAME', 'transitions_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_rollup_trans(internal, profiling.transitions)
    RETURNS internal AS 'MODULE_PATHNAME', 'transitions_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'transitions_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'transitions_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'transitions_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.transitions_final(internal)
    RETURNS profiling.transitions AS 'MODULE_PATHNAME', 'transitions_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- One row per customer: its stage at the start and at the end of the period. A row with either
-- stage NULL is skipped; no counted row gives NULL. The final function copies the state, so
-- window use may call it again: READ_ONLY. SSPACE: the state is a 520-byte matrix.
CREATE AGGREGATE profiling.transitions(from_stage profiling.lifecycle_stage, to_stage profiling.lifecycle_stage) (
    SFUNC = profiling.transitions_trans,
    STYPE = internal,
    SSPACE = 520,
    FINALFUNC = profiling.transitions_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.transitions_combine,
    SERIALFUNC = profiling.transitions_serialize,
    DESERIALFUNC = profiling.transitions_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.transitions) (
    SFUNC = profiling.transitions_rollup_trans,
    STYPE = internal,
    SSPACE = 520,
    FINALFUNC = profiling.transitions_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.transitions_combine,
    SERIALFUNC = profiling.transitions_serialize,
    DESERIALFUNC = profiling.transitions_deserialize,
    PARALLEL = SAFE
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

-- transitions (src/transitions_accessors.c)
CREATE FUNCTION profiling.transition_rates(t profiling.transitions)
    RETURNS TABLE (from_stage profiling.lifecycle_stage, to_stage profiling.lifecycle_stage,
                   customers bigint, rate double precision)
    AS 'MODULE_PATHNAME', 'transitions_rates'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;

CREATE FUNCTION profiling.transition_count(t profiling.transitions, from_stage profiling.lifecycle_stage,
                                           to_stage profiling.lifecycle_stage)
    RETURNS bigint AS 'MODULE_PATHNAME', 'transitions_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

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

-- transitions
COMMENT ON TYPE profiling.transitions IS
    'customers moving between each pair of lifecycle stages over a period (8 x 8 counts); text {(new,repeat,3),...}';
-- type support functions are internal plumbing, commented once here rather than one by one
COMMENT ON FUNCTION profiling.transitions_in(cstring) IS 'transitions text input';
COMMENT ON FUNCTION profiling.transitions_out(profiling.transitions) IS 'transitions text output';
COMMENT ON FUNCTION profiling.transitions_recv(internal) IS 'transitions binary input';
COMMENT ON FUNCTION profiling.transitions_send(profiling.transitions) IS 'transitions binary output';
COMMENT ON FUNCTION profiling.transitions_cmp(profiling.transitions, profiling.transitions)
    IS 'btree support: -1, 0 or 1 (by the bytes)';
COMMENT ON FUNCTION profiling.transitions_eq(profiling.transitions, profiling.transitions)
    IS 'true when both hold the same counts';
COMMENT ON FUNCTION profiling.transitions_ne(profiling.transitions, profiling.transitions)
    IS 'true when the counts differ';
COMMENT ON FUNCTION profiling.transitions_lt(profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes): less than';
COMMENT ON FUNCTION profiling.transitions_le(profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes): less than or equal';
COMMENT ON FUNCTION profiling.transitions_gt(profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes): greater than';
COMMENT ON FUNCTION profiling.transitions_ge(profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes): greater than or equal';
COMMENT ON FUNCTION profiling.transitions_hash(profiling.transitions)
    IS 'hash of a transitions value (hash operator class support)';
COMMENT ON FUNCTION profiling.transitions_hash_extended(profiling.transitions, bigint)
    IS 'seeded 64-bit hash of a transitions value (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.transitions, profiling.transitions) IS 'the same counts';
COMMENT ON OPERATOR profiling.<> (profiling.transitions, profiling.transitions) IS 'different counts';
COMMENT ON OPERATOR profiling.< (profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes, meaningless about customers): less than';
COMMENT ON OPERATOR profiling.<= (profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes, meaningless about customers): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes, meaningless about customers): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.transitions, profiling.transitions)
    IS 'btree order (by the bytes, meaningless about customers): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.transitions_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of transitions values';
COMMENT ON OPERATOR CLASS profiling.transitions_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of transitions values';
COMMENT ON FUNCTION profiling.transitions_trans(internal, profiling.lifecycle_stage, profiling.lifecycle_stage)
    IS 'aggregate support: counts one customer';
COMMENT ON FUNCTION profiling.transitions_rollup_trans(internal, profiling.transitions)
    IS 'aggregate support: adds the counts of a stored summary';
COMMENT ON FUNCTION profiling.transitions_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.transitions_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.transitions_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.transitions_final(internal)
    IS 'aggregate support: the matrix of counts';
COMMENT ON AGGREGATE profiling.transitions(profiling.lifecycle_stage, profiling.lifecycle_stage)
    IS 'counts customers by (stage at the start, stage at the end) of a period, one row per customer; rows with a NULL stage are skipped';
COMMENT ON AGGREGATE profiling.rollup(profiling.transitions)
    IS 'adds stored transitions summaries of disjoint customers: the same as one pass';
COMMENT ON FUNCTION profiling.transition_rates(profiling.transitions)
    IS 'each (from_stage, to_stage) with customers, and its share of the from-stage''s customers (the rates of a from-stage sum to 1)';
COMMENT ON FUNCTION profiling.transition_count(profiling.transitions, profiling.lifecycle_stage, profiling.lifecycle_stage)
    IS 'the customers that moved from from_stage to to_stage (0 if none)';
