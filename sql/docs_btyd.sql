-- docs_btyd: every SQL example of docs/btyd.md, verbatim and in its order, on the tiny sample
-- warehouse (schema shop, built by setup), then every example statement of its Errors table.
-- test/pgtap/docs.sql checks that each example is here, that each result the page shows is the
-- output of its own query below, and that each error example raises the SQLSTATE the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.btyd AS
SELECT customer_id, (profiling.btyd_summary(h, '2025-07-01', '1 week')).*
  FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h
          FROM shop.orders GROUP BY customer_id) c;

SELECT customer_id, x, round(t_x::numeric, 2) AS t_x, round("T"::numeric, 2) AS "T",
       round(monetary::numeric, 2) AS monetary
  FROM shop.btyd
 WHERE customer_id IN (1, 10, 12, 13)
 ORDER BY customer_id;

SELECT count(*) AS customers,
       (profiling.params(profiling.bgnbd_fit(x, t_x, "T"))).converged
  FROM shop.btyd;

CREATE TABLE shop.btyd_models AS
SELECT '(r=0.2425945, alpha=4.4136019, a=0.7929199, b=2.4258881, ll=-9582.429, customers=2357, converged=true, iterations=22, gradient_norm=1e-9, se_r=0.0126, se_alpha=0.378, se_a=0.186, se_b=0.705)'::profiling.bgnbd AS bg,
       '(p=6.25, q=3.74, gamma=15.44, ll=-4055.92, customers=946, converged=true, iterations=21, gradient_norm=1e-10, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma AS gg;

SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 4) AS alpha,
       round(a::numeric, 4) AS a, round(b::numeric, 4) AS b, ll, customers, se_r
  FROM shop.btyd_models, profiling.params(bg);

SELECT round(profiling.p_alive(bg, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(profiling.expected_purchases(bg, 39, 2, 30.43, 38.86)::numeric, 4) AS next_39_weeks,
       round(profiling.expected_purchases(bg, 78)::numeric, 4) AS new_customer_78_weeks,
       round(profiling.expected_spend(gg, 2, 30)::numeric, 2) AS expected_spend
  FROM shop.btyd_models;

CREATE TABLE shop.mbgnbd AS
SELECT '(r=0.5248432, alpha=6.1830853, a=0.8913594, b=1.6140022, ll=-9582.1357, customers=2357, converged=true, iterations=25, gradient_norm=2.4e-10, se_r=0.0833, se_alpha=0.696, se_a=0.155, se_b=0.537)'::profiling.mbgnbd AS mb;

SELECT x, t_x, "T",
       round(profiling.p_alive(bg, x, t_x, "T")::numeric, 4) AS bgnbd,
       round(profiling.p_alive(mb, x, t_x, "T")::numeric, 4) AS mbgnbd
  FROM shop.btyd_models, shop.mbgnbd,
       (VALUES (0, 0, 10), (0, 0, 38.86), (2, 30.43, 38.86)) AS c(x, t_x, "T");

SELECT (profiling.params(profiling.mbgnbd_fit(x, t_x, "T"))).customers
  FROM shop.btyd;

SELECT t, round(profiling.p_alive(bg, 2, 30.43, 38.86, t)::numeric, 4) AS bgnbd,
       round(profiling.p_alive(mb, 2, 30.43, 38.86, t)::numeric, 4) AS mbgnbd,
       round(profiling.p_alive(bg, 0, 0, 38.86, t)::numeric, 4) AS bgnbd_x0
  FROM shop.btyd_models, shop.mbgnbd, (VALUES (0), (13), (52), (520)) AS h(t)
 ORDER BY t;

CREATE TABLE shop.btyd_holdout AS
SELECT customer_id,
       (profiling.holdout(h, '2025-04-01', '2025-07-01', '1 week')).*
  FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h
          FROM shop.orders GROUP BY customer_id) c;

SELECT bucket, customers, round(predicted::numeric, 4) AS predicted, actual, round(error::numeric, 4) AS error
  FROM profiling.buckets((
    SELECT profiling.holdout_check(x, profiling.expected_purchases(m, t_holdout, x, t_x, "T"), x_holdout)
      FROM shop.btyd_holdout,
           (SELECT profiling.mbgnbd_fit(x, t_x, "T") AS m FROM shop.btyd_holdout) f));

SELECT round(profiling.mean_absolute_error(model)::numeric, 4) AS model_mae,
       round(profiling.mean_absolute_error(naive)::numeric, 4) AS naive_mae, naive
  FROM (SELECT profiling.holdout_check(x, profiling.expected_purchases(m, t_holdout, x, t_x, "T"), x_holdout) AS model,
               profiling.holdout_check(x, x * t_holdout / "T", x_holdout) AS naive
          FROM shop.btyd_holdout,
               (SELECT profiling.mbgnbd_fit(x, t_x, "T") AS m FROM shop.btyd_holdout) f) s;
SELECT count(*) AS customers,
       (profiling.params(profiling.pnbd_fit(x, t_x, "T"))).converged
  FROM shop.btyd;

CREATE TABLE shop.pnbd_models AS
SELECT '(r=0.553277, alpha=10.577684, s=0.60624, beta=11.668735, ll=-9594.976179, customers=2357, converged=true, iterations=28, gradient_norm=2.3e-10, se_r=0.0476, se_alpha=0.843, se_s=0.187, se_beta=6.21)'::profiling.pnbd AS m;

SELECT round(r::numeric, 2) AS r, round(alpha::numeric, 2) AS alpha, round(s::numeric, 2) AS s,
       round(beta::numeric, 2) AS beta, round(ll::numeric, 1) AS ll, customers
  FROM shop.pnbd_models, profiling.params(m);

SELECT round(profiling.p_alive(m, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(profiling.p_alive(m, 2, 30.43, 38.86, 52)::numeric, 4) AS alive_in_a_year,
       round(profiling.expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 4) AS next_39_weeks,
       round(profiling.expected_purchases(m, 78)::numeric, 4) AS new_customer_78_weeks,
       round(profiling.p_no_purchase(m, 39, 2, 30.43, 38.86)::numeric, 4) AS none_in_39_weeks
  FROM shop.pnbd_models;

SELECT n, round(profiling.prob_purchases(p.m, n, 78)::numeric, 4) AS pnbd,
       round(profiling.prob_purchases(b.bg, n, 78)::numeric, 4) AS bgnbd
  FROM shop.pnbd_models p, shop.btyd_models b, generate_series(0, 7) AS n
 ORDER BY n;

SELECT round(profiling.clv(p.m, b.gg, 2, 30.43, 38.86, 30, 13, '4 weeks', 0.01)::numeric, 2) AS pnbd_clv,
       round(profiling.clv(b.bg, b.gg, 2, 30.43, 38.86, 30, 13, '4 weeks', 0.01)::numeric, 2) AS bgnbd_clv
  FROM shop.pnbd_models p, shop.btyd_models b;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES ($$SELECT profiling.btyd_summary('{}', '2025-07-01', '1 month')$$),
               ($$SELECT profiling.btyd_summary('{}', 'infinity')$$),
               ($$SELECT profiling.bgnbd_fit(1, 11, 10)$$),
               ($$SELECT profiling.bgnbd_fit(1, NULL, 10)$$),
               ($$SELECT profiling.gamma_gamma_fit(2, 0)$$),
               ($$SELECT '(r=1)'::profiling.bgnbd$$),
               ($$SELECT profiling.p_alive('(r=1, alpha=1, a=1, b=1, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)', 1, 1, 1)$$),
               ($$SELECT profiling.p_alive('(r=0.24, alpha=4.4, a=0.79, b=2.4, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'::profiling.bgnbd, 2, 1, 10, 1e300)$$),
               ($$SELECT profiling.prob_purchases('(r=1, alpha=1, a=1e308, b=1e308, ll=-1, customers=1, converged=true, iterations=1, gradient_norm=0, se_r=0, se_alpha=0, se_a=0, se_b=0)'::profiling.bgnbd, 3, 10)$$),
               ($$SELECT profiling.holdout_check(1, 0.5, NULL)$$),
               ($$SELECT profiling.holdout_check(1, -0.5, 1)$$),
               ($$SELECT '{(8,1,0.5,1)}'::profiling.holdout_check$$),
               ($$SELECT profiling.rollup(c) FROM (VALUES ('{(0,9223372036854775807,0,0)}'::profiling.holdout_check), ('{(1,1,0,0)}')) v(c)$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Simulation: the page's examples, then its Errors table.
SELECT s.customer, s.x, round(s.t_x::numeric, 2) AS t_x, round(s."T"::numeric, 2) AS "T"
  FROM shop.btyd_models, profiling.simulate(bg, 5, 30, 80, 42) s;

SELECT count(*) AS customers,
       round(avg((x > 0)::int), 3) AS bought_again,
       round(avg(x), 3) AS mean_x,
       (SELECT round(profiling.expected_purchases(bg, 52)::numeric, 3) FROM shop.btyd_models) AS model_mean_x
  FROM shop.btyd_models, profiling.simulate(bg, 10000, 52, 1);

SELECT round(p.r::numeric, 3) AS r, round(p.alpha::numeric, 2) AS alpha,
       round(p.a::numeric, 2) AS a, round(p.b::numeric, 2) AS b, p.customers
  FROM (SELECT profiling.bgnbd_fit(s.x, s.t_x, s."T") AS fit
          FROM shop.btyd_models, profiling.simulate(bg, 50000, 30, 80, 7) s) f,
       profiling.params(f.fit) p;

SELECT sum(h.x - c.x) AS holdout_purchases,
       round(sum(profiling.expected_purchases(m.bg, 26, c.x, c.t_x, c."T"))::numeric, 1) AS predicted
  FROM shop.btyd_models m,
       profiling.simulate(m.bg, 10000, 52, 3) c
       JOIN profiling.simulate(m.bg, 10000, 78, 3) h USING (customer);

SELECT e.error_code, e.message, v.statement
  FROM (VALUES ($$SELECT * FROM profiling.simulate((SELECT bg FROM shop.btyd_models), -1, 52, 1)$$),
               ($$SELECT * FROM profiling.simulate((SELECT bg FROM shop.btyd_models), 10, 0, 1)$$),
               ($$SELECT * FROM profiling.simulate((SELECT bg FROM shop.btyd_models), 10, 80, 30, 1)$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Not in the page: leave the shared database as setup built it.
DROP TABLE shop.btyd, shop.btyd_models, shop.mbgnbd, shop.btyd_holdout, shop.pnbd_models;
