-- btyd properties. On the CDNOW sample (Hardie's 2,357 customers, read from
-- $PROFILING_CDNOW_DIR, by default ../shared/data/cdnow; skipped when absent, never copied into
-- the repository): every summary equals the published one, and the BG/NBD and Gamma-Gamma fits
-- reach the published estimates. On the small sample warehouse: the summary = the plain SQL a
-- user writes; parallel = serial; a fit on counted patterns = on rows; rows in any order give
-- the same model. Models are compared by their bytes (bgnbd_send), never by their text.
\i test/pgtap/lib/begin.psql
SELECT plan(22);

-- CDNOW ---------------------------------------------------------------------------------------------
\i test/pgtap/lib/cdnow_sample.psql
\set cdnow_summary :cdnow_dir/cdnow_customers_summary_with_transactions.csv
CREATE TABLE pg_temp.cd_ref (id int, x int, t_x float8, "T" float8, zbar float8);
\if :cdnow_present
\set cd_summary_text `cat :'cdnow_summary'`
INSERT INTO pg_temp.cd_ref
SELECT f[1]::int, f[2]::int, f[3]::float8, f[4]::float8, f[5]::float8
  FROM regexp_split_to_table(:'cd_summary_text', E'\r?\n') WITH ORDINALITY AS l(line, n),
       string_to_array(line, ',') AS f
 WHERE n > 1 AND line <> '';
\endif
CREATE TABLE pg_temp.cd_summary AS
SELECT sample_id AS id, (btyd_summary(purchase_history(d::timestamptz, dollars), '1997-09-30')).*
  FROM pg_temp.cd_orders GROUP BY sample_id;
CREATE TABLE pg_temp.cd_fit AS
SELECT bgnbd_fit(x, t_x, "T") AS bg, gamma_gamma_fit(x, monetary) AS gg FROM pg_temp.cd_summary;
CREATE FUNCTION pg_temp.rel_err(a float8, b float8) RETURNS float8 LANGUAGE sql AS $$
    SELECT abs(a - b) / abs(b)
$$;

\if :cdnow_present
SELECT is((SELECT count(*) FROM pg_temp.cd_summary s JOIN pg_temp.cd_ref r USING (id)
            WHERE s.x = r.x AND round(s.t_x::numeric, 2) = r.t_x::numeric
              AND round(s."T"::numeric, 2) = r."T"::numeric
              AND (r.x = 0) = (s.monetary IS NULL)
              AND (r.x = 0 OR abs(s.monetary - r.zbar) <= 0.005 + 1e-9)), 2357::bigint,
          'CDNOW: each of the 2,357 summaries (x, t_x, T, mean repeat spend) is Hardie''s, to his 2 decimals');
SELECT ok((SELECT pg_temp.rel_err(r, 0.2425945) < 1e-6 AND pg_temp.rel_err(alpha, 4.4136019) < 1e-6
             FROM pg_temp.cd_fit, params(bg)),
          'CDNOW BG/NBD: r = 0.2425945, alpha = 4.4136019 (relative error below 1e-6)');
SELECT ok((SELECT pg_temp.rel_err(a, 0.7929199) < 1e-5 AND pg_temp.rel_err(b, 2.4258881) < 1e-5
             FROM pg_temp.cd_fit, params(bg)),
          'CDNOW BG/NBD: a = 0.7929199, b = 2.4258881 (relative error below 1e-5)');
SELECT ok((SELECT pg_temp.rel_err(ll, -9582.429) < 1e-7 AND customers = 2357 AND converged
             FROM pg_temp.cd_fit, params(bg)),
          'CDNOW BG/NBD: LL = -9582.429, 2357 customers, converged');
SELECT ok((SELECT se_r > 0 AND se_alpha > 0 AND se_a > 0 AND se_b > 0 AND se_r < r AND se_b < b
             FROM pg_temp.cd_fit, params(bg)),
          'CDNOW BG/NBD: standard errors positive and below the estimates');
SELECT ok((SELECT pg_temp.rel_err(expected_purchases(bg, 39, 2, 30.43, 38.86), 1.226) < 5e-4
                  AND pg_temp.rel_err(expected_purchases(bg, 78), 1.858) < 5e-4 FROM pg_temp.cd_fit),
          'CDNOW BG/NBD: E[Y(39) | 2, 30.43, 38.86] = 1.226 and E[X(78)] = 1.858');
SELECT ok((SELECT round(p::numeric, 2) = 6.25 AND round(q::numeric, 2) = 3.74
                  AND round(gamma::numeric, 2) = 15.44 AND abs(ll - -4055.92) < 0.005
                  AND customers = 946 AND converged
             FROM pg_temp.cd_fit, params(gg)),
          'CDNOW Gamma-Gamma (946 repeat customers): p = 6.25, q = 3.74, gamma = 15.44, LL = -4055.92');
\else
SELECT skip('CDNOW data not found (set PROFILING_CDNOW_DIR)', 7);
\endif

-- The small sample warehouse -------------------------------------------------------------------------
CALL sample_warehouse.build('tap_btyd', 'small', 42);
CALL pg_temp.force_serial();
CREATE TABLE tap_btyd.hist AS
SELECT customer_id, purchase_history(ordered_at, amount) AS h FROM tap_btyd.orders GROUP BY 1;
SELECT reference_date AS as_of FROM tap_btyd.warehouse_info \gset
CREATE TABLE tap_btyd.summary AS
SELECT customer_id, (btyd_summary(h, :'as_of')).* FROM tap_btyd.hist;
ANALYZE tap_btyd.summary;

-- The summary = the plain SQL: purchase days (UTC), their sums, the repeat days' mean.
CREATE TABLE tap_btyd.plain AS
WITH days AS (
    SELECT customer_id, (ordered_at AT TIME ZONE 'UTC')::date AS day, sum(amount) AS spend
      FROM tap_btyd.orders WHERE ordered_at <= :'as_of' GROUP BY 1, 2),
ranked AS (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k FROM days)
SELECT customer_id, (count(*) - 1)::int AS x, (max(day) - min(day)) / 7.0::float8 AS t_x,
       ((:'as_of'::timestamptz AT TIME ZONE 'UTC')::date - min(day)) / 7.0::float8 AS "T",
       avg(spend) FILTER (WHERE k > 1)::float8 AS monetary
  FROM ranked GROUP BY 1;
SELECT is((SELECT count(*) FROM tap_btyd.summary s FULL JOIN tap_btyd.plain p USING (customer_id)
            WHERE s.x IS NOT NULL OR p.x IS NOT NULL)
          - (SELECT count(*) FROM tap_btyd.summary s JOIN tap_btyd.plain p USING (customer_id)
              WHERE s.x = p.x AND s.t_x = p.t_x AND s."T" = p."T"
                AND ((s.monetary IS NULL AND p.monetary IS NULL)
                     OR abs(s.monetary - p.monetary) <= 1e-15 * p.monetary)), 0::bigint,
          'btyd_summary = the plain SQL over purchase days, for every customer with an order (monetary within 1e-15)');
SELECT cmp_ok((SELECT count(*) FROM tap_btyd.summary WHERE x > 0), '>', 500::bigint,
              'more than 500 warehouse customers have repeat purchases');

-- Serial = parallel = counted patterns = another order, byte for byte.
CREATE TABLE tap_btyd.models AS
SELECT bgnbd_fit(x, t_x, "T") AS bg, gamma_gamma_fit(x, monetary) AS gg FROM tap_btyd.summary;
CREATE TABLE tap_btyd.serial AS SELECT bgnbd_send(bg) AS bg, gamma_gamma_send(gg) AS gg FROM tap_btyd.models;
-- The warehouse's dropout is nearly the same for everyone, so the BG/NBD optimum lies at a, b ->
-- infinity: the fit says it stopped early, with finite parameters; Gamma-Gamma converges.
SELECT ok((SELECT NOT p.converged AND p.iterations = 200 AND p.a > 1000 AND p.b > 1000
                  AND p.ll::text NOT IN ('NaN', '-Infinity') AND g.converged
             FROM tap_btyd.models f, params(f.bg) p, params(f.gg) g),
          'the warehouse BG/NBD fit reports its early stop at the boundary; Gamma-Gamma converges');
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT bgnbd_send(bgnbd_fit(x, t_x, "T"))::text FROM tap_btyd.summary$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'bgnbd_fit runs as a partial aggregate on two workers',
    (SELECT bg::text FROM tap_btyd.serial), 'bgnbd_fit: parallel = serial, byte for byte');
SELECT pg_temp.runs_and_gives($$SELECT gamma_gamma_send(gamma_gamma_fit(x, monetary))::text FROM tap_btyd.summary$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'gamma_gamma_fit runs as a partial aggregate on two workers',
    (SELECT gg::text FROM tap_btyd.serial), 'gamma_gamma_fit: parallel = serial, byte for byte');
SET LOCAL force_parallel_mode = regress;
SELECT is((SELECT bgnbd_send(bgnbd_fit(x, t_x, "T")) FROM tap_btyd.summary), (SELECT bg FROM tap_btyd.serial),
          'force_parallel_mode = regress gives the same model');
CALL pg_temp.force_serial();
SELECT is((SELECT bgnbd_send(bgnbd_fit(x, t_x, "T", n))
             FROM (SELECT x, t_x, "T", count(*) AS n FROM tap_btyd.summary GROUP BY 1, 2, 3) p),
          (SELECT bg FROM tap_btyd.serial), 'bgnbd_fit on counted patterns = on rows, byte for byte');
SELECT is((SELECT gamma_gamma_send(gamma_gamma_fit(x, monetary, n))
             FROM (SELECT x, monetary, count(*) AS n FROM tap_btyd.summary GROUP BY 1, 2) p),
          (SELECT gg FROM tap_btyd.serial), 'gamma_gamma_fit on counted patterns = on rows, byte for byte');
SELECT is((SELECT bgnbd_send(bgnbd_fit(x, t_x, "T" ORDER BY monetary DESC NULLS FIRST, customer_id DESC))
             FROM tap_btyd.summary),
          (SELECT bg FROM tap_btyd.serial), 'rows in another order give the same model');
SELECT is((SELECT count(*) FROM tap_btyd.models f
            WHERE bgnbd_send(bg::text::bgnbd) IS DISTINCT FROM bgnbd_send(bg)
               OR gamma_gamma_send(gg::text::gamma_gamma) IS DISTINCT FROM gamma_gamma_send(gg)), 0::bigint,
          'text round trip of the fitted models, byte for byte');

-- One model per group (GROUP BY cohort): each equals the fit of its group alone.
SELECT is((SELECT count(*) FROM (SELECT customer_id % 3 AS g, bgnbd_fit(x, t_x, "T") AS m
                                   FROM tap_btyd.summary GROUP BY 1) f
            WHERE bgnbd_send(m) IS DISTINCT FROM
                  (SELECT bgnbd_send(bgnbd_fit(x, t_x, "T")) FROM tap_btyd.summary WHERE customer_id % 3 = f.g)),
          0::bigint, 'GROUP BY fits one model per group, each = the fit of its group alone');

-- Scoring reads every customer: probabilities in [0, 1], expectations finite and >= 0.
SELECT is((SELECT count(*) FROM tap_btyd.summary s, tap_btyd.models f
            WHERE s.x IS NOT NULL
              AND NOT (p_alive(bg, x, t_x, "T") BETWEEN 0 AND 1
                       AND expected_purchases(bg, 52, x, t_x, "T") BETWEEN 0 AND 1e6
                       AND expected_spend(gg, x, monetary) > 0)), 0::bigint,
          'every warehouse customer scores: P(alive) in [0, 1], expected purchases and spend finite');
SELECT ok((SELECT abs(expected_purchases(bg, 52, 0, 0, 0) - expected_purchases(bg, 52)) < 1e-12
             FROM tap_btyd.models f),
          'a new customer''s E[X(t)] = the conditional expectation at x = t_x = T = 0');

\i test/pgtap/lib/end.psql
