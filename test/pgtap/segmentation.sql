-- segmentation properties on the small sample warehouse: every customer's value class equals
-- its plain-SQL definition, the planted VIP, hero and repeat customers are recovered, the value
-- structure (deciles, cut points, shares, Gini, Lorenz) equals its plain-SQL computation to
-- 1e-12 relative, merge_bands equals a brute-force search over all contiguous splits, threshold
-- capture equals counting value classes, rollup of any split = one pass, and parallel = serial.
-- Summaries are compared by their bytes (value_distribution_send) or text, never with the type's
-- own =; every other comparison is IS DISTINCT FROM or an explicit tolerance, so that a NULL
-- where a number belongs is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(70);

CALL sample_warehouse.build('tap_seg', 'small', 42);
ANALYZE tap_seg.orders;
CALL pg_temp.force_serial();

CREATE TABLE tap_seg.histories AS
SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h,
       sum(amount) AS spend, count(*)::int AS orders
  FROM tap_seg.orders GROUP BY customer_id;

-- a close to b, relative: |a - b| <= 1e-12 |b| (both NULL, or exactly equal, pass too).
CREATE FUNCTION pg_temp.close(a float8, b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT a IS NOT DISTINCT FROM b::float8
        OR (a IS NOT NULL AND b IS NOT NULL AND abs(a::numeric - b) <= 1e-12 * abs(b))
$$;

SELECT cmp_ok((SELECT count(*) FROM tap_seg.histories), '>', 1000::bigint, 'the small warehouse has more than 1000 buying customers');

-- Value classes ---------------------------------------------------------------------------------
-- The plain-SQL definition: HERO spend >= hero_min, REPEAT orders >= repeat_min, VIP both.
CREATE FUNCTION pg_temp.class_of(spend numeric, orders bigint, hero_min float8, repeat_min int)
RETURNS value_class LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN spend >= hero_min AND orders >= repeat_min THEN 'vip'
                WHEN spend >= hero_min THEN 'hero'
                WHEN orders >= repeat_min THEN 'repeat'
                ELSE 'regular' END::value_class
$$;
CREATE TABLE tap_seg.thresholds AS
SELECT * FROM (VALUES (1000::float8, 20), (5000, 20), (500, 5), (0, 1), (250.5, 2), (1e9, 1)) AS t(hero_min, repeat_min);

SELECT is_empty($$
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories, tap_seg.thresholds
     WHERE value_class(h, hero_min, repeat_min) IS DISTINCT FROM pg_temp.class_of(spend, orders, hero_min, repeat_min)$$,
    'value_class(h, hero_min, repeat_min) = the plain-SQL class of sum(amount) and count(*), for every customer');
SELECT is_empty($$
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories, tap_seg.thresholds
     WHERE value_class(spend::float8, orders, hero_min, repeat_min) IS DISTINCT FROM pg_temp.class_of(spend, orders, hero_min, repeat_min)$$,
    'value_class(total_spend, orders, hero_min, repeat_min) = the plain-SQL class');
SELECT is_empty($$
    WITH w AS (
        SELECT c.customer_id, sum(o.amount) FILTER (WHERE o.ordered_at >= '2025-01-01' AND o.ordered_at < '2026-01-01') AS spend,
               count(o.*) FILTER (WHERE o.ordered_at >= '2025-01-01' AND o.ordered_at < '2026-01-01') AS orders
          FROM tap_seg.histories c JOIN tap_seg.orders o USING (customer_id) GROUP BY c.customer_id
    )
    SELECT customer_id, hero_min, repeat_min FROM tap_seg.histories h JOIN w USING (customer_id), tap_seg.thresholds
     WHERE value_class(h.h, hero_min, repeat_min, tstzrange('2025-01-01', '2026-01-01'))
           IS DISTINCT FROM pg_temp.class_of(coalesce(w.spend, 0), w.orders, hero_min, repeat_min)$$,
    'value_class(h, ..., the last 365 days) = the plain-SQL class of the orders in the window');
SELECT is_empty($$
    SELECT customer_id FROM tap_seg.histories h
     WHERE is_one_time(h) IS DISTINCT FROM
           ((SELECT count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) FROM tap_seg.orders o WHERE o.customer_id = h.customer_id) = 1)$$,
    'is_one_time(h) = one distinct purchase day, for every customer');

-- The planted truth -------------------------------------------------------------------------------
SELECT set_eq($$SELECT customer_id FROM tap_seg.histories WHERE value_class(h, 5000, 20) = 'vip'$$,
              $$SELECT customer_id FROM tap_seg.truth WHERE fact = 'vip'$$,
              'at hero_min 5000 and repeat_min 20 the vip class is exactly the planted VIPs');
SELECT set_eq($$SELECT customer_id FROM tap_seg.histories WHERE value_class(h, 1000, 20) = 'hero' AND is_one_time(h)$$,
              $$SELECT customer_id FROM tap_seg.truth WHERE fact = 'hero'$$,
              'at hero_min 1000 and repeat_min 20 the one-time buyers of the hero class are exactly the planted heroes');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_seg.truth t JOIN tap_seg.histories USING (customer_id)
     WHERE t.fact = 'repeat' AND value_class(h, 1000, 20) IS DISTINCT FROM 'repeat'$$,
    'every planted repeat customer is repeat at hero_min 1000 and repeat_min 20');
SELECT cmp_ok((SELECT count(*) FROM tap_seg.truth WHERE fact IN ('vip', 'hero', 'repeat')), '>=', 100::bigint,
              'the planted VIPs, heroes and repeat customers number 100 or more');

-- The customer tables -----------------------------------------------------------------------------
-- One row per customer and dataset: exact decimals (spend), values that are no decimals (spend
-- in thirds, compensated sums), many ties (spend to the hundred), two values, all equal, and a
-- "profit" with negative values.
CREATE TABLE tap_seg.data AS
SELECT dataset, customer_id, v, orders AS o
  FROM tap_seg.histories,
       LATERAL (VALUES ('spend', total_spend(h)),
                       ('spend in thirds', total_spend(h) / 3),
                       ('hundreds', round(total_spend(h) / 100) * 100),
                       ('two values', CASE WHEN total_spend(h) >= 1000 THEN 1000 ELSE 10 END),
                       ('all equal', 50),
                       ('profit', round((total_spend(h) * 0.3 - 60)::numeric, 2)::float8)) AS d(dataset, v);
ANALYZE tap_seg.data;
CREATE TABLE tap_seg.vd AS
SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset;

SELECT is((SELECT count(*) FROM tap_seg.vd), 6::bigint, 'six datasets');
SELECT is((SELECT value_distribution_send(vd) FROM tap_seg.vd WHERE dataset = 'spend'),
          (SELECT value_distribution_send(value_distribution(s, n))
             FROM (SELECT sum(amount) AS s, count(*) AS n FROM tap_seg.orders GROUP BY customer_id) c),
          'value_distribution(sum(amount), count(*)) over the orders = over the purchase histories, byte for byte');
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
     WHERE vd::text IS DISTINCT FROM (SELECT '{' || string_agg(format('(%s,%s)', v, o), ',' ORDER BY v, o) || '}'
                                        FROM tap_seg.data d WHERE d.dataset = vd.dataset)
        OR value_distribution_send(vd::text::value_distribution) IS DISTINCT FROM value_distribution_send(vd)$$,
    'the text form = the pairs sorted as float8 prints them, and reads back byte for byte');

-- Rollup and parallel plans -----------------------------------------------------------------------
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
      FULL JOIN (SELECT dataset, rollup(vd) AS r
                   FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset, customer_id % 2) s
                  GROUP BY dataset) u USING (dataset)
     WHERE value_distribution_send(vd) IS DISTINCT FROM value_distribution_send(r)$$,
    'rollup of two halves = one pass, for every dataset');
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
      FULL JOIN (SELECT dataset, rollup(vd) AS r
                   FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset, customer_id % 97
                         UNION ALL SELECT dataset, NULL FROM tap_seg.vd) s
                  GROUP BY dataset) u USING (dataset)
     WHERE value_distribution_send(vd) IS DISTINCT FROM value_distribution_send(r)$$,
    'rollup of 97 parts and NULLs = one pass');

CREATE TABLE tap_seg.serial AS
SELECT (SELECT value_distribution(v, o)::text FROM tap_seg.data) AS all_rows,
       (SELECT string_agg(dataset || vd::text, ';' ORDER BY dataset) FROM tap_seg.vd) AS grouped;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary of every row runs as a partial aggregate on two workers',
    (SELECT all_rows FROM tap_seg.serial), 'parallel = serial');
SELECT pg_temp.runs_and_gives($$SELECT string_agg(dataset || vd::text, ';' ORDER BY dataset)
                                  FROM (SELECT dataset, value_distribution(v, o) AS vd FROM tap_seg.data GROUP BY dataset) s$$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY dataset runs as a partial aggregate on two workers',
    (SELECT grouped FROM tap_seg.serial), 'parallel GROUP BY = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(vd)::text FROM (SELECT vd FROM tap_seg.vd, generate_series(1, 50)) s$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT rollup(vd)::text FROM (SELECT vd FROM tap_seg.vd, generate_series(1, 50)) s), 'parallel rollup = serial rollup');
-- (v + 0: the planner cannot estimate it, so it does not expect a single row and keeps the
-- partial aggregate)
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data WHERE v + 0 < -1e300$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on data \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs on two workers that see no rows', '{}', 'parallel aggregate over no rows is the empty summary');
SELECT pg_temp.runs_and_gives($$SELECT value_distribution(v, o)::text FROM tap_seg.data WHERE dataset = 'all equal' AND customer_id = (SELECT min(customer_id) FROM tap_seg.data)$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'the aggregate of one row runs on two workers',
    '{(50,1)}', 'parallel aggregate where only one worker sees a row');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT value_distribution(v, o)::text FROM tap_seg.data$$), (SELECT all_rows FROM tap_seg.serial),
          'force_parallel_mode = regress gives the same summary');
CALL pg_temp.force_serial();

-- Deciles = plain SQL -----------------------------------------------------------------------------
-- ntile(bands) by value descending, each tie group moved to the band of its first member, and
-- window sums: customers, min and max exactly; totals, shares, cumulative shares and means to
-- 1e-12 relative; shares NULL when the whole is not positive.
CREATE FUNCTION pg_temp.decile_differences(bands int) RETURNS SETOF text LANGUAGE sql AS $$
    WITH ranked AS (
        SELECT dataset, v, ntile(bands) OVER (PARTITION BY dataset ORDER BY v DESC) AS nt FROM tap_seg.data
    ), banded AS (
        SELECT dataset, v, min(nt) OVER (PARTITION BY dataset, v) AS band FROM ranked
    ), per_band AS (
        SELECT dataset, band, count(*) AS customers, min(v) AS min_value, max(v) AS max_value,
               sum(v::numeric) AS total, avg(v::numeric) AS mean
          FROM banded GROUP BY dataset, band
    ), plain AS (
        SELECT d.dataset, b AS band, coalesce(p.customers, 0) AS customers, p.min_value, p.max_value,
               coalesce(p.total, 0) AS total, p.mean,
               sum(coalesce(p.total, 0)) OVER (PARTITION BY d.dataset ORDER BY b) AS cumulative,
               sum(coalesce(p.total, 0)) OVER (PARTITION BY d.dataset) AS whole
          FROM tap_seg.vd d CROSS JOIN generate_series(1, bands) b
          LEFT JOIN per_band p ON p.dataset = d.dataset AND p.band = b
    )
    SELECT coalesce(p.dataset, x.dataset) || ' band ' || coalesce(p.band, x.band)
      FROM plain p
      FULL JOIN (SELECT dataset, d.* FROM tap_seg.vd, deciles(vd, bands) d) x USING (dataset, band)
     WHERE x.customers IS DISTINCT FROM p.customers
        OR x.min_value IS DISTINCT FROM p.min_value OR x.max_value IS DISTINCT FROM p.max_value
        OR NOT pg_temp.close(x.total_value, p.total) OR NOT pg_temp.close(x.avg_value, p.mean)
        OR NOT pg_temp.close(x.share_of_value, CASE WHEN p.whole > 0 THEN p.total / p.whole END)
        OR NOT pg_temp.close(x.cumulative_share, CASE WHEN p.whole > 0 THEN p.cumulative / p.whole END)
$$;
SELECT is_empty('SELECT * FROM pg_temp.decile_differences(10)', 'deciles = plain SQL (ntile, the tie rule, window sums), every dataset');
SELECT is_empty('SELECT * FROM pg_temp.decile_differences(7)', 'deciles with 7 bands = plain SQL');
SELECT is_empty('SELECT * FROM pg_temp.decile_differences(2)', 'deciles with 2 bands = plain SQL');
SELECT is_empty('SELECT * FROM pg_temp.decile_differences(100)', 'deciles with 100 bands = plain SQL');
SELECT is_empty($$
    WITH banded AS (
        SELECT dataset, band, d.total_value,
               sum(d.total_value::numeric) OVER (PARTITION BY dataset ORDER BY band) AS cumulative
          FROM tap_seg.vd, deciles(vd) d WHERE dataset IN ('spend', 'hundreds', 'profit')
    ), plain AS (
        SELECT dataset, min(nt) OVER (PARTITION BY dataset, v) AS band, v
          FROM (SELECT dataset, v, ntile(10) OVER (PARTITION BY dataset ORDER BY v DESC) AS nt FROM tap_seg.data) s
    )
    SELECT dataset, band FROM banded b
      LEFT JOIN (SELECT dataset, band, sum(v::numeric) AS total FROM plain GROUP BY dataset, band) p USING (dataset, band)
     WHERE b.total_value IS DISTINCT FROM coalesce(p.total, 0)::float8$$,
    'decimal values: each band total is the numeric sum rounded once, exactly');
SELECT is((SELECT count(*) FROM tap_seg.vd, deciles(vd) d WHERE dataset = 'all equal' AND d.customers > 0), 1::bigint,
          'all equal: one band holds every customer');
SELECT is((SELECT array_agg(d.band ORDER BY d.band) FROM tap_seg.vd, deciles(vd) d WHERE dataset = 'two values' AND d.customers > 0),
          (SELECT ARRAY[1, ntile] FROM (SELECT v, ntile(10) OVER (ORDER BY v DESC) FROM tap_seg.data WHERE dataset = 'two values') s
            WHERE v = 10 ORDER BY ntile LIMIT 1),
          'two values: band 1 holds the larger value, the band where the smaller begins holds all of it; the bands between are empty');
SELECT cmp_ok((SELECT count(DISTINCT v) FROM tap_seg.data WHERE dataset = 'hundreds'), '<', 100::bigint,
              'hundreds: fewer than 100 distinct values among the customers (ties everywhere)');

-- Cut points: the default hero_mins of threshold_capture are percentile_cont's deciles.
SELECT is_empty($$
    WITH plain AS (
        SELECT dataset, array_agg(DISTINCT p ORDER BY p DESC) AS cuts
          FROM (SELECT dataset, unnest(percentile_cont('{0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1}'::float8[]) WITHIN GROUP (ORDER BY v)) AS p
                  FROM tap_seg.data GROUP BY dataset) s GROUP BY dataset
    )
    SELECT dataset FROM plain
      FULL JOIN (SELECT dataset, array_agg(DISTINCT t.hero_min ORDER BY t.hero_min DESC) AS cuts
                   FROM tap_seg.vd, threshold_capture(vd) t GROUP BY dataset) x USING (dataset)
     WHERE x.cuts IS DISTINCT FROM plain.cuts$$,
    'the default hero_mins are the deciles percentile_cont computes, each once, exactly');

-- Shares, Gini, Lorenz = plain SQL ------------------------------------------------------------------
CREATE TABLE tap_seg.ranked AS
SELECT dataset, v::numeric AS v, row_number() OVER (PARTITION BY dataset ORDER BY v DESC) AS r,
       row_number() OVER (PARTITION BY dataset ORDER BY v) AS i,
       count(*) OVER (PARTITION BY dataset) AS n, sum(v::numeric) OVER (PARTITION BY dataset) AS whole
  FROM tap_seg.data;
SELECT is_empty($$
    WITH f AS (SELECT unnest('{0,0.05,0.1,0.2,0.3,0.5,0.77,0.999,1}'::float8[]) AS f),
    plain AS (
        SELECT dataset, f.f,
               CASE WHEN max(whole) > 0 THEN
                   (coalesce(sum(v) FILTER (WHERE r <= floor(f.f::numeric * n)), 0)
                    + coalesce((f.f::numeric * max(n) - floor(f.f::numeric * max(n))) * min(v) FILTER (WHERE r = floor(f.f::numeric * n) + 1), 0))
                   / max(whole) END AS share
          FROM tap_seg.ranked, f GROUP BY dataset, f.f
    )
    SELECT dataset, f FROM plain JOIN tap_seg.vd USING (dataset)
     WHERE NOT pg_temp.close(top_share(vd, f), share)$$,
    'top_share = the top floor(f n) customers plus the part of the next, over the whole (plain SQL), every dataset');
SELECT ok((SELECT pg_temp.close(top_share(vd, (SELECT sum(customers) FILTER (WHERE band <= 3)::float8 / sum(customers) FROM deciles(vd))),
                                  (SELECT (sum(total_value) FILTER (WHERE band <= 3) / sum(total_value))::numeric FROM deciles(vd)))
             FROM tap_seg.vd WHERE dataset = 'spend'),
          'spend: top_share at the customers of deciles 1 to 3 = their cumulative share');
SELECT is_empty($$
    SELECT dataset FROM tap_seg.vd
      JOIN (SELECT dataset, sum((2 * i - n - 1) * v) / (max(n) * sum(v)) AS gini FROM tap_seg.ranked GROUP BY dataset) p USING (dataset)
     WHERE dataset <> 'profit' AND NOT pg_temp.close(gini(vd), p.gini)$$,
    'gini = sum((2i - n - 1) v_i) / (n sum v) in numeric, every non-negative dataset');
SELECT is((SELECT gini(vd) FROM tap_seg.vd WHERE dataset = 'all equal'), 0::float8, 'all equal: Gini 0');
SELECT throws_ok($$SELECT gini(vd) FROM tap_seg.vd WHERE dataset = 'profit'$$, '22023', NULL,
                 'profit with negative values: Gini refused');
CREATE FUNCTION pg_temp.lorenz_differences(points int) RETURNS SETOF text LANGUAGE sql AS $$
    WITH p AS (
        SELECT d.dataset, j, j::numeric * max(n) / points AS x
          FROM tap_seg.ranked d, generate_series(0, points) j GROUP BY d.dataset, j
    ), plain AS (
        SELECT p.dataset, p.j,
               CASE WHEN max(whole) > 0 THEN
                   (coalesce(sum(v) FILTER (WHERE i <= floor(p.x)), 0)
                    + coalesce((p.x - floor(p.x)) * min(v) FILTER (WHERE i = floor(p.x) + 1), 0)) / max(whole) END AS share
          FROM p JOIN tap_seg.ranked USING (dataset) GROUP BY p.dataset, p.j, p.x
    )
    SELECT plain.dataset || ' ' || plain.j
      FROM plain
      FULL JOIN (SELECT dataset, l.*, row_number() OVER (PARTITION BY dataset ORDER BY l.customer_share) - 1 AS j
                   FROM tap_seg.vd, lorenz(vd, points) l) x USING (dataset, j)
     WHERE x.customer_share IS DISTINCT FROM plain.j::float8 / points OR NOT pg_temp.close(x.value_share, plain.share)
$$;
SELECT is_empty('SELECT * FROM pg_temp.lorenz_differences(100)', 'lorenz = the bottom customers plus the part of the next (plain SQL), 101 points');
SELECT is_empty('SELECT * FROM pg_temp.lorenz_differences(7)', 'lorenz with 7 points = plain SQL');
SELECT is_empty($$
    SELECT dataset, l.customer_share FROM tap_seg.vd, lorenz(vd, 20) l
     WHERE abs(l.value_share - (1 - top_share(vd, 1 - l.customer_share))) > 1e-12$$,
    'lorenz(p) = 1 - top_share(1 - p)');

-- merge_bands = brute force -------------------------------------------------------------------------
-- Every split of the ten bands into g contiguous groups (g = 2 to 5), its within-group sum of
-- squared deviations of the bands' mean values (empty bands weigh nothing); merge_bands' split
-- must cost the minimum, and be the minimum's split when no other comes within 1e-9.
CREATE TABLE tap_seg.splits AS
WITH RECURSIVE s(g, lasts) AS (
    SELECT g, ARRAY[k] FROM generate_series(2, 5) g, generate_series(1, 9) k
    UNION ALL
    SELECT g, lasts || k FROM s, generate_series(1, 10) k
     WHERE k > lasts[cardinality(lasts)] AND cardinality(lasts) < g AND lasts[cardinality(lasts)] < 10
)
SELECT g, lasts FROM s WHERE cardinality(lasts) = g AND lasts[g] = 10;
SELECT is((SELECT array_agg(n ORDER BY g) FROM (SELECT g, count(*)::int AS n FROM tap_seg.splits GROUP BY g) s),
          '{9,36,84,126}'::int[], 'the brute force enumerates C(9, g - 1) splits for g = 2 to 5');
CREATE TABLE tap_seg.split_costs AS
SELECT dataset, g, lasts, sum(dev) AS cost
  FROM (SELECT dataset, g, lasts,
               (d.avg_value - avg(d.avg_value) OVER (PARTITION BY dataset, g, lasts,
                                                     (SELECT count(*) FROM unnest(lasts) l WHERE l < d.band)))^2 AS dev
          FROM tap_seg.vd, deciles(vd) d, tap_seg.splits) s
 GROUP BY dataset, g, lasts;
CREATE TABLE tap_seg.merged AS
SELECT dataset, g, array_agg(m.last_band ORDER BY m.band) AS lasts
  FROM tap_seg.vd, generate_series(2, 5) g, merge_bands(vd, g) m GROUP BY dataset, g;
SELECT is_empty($$
    SELECT m.dataset, m.g FROM tap_seg.merged m
      JOIN tap_seg.split_costs c USING (dataset, g, lasts)
      JOIN (SELECT dataset, g, min(cost) AS best FROM tap_seg.split_costs GROUP BY dataset, g) b USING (dataset, g)
     WHERE c.cost > b.best + 1e-12 * b.best$$,
    'merge_bands costs the minimum of all contiguous splits, every dataset and group count');
SELECT is_empty($$
    SELECT m.dataset, m.g FROM tap_seg.merged m
      JOIN (SELECT dataset, g, (array_agg(lasts::text ORDER BY cost))[1] AS best_lasts,
                   count(*) FILTER (WHERE cost <= best + 1e-9 * greatest(best, 1)) AS near_best
              FROM tap_seg.split_costs JOIN (SELECT dataset, g, min(cost) AS best FROM tap_seg.split_costs GROUP BY dataset, g) b
                   USING (dataset, g)
             GROUP BY dataset, g) c USING (dataset, g)
     WHERE c.near_best = 1 AND m.lasts::text IS DISTINCT FROM c.best_lasts$$,
    'merge_bands is the brute force''s split wherever that split is unique');
CREATE TABLE tap_seg.near_best AS
SELECT dataset, g, count(*) AS splits, min(lasts) AS first_lasts
  FROM tap_seg.split_costs JOIN (SELECT dataset, g, min(cost) AS best FROM tap_seg.split_costs GROUP BY dataset, g) b USING (dataset, g)
 WHERE cost <= best + 1e-9 * greatest(best, 1)
 GROUP BY dataset, g;
SELECT cmp_ok((SELECT count(*) FROM tap_seg.near_best WHERE splits = 1), '>=', 16::bigint,
              'the best split is unique for the 4 datasets with a spread and every group count');
SELECT is_empty($$
    SELECT dataset, g FROM tap_seg.merged m JOIN tap_seg.near_best b USING (dataset, g)
     WHERE b.splits > 1 AND m.lasts IS DISTINCT FROM b.first_lasts$$,
    'where several splits are best (all equal, two values), merge_bands takes the earliest boundaries');
SELECT is_empty($$
    SELECT dataset, g FROM tap_seg.vd, generate_series(1, 10) g,
           LATERAL (SELECT sum(customers) AS customers, sum(total_value) AS total, max(last_band) AS last,
                           bool_and(first_band <= last_band) AS ordered
                      FROM merge_bands(vd, g)) m,
           LATERAL (SELECT sum(customers) AS customers, sum(total_value) AS total FROM deciles(vd)) d
     WHERE m.customers IS DISTINCT FROM d.customers OR NOT pg_temp.close(m.total, d.total::numeric)
        OR m.last IS DISTINCT FROM 10 OR NOT m.ordered$$,
    'merged groups cover the ten bands and every customer, for 1 to 10 groups');

-- Threshold capture = counting value classes -------------------------------------------------------
CREATE TABLE tap_seg.capture AS
SELECT dataset, t.* FROM tap_seg.vd, threshold_capture(vd) t
UNION ALL
SELECT dataset, t.* FROM tap_seg.vd, threshold_capture(vd, '{5000,1000,0,-Infinity,Infinity}', '{1,2,20,25}') t;
SELECT is_empty($$
    WITH plain AS (
        SELECT c.dataset, c.hero_min, c.repeat_min,
               count(*) FILTER (WHERE k = 'vip') AS vip, count(*) FILTER (WHERE k = 'hero') AS hero,
               count(*) FILTER (WHERE k = 'repeat') AS repeat, count(*) FILTER (WHERE k = 'regular') AS regular,
               count(*) FILTER (WHERE k = 'hero' AND o = 1) AS one_time,
               sum(v::numeric) FILTER (WHERE k = 'vip') AS vip_value, sum(v::numeric) FILTER (WHERE k = 'hero') AS hero_value,
               sum(v::numeric) FILTER (WHERE k = 'repeat') AS repeat_value, sum(v::numeric) FILTER (WHERE k = 'regular') AS regular_value,
               sum(v::numeric) AS whole, count(*) AS n
          FROM (SELECT DISTINCT dataset, hero_min, repeat_min FROM tap_seg.capture) c
          JOIN tap_seg.data d USING (dataset),
               LATERAL pg_temp.class_of(d.v::numeric, d.o, c.hero_min, c.repeat_min) k
         GROUP BY c.dataset, c.hero_min, c.repeat_min
    )
    SELECT x.dataset, x.hero_min, x.repeat_min FROM tap_seg.capture x JOIN plain p USING (dataset, hero_min, repeat_min)
     WHERE (x.vip_customers, x.hero_customers, x.repeat_customers, x.regular_customers, x.one_time_heroes)
           IS DISTINCT FROM (p.vip, p.hero, p.repeat, p.regular, p.one_time)
        OR NOT pg_temp.close(x.vip_customer_share, p.vip::numeric / p.n) OR NOT pg_temp.close(x.hero_customer_share, p.hero::numeric / p.n)
        OR NOT pg_temp.close(x.repeat_customer_share, p.repeat::numeric / p.n) OR NOT pg_temp.close(x.regular_customer_share, p.regular::numeric / p.n)
        OR NOT pg_temp.close(x.vip_value_share, CASE WHEN p.whole > 0 THEN coalesce(p.vip_value, 0) / p.whole END)
        OR NOT pg_temp.close(x.hero_value_share, CASE WHEN p.whole > 0 THEN coalesce(p.hero_value, 0) / p.whole END)
        OR NOT pg_temp.close(x.repeat_value_share, CASE WHEN p.whole > 0 THEN coalesce(p.repeat_value, 0) / p.whole END)
        OR NOT pg_temp.close(x.regular_value_share, CASE WHEN p.whole > 0 THEN coalesce(p.regular_value, 0) / p.whole END)$$,
    'threshold_capture = counting the value classes of the customers (plain SQL), every dataset, the default grid and a given one');
SELECT is((SELECT count(*) FROM tap_seg.capture WHERE dataset = 'spend'), 81::bigint + 20,
          'spend: 9 deciles x 9 repeat_mins by default, and the 5 x 4 grid given');
SELECT is((SELECT (vip_customers, one_time_heroes)::text FROM tap_seg.capture
            WHERE dataset = 'spend' AND hero_min = 5000 AND repeat_min = 20),
          (SELECT (count(*), 0)::text FROM tap_seg.truth WHERE fact = 'vip'),
          'threshold_capture at (5000, 20): the planted VIPs, no one-time hero');
SELECT is((SELECT one_time_heroes FROM tap_seg.capture WHERE dataset = 'spend' AND hero_min = 1000 AND repeat_min = 20),
          (SELECT count(*) FROM tap_seg.truth WHERE fact = 'hero'),
          'threshold_capture at (1000, 20): the one-time heroes are as many as the planted heroes');

-- RFM ---------------------------------------------------------------------------------------------
-- Customers' (recency_days, orders, spend); the cut points of rfm_model(..., bins) are
-- percentile_cont(i / bins) to 1e-12 relative, and rfm_score equals its plain-SQL definition:
-- 1 + the cut points below the value (above it, for recency).
CREATE TABLE tap_seg.rfm AS
SELECT customer_id, profiling.recency_days(h, (SELECT max(ordered_at) FROM tap_seg.orders)) AS r,
       orders::float8 AS f, spend::float8 AS m
  FROM tap_seg.histories;
CREATE TABLE tap_seg.rfm_models AS
SELECT bins, profiling.rfm_model(r, f, m, bins) AS model,
       replace(replace(profiling.rfm_model(r, f, m, bins)::text, '{', '['), '}', ']')::jsonb AS cuts
  FROM tap_seg.rfm, (VALUES (2), (3), (5), (7), (10), (100)) AS b(bins) GROUP BY bins;
SELECT is_empty($$
    SELECT bins, metric, i
      FROM tap_seg.rfm_models, generate_series(0, 2) metric, LATERAL generate_series(1, bins - 1) i
     WHERE NOT pg_temp.close((cuts -> metric ->> (i - 1))::float8,
                             (SELECT (percentile_cont(i::float8 / bins) WITHIN GROUP (ORDER BY CASE metric WHEN 0 THEN r WHEN 1 THEN f ELSE m END))::numeric
                                FROM tap_seg.rfm))$$,
    'rfm_model cut points = percentile_cont(i / bins) of each metric, bins 2, 3, 5, 7, 10 and 100');
SELECT is((SELECT rfm_model(r, f, m)::text FROM tap_seg.rfm), (SELECT model::text FROM tap_seg.rfm_models WHERE bins = 5),
          'the 3-argument rfm_model has 5 bins');
CREATE FUNCTION pg_temp.plain_score(cuts jsonb, v float8, metric int) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT 1 + count(*)::int FROM jsonb_array_elements_text(cuts -> metric) c
     WHERE CASE WHEN metric = 0 THEN c::float8 > v ELSE c::float8 < v END
$$;
SELECT is_empty($$
    SELECT bins, customer_id FROM tap_seg.rfm_models, tap_seg.rfm,
           LATERAL (SELECT rfm_score(model, r, f, m) AS s) x
     WHERE (profiling.r(s), profiling.f(s), profiling.m(s)) IS DISTINCT FROM
           (pg_temp.plain_score(cuts, r, 0), pg_temp.plain_score(cuts, f, 1), pg_temp.plain_score(cuts, m, 2))$$,
    'rfm_score = 1 + the cut points below the value (above it for recency), every customer, every bins');
SELECT is_empty($$
    SELECT bins FROM tap_seg.rfm_models, tap_seg.rfm a, tap_seg.rfm b
     WHERE a.f = b.f AND a.customer_id < b.customer_id AND b.customer_id < a.customer_id + 50
       AND profiling.f(rfm_score(model, a.r, a.f, a.m)) <> profiling.f(rfm_score(model, b.r, b.f, b.m))$$,
    'equal frequencies always get equal frequency scores');
SELECT is_empty($$
    SELECT bins FROM tap_seg.rfm_models WHERE rfm_model_send(model::text::rfm_model) IS DISTINCT FROM rfm_model_send(model)$$,
    'rfm_model text is lossless, bins 2 to 100');
CREATE TABLE tap_seg.rfm_serial AS SELECT (SELECT rfm_model(r, f, m, 7)::text FROM tap_seg.rfm) AS model;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT rfm_model(r, f, m, 7)::text FROM tap_seg.rfm$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rfm_model runs as a partial aggregate on two workers',
    (SELECT model FROM tap_seg.rfm_serial), 'parallel rfm_model = serial');
SELECT pg_temp.runs_and_gives($$SELECT rfm_model(r, f, m, 7)::text FROM tap_seg.rfm WHERE r + 0 < -1$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rfm_model over no rows runs on two workers', NULL, 'parallel rfm_model over no rows is NULL');
CALL pg_temp.force_serial();

-- Named RFM segments ----------------------------------------------------------------------------
-- The documented map, written out as the CASE a user would write: fm = the mean of f and m,
-- halves rounded up.
CREATE FUNCTION pg_temp.plain_segment(r int, f int, m int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN r = 5 AND fm >= 4 THEN 'Champions'
                WHEN r IN (3, 4) AND fm >= 4 THEN 'Loyal Customers'
                WHEN r >= 4 AND fm IN (2, 3) THEN 'Potential Loyalist'
                WHEN r = 5 AND fm = 1 THEN 'New Customers'
                WHEN r = 4 AND fm = 1 THEN 'Promising'
                WHEN r = 3 AND fm = 3 THEN 'Need Attention'
                WHEN r = 3 THEN 'About to Sleep'
                WHEN fm = 5 THEN 'Cannot Lose Them'
                WHEN fm >= 3 THEN 'At Risk'
                WHEN r = 2 THEN 'Hibernating'
                ELSE 'Lost' END
      FROM (SELECT ceil((f + m) / 2.0)::int AS fm) x
$$;
SELECT is_empty($$
    SELECT r, f, m FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m
     WHERE rfm_segment(format('%s%s%s', r, f, m)::rfm_score) IS DISTINCT FROM pg_temp.plain_segment(r, f, m)$$,
    'rfm_segment = the documented map, all 125 scores of 5 bins');
SELECT is_empty('SELECT * FROM check_rfm_segment_map()', 'the shipped map has no gap and no overlap');
-- Every customer scored at the reference date against the model of all customers.
CREATE TABLE tap_seg.rfm_named AS
SELECT customer_id, s, rfm_segment(s) AS segment
  FROM (SELECT c.customer_id, rfm_score(model, c.r, c.f, c.m) AS s
          FROM (SELECT customer_id, recency_days(h, (SELECT reference_date FROM tap_seg.warehouse_info)) AS r,
                       orders::float8 AS f, spend::float8 AS m FROM tap_seg.histories) c,
               (SELECT rfm_model(recency_days(h, (SELECT reference_date FROM tap_seg.warehouse_info)), orders, spend) AS model
                  FROM tap_seg.histories) AS mo) x;
SELECT is((SELECT count(DISTINCT segment) FROM tap_seg.rfm_named), 11::bigint,
          'every customer named, the 11 segments all used on the small warehouse');
SELECT is_empty($$
    SELECT customer_id FROM tap_seg.rfm_named
     WHERE segment IS DISTINCT FROM pg_temp.plain_segment(profiling.r(s), profiling.f(s), profiling.m(s))$$,
    'every customer''s segment = the plain-SQL map of its score');
SELECT is_empty($$
    SELECT n.customer_id, n.segment FROM tap_seg.rfm_named n JOIN tap_seg.truth t USING (customer_id)
     WHERE t.fact = 'vip' AND n.segment NOT IN ('Champions', 'Loyal Customers')$$,
    'the planted VIPs are Champions or Loyal Customers');
SELECT is_empty($$
    SELECT n.customer_id, n.segment FROM tap_seg.rfm_named n JOIN tap_seg.truth t USING (customer_id)
     WHERE t.fact = 'newcomer' AND profiling.r(n.s) <> 5$$,
    'the planted newcomers have the best recency score');
SELECT is_empty($$
    SELECT n.customer_id, n.segment FROM tap_seg.rfm_named n JOIN tap_seg.truth t USING (customer_id)
     WHERE t.fact = 'one_time_opportunistic' AND n.segment IN ('Champions', 'Loyal Customers', 'Cannot Lose Them', 'At Risk')$$,
    'no planted one-time opportunistic buyer in a segment of frequent or big buyers');
-- rfm_segment reads the map from parallel workers too.
CREATE TABLE tap_seg.rfm_named_serial AS
SELECT string_agg(segment || ' ' || n, ', ' ORDER BY segment) AS counts
  FROM (SELECT segment, count(*) AS n FROM tap_seg.rfm_named GROUP BY segment) c;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT string_agg(segment || ' ' || n, ', ' ORDER BY segment)
                                  FROM (SELECT rfm_segment(s) AS segment, count(*) AS n FROM tap_seg.rfm_named GROUP BY 1) c$$,
    'Workers Launched: 2', 'rfm_segment runs on two workers',
    (SELECT counts FROM tap_seg.rfm_named_serial), 'parallel rfm_segment = serial');
CALL pg_temp.force_serial();

\i test/pgtap/lib/end.psql
