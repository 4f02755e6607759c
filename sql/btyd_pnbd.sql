-- btyd_pnbd: the Pareto/NBD model type pnbd (text and binary forms), its fit aggregate
-- pnbd_fit, params and the scoring functions, with hand-checked values, edge cases and bad
-- input. The CDNOW acceptance is in test/pgtap/btyd_pnbd.sql (it reads data from outside the
-- repository) and in test/unit/test_btyd_pnbd_math.c, which also checks the values below against
-- quadrature (prob_purchases: test/unit/test_btyd_pnbd_prob.c, against 60-digit references).
SET client_min_messages = warning;
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET extra_float_digits = 1;

-- The type ----------------------------------------------------------------------------------

-- Text form: every field named, shortest exact digits; NaN for a standard error the Hessian
-- could not give; blanks and -0 accepted on input.
SELECT '(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-9595, customers=2357, converged=true, iterations=28, gradient_norm=2e-10, se_r=0.048, se_alpha=0.84, se_s=NaN, se_beta=0)'::profiling.pnbd;
SELECT '  ( r = 0.5 ,alpha=4,s=0.8,beta=2.5,ll=-0,customers=1,converged=false,iterations=0,gradient_norm=-0,se_r=-0,se_alpha=1,se_s=1,se_beta=1 )  '::profiling.pnbd;

-- Malformed literals: syntax (22P02), out of range (22003) and impossible models (22P02).
SELECT e.error_code, e.message, e.detail
  FROM (VALUES
    (''), ('()'), ('(r=1)'),
    ('(r=0.55, alpha=10.58, a=0.61, b=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(alpha=10.58, r=0.55, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0, extra=1)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0) x'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=1, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=1e999, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=99999999999999999999, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=-0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=NaN, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=Infinity, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=NaN, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=0, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=-1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=-1, se_r=0, se_alpha=0, se_s=0, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=-0.1, se_beta=0)'),
    ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=-Infinity)')) AS v(lit),
  LATERAL regress.error_of(format('SELECT %L::profiling.pnbd', lit)) e;

-- Binary form: send then receive is the value; crafted payloads fail with 22P03 (or 0A000 for
-- a newer version); a bgnbd's bytes are not a pnbd.
SELECT m::text = regress.binary_input(NULL::profiling.pnbd, profiling.pnbd_send(m))::text AS pnbd_round_trip,
       profiling.pnbd_send(m) AS bytes
  FROM (VALUES ('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-9595, customers=2357, converged=true, iterations=28, gradient_norm=2e-10, se_r=0.048, se_alpha=0.84, se_s=NaN, se_beta=0)'::profiling.pnbd)) v(m);
SELECT label, e.error_code, e.message, e.detail
  FROM (SELECT profiling.pnbd_send('(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-9595, customers=2357, converged=true, iterations=28, gradient_norm=2e-10, se_r=0.048, se_alpha=0.84, se_s=NaN, se_beta=0)') AS good) g,
  LATERAL (VALUES
    ('short header', substr(good, 1, 3)),
    ('newer version', '\x02'::bytea || substr(good, 2)),
    ('a bgnbd', substr(good, 1, 1) || '\x01'::bytea || substr(good, 3)),
    ('kind 3', substr(good, 1, 1) || '\x03'::bytea || substr(good, 3)),
    ('unknown flag', substr(good, 1, 2) || '\x03'::bytea || substr(good, 4)),
    ('truncated', substr(good, 1, length(good) - 1)),
    ('trailing byte', good || '\x00'::bytea),
    ('no customers', substr(good, 1, 8) || int8send(0) || substr(good, 17)),
    ('zero r', substr(good, 1, 32) || float8send(0) || substr(good, 41)),
    ('infinite beta', substr(good, 1, 56) || float8send('Infinity') || substr(good, 65)),
    ('negative se', substr(good, 1, 64) || float8send(-1) || substr(good, 73))) AS v(label, payload),
  LATERAL regress.error_of(format('SELECT regress.binary_input(NULL::profiling.pnbd, %L::bytea)', payload)) e;
SELECT e.error_code, e.message
  FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.pnbd, profiling.bgnbd_send('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)'))$$) e;

-- Fitting --------------------------------------------------------------------------------------

-- The 120 customers of sql/btyd.sql, in weeks: their purchase rates are too alike for r and
-- alpha to be told apart (the likelihood rises towards r, alpha -> infinity with r/alpha fixed,
-- a Poisson rate common to all), so the fit stops once the likelihood stays flat as they run
-- off (the plateau stop: five iterations within 1e-12) and says so, with finite parameters; the
-- dropout side (s, beta) and the mean rate r/alpha are identified.
CREATE TABLE pnbd_s AS
SELECT i, 30 + (i % 9)::float8 AS "T",
       CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN (i % 6) + 3 ELSE 1 + (i % 3) END AS x
  FROM generate_series(1, 120) i;
ALTER TABLE pnbd_s ADD t_x float8;
UPDATE pnbd_s SET t_x = CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN "T" - (i % 3) ELSE (i % 7) + 1 END;
CREATE TABLE pnbd_fitted AS SELECT profiling.pnbd_fit(x, t_x, "T") AS m FROM pnbd_s;
SELECT converged, iterations, r > 1e5 AS large_r, round((r / alpha)::numeric, 3) AS mean_rate,
       round(s::numeric, 3) AS s, round(beta::numeric, 2) AS beta, round(ll::numeric, 3) AS ll,
       customers
  FROM pnbd_fitted, profiling.params(m);
-- Lossless text: the fitted model reads back byte for byte.
SELECT profiling.pnbd_send(m::text::profiling.pnbd) = profiling.pnbd_send(m) AS text_lossless
  FROM pnbd_fitted;
-- Counted patterns give the same model, byte for byte; rows in another order too.
SELECT (SELECT profiling.pnbd_send(profiling.pnbd_fit(x, t_x, "T", n))
          FROM (SELECT x, t_x, "T", count(*) AS n FROM pnbd_s GROUP BY 1, 2, 3) p)
       = profiling.pnbd_send(m) AS counted_same,
       (SELECT profiling.pnbd_send(profiling.pnbd_fit(x, t_x, "T" ORDER BY "T" DESC, x DESC)) FROM pnbd_s)
       = profiling.pnbd_send(m) AS reordered_same
  FROM pnbd_fitted;
-- A zero count adds nothing; no rows, or only skipped rows, give NULL.
SELECT profiling.pnbd_fit(x, t_x, "T", 0) IS NULL AS zero_counts FROM pnbd_s;
SELECT profiling.pnbd_fit(x, t_x, "T") IS NULL AS no_rows FROM pnbd_s WHERE false;
SELECT profiling.pnbd_fit(NULL, NULL, NULL) IS NULL AS all_null;
-- One customer; nobody repeats; T = t_x for everyone who repeats; heavy buyers (x in the
-- thousands): a model with finite parameters each time, which says whether it converged.
SELECT label, converged, r > 0 AND alpha > 0 AND s > 0 AND beta > 0 AS positive,
       ll::text NOT IN ('NaN', 'Infinity', '-Infinity') AS finite_ll, customers
  FROM (SELECT 'one customer' AS label, profiling.pnbd_fit(3, 12, 40) AS m
        UNION ALL
        SELECT 'nobody repeats', profiling.pnbd_fit(0, 0, t) FROM generate_series(10, 40) t
        UNION ALL
        SELECT 'T = t_x', profiling.pnbd_fit(x, t_x, "T")
          FROM (VALUES (1, 20::float8, 20::float8), (2, 30, 30), (0, 0, 30), (0, 0, 25)) v(x, t_x, "T")
        UNION ALL
        SELECT 'heavy buyers', profiling.pnbd_fit(x, t_x, "T")
          FROM (VALUES (0, 0::float8, 52::float8), (1, 10, 52), (500, 52, 52), (2000, 51, 52), (2, 30, 52)) v(x, t_x, "T")) f,
       profiling.params(m)
 ORDER BY label;

-- Bad input to the aggregate: the checks of bgnbd_fit, whose state it shares.
SELECT e.* FROM (VALUES
    ($$SELECT profiling.pnbd_fit(-1, 0, 10)$$),
    ($$SELECT profiling.pnbd_fit(1, 11, 10)$$),
    ($$SELECT profiling.pnbd_fit(0, 2, 10)$$),
    ($$SELECT profiling.pnbd_fit(1, 'NaN', 10)$$),
    ($$SELECT profiling.pnbd_fit(1, 2, 'Infinity')$$),
    ($$SELECT profiling.pnbd_fit(1, NULL, 10)$$),
    ($$SELECT profiling.pnbd_fit(1, 2, 10, -1)$$),
    ($$SELECT profiling.pnbd_fit(1, 2, 10, NULL)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- Scoring ---------------------------------------------------------------------------------------

-- With the published CDNOW parameters (Fader & Hardie's note), x = 2, t_x = 30.43, T = 38.86:
-- P(alive), P(alive 10 weeks later) = P(alive) ((beta+T)/(beta+T+10))^s, E[Y(39)], and a new
-- customer's E[X(78)] = r beta / (alpha (s-1)) (1 - (beta/(beta+78))^(s-1)); without repeat
-- purchases a customer may be gone too; t_x = T: alive.
CREATE TABLE pnbd_cdnow AS
SELECT '(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-9595, customers=2357, converged=true, iterations=1, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'::profiling.pnbd AS m;
SELECT round(profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 6) AS p_alive,
       round(profiling.p_alive(m, 2, 30.43, 38.86, 10)::numeric, 6) AS p_alive_10_later,
       abs(profiling.p_alive(m, 2, 30.43, 38.86, 10)
           - profiling.p_alive(m, 2, 30.43, 38.86) * ((11.67 + 38.86) / (11.67 + 38.86 + 10)) ^ 0.61) < 1e-15 AS later_closed_form,
       round(profiling.expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 6) AS conditional_39,
       round(profiling.expected_purchases(m, 78)::numeric, 6) AS new_customer_78,
       abs(profiling.expected_purchases(m, 78)
           - 0.55 * 11.67 / (10.58 * (0.61 - 1)) * (1 - (11.67 / (11.67 + 78)) ^ (0.61 - 1))) < 1e-14 AS new_closed_form,
       round(profiling.p_alive(m, 0, 0, 38.86)::numeric, 6) AS p_alive_no_repeat,
       profiling.p_alive(m, 3, 38.86, 38.86) AS p_alive_t_x_is_T
  FROM pnbd_cdnow;
-- Nothing happens in no time; p_no_purchase over a very long time is P(dead) plus P(alive)
-- times the chance to die before the next purchase, E[mu / (lambda + mu)].
SELECT profiling.p_no_purchase(m, 0, 2, 30.43, 38.86) AS none_in_no_time,
       profiling.expected_purchases(m, 0, 2, 30.43, 38.86) AS nothing_in_no_time,
       profiling.expected_purchases(m, 0) AS new_nothing_in_no_time,
       profiling.p_alive(m, 2, 30.43, 38.86, 0) = profiling.p_alive(m, 2, 30.43, 38.86) AS alive_now,
       round(profiling.p_no_purchase(m, 39, 2, 30.43, 38.86)::numeric, 6) AS none_in_39,
       round(profiling.p_no_purchase(m, 1e12, 2, 30.43, 38.86)::numeric, 6) AS none_ever,
       round(profiling.p_no_purchase(m, 39, 0, 0, 38.86)::numeric, 6) AS no_repeat_none_in_39
  FROM pnbd_cdnow;
-- A new customer's expected purchases are the conditional ones at x = t_x = T = 0.
SELECT abs(profiling.expected_purchases(m, 52, 0, 0, 0) - profiling.expected_purchases(m, 52)) < 1e-15 AS new_is_conditional
  FROM pnbd_cdnow;
-- prob_purchases: a new customer's distribution over its first 78 weeks, under the CDNOW
-- estimates to 6 digits; each value is the 60-digit reference of test/unit/test_btyd_pnbd_prob.c
-- to 1e-13 (12 decimals shown). It sums to 1 with the mean E[X(78)] (n up to 3000: the rest is
-- below 1e-40), and P(X(t) = 0) is p_no_purchase of a customer at x = t_x = T = 0.
CREATE TABLE pnbd_mle AS
SELECT '(r=0.553277, alpha=10.577684, s=0.60624, beta=11.668735, ll=-9594.976, customers=2357, converged=true, iterations=1, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'::profiling.pnbd AS m;
SELECT n, round(profiling.prob_purchases(m, n, 78)::numeric, 12) AS p
  FROM pnbd_mle, generate_series(0, 7) n ORDER BY n;
SELECT round(total::numeric, 12) AS total, round(mean::numeric, 9) AS mean,
       abs(mean - profiling.expected_purchases(m, 78)) < 1e-12 AS mean_is_expected,
       abs(profiling.prob_purchases(m, 0, 39) - profiling.p_no_purchase(m, 39, 0, 0, 0)) < 1e-15 AS none_is_p_no_purchase
  FROM pnbd_mle,
       LATERAL (SELECT sum(p) AS total, sum(n * p) AS mean
                  FROM generate_series(0, 3000) n, LATERAL (SELECT profiling.prob_purchases(m, n, 78) AS p) q) d;
-- Nothing happens in no time; a nanosecond-like and a geological horizon; a million purchases
-- in a billion weeks (the mean is about 5e7 for a customer who stays), and in 78 weeks (below
-- the smallest double: 0). (11 significant digits.)
SET extra_float_digits = -4;
SELECT profiling.prob_purchases(m, 0, 0) AS certain, profiling.prob_purchases(m, 3, 0) AS impossible,
       profiling.prob_purchases(m, 0, 1e-9) AS none_in_1e_9, profiling.prob_purchases(m, 1, 1e-9) AS one_in_1e_9,
       profiling.prob_purchases(m, 0, 1e9) AS none_in_1e9, profiling.prob_purchases(m, 5, 1e9) AS five_in_1e9,
       profiling.prob_purchases(m, 1000000, 1e9) AS million_in_1e9,
       profiling.prob_purchases(m, 1000000, 78) AS million_in_78
  FROM pnbd_mle;
-- Parameters at the edges of what a fit returns (r and alpha running off together; s and beta
-- tiny and huge): probabilities in [0, 1] that sum to 1.
SELECT label, round((max(p) FILTER (WHERE n = 2))::numeric, 12) AS p_2,
       round(sum(p)::numeric, 12) AS total, min(p) >= 0 AND max(p) <= 1 AS in_0_1
  FROM (VALUES ('r, alpha large', '(r=1e8, alpha=1e7, s=0.6, beta=11, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'::profiling.pnbd),
               ('s, beta tiny', '(r=0.55, alpha=10.58, s=1e-6, beta=1e-6, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'),
               ('s, beta huge', '(r=0.55, alpha=10.58, s=1e6, beta=1e9, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)')) v(label, m),
       generate_series(0, 3000) n, LATERAL (SELECT profiling.prob_purchases(m, n, 52) AS p) q
 GROUP BY label ORDER BY label;
-- Where a term of the integrand grows exponentially in ln tau the peak is still found: with
-- s = 1e200 and beta = 1e-80 (a mean lifetime of 1e-280) no purchase is certain; with r = 1e100
-- (the first purchase at once) none happens only by dying first, 1e-100. A NULL count or
-- horizon: NULL (strict).
SELECT profiling.prob_purchases('(r=1, alpha=1, s=1e200, beta=1e-80, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'::profiling.pnbd, 0, 1) AS dead_at_once,
       profiling.prob_purchases('(r=1e100, alpha=1, s=1, beta=1, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_s=NaN, se_beta=NaN)'::profiling.pnbd, 0, 1) AS buys_at_once,
       profiling.prob_purchases(m, 1, NULL) IS NULL AS null_horizon, profiling.prob_purchases(m, NULL, 78) IS NULL AS null_count
  FROM pnbd_mle;
SET extra_float_digits = 1;
-- params gives NULL for the standard errors the Hessian could not give.
SELECT r, alpha, s, beta, se_r, se_beta FROM pnbd_cdnow, profiling.params(m);
-- Heavy buyers stay finite: gone long ago (P(alive) below DBL_MIN), recently gone, active.
-- (P(alive) to 11 significant digits.)
SET extra_float_digits = -4;
SELECT x, t_x, profiling.p_alive(m, x, t_x, 38.86) AS p_alive,
       round(profiling.expected_purchases(m, 52, x, t_x, 38.86)::numeric, 3) AS next_52,
       round(profiling.p_no_purchase(m, 52, x, t_x, 38.86)::numeric, 6) AS none_in_52
  FROM pnbd_cdnow, (VALUES (500, 30::float8), (2000, 1), (2000, 38), (2000, 38.86), (500, 38.86)) v(x, t_x)
 ORDER BY x, t_x;
SET extra_float_digits = 1;
-- Tiny and huge time scales: the same customer in units a million times smaller or larger,
-- under the same model rescaled, has the same P(alive).
SELECT round(profiling.p_alive('(r=0.55, alpha=10.58e-6, s=0.61, beta=11.67e-6, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'::profiling.pnbd,
                               2, 30.43e-6, 38.86e-6)::numeric, 12) AS micro,
       round(profiling.p_alive('(r=0.55, alpha=10.58e6, s=0.61, beta=11.67e6, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_s=0, se_beta=0)'::profiling.pnbd,
                               2, 30.43e6, 38.86e6)::numeric, 12) AS mega,
       round(profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 12) AS unit
  FROM pnbd_cdnow;
-- clv, the bgnbd's formula on the Pareto/NBD's expectations: undiscounted it telescopes to
-- E[Y(52)] x expected spend; discounted 1% a 4-week period over 13 periods; in days.
SELECT abs(profiling.clv(m, g, 2, 30.43, 38.86, 30, 52, '1 week', 0)
           - profiling.expected_purchases(m, 52, 2, 30.43, 38.86) * profiling.expected_spend(g, 2, 30)) < 1e-9 AS telescopes,
       round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '4 weeks', 0.01)::numeric, 4) AS clv_4_weekly,
       round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '28 days', 0.01)::numeric, 4) AS clv_28_days,
       round(profiling.clv(m, g, 0, 0, 38.86, NULL, 13, '4 weeks', 0.01)::numeric, 4) AS clv_no_repeat,
       profiling.clv(m, g, 2, 30.43, 38.86, 30, 0, '4 weeks', 0.01) AS no_periods,
       profiling.clv(m, g, 2, 30.43, 38.86, NULL, 13, '4 weeks', 0.01) IS NULL AS unknown_spend
  FROM pnbd_cdnow,
       (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(g);
-- NULL in, NULL out (STRICT).
SELECT profiling.p_alive(NULL::profiling.pnbd, 1, 1, 2) IS NULL AS null_model,
       profiling.p_alive(m, 1, NULL, 2, 5) IS NULL AS null_t_x,
       profiling.prob_purchases(m, NULL, 5) IS NULL AS null_n,
       profiling.prob_purchases(NULL::profiling.pnbd, 1, 5) IS NULL AS null_model_n FROM pnbd_cdnow;

-- Bad scoring input.
SELECT e.* FROM pnbd_cdnow, LATERAL (VALUES
    (format($$SELECT profiling.p_alive(%L::profiling.pnbd, -1, 0, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.pnbd, 2, 11, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.pnbd, 2, 1, 'NaN')$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.pnbd, 2, 1, 10, -1)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.pnbd, 2, 1, 10, 'Infinity')$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.pnbd, -1, 2, 1, 10)$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.pnbd, 'NaN')$$, m)),
    (format($$SELECT profiling.p_no_purchase(%L::profiling.pnbd, 1, 0, 1, 10)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.pnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, 12, '1 month', 0.01)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.pnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 0, 12, '1 week', 0.01)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.pnbd, -1, 10)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.pnbd, 1, -1)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.pnbd, 1, 'NaN')$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.pnbd, 1, 'Infinity')$$, m))) AS v(sql),
  LATERAL regress.error_of(sql) e;

DROP TABLE pnbd_s, pnbd_fitted, pnbd_cdnow, pnbd_mle;
