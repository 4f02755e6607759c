-- ============================================================================================
-- segmentation: who the valuable customers are.
-- Value classes of one customer: value_class(spend, orders, hero_min, repeat_min),
-- value_class(h, hero_min, repeat_min [, during]), is_one_time(h).
-- The value structure of a customer table: value_distribution(value, orders) and
-- rollup(value_distribution), read by deciles, merge_bands, top_share, gini, lorenz and
-- threshold_capture. (src/value_class.c, src/value_distribution*.c)
-- RFM: the rfm_model aggregate (cut points of recency, frequency, monetary) and rfm_model(bounds),
-- rfm_score(model, ...) with r, f, m and the cast to integer. (src/rfm_model*.c, src/rfm_score.c)
-- Named RFM segments: the table rfm_segment_map, rfm_segment(score [, bins]) reading it, and
-- check_rfm_segment_map() reporting its gaps and overlaps. (src/rfm_segment.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

-- In order of value: ORDER BY puts the VIPs first.
CREATE TYPE profiling.value_class AS ENUM ('vip', 'hero', 'repeat', 'regular');

CREATE TYPE profiling.value_distribution;

CREATE TYPE profiling.rfm_model;
CREATE TYPE profiling.rfm_score;

-- I/O ------------------------------------------------------------------------------------------

CREATE FUNCTION profiling.value_distribution_in(cstring) RETURNS profiling.value_distribution
    AS 'MODULE_PATHNAME', 'value_distribution_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_out(profiling.value_distribution) RETURNS cstring
    AS 'MODULE_PATHNAME', 'value_distribution_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_recv(internal) RETURNS profiling.value_distribution
    AS 'MODULE_PATHNAME', 'value_distribution_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_send(profiling.value_distribution) RETURNS bytea
    AS 'MODULE_PATHNAME', 'value_distribution_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.value_distribution (
    INPUT = profiling.value_distribution_in,
    OUTPUT = profiling.value_distribution_out,
    RECEIVE = profiling.value_distribution_recv,
    SEND = profiling.value_distribution_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

CREATE FUNCTION profiling.rfm_model_in(cstring) RETURNS profiling.rfm_model
    AS 'MODULE_PATHNAME', 'rfm_model_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_out(profiling.rfm_model) RETURNS cstring
    AS 'MODULE_PATHNAME', 'rfm_model_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_recv(internal) RETURNS profiling.rfm_model
    AS 'MODULE_PATHNAME', 'rfm_model_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_send(profiling.rfm_model) RETURNS bytea
    AS 'MODULE_PATHNAME', 'rfm_model_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.rfm_model (
    INPUT = profiling.rfm_model_in,
    OUTPUT = profiling.rfm_model_out,
    RECEIVE = profiling.rfm_model_recv,
    SEND = profiling.rfm_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Three scores of 1..100 packed in an integer, passed by value.
CREATE FUNCTION profiling.rfm_score_in(cstring) RETURNS profiling.rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_score_out(profiling.rfm_score) RETURNS cstring
    AS 'MODULE_PATHNAME', 'rfm_score_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_score_recv(internal) RETURNS profiling.rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_score_send(profiling.rfm_score) RETURNS bytea
    AS 'MODULE_PATHNAME', 'rfm_score_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.rfm_score (
    INPUT = profiling.rfm_score_in,
    OUTPUT = profiling.rfm_score_out,
    RECEIVE = profiling.rfm_score_recv,
    SEND = profiling.rfm_score_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same customers (value, orders)". The btree order (fewer customers first, then the
-- bytes) means nothing about customers: it lets ORDER BY, DISTINCT and merge joins work.

CREATE FUNCTION profiling.value_distribution_cmp(profiling.value_distribution, profiling.value_distribution)
    RETURNS integer AS 'MODULE_PATHNAME', 'value_distribution_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_eq(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_ne(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_lt(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_le(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_gt(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_ge(profiling.value_distribution, profiling.value_distribution)
    RETURNS boolean AS 'MODULE_PATHNAME', 'value_distribution_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.value_distribution_hash(profiling.value_distribution) RETURNS integer
    AS 'MODULE_PATHNAME', 'value_distribution_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_hash_extended(profiling.value_distribution, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'value_distribution_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.value_distribution, RIGHTARG = profiling.value_distribution,
    FUNCTION = profiling.value_distribution_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.value_distribution_btree_ops
    DEFAULT FOR TYPE profiling.value_distribution USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.value_distribution_cmp(profiling.value_distribution, profiling.value_distribution);
CREATE OPERATOR CLASS profiling.value_distribution_hash_ops
    DEFAULT FOR TYPE profiling.value_distribution USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.value_distribution_hash(profiling.value_distribution),
    FUNCTION 2 profiling.value_distribution_hash_extended(profiling.value_distribution, bigint);

-- rfm_model: = is "the same cut points"; its btree order means nothing about customers.
-- rfm_score: ordered by r, then f, then m.
CREATE FUNCTION profiling.rfm_model_cmp(profiling.rfm_model, profiling.rfm_model)
    RETURNS integer AS 'MODULE_PATHNAME', 'rfm_model_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_eq(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_ne(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_lt(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_le(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_gt(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_ge(profiling.rfm_model, profiling.rfm_model)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_model_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_model_hash(profiling.rfm_model) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_model_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_hash_extended(profiling.rfm_model, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rfm_model_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.rfm_model, RIGHTARG = profiling.rfm_model,
    FUNCTION = profiling.rfm_model_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.rfm_model_btree_ops
    DEFAULT FOR TYPE profiling.rfm_model USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.rfm_model_cmp(profiling.rfm_model, profiling.rfm_model);
CREATE OPERATOR CLASS profiling.rfm_model_hash_ops
    DEFAULT FOR TYPE profiling.rfm_model USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.rfm_model_hash(profiling.rfm_model),
    FUNCTION 2 profiling.rfm_model_hash_extended(profiling.rfm_model, bigint);

CREATE FUNCTION profiling.rfm_score_cmp(profiling.rfm_score, profiling.rfm_score)
    RETURNS integer AS 'MODULE_PATHNAME', 'rfm_score_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_eq(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_ne(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_lt(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_le(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_gt(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_ge(profiling.rfm_score, profiling.rfm_score)
    RETURNS boolean AS 'MODULE_PATHNAME', 'rfm_score_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.rfm_score_hash(profiling.rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_score_hash_extended(profiling.rfm_score, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rfm_score_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.rfm_score, RIGHTARG = profiling.rfm_score,
    FUNCTION = profiling.rfm_score_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.rfm_score_btree_ops
    DEFAULT FOR TYPE profiling.rfm_score USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.rfm_score_cmp(profiling.rfm_score, profiling.rfm_score);
CREATE OPERATOR CLASS profiling.rfm_score_hash_ops
    DEFAULT FOR TYPE profiling.rfm_score USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.rfm_score_hash(profiling.rfm_score),
    FUNCTION 2 profiling.rfm_score_hash_extended(profiling.rfm_score, bigint);


-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.value_distribution_trans(internal, double precision, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'value_distribution_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_rollup_trans(internal, profiling.value_distribution)
    RETURNS internal AS 'MODULE_PATHNAME', 'value_distribution_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'value_distribution_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'value_distribution_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'value_distribution_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.value_distribution_final(internal)
    RETURNS profiling.value_distribution AS 'MODULE_PATHNAME', 'value_distribution_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- orders is bigint so that count(*) fits without a cast; an integer column is widened. The
-- final function sorts the state in place, which leaves its multiset of customers unchanged,
-- so window use may call it again and add rows after it: READ_ONLY. SSPACE: a group is a
-- customer base, or a segment of one, of thousands of customers at 16 bytes each while it
-- builds; the planner then prefers sorting to hashing when there are many groups.
CREATE AGGREGATE profiling.value_distribution(value double precision, orders bigint) (
    SFUNC = profiling.value_distribution_trans,
    STYPE = internal,
    SSPACE = 65536,
    FINALFUNC = profiling.value_distribution_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.value_distribution_combine,
    SERIALFUNC = profiling.value_distribution_serialize,
    DESERIALFUNC = profiling.value_distribution_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.value_distribution) (
    SFUNC = profiling.value_distribution_rollup_trans,
    STYPE = internal,
    SSPACE = 65536,
    FINALFUNC = profiling.value_distribution_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.value_distribution_combine,
    SERIALFUNC = profiling.value_distribution_serialize,
    DESERIALFUNC = profiling.value_distribution_deserialize,
    PARALLEL = SAFE
);

-- rfm_model keeps every customer's three metrics (exact quantiles need them all): 24 bytes a
-- customer while it builds. The 3-argument form has 5 bins (aggregates take no defaults).
CREATE FUNCTION profiling.rfm_model_trans(internal, double precision, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'rfm_model_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_trans(internal, double precision, double precision, double precision, integer)
    RETURNS internal AS 'MODULE_PATHNAME', 'rfm_model_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'rfm_model_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'rfm_model_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'rfm_model_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.rfm_model_final(internal)
    RETURNS profiling.rfm_model AS 'MODULE_PATHNAME', 'rfm_model_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE profiling.rfm_model(recency_days double precision, frequency double precision,
                                     monetary double precision) (
    SFUNC = profiling.rfm_model_trans,
    STYPE = internal,
    SSPACE = 65536,
    FINALFUNC = profiling.rfm_model_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.rfm_model_combine,
    SERIALFUNC = profiling.rfm_model_serialize,
    DESERIALFUNC = profiling.rfm_model_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rfm_model(recency_days double precision, frequency double precision,
                                     monetary double precision, bins integer) (
    SFUNC = profiling.rfm_model_trans,
    STYPE = internal,
    SSPACE = 65536,
    FINALFUNC = profiling.rfm_model_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.rfm_model_combine,
    SERIALFUNC = profiling.rfm_model_serialize,
    DESERIALFUNC = profiling.rfm_model_deserialize,
    PARALLEL = SAFE
);

-- Tables ---------------------------------------------------------------------------------------

-- The named RFM segments: each row gives one segment a box of recency scores (r_min..r_max) and
-- FM scores (fm_min..fm_max), where fm = (f + m + 1) / 2 (the mean of the frequency and monetary
-- scores, halves rounded up), for models of `bins` bins. The shipped rows (shipped = true) are a
-- complete, exclusive map for 5 bins. Users edit the table; pg_dump keeps their rows (those with
-- shipped = false). The triggers below keep one rule: a bins value is mapped either by the
-- shipped rows or by the user's rows, never a mix.
CREATE TABLE profiling.rfm_segment_map (
    segment text NOT NULL CONSTRAINT segment_named CHECK (segment <> ''),
    bins integer NOT NULL DEFAULT 5 CONSTRAINT bins_2_to_100 CHECK (bins BETWEEN 2 AND 100),
    r_min integer NOT NULL,
    r_max integer NOT NULL,
    fm_min integer NOT NULL,
    fm_max integer NOT NULL,
    shipped boolean NOT NULL DEFAULT false,
    CONSTRAINT r_range_within_bins CHECK (1 <= r_min AND r_min <= r_max AND r_max <= bins),
    CONSTRAINT fm_range_within_bins CHECK (1 <= fm_min AND fm_min <= fm_max AND fm_max <= bins)
);
INSERT INTO profiling.rfm_segment_map (segment, bins, r_min, r_max, fm_min, fm_max, shipped) VALUES
    ('Champions',          5, 5, 5, 4, 5, true),
    ('Loyal Customers',    5, 3, 4, 4, 5, true),
    ('Potential Loyalist', 5, 4, 5, 2, 3, true),
    ('New Customers',      5, 5, 5, 1, 1, true),
    ('Promising',          5, 4, 4, 1, 1, true),
    ('Need Attention',     5, 3, 3, 3, 3, true),
    ('About to Sleep',     5, 3, 3, 1, 2, true),
    ('At Risk',            5, 1, 2, 3, 4, true),
    ('Cannot Lose Them',   5, 1, 2, 5, 5, true),
    ('Hibernating',        5, 2, 2, 1, 2, true),
    ('Lost',               5, 1, 1, 1, 2, true);
-- pg_dump keeps the user's rows; CREATE EXTENSION during a restore brings the shipped ones back,
-- and the insert trigger then drops those of every bins value the user's rows map.
SELECT pg_catalog.pg_extension_config_dump('profiling.rfm_segment_map', 'WHERE NOT shipped');
-- Every role reads the map (rfm_segment runs as its caller); who may edit it is the DBA's choice.
GRANT SELECT ON profiling.rfm_segment_map TO PUBLIC;

-- The triggers write the table: PARALLEL UNSAFE, deliberately.
-- A row is the user's once edited.
CREATE FUNCTION profiling.rfm_segment_map_edit_row() RETURNS trigger
    LANGUAGE plpgsql PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.shipped := false;
    RETURN NEW;
END $$;
-- Editing or deleting a shipped row takes the whole shipped map of its bins value over as the
-- user's, so that the map stays complete and pg_dump keeps all of it.
CREATE FUNCTION profiling.rfm_segment_map_take_over() RETURNS trigger
    LANGUAGE plpgsql PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The update below fires this trigger again: stop when nothing is left to take over.
    IF EXISTS (SELECT FROM profiling.rfm_segment_map m WHERE m.shipped AND m.bins IN (SELECT c.bins FROM changed c)) THEN
        UPDATE profiling.rfm_segment_map m SET shipped = false
         WHERE m.shipped AND m.bins IN (SELECT c.bins FROM changed c);
    END IF;
    RETURN NULL;
END $$;
-- Inserting rows for a bins value replaces its shipped map: the user's rows are a map of their
-- own (which is also how a restore by pg_restore or psql ends with exactly the user's rows).
CREATE FUNCTION profiling.rfm_segment_map_replace() RETURNS trigger
    LANGUAGE plpgsql PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM profiling.rfm_segment_map m
     WHERE m.shipped AND m.bins IN (SELECT c.bins FROM changed c WHERE NOT c.shipped);
    RETURN NULL;
END $$;
CREATE TRIGGER edit_row BEFORE UPDATE ON profiling.rfm_segment_map
    FOR EACH ROW EXECUTE FUNCTION profiling.rfm_segment_map_edit_row();
CREATE TRIGGER take_over_on_update AFTER UPDATE ON profiling.rfm_segment_map
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION profiling.rfm_segment_map_take_over();
CREATE TRIGGER take_over_on_delete AFTER DELETE ON profiling.rfm_segment_map
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION profiling.rfm_segment_map_take_over();
CREATE TRIGGER replace_on_insert AFTER INSERT ON profiling.rfm_segment_map
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION profiling.rfm_segment_map_replace();

-- Functions ------------------------------------------------------------------------------------

-- Value classes of one customer. "orders" of a purchase history is its order count: no
-- dependence on the session TimeZone, so IMMUTABLE. is_one_time counts calendar days: STABLE.
CREATE FUNCTION profiling.value_class(total_spend double precision, orders bigint,
                                      hero_min double precision, repeat_min integer)
    RETURNS profiling.value_class AS 'MODULE_PATHNAME', 'value_class_of_values'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.value_class(h profiling.purchase_history, hero_min double precision,
                                      repeat_min integer)
    RETURNS profiling.value_class AS 'MODULE_PATHNAME', 'value_class_of_history'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.value_class(h profiling.purchase_history, hero_min double precision,
                                      repeat_min integer, during tstzrange)
    RETURNS profiling.value_class AS 'MODULE_PATHNAME', 'value_class_of_history_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.is_one_time(h profiling.purchase_history) RETURNS boolean
    AS 'MODULE_PATHNAME', 'purchase_history_is_one_time' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- The value structure of a customer table.
CREATE FUNCTION profiling.deciles(vd profiling.value_distribution, bands integer DEFAULT 10)
    RETURNS TABLE (band integer, customers bigint, min_value double precision,
                   max_value double precision, total_value double precision,
                   share_of_value double precision, cumulative_share double precision,
                   avg_value double precision)
    AS 'MODULE_PATHNAME', 'value_distribution_deciles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 10;

CREATE FUNCTION profiling.merge_bands(vd profiling.value_distribution, groups integer,
                                      bands integer DEFAULT 10)
    RETURNS TABLE (band integer, customers bigint, min_value double precision,
                   max_value double precision, total_value double precision,
                   share_of_value double precision, cumulative_share double precision,
                   avg_value double precision, first_band integer, last_band integer)
    AS 'MODULE_PATHNAME', 'value_distribution_merge_bands' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 4;

CREATE FUNCTION profiling.top_share(vd profiling.value_distribution, fraction double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'value_distribution_top_share'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.gini(vd profiling.value_distribution) RETURNS double precision
    AS 'MODULE_PATHNAME', 'value_distribution_gini' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.lorenz(vd profiling.value_distribution, points integer DEFAULT 100)
    RETURNS TABLE (customer_share double precision, value_share double precision)
    AS 'MODULE_PATHNAME', 'value_distribution_lorenz' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 101;

-- Not strict: a NULL array means the default grid (hero_mins: the value deciles; repeat_mins:
-- 2 to 10), and a NULL summary gives no rows.
CREATE FUNCTION profiling.threshold_capture(vd profiling.value_distribution,
                                            hero_mins double precision[] DEFAULT NULL,
                                            repeat_mins integer[] DEFAULT NULL)
    RETURNS TABLE (hero_min double precision, repeat_min integer,
                   vip_customers bigint, hero_customers bigint,
                   repeat_customers bigint, regular_customers bigint,
                   vip_customer_share double precision, hero_customer_share double precision,
                   repeat_customer_share double precision, regular_customer_share double precision,
                   vip_value_share double precision, hero_value_share double precision,
                   repeat_value_share double precision, regular_value_share double precision,
                   one_time_heroes bigint)
    AS 'MODULE_PATHNAME', 'value_distribution_threshold_capture' LANGUAGE C IMMUTABLE PARALLEL SAFE
    ROWS 81;

-- RFM scoring.
CREATE FUNCTION profiling.rfm_model(r_bounds double precision[], f_bounds double precision[],
                                    m_bounds double precision[])
    RETURNS profiling.rfm_model AS 'MODULE_PATHNAME', 'rfm_model_from_bounds'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.bins(model profiling.rfm_model) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_model_bins' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.rfm_score(model profiling.rfm_model, recency_days double precision,
                                    frequency double precision, monetary double precision)
    RETURNS profiling.rfm_score AS 'MODULE_PATHNAME', 'rfm_model_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.r(s profiling.rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.f(s profiling.rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.m(s profiling.rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_m' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

-- Named RFM segments. rfm_segment reads the map once a statement: STABLE.
CREATE FUNCTION profiling.rfm_segment(s profiling.rfm_score, bins integer DEFAULT 5) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.check_rfm_segment_map()
    RETURNS TABLE (bins integer, r integer, fm integer, problem text, segments text[])
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH cell AS (
        SELECT b.bins, r.r, fm.fm
          FROM (SELECT DISTINCT m.bins FROM profiling.rfm_segment_map m) b,
               generate_series(1, b.bins) AS r(r), generate_series(1, b.bins) AS fm(fm))
    SELECT c.bins, c.r, c.fm, CASE WHEN count(m.segment) = 0 THEN 'gap' ELSE 'overlap' END,
           coalesce(array_agg(m.segment ORDER BY m.segment) FILTER (WHERE m.segment IS NOT NULL), '{}')
      FROM cell c
      LEFT JOIN profiling.rfm_segment_map m
        ON m.bins = c.bins AND c.r BETWEEN m.r_min AND m.r_max AND c.fm BETWEEN m.fm_min AND m.fm_max
     GROUP BY c.bins, c.r, c.fm
    HAVING count(m.segment) <> 1
     ORDER BY c.bins, c.r, c.fm
$$;

-- Casts ----------------------------------------------------------------------------------------

-- 545 for the score 545; an error (22003) when a score is above 9 (models of 10 bins or more).
CREATE FUNCTION profiling.rfm_score_to_int4(profiling.rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (profiling.rfm_score AS integer)
    WITH FUNCTION profiling.rfm_score_to_int4(profiling.rfm_score);

-- Comments -------------------------------------------------------------------------------------

-- types
COMMENT ON TYPE profiling.value_class IS
    'value class of a customer, in order of value: vip (hero and repeat), hero (spend >= hero_min), repeat (orders >= repeat_min), regular';
COMMENT ON TYPE profiling.value_distribution IS
    'every customer''s (value, orders) of a customer table, sorted; 12 bytes a customer';
COMMENT ON TYPE profiling.rfm_model IS
    'RFM model: the cut points of recency, frequency and monetary value that split customers into bins scores each';
COMMENT ON TYPE profiling.rfm_score IS
    'RFM score of one customer: recency, frequency and monetary scores, 1..bins each; printed 545, or 12-3-45 above 9';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.value_distribution_in(cstring) IS 'value_distribution text input';
COMMENT ON FUNCTION profiling.value_distribution_out(profiling.value_distribution) IS 'value_distribution text output';
COMMENT ON FUNCTION profiling.value_distribution_recv(internal) IS 'value_distribution binary input';
COMMENT ON FUNCTION profiling.value_distribution_send(profiling.value_distribution) IS 'value_distribution binary output';

-- rfm
COMMENT ON FUNCTION profiling.rfm_model_in(cstring) IS 'rfm_model text input';
COMMENT ON FUNCTION profiling.rfm_model_out(profiling.rfm_model) IS 'rfm_model text output';
COMMENT ON FUNCTION profiling.rfm_model_recv(internal) IS 'rfm_model binary input';
COMMENT ON FUNCTION profiling.rfm_model_send(profiling.rfm_model) IS 'rfm_model binary output';
COMMENT ON FUNCTION profiling.rfm_score_in(cstring) IS 'rfm_score text input';
COMMENT ON FUNCTION profiling.rfm_score_out(profiling.rfm_score) IS 'rfm_score text output';
COMMENT ON FUNCTION profiling.rfm_score_recv(internal) IS 'rfm_score binary input';
COMMENT ON FUNCTION profiling.rfm_score_send(profiling.rfm_score) IS 'rfm_score binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.value_distribution_cmp(profiling.value_distribution, profiling.value_distribution)
    IS 'btree support: -1, 0 or 1 (fewer customers first, then the bytes)';
COMMENT ON FUNCTION profiling.value_distribution_eq(profiling.value_distribution, profiling.value_distribution)
    IS 'true when both summaries hold the same customers';
COMMENT ON FUNCTION profiling.value_distribution_ne(profiling.value_distribution, profiling.value_distribution)
    IS 'true when the summaries hold different customers';
COMMENT ON FUNCTION profiling.value_distribution_lt(profiling.value_distribution, profiling.value_distribution)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.value_distribution_le(profiling.value_distribution, profiling.value_distribution)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.value_distribution_gt(profiling.value_distribution, profiling.value_distribution)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.value_distribution_ge(profiling.value_distribution, profiling.value_distribution)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.value_distribution_hash(profiling.value_distribution)
    IS 'hash of a value distribution (hash operator class support)';
COMMENT ON FUNCTION profiling.value_distribution_hash_extended(profiling.value_distribution, bigint)
    IS 'seeded 64-bit hash of a value distribution (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.value_distribution, profiling.value_distribution)
    IS 'the same customers';
COMMENT ON OPERATOR profiling.<> (profiling.value_distribution, profiling.value_distribution)
    IS 'different customers';
COMMENT ON OPERATOR profiling.< (profiling.value_distribution, profiling.value_distribution)
    IS 'btree order (fewer customers first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.value_distribution, profiling.value_distribution)
    IS 'btree order (fewer customers first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.value_distribution, profiling.value_distribution)
    IS 'btree order (fewer customers first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.value_distribution, profiling.value_distribution)
    IS 'btree order (fewer customers first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.value_distribution_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of value distributions';
COMMENT ON OPERATOR CLASS profiling.value_distribution_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of value distributions';

-- rfm
COMMENT ON FUNCTION profiling.rfm_model_cmp(profiling.rfm_model, profiling.rfm_model)
    IS 'btree support: -1, 0 or 1 (fewer bins first, then the bytes)';
COMMENT ON FUNCTION profiling.rfm_model_eq(profiling.rfm_model, profiling.rfm_model)
    IS 'true when both hold the same cut points';
COMMENT ON FUNCTION profiling.rfm_model_ne(profiling.rfm_model, profiling.rfm_model)
    IS 'true when they differ';
COMMENT ON FUNCTION profiling.rfm_model_lt(profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): less than';
COMMENT ON FUNCTION profiling.rfm_model_le(profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): less than or equal';
COMMENT ON FUNCTION profiling.rfm_model_gt(profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): greater than';
COMMENT ON FUNCTION profiling.rfm_model_ge(profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): greater than or equal';
COMMENT ON FUNCTION profiling.rfm_model_hash(profiling.rfm_model)
    IS 'hash of an rfm_model (hash operator class support)';
COMMENT ON FUNCTION profiling.rfm_model_hash_extended(profiling.rfm_model, bigint)
    IS 'seeded 64-bit hash of an rfm_model (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.rfm_model, profiling.rfm_model)
    IS 'the same cut points';
COMMENT ON OPERATOR profiling.<> (profiling.rfm_model, profiling.rfm_model)
    IS 'different';
COMMENT ON OPERATOR profiling.< (profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.rfm_model, profiling.rfm_model)
    IS 'order (fewer bins first, then the bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.rfm_model_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of rfm_model values';
COMMENT ON OPERATOR CLASS profiling.rfm_model_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of rfm_model values';
COMMENT ON FUNCTION profiling.rfm_score_cmp(profiling.rfm_score, profiling.rfm_score)
    IS 'btree support: -1, 0 or 1 (by r, then f, then m)';
COMMENT ON FUNCTION profiling.rfm_score_eq(profiling.rfm_score, profiling.rfm_score)
    IS 'true when both hold the same three scores';
COMMENT ON FUNCTION profiling.rfm_score_ne(profiling.rfm_score, profiling.rfm_score)
    IS 'true when they differ';
COMMENT ON FUNCTION profiling.rfm_score_lt(profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): less than';
COMMENT ON FUNCTION profiling.rfm_score_le(profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): less than or equal';
COMMENT ON FUNCTION profiling.rfm_score_gt(profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): greater than';
COMMENT ON FUNCTION profiling.rfm_score_ge(profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): greater than or equal';
COMMENT ON FUNCTION profiling.rfm_score_hash(profiling.rfm_score)
    IS 'hash of an rfm_score (hash operator class support)';
COMMENT ON FUNCTION profiling.rfm_score_hash_extended(profiling.rfm_score, bigint)
    IS 'seeded 64-bit hash of an rfm_score (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.rfm_score, profiling.rfm_score)
    IS 'the same three scores';
COMMENT ON OPERATOR profiling.<> (profiling.rfm_score, profiling.rfm_score)
    IS 'different';
COMMENT ON OPERATOR profiling.< (profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): less than';
COMMENT ON OPERATOR profiling.<= (profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.rfm_score, profiling.rfm_score)
    IS 'order (by r, then f, then m): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.rfm_score_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of rfm_score values';
COMMENT ON OPERATOR CLASS profiling.rfm_score_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of rfm_score values';

-- aggregates and their support
COMMENT ON FUNCTION profiling.value_distribution_trans(internal, double precision, bigint)
    IS 'aggregate support: adds one customer';
COMMENT ON FUNCTION profiling.value_distribution_rollup_trans(internal, profiling.value_distribution)
    IS 'aggregate support: adds the customers of a stored summary';
COMMENT ON FUNCTION profiling.value_distribution_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.value_distribution_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.value_distribution_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.value_distribution_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON AGGREGATE profiling.value_distribution(double precision, bigint)
    IS 'summarises a customer table, one row per customer: (value, orders)';
COMMENT ON AGGREGATE profiling.rollup(profiling.value_distribution)
    IS 'merges stored value distributions of disjoint customers: the same as one pass';

-- rfm
COMMENT ON FUNCTION profiling.rfm_model_trans(internal, double precision, double precision, double precision)
    IS 'aggregate support: adds one customer (5 bins)';
COMMENT ON FUNCTION profiling.rfm_model_trans(internal, double precision, double precision, double precision, integer)
    IS 'aggregate support: adds one customer';
COMMENT ON FUNCTION profiling.rfm_model_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.rfm_model_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.rfm_model_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.rfm_model_final(internal)
    IS 'aggregate support: the cut points, percentile_cont(i / bins) of each metric';
COMMENT ON AGGREGATE profiling.rfm_model(double precision, double precision, double precision)
    IS 'RFM model of a customer table, one row per customer: the cut points of 5 scores a metric';
COMMENT ON AGGREGATE profiling.rfm_model(double precision, double precision, double precision, integer)
    IS 'RFM model of a customer table, one row per customer: the cut points of bins scores a metric';

-- functions
COMMENT ON FUNCTION profiling.value_class(double precision, bigint, double precision, integer)
    IS 'vip, hero (total_spend >= hero_min), repeat (orders >= repeat_min) or regular';
COMMENT ON FUNCTION profiling.value_class(profiling.purchase_history, double precision, integer)
    IS 'value class from the total spend and order count of a purchase history';
COMMENT ON FUNCTION profiling.value_class(profiling.purchase_history, double precision, integer, tstzrange)
    IS 'value class from the orders inside a time range only (e.g. the last 365 days)';
COMMENT ON FUNCTION profiling.is_one_time(profiling.purchase_history)
    IS 'every order on one calendar day (session TimeZone): a one-time buyer';
COMMENT ON FUNCTION profiling.deciles(profiling.value_distribution, integer)
    IS 'equal-count bands of customers by value, band 1 the most valuable; a tie group stays in the band of its first member';
COMMENT ON FUNCTION profiling.merge_bands(profiling.value_distribution, integer, integer)
    IS 'the bands merged into groups of consecutive bands by natural breaks of their mean value';
COMMENT ON FUNCTION profiling.top_share(profiling.value_distribution, double precision)
    IS 'share of the total value held by the most valuable fraction of the customers';
COMMENT ON FUNCTION profiling.gini(profiling.value_distribution)
    IS 'Gini coefficient of the customer values (NULL when all are 0; negative values refused)';
COMMENT ON FUNCTION profiling.lorenz(profiling.value_distribution, integer)
    IS 'the Lorenz curve at points + 1 equally spaced customer shares, for a chart';
COMMENT ON FUNCTION profiling.threshold_capture(profiling.value_distribution, double precision[], integer[])
    IS 'customers and value in each value class for each (hero_min, repeat_min), to choose thresholds from data';
COMMENT ON FUNCTION profiling.rfm_model(double precision[], double precision[], double precision[])
    IS 'RFM model from explicit cut points, bins - 1 ascending ones a metric';
COMMENT ON FUNCTION profiling.bins(profiling.rfm_model)
    IS 'the number of scores a metric of an RFM model';
COMMENT ON FUNCTION profiling.rfm_score(profiling.rfm_model, double precision, double precision, double precision)
    IS 'RFM score of one customer: a value equal to a cut point takes the lower score; recency reversed';
COMMENT ON FUNCTION profiling.r(profiling.rfm_score) IS 'recency score, 1..bins (most recent highest)';
COMMENT ON FUNCTION profiling.f(profiling.rfm_score) IS 'frequency score, 1..bins';
COMMENT ON FUNCTION profiling.m(profiling.rfm_score) IS 'monetary score, 1..bins';

COMMENT ON FUNCTION profiling.rfm_segment(profiling.rfm_score, integer)
    IS 'named segment of an RFM score (Champions, At Risk, ...) from profiling.rfm_segment_map: by r and fm = (f + m + 1) / 2';
COMMENT ON FUNCTION profiling.check_rfm_segment_map()
    IS 'the cells (bins, r, fm) of profiling.rfm_segment_map that no segment or more than one covers: empty when the map is sound';
COMMENT ON FUNCTION profiling.rfm_segment_map_edit_row()
    IS 'trigger: an edited row of profiling.rfm_segment_map is the user''s';
COMMENT ON FUNCTION profiling.rfm_segment_map_take_over()
    IS 'trigger: editing a shipped row of profiling.rfm_segment_map makes its whole bins map the user''s';
COMMENT ON FUNCTION profiling.rfm_segment_map_replace()
    IS 'trigger: rows inserted into profiling.rfm_segment_map replace the shipped map of their bins';
COMMENT ON TABLE profiling.rfm_segment_map
    IS 'named RFM segments: boxes of r and fm = (f + m + 1) / 2 scores a bins value; edit freely, pg_dump keeps your rows; check with check_rfm_segment_map()';

-- casts
COMMENT ON FUNCTION profiling.rfm_score_to_int4(profiling.rfm_score)
    IS 'the score as a three-digit integer (545); scores above 9 have none';
COMMENT ON CAST (profiling.rfm_score AS integer)
    IS 'the score as a three-digit integer (545); scores above 9 have none';
