-- ============================================================================================
-- loyalty_trend: every purchase line of one customer (time, amount, category) in one compact
-- value, each distinct category stored once. Aggregates: loyalty_trend(ordered_at, amount,
-- category) and rollup(loyalty_trend). Accessors: the monthly spend slope, the growth of the
-- categories bought, and the trend (the enum loyalty_direction). (src/loyalty_trend*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.loyalty_trend;

-- The result of trend(). Not named loyalty_trend: that is the summary type's name.
CREATE TYPE profiling.loyalty_direction AS ENUM ('growing', 'stable', 'declining');

-- I/O ------------------------------------------------------------------------------------------

-- Input parses time-zone-less times in the session TimeZone, as timestamptz does: STABLE.
CREATE FUNCTION profiling.loyalty_trend_in(cstring) RETURNS profiling.loyalty_trend
    AS 'MODULE_PATHNAME', 'loyalty_trend_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
-- Output prints UTC and shortest exact floats: IMMUTABLE.
CREATE FUNCTION profiling.loyalty_trend_out(profiling.loyalty_trend) RETURNS cstring
    AS 'MODULE_PATHNAME', 'loyalty_trend_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Binary categories travel in the client encoding, as text does: STABLE.
CREATE FUNCTION profiling.loyalty_trend_recv(internal) RETURNS profiling.loyalty_trend
    AS 'MODULE_PATHNAME', 'loyalty_trend_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_send(profiling.loyalty_trend) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_trend_send' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.loyalty_trend (
    INPUT = profiling.loyalty_trend_in,
    OUTPUT = profiling.loyalty_trend_out,
    RECEIVE = profiling.loyalty_trend_recv,
    SEND = profiling.loyalty_trend_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same lines". The btree order (fewer lines first, then the bytes)
-- means nothing about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.loyalty_trend_cmp(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS integer AS 'MODULE_PATHNAME', 'loyalty_trend_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_eq(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_ne(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_lt(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_le(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_gt(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_ge(profiling.loyalty_trend, profiling.loyalty_trend)
    RETURNS boolean AS 'MODULE_PATHNAME', 'loyalty_trend_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.loyalty_trend_hash(profiling.loyalty_trend) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_trend_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_hash_extended(profiling.loyalty_trend, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'loyalty_trend_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.loyalty_trend, RIGHTARG = profiling.loyalty_trend,
    FUNCTION = profiling.loyalty_trend_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.loyalty_trend_btree_ops
    DEFAULT FOR TYPE profiling.loyalty_trend USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.loyalty_trend_cmp(profiling.loyalty_trend, profiling.loyalty_trend);
CREATE OPERATOR CLASS profiling.loyalty_trend_hash_ops
    DEFAULT FOR TYPE profiling.loyalty_trend USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.loyalty_trend_hash(profiling.loyalty_trend),
    FUNCTION 2 profiling.loyalty_trend_hash_extended(profiling.loyalty_trend, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.loyalty_trend_trans(internal, timestamptz, float8, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'loyalty_trend_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_rollup_trans(internal, profiling.loyalty_trend)
    RETURNS internal AS 'MODULE_PATHNAME', 'loyalty_trend_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'loyalty_trend_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'loyalty_trend_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'loyalty_trend_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_final(internal)
    RETURNS profiling.loyalty_trend AS 'MODULE_PATHNAME', 'loyalty_trend_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A timestamp without time zone names no moment: this overload exists to refuse it with a
-- hint, instead of PostgreSQL's silent cast in the session TimeZone (src/loyalty_trend_agg.c).
CREATE FUNCTION profiling.loyalty_trend_trans_local(internal, timestamp, float8, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'loyalty_trend_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.loyalty_trend_final_local(internal)
    RETURNS profiling.loyalty_trend AS 'MODULE_PATHNAME', 'loyalty_trend_final_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- SSPACE: a group's memory under hash aggregation: the state and its dictionary (about 300
-- bytes with a few short categories), the first 128-byte chunk of the log, the hash table's
-- entry.
CREATE AGGREGATE profiling.loyalty_trend(ordered_at timestamptz, amount float8, category text) (
    SFUNC = profiling.loyalty_trend_trans,
    STYPE = internal,
    SSPACE = 600,
    FINALFUNC = profiling.loyalty_trend_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.loyalty_trend_combine,
    SERIALFUNC = profiling.loyalty_trend_serialize,
    DESERIALFUNC = profiling.loyalty_trend_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.loyalty_trend) (
    SFUNC = profiling.loyalty_trend_rollup_trans,
    STYPE = internal,
    SSPACE = 600,
    FINALFUNC = profiling.loyalty_trend_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.loyalty_trend_combine,
    SERIALFUNC = profiling.loyalty_trend_serialize,
    DESERIALFUNC = profiling.loyalty_trend_deserialize,
    PARALLEL = SAFE
);

-- Refused with a hint: give the times a zone (ordered_at AT TIME ZONE '...').
CREATE AGGREGATE profiling.loyalty_trend(ordered_at timestamp, amount float8, category text) (
    SFUNC = profiling.loyalty_trend_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.loyalty_trend_final_local,
    COMBINEFUNC = profiling.loyalty_trend_combine,
    SERIALFUNC = profiling.loyalty_trend_serialize,
    DESERIALFUNC = profiling.loyalty_trend_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.as_of(t profiling.loyalty_trend, as_of timestamptz)
    RETURNS profiling.loyalty_trend AS 'MODULE_PATHNAME', 'loyalty_trend_as_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.during(t profiling.loyalty_trend, period tstzrange)
    RETURNS profiling.loyalty_trend AS 'MODULE_PATHNAME', 'loyalty_trend_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.line_count(t profiling.loyalty_trend)
    RETURNS integer AS 'MODULE_PATHNAME', 'loyalty_trend_line_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.total_amount(t profiling.loyalty_trend)
    RETURNS double precision AS 'MODULE_PATHNAME', 'loyalty_trend_total_amount'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.category_count(t profiling.loyalty_trend)
    RETURNS integer AS 'MODULE_PATHNAME', 'loyalty_trend_category_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Months follow the session TimeZone: STABLE. as_of NULL: up to the last line, so not STRICT.
CREATE FUNCTION profiling.spend_slope(t profiling.loyalty_trend, as_of timestamptz DEFAULT NULL)
    RETURNS double precision AS 'MODULE_PATHNAME', 'loyalty_trend_spend_slope'
    LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION profiling.category_growth(t profiling.loyalty_trend, as_of timestamptz DEFAULT NULL)
    RETURNS integer AS 'MODULE_PATHNAME', 'loyalty_trend_category_growth'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION profiling.trend(t profiling.loyalty_trend, as_of timestamptz DEFAULT NULL,
                                threshold float8 DEFAULT 0.05, category_step integer DEFAULT 2,
                                quiet_months integer DEFAULT 3)
    RETURNS profiling.loyalty_direction AS 'MODULE_PATHNAME', 'loyalty_trend_trend'
    LANGUAGE C STABLE PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.loyalty_trend IS
    'every purchase line of one customer (time, amount, category), sorted; 20 bytes a line, each distinct category stored once';
COMMENT ON TYPE profiling.loyalty_direction IS
    'the result of trend(): growing, stable or declining';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.loyalty_trend_in(cstring) IS 'loyalty_trend text input';
COMMENT ON FUNCTION profiling.loyalty_trend_out(profiling.loyalty_trend) IS 'loyalty_trend text output';
COMMENT ON FUNCTION profiling.loyalty_trend_recv(internal) IS 'loyalty_trend binary input';
COMMENT ON FUNCTION profiling.loyalty_trend_send(profiling.loyalty_trend) IS 'loyalty_trend binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.loyalty_trend_cmp(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree support: -1, 0 or 1 (fewer lines first, then the bytes)';
COMMENT ON FUNCTION profiling.loyalty_trend_eq(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'true when both summaries hold the same lines';
COMMENT ON FUNCTION profiling.loyalty_trend_ne(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'true when the summaries hold different lines';
COMMENT ON FUNCTION profiling.loyalty_trend_lt(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.loyalty_trend_le(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.loyalty_trend_gt(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.loyalty_trend_ge(profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.loyalty_trend_hash(profiling.loyalty_trend)
    IS 'hash of a loyalty trend (hash operator class support)';
COMMENT ON FUNCTION profiling.loyalty_trend_hash_extended(profiling.loyalty_trend, bigint)
    IS 'seeded 64-bit hash of a loyalty trend (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'the same lines';
COMMENT ON OPERATOR profiling.<> (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'different lines';
COMMENT ON OPERATOR profiling.< (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order (fewer lines first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order (fewer lines first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order (fewer lines first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.loyalty_trend, profiling.loyalty_trend)
    IS 'btree order (fewer lines first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.loyalty_trend_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of loyalty trends';
COMMENT ON OPERATOR CLASS profiling.loyalty_trend_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of loyalty trends';

-- aggregates and their support
COMMENT ON FUNCTION profiling.loyalty_trend_trans(internal, timestamptz, float8, text)
    IS 'aggregate support: adds one line';
COMMENT ON FUNCTION profiling.loyalty_trend_rollup_trans(internal, profiling.loyalty_trend)
    IS 'aggregate support: adds the lines of a stored summary';
COMMENT ON FUNCTION profiling.loyalty_trend_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.loyalty_trend_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.loyalty_trend_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.loyalty_trend_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON FUNCTION profiling.loyalty_trend_trans_local(internal, timestamp, float8, text)
    IS 'aggregate support: refuses line times without a time zone';
COMMENT ON FUNCTION profiling.loyalty_trend_final_local(internal)
    IS 'aggregate support: refuses line times without a time zone';
COMMENT ON AGGREGATE profiling.loyalty_trend(timestamptz, float8, text)
    IS 'summarises one customer''s purchase lines (time, amount, category)';
COMMENT ON AGGREGATE profiling.rollup(profiling.loyalty_trend)
    IS 'merges stored loyalty trends: the same as one pass over all their lines';
COMMENT ON AGGREGATE profiling.loyalty_trend(timestamp, float8, text)
    IS 'refused: line times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';

-- functions
COMMENT ON FUNCTION profiling.as_of(profiling.loyalty_trend, timestamptz)
    IS 'the lines at or before a time: nothing from the future';
COMMENT ON FUNCTION profiling.during(profiling.loyalty_trend, tstzrange)
    IS 'the lines inside a time range, honouring its bounds';
COMMENT ON FUNCTION profiling.line_count(profiling.loyalty_trend)
    IS 'number of purchase lines';
COMMENT ON FUNCTION profiling.total_amount(profiling.loyalty_trend)
    IS 'sum of the amounts of every line';
COMMENT ON FUNCTION profiling.category_count(profiling.loyalty_trend)
    IS 'number of distinct categories bought';
COMMENT ON FUNCTION profiling.spend_slope(profiling.loyalty_trend, timestamptz)
    IS 'change of spend per calendar month: least squares over every month from the first line to the last (or to as_of), empty months as 0 (NULL with fewer than two months)';
COMMENT ON FUNCTION profiling.category_growth(profiling.loyalty_trend, timestamptz)
    IS 'distinct categories at or after the midpoint of the customer''s life (first line to last line, or to as_of) minus those before it';
COMMENT ON FUNCTION profiling.trend(profiling.loyalty_trend, timestamptz, float8, integer, integer)
    IS 'growing, stable or declining: no line in the last quiet_months months before as_of is declining; else spend_slope / mean monthly spend beyond +-threshold decides; else category_growth beyond +-category_step; else stable';
