-- make demo, customer-base models section: the BG/NBD and Gamma-Gamma models of the sample
-- warehouse (summaries as of its reference date, in weeks), the valuable customers most likely
-- gone, and the expected value of the next year. Reads shop.purchase_histories, which the
-- purchase-history section builds before it.
\pset border 1
SELECT reference_date AS as_of FROM shop.warehouse_info \gset

CREATE TEMP TABLE btyd_summary AS
SELECT customer_id, profiling.total_spend(h) AS spend, (profiling.btyd_summary(h, :'as_of')).*
  FROM shop.purchase_histories;
CREATE TEMP TABLE btyd_models AS
SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg, profiling.gamma_gamma_fit(x, monetary) AS gg FROM btyd_summary;

\echo
\echo '== BG/NBD of the warehouse (weeks): the parameters, the log-likelihood, and how the optimiser ended'
SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 4) AS alpha, round(a::numeric, 4) AS a,
       round(b::numeric, 4) AS b, round(ll::numeric, 2) AS ll, customers, converged, iterations
  FROM btyd_models, profiling.params(bg);
\echo '   (not converged: everyone in this warehouse drops out alike, so a and b run to infinity; the model is still usable)'

\echo
\echo '== Gamma-Gamma of the repeat customers, with standard errors'
SELECT round(p::numeric, 3) AS p, round(q::numeric, 3) AS q, round(gamma::numeric, 2) AS gamma,
       round(se_p::numeric, 3) AS se_p, round(se_q::numeric, 3) AS se_q, round(se_gamma::numeric, 2) AS se_gamma,
       customers, converged
  FROM btyd_models, profiling.params(gg);

\echo
\echo '== The valuable customers most likely gone: the top 10% by spend, lowest P(alive) first'
SELECT customer_id, round(spend::numeric, 2) AS spend, x, round(t_x::numeric, 1) AS t_x, round("T"::numeric, 1) AS "T",
       round(profiling.p_alive(bg, x, t_x, "T")::numeric, 3) AS p_alive
  FROM btyd_summary, btyd_models
 WHERE x IS NOT NULL AND spend >= (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY spend) FROM btyd_summary)
 ORDER BY profiling.p_alive(bg, x, t_x, "T"), customer_id
 LIMIT 10;

\echo
\echo '== The next year (52 weeks): expected purchases and expected value, undiscounted'
SELECT count(*) AS customers,
       round(sum(profiling.expected_purchases(bg, 52, x, t_x, "T"))::numeric, 1) AS expected_purchases,
       round(sum(profiling.expected_purchases(bg, 52, x, t_x, "T") * profiling.expected_spend(gg, x, monetary))::numeric, 2) AS expected_value
  FROM btyd_summary, btyd_models
 WHERE x IS NOT NULL;
