-- ============================================================================================
-- baskets: cross-sell inside orders. One array of items a basket (bigint[] or text[]) into a
-- summary of the basket count, per-item counts and per-pair counts, exact below a pair budget
-- (max_pairs) and with a reported error bound above it. Aggregates: baskets(items [, max_pairs])
-- and rollup(baskets). Readers: association_rules, cross_sell, basket_count, pair_error.
-- (src/baskets*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.baskets;

-- I/O ------------------------------------------------------------------------------------------

CREATE FUNCTION profiling.baskets_in(cstring) RETURNS profiling.baskets
    AS 'MODULE_PATHNAME', 'baskets_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_out(profiling.baskets) RETURNS cstring
    AS 'MODULE_PATHNAME', 'baskets_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_recv(internal) RETURNS profiling.baskets
    AS 'MODULE_PATHNAME', 'baskets_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_send(profiling.baskets) RETURNS bytea
    AS 'MODULE_PATHNAME', 'baskets_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.baskets (
    INPUT = profiling.baskets_in,
    OUTPUT = profiling.baskets_out,
    RECEIVE = profiling.baskets_recv,
    SEND = profiling.baskets_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same counts, the same budget". The btree order (smaller summaries first, then the
-- bytes) means nothing about baskets: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.baskets_cmp(profiling.baskets, profiling.baskets)
    RETURNS integer AS 'MODULE_PATHNAME', 'baskets_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_eq(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_ne(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_lt(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_le(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_gt(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_ge(profiling.baskets, profiling.baskets)
    RETURNS boolean AS 'MODULE_PATHNAME', 'baskets_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.baskets_hash(profiling.baskets) RETURNS integer
    AS 'MODULE_PATHNAME', 'baskets_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_hash_extended(profiling.baskets, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'baskets_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.baskets, RIGHTARG = profiling.baskets,
    FUNCTION = profiling.baskets_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.baskets_btree_ops
    DEFAULT FOR TYPE profiling.baskets USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.baskets_cmp(profiling.baskets, profiling.baskets);
CREATE OPERATOR CLASS profiling.baskets_hash_ops
    DEFAULT FOR TYPE profiling.baskets USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.baskets_hash(profiling.baskets),
    FUNCTION 2 profiling.baskets_hash_extended(profiling.baskets, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.baskets_trans(internal, bigint[])
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_trans_bigint'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_trans(internal, bigint[], bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_trans_bigint'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_trans(internal, text[])
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_trans_text'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_trans(internal, text[], bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_trans_text'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_rollup_trans(internal, profiling.baskets)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'baskets_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_final(internal)
    RETURNS profiling.baskets AS 'MODULE_PATHNAME', 'baskets_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregates cannot have default arguments: the pair budget is an overload (default 1,000,000
-- pair counters). SSPACE: a group's memory under hash aggregation when it starts (the state
-- and its first hash tables).
CREATE AGGREGATE profiling.baskets(items bigint[]) (
    SFUNC = profiling.baskets_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_combine,
    SERIALFUNC = profiling.baskets_serialize,
    DESERIALFUNC = profiling.baskets_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(items bigint[], max_pairs bigint) (
    SFUNC = profiling.baskets_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_combine,
    SERIALFUNC = profiling.baskets_serialize,
    DESERIALFUNC = profiling.baskets_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(items text[]) (
    SFUNC = profiling.baskets_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_combine,
    SERIALFUNC = profiling.baskets_serialize,
    DESERIALFUNC = profiling.baskets_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(items text[], max_pairs bigint) (
    SFUNC = profiling.baskets_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_combine,
    SERIALFUNC = profiling.baskets_serialize,
    DESERIALFUNC = profiling.baskets_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.rollup(profiling.baskets) (
    SFUNC = profiling.baskets_rollup_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_combine,
    SERIALFUNC = profiling.baskets_serialize,
    DESERIALFUNC = profiling.baskets_deserialize,
    PARALLEL = SAFE
);

-- The same summary from the order lines, one row a line: baskets(order_id, item [, max_pairs])
-- groups the lines by order itself (src/baskets_lines.c), with no array per order.
CREATE FUNCTION profiling.baskets_lines_trans(internal, bigint, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_trans_bigint'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_trans(internal, bigint, bigint, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_trans_bigint'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_trans(internal, bigint, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_trans_text'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_trans(internal, bigint, text, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_trans_text'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'baskets_lines_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'baskets_lines_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.baskets_lines_final(internal)
    RETURNS profiling.baskets AS 'MODULE_PATHNAME', 'baskets_lines_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- FINALFUNC_MODIFY = READ_ONLY: the final function seals the open order and merges orders that
-- came in parts, leaving a state that holds the same lines (more rows and another final call
-- stay right).
CREATE AGGREGATE profiling.baskets(order_id bigint, item bigint) (
    SFUNC = profiling.baskets_lines_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_lines_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_lines_combine,
    SERIALFUNC = profiling.baskets_lines_serialize,
    DESERIALFUNC = profiling.baskets_lines_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(order_id bigint, item bigint, max_pairs bigint) (
    SFUNC = profiling.baskets_lines_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_lines_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_lines_combine,
    SERIALFUNC = profiling.baskets_lines_serialize,
    DESERIALFUNC = profiling.baskets_lines_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(order_id bigint, item text) (
    SFUNC = profiling.baskets_lines_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_lines_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_lines_combine,
    SERIALFUNC = profiling.baskets_lines_serialize,
    DESERIALFUNC = profiling.baskets_lines_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.baskets(order_id bigint, item text, max_pairs bigint) (
    SFUNC = profiling.baskets_lines_trans,
    STYPE = internal,
    SSPACE = 4000,
    FINALFUNC = profiling.baskets_lines_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.baskets_lines_combine,
    SERIALFUNC = profiling.baskets_lines_serialize,
    DESERIALFUNC = profiling.baskets_lines_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.association_rules(b profiling.baskets, min_support float8 DEFAULT 0.01,
                                            min_confidence float8 DEFAULT 0, min_lift float8 DEFAULT 0)
    RETURNS TABLE (antecedent text, consequent text, pair_count bigint, antecedent_count bigint,
                   consequent_count bigint, support float8, confidence float8, lift float8,
                   conviction float8, leverage float8)
    AS 'MODULE_PATHNAME', 'baskets_association_rules'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

CREATE FUNCTION profiling.cross_sell(b profiling.baskets, item text, top integer DEFAULT 10)
    RETURNS TABLE (antecedent text, consequent text, pair_count bigint, antecedent_count bigint,
                   consequent_count bigint, support float8, confidence float8, lift float8,
                   conviction float8, leverage float8)
    AS 'MODULE_PATHNAME', 'baskets_cross_sell_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

CREATE FUNCTION profiling.cross_sell(b profiling.baskets, item bigint, top integer DEFAULT 10)
    RETURNS TABLE (antecedent text, consequent text, pair_count bigint, antecedent_count bigint,
                   consequent_count bigint, support float8, confidence float8, lift float8,
                   conviction float8, leverage float8)
    AS 'MODULE_PATHNAME', 'baskets_cross_sell_bigint'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

CREATE FUNCTION profiling.basket_count(b profiling.baskets)
    RETURNS bigint AS 'MODULE_PATHNAME', 'baskets_basket_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.pair_error(b profiling.baskets)
    RETURNS bigint AS 'MODULE_PATHNAME', 'baskets_pair_error'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.baskets IS
    'cross-sell summary: basket count, per-item and per-pair basket counts (exact below max_pairs pair counters)';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.baskets_in(cstring) IS 'baskets text input';
COMMENT ON FUNCTION profiling.baskets_out(profiling.baskets) IS 'baskets text output';
COMMENT ON FUNCTION profiling.baskets_recv(internal) IS 'baskets binary input';
COMMENT ON FUNCTION profiling.baskets_send(profiling.baskets) IS 'baskets binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.baskets_cmp(profiling.baskets, profiling.baskets)
    IS 'btree support: -1, 0 or 1 (a storage order, not a ranking)';
COMMENT ON FUNCTION profiling.baskets_eq(profiling.baskets, profiling.baskets)
    IS 'the same summary';
COMMENT ON FUNCTION profiling.baskets_ne(profiling.baskets, profiling.baskets)
    IS 'not the same summary';
COMMENT ON FUNCTION profiling.baskets_lt(profiling.baskets, profiling.baskets)
    IS 'storage order: less';
COMMENT ON FUNCTION profiling.baskets_le(profiling.baskets, profiling.baskets)
    IS 'storage order: less or equal';
COMMENT ON FUNCTION profiling.baskets_gt(profiling.baskets, profiling.baskets)
    IS 'storage order: greater';
COMMENT ON FUNCTION profiling.baskets_ge(profiling.baskets, profiling.baskets)
    IS 'storage order: greater or equal';
COMMENT ON FUNCTION profiling.baskets_hash(profiling.baskets)
    IS 'hash support: hash of the canonical bytes';
COMMENT ON FUNCTION profiling.baskets_hash_extended(profiling.baskets, bigint)
    IS 'hash support: seeded 64-bit hash of the canonical bytes';
COMMENT ON OPERATOR profiling.= (profiling.baskets, profiling.baskets)
    IS 'the same summary';
COMMENT ON OPERATOR profiling.<> (profiling.baskets, profiling.baskets)
    IS 'not the same summary';
COMMENT ON OPERATOR profiling.< (profiling.baskets, profiling.baskets)
    IS 'storage order: less';
COMMENT ON OPERATOR profiling.<= (profiling.baskets, profiling.baskets)
    IS 'storage order: less or equal';
COMMENT ON OPERATOR profiling.> (profiling.baskets, profiling.baskets)
    IS 'storage order: greater';
COMMENT ON OPERATOR profiling.>= (profiling.baskets, profiling.baskets)
    IS 'storage order: greater or equal';
COMMENT ON OPERATOR CLASS profiling.baskets_btree_ops USING btree
    IS 'storage order of baskets summaries (for sorting and merge joins)';
COMMENT ON OPERATOR CLASS profiling.baskets_hash_ops USING hash
    IS 'hashing of baskets summaries (for hash joins and hash aggregation)';

-- aggregates and their support
COMMENT ON FUNCTION profiling.baskets_trans(internal, bigint[])
    IS 'aggregate support: counts one basket of bigint items';
COMMENT ON FUNCTION profiling.baskets_trans(internal, bigint[], bigint)
    IS 'aggregate support: counts one basket of bigint items, within a pair budget';
COMMENT ON FUNCTION profiling.baskets_trans(internal, text[])
    IS 'aggregate support: counts one basket of text items';
COMMENT ON FUNCTION profiling.baskets_trans(internal, text[], bigint)
    IS 'aggregate support: counts one basket of text items, within a pair budget';
COMMENT ON FUNCTION profiling.baskets_rollup_trans(internal, profiling.baskets)
    IS 'aggregate support: adds the counts of a stored summary';
COMMENT ON FUNCTION profiling.baskets_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.baskets_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.baskets_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.baskets_final(internal)
    IS 'aggregate support: the canonical summary';
COMMENT ON AGGREGATE profiling.baskets(bigint[])
    IS 'summarises baskets, one array of bigint items each: basket, item and pair counts (1,000,000 pair counters)';
COMMENT ON AGGREGATE profiling.baskets(bigint[], bigint)
    IS 'summarises baskets, one array of bigint items each, keeping at most max_pairs pair counters';
COMMENT ON AGGREGATE profiling.baskets(text[])
    IS 'summarises baskets, one array of text items each: basket, item and pair counts (1,000,000 pair counters)';
COMMENT ON AGGREGATE profiling.baskets(text[], bigint)
    IS 'summarises baskets, one array of text items each, keeping at most max_pairs pair counters';
COMMENT ON AGGREGATE profiling.rollup(profiling.baskets)
    IS 'merges stored baskets summaries: the same as one pass over all their baskets while within the pair budget';

COMMENT ON FUNCTION profiling.baskets_lines_trans(internal, bigint, bigint)
    IS 'aggregate support: adds one order line with a bigint item';
COMMENT ON FUNCTION profiling.baskets_lines_trans(internal, bigint, bigint, bigint)
    IS 'aggregate support: adds one order line with a bigint item, within a pair budget';
COMMENT ON FUNCTION profiling.baskets_lines_trans(internal, bigint, text)
    IS 'aggregate support: adds one order line with a text item';
COMMENT ON FUNCTION profiling.baskets_lines_trans(internal, bigint, text, bigint)
    IS 'aggregate support: adds one order line with a text item, within a pair budget';
COMMENT ON FUNCTION profiling.baskets_lines_combine(internal, internal)
    IS 'aggregate support: merges two partial states of order lines, orders split between them included';
COMMENT ON FUNCTION profiling.baskets_lines_serialize(internal)
    IS 'aggregate support: partial state of order lines to its binary form';
COMMENT ON FUNCTION profiling.baskets_lines_deserialize(bytea, internal)
    IS 'aggregate support: partial state of order lines from its binary form';
COMMENT ON FUNCTION profiling.baskets_lines_final(internal)
    IS 'aggregate support: the canonical summary, every order counted once';
COMMENT ON AGGREGATE profiling.baskets(bigint, bigint)
    IS 'summarises orders as baskets from their lines (order_id, bigint item), in any order: the same summary as baskets(items) over one array an order (1,000,000 pair counters)';
COMMENT ON AGGREGATE profiling.baskets(bigint, bigint, bigint)
    IS 'summarises orders as baskets from their lines (order_id, bigint item), keeping at most max_pairs pair counters';
COMMENT ON AGGREGATE profiling.baskets(bigint, text)
    IS 'summarises orders as baskets from their lines (order_id, text item), in any order: the same summary as baskets(items) over one array an order (1,000,000 pair counters)';
COMMENT ON AGGREGATE profiling.baskets(bigint, text, bigint)
    IS 'summarises orders as baskets from their lines (order_id, text item), keeping at most max_pairs pair counters';
-- functions
COMMENT ON FUNCTION profiling.association_rules(profiling.baskets, float8, float8, float8)
    IS 'rules A -> B in both directions of every pair in at least min_support of the baskets: counts, support, confidence, lift, conviction, leverage';
COMMENT ON FUNCTION profiling.cross_sell(profiling.baskets, text, integer)
    IS 'the rules whose antecedent is the item, best first (confidence, then lift, then the item)';
COMMENT ON FUNCTION profiling.cross_sell(profiling.baskets, bigint, integer)
    IS 'the rules whose antecedent is the item, best first (confidence, then lift, then the item)';
COMMENT ON FUNCTION profiling.basket_count(profiling.baskets)
    IS 'number of baskets with at least one item';
COMMENT ON FUNCTION profiling.pair_error(profiling.baskets)
    IS 'how much any pair count may be below the truth: 0 when exact, above 0 once the pair budget was reached';
