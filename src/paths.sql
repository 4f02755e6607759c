-- ============================================================================================
-- paths: shopping paths across orders. item_sequence: one customer's purchases as (time, item)
-- events, items as text (a bigint item is its decimal text). paths: over customers' sequences,
-- for each ordered pair (A, B) the customers who bought B strictly after A within a window,
-- with the shortest lag of each. Aggregates: item_sequence(ordered_at, item),
-- paths(seq, within), rollup() of both. Accessors: sequence_rules(). (src/item_sequence*.c,
-- src/paths*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.item_sequence;
CREATE TYPE profiling.paths;

-- I/O ------------------------------------------------------------------------------------------

-- Input parses time-zone-less times in the session TimeZone, as timestamptz does: STABLE.
CREATE FUNCTION profiling.item_sequence_in(cstring) RETURNS profiling.item_sequence
    AS 'MODULE_PATHNAME', 'item_sequence_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
-- Output prints UTC: IMMUTABLE.
CREATE FUNCTION profiling.item_sequence_out(profiling.item_sequence) RETURNS cstring
    AS 'MODULE_PATHNAME', 'item_sequence_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_recv(internal) RETURNS profiling.item_sequence
    AS 'MODULE_PATHNAME', 'item_sequence_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_send(profiling.item_sequence) RETURNS bytea
    AS 'MODULE_PATHNAME', 'item_sequence_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.item_sequence (
    INPUT = profiling.item_sequence_in,
    OUTPUT = profiling.item_sequence_out,
    RECEIVE = profiling.item_sequence_recv,
    SEND = profiling.item_sequence_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Times in the text form are seconds, items quoted: no setting reads them: IMMUTABLE.
CREATE FUNCTION profiling.paths_in(cstring) RETURNS profiling.paths
    AS 'MODULE_PATHNAME', 'paths_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_out(profiling.paths) RETURNS cstring
    AS 'MODULE_PATHNAME', 'paths_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_recv(internal) RETURNS profiling.paths
    AS 'MODULE_PATHNAME', 'paths_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_send(profiling.paths) RETURNS bytea
    AS 'MODULE_PATHNAME', 'paths_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.paths (
    INPUT = profiling.paths_in,
    OUTPUT = profiling.paths_out,
    RECEIVE = profiling.paths_recv,
    SEND = profiling.paths_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same purchases". The btree order (fewer purchases first, then the bytes)
-- means nothing about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.item_sequence_cmp(profiling.item_sequence, profiling.item_sequence)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_sequence_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_eq(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_ne(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_lt(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_le(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_gt(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_ge(profiling.item_sequence, profiling.item_sequence)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_sequence_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_sequence_hash(profiling.item_sequence) RETURNS integer
    AS 'MODULE_PATHNAME', 'item_sequence_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_hash_extended(profiling.item_sequence, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'item_sequence_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.item_sequence, RIGHTARG = profiling.item_sequence,
    FUNCTION = profiling.item_sequence_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.item_sequence_btree_ops
    DEFAULT FOR TYPE profiling.item_sequence USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.item_sequence_cmp(profiling.item_sequence, profiling.item_sequence);
CREATE OPERATOR CLASS profiling.item_sequence_hash_ops
    DEFAULT FOR TYPE profiling.item_sequence USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.item_sequence_hash(profiling.item_sequence),
    FUNCTION 2 profiling.item_sequence_hash_extended(profiling.item_sequence, bigint);


-- = is "the same counts and lags". The btree order (fewer customers first, then the bytes)
-- means nothing about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.paths_cmp(profiling.paths, profiling.paths)
    RETURNS integer AS 'MODULE_PATHNAME', 'paths_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_eq(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_ne(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_lt(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_le(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_gt(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_ge(profiling.paths, profiling.paths)
    RETURNS boolean AS 'MODULE_PATHNAME', 'paths_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.paths_hash(profiling.paths) RETURNS integer
    AS 'MODULE_PATHNAME', 'paths_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_hash_extended(profiling.paths, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'paths_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.paths, RIGHTARG = profiling.paths,
    FUNCTION = profiling.paths_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.paths_btree_ops
    DEFAULT FOR TYPE profiling.paths USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.paths_cmp(profiling.paths, profiling.paths);
CREATE OPERATOR CLASS profiling.paths_hash_ops
    DEFAULT FOR TYPE profiling.paths USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.paths_hash(profiling.paths),
    FUNCTION 2 profiling.paths_hash_extended(profiling.paths, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.item_sequence_trans(internal, timestamptz, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_trans(internal, timestamptz, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_trans_text'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_rollup_trans(internal, profiling.item_sequence)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'item_sequence_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_final(internal)
    RETURNS profiling.item_sequence AS 'MODULE_PATHNAME', 'item_sequence_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A timestamp without time zone names no moment: these overloads exist to refuse it with a
-- hint, instead of PostgreSQL's silent cast in the session TimeZone (src/item_sequence_agg.c).
CREATE FUNCTION profiling.item_sequence_trans_local(internal, timestamp, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_trans_local(internal, timestamp, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_sequence_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_sequence_final_local(internal)
    RETURNS profiling.item_sequence AS 'MODULE_PATHNAME', 'item_sequence_final_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION profiling.paths_trans(internal, profiling.item_sequence, interval)
    RETURNS internal AS 'MODULE_PATHNAME', 'paths_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.paths_rollup_trans(internal, profiling.paths)
    RETURNS internal AS 'MODULE_PATHNAME', 'paths_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.paths_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'paths_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.paths_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'paths_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'paths_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.paths_final(internal)
    RETURNS profiling.paths AS 'MODULE_PATHNAME', 'paths_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- SSPACE: a customer's memory under hash aggregation (the state, a few events of 24 bytes and
-- their item text in a small block, the hash table's entry). A paths state is usually one
-- group; its SSPACE is that of a small catalogue.
CREATE AGGREGATE profiling.item_sequence(ordered_at timestamptz, item bigint) (
    SFUNC = profiling.item_sequence_trans,
    STYPE = internal,
    SSPACE = 600,
    FINALFUNC = profiling.item_sequence_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_sequence_combine,
    SERIALFUNC = profiling.item_sequence_serialize,
    DESERIALFUNC = profiling.item_sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.item_sequence(ordered_at timestamptz, item text) (
    SFUNC = profiling.item_sequence_trans,
    STYPE = internal,
    SSPACE = 600,
    FINALFUNC = profiling.item_sequence_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_sequence_combine,
    SERIALFUNC = profiling.item_sequence_serialize,
    DESERIALFUNC = profiling.item_sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.item_sequence) (
    SFUNC = profiling.item_sequence_rollup_trans,
    STYPE = internal,
    SSPACE = 600,
    FINALFUNC = profiling.item_sequence_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_sequence_combine,
    SERIALFUNC = profiling.item_sequence_serialize,
    DESERIALFUNC = profiling.item_sequence_deserialize,
    PARALLEL = SAFE
);

-- Refused with a hint: give the times a zone (ordered_at AT TIME ZONE '...').
CREATE AGGREGATE profiling.item_sequence(ordered_at timestamp, item bigint) (
    SFUNC = profiling.item_sequence_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.item_sequence_final_local,
    COMBINEFUNC = profiling.item_sequence_combine,
    SERIALFUNC = profiling.item_sequence_serialize,
    DESERIALFUNC = profiling.item_sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.item_sequence(ordered_at timestamp, item text) (
    SFUNC = profiling.item_sequence_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.item_sequence_final_local,
    COMBINEFUNC = profiling.item_sequence_combine,
    SERIALFUNC = profiling.item_sequence_serialize,
    DESERIALFUNC = profiling.item_sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.paths(seq profiling.item_sequence, within interval) (
    SFUNC = profiling.paths_trans,
    STYPE = internal,
    SSPACE = 1000000,
    FINALFUNC = profiling.paths_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.paths_combine,
    SERIALFUNC = profiling.paths_serialize,
    DESERIALFUNC = profiling.paths_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.paths) (
    SFUNC = profiling.paths_rollup_trans,
    STYPE = internal,
    SSPACE = 1000000,
    FINALFUNC = profiling.paths_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.paths_combine,
    SERIALFUNC = profiling.paths_serialize,
    DESERIALFUNC = profiling.paths_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.as_of(s profiling.item_sequence, as_of timestamptz)
    RETURNS profiling.item_sequence AS 'MODULE_PATHNAME', 'item_sequence_as_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.during(s profiling.item_sequence, period tstzrange)
    RETURNS profiling.item_sequence AS 'MODULE_PATHNAME', 'item_sequence_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.line_count(s profiling.item_sequence)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_sequence_lines'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.item_count(s profiling.item_sequence)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_sequence_items'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.customer_count(p profiling.paths)
    RETURNS bigint AS 'MODULE_PATHNAME', 'paths_customers'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.sequence_rules(p profiling.paths, min_support float8 DEFAULT 0.01,
                                         min_confidence float8 DEFAULT 0)
    RETURNS TABLE (first_item text, then_item text, customers bigint, support float8,
                   confidence float8, lift float8, median_lag interval)
    AS 'MODULE_PATHNAME', 'paths_sequence_rules'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.item_sequence IS
    'one customer''s purchases as (time, item) events, sorted; items as text; 12 bytes an event and each item''s text once';
COMMENT ON TYPE profiling.paths IS
    'per ordered item pair, the customers who bought the second strictly after the first within a window, with each one''s shortest lag';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.item_sequence_in(cstring) IS 'item_sequence text input';
COMMENT ON FUNCTION profiling.item_sequence_out(profiling.item_sequence) IS 'item_sequence text output';
COMMENT ON FUNCTION profiling.item_sequence_recv(internal) IS 'item_sequence binary input';
COMMENT ON FUNCTION profiling.item_sequence_send(profiling.item_sequence) IS 'item_sequence binary output';
COMMENT ON FUNCTION profiling.paths_in(cstring) IS 'paths text input';
COMMENT ON FUNCTION profiling.paths_out(profiling.paths) IS 'paths text output';
COMMENT ON FUNCTION profiling.paths_recv(internal) IS 'paths binary input';
COMMENT ON FUNCTION profiling.paths_send(profiling.paths) IS 'paths binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.item_sequence_cmp(profiling.item_sequence, profiling.item_sequence)
    IS 'btree support: -1, 0 or 1 (fewer purchases first, then the bytes)';
COMMENT ON FUNCTION profiling.item_sequence_eq(profiling.item_sequence, profiling.item_sequence)
    IS 'true when both summaries hold the same purchases';
COMMENT ON FUNCTION profiling.item_sequence_ne(profiling.item_sequence, profiling.item_sequence)
    IS 'true when the summaries hold different purchases';
COMMENT ON FUNCTION profiling.item_sequence_lt(profiling.item_sequence, profiling.item_sequence)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.item_sequence_le(profiling.item_sequence, profiling.item_sequence)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.item_sequence_gt(profiling.item_sequence, profiling.item_sequence)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.item_sequence_ge(profiling.item_sequence, profiling.item_sequence)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.item_sequence_hash(profiling.item_sequence)
    IS 'hash of an item sequence (hash operator class support)';
COMMENT ON FUNCTION profiling.item_sequence_hash_extended(profiling.item_sequence, bigint)
    IS 'seeded 64-bit hash of an item sequence (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.item_sequence, profiling.item_sequence)
    IS 'the same purchases';
COMMENT ON OPERATOR profiling.<> (profiling.item_sequence, profiling.item_sequence)
    IS 'different purchases';
COMMENT ON OPERATOR profiling.< (profiling.item_sequence, profiling.item_sequence)
    IS 'btree order (fewer purchases first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.item_sequence, profiling.item_sequence)
    IS 'btree order (fewer purchases first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.item_sequence, profiling.item_sequence)
    IS 'btree order (fewer purchases first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.item_sequence, profiling.item_sequence)
    IS 'btree order (fewer purchases first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.item_sequence_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of item sequences';
COMMENT ON OPERATOR CLASS profiling.item_sequence_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of item sequences';

COMMENT ON FUNCTION profiling.paths_cmp(profiling.paths, profiling.paths)
    IS 'btree support: -1, 0 or 1 (fewer customers first, then the bytes)';
COMMENT ON FUNCTION profiling.paths_eq(profiling.paths, profiling.paths)
    IS 'true when both summaries hold the same counts and lags';
COMMENT ON FUNCTION profiling.paths_ne(profiling.paths, profiling.paths)
    IS 'true when the summaries hold different counts and lags';
COMMENT ON FUNCTION profiling.paths_lt(profiling.paths, profiling.paths)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.paths_le(profiling.paths, profiling.paths)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.paths_gt(profiling.paths, profiling.paths)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.paths_ge(profiling.paths, profiling.paths)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.paths_hash(profiling.paths)
    IS 'hash of a paths summary (hash operator class support)';
COMMENT ON FUNCTION profiling.paths_hash_extended(profiling.paths, bigint)
    IS 'seeded 64-bit hash of a paths summary (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.paths, profiling.paths)
    IS 'the same counts and lags';
COMMENT ON OPERATOR profiling.<> (profiling.paths, profiling.paths)
    IS 'different counts and lags';
COMMENT ON OPERATOR profiling.< (profiling.paths, profiling.paths)
    IS 'btree order (fewer customers first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.paths, profiling.paths)
    IS 'btree order (fewer customers first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.paths, profiling.paths)
    IS 'btree order (fewer customers first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.paths, profiling.paths)
    IS 'btree order (fewer customers first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.paths_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of paths summaries';
COMMENT ON OPERATOR CLASS profiling.paths_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of paths summaries';


-- aggregates and their support
COMMENT ON FUNCTION profiling.item_sequence_trans(internal, timestamptz, bigint)
    IS 'aggregate support: adds one purchase (the item as its decimal text)';
COMMENT ON FUNCTION profiling.item_sequence_trans(internal, timestamptz, text)
    IS 'aggregate support: adds one purchase';
COMMENT ON FUNCTION profiling.item_sequence_rollup_trans(internal, profiling.item_sequence)
    IS 'aggregate support: adds the purchases of a stored summary';
COMMENT ON FUNCTION profiling.item_sequence_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.item_sequence_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.item_sequence_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.item_sequence_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON FUNCTION profiling.item_sequence_trans_local(internal, timestamp, bigint)
    IS 'aggregate support: refuses purchase times without a time zone';
COMMENT ON FUNCTION profiling.item_sequence_trans_local(internal, timestamp, text)
    IS 'aggregate support: refuses purchase times without a time zone';
COMMENT ON FUNCTION profiling.item_sequence_final_local(internal)
    IS 'aggregate support: refuses purchase times without a time zone';
COMMENT ON FUNCTION profiling.paths_trans(internal, profiling.item_sequence, interval)
    IS 'aggregate support: adds one customer''s pairs';
COMMENT ON FUNCTION profiling.paths_rollup_trans(internal, profiling.paths)
    IS 'aggregate support: adds the counts and lags of a stored summary';
COMMENT ON FUNCTION profiling.paths_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.paths_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.paths_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.paths_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON AGGREGATE profiling.item_sequence(timestamptz, bigint)
    IS 'summarises one customer''s purchases (time, item); the item kept as its decimal text';
COMMENT ON AGGREGATE profiling.item_sequence(timestamptz, text)
    IS 'summarises one customer''s purchases (time, item)';
COMMENT ON AGGREGATE profiling.rollup(profiling.item_sequence)
    IS 'merges stored item sequences: the same as one pass over all their purchases';
COMMENT ON AGGREGATE profiling.item_sequence(timestamp, bigint)
    IS 'refused: purchase times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.item_sequence(timestamp, text)
    IS 'refused: purchase times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.paths(profiling.item_sequence, interval)
    IS 'counts, over customers'' item sequences, who bought B strictly after A within the window, with the shortest lag of each';
COMMENT ON AGGREGATE profiling.rollup(profiling.paths)
    IS 'merges stored paths summaries of disjoint customers with the same window: the same as one pass';

-- functions
COMMENT ON FUNCTION profiling.as_of(profiling.item_sequence, timestamptz)
    IS 'the purchases at or before a time: nothing from the future';
COMMENT ON FUNCTION profiling.during(profiling.item_sequence, tstzrange)
    IS 'the purchases inside a time range, honouring its bounds';
COMMENT ON FUNCTION profiling.line_count(profiling.item_sequence)
    IS 'number of purchases: distinct (time, item) events';
COMMENT ON FUNCTION profiling.item_count(profiling.item_sequence)
    IS 'number of distinct items';
COMMENT ON FUNCTION profiling.customer_count(profiling.paths)
    IS 'number of customers with at least one purchase';
COMMENT ON FUNCTION profiling.sequence_rules(profiling.paths, float8, float8)
    IS 'rules A -> B (B bought strictly after A within the window): customers, support, confidence, lift and median shortest lag; best support first';
