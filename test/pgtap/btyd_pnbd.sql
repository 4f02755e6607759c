-- btyd: Pareto/NBD properties. On the CDNOW sample (Hardie's 2,357 customers, read from
-- $PROFILING_CDNOW_DIR, by default ../shared/data/cdnow; skipped when absent, never copied into
-- the repository): pnbd_fit reaches Fader & Hardie's published estimates. On the small sample
-- warehouse: parallel = serial; a fit on counted patterns = on rows; rows in any order give the
-- same model; GROUP BY fits each group as if alone (the combine function merges partial states);
-- prob_purchases is a distribution with the mean expected_purchases gives.
-- Models are compared by their bytes (pnbd_send), never by their text.
\i test/pgtap/lib/begin.psql
SELECT plan(21);

-- CDNOW ---------------------------------------------------------------------------------------------
\i test/pgtap/lib/cdnow_sample.psql
CREATE TABLE pg_temp.cd_summary AS
SELECT sample_id AS id, (btyd_summary(purchase_history(d::timestamptz, dollars), '1997-09-30')).*
  FROM pg_temp.cd_orders GROUP BY sample_id;
CREATE TABLE pg_temp.cd_fit AS SELECT pnbd_fit(x, t_x, "T") AS m FROM pg_temp.cd_summary;

\if :cdnow_present
-- Published (Fader & Hardie's note, on the same sample): r = 0.55, alpha = 10.58, s = 0.61,
-- beta = 11.67, LL = -9595.0; each estimate rounds to its published figure.
SELECT ok((SELECT round(r::numeric, 2) = 0.55 AND round(alpha::numeric, 2) = 10.58
                  AND round(s::numeric, 2) = 0.61 AND round(beta::numeric, 2) = 11.67
             FROM pg_temp.cd_fit, params(m)),
          'CDNOW Pareto/NBD: r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67 to their published 2 decimals');
SELECT ok((SELECT round(ll::numeric, 1) = -9595.0 AND customers = 2357 AND converged AND gradient_norm < 1e-9
             FROM pg_temp.cd_fit, params(m)),
          'CDNOW Pareto/NBD: LL = -9595.0, 2357 customers, converged');
SELECT ok((SELECT se_r > 0 AND se_alpha > 0 AND se_s > 0 AND se_beta > 0 AND se_r < r AND se_s < s
             FROM pg_temp.cd_fit, params(m)),
          'CDNOW Pareto/NBD: standard errors positive, those of r and s below the estimates');
SELECT is((SELECT pnbd_send(pnbd_fit(x, t_x, "T", n))
             FROM (SELECT x, t_x, "T", count(*) AS n FROM pg_temp.cd_summary GROUP BY 1, 2, 3) p),
          (SELECT pnbd_send(m) FROM pg_temp.cd_fit),
          'CDNOW Pareto/NBD on counted patterns = on rows, byte for byte');
-- every customer scores: probabilities in [0, 1], expectations finite
SELECT is((SELECT count(*) FROM pg_temp.cd_summary, pg_temp.cd_fit
            WHERE NOT (p_alive(m, x, t_x, "T") BETWEEN 0 AND 1
                       AND p_alive(m, x, t_x, "T", 52) BETWEEN 0 AND p_alive(m, x, t_x, "T")
                       AND expected_purchases(m, 52, x, t_x, "T") BETWEEN 0 AND 1e6
                       AND p_no_purchase(m, 52, x, t_x, "T") BETWEEN 0 AND 1)), 0::bigint,
          'CDNOW: every customer scores (P(alive) in [0, 1] and falling, E[Y(52)] finite, P(none) in [0, 1])');
-- prob_purchases: a new customer's distribution over 78 weeks; n up to 3000 leaves out less
-- than 1e-40.
SELECT ok((SELECT abs(sum(p) - 1) < 1e-9
                  AND abs(sum(n * p) - (SELECT expected_purchases(m, 78) FROM pg_temp.cd_fit)) < 1e-9
             FROM pg_temp.cd_fit, generate_series(0, 3000) n, LATERAL (SELECT prob_purchases(m, n, 78) AS p) q),
          'CDNOW: P(X(78) = n) sums to 1 and its mean is expected_purchases(m, 78), to 1e-9');
SELECT is((SELECT count(*) FROM pg_temp.cd_fit, generate_series(0, 3000) n, (VALUES (0), (1e-9), (1), (78), (1e6)) h(t)
            WHERE NOT prob_purchases(m, n, t) BETWEEN 0 AND 1), 0::bigint,
          'CDNOW: every P(X(t) = n) in [0, 1], t from 0 to 1e6 weeks');
\else
SELECT skip('CDNOW data not found (set PROFILING_CDNOW_DIR)', 7);
\endif

-- The small sample warehouse -------------------------------------------------------------------------
CALL sample_warehouse.build('tap_pnbd', 'small', 42);
CALL pg_temp.force_serial();
SELECT reference_date AS as_of FROM tap_pnbd.warehouse_info \gset
CREATE TABLE tap_pnbd.summary AS
SELECT customer_id, (btyd_summary(h, :'as_of')).*
  FROM (SELECT customer_id, purchase_history(ordered_at, amount) AS h FROM tap_pnbd.orders GROUP BY 1) c;
ANALYZE tap_pnbd.summary;
CREATE TABLE tap_pnbd.models AS SELECT pnbd_fit(x, t_x, "T") AS m FROM tap_pnbd.summary;
CREATE TABLE tap_pnbd.serial AS SELECT pnbd_send(m) AS m FROM tap_pnbd.models;
SELECT ok((SELECT converged AND iterations < 200 AND customers > 1000 FROM tap_pnbd.models, params(m)),
          'the warehouse Pareto/NBD fit converges');

-- Serial = parallel = counted patterns = another order, byte for byte.
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT pnbd_send(pnbd_fit(x, t_x, "T"))::text FROM tap_pnbd.summary$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'pnbd_fit runs as a partial aggregate on two workers',
    (SELECT m::text FROM tap_pnbd.serial), 'pnbd_fit: parallel = serial, byte for byte');
SET LOCAL force_parallel_mode = regress;
SELECT is((SELECT pnbd_send(pnbd_fit(x, t_x, "T")) FROM tap_pnbd.summary), (SELECT m FROM tap_pnbd.serial),
          'force_parallel_mode = regress gives the same model');
CALL pg_temp.force_serial();
SELECT is((SELECT pnbd_send(pnbd_fit(x, t_x, "T", n))
             FROM (SELECT x, t_x, "T", count(*) AS n FROM tap_pnbd.summary GROUP BY 1, 2, 3) p),
          (SELECT m FROM tap_pnbd.serial), 'pnbd_fit on counted patterns = on rows, byte for byte');
SELECT is((SELECT pnbd_send(pnbd_fit(x, t_x, "T" ORDER BY monetary DESC NULLS FIRST, customer_id DESC))
             FROM tap_pnbd.summary),
          (SELECT m FROM tap_pnbd.serial), 'rows in another order give the same model');
SELECT is((SELECT count(*) FROM tap_pnbd.models WHERE pnbd_send(m::text::pnbd) IS DISTINCT FROM pnbd_send(m)),
          0::bigint, 'text round trip of the fitted model, byte for byte');

-- One model per group (GROUP BY cohort): each equals the fit of its group alone; and the
-- bgnbd_fit state it shares is combined into the same fit as one pass (a UNION ALL of two halves
-- under parallel workers).
SELECT is((SELECT count(*) FROM (SELECT customer_id % 3 AS g, pnbd_fit(x, t_x, "T") AS m
                                   FROM tap_pnbd.summary GROUP BY 1) f
            WHERE pnbd_send(m) IS DISTINCT FROM
                  (SELECT pnbd_send(pnbd_fit(x, t_x, "T")) FROM tap_pnbd.summary WHERE customer_id % 3 = f.g)),
          0::bigint, 'GROUP BY fits one model per group, each = the fit of its group alone');
CALL pg_temp.force_parallel();
SELECT is((SELECT pnbd_send(pnbd_fit(x, t_x, "T"))
             FROM (SELECT * FROM tap_pnbd.summary WHERE customer_id % 2 = 0
                   UNION ALL SELECT * FROM tap_pnbd.summary WHERE customer_id % 2 = 1) u),
          (SELECT m FROM tap_pnbd.serial), 'partial states of two halves combine into the one-pass model');
CALL pg_temp.force_serial();

-- Scoring reads every customer; the 5-argument p_alive falls with t from p_alive at t = 0.
SELECT is((SELECT count(*) FROM tap_pnbd.summary s, tap_pnbd.models f
            WHERE s.x IS NOT NULL
              AND NOT (p_alive(m, x, t_x, "T") BETWEEN 0 AND 1
                       AND p_alive(m, x, t_x, "T", 0) = p_alive(m, x, t_x, "T")
                       AND p_alive(m, x, t_x, "T", 52) <= p_alive(m, x, t_x, "T")
                       AND expected_purchases(m, 52, x, t_x, "T") BETWEEN 0 AND 1e6
                       AND p_no_purchase(m, 52, x, t_x, "T") BETWEEN 0 AND 1)), 0::bigint,
          'every warehouse customer scores: probabilities in [0, 1], P(alive) falling, E[Y(52)] finite');
SELECT ok((SELECT abs(expected_purchases(m, 52, 0, 0, 0) - expected_purchases(m, 52)) < 1e-12
             FROM tap_pnbd.models),
          'a new customer''s E[X(t)] = the conditional expectation at x = t_x = T = 0');
-- prob_purchases on the warehouse model: the distribution of a year sums to 1 with mean E[X(52)];
-- P(X(t) = 0) is p_no_purchase at x = t_x = T = 0.
SELECT ok((SELECT abs(sum(p) - 1) < 1e-9
                  AND abs(sum(n * p) - (SELECT expected_purchases(m, 52) FROM tap_pnbd.models)) < 1e-9
                  AND min(p) >= 0 AND max(p) <= 1
             FROM tap_pnbd.models, generate_series(0, 3000) n, LATERAL (SELECT prob_purchases(m, n, 52) AS p) q),
          'P(X(52) = n) in [0, 1], summing to 1 with mean expected_purchases(m, 52)');
SELECT is((SELECT count(*) FROM tap_pnbd.models, (VALUES (0), (0.5), (13), (52), (520)) h(t)
            WHERE abs(prob_purchases(m, 0, t) - p_no_purchase(m, t, 0, 0, 0)) > 1e-14), 0::bigint,
          'P(X(t) = 0) = p_no_purchase(m, t, 0, 0, 0)');
-- clv on pnbd is the bgnbd's formula: undiscounted, it telescopes to E[Y] x expected spend.
SELECT ok((SELECT abs(clv(m, g, 3, 20, 40, 30, 12, '1 week', 0)
                      - expected_purchases(m, 12, 3, 20, 40) * expected_spend(g, 3, 30)) < 1e-9
             FROM tap_pnbd.models, (SELECT gamma_gamma_fit(x, monetary) AS g FROM tap_pnbd.summary) gg),
          'clv(pnbd, ...) undiscounted = E[Y(12 weeks)] x expected spend');

\i test/pgtap/lib/end.psql
