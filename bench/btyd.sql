-- btyd benchmarks (run by bench/run.sh; they do not read the sample warehouse).
-- (a) CDNOW master (23,570 customers, 69,659 orders, some repeat purchases worth $0, which the
--     Gamma-Gamma fit refuses: they are filtered out; read from $PROFILING_CDNOW_DIR, by default
--     ../shared/data/cdnow, skipped when absent): the BG/NBD and Gamma-Gamma fits on the stored
--     summaries (calibration to 1997-09-30, weeks); the summaries from stored purchase
--     histories; and scoring every customer (P(alive), expected purchases in 52 weeks, expected
--     spend).
-- A million simulated customers is still to be measured here: it needs a generator that draws
-- from a BG/NBD (hash-derived patterns run the fit to the boundary for 200 iterations).
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
SELECT * FROM bench.compare('(a) CDNOW BG/NBD fit vs Gamma-Gamma fit', :'fit_gg', :'fit_bg', 0)
UNION ALL
SELECT * FROM bench.compare('(a) CDNOW summaries vs scoring every customer', :'summary_sql', :'score', 0);
DROP TABLE bench.cdnow_orders, bench.cdnow_histories, bench.cdnow_summary, bench.cdnow_models;
\else
\echo '(a) skipped: CDNOW data not found (set PROFILING_CDNOW_DIR)'
\endif

