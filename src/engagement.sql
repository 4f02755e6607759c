-- ============================================================================================
-- engagement: every interaction of one customer (visits, calls, clicks: a time and a duration,
-- which may be unknown) in one compact value. Aggregates: engagement(at, duration) and
-- rollup(engagement). Accessors read any figure as of any date, and browsing_without_buying
-- reads it together with the purchase history. (src/engagement*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.engagement;

-- I/O ------------------------------------------------------------------------------------------

-- Input parses time-zone-less times in the session TimeZone, as timestamptz does: STABLE.
CREATE FUNCTION profiling.engagement_in(cstring) RETURNS profiling.engagement
    AS 'MODULE_PATHNAME', 'engagement_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
-- Output prints UTC and hours:minutes:seconds: IMMUTABLE.
CREATE FUNCTION profiling.engagement_out(profiling.engagement) RETURNS cstring
    AS 'MODULE_PATHNAME', 'engagement_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_recv(internal) RETURNS profiling.engagement
    AS 'MODULE_PATHNAME', 'engagement_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_send(profiling.engagement) RETURNS bytea
    AS 'MODULE_PATHNAME', 'engagement_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.engagement (
    INPUT = profiling.engagement_in,
    OUTPUT = profiling.engagement_out,
    RECEIVE = profiling.engagement_recv,
    SEND = profiling.engagement_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same interactions". The btree order (fewer interactions first, then the bytes)
-- means nothing about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.engagement_cmp(profiling.engagement, profiling.engagement)
    RETURNS integer AS 'MODULE_PATHNAME', 'engagement_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_eq(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_ne(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_lt(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_le(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_gt(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_ge(profiling.engagement, profiling.engagement)
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.engagement_hash(profiling.engagement) RETURNS integer
    AS 'MODULE_PATHNAME', 'engagement_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_hash_extended(profiling.engagement, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'engagement_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.engagement, RIGHTARG = profiling.engagement,
    FUNCTION = profiling.engagement_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.engagement_btree_ops
    DEFAULT FOR TYPE profiling.engagement USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.engagement_cmp(profiling.engagement, profiling.engagement);
CREATE OPERATOR CLASS profiling.engagement_hash_ops
    DEFAULT FOR TYPE profiling.engagement USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.engagement_hash(profiling.engagement),
    FUNCTION 2 profiling.engagement_hash_extended(profiling.engagement, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.engagement_trans(internal, timestamptz, interval)
    RETURNS internal AS 'MODULE_PATHNAME', 'engagement_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_rollup_trans(internal, profiling.engagement)
    RETURNS internal AS 'MODULE_PATHNAME', 'engagement_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'engagement_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'engagement_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'engagement_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_final(internal)
    RETURNS profiling.engagement AS 'MODULE_PATHNAME', 'engagement_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A timestamp without time zone names no moment: this overload exists to refuse it with a
-- hint, instead of PostgreSQL's silent cast in the session TimeZone (src/engagement_agg.c).
CREATE FUNCTION profiling.engagement_trans_local(internal, timestamp, interval)
    RETURNS internal AS 'MODULE_PATHNAME', 'engagement_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.engagement_final_local(internal)
    RETURNS profiling.engagement AS 'MODULE_PATHNAME', 'engagement_final_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- SSPACE: a group's memory under hash aggregation, as for the purchase history (one 16-byte
-- slot an interaction, in chunks from 128 bytes, and the hash table's entry).
CREATE AGGREGATE profiling.engagement(at timestamptz, duration interval) (
    SFUNC = profiling.engagement_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.engagement_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.engagement_combine,
    SERIALFUNC = profiling.engagement_serialize,
    DESERIALFUNC = profiling.engagement_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.engagement) (
    SFUNC = profiling.engagement_rollup_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.engagement_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.engagement_combine,
    SERIALFUNC = profiling.engagement_serialize,
    DESERIALFUNC = profiling.engagement_deserialize,
    PARALLEL = SAFE
);

-- Refused with a hint: give the times a zone (at AT TIME ZONE '...').
CREATE AGGREGATE profiling.engagement(at timestamp, duration interval) (
    SFUNC = profiling.engagement_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.engagement_final_local,
    COMBINEFUNC = profiling.engagement_combine,
    SERIALFUNC = profiling.engagement_serialize,
    DESERIALFUNC = profiling.engagement_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.as_of(e profiling.engagement, as_of timestamptz)
    RETURNS profiling.engagement AS 'MODULE_PATHNAME', 'engagement_as_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.during(e profiling.engagement, period tstzrange)
    RETURNS profiling.engagement AS 'MODULE_PATHNAME', 'engagement_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.interaction_count(e profiling.engagement) RETURNS integer
    AS 'MODULE_PATHNAME', 'engagement_interaction_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.total_duration(e profiling.engagement) RETURNS interval
    AS 'MODULE_PATHNAME', 'engagement_total_duration' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.first_interaction(e profiling.engagement) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'engagement_first_interaction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.last_interaction(e profiling.engagement) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'engagement_last_interaction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Weeks are 7 x 24 hours of absolute time: IMMUTABLE.
CREATE FUNCTION profiling.interactions_per_week(e profiling.engagement, as_of timestamptz)
    RETURNS double precision AS 'MODULE_PATHNAME', 'engagement_interactions_per_week'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.interactions(e profiling.engagement)
    RETURNS TABLE (at timestamptz, duration interval)
    AS 'MODULE_PATHNAME', 'engagement_interactions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 20;

-- Not strict: a NULL purchase history is a customer who never bought, a NULL engagement one who
-- never interacted. as_of - within is timestamptz arithmetic in the session TimeZone: STABLE.
CREATE FUNCTION profiling.browsing_without_buying(e profiling.engagement, h profiling.purchase_history,
                                                  as_of timestamptz, min_interactions integer DEFAULT 3,
                                                  within interval DEFAULT '30 days')
    RETURNS boolean AS 'MODULE_PATHNAME', 'engagement_browsing_without_buying'
    LANGUAGE C STABLE PARALLEL SAFE;

-- Casts ----------------------------------------------------------------------------------------

CREATE FUNCTION profiling.engagement_to_jsonb(profiling.engagement) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'engagement_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (profiling.engagement AS jsonb)
    WITH FUNCTION profiling.engagement_to_jsonb(profiling.engagement);

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.engagement IS
    'every interaction of one customer (time, duration or unknown), sorted; 16 bytes an interaction';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.engagement_in(cstring) IS 'engagement text input';
COMMENT ON FUNCTION profiling.engagement_out(profiling.engagement) IS 'engagement text output';
COMMENT ON FUNCTION profiling.engagement_recv(internal) IS 'engagement binary input';
COMMENT ON FUNCTION profiling.engagement_send(profiling.engagement) IS 'engagement binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.engagement_cmp(profiling.engagement, profiling.engagement)
    IS 'btree support: -1, 0 or 1 (fewer interactions first, then the bytes)';
COMMENT ON FUNCTION profiling.engagement_eq(profiling.engagement, profiling.engagement)
    IS 'true when both summaries hold the same interactions';
COMMENT ON FUNCTION profiling.engagement_ne(profiling.engagement, profiling.engagement)
    IS 'true when the summaries hold different interactions';
COMMENT ON FUNCTION profiling.engagement_lt(profiling.engagement, profiling.engagement)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.engagement_le(profiling.engagement, profiling.engagement)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.engagement_gt(profiling.engagement, profiling.engagement)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.engagement_ge(profiling.engagement, profiling.engagement)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.engagement_hash(profiling.engagement)
    IS 'hash of an engagement summary (hash operator class support)';
COMMENT ON FUNCTION profiling.engagement_hash_extended(profiling.engagement, bigint)
    IS 'seeded 64-bit hash of an engagement summary (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.engagement, profiling.engagement)
    IS 'the same interactions';
COMMENT ON OPERATOR profiling.<> (profiling.engagement, profiling.engagement)
    IS 'different interactions';
COMMENT ON OPERATOR profiling.< (profiling.engagement, profiling.engagement)
    IS 'btree order (fewer interactions first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.engagement, profiling.engagement)
    IS 'btree order (fewer interactions first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.engagement, profiling.engagement)
    IS 'btree order (fewer interactions first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.engagement, profiling.engagement)
    IS 'btree order (fewer interactions first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.engagement_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of engagement summaries';
COMMENT ON OPERATOR CLASS profiling.engagement_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of engagement summaries';

-- aggregates and their support
COMMENT ON FUNCTION profiling.engagement_trans(internal, timestamptz, interval)
    IS 'aggregate support: adds one interaction';
COMMENT ON FUNCTION profiling.engagement_rollup_trans(internal, profiling.engagement)
    IS 'aggregate support: adds the interactions of a stored summary';
COMMENT ON FUNCTION profiling.engagement_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.engagement_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.engagement_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.engagement_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON FUNCTION profiling.engagement_trans_local(internal, timestamp, interval)
    IS 'aggregate support: refuses interaction times without a time zone';
COMMENT ON FUNCTION profiling.engagement_final_local(internal)
    IS 'aggregate support: refuses interaction times without a time zone';
COMMENT ON AGGREGATE profiling.engagement(timestamptz, interval)
    IS 'summarises a customer''s interactions (time, duration; a NULL duration is unknown)';
COMMENT ON AGGREGATE profiling.rollup(profiling.engagement)
    IS 'merges stored engagement summaries: the same as one pass over all their interactions';
COMMENT ON AGGREGATE profiling.engagement(timestamp, interval)
    IS 'refused: interaction times need a time zone (at AT TIME ZONE ''Europe/London'')';

-- functions
COMMENT ON FUNCTION profiling.as_of(profiling.engagement, timestamptz)
    IS 'the interactions at or before a time: nothing from the future';
COMMENT ON FUNCTION profiling.during(profiling.engagement, tstzrange)
    IS 'the interactions inside a time range, honouring its bounds';
COMMENT ON FUNCTION profiling.interaction_count(profiling.engagement) IS 'number of interactions';
COMMENT ON FUNCTION profiling.total_duration(profiling.engagement)
    IS 'sum of the known durations, as hours (NULL when no duration is known)';
COMMENT ON FUNCTION profiling.first_interaction(profiling.engagement)
    IS 'time of the first interaction (NULL without interactions)';
COMMENT ON FUNCTION profiling.last_interaction(profiling.engagement)
    IS 'time of the last interaction (NULL without interactions)';
COMMENT ON FUNCTION profiling.interactions_per_week(profiling.engagement, timestamptz)
    IS 'interactions at or before as_of per week since the first one, at least one week (NULL if none)';
COMMENT ON FUNCTION profiling.interactions(profiling.engagement)
    IS 'the interactions of the summary, one row each, in time order (duration NULL when unknown)';
COMMENT ON FUNCTION profiling.browsing_without_buying(profiling.engagement, profiling.purchase_history, timestamptz, integer, interval)
    IS 'at least min_interactions interactions within the window before as_of and since the last purchase';

-- casts
COMMENT ON FUNCTION profiling.engagement_to_jsonb(profiling.engagement)
    IS 'the summary as jsonb: interaction_count, interactions (at in UTC, duration), total_duration';
COMMENT ON CAST (profiling.engagement AS jsonb)
    IS 'the summary as jsonb, for dashboards and APIs (explicit only)';
