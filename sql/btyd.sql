-- btyd: the customer-base models. The summary btyd_summary and holdout from purchase histories,
-- the model types bgnbd and gamma_gamma (text and binary forms), the fit aggregates, params and
-- the scoring functions, with hand-checked values, edge cases and bad input. The CDNOW
-- acceptance is in test/pgtap/btyd.sql (it reads data from outside the repository) and in
-- test/unit/test_btyd_bgnbd_math.c and test_btyd_gg_math.c.
SET client_min_messages = warning;
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Hand-made orders. ann: 2025-01-01 (10), two orders on 01-08 (5 + 7 = one purchase of 12),
-- 01-22 (20), and 02-05 (99) after the as-of date used below. bob: one order. cat: two orders
-- on one day only. dan: first order after the as-of date.
CREATE TABLE btyd_orders (customer text, ordered_at timestamptz, amount numeric);
INSERT INTO btyd_orders VALUES
  ('ann', '2025-01-01 10:00:00+00', 10), ('ann', '2025-01-08 09:00:00+00', 5),
  ('ann', '2025-01-08 23:30:00+00', 7), ('ann', '2025-01-22 12:00:00+00', 20),
  ('ann', '2025-02-05 08:00:00+00', 99),
  ('bob', '2025-01-15 10:00:00+00', 30),
  ('cat', '2025-01-10 10:00:00+00', 4), ('cat', '2025-01-10 11:00:00+00', 6),
  ('dan', '2025-02-01 10:00:00+00', 50);
CREATE TABLE btyd_h AS
SELECT customer, profiling.purchase_history(ordered_at, amount) AS h FROM btyd_orders GROUP BY customer;

-- As of 2025-01-29 (a Wednesday), in weeks. ann: days 01-01, 01-08, 01-22 (02-05 is later):
-- x = 2, t_x = 21/7 = 3, T = 28/7 = 4, monetary = (12 + 20) / 2 = 16. bob: x = 0, t_x = 0,
-- T = 14/7 = 2, no monetary. cat: one day, x = 0. dan: no order yet, no summary.
SELECT customer, (profiling.btyd_summary(h, '2025-01-29 00:00:00+00')).*
  FROM btyd_h ORDER BY customer;
-- The unit is explicit: in days, and in 12 hours.
SELECT customer, (profiling.btyd_summary(h, '2025-01-29 00:00:00+00', '1 day')).*
  FROM btyd_h WHERE customer = 'ann';
SELECT customer, (profiling.btyd_summary(h, '2025-01-29 00:00:00+00', '12 hours')).*
  FROM btyd_h WHERE customer = 'ann';
-- Orders at the as-of time count; T runs to as_of's calendar day.
SELECT (profiling.btyd_summary(h, '2025-01-22 12:00:00+00')).* FROM btyd_h WHERE customer = 'ann';
SELECT (profiling.btyd_summary(h, '2025-01-22 11:59:59+00')).* FROM btyd_h WHERE customer = 'ann';
-- Purchase days follow the session TimeZone: in Tokyo ann's 01-08 09:00 and 23:30 UTC fall on
-- 01-08 and 01-09, two purchase days.
SET TimeZone = 'Asia/Tokyo';
SELECT (profiling.btyd_summary(h, '2025-01-29 00:00:00+00', '1 day')).* FROM btyd_h WHERE customer = 'ann';
SET TimeZone = 'UTC';
-- An empty history, and NULLs.
SELECT (profiling.btyd_summary('{}', '2025-01-29 00:00:00+00')).*;
SELECT profiling.btyd_summary(NULL, '2025-01-29 00:00:00+00') IS NULL AS null_history;

-- holdout: calibration to 2025-01-29, holdout to 2025-02-12 (2 weeks). ann buys once in the
-- holdout (99); dan's first order is in the holdout: not in the calibration cohort.
SELECT customer, (profiling.holdout(h, '2025-01-29 00:00:00+00', '2025-02-12 00:00:00+00')).*
  FROM btyd_h ORDER BY customer;
-- An order later on the calibration end's last purchase day is spend, not a new purchase day.
SELECT (profiling.holdout('{(2025-01-01 10:00:00+00,1),(2025-01-08 10:00:00+00,2),(2025-01-08 20:00:00+00,3),(2025-01-09 10:00:00+00,4)}',
                          '2025-01-08 12:00:00+00', '2025-01-15 12:00:00+00', '1 day')).*;

-- Bad units and times.
SELECT e.* FROM (VALUES
    ($$SELECT profiling.btyd_summary('{}', '2025-01-29', '1 month')$$),
    ($$SELECT profiling.btyd_summary('{}', '2025-01-29', '1 year 2 days')$$),
    ($$SELECT profiling.btyd_summary('{}', '2025-01-29', '0 days')$$),
    ($$SELECT profiling.btyd_summary('{}', '2025-01-29', '-1 week')$$),
    ($$SELECT profiling.btyd_summary('{}', 'infinity')$$),
    ($$SELECT profiling.holdout('{}', '2025-01-29', '2025-01-28')$$),
    ($$SELECT profiling.holdout('{}', '2025-01-29', 'infinity')$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- The model types --------------------------------------------------------------------------

-- Text form: every field named, shortest exact digits; NaN for a standard error the Hessian
-- could not give; blanks and -0 accepted on input.
SELECT '(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)'::profiling.bgnbd;
SELECT '  ( r = 0.25 ,alpha=4,a=0.8,b=2.5,ll=-0,customers=1,converged=false,iterations=0,gradient_norm=-0,se_r=-0,se_alpha=1,se_a=1,se_b=1 )  '::profiling.bgnbd;
SELECT '(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma;

-- Malformed literals: syntax (22P02), out of range (22003) and impossible models (22P02).
SELECT e.error_code, e.message, e.detail
  FROM (VALUES
    (''), ('()'), ('r=1'), ('(r=1)'),
    ('(alpha=4, r=0.25, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0, extra=1)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0) x'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=yes, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0x10, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r 0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=1e999, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=99999999999999999999, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1.5, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=-1, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=NaN, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=Infinity, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-Infinity, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=0, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=-1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=-1, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=-0.1, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=Infinity, se_alpha=0, se_a=0, se_b=0)')) AS v(lit),
  LATERAL regress.error_of(format('SELECT %L::profiling.bgnbd', lit)) e;
SELECT e.error_code, e.message, e.detail
  FROM (VALUES
    ('(p=6.25, q=1, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)'),
    ('(p=6.25, q=0.5, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)')) AS v(lit),
  LATERAL regress.error_of(format('SELECT %L::profiling.gamma_gamma', lit)) e;

-- Binary form: send then receive is the value; crafted payloads fail with 22P03 (or 0A000 for
-- a newer version).
SELECT m::text = regress.binary_input(NULL::profiling.bgnbd, profiling.bgnbd_send(m))::text AS bgnbd_round_trip,
       profiling.bgnbd_send(m) AS bytes
  FROM (VALUES ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)'::profiling.bgnbd)) v(m);
SELECT m::text = regress.binary_input(NULL::profiling.gamma_gamma, profiling.gamma_gamma_send(m))::text AS gamma_gamma_round_trip
  FROM (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=false, iterations=21, gradient_norm=0.5, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(m);
SELECT label, e.error_code, e.message, e.detail
  FROM (SELECT profiling.bgnbd_send('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)') AS good) g,
  LATERAL (VALUES
    ('short header', substr(good, 1, 3)),
    ('newer version', '\x02'::bytea || substr(good, 2)),
    ('version 0', '\x00'::bytea || substr(good, 2)),
    ('other kind', substr(good, 1, 1) || '\x02'::bytea || substr(good, 3)),
    ('unknown flag', substr(good, 1, 2) || '\x03'::bytea || substr(good, 4)),
    ('reserved byte', substr(good, 1, 3) || '\x01'::bytea || substr(good, 5)),
    ('truncated', substr(good, 1, length(good) - 1)),
    ('trailing byte', good || '\x00'::bytea),
    ('negative iterations', substr(good, 1, 4) || int4send(-1) || substr(good, 9)),
    ('no customers', substr(good, 1, 8) || int8send(0) || substr(good, 17)),
    ('infinite ll', substr(good, 1, 16) || float8send('-infinity') || substr(good, 25)),
    ('negative zero ll', substr(good, 1, 16) || float8send('-0') || substr(good, 25)),
    ('negative gradient', substr(good, 1, 24) || float8send(-1) || substr(good, 33)),
    ('zero r', substr(good, 1, 32) || float8send(0) || substr(good, 41)),
    ('NaN b', substr(good, 1, 56) || float8send('NaN') || substr(good, 65)),
    ('negative se', substr(good, 1, 64) || float8send(-1) || substr(good, 73)),
    ('negative zero se', substr(good, 1, 64) || float8send('-0') || substr(good, 73))) AS v(label, payload),
  LATERAL regress.error_of(format('SELECT regress.binary_input(NULL::profiling.bgnbd, %L::bytea)', payload)) e;

-- Fitting --------------------------------------------------------------------------------------

-- Summaries of 120 customers in weeks (deterministic): a quarter without repeat purchases, a
-- quarter buying often up to the end, half gone after a few early purchases.
CREATE TABLE btyd_s AS
SELECT i, 30 + (i % 9)::float8 AS "T",
       CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN (i % 6) + 3 ELSE 1 + (i % 3) END AS x,
       CASE WHEN i % 4 <> 0 THEN 10 + (i * 31 % 47)::float8 END AS monetary
  FROM generate_series(1, 120) i;
ALTER TABLE btyd_s ADD t_x float8;
UPDATE btyd_s SET t_x = CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN "T" - (i % 3) ELSE (i % 7) + 1 END;
CREATE TABLE btyd_fitted AS
SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg, profiling.gamma_gamma_fit(x, monetary) AS gg FROM btyd_s;

-- The fit's figures, rounded: the optimiser's last digits are not part of the contract.
SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 4) AS alpha, round(a::numeric, 4) AS a,
       round(b::numeric, 4) AS b, round(ll::numeric, 4) AS ll, customers, converged,
       gradient_norm < 1e-9 AS small_gradient, round(se_r::numeric, 4) AS se_r,
       round(se_alpha::numeric, 4) AS se_alpha, round(se_a::numeric, 4) AS se_a, round(se_b::numeric, 4) AS se_b
  FROM btyd_fitted, profiling.params(bg);
SELECT round(p::numeric, 4) AS p, round(q::numeric, 4) AS q, round(gamma::numeric, 4) AS gamma,
       round(ll::numeric, 4) AS ll, customers, converged, gradient_norm < 1e-9 AS small_gradient,
       round(se_p::numeric, 4) AS se_p, round(se_q::numeric, 4) AS se_q, round(se_gamma::numeric, 4) AS se_gamma
  FROM btyd_fitted, profiling.params(gg);
-- Lossless text: the fitted models read back byte for byte.
SELECT profiling.bgnbd_send(bg::text::profiling.bgnbd) = profiling.bgnbd_send(bg) AS bgnbd_text_lossless,
       profiling.gamma_gamma_send(gg::text::profiling.gamma_gamma) = profiling.gamma_gamma_send(gg) AS gamma_gamma_text_lossless
  FROM btyd_fitted;
-- Counted patterns give the same model, byte for byte; rows in another order too.
SELECT (SELECT profiling.bgnbd_send(profiling.bgnbd_fit(x, t_x, "T", n))
          FROM (SELECT x, t_x, "T", count(*) AS n FROM btyd_s GROUP BY 1, 2, 3) p)
       = profiling.bgnbd_send(bg) AS counted_same,
       (SELECT profiling.bgnbd_send(profiling.bgnbd_fit(x, t_x, "T" ORDER BY "T" DESC, x DESC)) FROM btyd_s)
       = profiling.bgnbd_send(bg) AS reordered_same,
       (SELECT profiling.gamma_gamma_send(profiling.gamma_gamma_fit(x, monetary, n))
          FROM (SELECT x, monetary, count(*) AS n FROM btyd_s GROUP BY 1, 2) p)
       = profiling.gamma_gamma_send(gg) AS gg_counted_same
  FROM btyd_fitted;
-- A zero count adds nothing; no rows, or only skipped rows, give NULL.
SELECT profiling.bgnbd_fit(x, t_x, "T", 0) IS NULL AS zero_counts,
       profiling.gamma_gamma_fit(x, monetary, 0) IS NULL AS gg_zero_counts FROM btyd_s;
SELECT profiling.bgnbd_fit(x, t_x, "T") IS NULL AS no_rows FROM btyd_s WHERE false;
SELECT profiling.bgnbd_fit(NULL, NULL, NULL) IS NULL AS all_null,
       profiling.gamma_gamma_fit(0, NULL) IS NULL AS no_repeat_customer,
       profiling.gamma_gamma_fit(NULL, NULL) IS NULL AS gg_all_null;
-- Nobody repeats, and one customer: a model with finite parameters, which says whether the
-- optimiser converged (a and b are not identified without repeat purchases).
SELECT converged, r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, ll < 0 AS negative_ll, customers
  FROM (SELECT profiling.bgnbd_fit(0, 0, t) AS m FROM generate_series(10, 40) t) s, profiling.params(m);
SELECT r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, customers
  FROM (SELECT profiling.bgnbd_fit(3, 12, 40) AS m) s, profiling.params(m);
-- Heavy buyers: x in the thousands gives finite values.
SELECT r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, ll::text NOT IN ('NaN', '-Infinity') AS finite_ll
  FROM (SELECT profiling.bgnbd_fit(x, t_x, "T") AS m
          FROM (VALUES (0, 0::float8, 52::float8), (1, 10, 52), (3000, 51.9, 52), (5000, 40, 52), (2, 30, 52)) v(x, t_x, "T")) s,
       profiling.params(m);

-- Bad input to the aggregates.
SELECT e.* FROM (VALUES
    ($$SELECT profiling.bgnbd_fit(-1, 0, 10)$$),
    ($$SELECT profiling.bgnbd_fit(1, 11, 10)$$),
    ($$SELECT profiling.bgnbd_fit(1, -1, 10)$$),
    ($$SELECT profiling.bgnbd_fit(0, 2, 10)$$),
    ($$SELECT profiling.bgnbd_fit(1, 'NaN', 10)$$),
    ($$SELECT profiling.bgnbd_fit(1, 2, 'Infinity')$$),
    ($$SELECT profiling.bgnbd_fit(1, NULL, 10)$$),
    ($$SELECT profiling.bgnbd_fit(1, 2, 10, -1)$$),
    ($$SELECT profiling.bgnbd_fit(1, 2, 10, NULL)$$),
    ($$SELECT profiling.gamma_gamma_fit(2, 0)$$),
    ($$SELECT profiling.gamma_gamma_fit(2, -5)$$),
    ($$SELECT profiling.gamma_gamma_fit(2, 'Infinity')$$),
    ($$SELECT profiling.gamma_gamma_fit(2, NULL)$$),
    ($$SELECT profiling.gamma_gamma_fit(-2, 10)$$),
    ($$SELECT profiling.gamma_gamma_fit(NULL, 10)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- Scoring ---------------------------------------------------------------------------------------

-- With the published CDNOW parameters (Fader, Hardie & Lee 2005): E[X(78)] of a new customer;
-- x = 2, t_x = 30.43, T = 38.86: P(alive) and E[Y(39)] = 1.226; a customer without repeat
-- purchases is alive by the model's assumption; P(alive) against its closed form.
CREATE TABLE btyd_cdnow AS
SELECT '(r=0.2425945, alpha=4.4136019, a=0.7929199, b=2.4258881, ll=-9582.429, customers=2357, converged=true, iterations=1, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd AS m;
SELECT round(profiling.expected_purchases(m, 78)::numeric, 6) AS new_customer_78,
       round(profiling.expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 6) AS conditional_39,
       round(profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 6) AS p_alive,
       profiling.p_alive(m, 0, 0, 38.86) AS p_alive_no_repeat,
       abs(profiling.p_alive(m, 2, 30.43, 38.86)
           - 1 / (1 + 0.7929199 / (2.4258881 + 1) * ((4.4136019 + 38.86) / (4.4136019 + 30.43)) ^ (0.2425945 + 2))) < 1e-15 AS p_alive_closed_form,
       profiling.expected_purchases(m, 0, 2, 30.43, 38.86) AS nothing_in_no_time,
       profiling.expected_purchases(m, 0) AS new_nothing_in_no_time
  FROM btyd_cdnow;
-- p_no_purchase: nothing in no time is certain; over a very long time it is P(dead). And
-- prob_purchases, the distribution of a new customer's purchases in 78 weeks.
SELECT profiling.p_no_purchase(m, 0, 2, 30.43, 38.86) AS none_in_no_time,
       round(profiling.p_no_purchase(m, 39, 2, 30.43, 38.86)::numeric, 6) AS none_in_39,
       round(profiling.p_no_purchase(m, 1e9, 2, 30.43, 38.86)::numeric, 6) AS none_ever,
       round(1 - profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 6) AS p_dead,
       round(profiling.p_no_purchase(m, 39, 0, 0, 38.86)::numeric, 6) AS no_repeat_none_in_39
  FROM btyd_cdnow;
SELECT n, round(profiling.prob_purchases(m, n, 78)::numeric, 6) AS p
  FROM btyd_cdnow, generate_series(0, 4) n ORDER BY n;
SELECT round(sum(profiling.prob_purchases(m, n, 78))::numeric, 9) AS total,
       round(sum(n * profiling.prob_purchases(m, n, 78))::numeric, 6) AS mean
  FROM btyd_cdnow, generate_series(0, 3000) n;
SELECT profiling.prob_purchases(m, 0, 0) AS certain, profiling.prob_purchases(m, 3, 0) AS impossible
  FROM btyd_cdnow;
-- params gives NULL for the standard errors the Hessian could not give.
SELECT r, se_r, se_b FROM btyd_cdnow, profiling.params(m);
-- Heavy buyers stay finite.
SELECT profiling.p_alive(m, 5000, 40, 52) AS gone_heavy_buyer,
       round(profiling.expected_purchases(m, 52, 5000, 51.9, 52)::numeric, 3) AS active_heavy_buyer
  FROM btyd_cdnow;
-- expected_spend: the population mean p gamma / (q - 1) for x = 0 whatever monetary, else the
-- weighted mean p (gamma + x m) / (p x + q - 1).
SELECT profiling.expected_spend(m, 0, NULL) = 6.25::float8 * 15.44 / (3.74 - 1) AS no_repeat,
       abs(profiling.expected_spend(m, 2, 30) - 6.25 * (15.44 + 2 * 30) / (6.25 * 2 + 3.74 - 1)) < 1e-12 AS two_repeats,
       profiling.expected_spend(m, 2, NULL) IS NULL AS unknown_spend,
       profiling.expected_spend(NULL, 2, 30) IS NULL AS no_model
  FROM (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(m);
-- clv: undiscounted, the periods telescope to E[Y(52)] x expected spend; discounted 1% a
-- 4-week period over 13 periods; in days (the model's unit given); a customer without repeat
-- purchases (monetary NULL: the population mean spend); no periods.
SELECT abs(profiling.clv(m, g, 2, 30.43, 38.86, 30, 52, '1 week', 0)
           - profiling.expected_purchases(m, 52, 2, 30.43, 38.86) * profiling.expected_spend(g, 2, 30)) < 1e-9 AS telescopes,
       round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '4 weeks', 0.01)::numeric, 4) AS clv_4_weekly,
       round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '28 days', 0.01)::numeric, 4) AS clv_28_days,
       round(profiling.clv(m, g, 0, 0, 38.86, NULL, 13, '4 weeks', 0.01)::numeric, 4) AS clv_no_repeat,
       profiling.clv(m, g, 2, 30.43, 38.86, 30, 0, '4 weeks', 0.01) AS no_periods,
       profiling.clv(m, g, 2, 30.43, 38.86, NULL, 13, '4 weeks', 0.01) IS NULL AS unknown_spend
  FROM btyd_cdnow,
       (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(g);
-- The model's unit converts the period: a model fitted in days, asked per 4 weeks.
SELECT round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '28 days', 0.01, '1 day')::numeric, 4) AS unit_days
  FROM btyd_cdnow,
       (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(g);

-- Bad scoring input.
SELECT e.* FROM btyd_cdnow, LATERAL (VALUES
    (format($$SELECT profiling.p_alive(%L::profiling.bgnbd, -1, 0, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.bgnbd, 2, 11, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.bgnbd, 2, 1, 'NaN')$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.bgnbd, -1, 2, 1, 10)$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.bgnbd, 'Infinity')$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.bgnbd, 'NaN', 2, 1, 10)$$, m)),
    (format($$SELECT profiling.p_no_purchase(%L::profiling.bgnbd, -1, 2, 1, 10)$$, m)),
    (format($$SELECT profiling.p_no_purchase(%L::profiling.bgnbd, 1, 0, 1, 10)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.bgnbd, -1, 10)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.bgnbd, 1, 'Infinity')$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.bgnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, 12, '1 month', 0.01)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.bgnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, 12, '1 week', -1)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.bgnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, -1, '1 week', 0.01)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.bgnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, 12, '1 week', 0.01, '0 days')$$, m)),
    ($$SELECT profiling.expected_spend('(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 0)$$),
    ($$SELECT profiling.expected_spend('(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', -1, 10)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

DROP TABLE btyd_orders, btyd_h, btyd_s, btyd_fitted, btyd_cdnow;
