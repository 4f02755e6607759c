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
               ($$SELECT '(r=1)'::profiling.bgnbd$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Not in the page: leave the shared database as setup built it.
DROP TABLE shop.btyd, shop.btyd_models, shop.pnbd_models;
