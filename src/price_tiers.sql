-- ============================================================================================
-- price_tiers: which price tier each product is in, and which tier each customer leans to.
-- Price bands of a category: the price_bands(unit_price) aggregate (terciles of the prices) and
-- price_bands(low_max, mid_max) from explicit bounds, read by low_max, mid_max, price_count and
-- price_tier(bands, unit_price). (src/price_bands*.c)
-- The tier mix of a customer: tier_mix(tier, amount) over order lines and rollup(tier_mix), read
-- by dominant_tier, tier_share, tier_amount and tier_lines. (src/tier_mix*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

-- In order of price: ORDER BY puts low first.
CREATE TYPE profiling.price_tier AS ENUM ('low', 'mid', 'high');

CREATE TYPE profiling.price_bands;
CREATE TYPE profiling.tier_mix;

-- I/O ------------------------------------------------------------------------------------------

-- Both types are fixed-size varlenas (32 and 56 bytes): stored inline, never compressed.
CREATE FUNCTION profiling.price_bands_in(cstring) RETURNS profiling.price_bands
    AS 'MODULE_PATHNAME', 'price_bands_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_out(profiling.price_bands) RETURNS cstring
    AS 'MODULE_PATHNAME', 'price_bands_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_recv(internal) RETURNS profiling.price_bands
    AS 'MODULE_PATHNAME', 'price_bands_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_send(profiling.price_bands) RETURNS bytea
    AS 'MODULE_PATHNAME', 'price_bands_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.price_bands (
    INPUT = profiling.price_bands_in,
    OUTPUT = profiling.price_bands_out,
    RECEIVE = profiling.price_bands_recv,
    SEND = profiling.price_bands_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

CREATE FUNCTION profiling.tier_mix_in(cstring) RETURNS profiling.tier_mix
    AS 'MODULE_PATHNAME', 'tier_mix_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_out(profiling.tier_mix) RETURNS cstring
    AS 'MODULE_PATHNAME', 'tier_mix_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_recv(internal) RETURNS profiling.tier_mix
    AS 'MODULE_PATHNAME', 'tier_mix_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_send(profiling.tier_mix) RETURNS bytea
    AS 'MODULE_PATHNAME', 'tier_mix_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.tier_mix (
    INPUT = profiling.tier_mix_in,
    OUTPUT = profiling.tier_mix_out,
    RECEIVE = profiling.tier_mix_recv,
    SEND = profiling.tier_mix_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

-- Operators and operator classes ---------------------------------------------------------------

-- price_bands (src/price_bands.c)
-- = is "the same cut points and price count". The btree order (the bytes) means nothing about
-- prices: it lets ORDER BY, DISTINCT and merge joins work.
CREATE FUNCTION profiling.price_bands_cmp(profiling.price_bands, profiling.price_bands)
    RETURNS integer AS 'MODULE_PATHNAME', 'price_bands_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_eq(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_ne(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_lt(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_le(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_gt(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_ge(profiling.price_bands, profiling.price_bands)
    RETURNS boolean AS 'MODULE_PATHNAME', 'price_bands_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.price_bands_hash(profiling.price_bands) RETURNS integer
    AS 'MODULE_PATHNAME', 'price_bands_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_hash_extended(profiling.price_bands, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'price_bands_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.price_bands, RIGHTARG = profiling.price_bands,
    FUNCTION = profiling.price_bands_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.price_bands_btree_ops
    DEFAULT FOR TYPE profiling.price_bands USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.price_bands_cmp(profiling.price_bands, profiling.price_bands);
CREATE OPERATOR CLASS profiling.price_bands_hash_ops
    DEFAULT FOR TYPE profiling.price_bands USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.price_bands_hash(profiling.price_bands),
    FUNCTION 2 profiling.price_bands_hash_extended(profiling.price_bands, bigint);

-- tier_mix (src/tier_mix.c)
-- = is "the same lines and amounts per tier". The btree order (the bytes) means nothing about
-- customers.
CREATE FUNCTION profiling.tier_mix_cmp(profiling.tier_mix, profiling.tier_mix)
    RETURNS integer AS 'MODULE_PATHNAME', 'tier_mix_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_eq(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_ne(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_lt(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_le(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_gt(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_ge(profiling.tier_mix, profiling.tier_mix)
    RETURNS boolean AS 'MODULE_PATHNAME', 'tier_mix_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.tier_mix_hash(profiling.tier_mix) RETURNS integer
    AS 'MODULE_PATHNAME', 'tier_mix_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_hash_extended(profiling.tier_mix, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'tier_mix_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.tier_mix, RIGHTARG = profiling.tier_mix,
    FUNCTION = profiling.tier_mix_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.tier_mix_btree_ops
    DEFAULT FOR TYPE profiling.tier_mix USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.tier_mix_cmp(profiling.tier_mix, profiling.tier_mix);
CREATE OPERATOR CLASS profiling.tier_mix_hash_ops
    DEFAULT FOR TYPE profiling.tier_mix USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.tier_mix_hash(profiling.tier_mix),
    FUNCTION 2 profiling.tier_mix_hash_extended(profiling.tier_mix, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

-- price_bands keeps every price (exact terciles need them all): 8 bytes a price while it
-- builds. No rollup: terciles of a union are not a function of the parts' terciles.
CREATE FUNCTION profiling.price_bands_trans(internal, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'price_bands_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'price_bands_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'price_bands_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'price_bands_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_bands_final(internal)
    RETURNS profiling.price_bands AS 'MODULE_PATHNAME', 'price_bands_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The final function selects in place, which leaves the multiset of prices unchanged: READ_ONLY.
-- SSPACE: a group is a category of a few hundred to a few thousand prices.
CREATE AGGREGATE profiling.price_bands(unit_price double precision) (
    SFUNC = profiling.price_bands_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.price_bands_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.price_bands_combine,
    SERIALFUNC = profiling.price_bands_serialize,
    DESERIALFUNC = profiling.price_bands_deserialize,
    PARALLEL = SAFE
);

-- tier_mix: three (lines, exact sum) cells, whatever the number of lines.
CREATE FUNCTION profiling.tier_mix_trans(internal, profiling.price_tier, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'tier_mix_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_rollup_trans(internal, profiling.tier_mix)
    RETURNS internal AS 'MODULE_PATHNAME', 'tier_mix_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'tier_mix_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'tier_mix_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'tier_mix_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_mix_final(internal)
    RETURNS profiling.tier_mix AS 'MODULE_PATHNAME', 'tier_mix_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE profiling.tier_mix(tier profiling.price_tier, amount double precision) (
    SFUNC = profiling.tier_mix_trans,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = profiling.tier_mix_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.tier_mix_combine,
    SERIALFUNC = profiling.tier_mix_serialize,
    DESERIALFUNC = profiling.tier_mix_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.tier_mix) (
    SFUNC = profiling.tier_mix_rollup_trans,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = profiling.tier_mix_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.tier_mix_combine,
    SERIALFUNC = profiling.tier_mix_serialize,
    DESERIALFUNC = profiling.tier_mix_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.price_bands(low_max double precision, mid_max double precision)
    RETURNS profiling.price_bands AS 'MODULE_PATHNAME', 'price_bands_from_bounds'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.low_max(bands profiling.price_bands) RETURNS double precision
    AS 'MODULE_PATHNAME', 'price_bands_low_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.mid_max(bands profiling.price_bands) RETURNS double precision
    AS 'MODULE_PATHNAME', 'price_bands_mid_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_count(bands profiling.price_bands) RETURNS bigint
    AS 'MODULE_PATHNAME', 'price_bands_prices' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.price_tier(bands profiling.price_bands, unit_price double precision)
    RETURNS profiling.price_tier AS 'MODULE_PATHNAME', 'price_bands_tier'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.dominant_tier(m profiling.tier_mix) RETURNS profiling.price_tier
    AS 'MODULE_PATHNAME', 'tier_mix_dominant_tier' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_share(m profiling.tier_mix, tier profiling.price_tier)
    RETURNS double precision AS 'MODULE_PATHNAME', 'tier_mix_share'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_amount(m profiling.tier_mix, tier profiling.price_tier)
    RETURNS double precision AS 'MODULE_PATHNAME', 'tier_mix_amount'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.tier_lines(m profiling.tier_mix, tier profiling.price_tier)
    RETURNS bigint AS 'MODULE_PATHNAME', 'tier_mix_lines'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

COMMENT ON TYPE profiling.price_tier IS 'a price tier: low, mid, high (in order of price)';

-- price_bands
COMMENT ON TYPE profiling.price_bands IS
    'the cut points of the low, mid and high price tiers and the price count; text (low_max,mid_max,prices)';
-- type support functions are internal plumbing, commented once here rather than one by one
COMMENT ON FUNCTION profiling.price_bands_in(cstring) IS 'price_bands text input';
COMMENT ON FUNCTION profiling.price_bands_out(profiling.price_bands) IS 'price_bands text output';
COMMENT ON FUNCTION profiling.price_bands_recv(internal) IS 'price_bands binary input';
COMMENT ON FUNCTION profiling.price_bands_send(profiling.price_bands) IS 'price_bands binary output';
COMMENT ON FUNCTION profiling.price_bands_cmp(profiling.price_bands, profiling.price_bands)
    IS 'btree support: -1, 0 or 1 (by the bytes)';
COMMENT ON FUNCTION profiling.price_bands_eq(profiling.price_bands, profiling.price_bands)
    IS 'true when both hold the same cut points and price count';
COMMENT ON FUNCTION profiling.price_bands_ne(profiling.price_bands, profiling.price_bands)
    IS 'true when the cut points or price counts differ';
COMMENT ON FUNCTION profiling.price_bands_lt(profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes): less than';
COMMENT ON FUNCTION profiling.price_bands_le(profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes): less than or equal';
COMMENT ON FUNCTION profiling.price_bands_gt(profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes): greater than';
COMMENT ON FUNCTION profiling.price_bands_ge(profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes): greater than or equal';
COMMENT ON FUNCTION profiling.price_bands_hash(profiling.price_bands)
    IS 'hash of a price_bands value (hash operator class support)';
COMMENT ON FUNCTION profiling.price_bands_hash_extended(profiling.price_bands, bigint)
    IS 'seeded 64-bit hash of a price_bands value (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.price_bands, profiling.price_bands) IS 'the same cut points and price count';
COMMENT ON OPERATOR profiling.<> (profiling.price_bands, profiling.price_bands) IS 'different cut points or price counts';
COMMENT ON OPERATOR profiling.< (profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes, meaningless about prices): less than';
COMMENT ON OPERATOR profiling.<= (profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes, meaningless about prices): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes, meaningless about prices): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.price_bands, profiling.price_bands)
    IS 'btree order (by the bytes, meaningless about prices): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.price_bands_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of price_bands values';
COMMENT ON OPERATOR CLASS profiling.price_bands_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of price_bands values';
COMMENT ON FUNCTION profiling.price_bands_trans(internal, double precision)
    IS 'aggregate support: keeps one price';
COMMENT ON FUNCTION profiling.price_bands_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.price_bands_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.price_bands_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.price_bands_final(internal)
    IS 'aggregate support: the terciles of the prices';
COMMENT ON AGGREGATE profiling.price_bands(double precision)
    IS 'price bands from prices: low_max = percentile_cont(1/3), mid_max = percentile_cont(2/3); NULL prices are skipped; no rollup';
COMMENT ON FUNCTION profiling.price_bands(double precision, double precision)
    IS 'price bands from explicit bounds: low up to low_max, mid up to mid_max, high above (price count 0)';
COMMENT ON FUNCTION profiling.low_max(profiling.price_bands) IS 'the highest price of the low tier';
COMMENT ON FUNCTION profiling.mid_max(profiling.price_bands) IS 'the highest price of the mid tier';
COMMENT ON FUNCTION profiling.price_count(profiling.price_bands)
    IS 'how many prices the bands were computed from (0: explicit bounds)';
COMMENT ON FUNCTION profiling.price_tier(profiling.price_bands, double precision)
    IS 'the tier of a price: low up to low_max, mid up to mid_max, high above (a price equal to a cut point takes the lower tier)';

-- tier_mix
COMMENT ON TYPE profiling.tier_mix IS
    'order lines and amount per price tier of a customer; text {(low,3,25.5),(high,1,99)}';
COMMENT ON FUNCTION profiling.tier_mix_in(cstring) IS 'tier_mix text input';
COMMENT ON FUNCTION profiling.tier_mix_out(profiling.tier_mix) IS 'tier_mix text output';
COMMENT ON FUNCTION profiling.tier_mix_recv(internal) IS 'tier_mix binary input';
COMMENT ON FUNCTION profiling.tier_mix_send(profiling.tier_mix) IS 'tier_mix binary output';
COMMENT ON FUNCTION profiling.tier_mix_cmp(profiling.tier_mix, profiling.tier_mix)
    IS 'btree support: -1, 0 or 1 (by the bytes)';
COMMENT ON FUNCTION profiling.tier_mix_eq(profiling.tier_mix, profiling.tier_mix)
    IS 'true when both hold the same lines and amounts per tier';
COMMENT ON FUNCTION profiling.tier_mix_ne(profiling.tier_mix, profiling.tier_mix)
    IS 'true when the lines or amounts differ';
COMMENT ON FUNCTION profiling.tier_mix_lt(profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes): less than';
COMMENT ON FUNCTION profiling.tier_mix_le(profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes): less than or equal';
COMMENT ON FUNCTION profiling.tier_mix_gt(profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes): greater than';
COMMENT ON FUNCTION profiling.tier_mix_ge(profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes): greater than or equal';
COMMENT ON FUNCTION profiling.tier_mix_hash(profiling.tier_mix)
    IS 'hash of a tier_mix value (hash operator class support)';
COMMENT ON FUNCTION profiling.tier_mix_hash_extended(profiling.tier_mix, bigint)
    IS 'seeded 64-bit hash of a tier_mix value (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.tier_mix, profiling.tier_mix) IS 'the same lines and amounts per tier';
COMMENT ON OPERATOR profiling.<> (profiling.tier_mix, profiling.tier_mix) IS 'different lines or amounts';
COMMENT ON OPERATOR profiling.< (profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes, meaningless about customers): less than';
COMMENT ON OPERATOR profiling.<= (profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes, meaningless about customers): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes, meaningless about customers): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.tier_mix, profiling.tier_mix)
    IS 'btree order (by the bytes, meaningless about customers): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.tier_mix_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of tier_mix values';
COMMENT ON OPERATOR CLASS profiling.tier_mix_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of tier_mix values';
COMMENT ON FUNCTION profiling.tier_mix_trans(internal, profiling.price_tier, double precision)
    IS 'aggregate support: adds one order line';
COMMENT ON FUNCTION profiling.tier_mix_rollup_trans(internal, profiling.tier_mix)
    IS 'aggregate support: adds the lines and amounts of a stored mix';
COMMENT ON FUNCTION profiling.tier_mix_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.tier_mix_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.tier_mix_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.tier_mix_final(internal)
    IS 'aggregate support: the mix';
COMMENT ON AGGREGATE profiling.tier_mix(profiling.price_tier, double precision)
    IS 'lines and amount per price tier, one row per order line; rows with a NULL tier or amount are skipped; amounts must be zero or more';
COMMENT ON AGGREGATE profiling.rollup(profiling.tier_mix)
    IS 'adds stored tier mixes: the same as one pass (amounts summed exactly when they are decimals)';
COMMENT ON FUNCTION profiling.dominant_tier(profiling.tier_mix)
    IS 'the tier with the largest amount (ties: the lower tier); NULL when nothing was spent';
COMMENT ON FUNCTION profiling.tier_share(profiling.tier_mix, profiling.price_tier)
    IS 'the tier''s share of the amount, 0..1; NULL when nothing was spent';
COMMENT ON FUNCTION profiling.tier_amount(profiling.tier_mix, profiling.price_tier)
    IS 'the amount spent in the tier (0 if none)';
COMMENT ON FUNCTION profiling.tier_lines(profiling.tier_mix, profiling.price_tier)
    IS 'the order lines bought in the tier (0 if none)';
