-- ============================================================================================
-- purchase_history: every order of one customer (time, amount, coupon) in one compact value.
-- Aggregates: purchase_history(ordered_at, amount [, coupon]) and rollup(purchase_history).
-- Accessors read any figure as of any date. (src/purchase_history*.c)
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.purchase_history;

-- I/O ------------------------------------------------------------------------------------------

-- Input parses time-zone-less times in the session TimeZone, as timestamptz does: STABLE.
CREATE FUNCTION profiling.purchase_history_in(cstring) RETURNS profiling.purchase_history
    AS 'MODULE_PATHNAME', 'purchase_history_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
-- Output prints UTC and shortest exact floats: IMMUTABLE.
CREATE FUNCTION profiling.purchase_history_out(profiling.purchase_history) RETURNS cstring
    AS 'MODULE_PATHNAME', 'purchase_history_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_recv(internal) RETURNS profiling.purchase_history
    AS 'MODULE_PATHNAME', 'purchase_history_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_send(profiling.purchase_history) RETURNS bytea
    AS 'MODULE_PATHNAME', 'purchase_history_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.purchase_history (
    INPUT = profiling.purchase_history_in,
    OUTPUT = profiling.purchase_history_out,
    RECEIVE = profiling.purchase_history_recv,
    SEND = profiling.purchase_history_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- Operators and operator classes ---------------------------------------------------------------

-- = is "the same orders". The btree order (fewer orders first, then the bytes) means nothing
-- about customers: it lets ORDER BY, DISTINCT, count(DISTINCT) and merge joins work.

CREATE FUNCTION profiling.purchase_history_cmp(profiling.purchase_history, profiling.purchase_history)
    RETURNS integer AS 'MODULE_PATHNAME', 'purchase_history_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_eq(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_ne(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_lt(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_le(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_gt(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_ge(profiling.purchase_history, profiling.purchase_history)
    RETURNS boolean AS 'MODULE_PATHNAME', 'purchase_history_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION profiling.purchase_history_hash(profiling.purchase_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'purchase_history_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_hash_extended(profiling.purchase_history, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'purchase_history_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR profiling.= (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_eq,
    COMMUTATOR = OPERATOR(profiling.=), NEGATOR = OPERATOR(profiling.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR profiling.<> (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_ne,
    COMMUTATOR = OPERATOR(profiling.<>), NEGATOR = OPERATOR(profiling.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR profiling.< (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_lt,
    COMMUTATOR = OPERATOR(profiling.>), NEGATOR = OPERATOR(profiling.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR profiling.<= (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_le,
    COMMUTATOR = OPERATOR(profiling.>=), NEGATOR = OPERATOR(profiling.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR profiling.> (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_gt,
    COMMUTATOR = OPERATOR(profiling.<), NEGATOR = OPERATOR(profiling.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR profiling.>= (
    LEFTARG = profiling.purchase_history, RIGHTARG = profiling.purchase_history,
    FUNCTION = profiling.purchase_history_ge,
    COMMUTATOR = OPERATOR(profiling.<=), NEGATOR = OPERATOR(profiling.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS profiling.purchase_history_btree_ops
    DEFAULT FOR TYPE profiling.purchase_history USING btree AS
    OPERATOR 1 profiling.<,
    OPERATOR 2 profiling.<=,
    OPERATOR 3 profiling.=,
    OPERATOR 4 profiling.>=,
    OPERATOR 5 profiling.>,
    FUNCTION 1 profiling.purchase_history_cmp(profiling.purchase_history, profiling.purchase_history);
CREATE OPERATOR CLASS profiling.purchase_history_hash_ops
    DEFAULT FOR TYPE profiling.purchase_history USING hash AS
    OPERATOR 1 profiling.=,
    FUNCTION 1 profiling.purchase_history_hash(profiling.purchase_history),
    FUNCTION 2 profiling.purchase_history_hash_extended(profiling.purchase_history, bigint);

-- Aggregates and their support -----------------------------------------------------------------

-- Support functions take or return internal: callable only by the aggregates.

CREATE FUNCTION profiling.purchase_history_trans(internal, timestamptz, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans(internal, timestamptz, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans(internal, timestamptz, numeric)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_numeric'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans(internal, timestamptz, numeric, numeric)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_numeric'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_rollup_trans(internal, profiling.purchase_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'purchase_history_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_final(internal)
    RETURNS profiling.purchase_history AS 'MODULE_PATHNAME', 'purchase_history_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A timestamp without time zone names no moment: these overloads exist to refuse it with a
-- hint, instead of PostgreSQL's silent cast in the session TimeZone (src/purchase_history_agg.c).
CREATE FUNCTION profiling.purchase_history_trans_local(internal, timestamp, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans_local(internal, timestamp, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans_local(internal, timestamp, numeric)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_trans_local(internal, timestamp, numeric, numeric)
    RETURNS internal AS 'MODULE_PATHNAME', 'purchase_history_trans_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.purchase_history_final_local(internal)
    RETURNS profiling.purchase_history AS 'MODULE_PATHNAME', 'purchase_history_final_local'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregates cannot have defaults, so the coupon form is an overload. SSPACE is the memory a
-- group takes under hash aggregation, hash table included, as make bench measures it on the
-- large sample warehouse (README, Performance): without it the planner guesses too little
-- and chooses hash tables that spill.
CREATE AGGREGATE profiling.purchase_history(ordered_at timestamptz, amount double precision) (
    SFUNC = profiling.purchase_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.purchase_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.purchase_history(ordered_at timestamptz, amount double precision,
                                            coupon double precision) (
    SFUNC = profiling.purchase_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.purchase_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

-- numeric amounts (the usual money column) are read directly: no per-row cast to float8, the
-- same values as amount::float8.
CREATE AGGREGATE profiling.purchase_history(ordered_at timestamptz, amount numeric) (
    SFUNC = profiling.purchase_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.purchase_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.purchase_history(ordered_at timestamptz, amount numeric, coupon numeric) (
    SFUNC = profiling.purchase_history_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.purchase_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.rollup(profiling.purchase_history) (
    SFUNC = profiling.purchase_history_rollup_trans,
    STYPE = internal,
    SSPACE = 420,
    FINALFUNC = profiling.purchase_history_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

-- Refused with a hint: give the times a zone (ordered_at AT TIME ZONE '...').
CREATE AGGREGATE profiling.purchase_history(ordered_at timestamp, amount double precision) (
    SFUNC = profiling.purchase_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.purchase_history_final_local,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.purchase_history(ordered_at timestamp, amount double precision, coupon double precision) (
    SFUNC = profiling.purchase_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.purchase_history_final_local,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.purchase_history(ordered_at timestamp, amount numeric) (
    SFUNC = profiling.purchase_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.purchase_history_final_local,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE profiling.purchase_history(ordered_at timestamp, amount numeric, coupon numeric) (
    SFUNC = profiling.purchase_history_trans_local,
    STYPE = internal,
    FINALFUNC = profiling.purchase_history_final_local,
    COMBINEFUNC = profiling.purchase_history_combine,
    SERIALFUNC = profiling.purchase_history_serialize,
    DESERIALFUNC = profiling.purchase_history_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

CREATE FUNCTION profiling.as_of(h profiling.purchase_history, as_of timestamptz)
    RETURNS profiling.purchase_history AS 'MODULE_PATHNAME', 'purchase_history_as_of'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.during(h profiling.purchase_history, period tstzrange)
    RETURNS profiling.purchase_history AS 'MODULE_PATHNAME', 'purchase_history_during'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.order_count(h profiling.purchase_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'purchase_history_order_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Calendar days follow the session TimeZone: STABLE.
CREATE FUNCTION profiling.purchase_days(h profiling.purchase_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'purchase_history_purchase_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.total_spend(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'purchase_history_total_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.avg_order_value(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'purchase_history_avg_order_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.max_order_value(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'purchase_history_max_order_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.first_purchase(h profiling.purchase_history) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'purchase_history_first_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.last_purchase(h profiling.purchase_history) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'purchase_history_last_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.recency(h profiling.purchase_history, as_of timestamptz) RETURNS interval
    AS 'MODULE_PATHNAME', 'purchase_history_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.recency_days(h profiling.purchase_history, as_of timestamptz)
    RETURNS double precision AS 'MODULE_PATHNAME', 'purchase_history_recency_days'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.tenure(h profiling.purchase_history, as_of timestamptz) RETURNS interval
    AS 'MODULE_PATHNAME', 'purchase_history_tenure' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.interpurchase_median(h profiling.purchase_history) RETURNS interval
    AS 'MODULE_PATHNAME', 'purchase_history_interpurchase_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.interpurchase_mean(h profiling.purchase_history) RETURNS interval
    AS 'MODULE_PATHNAME', 'purchase_history_interpurchase_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.coupon_total(h profiling.purchase_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'purchase_history_coupon_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.coupon_orders(h profiling.purchase_history) RETURNS integer
    AS 'MODULE_PATHNAME', 'purchase_history_coupon_orders' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.rfm(h profiling.purchase_history, as_of timestamptz,
                              OUT recency_days double precision, OUT frequency integer,
                              OUT monetary double precision)
    AS 'MODULE_PATHNAME', 'purchase_history_rfm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.orders(h profiling.purchase_history)
    RETURNS TABLE (ordered_at timestamptz, amount double precision, coupon double precision)
    AS 'MODULE_PATHNAME', 'purchase_history_orders' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 20;

-- Casts ----------------------------------------------------------------------------------------

CREATE FUNCTION profiling.purchase_history_to_jsonb(profiling.purchase_history) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'purchase_history_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (profiling.purchase_history AS jsonb)
    WITH FUNCTION profiling.purchase_history_to_jsonb(profiling.purchase_history);

-- Comments -------------------------------------------------------------------------------------

-- type
COMMENT ON TYPE profiling.purchase_history IS
    'every order of one customer (time, amount, coupon), sorted; 16 bytes an order, 24 with coupons';

-- I/O
-- Type support functions are internal plumbing, commented once here rather than one by one.
COMMENT ON FUNCTION profiling.purchase_history_in(cstring) IS 'purchase_history text input';
COMMENT ON FUNCTION profiling.purchase_history_out(profiling.purchase_history) IS 'purchase_history text output';
COMMENT ON FUNCTION profiling.purchase_history_recv(internal) IS 'purchase_history binary input';
COMMENT ON FUNCTION profiling.purchase_history_send(profiling.purchase_history) IS 'purchase_history binary output';

-- operators and operator classes
COMMENT ON FUNCTION profiling.purchase_history_cmp(profiling.purchase_history, profiling.purchase_history)
    IS 'btree support: -1, 0 or 1 (fewer orders first, then the bytes)';
COMMENT ON FUNCTION profiling.purchase_history_eq(profiling.purchase_history, profiling.purchase_history)
    IS 'true when both summaries hold the same orders';
COMMENT ON FUNCTION profiling.purchase_history_ne(profiling.purchase_history, profiling.purchase_history)
    IS 'true when the summaries hold different orders';
COMMENT ON FUNCTION profiling.purchase_history_lt(profiling.purchase_history, profiling.purchase_history)
    IS 'btree order: less than';
COMMENT ON FUNCTION profiling.purchase_history_le(profiling.purchase_history, profiling.purchase_history)
    IS 'btree order: less than or equal';
COMMENT ON FUNCTION profiling.purchase_history_gt(profiling.purchase_history, profiling.purchase_history)
    IS 'btree order: greater than';
COMMENT ON FUNCTION profiling.purchase_history_ge(profiling.purchase_history, profiling.purchase_history)
    IS 'btree order: greater than or equal';
COMMENT ON FUNCTION profiling.purchase_history_hash(profiling.purchase_history)
    IS 'hash of a purchase history (hash operator class support)';
COMMENT ON FUNCTION profiling.purchase_history_hash_extended(profiling.purchase_history, bigint)
    IS 'seeded 64-bit hash of a purchase history (hash operator class support)';
COMMENT ON OPERATOR profiling.= (profiling.purchase_history, profiling.purchase_history)
    IS 'the same orders';
COMMENT ON OPERATOR profiling.<> (profiling.purchase_history, profiling.purchase_history)
    IS 'different orders';
COMMENT ON OPERATOR profiling.< (profiling.purchase_history, profiling.purchase_history)
    IS 'btree order (fewer orders first, then bytes): less than';
COMMENT ON OPERATOR profiling.<= (profiling.purchase_history, profiling.purchase_history)
    IS 'btree order (fewer orders first, then bytes): less than or equal';
COMMENT ON OPERATOR profiling.> (profiling.purchase_history, profiling.purchase_history)
    IS 'btree order (fewer orders first, then bytes): greater than';
COMMENT ON OPERATOR profiling.>= (profiling.purchase_history, profiling.purchase_history)
    IS 'btree order (fewer orders first, then bytes): greater than or equal';
COMMENT ON OPERATOR CLASS profiling.purchase_history_btree_ops USING btree
    IS 'sorting, DISTINCT and merge joins of purchase histories';
COMMENT ON OPERATOR CLASS profiling.purchase_history_hash_ops USING hash
    IS 'GROUP BY, DISTINCT, hash joins and hash partitioning of purchase histories';

-- aggregates and their support
COMMENT ON FUNCTION profiling.purchase_history_trans(internal, timestamptz, double precision)
    IS 'aggregate support: adds one order';
COMMENT ON FUNCTION profiling.purchase_history_trans(internal, timestamptz, double precision, double precision)
    IS 'aggregate support: adds one order with its coupon';
COMMENT ON FUNCTION profiling.purchase_history_trans(internal, timestamptz, numeric)
    IS 'aggregate support: adds one order (numeric amount)';
COMMENT ON FUNCTION profiling.purchase_history_trans(internal, timestamptz, numeric, numeric)
    IS 'aggregate support: adds one order with its coupon (numeric amounts)';
COMMENT ON FUNCTION profiling.purchase_history_rollup_trans(internal, profiling.purchase_history)
    IS 'aggregate support: adds the orders of a stored summary';
COMMENT ON FUNCTION profiling.purchase_history_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.purchase_history_serialize(internal)
    IS 'aggregate support: partial state to its binary form';
COMMENT ON FUNCTION profiling.purchase_history_deserialize(bytea, internal)
    IS 'aggregate support: partial state from its binary form';
COMMENT ON FUNCTION profiling.purchase_history_final(internal)
    IS 'aggregate support: the sorted summary';
COMMENT ON AGGREGATE profiling.purchase_history(timestamptz, double precision)
    IS 'summarises a customer''s orders (time, amount)';
COMMENT ON AGGREGATE profiling.purchase_history(timestamptz, double precision, double precision)
    IS 'summarises a customer''s orders (time, amount, coupon amount)';
COMMENT ON AGGREGATE profiling.purchase_history(timestamptz, numeric)
    IS 'summarises a customer''s orders (time, numeric amount)';
COMMENT ON AGGREGATE profiling.purchase_history(timestamptz, numeric, numeric)
    IS 'summarises a customer''s orders (time, numeric amount, numeric coupon amount)';
COMMENT ON AGGREGATE profiling.rollup(profiling.purchase_history)
    IS 'merges stored purchase histories: the same as one pass over all their orders';
COMMENT ON FUNCTION profiling.purchase_history_trans_local(internal, timestamp, double precision)
    IS 'aggregate support: refuses order times without a time zone';
COMMENT ON FUNCTION profiling.purchase_history_trans_local(internal, timestamp, double precision, double precision)
    IS 'aggregate support: refuses order times without a time zone';
COMMENT ON FUNCTION profiling.purchase_history_trans_local(internal, timestamp, numeric)
    IS 'aggregate support: refuses order times without a time zone';
COMMENT ON FUNCTION profiling.purchase_history_trans_local(internal, timestamp, numeric, numeric)
    IS 'aggregate support: refuses order times without a time zone';
COMMENT ON FUNCTION profiling.purchase_history_final_local(internal)
    IS 'aggregate support: refuses order times without a time zone';
COMMENT ON AGGREGATE profiling.purchase_history(timestamp, double precision)
    IS 'refused: order times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.purchase_history(timestamp, double precision, double precision)
    IS 'refused: order times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.purchase_history(timestamp, numeric)
    IS 'refused: order times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';
COMMENT ON AGGREGATE profiling.purchase_history(timestamp, numeric, numeric)
    IS 'refused: order times need a time zone (ordered_at AT TIME ZONE ''Europe/London'')';

-- functions
COMMENT ON FUNCTION profiling.as_of(profiling.purchase_history, timestamptz)
    IS 'the orders at or before a time: nothing from the future';
COMMENT ON FUNCTION profiling.during(profiling.purchase_history, tstzrange)
    IS 'the orders inside a time range, honouring its bounds (e.g. the last 90 days)';
COMMENT ON FUNCTION profiling.order_count(profiling.purchase_history) IS 'number of orders';
COMMENT ON FUNCTION profiling.purchase_days(profiling.purchase_history)
    IS 'number of distinct calendar days with an order, in the session TimeZone';
COMMENT ON FUNCTION profiling.total_spend(profiling.purchase_history)
    IS 'sum of the order amounts (0 without orders)';
COMMENT ON FUNCTION profiling.avg_order_value(profiling.purchase_history)
    IS 'mean order amount (NULL without orders)';
COMMENT ON FUNCTION profiling.max_order_value(profiling.purchase_history)
    IS 'largest order amount (NULL without orders)';
COMMENT ON FUNCTION profiling.first_purchase(profiling.purchase_history)
    IS 'time of the first order (NULL without orders)';
COMMENT ON FUNCTION profiling.last_purchase(profiling.purchase_history)
    IS 'time of the last order (NULL without orders)';
COMMENT ON FUNCTION profiling.recency(profiling.purchase_history, timestamptz)
    IS 'time from the last order at or before as_of to as_of (NULL if none)';
COMMENT ON FUNCTION profiling.recency_days(profiling.purchase_history, timestamptz)
    IS 'days (fractional) from the last order at or before as_of to as_of (NULL if none)';
COMMENT ON FUNCTION profiling.tenure(profiling.purchase_history, timestamptz)
    IS 'time from the first order to as_of (NULL if no order is at or before as_of)';
COMMENT ON FUNCTION profiling.interpurchase_median(profiling.purchase_history)
    IS 'median gap between consecutive orders (NULL with fewer than two orders)';
COMMENT ON FUNCTION profiling.interpurchase_mean(profiling.purchase_history)
    IS 'mean gap between consecutive orders (NULL with fewer than two orders)';
COMMENT ON FUNCTION profiling.coupon_total(profiling.purchase_history)
    IS 'sum of the coupon amounts (0 without coupons)';
COMMENT ON FUNCTION profiling.coupon_orders(profiling.purchase_history)
    IS 'number of orders with a coupon';
COMMENT ON FUNCTION profiling.rfm(profiling.purchase_history, timestamptz)
    IS 'recency in days, order count and total spend of the orders at or before as_of';
COMMENT ON FUNCTION profiling.orders(profiling.purchase_history)
    IS 'the orders of the summary, one row each, in time order';

-- casts
COMMENT ON FUNCTION profiling.purchase_history_to_jsonb(profiling.purchase_history)
    IS 'the summary as jsonb: order_count, orders (at in UTC, amount, coupon), total_spend, coupon_total';
COMMENT ON CAST (profiling.purchase_history AS jsonb)
    IS 'the summary as jsonb, for dashboards and APIs (explicit only)';
