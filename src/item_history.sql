-- ============================================================================================
-- item_history: every purchase line of one customer for one product (time, quantity, coupon)
-- in one compact value, the purchase history's layout. Aggregates: item_history(ordered_at,
-- quantity [, coupon]) and rollup(item_history). Accessors: replenishment cycles and
-- incremental sales vs. stockpiling. (src/item_history*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.item_history;

-- I/O ------------------------------------------------------------------------------------------

-- Input parses time-zone-less times in the session TimeZone, as timestamptz does: STABLE.
CREATE FUNCTION profiling.item_history_in(cstring) RETURNS profiling.item_history
    AS 'MODULE_PATHNAME', 'item_history_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
-- Output prints UTC and shortest exact floats: IMMUTABLE.
CREATE FUNCTION profiling.item_history_out(profiling.item_history) RETURNS cstring
    AS 'MODULE_PATHNAME', 'item_history_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_recv(internal) RETURNS profiling.item_history
    AS 'MODULE_PATHNAME', 'item_history_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_send(profiling.item_history) RETURNS bytea
    AS 'MODULE_PATHNAME', 'item_history_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.item_history (
    INPUT = profiling.item_history_in,
    OUTPUT = profiling.item_history_out,
    RECEIVE = profiling.item_history_recv,
    SEND = profiling.item_history_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same lines". The btree order (fewer lines first, then the bytes)
-- means nothing about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.item_history_cmp(profiling.item_history, profiling.item_history)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_history_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_eq(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_ne(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_lt(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_le(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_gt(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_ge(profiling.item_history, profiling.item_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.item_history_hash(profiling.item_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'item_history_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_hash_extended(profiling.item_history, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'item_history_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.item_history, RIGHTARG = profiling.item_history,
    FUNCTION = profiling.item_history_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.item_history_btree_ops
    DEFAULT FOR TYPE profiling.item_history USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.item_history_cmp(profiling.item_history, profiling.item_history);
CREATE OPERATOR CLASS profiling.item_history_hash_ops
    DEFAULT FOR TYPE profiling.item_history USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.item_history_hash(profiling.item_history),
    FUNCTION 2 profiling.item_history_hash_extended(profiling.item_history, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates. The state is the
-- purchase history's order log and the summary its layout, so combine, serialize, deserialize
-- and final are the purchase history's C functions (src/item_history_agg.c).

CREATE FUNCTION profiling.item_history_trans(internal, timestamptz, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_history_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_trans(internal, timestamptz, float8, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_history_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_rollup_trans(internal, profiling.item_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_history_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'purchase_history_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_final(internal)
    RETURNS profiling.item_history AS 'MODULE_PATHNAME', 'purchase_history_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A timestamp without time zone names no moment: these overloads exist to refuse it with a
-- hint, instead of PostgreSQL's silent cast in the session TimeZone (src/item_history_agg.c).
CREATE FUNCTION profiling.item_history_trans_local(internal, timestamp, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_trans_local(internal, timestamp, float8, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'item_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.item_history_final_local(internal)
    RETURNS profiling.item_history AS 'MODULE_PATHNAME', 'item_history_final_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregates cannot have default arguments: the coupon is an overload. SSPACE: a group's
-- memory under hash aggregation, as for the purchase history (one 16-byte slot a line, and the
-- hash table's entry); most customer x product groups hold one line, so a log starts with a
-- 32-byte chunk of one slot, where the purchase history's starts at 128 bytes.
CREATE AGGREGATE profiling.item_history(ordered_at timestamptz, quantity float8) (
    SFUNC = profiling.item_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.item_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_history_combine,
    SERIALFUNC = profiling.item_history_serialize,
    DESERIALFUNC = profiling.item_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.item_history(ordered_at timestamptz, quantity float8, coupon float8) (
    SFUNC = profiling.item_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.item_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_history_combine,
    SERIALFUNC = profiling.item_history_serialize,
    DESERIALFUNC = profiling.item_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.item_history) (
    SFUNC = profiling.item_history_rollup_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.item_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.item_history_combine,
    SERIALFUNC = profiling.item_history_serialize,
    DESERIALFUNC = profiling.item_history_deserialize,
    PARALLEL = SAFE
);

-- Refused with a hint: give the times a zone (ordered_at AT TIME ZONE '...').
CREATE AGGREGATE profiling.item_history(ordered_at timestamp, quantity float8) (
    SFUNC = profiling.item_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.item_history_final_local,
    COMBINEFUNC = profiling.item_history_combine,
    SERIALFUNC = profiling.item_history_serialize,
    DESERIALFUNC = profiling.item_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.item_history(ordered_at timestamp, quantity float8, coupon float8) (
    SFUNC = profiling.item_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.item_history_final_local,
    COMBINEFUNC = profiling.item_history_combine,
    SERIALFUNC = profiling.item_history_serialize,
    DESERIALFUNC = profiling.item_history_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

-- Figures that read purchases (a calendar day of lines, in the session TimeZone) are STABLE.
CREATE FUNCTION profiling.as_of(i profiling.item_history, as_of timestamptz)
    RETURNS profiling.item_history AS 'MODULE_PATHNAME', 'item_history_as_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.during(i profiling.item_history, period tstzrange)
    RETURNS profiling.item_history AS 'MODULE_PATHNAME', 'item_history_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.line_count(i profiling.item_history)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_history_lines'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.lines(i profiling.item_history)
    RETURNS TABLE (ordered_at timestamptz, quantity double precision, coupon double precision)
    AS 'MODULE_PATHNAME', 'item_history_line_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 5;

CREATE FUNCTION profiling.purchases(i profiling.item_history)
    RETURNS integer AS 'MODULE_PATHNAME', 'item_history_purchases'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.total_quantity(i profiling.item_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'item_history_total_quantity'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.replenishment_cycle(i profiling.item_history)
    RETURNS interval AS 'MODULE_PATHNAME', 'item_history_replenishment_cycle'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.cycle_per_unit(i profiling.item_history)
    RETURNS interval AS 'MODULE_PATHNAME', 'item_history_cycle_per_unit'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.regularity(i profiling.item_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'item_history_regularity'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.last_purchase(i profiling.item_history)
    RETURNS timestamptz AS 'MODULE_PATHNAME', 'item_history_last_purchase'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.next_due(i profiling.item_history)
    RETURNS timestamptz AS 'MODULE_PATHNAME', 'item_history_next_due'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.is_due(i profiling.item_history, as_of timestamptz, tolerance interval DEFAULT '0')
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_is_due'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.quantity_slope(i profiling.item_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'item_history_quantity_slope'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.is_incremental(i profiling.item_history, min_purchases integer DEFAULT 4)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_is_incremental'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.stockpiling(i profiling.item_history, promotions tstzmultirange DEFAULT NULL)
    RETURNS boolean AS 'MODULE_PATHNAME', 'item_history_stockpiling'
    LANGUAGE C STABLE PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.item_history IS
    'every purchase line of one customer for one product (time, quantity, coupon), sorted; 16 bytes a line, 24 with coupons';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.item_history_in(cstring) IS 'item_history text input';
COMMENT ON FUNCTION profiling.item_history_out(profiling.item_history) IS 'item_history text output';
COMMENT ON FUNCTION profiling.item_history_recv(internal) IS 'item_history binary input';
COMMENT ON FUNCTION profiling.item_history_send(profiling.item_history) IS 'item_history binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.item_history_cmp(profiling.item_history, profiling.item_history)
    IS 'btree support: -1, 0 or 1 (fewer lines first, then the bytes)';
COMMENT ON FUNCTION profiling.item_history_eq(profiling.item_history, profiling.item_history)
    IS 'true when both summaries hold the same lines';
COMMENT ON FUNCTION profiling.item_history_ne(profiling.item_history, profiling.item_history)
    IS 'true when the summaries hold different lines';
COMMENT ON FUNCTION profiling.item_history_lt(profiling.item_history, profiling.item_history)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.item_history_le(profiling.item_history, profiling.item_history)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.item_history_gt(profiling.item_history, profiling.item_history)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.item_history_ge(profiling.item_history, profiling.item_history)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.item_history_hash(profiling.item_history)
    IS 'hash of an item history (hash operator class support)';
COMMENT ON FUNCTION profiling.item_history_hash_extended(profiling.item_history, bigint)
    IS 'seeded 64-bit hash of an item history (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.item_history, profiling.item_history)
    IS 'the same lines';
COMMENT ON OPERATOR profiling.<> (profiling.item_history, profiling.item_history)
    IS 'different lines';
COMMENT ON OPERATOR profiling.< (profiling.item_history, profiling.item_history)
    IS 'btree order (fewer lines first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.item_history, profiling.item_history)
    IS 'btree order (fewer lines first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.item_history, profiling.item_history)
    IS 'btree order (fewer lines first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.item_history, profiling.item_history)
    IS 'btree order (fewer lines first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.item_history_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of item histories';
COMMENT ON OPERATOR CLASS profiling.item_history_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of item histories';

-- aggregates and their support
COMMENT ON FUNCTION profiling.item_history_trans(internal, timestamptz, float8)
    IS 'aggregate support: adds one line';
COMMENT ON FUNCTION profiling.item_history_trans(internal, timestamptz, float8, float8)
    IS 'aggregate support: adds one line with its coupon';
COMMENT ON FUNCTION profiling.item_history_rollup_trans(internal, profiling.item_history)
    IS 'aggregate support: adds the lines of a stored summary';
COMMENT ON FUNCTION profiling.item_history_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.item_history_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.item_history_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.item_history_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON FUNCTION profiling.item_history_trans_local(internal, timestamp, float8)
    IS 'aggregate support: refuses line times without a time zone';
COMMENT ON FUNCTION profiling.item_history_trans_local(internal, timestamp, float8, float8)
    IS 'aggregate support: refuses line times without a time zone';
COMMENT ON FUNCTION profiling.item_history_final_local(internal)
    IS 'aggregate support: refuses line times without a time zone';
COMMENT ON AGGREGATE profiling.item_history(timestamptz, float8)
    IS 'summarises one customer''s purchase lines of one product (time, quantity)';
COMMENT ON AGGREGATE profiling.item_history(timestamptz, float8, float8)
    IS 'summarises one customer''s purchase lines of one product (time, quantity, coupon)';
COMMENT ON AGGREGATE profiling.rollup(profiling.item_history)
    IS 'merges stored item histories: the same as one pass over all their lines';
COMMENT ON AGGREGATE profiling.item_history(timestamp, float8)
    IS 'refused: line times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.item_history(timestamp, float8, float8)
    IS 'refused: line times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';

-- functions
COMMENT ON FUNCTION profiling.as_of(profiling.item_history, timestamptz)
    IS 'the lines at or before a time: nothing from the future';
COMMENT ON FUNCTION profiling.during(profiling.item_history, tstzrange)
    IS 'the lines inside a time range, honouring its bounds';
COMMENT ON FUNCTION profiling.line_count(profiling.item_history)
    IS 'number of purchase lines';
COMMENT ON FUNCTION profiling.lines(profiling.item_history)
    IS 'the lines, one row each in time order: time, quantity, coupon (0 without)';
COMMENT ON FUNCTION profiling.purchases(profiling.item_history)
    IS 'number of purchases: calendar days with a line, in the session TimeZone';
COMMENT ON FUNCTION profiling.total_quantity(profiling.item_history)
    IS 'sum of the quantities of every line';
COMMENT ON FUNCTION profiling.replenishment_cycle(profiling.item_history)
    IS 'median gap between consecutive purchases (NULL with fewer than two purchases)';
COMMENT ON FUNCTION profiling.cycle_per_unit(profiling.item_history)
    IS 'median of each gap divided by the quantity bought at its start: how long one unit lasts';
COMMENT ON FUNCTION profiling.regularity(profiling.item_history)
    IS 'coefficient of variation of the gaps (stddev_samp / avg; 0: perfectly regular; NULL with fewer than two gaps)';
COMMENT ON FUNCTION profiling.last_purchase(profiling.item_history)
    IS 'time of the last line (NULL without lines)';
COMMENT ON FUNCTION profiling.next_due(profiling.item_history)
    IS 'the last purchase plus the replenishment cycle (NULL without a cycle)';
COMMENT ON FUNCTION profiling.is_due(profiling.item_history, timestamptz, interval)
    IS 'as of a date, the next due date is at or before as_of + tolerance (NULL without a cycle)';
COMMENT ON FUNCTION profiling.quantity_slope(profiling.item_history)
    IS 'units per purchase: least-squares slope of quantity over the purchases in order (NULL with fewer than two)';
COMMENT ON FUNCTION profiling.is_incremental(profiling.item_history, integer)
    IS 'each of the last min_purchases purchases buys more than the one before';
COMMENT ON FUNCTION profiling.stockpiling(profiling.item_history, tstzmultirange)
    IS 'promoted quantity spikes followed by gaps longer than the usual cycle: hoarding, not growth';
