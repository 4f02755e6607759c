-- btyd_simulate properties: customers drawn by simulate() from a known BG/NBD (r = 0.25,
-- alpha = 4, a = 0.8, b = 2.5, close to CDNOW's; T uniform over 30..80 units) are fitted back
-- by bgnbd_fit, its standard errors cover the truth at the stated rate, and the model's
-- predictions match the simulated customers: E[X(T)], and a holdout (the same seed observed
-- longer is the same customers observed longer). Every seed is fixed, so each assertion passes
-- or fails for good; the tolerances are chosen so that a correct fit would pass for almost
-- every seed (stated at each), and a biased fit or wrong standard errors would not.
\i test/pgtap/lib/begin.psql
SELECT plan(16);

CREATE FUNCTION pg_temp.truth() RETURNS profiling.bgnbd LANGUAGE sql IMMUTABLE AS $$
    SELECT '(r=0.25, alpha=4, a=0.8, b=2.5, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd
$$;
CREATE FUNCTION pg_temp.rel_err(a float8, b float8) RETURNS float8 LANGUAGE sql AS $$
    SELECT abs(a - b) / abs(b)
$$;

-- Recovery on 50,000 customers ----------------------------------------------------------------
-- At 50k the standard errors are about 0.9% of r, 1.6% of alpha, 3.4% of a and 4.5% of b. The
-- tolerances, 5% / 8% / 15% / 20%, are 4.4 to 5.6 standard errors: a correct fit misses one
-- with probability below 1e-4, whatever the seed.
CREATE TEMP TABLE sim50 AS SELECT * FROM simulate(pg_temp.truth(), 50000, 30, 80, 2026);
CREATE TEMP TABLE fit50 AS SELECT (params(bgnbd_fit(x, t_x, "T"))).* FROM sim50;
SELECT ok((SELECT converged AND customers = 50000 FROM fit50), '50k simulated customers: the fit converges');
SELECT ok((SELECT pg_temp.rel_err(r, 0.25) < 0.05 AND pg_temp.rel_err(alpha, 4) < 0.08 FROM fit50),
          '50k: r within 5% of 0.25, alpha within 8% of 4');
SELECT ok((SELECT pg_temp.rel_err(a, 0.8) < 0.15 AND pg_temp.rel_err(b, 2.5) < 0.20 FROM fit50),
          '50k: a within 15% of 0.8, b within 20% of 2.5');
-- The simulated mean of x against the model's E[X(T)] for each customer's T: the residuals
-- x - E[X(T)] are independent with mean 0, so their mean is within 4 of its standard errors
-- (a correct simulator fails with probability 6e-5).
SELECT ok((SELECT abs(avg(x - e)) <= 4 * sqrt(avg((x - e) ^ 2) / count(*))
             FROM (SELECT x, expected_purchases(pg_temp.truth(), "T") AS e FROM sim50) s),
          '50k: the mean x = the mean of the model''s E[X(T)] over the customers'' T (within 4 standard errors)');

-- Times rounded to days, as btyd_summary's are: 400,000 customers share about 159,000 (x, t_x,
-- T) patterns, many with large counts. The fit converges as fast as on continuous times (about
-- 24 iterations); with a plain sum of the log-likelihood its rounding hid the last decreases and
-- the optimiser backtracked for 36 iterations and 155 evaluations (80 iterations on a million).
SELECT ok((SELECT converged AND iterations < 30
             FROM (SELECT (params(bgnbd_fit(x, round(t_x * 7) / 7, round("T" * 7) / 7))).*
                     FROM simulate(pg_temp.truth(), 400000, 30, 80, 1)) p),
          '400k customers in whole days: the fit converges in under 30 iterations');

-- Coverage of the standard errors over 20 seeds of 20,000 customers ---------------------------
-- Each fit's 95% interval, estimate +- 1.96 standard errors, should cover the true value in 19
-- of 20 fits on average. With exact coverage the count is Binomial(20, 0.95): P(count <= 15) =
-- 0.0026, so "at least 16 of 20" fails a correct fit once in 400 per parameter; over the 80
-- intervals, Binomial(80, 0.95), P(count <= 70) = 0.0065. Standard errors too small by a third
-- (coverage 0.81) fail the per-parameter check with probability 0.37 and the total with 0.97.
CREATE TEMP TABLE coverage AS
SELECT seed, p.*
  FROM generate_series(1, 20) seed,
       LATERAL (SELECT bgnbd_fit(x, t_x, "T") AS f FROM simulate(pg_temp.truth(), 20000, 30, 80, seed)) q,
       params(q.f) p;
SELECT is((SELECT count(*) FILTER (WHERE converged AND se_r > 0 AND se_alpha > 0 AND se_a > 0 AND se_b > 0) FROM coverage),
          20::bigint, '20 seeds x 20k customers: every fit converges with standard errors');
SELECT cmp_ok((SELECT count(*) FROM coverage WHERE abs(r - 0.25) <= 1.96 * se_r), '>=', 16::bigint,
              'r: the 95% interval covers 0.25 in at least 16 of 20 fits');
SELECT cmp_ok((SELECT count(*) FROM coverage WHERE abs(alpha - 4) <= 1.96 * se_alpha), '>=', 16::bigint,
              'alpha: the 95% interval covers 4 in at least 16 of 20 fits');
SELECT cmp_ok((SELECT count(*) FROM coverage WHERE abs(a - 0.8) <= 1.96 * se_a), '>=', 16::bigint,
              'a: the 95% interval covers 0.8 in at least 16 of 20 fits');
SELECT cmp_ok((SELECT count(*) FROM coverage WHERE abs(b - 2.5) <= 1.96 * se_b), '>=', 16::bigint,
              'b: the 95% interval covers 2.5 in at least 16 of 20 fits');
SELECT cmp_ok((SELECT sum((abs(r - 0.25) <= 1.96 * se_r)::int + (abs(alpha - 4) <= 1.96 * se_alpha)::int
                          + (abs(a - 0.8) <= 1.96 * se_a)::int + (abs(b - 2.5) <= 1.96 * se_b)::int)
                 FROM coverage), '>=', 71::bigint,
              'all four: at least 71 of the 80 intervals cover the truth');

-- A holdout: the same seed observed longer ----------------------------------------------------
-- With a fixed T, customer k's purchases up to 52 are the same whether it is observed to 52 or
-- to 78, so the two draws are a calibration period and a 26-unit holdout of one cohort.
CREATE TEMP TABLE holdout AS
SELECT c.customer, c.x, c.t_x, c."T", h.x - c.x AS x_holdout, h.t_x AS t_x_78
  FROM simulate(pg_temp.truth(), 50000, 52, 7) c JOIN simulate(pg_temp.truth(), 50000, 78, 7) h USING (customer);
SELECT is((SELECT count(*) FROM holdout
            WHERE x_holdout < 0 OR (x_holdout = 0 AND t_x_78 <> t_x) OR (x_holdout > 0 AND t_x_78 <= 52)),
          0::bigint, 'observed to 78, every customer has its purchases to 52 and then only later ones');
-- The model's conditional predictions for the holdout against what the customers did: the
-- residuals are independent with mean 0 given the calibration, so their mean is within 4
-- standard errors.
SELECT ok((SELECT abs(avg(x_holdout - e)) <= 4 * sqrt(avg((x_holdout - e) ^ 2) / count(*))
                  AND abs(avg((x_holdout = 0)::int - p0)) <= 4 * sqrt(avg(((x_holdout = 0)::int - p0) ^ 2) / count(*))
             FROM (SELECT x_holdout, expected_purchases(pg_temp.truth(), 26, x, t_x, "T") AS e,
                          p_no_purchase(pg_temp.truth(), 26, x, t_x, "T") AS p0 FROM holdout) s),
          'holdout of 26 units: purchases = expected_purchases and the share without any = p_no_purchase (within 4 standard errors)');

-- Cancel and parallel -------------------------------------------------------------------------
-- A statement that draws many customers stops at a cancel (each row checks for interrupts), and
-- so does one customer with an endless stream of purchases (a purchase rate of about 1e9 per
-- unit and a dropout probability near 0: the simulator calls back every 65,536 purchases).
-- cancel_code(query) runs query and returns the SQLSTATE of a cancel it catches ('finished'
-- when the query ends first); the 300 ms statement_timeout times each assertion's statement.
CREATE FUNCTION pg_temp.cancel_code(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN SQLSTATE;
END $$;
SET LOCAL statement_timeout = 300;
SELECT is(pg_temp.cancel_code($$SELECT count(*) FROM simulate(pg_temp.truth(), 2000000000, 52, 1)$$), '57014',
          'a cancel stops the drawing of two billion customers');
SELECT is(pg_temp.cancel_code($$SELECT count(*) FROM simulate('(r=1000000, alpha=0.001, a=0.000001, b=1000000, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)', 1, 1, 1)$$),
          '57014', 'a cancel stops one customer''s endless purchases');
SET LOCAL statement_timeout = 0;
-- simulate is PARALLEL SAFE: run in a parallel worker, it gives the same customers.
CREATE TEMP TABLE serial_draw AS
SELECT sum(x) AS x, sum(t_x) AS t_x, sum("T") AS "T" FROM simulate(pg_temp.truth(), 10000, 30, 80, 5);
SET LOCAL force_parallel_mode = regress;
SELECT is((SELECT ROW(sum(x), sum(t_x), sum("T"))::text FROM simulate(pg_temp.truth(), 10000, 30, 80, 5)),
          (SELECT ROW(x, t_x, "T")::text FROM serial_draw), 'in a parallel worker (force_parallel_mode = regress): the same customers');
SET LOCAL force_parallel_mode = off;

\i test/pgtap/lib/end.psql
