-- btyd benchmarks (run by bench/run.sh; they do not read the sample warehouse).
-- (a) CDNOW master (23,570 customers, 69,659 orders, some repeat purchases worth $0, which the
--     Gamma-Gamma fit refuses: they are filtered out; read from $PROFILING_CDNOW_DIR, by default
--     ../shared/data/cdnow, skipped when absent): the BG/NBD, MBG/NBD, Pareto/NBD and
--     Gamma-Gamma fits on the stored summaries (calibration to 1997-09-30, weeks); the summaries from stored purchase
--     histories; and scoring every customer (P(alive), expected purchases in 52 weeks, expected
--     spend).
-- (b) 1,000,000 customers simulated by profiling.simulate from a BG/NBD close to CDNOW's (r =
--     0.25, alpha = 4, a = 0.8, b = 2.5, T uniform over 30..80 weeks), stored: the BG/NBD fit,
--     as drawn (continuous times: every customer its own pattern) and rounded to days (as
--     btyd_summary's are), and scoring every customer (P(alive), expected purchases in 52
--     weeks); then the same fits with scipy (bench/btyd_scipy.py: the straightforward Python
--     maximum-likelihood fit, Debian's python3-scipy, skipped when absent) on CDNOW master and
--     on the 1M customers, exported to a temporary CSV file: both sides' parameters, their
--     largest relative difference, and the time ratio.
-- Every output is consumed (each fit's text, sums of the scores). Timings are medians of
-- alternating runs (bench.compare, serial and with 2 workers).
SET TimeZone = 'UTC';

\getenv cdnow_dir PROFILING_CDNOW_DIR
\if :{?cdnow_dir}
\else
\set cdnow_dir ../shared/data/cdnow
\endif
\set cdnow_master :cdnow_dir/cdnow_master.csv
\set cdnow_present `test -r :'cdnow_master' && echo 1 || echo 0`

\if :cdnow_present
\set cdnow_text `cat :'cdnow_master'`
CREATE TABLE bench.cdnow_orders AS
SELECT f[1]::int AS customer_id, f[2]::date::timestamptz AS ordered_at, f[4]::numeric AS amount
  FROM regexp_split_to_table(:'cdnow_text', E'\r?\n') WITH ORDINALITY AS l(line, n),
       string_to_array(line, ',') AS f
 WHERE n > 1 AND line <> '';
\unset cdnow_text
CREATE TABLE bench.cdnow_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench.cdnow_orders GROUP BY 1;
CREATE TABLE bench.cdnow_summary AS
SELECT customer_id, (profiling.btyd_summary(h, '1997-09-30')).* FROM bench.cdnow_histories;
VACUUM ANALYZE bench.cdnow_histories, bench.cdnow_summary;
CREATE TABLE bench.cdnow_models AS
SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg,
       profiling.gamma_gamma_fit(x, monetary) FILTER (WHERE monetary > 0) AS gg
  FROM bench.cdnow_summary;

\echo 'CDNOW master: customers, distinct patterns, and the fitted models'
SELECT count(*) AS customers, count(DISTINCT (x, t_x, "T")) AS patterns,
       count(*) FILTER (WHERE x > 0) AS repeat_customers FROM bench.cdnow_summary;
SELECT (profiling.params(bg)).*, (profiling.params(gg)).* FROM bench.cdnow_models;

\set summary_sql 'SELECT count(*), sum(x), sum(t_x), sum("T"), sum(monetary) FROM (SELECT (profiling.btyd_summary(h, ''1997-09-30'')).* FROM bench.cdnow_histories) s'
\set fit_bg 'SELECT length(profiling.bgnbd_fit(x, t_x, "T")::text) FROM bench.cdnow_summary'
\set fit_gg 'SELECT length(profiling.gamma_gamma_fit(x, monetary) FILTER (WHERE monetary > 0)::text) FROM bench.cdnow_summary'
\set score 'SELECT sum(profiling.p_alive(m.bg, x, t_x, "T")), sum(profiling.expected_purchases(m.bg, 52, x, t_x, "T")), sum(profiling.expected_spend(m.gg, x, nullif(monetary, 0))) FROM bench.cdnow_summary, bench.cdnow_models m'
\echo '(a) CDNOW master: the BG/NBD fit vs. the Gamma-Gamma fit, the summaries, and scoring every customer'
\set fit_mbg 'SELECT length(profiling.mbgnbd_fit(x, t_x, "T")::text) FROM bench.cdnow_summary'
\set fit_pnbd 'SELECT length(profiling.pnbd_fit(x, t_x, "T")::text) FROM bench.cdnow_summary'
SELECT (profiling.params(profiling.mbgnbd_fit(x, t_x, "T"))).*
  FROM bench.cdnow_summary;
SELECT (profiling.params(profiling.pnbd_fit(x, t_x, "T"))).*
  FROM bench.cdnow_summary;
SELECT * FROM bench.compare('(a) CDNOW BG/NBD fit vs Gamma-Gamma fit', :'fit_gg', :'fit_bg', 0)
UNION ALL
SELECT * FROM bench.compare('(a) CDNOW BG/NBD fit vs MBG/NBD fit', :'fit_bg', :'fit_mbg', 0)
UNION ALL
SELECT * FROM bench.compare('(a) CDNOW BG/NBD fit vs Pareto/NBD fit', :'fit_bg', :'fit_pnbd', 0)
UNION ALL
SELECT * FROM bench.compare('(a) CDNOW summaries vs scoring every customer', :'summary_sql', :'score', 0);
-- (b) compares the CDNOW fit with scipy: the summaries stay until its end.
DROP TABLE bench.cdnow_orders, bench.cdnow_histories;
\else
\echo '(a) skipped: CDNOW data not found (set PROFILING_CDNOW_DIR)'
\endif

-- (b) 1,000,000 simulated customers -------------------------------------------------------------
CREATE TABLE bench.sim_model AS
SELECT '(r=0.25, alpha=4, a=0.8, b=2.5, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd AS m;
\echo '(b) simulating 1,000,000 customers (ms)'
SELECT round(bench.time_ms($$CREATE TABLE bench.sim_customers AS
    SELECT * FROM profiling.simulate((SELECT m FROM bench.sim_model), 1000000, 30, 80, 1)$$)::numeric) AS simulate_ms;
CREATE TABLE bench.sim_days AS
SELECT customer, x, round(t_x * 7) / 7 AS t_x, round("T" * 7) / 7 AS "T" FROM bench.sim_customers;
VACUUM ANALYZE bench.sim_customers, bench.sim_days;
CREATE TABLE bench.sim_fit AS SELECT profiling.bgnbd_fit(x, t_x, "T") AS bg FROM bench.sim_customers;

\echo '(b) the 1M customers: distinct patterns, and the fit (true: r = 0.25, alpha = 4, a = 0.8, b = 2.5)'
SELECT 'continuous' AS times, count(*) AS customers, count(DISTINCT (x, t_x, "T")) AS patterns,
       count(*) FILTER (WHERE x > 0) AS repeat_customers FROM bench.sim_customers
UNION ALL
SELECT 'days', count(*), count(DISTINCT (x, t_x, "T")), count(*) FILTER (WHERE x > 0) FROM bench.sim_days;
SELECT p.r, p.alpha, p.a, p.b, p.ll, p.converged, p.iterations, p.se_r, p.se_alpha, p.se_a, p.se_b
  FROM bench.sim_fit, profiling.params(bg) p;

\set sim_scan 'SELECT count(*), sum(x), sum(t_x), sum("T") FROM bench.sim_customers'
\set sim_fit 'SELECT length(profiling.bgnbd_fit(x, t_x, "T")::text) FROM bench.sim_customers'
\set days_scan 'SELECT count(*), sum(x), sum(t_x), sum("T") FROM bench.sim_days'
\set days_fit 'SELECT length(profiling.bgnbd_fit(x, t_x, "T")::text) FROM bench.sim_days'
\set sim_score 'SELECT sum(profiling.p_alive(f.bg, x, t_x, "T")), sum(profiling.expected_purchases(f.bg, 52, x, t_x, "T")) FROM bench.sim_customers, bench.sim_fit f'
\echo '(b) 1M simulated customers: reading the rows vs the BG/NBD fit, and vs scoring every customer'
-- The fit of the times rounded to days takes several times longer than the continuous one (more
-- iterations, more line-search steps each): one timed run of it.
CREATE TEMP TABLE sim_timing AS
SELECT * FROM bench.compare('(b) 1M simulated: scan vs BG/NBD fit', :'sim_scan', :'sim_fit', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(b) 1M simulated: scan vs BG/NBD fit', :'sim_scan', :'sim_fit', 2, 3)
UNION ALL
SELECT * FROM bench.compare('(b) 1M simulated, days: scan vs BG/NBD fit', :'days_scan', :'days_fit', 0, 1)
UNION ALL
SELECT * FROM bench.compare('(b) 1M simulated: scan vs scoring every customer', :'sim_scan', :'sim_score', 0, 3);
SELECT * FROM sim_timing;

-- scipy, on the same rows ----------------------------------------------------------------------
\getenv python PROFILING_PYTHON
\if :{?python}
\else
\set python /usr/bin/python3
\endif
\set scipy_present `:'python' -c 'import numpy, scipy' 2>/dev/null && echo 1 || echo 0`
\if :scipy_present
-- ours: the median serial fit; scipy's line: r alpha a b ll seconds evaluations customers.
CREATE TEMP TABLE scipy_side (data text, customers bigint, ours profiling.bgnbd, ours_ms float8, scipy text);
\if :cdnow_present
SELECT profiling_ms AS cdnow_ms FROM bench.compare('CDNOW master: scan vs BG/NBD fit',
    'SELECT count(*), sum(x), sum(t_x), sum("T") FROM bench.cdnow_summary', :'fit_bg', 0, 5) \gset
\set csv `mktemp --suffix=.csv`
COPY (SELECT x, t_x, "T" FROM bench.cdnow_summary) TO STDOUT (FORMAT csv) \g :csv
\set scipy_line `:'python' bench/btyd_scipy.py :'csv'; rm -f :'csv'`
INSERT INTO scipy_side SELECT 'CDNOW master', count(*), profiling.bgnbd_fit(x, t_x, "T"), :cdnow_ms, :'scipy_line'
  FROM bench.cdnow_summary;
\endif
SELECT profiling_ms AS sim_ms FROM sim_timing WHERE benchmark = '(b) 1M simulated: scan vs BG/NBD fit' AND parallel_workers = 0 \gset
\set csv `mktemp --suffix=.csv`
COPY (SELECT x, t_x, "T" FROM bench.sim_customers) TO STDOUT (FORMAT csv) \g :csv
\set scipy_line `:'python' bench/btyd_scipy.py :'csv'; rm -f :'csv'`
INSERT INTO scipy_side SELECT '1M simulated', count(*), (SELECT bg FROM bench.sim_fit), :sim_ms, :'scipy_line'
  FROM bench.sim_customers;
\echo '(b) BG/NBD fit: profiling vs scipy (BFGS on log-parameters, 3 starts) on the same rows'
SELECT s.data, s.customers, 'profiling' AS side, p.r, p.alpha, p.a, p.b, p.ll,
       round(s.ours_ms::numeric) AS fit_ms, NULL::numeric AS max_rel_diff, NULL::numeric AS time_ratio
  FROM scipy_side s, profiling.params(s.ours) p
UNION ALL
SELECT s.data, v[8]::bigint, 'scipy', v[1]::float8, v[2]::float8, v[3]::float8, v[4]::float8, v[5]::float8,
       round(v[6]::numeric * 1000),
       round(greatest(abs(v[1]::float8 / p.r - 1), abs(v[2]::float8 / p.alpha - 1),
                      abs(v[3]::float8 / p.a - 1), abs(v[4]::float8 / p.b - 1))::numeric, 6),
       round((v[6]::float8 * 1000 / s.ours_ms)::numeric, 0)
  FROM scipy_side s, profiling.params(s.ours) p, string_to_array(s.scipy, ' ') v
 ORDER BY 1, 3;
\else
\echo '(b) scipy comparison skipped: numpy and scipy not found for' :'python' '(Debian: apt-get install python3-scipy; or set PROFILING_PYTHON)'
\endif
DROP TABLE bench.sim_model, bench.sim_customers, bench.sim_days, bench.sim_fit;
\if :cdnow_present
DROP TABLE bench.cdnow_summary, bench.cdnow_models;
\endif
