-- btyd_mbgnbd properties. On the CDNOW sample (Hardie's 2,357 customers, read from
-- $PROFILING_CDNOW_DIR, by default ../shared/data/cdnow; skipped when absent, never copied into
-- the repository): the MBG/NBD fit reaches BTYDplus's published estimates, and the holdout
-- check of the BG/NBD (calibration to 1997-09-30, holdout to 1998-06-30) equals the plain SQL
-- over the same data. On the small sample warehouse: parallel = serial, counted patterns =
-- rows, rollup = one pass, P(alive) t units ahead at t = 0 = P(alive). Models and checks are
-- compared by their bytes (send), never by their text or their own =.
\i test/pgtap/lib/begin.psql
SELECT plan(28);

-- CDNOW ---------------------------------------------------------------------------------------------
\i test/pgtap/lib/cdnow_sample.psql
SET TimeZone = 'UTC';
CREATE TABLE pg_temp.cd_split AS
SELECT sample_id AS id,
       (holdout(purchase_history(d::timestamptz, dollars), '1997-09-30', '1998-06-30')).*
  FROM pg_temp.cd_orders GROUP BY sample_id;
CREATE TABLE pg_temp.cd_fit AS
SELECT mbgnbd_fit(x, t_x, "T") AS mb, bgnbd_fit(x, t_x, "T") AS bg FROM pg_temp.cd_split;
CREATE TABLE pg_temp.cd_check AS
SELECT holdout_check(x, expected_purchases(bg, t_holdout, x, t_x, "T"), x_holdout) AS hc
  FROM pg_temp.cd_split, pg_temp.cd_fit;
-- The plain SQL of the check: holdout purchase days per customer (a day on which a customer
-- ordered several times is one purchase, as in the calibration summary), by frequency bucket.
CREATE TABLE pg_temp.cd_plain AS
WITH days AS (
    SELECT DISTINCT sample_id AS id, d FROM pg_temp.cd_orders
     WHERE d > '1997-09-30' AND d <= '1998-06-30'),
per_customer AS (
    SELECT s.id, s.x, expected_purchases(f.bg, 39, s.x, s.t_x, s."T") AS predicted,
           (SELECT count(*) FROM days WHERE days.id = s.id) AS actual
      FROM pg_temp.cd_split s, pg_temp.cd_fit f)
SELECT CASE WHEN x >= 7 THEN '7+' ELSE x::text END AS bucket, count(*) AS customers,
       sum(predicted) AS predicted, sum(actual) AS actual
  FROM per_customer GROUP BY 1;
CREATE FUNCTION pg_temp.rel_err(a float8, b float8) RETURNS float8 LANGUAGE sql AS $$
    SELECT abs(a - b) / abs(b)
$$;

\if :cdnow_present
-- BTYDplus's CDNOW estimates, to their 3 decimals; our exact MLE: r = 0.5248432,
-- alpha = 6.1830853, a = 0.8913594, b = 1.6140022, LL = -9582.1357.
SELECT ok((SELECT abs(r - 0.525) <= 0.0005 AND abs(alpha - 6.183) <= 0.0005
                  AND abs(a - 0.891) <= 0.0005 AND abs(b - 1.614) <= 0.0005
             FROM pg_temp.cd_fit, params(mb)),
          'CDNOW MBG/NBD: r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 (BTYDplus, 3 decimals)');
SELECT ok((SELECT pg_temp.rel_err(ll, -9582.1357) < 1e-8 AND customers = 2357 AND converged
                  AND se_r > 0 AND se_alpha > 0 AND se_a > 0 AND se_b > 0
             FROM pg_temp.cd_fit, params(mb)),
          'CDNOW MBG/NBD: LL = -9582.1357, 2357 customers, converged, standard errors positive');
SELECT ok((SELECT m.ll > g.ll FROM pg_temp.cd_fit, params(mb) m, params(bg) g),
          'CDNOW: the MBG/NBD''s likelihood is above the BG/NBD''s (-9582.136 > -9582.429)');
SELECT is((SELECT count(*) FROM pg_temp.cd_split, pg_temp.cd_fit
            WHERE x = 0 AND NOT (p_alive(mb, x, t_x, "T") < 1 AND p_alive(bg, x, t_x, "T") = 1)),
          0::bigint, 'CDNOW: each of the 1,411 customers without a repeat purchase has P(alive) < 1 by the MBG/NBD, 1 by the BG/NBD');
-- The holdout check of the BG/NBD: the data give 1,882 repeat purchase days in the 39-week
-- holdout (1,959 order lines), and the conditional expectations 1,653.4.
SELECT is((SELECT array_agg(row(bucket, customers, actual)::text ORDER BY bucket) FROM buckets((SELECT hc FROM pg_temp.cd_check))),
          (SELECT array_agg(row(bucket, customers, actual)::text ORDER BY bucket)
             FROM (SELECT * FROM pg_temp.cd_plain
                   UNION ALL SELECT 'total', sum(customers), sum(predicted), sum(actual) FROM pg_temp.cd_plain) p),
          'CDNOW holdout check: customers and actual purchase days per bucket and in total = the plain SQL');
SELECT is((SELECT count(*) FROM buckets((SELECT hc FROM pg_temp.cd_check)) b JOIN pg_temp.cd_plain p USING (bucket)
            WHERE abs(b.predicted - p.predicted) > 1e-9 * p.customers), 0::bigint,
          'CDNOW holdout check: predicted purchases per bucket = the plain SQL sum (within 1e-9 a customer)');
SELECT is((SELECT row(customers, actual, round(predicted::numeric, 1))::text
             FROM buckets((SELECT hc FROM pg_temp.cd_check)) WHERE bucket = 'total'),
          '(2357,1882,1653.4)', 'CDNOW holdout: 2,357 customers, 1,882 actual, 1,653.4 predicted by the BG/NBD');
SELECT ok((SELECT abs(mean_absolute_error(hc) - (SELECT sum(abs(predicted - actual)) / sum(customers) FROM pg_temp.cd_plain)) < 1e-9
             FROM pg_temp.cd_check),
          'CDNOW holdout: mean_absolute_error = sum over buckets of |predicted - actual| / customers');
\else
SELECT skip('CDNOW data not found (set PROFILING_CDNOW_DIR)', 8);
\endif

-- The small sample warehouse -------------------------------------------------------------------------
CALL sample_warehouse.build('tap_mbg', 'small', 42);
CALL pg_temp.force_serial();
SELECT reference_date AS as_of FROM tap_mbg.warehouse_info \gset
-- Calibration to 26 weeks before the reference date, holdout to it.
CREATE TABLE tap_mbg.split AS
SELECT customer_id,
       (holdout(purchase_history(ordered_at, amount), :'as_of'::timestamptz - interval '182 days', :'as_of')).*
  FROM tap_mbg.orders GROUP BY 1;
ANALYZE tap_mbg.split;
CREATE TABLE tap_mbg.models AS SELECT mbgnbd_fit(x, t_x, "T") AS mb, bgnbd_fit(x, t_x, "T") AS bg FROM tap_mbg.split;
CREATE TABLE tap_mbg.scored AS
SELECT s.*, expected_purchases(m.mb, t_holdout, x, t_x, "T") AS predicted FROM tap_mbg.split s, tap_mbg.models m;
ANALYZE tap_mbg.scored;
CREATE TABLE tap_mbg.serial AS
SELECT mbgnbd_send(mb) AS mb,
       (SELECT holdout_check_send(holdout_check(x, predicted, x_holdout)) FROM tap_mbg.scored) AS hc
  FROM tap_mbg.models;
SELECT cmp_ok((SELECT count(*) FROM tap_mbg.split WHERE x IS NOT NULL), '>', 500::bigint,
              'more than 500 warehouse customers in the calibration cohort');
SELECT ok((SELECT customers > 500 AND ll::text NOT IN ('NaN', '-Infinity') FROM tap_mbg.models, params(mb)),
          'the warehouse MBG/NBD: a model with a finite likelihood');

-- Serial = parallel = counted patterns = another order, byte for byte.
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT mbgnbd_send(mbgnbd_fit(x, t_x, "T"))::text FROM tap_mbg.split$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'mbgnbd_fit runs as a partial aggregate on two workers',
    (SELECT mb::text FROM tap_mbg.serial), 'mbgnbd_fit: parallel = serial, byte for byte');
SELECT pg_temp.runs_and_gives($$SELECT holdout_check_send(holdout_check(x, predicted, x_holdout))::text FROM tap_mbg.scored$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'holdout_check runs as a partial aggregate on two workers',
    (SELECT hc::text FROM tap_mbg.serial), 'holdout_check: parallel = serial, byte for byte');
SET LOCAL force_parallel_mode = regress;
SELECT is((SELECT mbgnbd_send(mbgnbd_fit(x, t_x, "T")) FROM tap_mbg.split), (SELECT mb FROM tap_mbg.serial),
          'force_parallel_mode = regress gives the same MBG/NBD');
SELECT is((SELECT holdout_check_send(holdout_check(x, predicted, x_holdout)) FROM tap_mbg.scored), (SELECT hc FROM tap_mbg.serial),
          'force_parallel_mode = regress gives the same holdout check');
CALL pg_temp.force_serial();
SELECT is((SELECT mbgnbd_send(mbgnbd_fit(x, t_x, "T", n))
             FROM (SELECT x, t_x, "T", count(*) AS n FROM tap_mbg.split GROUP BY 1, 2, 3) p),
          (SELECT mb FROM tap_mbg.serial), 'mbgnbd_fit on counted patterns = on rows, byte for byte');
SELECT is((SELECT mbgnbd_send(mbgnbd_fit(x, t_x, "T" ORDER BY monetary DESC NULLS FIRST, customer_id DESC))
             FROM tap_mbg.split),
          (SELECT mb FROM tap_mbg.serial), 'mbgnbd_fit: rows in another order give the same model');
SELECT is((SELECT holdout_check_send(holdout_check(x, predicted, x_holdout ORDER BY predicted DESC, customer_id))
             FROM tap_mbg.scored),
          (SELECT hc FROM tap_mbg.serial), 'holdout_check: rows in another order give the same check');
-- rollup of the checks of groups = one pass over all rows, exactly.
SELECT is((SELECT holdout_check_send(rollup(c))
             FROM (SELECT customer_id % 7 AS g, holdout_check(x, predicted, x_holdout) AS c
                     FROM tap_mbg.scored GROUP BY 1) s),
          (SELECT hc FROM tap_mbg.serial), 'rollup of the checks of 7 groups = one pass, byte for byte');
SELECT is((SELECT count(*) FROM tap_mbg.models f
            WHERE mbgnbd_send(mb::text::mbgnbd) IS DISTINCT FROM mbgnbd_send(mb)), 0::bigint,
          'text round trip of the fitted MBG/NBD, byte for byte');
SELECT is((SELECT holdout_check_send(hc::text::holdout_check) FROM
             (SELECT holdout_check(x, predicted, x_holdout) AS hc FROM tap_mbg.scored) s),
          (SELECT hc FROM tap_mbg.serial), 'text round trip of the holdout check, byte for byte');
-- The check = the plain SQL: per bucket, customers, actual and predicted (within 1e-9 a customer).
SELECT is((SELECT count(*) FROM buckets((SELECT holdout_check(x, predicted, x_holdout) FROM tap_mbg.scored)) b
             FULL JOIN (SELECT CASE WHEN x >= 7 THEN '7+' ELSE x::text END AS bucket, count(*) AS customers,
                               sum(predicted) AS predicted, sum(x_holdout) AS actual
                          FROM tap_mbg.scored WHERE x IS NOT NULL GROUP BY 1
                        UNION ALL
                        SELECT 'total', count(*), sum(predicted), sum(x_holdout) FROM tap_mbg.scored WHERE x IS NOT NULL) p
               USING (bucket)
            WHERE b.customers IS DISTINCT FROM p.customers OR b.actual IS DISTINCT FROM p.actual
               OR NOT abs(b.predicted - p.predicted) <= 1e-9 * p.customers
               OR b.error IS DISTINCT FROM b.predicted - b.actual AND abs(b.error - (b.predicted - b.actual)) > 1e-9 * p.customers),
          0::bigint, 'the warehouse holdout check = the plain SQL per bucket and in total');

-- Scoring every customer: probabilities in [0, 1]; P(alive) ahead at t = 0 is P(alive) and
-- does not grow with t; customers without a repeat purchase are below 1 by the MBG/NBD.
SELECT is((SELECT count(*) FROM tap_mbg.split s, tap_mbg.models f
            WHERE s.x IS NOT NULL
              AND NOT (p_alive(mb, x, t_x, "T") BETWEEN 0 AND 1
                       AND expected_purchases(mb, 52, x, t_x, "T") BETWEEN 0 AND 1e6
                       AND p_no_purchase(mb, 52, x, t_x, "T") BETWEEN 0 AND 1)), 0::bigint,
          'every warehouse customer scores by the MBG/NBD: probabilities in [0, 1], expectations finite');
SELECT is((SELECT count(*) FROM tap_mbg.split s, tap_mbg.models f
            WHERE s.x IS NOT NULL
              AND (p_alive(mb, x, t_x, "T", 0) IS DISTINCT FROM p_alive(mb, x, t_x, "T")
                   OR p_alive(bg, x, t_x, "T", 0) IS DISTINCT FROM p_alive(bg, x, t_x, "T"))), 0::bigint,
          'P(alive at T + 0) = P(alive at T) for every customer, BG/NBD and MBG/NBD');
SELECT is((SELECT count(*) FROM tap_mbg.split s, tap_mbg.models f
            WHERE s.x IS NOT NULL
              AND NOT (p_alive(mb, x, t_x, "T", 52) <= p_alive(mb, x, t_x, "T", 4)
                       AND p_alive(mb, x, t_x, "T", 4) <= p_alive(mb, x, t_x, "T")
                       AND p_alive(bg, x, t_x, "T", 52) <= p_alive(bg, x, t_x, "T", 4)
                       AND p_alive(bg, x, t_x, "T", 4) <= p_alive(bg, x, t_x, "T"))), 0::bigint,
          'P(alive at T + t) does not grow with t, for every customer');
SELECT is((SELECT count(*) FROM tap_mbg.split s, tap_mbg.models f
            WHERE s.x = 0 AND NOT p_alive(mb, x, t_x, "T") < 1), 0::bigint,
          'the MBG/NBD gives every warehouse customer without a repeat purchase P(alive) < 1');
SELECT ok((SELECT abs(expected_purchases(mb, 52, 0, 0, 0) - expected_purchases(mb, 52)) < 1e-12
             FROM tap_mbg.models f),
          'a new customer''s E[X(t)] = the conditional expectation at x = t_x = T = 0 (MBG/NBD)');

\i test/pgtap/lib/end.psql
