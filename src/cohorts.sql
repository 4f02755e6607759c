-- ============================================================================================
-- cohorts: cohort retention. Customers grouped by the calendar period of their first purchase
-- (week, month, quarter or year, in the session TimeZone when the aggregate runs), and for each
-- later period how many of them bought again and what they spent: the cohorts(h [, unit])
-- aggregate over a customer table, rollup(cohorts), read by retention(c).
-- (src/cohorts*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.cohorts;

-- I/O ------------------------------------------------------------------------------------------

CREATE FUNCTION profiling.cohorts_in(cstring) RETURNS profiling.cohorts
    AS 'MODULE_PATHNAME', 'cohorts_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_out(profiling.cohorts) RETURNS cstring
    AS 'MODULE_PATHNAME', 'cohorts_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_recv(internal) RETURNS profiling.cohorts
    AS 'MODULE_PATHNAME', 'cohorts_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_send(profiling.cohorts) RETURNS bytea
    AS 'MODULE_PATHNAME', 'cohorts_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.cohorts (
    INPUT = profiling.cohorts_in,
    OUTPUT = profiling.cohorts_out,
    RECEIVE = profiling.cohorts_recv,
    SEND = profiling.cohorts_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same cohorts, periods, customers and revenue". The btree order (smaller summaries
-- first, then the bytes) means nothing about customers: it lets ORDER BY, DISTINCT and merge
-- joins work.

CREATE FUNCTION profiling.cohorts_cmp(profiling.cohorts, profiling.cohorts)
    RETURNS integer AS 'MODULE_PATHNAME', 'cohorts_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_eq(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_ne(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_lt(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_le(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_gt(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_ge(profiling.cohorts, profiling.cohorts)
    RETURNS boolean AS 'MODULE_PATHNAME', 'cohorts_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.cohorts_hash(profiling.cohorts) RETURNS integer
    AS 'MODULE_PATHNAME', 'cohorts_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_hash_extended(profiling.cohorts, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'cohorts_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.cohorts, RIGHTARG = profiling.cohorts,
    FUNCTION = profiling.cohorts_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.cohorts_btree_ops
    DEFAULT FOR TYPE profiling.cohorts USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.cohorts_cmp(profiling.cohorts, profiling.cohorts);
CREATE OPERATOR CLASS profiling.cohorts_hash_ops
    DEFAULT FOR TYPE profiling.cohorts USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.cohorts_hash(profiling.cohorts),
    FUNCTION 2 profiling.cohorts_hash_extended(profiling.cohorts, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates. The transition
-- reads the session TimeZone (the calendar days of the orders): STABLE.

CREATE FUNCTION profiling.cohorts_trans(internal, profiling.purchase_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'cohorts_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_trans(internal, profiling.purchase_history, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'cohorts_trans'
    LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_rollup_trans(internal, profiling.cohorts)
    RETURNS internal AS 'MODULE_PATHNAME', 'cohorts_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'cohorts_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'cohorts_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'cohorts_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.cohorts_final(internal)
    RETURNS profiling.cohorts AS 'MODULE_PATHNAME', 'cohorts_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregates take no defaults: cohorts(h) is cohorts(h, 'month'). The final function only reads
-- the state, so window use may call it again and add rows after it: READ_ONLY. SSPACE: a state
-- is a few hundred cells of 40 bytes (cohorts x periods), whatever the customers.
CREATE AGGREGATE profiling.cohorts(h profiling.purchase_history) (
    SFUNC = profiling.cohorts_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.cohorts_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.cohorts_combine,
    SERIALFUNC = profiling.cohorts_serialize,
    DESERIALFUNC = profiling.cohorts_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.cohorts(h profiling.purchase_history, unit text) (
    SFUNC = profiling.cohorts_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.cohorts_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.cohorts_combine,
    SERIALFUNC = profiling.cohorts_serialize,
    DESERIALFUNC = profiling.cohorts_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.cohorts) (
    SFUNC = profiling.cohorts_rollup_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.cohorts_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.cohorts_combine,
    SERIALFUNC = profiling.cohorts_serialize,
    DESERIALFUNC = profiling.cohorts_deserialize,
    PARALLEL = SAFE
);

-- cohorts(h [, unit]) reads the session TimeZone (its transition function is STABLE), but an
-- aggregate's declaration takes no volatility: PostgreSQL records every aggregate as IMMUTABLE.
-- That is not harmless: postgres_fdw ships an IMMUTABLE aggregate to a foreign server, whose
-- session runs in GMT, and a sharded cohorts() would silently count GMT's calendar periods. Recording the truth
-- keeps it on the coordinator (test/shards asserts both). rollup(cohorts) merges stored periods
-- only and stays IMMUTABLE.
UPDATE pg_catalog.pg_proc SET provolatile = 's'
 WHERE oid OPERATOR(pg_catalog.=) ANY (ARRAY[
           'profiling.cohorts(profiling.purchase_history)'::pg_catalog.regprocedure,
           'profiling.cohorts(profiling.purchase_history, text)'::pg_catalog.regprocedure]::pg_catalog.oid[]);

-- Functions ------------------------------------------------------------------------------------

-- Reads stored dates and period numbers only: IMMUTABLE, whatever the session TimeZone.
CREATE FUNCTION profiling.retention(c profiling.cohorts)
    RETURNS TABLE (cohort date, period integer, customers bigint, retained bigint,
                   retention_rate double precision, revenue double precision,
                   revenue_per_customer double precision)
    AS 'MODULE_PATHNAME', 'cohorts_retention' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 100;

-- Comments -------------------------------------------------------------------------------------

-- types
COMMENT ON TYPE profiling.cohorts IS
    'cohort retention: customers by the period of their first purchase, and for each later period who bought and what they spent; 16 bytes a cohort and period';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.cohorts_in(cstring) IS 'cohorts text input';
COMMENT ON FUNCTION profiling.cohorts_out(profiling.cohorts) IS 'cohorts text output';
COMMENT ON FUNCTION profiling.cohorts_recv(internal) IS 'cohorts binary input';
COMMENT ON FUNCTION profiling.cohorts_send(profiling.cohorts) IS 'cohorts binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.cohorts_cmp(profiling.cohorts, profiling.cohorts)
    IS 'btree support: -1, 0 or 1 (smaller summaries first, then the bytes)';
COMMENT ON FUNCTION profiling.cohorts_eq(profiling.cohorts, profiling.cohorts)
    IS 'true when both summaries hold the same cohorts, periods, customers and revenue';
COMMENT ON FUNCTION profiling.cohorts_ne(profiling.cohorts, profiling.cohorts)
    IS 'true when the summaries differ';
COMMENT ON FUNCTION profiling.cohorts_lt(profiling.cohorts, profiling.cohorts)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.cohorts_le(profiling.cohorts, profiling.cohorts)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.cohorts_gt(profiling.cohorts, profiling.cohorts)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.cohorts_ge(profiling.cohorts, profiling.cohorts)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.cohorts_hash(profiling.cohorts)
    IS 'hash of a cohorts summary (hash operator class support)';
COMMENT ON FUNCTION profiling.cohorts_hash_extended(profiling.cohorts, bigint)
    IS 'seeded 64-bit hash of a cohorts summary (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.cohorts, profiling.cohorts)
    IS 'the same cohorts, periods, customers and revenue';
COMMENT ON OPERATOR profiling.<> (profiling.cohorts, profiling.cohorts)
    IS 'different summaries';
COMMENT ON OPERATOR profiling.< (profiling.cohorts, profiling.cohorts)
    IS 'btree order (smaller summaries first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.cohorts, profiling.cohorts)
    IS 'btree order (smaller summaries first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.cohorts, profiling.cohorts)
    IS 'btree order (smaller summaries first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.cohorts, profiling.cohorts)
    IS 'btree order (smaller summaries first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.cohorts_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of cohorts summaries';
COMMENT ON OPERATOR CLASS profiling.cohorts_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of cohorts summaries';

-- aggregates and their support
COMMENT ON FUNCTION profiling.cohorts_trans(internal, profiling.purchase_history)
    IS 'aggregate support: adds one customer (months)';
COMMENT ON FUNCTION profiling.cohorts_trans(internal, profiling.purchase_history, text)
    IS 'aggregate support: adds one customer';
COMMENT ON FUNCTION profiling.cohorts_rollup_trans(internal, profiling.cohorts)
    IS 'aggregate support: adds the cells of a stored summary';
COMMENT ON FUNCTION profiling.cohorts_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.cohorts_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.cohorts_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.cohorts_final(internal)
    IS 'aggregate support: the canonical summary';
COMMENT ON AGGREGATE profiling.cohorts(profiling.purchase_history)
    IS 'monthly cohorts of a customer table, one purchase history a customer (session TimeZone)';
COMMENT ON AGGREGATE profiling.cohorts(profiling.purchase_history, text)
    IS 'cohorts of a customer table by week, month, quarter or year, one purchase history a customer (session TimeZone)';
COMMENT ON AGGREGATE profiling.rollup(profiling.cohorts)
    IS 'merges stored cohorts summaries of disjoint customers, of one unit: the same as one pass';

-- functions
COMMENT ON FUNCTION profiling.retention(profiling.cohorts)
    IS 'one row a cohort and period, from 0 to the last period with any purchase: customers, retained, retention rate, revenue';
