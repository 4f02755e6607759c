-- ============================================================================================
-- btyd: customer-base models ("buy 'til you die").
-- The per-customer summary btyd_summary(h, as_of, unit) and the calibration / holdout split
-- holdout(...) (src/btyd_summary.c); the fitted models bgnbd (BG/NBD), mbgnbd (MBG/NBD),
-- pnbd (Pareto/NBD) and gamma_gamma, their fit aggregates bgnbd_fit(...), mbgnbd_fit(...),
-- pnbd_fit(...) and gamma_gamma_fit(...) (src/btyd_agg.c), params(model) and the scoring
-- functions (src/btyd_accessors.c); the numbers in the files under src/btyd_math.h. The model check
-- holdout_check(x, predicted, actual), its rollup, buckets and mean_absolute_error
-- (src/btyd_holdout_check.c).
--
-- Sections, in the order every src/<room>.sql keeps: type, I/O, operators and operator
-- classes, aggregates and their support, tables, functions, casts, comments.
-- ============================================================================================

-- Type -----------------------------------------------------------------------------------------

CREATE TYPE profiling.bgnbd;
CREATE TYPE profiling.gamma_gamma;
CREATE TYPE profiling.mbgnbd;
CREATE TYPE profiling.holdout_check;
CREATE TYPE profiling.pnbd;

-- I/O ------------------------------------------------------------------------------------------

CREATE FUNCTION profiling.bgnbd_in(cstring) RETURNS profiling.bgnbd
    AS 'MODULE_PATHNAME', 'bgnbd_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_out(profiling.bgnbd) RETURNS cstring
    AS 'MODULE_PATHNAME', 'bgnbd_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_recv(internal) RETURNS profiling.bgnbd
    AS 'MODULE_PATHNAME', 'bgnbd_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_send(profiling.bgnbd) RETURNS bytea
    AS 'MODULE_PATHNAME', 'bgnbd_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.bgnbd (
    INPUT = profiling.bgnbd_in,
    OUTPUT = profiling.bgnbd_out,
    RECEIVE = profiling.bgnbd_recv,
    SEND = profiling.bgnbd_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

CREATE FUNCTION profiling.gamma_gamma_in(cstring) RETURNS profiling.gamma_gamma
    AS 'MODULE_PATHNAME', 'gamma_gamma_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_out(profiling.gamma_gamma) RETURNS cstring
    AS 'MODULE_PATHNAME', 'gamma_gamma_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_recv(internal) RETURNS profiling.gamma_gamma
    AS 'MODULE_PATHNAME', 'gamma_gamma_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_send(profiling.gamma_gamma) RETURNS bytea
    AS 'MODULE_PATHNAME', 'gamma_gamma_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.gamma_gamma (
    INPUT = profiling.gamma_gamma_in,
    OUTPUT = profiling.gamma_gamma_out,
    RECEIVE = profiling.gamma_gamma_recv,
    SEND = profiling.gamma_gamma_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

-- The MBG/NBD: the bgnbd's layout and text form, its own kind byte.
CREATE FUNCTION profiling.mbgnbd_in(cstring) RETURNS profiling.mbgnbd
    AS 'MODULE_PATHNAME', 'mbgnbd_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.mbgnbd_out(profiling.mbgnbd) RETURNS cstring
    AS 'MODULE_PATHNAME', 'mbgnbd_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.mbgnbd_recv(internal) RETURNS profiling.mbgnbd
    AS 'MODULE_PATHNAME', 'mbgnbd_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.mbgnbd_send(profiling.mbgnbd) RETURNS bytea
    AS 'MODULE_PATHNAME', 'mbgnbd_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.mbgnbd (
    INPUT = profiling.mbgnbd_in,
    OUTPUT = profiling.mbgnbd_out,
    RECEIVE = profiling.mbgnbd_recv,
    SEND = profiling.mbgnbd_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

CREATE FUNCTION profiling.holdout_check_in(cstring) RETURNS profiling.holdout_check
    AS 'MODULE_PATHNAME', 'holdout_check_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_out(profiling.holdout_check) RETURNS cstring
    AS 'MODULE_PATHNAME', 'holdout_check_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_recv(internal) RETURNS profiling.holdout_check
    AS 'MODULE_PATHNAME', 'holdout_check_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_send(profiling.holdout_check) RETURNS bytea
    AS 'MODULE_PATHNAME', 'holdout_check_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.holdout_check (
    INPUT = profiling.holdout_check_in,
    OUTPUT = profiling.holdout_check_out,
    RECEIVE = profiling.holdout_check_recv,
    SEND = profiling.holdout_check_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

CREATE FUNCTION profiling.pnbd_in(cstring) RETURNS profiling.pnbd
    AS 'MODULE_PATHNAME', 'pnbd_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.pnbd_out(profiling.pnbd) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pnbd_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.pnbd_recv(internal) RETURNS profiling.pnbd
    AS 'MODULE_PATHNAME', 'pnbd_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.pnbd_send(profiling.pnbd) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pnbd_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE profiling.pnbd (
    INPUT = profiling.pnbd_in,
    OUTPUT = profiling.pnbd_out,
    RECEIVE = profiling.pnbd_recv,
    SEND = profiling.pnbd_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

-- Aggregates -----------------------------------------------------------------------------------

-- The state holds the distinct patterns, (x, t_x, T) or (x, monetary), with their customer
-- counts: 32 bytes a distinct pattern, at most twice over while rows are being merged in
-- (src/btyd_agg.c). The count argument fits a pre-aggregated table of
-- patterns; the overloads stand in for a default (aggregates take none).
CREATE FUNCTION profiling.bgnbd_fit_trans(internal, integer, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_bgnbd_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_fit_trans(internal, integer, double precision, double precision, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_bgnbd_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_trans(internal, integer, double precision)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_gamma_gamma_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_trans(internal, integer, double precision, bigint)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_gamma_gamma_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_fit_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_fit_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'btyd_fit_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_fit_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_fit_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_fit_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'btyd_fit_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'btyd_fit_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.bgnbd_fit_final(internal)
    RETURNS profiling.bgnbd AS 'MODULE_PATHNAME', 'btyd_bgnbd_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.gamma_gamma_fit_final(internal)
    RETURNS profiling.gamma_gamma AS 'MODULE_PATHNAME', 'btyd_gamma_gamma_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE profiling.bgnbd_fit(x integer, t_x double precision, "T" double precision) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.bgnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.bgnbd_fit(x integer, t_x double precision, "T" double precision,
                                     customers bigint) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.bgnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);
-- pnbd_fit keeps the state of bgnbd_fit (the same (x, t_x, T) patterns, transition, combine,
-- serial and deserial functions); only its final function, the Pareto/NBD optimiser, differs.
CREATE FUNCTION profiling.pnbd_fit_final(internal)
    RETURNS profiling.pnbd AS 'MODULE_PATHNAME', 'btyd_pnbd_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE profiling.pnbd_fit(x integer, t_x double precision, "T" double precision) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.pnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.pnbd_fit(x integer, t_x double precision, "T" double precision,
                                    customers bigint) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.pnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.gamma_gamma_fit(x integer, monetary double precision) (
    SFUNC = profiling.gamma_gamma_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.gamma_gamma_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.gamma_gamma_fit_combine,
    SERIALFUNC = profiling.gamma_gamma_fit_serialize,
    DESERIALFUNC = profiling.gamma_gamma_fit_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.gamma_gamma_fit(x integer, monetary double precision, customers bigint) (
    SFUNC = profiling.gamma_gamma_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.gamma_gamma_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.gamma_gamma_fit_combine,
    SERIALFUNC = profiling.gamma_gamma_fit_serialize,
    DESERIALFUNC = profiling.gamma_gamma_fit_deserialize,
    PARALLEL = SAFE
);

-- mbgnbd_fit: bgnbd_fit's state and support functions; only the final function differs.
CREATE FUNCTION profiling.mbgnbd_fit_final(internal)
    RETURNS profiling.mbgnbd AS 'MODULE_PATHNAME', 'btyd_mbgnbd_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE profiling.mbgnbd_fit(x integer, t_x double precision, "T" double precision) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.mbgnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.mbgnbd_fit(x integer, t_x double precision, "T" double precision,
                                      customers bigint) (
    SFUNC = profiling.bgnbd_fit_trans,
    STYPE = internal,
    SSPACE = 16384,
    FINALFUNC = profiling.mbgnbd_fit_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.bgnbd_fit_combine,
    SERIALFUNC = profiling.bgnbd_fit_serialize,
    DESERIALFUNC = profiling.bgnbd_fit_deserialize,
    PARALLEL = SAFE
);

-- holdout_check: eight buckets of counters (200 bytes); the state is the same counters and their
-- totals (216 bytes).
CREATE FUNCTION profiling.holdout_check_trans(internal, integer, double precision, integer)
    RETURNS internal AS 'MODULE_PATHNAME', 'holdout_check_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_rollup_trans(internal, profiling.holdout_check)
    RETURNS internal AS 'MODULE_PATHNAME', 'holdout_check_rollup_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'holdout_check_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME', 'holdout_check_serialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME', 'holdout_check_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.holdout_check_final(internal)
    RETURNS profiling.holdout_check AS 'MODULE_PATHNAME', 'holdout_check_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE profiling.holdout_check(x integer, predicted double precision, actual integer) (
    SFUNC = profiling.holdout_check_trans,
    STYPE = internal,
    SSPACE = 216,
    FINALFUNC = profiling.holdout_check_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.holdout_check_combine,
    SERIALFUNC = profiling.holdout_check_serialize,
    DESERIALFUNC = profiling.holdout_check_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE profiling.rollup(profiling.holdout_check) (
    SFUNC = profiling.holdout_check_rollup_trans,
    STYPE = internal,
    SSPACE = 216,
    FINALFUNC = profiling.holdout_check_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = profiling.holdout_check_combine,
    SERIALFUNC = profiling.holdout_check_serialize,
    DESERIALFUNC = profiling.holdout_check_deserialize,
    PARALLEL = SAFE
);

-- Functions ------------------------------------------------------------------------------------

-- STABLE: purchase days follow the session TimeZone.
CREATE FUNCTION profiling.btyd_summary(h profiling.purchase_history, as_of timestamptz,
                                       unit interval DEFAULT '1 week',
                                       OUT x integer, OUT t_x double precision,
                                       OUT "T" double precision, OUT monetary double precision)
    AS 'MODULE_PATHNAME', 'btyd_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.holdout(h profiling.purchase_history, calibration_end timestamptz,
                                  holdout_end timestamptz, unit interval DEFAULT '1 week',
                                  OUT x integer, OUT t_x double precision,
                                  OUT "T" double precision, OUT monetary double precision,
                                  OUT t_holdout double precision, OUT x_holdout integer,
                                  OUT spend_holdout double precision)
    AS 'MODULE_PATHNAME', 'btyd_holdout' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.params(model profiling.bgnbd,
                                 OUT r double precision, OUT alpha double precision,
                                 OUT a double precision, OUT b double precision,
                                 OUT ll double precision, OUT customers bigint,
                                 OUT converged boolean, OUT iterations integer,
                                 OUT gradient_norm double precision,
                                 OUT se_r double precision, OUT se_alpha double precision,
                                 OUT se_a double precision, OUT se_b double precision)
    AS 'MODULE_PATHNAME', 'bgnbd_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.params(model profiling.gamma_gamma,
                                 OUT p double precision, OUT q double precision,
                                 OUT gamma double precision,
                                 OUT ll double precision, OUT customers bigint,
                                 OUT converged boolean, OUT iterations integer,
                                 OUT gradient_norm double precision,
                                 OUT se_p double precision, OUT se_q double precision,
                                 OUT se_gamma double precision)
    AS 'MODULE_PATHNAME', 'gamma_gamma_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_alive(model profiling.bgnbd, x integer, t_x double precision,
                                  "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.bgnbd, t double precision,
                                             x integer, t_x double precision,
                                             "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.bgnbd, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_no_purchase(model profiling.bgnbd, t double precision, x integer,
                                        t_x double precision, "T" double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.prob_purchases(model profiling.bgnbd, n integer, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_prob_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not strict: x = 0 gives the population mean whatever monetary is (NULL from btyd_summary).
CREATE FUNCTION profiling.expected_spend(model profiling.gamma_gamma, x integer,
                                         monetary double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: monetary may be NULL for a customer without repeat purchases (x = 0). unit is
-- the time unit of the summaries the model was fitted on.
CREATE FUNCTION profiling.clv(model profiling.bgnbd, gg profiling.gamma_gamma, x integer,
                              t_x double precision, "T" double precision, monetary double precision,
                              periods integer, period interval, discount_rate double precision,
                              unit interval DEFAULT '1 week') RETURNS double precision
    AS 'MODULE_PATHNAME', 'btyd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- simulate (src/btyd_simulate_sql.c): customers drawn from a BG/NBD, deterministic by seed
-- (IMMUTABLE); the support function gives the planner the row count, the customers argument.
CREATE FUNCTION profiling.btyd_simulate_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'btyd_simulate_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION profiling.simulate(model profiling.bgnbd, customers integer, "T" double precision,
                                   seed bigint)
    RETURNS TABLE(customer integer, x integer, t_x double precision, "T" double precision)
    AS 'MODULE_PATHNAME', 'bgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 1000 SUPPORT profiling.btyd_simulate_support;
CREATE FUNCTION profiling.simulate(model profiling.bgnbd, customers integer,
                                   "T_min" double precision, "T_max" double precision, seed bigint)
    RETURNS TABLE(customer integer, x integer, t_x double precision, "T" double precision)
    AS 'MODULE_PATHNAME', 'bgnbd_simulate_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 1000 SUPPORT profiling.btyd_simulate_support;

-- P(alive) t units after T, given no information after T.
CREATE FUNCTION profiling.p_alive(model profiling.bgnbd, x integer, t_x double precision,
                                  "T" double precision, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'bgnbd_p_alive_ahead' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The MBG/NBD: the bgnbd's signatures.
CREATE FUNCTION profiling.params(model profiling.mbgnbd,
                                 OUT r double precision, OUT alpha double precision,
                                 OUT a double precision, OUT b double precision,
                                 OUT ll double precision, OUT customers bigint,
                                 OUT converged boolean, OUT iterations integer,
                                 OUT gradient_norm double precision,
                                 OUT se_r double precision, OUT se_alpha double precision,
                                 OUT se_a double precision, OUT se_b double precision)
    AS 'MODULE_PATHNAME', 'mbgnbd_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_alive(model profiling.mbgnbd, x integer, t_x double precision,
                                  "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_alive(model profiling.mbgnbd, x integer, t_x double precision,
                                  "T" double precision, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_p_alive_ahead' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.mbgnbd, t double precision,
                                             x integer, t_x double precision,
                                             "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.mbgnbd, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_no_purchase(model profiling.mbgnbd, t double precision, x integer,
                                        t_x double precision, "T" double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.prob_purchases(model profiling.mbgnbd, n integer, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_prob_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not strict, as the bgnbd's: monetary may be NULL when x = 0.
CREATE FUNCTION profiling.clv(model profiling.mbgnbd, gg profiling.gamma_gamma, x integer,
                              t_x double precision, "T" double precision, monetary double precision,
                              periods integer, period interval, discount_rate double precision,
                              unit interval DEFAULT '1 week') RETURNS double precision
    AS 'MODULE_PATHNAME', 'mbgnbd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- holdout_check: its buckets and its error.
CREATE FUNCTION profiling.buckets(hc profiling.holdout_check)
    RETURNS TABLE (bucket text, customers bigint, predicted double precision, actual bigint,
                   error double precision)
    AS 'MODULE_PATHNAME', 'holdout_check_buckets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    ROWS 9;

CREATE FUNCTION profiling.mean_absolute_error(hc profiling.holdout_check) RETURNS double precision
    AS 'MODULE_PATHNAME', 'holdout_check_mean_absolute_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pnbd: the names and signatures of the bgnbd functions.
CREATE FUNCTION profiling.params(model profiling.pnbd,
                                 OUT r double precision, OUT alpha double precision,
                                 OUT s double precision, OUT beta double precision,
                                 OUT ll double precision, OUT customers bigint,
                                 OUT converged boolean, OUT iterations integer,
                                 OUT gradient_norm double precision,
                                 OUT se_r double precision, OUT se_alpha double precision,
                                 OUT se_s double precision, OUT se_beta double precision)
    AS 'MODULE_PATHNAME', 'pnbd_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_alive(model profiling.pnbd, x integer, t_x double precision,
                                  "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_alive(model profiling.pnbd, x integer, t_x double precision,
                                  "T" double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_p_alive_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.pnbd, t double precision,
                                             x integer, t_x double precision,
                                             "T" double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.expected_purchases(model profiling.pnbd, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.p_no_purchase(model profiling.pnbd, t double precision, x integer,
                                        t_x double precision, "T" double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_p_no_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION profiling.prob_purchases(model profiling.pnbd, n integer, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_prob_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not strict, as the bgnbd clv: monetary may be NULL when x = 0.
CREATE FUNCTION profiling.clv(model profiling.pnbd, gg profiling.gamma_gamma, x integer,
                              t_x double precision, "T" double precision, monetary double precision,
                              periods integer, period interval, discount_rate double precision,
                              unit interval DEFAULT '1 week') RETURNS double precision
    AS 'MODULE_PATHNAME', 'pnbd_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Comments -------------------------------------------------------------------------------------

-- types and their support functions
COMMENT ON FUNCTION profiling.bgnbd_in(cstring) IS 'bgnbd text input';
COMMENT ON FUNCTION profiling.bgnbd_out(profiling.bgnbd) IS 'bgnbd text output';
COMMENT ON FUNCTION profiling.bgnbd_recv(internal) IS 'bgnbd binary input';
COMMENT ON FUNCTION profiling.bgnbd_send(profiling.bgnbd) IS 'bgnbd binary output';
COMMENT ON FUNCTION profiling.gamma_gamma_in(cstring) IS 'gamma_gamma text input';
COMMENT ON FUNCTION profiling.gamma_gamma_out(profiling.gamma_gamma) IS 'gamma_gamma text output';
COMMENT ON FUNCTION profiling.gamma_gamma_recv(internal) IS 'gamma_gamma binary input';
COMMENT ON FUNCTION profiling.gamma_gamma_send(profiling.gamma_gamma) IS 'gamma_gamma binary output';
COMMENT ON TYPE profiling.bgnbd IS
    'a fitted BG/NBD model (Fader, Hardie & Lee 2005): r, alpha, a, b, the log-likelihood, the customers, how the optimiser ended, the standard errors';
COMMENT ON TYPE profiling.gamma_gamma IS
    'a fitted Gamma-Gamma spend model (Fader & Hardie 2013): p, q > 1, gamma, the log-likelihood, the customers, how the optimiser ended, the standard errors';
-- aggregates and their support
COMMENT ON FUNCTION profiling.bgnbd_fit_trans(internal, integer, double precision, double precision)
    IS 'aggregate support: adds one customer''s summary';
COMMENT ON FUNCTION profiling.bgnbd_fit_trans(internal, integer, double precision, double precision, bigint)
    IS 'aggregate support: adds customers customers with one summary';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_trans(internal, integer, double precision)
    IS 'aggregate support: adds one customer''s repeat spend';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_trans(internal, integer, double precision, bigint)
    IS 'aggregate support: adds customers customers with one repeat spend';
COMMENT ON FUNCTION profiling.bgnbd_fit_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.bgnbd_fit_serialize(internal)
    IS 'aggregate support: a partial state as bytes';
COMMENT ON FUNCTION profiling.bgnbd_fit_deserialize(bytea, internal)
    IS 'aggregate support: a partial state from bytes, checked';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_serialize(internal)
    IS 'aggregate support: a partial state as bytes';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_deserialize(bytea, internal)
    IS 'aggregate support: a partial state from bytes, checked';
COMMENT ON FUNCTION profiling.bgnbd_fit_final(internal)
    IS 'aggregate support: fits the model (NULL without customers)';
COMMENT ON FUNCTION profiling.gamma_gamma_fit_final(internal)
    IS 'aggregate support: fits the model (NULL without customers)';
COMMENT ON AGGREGATE profiling.bgnbd_fit(integer, double precision, double precision)
    IS 'the maximum-likelihood BG/NBD model of the customers'' summaries (x, t_x, T)';
COMMENT ON AGGREGATE profiling.bgnbd_fit(integer, double precision, double precision, bigint)
    IS 'the maximum-likelihood BG/NBD model of summary patterns (x, t_x, T), each shared by customers customers';
COMMENT ON AGGREGATE profiling.gamma_gamma_fit(integer, double precision)
    IS 'the maximum-likelihood Gamma-Gamma spend model of the repeat customers (x >= 1, mean repeat spend monetary); x = 0 is skipped';
COMMENT ON AGGREGATE profiling.gamma_gamma_fit(integer, double precision, bigint)
    IS 'the maximum-likelihood Gamma-Gamma spend model of patterns (x, monetary), each shared by customers customers';
-- functions
COMMENT ON FUNCTION profiling.btyd_summary(profiling.purchase_history, timestamptz, interval)
    IS 'x (purchase days - 1), t_x (first to last purchase day), T (first purchase day to as_of''s day) in units, monetary (mean of the repeat purchase days); orders at or before as_of';
COMMENT ON FUNCTION profiling.holdout(profiling.purchase_history, timestamptz, timestamptz, interval)
    IS 'the summary as of calibration_end, the holdout length t_holdout, its purchase days x_holdout and its spend, up to holdout_end';
COMMENT ON FUNCTION profiling.params(profiling.bgnbd)
    IS 'r, alpha, a, b, the log-likelihood, customers, converged, iterations, gradient norm and the standard errors';
COMMENT ON FUNCTION profiling.params(profiling.gamma_gamma)
    IS 'p, q, gamma, the log-likelihood, customers, converged, iterations, gradient norm and the standard errors';
COMMENT ON FUNCTION profiling.p_alive(profiling.bgnbd, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active at T';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.bgnbd, double precision, integer, double precision, double precision)
    IS 'the expected purchases in the next t units of a customer with summary (x, t_x, T)';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.bgnbd, double precision)
    IS 'the expected purchases of a new customer in its first t units';
COMMENT ON FUNCTION profiling.p_no_purchase(profiling.bgnbd, double precision, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) makes no purchase in the next t units';
COMMENT ON FUNCTION profiling.prob_purchases(profiling.bgnbd, integer, double precision)
    IS 'the probability that a new customer makes exactly n purchases in its first t units';
COMMENT ON FUNCTION profiling.clv(profiling.bgnbd, profiling.gamma_gamma, integer, double precision, double precision, double precision, integer, interval, double precision, interval)
    IS 'the discounted expected value of the coming periods: the sum over k of the expected purchases in period k times the expected spend, divided by (1 + discount_rate)^k';
COMMENT ON FUNCTION profiling.expected_spend(profiling.gamma_gamma, integer, double precision)
    IS 'the expected value of a customer''s coming purchases given x repeat purchases of mean value monetary; the population mean when x = 0';
COMMENT ON FUNCTION profiling.btyd_simulate_support(internal)
    IS 'planner support for simulate: its row count is the customers argument';
COMMENT ON FUNCTION profiling.simulate(profiling.bgnbd, integer, double precision, bigint)
    IS 'customers drawn from the BG/NBD model, each observed for T units: (customer, x, t_x, T), deterministic by seed';
COMMENT ON FUNCTION profiling.simulate(profiling.bgnbd, integer, double precision, double precision, bigint)
    IS 'customers drawn from the BG/NBD model, each observed for a T drawn uniformly between T_min and T_max: (customer, x, t_x, T), deterministic by seed';

-- the MBG/NBD
COMMENT ON FUNCTION profiling.mbgnbd_in(cstring) IS 'mbgnbd text input';
COMMENT ON FUNCTION profiling.mbgnbd_out(profiling.mbgnbd) IS 'mbgnbd text output';
COMMENT ON FUNCTION profiling.mbgnbd_recv(internal) IS 'mbgnbd binary input';
COMMENT ON FUNCTION profiling.mbgnbd_send(profiling.mbgnbd) IS 'mbgnbd binary output';
COMMENT ON TYPE profiling.mbgnbd IS
    'a fitted MBG/NBD model (Batislam, Denizel & Filiztekin 2007: the BG/NBD where a customer can also drop out at the first purchase): r, alpha, a, b, the log-likelihood, the customers, how the optimiser ended, the standard errors';
COMMENT ON FUNCTION profiling.mbgnbd_fit_final(internal)
    IS 'aggregate support: fits the MBG/NBD to bgnbd_fit''s state (NULL without customers)';
COMMENT ON AGGREGATE profiling.mbgnbd_fit(integer, double precision, double precision)
    IS 'the maximum-likelihood MBG/NBD model of the customers'' summaries (x, t_x, T)';
COMMENT ON AGGREGATE profiling.mbgnbd_fit(integer, double precision, double precision, bigint)
    IS 'the maximum-likelihood MBG/NBD model of summary patterns (x, t_x, T), each shared by customers customers';
COMMENT ON FUNCTION profiling.params(profiling.mbgnbd)
    IS 'r, alpha, a, b, the log-likelihood, customers, converged, iterations, gradient norm and the standard errors';
COMMENT ON FUNCTION profiling.p_alive(profiling.mbgnbd, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active at T; below 1 for x = 0 too';
COMMENT ON FUNCTION profiling.p_alive(profiling.bgnbd, integer, double precision, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active t units after T, given no information after T';
COMMENT ON FUNCTION profiling.p_alive(profiling.mbgnbd, integer, double precision, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active t units after T, given no information after T';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.mbgnbd, double precision, integer, double precision, double precision)
    IS 'the expected purchases in the next t units of a customer with summary (x, t_x, T)';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.mbgnbd, double precision)
    IS 'the expected purchases of a new customer in its first t units';
COMMENT ON FUNCTION profiling.p_no_purchase(profiling.mbgnbd, double precision, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) makes no purchase in the next t units';
COMMENT ON FUNCTION profiling.prob_purchases(profiling.mbgnbd, integer, double precision)
    IS 'the probability that a new customer makes exactly n purchases in its first t units';
COMMENT ON FUNCTION profiling.clv(profiling.mbgnbd, profiling.gamma_gamma, integer, double precision, double precision, double precision, integer, interval, double precision, interval)
    IS 'the discounted expected value of the coming periods: the sum over k of the expected purchases in period k times the expected spend, divided by (1 + discount_rate)^k';
-- holdout_check
COMMENT ON FUNCTION profiling.holdout_check_in(cstring) IS 'holdout_check text input';
COMMENT ON FUNCTION profiling.holdout_check_out(profiling.holdout_check) IS 'holdout_check text output';
COMMENT ON FUNCTION profiling.holdout_check_recv(internal) IS 'holdout_check binary input';
COMMENT ON FUNCTION profiling.holdout_check_send(profiling.holdout_check) IS 'holdout_check binary output';
COMMENT ON TYPE profiling.holdout_check IS
    'predicted and actual holdout purchases by calibration frequency x (buckets 0 to 6 and 7+): customers, predicted purchases (counted in units of 1e-9) and actual purchases of each bucket';
COMMENT ON FUNCTION profiling.holdout_check_trans(internal, integer, double precision, integer)
    IS 'aggregate support: adds one customer''s calibration frequency, predicted and actual holdout purchases';
COMMENT ON FUNCTION profiling.holdout_check_rollup_trans(internal, profiling.holdout_check)
    IS 'aggregate support: adds a stored holdout check';
COMMENT ON FUNCTION profiling.holdout_check_combine(internal, internal)
    IS 'aggregate support: merges two partial states';
COMMENT ON FUNCTION profiling.holdout_check_serialize(internal)
    IS 'aggregate support: a partial state as bytes';
COMMENT ON FUNCTION profiling.holdout_check_deserialize(bytea, internal)
    IS 'aggregate support: a partial state from bytes, checked';
COMMENT ON FUNCTION profiling.holdout_check_final(internal)
    IS 'aggregate support: the holdout check (NULL without customers)';
COMMENT ON AGGREGATE profiling.holdout_check(integer, double precision, integer)
    IS 'predicted vs actual holdout purchases by calibration frequency bucket (0 to 6, 7+), for any model; rows with all three NULL are skipped';
COMMENT ON AGGREGATE profiling.rollup(profiling.holdout_check)
    IS 'merges stored holdout checks; exact: equal to one pass over all their rows';
COMMENT ON FUNCTION profiling.buckets(profiling.holdout_check)
    IS 'one row per non-empty bucket (''0'' to ''6'', ''7+''), then ''total'': customers, predicted and actual holdout purchases, error = predicted - actual';
COMMENT ON FUNCTION profiling.mean_absolute_error(profiling.holdout_check)
    IS 'sum over buckets of |predicted - actual| divided by the customers: the customer-weighted mean absolute error of the bucket means, in purchases per customer';
-- pnbd
COMMENT ON FUNCTION profiling.pnbd_in(cstring) IS 'pnbd text input';
COMMENT ON FUNCTION profiling.pnbd_out(profiling.pnbd) IS 'pnbd text output';
COMMENT ON FUNCTION profiling.pnbd_recv(internal) IS 'pnbd binary input';
COMMENT ON FUNCTION profiling.pnbd_send(profiling.pnbd) IS 'pnbd binary output';
COMMENT ON TYPE profiling.pnbd IS
    'a fitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): r, alpha, s, beta, the log-likelihood, the customers, how the optimiser ended, the standard errors';
COMMENT ON FUNCTION profiling.pnbd_fit_final(internal)
    IS 'aggregate support: fits the Pareto/NBD model (NULL without customers)';
COMMENT ON AGGREGATE profiling.pnbd_fit(integer, double precision, double precision)
    IS 'the maximum-likelihood Pareto/NBD model of the customers'' summaries (x, t_x, T)';
COMMENT ON AGGREGATE profiling.pnbd_fit(integer, double precision, double precision, bigint)
    IS 'the maximum-likelihood Pareto/NBD model of summary patterns (x, t_x, T), each shared by customers customers';
COMMENT ON FUNCTION profiling.params(profiling.pnbd)
    IS 'r, alpha, s, beta, the log-likelihood, customers, converged, iterations, gradient norm and the standard errors';
COMMENT ON FUNCTION profiling.p_alive(profiling.pnbd, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active at T';
COMMENT ON FUNCTION profiling.p_alive(profiling.pnbd, integer, double precision, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) is still active t units after T';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.pnbd, double precision, integer, double precision, double precision)
    IS 'the expected purchases in the next t units of a customer with summary (x, t_x, T)';
COMMENT ON FUNCTION profiling.expected_purchases(profiling.pnbd, double precision)
    IS 'the expected purchases of a new customer in its first t units';
COMMENT ON FUNCTION profiling.p_no_purchase(profiling.pnbd, double precision, integer, double precision, double precision)
    IS 'the probability that a customer with summary (x, t_x, T) makes no purchase in the next t units';
COMMENT ON FUNCTION profiling.prob_purchases(profiling.pnbd, integer, double precision)
    IS 'the probability that a new customer makes exactly n purchases in its first t units';
COMMENT ON FUNCTION profiling.clv(profiling.pnbd, profiling.gamma_gamma, integer, double precision, double precision, double precision, integer, interval, double precision, interval)
    IS 'the discounted expected value of the coming periods: the sum over k of the expected purchases in period k times the expected spend, divided by (1 + discount_rate)^k';
