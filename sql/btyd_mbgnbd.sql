-- btyd_mbgnbd: the MBG/NBD (the BG/NBD where a customer can also drop out at the first
-- purchase), P(alive) t units after T for the bgnbd and the mbgnbd, and the model check
-- holdout_check: text and binary forms, fits, scoring with hand-checked values, edge cases and
-- bad input. The CDNOW acceptance is in test/pgtap/btyd_mbgnbd.sql and
-- test/unit/test_btyd_bgnbd_math.c.
SET client_min_messages = warning;
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- The mbgnbd type --------------------------------------------------------------------------

-- The bgnbd's text form: every field named, shortest exact digits, NaN for a standard error the
-- Hessian could not give; blanks and -0 accepted on input.
SELECT '(r=0.525, alpha=6.183, a=0.891, b=1.614, ll=-9582.1, customers=2357, converged=true, iterations=25, gradient_norm=1e-10, se_r=0.083, se_alpha=0.7, se_a=NaN, se_b=0)'::profiling.mbgnbd;
SELECT '  ( r = 0.25 ,alpha=4,a=0.8,b=2.5,ll=-0,customers=1,converged=false,iterations=0,gradient_norm=-0,se_r=-0,se_alpha=1,se_a=1,se_b=1 )  '::profiling.mbgnbd;
-- Malformed literals: syntax (22P02), out of range (22003), impossible models (22P02).
SELECT e.error_code, e.message, e.detail
  FROM (VALUES
    (''), ('()'), ('(r=1)'),
    ('(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0) x'),
    ('(r=0, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=0, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=-1)'),
    ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=1e999, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)')) AS v(lit),
  LATERAL regress.error_of(format('SELECT %L::profiling.mbgnbd', lit)) e;
-- Binary form: send then receive is the value; a bgnbd's bytes are not an mbgnbd (22P03).
SELECT m::text = regress.binary_input(NULL::profiling.mbgnbd, profiling.mbgnbd_send(m))::text AS mbgnbd_round_trip,
       profiling.mbgnbd_send(m) AS bytes
  FROM (VALUES ('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)'::profiling.mbgnbd)) v(m);
SELECT label, e.error_code, e.message, e.detail
  FROM (SELECT profiling.mbgnbd_send('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)') AS good) g,
  LATERAL (VALUES
    ('a bgnbd', profiling.bgnbd_send('(r=0.25, alpha=4, a=0.8, b=2.5, ll=-100.5, customers=10, converged=true, iterations=12, gradient_norm=1e-10, se_r=0.01, se_alpha=0.5, se_a=NaN, se_b=0)')),
    ('newer version', '\x02'::bytea || substr(good, 2)),
    ('truncated', substr(good, 1, length(good) - 1)),
    ('zero a', substr(good, 1, 48) || float8send(0) || substr(good, 57))) AS v(label, payload),
  LATERAL regress.error_of(format('SELECT regress.binary_input(NULL::profiling.mbgnbd, %L::bytea)', payload)) e;

-- Fitting --------------------------------------------------------------------------------------

-- The summaries of sql/btyd.sql: 120 customers in weeks, a quarter without repeat purchases, a
-- quarter buying up to the end, half gone after a few early purchases.
CREATE TABLE mbg_s AS
SELECT i, 30 + (i % 9)::float8 AS "T",
       CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN (i % 6) + 3 ELSE 1 + (i % 3) END AS x
  FROM generate_series(1, 120) i;
ALTER TABLE mbg_s ADD t_x float8;
UPDATE mbg_s SET t_x = CASE i % 4 WHEN 0 THEN 0 WHEN 1 THEN "T" - (i % 3) ELSE (i % 7) + 1 END;
CREATE TABLE mbg_fitted AS
SELECT profiling.mbgnbd_fit(x, t_x, "T") AS m, profiling.bgnbd_fit(x, t_x, "T") AS bg FROM mbg_s;

-- The fit's figures, rounded: the optimiser's last digits are not part of the contract.
SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 4) AS alpha, round(a::numeric, 4) AS a,
       round(b::numeric, 4) AS b, round(ll::numeric, 4) AS ll, customers, converged,
       gradient_norm < 1e-9 AS small_gradient, round(se_r::numeric, 4) AS se_r,
       round(se_alpha::numeric, 4) AS se_alpha, round(se_a::numeric, 4) AS se_a, round(se_b::numeric, 4) AS se_b
  FROM mbg_fitted, profiling.params(m);
-- The key difference: the BG/NBD keeps every customer without a repeat purchase alive; the
-- MBG/NBD does not, and the longer ago their one purchase, the less likely they are alive.
SELECT profiling.p_alive(bg, 0, 0, 30) AS bgnbd_x0_T30,
       round(profiling.p_alive(m, 0, 0, 30)::numeric, 6) AS mbgnbd_x0_T30,
       round(profiling.p_alive(m, 0, 0, 60)::numeric, 6) AS mbgnbd_x0_T60,
       round(profiling.p_alive(bg, 3, 20, 30)::numeric, 6) AS bgnbd_x3,
       round(profiling.p_alive(m, 3, 20, 30)::numeric, 6) AS mbgnbd_x3
  FROM mbg_fitted;
-- Lossless text, counted patterns, rows in another order: the same model, byte for byte.
SELECT profiling.mbgnbd_send(m::text::profiling.mbgnbd) = profiling.mbgnbd_send(m) AS text_lossless,
       (SELECT profiling.mbgnbd_send(profiling.mbgnbd_fit(x, t_x, "T", n))
          FROM (SELECT x, t_x, "T", count(*) AS n FROM mbg_s GROUP BY 1, 2, 3) p)
       = profiling.mbgnbd_send(m) AS counted_same,
       (SELECT profiling.mbgnbd_send(profiling.mbgnbd_fit(x, t_x, "T" ORDER BY "T" DESC, x DESC)) FROM mbg_s)
       = profiling.mbgnbd_send(m) AS reordered_same
  FROM mbg_fitted;
-- A zero count adds nothing; no rows, or only skipped rows, give NULL.
SELECT profiling.mbgnbd_fit(x, t_x, "T", 0) IS NULL AS zero_counts FROM mbg_s;
SELECT profiling.mbgnbd_fit(x, t_x, "T") IS NULL AS no_rows FROM mbg_s WHERE false;
SELECT profiling.mbgnbd_fit(NULL, NULL, NULL) IS NULL AS all_null;
-- Nobody repeats, one customer, T = t_x, heavy buyers (x = 500 and 2000): finite models.
SELECT r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, ll < 0 AS negative_ll, customers
  FROM (SELECT profiling.mbgnbd_fit(0, 0, t) AS m FROM generate_series(10, 40) t) s, profiling.params(m);
SELECT r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, customers
  FROM (SELECT profiling.mbgnbd_fit(3, 12, 40) AS m) s, profiling.params(m);
SELECT r > 0 AND alpha > 0 AND a > 0 AND b > 0 AS positive, ll::text NOT IN ('NaN', '-Infinity', 'Infinity') AS finite_ll,
       customers
  FROM (SELECT profiling.mbgnbd_fit(x, t_x, "T") AS m
          FROM (VALUES (0, 0::float8, 52::float8), (1, 10, 52), (500, 51.9, 52), (2000, 40, 52),
                       (2, 30, 52), (3, 52, 52)) v(x, t_x, "T")) s,
       profiling.params(m);

-- Bad input to the aggregate: bgnbd_fit's checks, since it is bgnbd_fit's state.
SELECT e.* FROM (VALUES
    ($$SELECT profiling.mbgnbd_fit(-1, 0, 10)$$),
    ($$SELECT profiling.mbgnbd_fit(1, 11, 10)$$),
    ($$SELECT profiling.mbgnbd_fit(0, 2, 10)$$),
    ($$SELECT profiling.mbgnbd_fit(1, 'NaN', 10)$$),
    ($$SELECT profiling.mbgnbd_fit(1, NULL, 10)$$),
    ($$SELECT profiling.mbgnbd_fit(1, 2, 10, -1)$$),
    ($$SELECT profiling.mbgnbd_fit(1, 2, 10, NULL)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- Scoring ---------------------------------------------------------------------------------------

-- BTYDplus's CDNOW estimates. P(alive) against its closed form 1 / (1 + a/(b+x)
-- ((alpha+T)/(alpha+t_x))^(r+x)), for x = 0 too; E[X(78)] of a new customer; the conditional
-- expectation; nothing in no time.
CREATE TABLE mbg_cdnow AS
SELECT '(r=0.525, alpha=6.183, a=0.891, b=1.614, ll=-9582.1, customers=2357, converged=true, iterations=1, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.mbgnbd AS m,
       '(r=0.2425945, alpha=4.4136019, a=0.7929199, b=2.4258881, ll=-9582.429, customers=2357, converged=true, iterations=1, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd AS bg;
SELECT round(profiling.p_alive(m, 0, 0, 38.86)::numeric, 6) AS p_alive_x0,
       abs(profiling.p_alive(m, 0, 0, 38.86)
           - 1 / (1 + 0.891 / 1.614 * ((6.183 + 38.86) / 6.183) ^ 0.525)) < 1e-15 AS x0_closed_form,
       round(profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 6) AS p_alive_x2,
       abs(profiling.p_alive(m, 2, 30.43, 38.86)
           - 1 / (1 + 0.891 / (1.614 + 2) * ((6.183 + 38.86) / (6.183 + 30.43)) ^ 2.525)) < 1e-15 AS x2_closed_form,
       round(profiling.expected_purchases(m, 78)::numeric, 6) AS new_customer_78,
       round(profiling.expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 6) AS conditional_39,
       round(profiling.expected_purchases(m, 39, 0, 0, 38.86)::numeric, 6) AS conditional_39_x0,
       profiling.expected_purchases(m, 0, 2, 30.43, 38.86) AS nothing_in_no_time,
       profiling.expected_purchases(m, 0) AS new_nothing_in_no_time
  FROM mbg_cdnow;
-- p_no_purchase: certain in no time; P(dead) over a very long time, for x = 0 too.
SELECT profiling.p_no_purchase(m, 0, 0, 0, 38.86) AS none_in_no_time,
       round(profiling.p_no_purchase(m, 39, 0, 0, 38.86)::numeric, 6) AS x0_none_in_39,
       round(profiling.p_no_purchase(m, 1e30, 0, 0, 38.86)::numeric, 6) AS x0_none_ever,
       round(1 - profiling.p_alive(m, 0, 0, 38.86)::numeric, 6) AS x0_p_dead
  FROM mbg_cdnow;
-- prob_purchases: a new customer's distribution; it sums to 1 with the mean E[X(78)].
SELECT n, round(profiling.prob_purchases(m, n, 78)::numeric, 6) AS p
  FROM mbg_cdnow, generate_series(0, 4) n ORDER BY n;
SELECT round(sum(profiling.prob_purchases(m, n, 78))::numeric, 9) AS total,
       round(sum(n * profiling.prob_purchases(m, n, 78))::numeric, 6) AS mean
  FROM mbg_cdnow, generate_series(0, 3000) n;
SELECT profiling.prob_purchases(m, 0, 0) AS certain, profiling.prob_purchases(m, 3, 0) AS impossible
  FROM mbg_cdnow;
-- Heavy buyers stay finite.
SELECT profiling.p_alive(m, 2000, 40, 52) < 1e-100 AS gone_heavy_buyer,
       round(profiling.expected_purchases(m, 52, 500, 51.9, 52)::numeric, 3) AS active_heavy_buyer
  FROM mbg_cdnow;
-- clv: the bgnbd's C path with the MBG/NBD's expectation; undiscounted it telescopes to
-- E[Y(52)] x expected spend; a customer without repeat purchases (monetary NULL).
SELECT abs(profiling.clv(m, g, 2, 30.43, 38.86, 30, 52, '1 week', 0)
           - profiling.expected_purchases(m, 52, 2, 30.43, 38.86) * profiling.expected_spend(g, 2, 30)) < 1e-9 AS telescopes,
       round(profiling.clv(m, g, 2, 30.43, 38.86, 30, 13, '4 weeks', 0.01)::numeric, 4) AS clv_4_weekly,
       round(profiling.clv(m, g, 0, 0, 38.86, NULL, 13, '4 weeks', 0.01)::numeric, 4) AS clv_no_repeat,
       round(profiling.clv(bg, g, 0, 0, 38.86, NULL, 13, '4 weeks', 0.01)::numeric, 4) AS bgnbd_clv_no_repeat
  FROM mbg_cdnow,
       (VALUES ('(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=0, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma)) v(g);

-- P(alive) t units after T: at t = 0 it is P(alive at T); it falls as t grows, for a customer
-- with repeat purchases and one without (whom the BG/NBD keeps alive at T, not after).
SELECT profiling.p_alive(bg, 2, 30.43, 38.86, 0) = profiling.p_alive(bg, 2, 30.43, 38.86) AS bgnbd_t0,
       profiling.p_alive(m, 2, 30.43, 38.86, 0) = profiling.p_alive(m, 2, 30.43, 38.86) AS mbgnbd_t0,
       profiling.p_alive(bg, 0, 0, 38.86, 0) AS bgnbd_x0_t0,
       profiling.p_alive(m, 0, 0, 38.86, 0) = profiling.p_alive(m, 0, 0, 38.86) AS mbgnbd_x0_t0
  FROM mbg_cdnow;
SELECT t, round(profiling.p_alive(bg, 2, 30.43, 38.86, t)::numeric, 6) AS bgnbd,
       round(profiling.p_alive(m, 2, 30.43, 38.86, t)::numeric, 6) AS mbgnbd,
       round(profiling.p_alive(bg, 0, 0, 38.86, t)::numeric, 6) AS bgnbd_x0,
       round(profiling.p_alive(m, 0, 0, 38.86, t)::numeric, 6) AS mbgnbd_x0
  FROM mbg_cdnow, (VALUES (0), (1), (13), (52), (520), (5200)) v(t) ORDER BY t;
-- A dropout probability known exactly (a, b in the billions, as when every customer drops out
-- alike): the factor is (1 + p t/(alpha+T))^-(r+x) with p = a/(a+b) = 1/4.
SELECT round(profiling.p_alive(m, 3, 20, 30, 52)::numeric, 9) AS p_alive_52,
       round((profiling.p_alive(m, 3, 20, 30) * (1 + 0.25 * 52 / 34) ^ -3.5)::numeric, 9) AS closed_form
  FROM (VALUES ('(r=0.5, alpha=4, a=1e10, b=3e10, ll=-1, customers=1, converged=false, iterations=200, gradient_norm=1e-3, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd)) v(m);
-- Against the direct integral E[(1 + p t/(alpha+T))^-(r+x)] over p ~ Beta(a, b+x), by the
-- midpoint rule in w = p^a, which also gives the beta function (x = 2, t = 52: the BG/NBD;
-- 20,000 points).
SELECT abs(profiling.p_alive(bg, 2, 30.43, 38.86, 52)
           - profiling.p_alive(bg, 2, 30.43, 38.86) * q.v) < 1e-6 AS matches_integral
  FROM mbg_cdnow,
       (SELECT sum((1 - w ^ (1 / 0.7929199)) ^ (2.4258881 + 2 - 1)
                   * (1 + w ^ (1 / 0.7929199) * 52 / (4.4136019 + 38.86)) ^ (-(0.2425945 + 2)))
               / sum((1 - w ^ (1 / 0.7929199)) ^ (2.4258881 + 2 - 1)) AS v
          FROM (SELECT (i + 0.5) / 20000 AS w FROM generate_series(0, 19999) i) s) q;

-- Bad scoring input: the bgnbd's checks; t too far ahead for P(alive) is 22003, not a wrong
-- number.
SELECT e.* FROM mbg_cdnow, LATERAL (VALUES
    (format($$SELECT profiling.p_alive(%L::profiling.mbgnbd, -1, 0, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.mbgnbd, 0, 1, 10)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.mbgnbd, 2, 1, 10, -1)$$, m)),
    (format($$SELECT profiling.p_alive(%L::profiling.bgnbd, 2, 1, 10, 'NaN')$$, bg)),
    (format($$SELECT profiling.p_alive(%L::profiling.bgnbd, 2, 1, 10, 1e300)$$, bg)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.mbgnbd, -1, 2, 1, 10)$$, m)),
    (format($$SELECT profiling.expected_purchases(%L::profiling.mbgnbd, 'Infinity')$$, m)),
    (format($$SELECT profiling.p_no_purchase(%L::profiling.mbgnbd, 1, 0, 1, 10)$$, m)),
    (format($$SELECT profiling.prob_purchases(%L::profiling.mbgnbd, -1, 10)$$, m)),
    (format($$SELECT profiling.clv(%L::profiling.mbgnbd, '(p=6.25, q=3.74, gamma=15.44, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_p=0, se_q=0, se_gamma=0)', 2, 1, 10, 5, 12, '1 month', 0.01)$$, m))) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- holdout_check ---------------------------------------------------------------------------------

-- Hand-made rows (x, predicted, actual): buckets 0, 1 and 7+ (x = 7 and x = 12 share it).
CREATE TABLE hc_rows (x int, predicted float8, actual int);
INSERT INTO hc_rows VALUES (0, 0.25, 0), (0, 0.5, 1), (0, 0.125, 0), (1, 1.5, 2), (1, 0.75, 0),
                           (7, 6.5, 5), (12, 9.25, 11), (NULL, NULL, NULL);
CREATE TABLE hc AS SELECT profiling.holdout_check(x, predicted, actual) AS c FROM hc_rows;
-- 0: 3 customers, 0.875 predicted, 1 actual; 1: 2, 2.25, 2; 7+: 2, 15.75, 16. The all-NULL row
-- is skipped.
SELECT c FROM hc;
SELECT * FROM profiling.buckets((SELECT c FROM hc));
-- mean absolute error = (|0.875 - 1| + |2.25 - 2| + |15.75 - 16|) / 7 customers = 0.625 / 7.
SELECT profiling.mean_absolute_error(c) AS mae, profiling.mean_absolute_error(c) = 0.625 / 7 AS exact
  FROM hc;
-- No rows, or only skipped rows: NULL. One row.
SELECT profiling.holdout_check(x, predicted, actual) IS NULL AS no_rows FROM hc_rows WHERE false;
SELECT profiling.holdout_check(NULL, NULL, NULL) IS NULL AS all_null;
SELECT profiling.holdout_check(3, 0.1, 1) AS one_row;
SELECT * FROM profiling.buckets((SELECT profiling.holdout_check(3, 0.1, 1)));
-- A prediction counts in units of 1e-9 purchase: 1/3 is 0.333333333.
SELECT profiling.holdout_check(2, 1.0 / 3, 0) AS third;
-- rollup of stored checks = one pass over their rows, byte for byte; NULL checks are skipped.
SELECT profiling.holdout_check_send(profiling.rollup(c)) =
       (SELECT profiling.holdout_check_send(profiling.holdout_check(x, predicted, actual)) FROM hc_rows) AS rollup_one_pass
  FROM (SELECT profiling.holdout_check(x, predicted, actual) AS c FROM hc_rows GROUP BY x > 0
        UNION ALL SELECT NULL) s;
SELECT profiling.rollup(c) IS NULL AS rollup_of_nothing FROM (SELECT NULL::profiling.holdout_check AS c) s;
-- Rows in another order, and many rows of tiny predictions: the sums are exact.
SELECT (SELECT profiling.holdout_check(x, predicted, actual ORDER BY predicted DESC) FROM hc_rows)::text
       = c::text AS reordered_same FROM hc;
SELECT profiling.holdout_check(i % 9, 0.1, i % 2) FROM generate_series(1, 1000) i;
-- Text form: lossless, blanks accepted, any bucket order; binary round trip.
SELECT c::text::profiling.holdout_check::text = c::text AS text_round_trip,
       regress.binary_input(NULL::profiling.holdout_check, profiling.holdout_check_send(c))::text = c::text AS binary_round_trip,
       profiling.holdout_check_send(c) AS bytes
  FROM hc;
SELECT ' { ( 7+ , 2 , 15.75 , 16 ) , (0,3,0.875,1) } '::profiling.holdout_check;
SELECT '{(6,1,123456789.123456789,0)}'::profiling.holdout_check;
-- Malformed literals (22P02), out of range (22003).
SELECT e.error_code, e.message, e.detail
  FROM (VALUES (''), ('{}'), ('{(0,1,0.5)}'), ('{(8,1,0.5,1)}'), ('{(7,1,0.5,1)}'), ('{(0,0,0,0)}'),
               ('{(0,1,-0.5,1)}'), ('{(0,1,0.5,-1)}'), ('{(0,1,0.1234567891,1)}'), ('{(0,1,1e3,1)}'),
               ('{(0,1,.5,1)}'), ('{(0,1,5.,1)}'), ('{(0,1,NaN,1)}'), ('{(0,1,0.5,1),(0,2,1,1)}'),
               ('{(0,1,0.5,1)} x'), ('{(0,1,0.5,1.5)}'),
               ('{(0,1,9223372037,1)}'), ('{(0,99999999999999999999,1,1)}'),
               ('{(0,9223372036854775807,0,0),(1,1,0,0)}')) AS v(lit),
  LATERAL regress.error_of(format('SELECT %L::profiling.holdout_check', lit)) e;
-- Crafted binary values (22P03; a newer version 0A000).
SELECT label, e.error_code, e.message, e.detail
  FROM (SELECT profiling.holdout_check_send(c) AS good FROM hc) g,
  LATERAL (VALUES
    ('short header', substr(good, 1, 3)),
    ('newer version', '\x02'::bytea || substr(good, 2)),
    ('reserved byte', substr(good, 1, 1) || '\x01'::bytea || substr(good, 3)),
    ('truncated', substr(good, 1, length(good) - 1)),
    ('negative customers', substr(good, 1, 4) || int8send(-1) || substr(good, 13)),
    ('purchases without customers', substr(good, 1, 28) || int8send(0) || substr(good, 37)),
    ('no customers', '\x01000000'::bytea || decode(repeat('00', 192), 'hex'))) AS v(label, payload),
  LATERAL regress.error_of(format('SELECT regress.binary_input(NULL::profiling.holdout_check, %L::bytea)', payload)) e;
-- Bad rows, and a rollup beyond int64 (22003).
SELECT e.* FROM (VALUES
    ($$SELECT profiling.rollup(c) FROM (VALUES ('{(0,9223372036854775807,0,0)}'::profiling.holdout_check), ('{(1,1,0,0)}')) v(c)$$),
    ($$SELECT profiling.holdout_check(-1, 0.5, 1)$$),
    ($$SELECT profiling.holdout_check(1, -0.5, 1)$$),
    ($$SELECT profiling.holdout_check(1, 'NaN', 1)$$),
    ($$SELECT profiling.holdout_check(1, 'Infinity', 1)$$),
    ($$SELECT profiling.holdout_check(1, 2e9, 1)$$),
    ($$SELECT profiling.holdout_check(1, 0.5, -1)$$),
    ($$SELECT profiling.holdout_check(1, NULL, 1)$$),
    ($$SELECT profiling.holdout_check(NULL, 0.5, NULL)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

-- The whole check, from purchase histories: holdout() splits each history; the BG/NBD fitted
-- on the calibration summaries predicts the holdout; the check compares. Two customers buy
-- every week, two once, over 8 weeks of calibration and 4 of holdout.
CREATE TABLE hc_orders AS
SELECT c, '2025-01-01 10:00:00+00'::timestamptz + (w * 7 + c) * interval '1 day' AS ordered_at, 10 AS amount
  FROM generate_series(1, 4) c, generate_series(0, 11) w
 WHERE c <= 2 OR w = 0;
CREATE TABLE hc_split AS
SELECT c, (profiling.holdout(profiling.purchase_history(ordered_at, amount), '2025-02-26', '2025-03-26')).*
  FROM hc_orders GROUP BY c;
SELECT c, x, round(t_x::numeric, 4) AS t_x, round("T"::numeric, 4) AS "T", t_holdout, x_holdout
  FROM hc_split ORDER BY c;
SELECT b.bucket, b.customers, round(b.predicted::numeric, 4) AS predicted, b.actual
  FROM (SELECT profiling.bgnbd_fit(x, t_x, "T") AS m FROM hc_split) f,
       profiling.buckets((SELECT profiling.holdout_check(x, profiling.expected_purchases(f.m, t_holdout, x, t_x, "T"), x_holdout)
                            FROM hc_split)) b;

DROP TABLE mbg_s, mbg_fitted, mbg_cdnow, hc_rows, hc, hc_orders, hc_split;
