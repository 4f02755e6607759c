-- segmentation benchmarks (run by bench/run.sh on bench_shop, after purchase_history.sql).
-- (a) from the orders: per-customer summaries, the value deciles, the threshold capture of the
--     default grid (hero_min at the value deciles 0.9..0.1, repeat_min 2..10) and the value class
--     of every customer (hero_min 1000, repeat_min 10), the RFM score and named segment of every
--     customer, vs. the SQL a user writes for the same figures (GROUP BY, ntile, percentile_cont,
--     CASE, window sums);
-- (b) from a stored customer table (customer_id, spend, orders): value_distribution + deciles +
--     gini + top_share(0.3) vs. the plain SQL (ntile, window sums, the Gini formula);
-- (c) from a stored table of 1,000,000 customers (r, f, m): rfm_model + the score of every
--     customer vs. percentile_cont cut points + CASE, and vs. ntile; then the same with the named
--     segment of every customer (rfm_segment vs. the CASE of the same map).
-- Each with 0 and 2 workers. Both sides are checked once, outside the timing, to give the same
-- figures. Every output column is consumed.

-- (a) the plain SQL.
\set a_sql 'WITH c AS MATERIALIZED (SELECT customer_id, sum(amount) AS spend, count(*) AS orders, max(ordered_at) AS last_at FROM bench_shop.orders GROUP BY customer_id), t AS MATERIALIZED (SELECT count(*) AS n, sum(spend) AS total FROM c), d AS (SELECT band, count(*) AS customers, min(spend) AS min_value, max(spend) AS max_value, sum(spend) AS total_value, sum(spend) / (SELECT total FROM t) AS share_of_value, sum(sum(spend)) OVER (ORDER BY band) / (SELECT total FROM t) AS cumulative_share, avg(spend) AS avg_value FROM (SELECT spend, ntile(10) OVER (ORDER BY spend DESC) AS band FROM c) b GROUP BY band), g AS (SELECT hero_min, repeat_min FROM (SELECT DISTINCT unnest(percentile_cont(ARRAY[0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1]) WITHIN GROUP (ORDER BY spend)) AS hero_min FROM c) h CROSS JOIN generate_series(2, 10) AS repeat_min), tc AS (SELECT hero_min, repeat_min, count(*) FILTER (WHERE spend >= hero_min AND orders >= repeat_min) AS vip, count(*) FILTER (WHERE spend >= hero_min AND orders < repeat_min) AS hero, count(*) FILTER (WHERE spend < hero_min AND orders >= repeat_min) AS rep, count(*) FILTER (WHERE spend < hero_min AND orders < repeat_min) AS regular, coalesce(sum(spend) FILTER (WHERE spend >= hero_min AND orders >= repeat_min), 0) / min(t.total) AS vip_value, coalesce(sum(spend) FILTER (WHERE spend >= hero_min AND orders < repeat_min), 0) / min(t.total) AS hero_value, coalesce(sum(spend) FILTER (WHERE spend < hero_min AND orders >= repeat_min), 0) / min(t.total) AS rep_value, coalesce(sum(spend) FILTER (WHERE spend < hero_min AND orders < repeat_min), 0) / min(t.total) AS regular_value, count(*) FILTER (WHERE spend >= hero_min AND orders = 1) AS one_time_heroes FROM g CROSS JOIN c CROSS JOIN t GROUP BY hero_min, repeat_min), cls AS (SELECT CASE WHEN spend >= 1000 AND orders >= 10 THEN ''vip'' WHEN spend >= 1000 THEN ''hero'' WHEN orders >= 10 THEN ''repeat'' ELSE ''regular'' END AS class, count(*) AS n FROM c GROUP BY 1), rf AS MATERIALIZED (SELECT extract(epoch FROM (''2026-01-01''::timestamptz - last_at)) / 86400 AS r, orders::float8 AS f, spend::float8 AS m FROM c), cuts AS MATERIALIZED (SELECT percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY r) AS rc, percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY f) AS fc, percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY m) AS mc FROM rf), seg AS (SELECT bench.plain_segment(CASE WHEN r >= rc[4] THEN 1 WHEN r >= rc[3] THEN 2 WHEN r >= rc[2] THEN 3 WHEN r >= rc[1] THEN 4 ELSE 5 END, CASE WHEN f <= fc[1] THEN 1 WHEN f <= fc[2] THEN 2 WHEN f <= fc[3] THEN 3 WHEN f <= fc[4] THEN 4 ELSE 5 END, CASE WHEN m <= mc[1] THEN 1 WHEN m <= mc[2] THEN 2 WHEN m <= mc[3] THEN 3 WHEN m <= mc[4] THEN 4 ELSE 5 END) AS segment, count(*) AS n FROM rf, cuts GROUP BY 1) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM d), (SELECT sum(hero_min) + sum(repeat_min) + sum(vip) + sum(hero) + sum(rep) + sum(regular) + sum(vip::numeric / (SELECT n FROM t)) + sum(hero::numeric / (SELECT n FROM t)) + sum(rep::numeric / (SELECT n FROM t)) + sum(regular::numeric / (SELECT n FROM t)) + sum(vip_value) + sum(hero_value) + sum(rep_value) + sum(regular_value) + sum(one_time_heroes) FROM tc), (SELECT count(class) + sum(n) FROM cls), (SELECT count(segment) + sum(n) FROM seg)'
-- (a) with profiling.
\set a_profiling 'WITH c AS MATERIALIZED (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id), v AS MATERIALIZED (SELECT profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd FROM c), d AS (SELECT * FROM profiling.deciles((SELECT vd FROM v))), tc AS (SELECT * FROM profiling.threshold_capture((SELECT vd FROM v))), cls AS (SELECT profiling.value_class(h, 1000, 10) AS class, count(*) AS n FROM c GROUP BY 1), rf AS MATERIALIZED (SELECT profiling.recency_days(h, ''2026-01-01'') AS r, profiling.order_count(h)::float8 AS f, profiling.total_spend(h) AS m FROM c), mo AS MATERIALIZED (SELECT profiling.rfm_model(r, f, m) AS model FROM rf), seg AS (SELECT profiling.rfm_segment(profiling.rfm_score(model, r, f, m)) AS segment, count(*) AS n FROM rf, mo GROUP BY 1) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM d), (SELECT sum(hero_min) + sum(repeat_min) + sum(vip_customers) + sum(hero_customers) + sum(repeat_customers) + sum(regular_customers) + sum(vip_customer_share) + sum(hero_customer_share) + sum(repeat_customer_share) + sum(regular_customer_share) + sum(vip_value_share) + sum(hero_value_share) + sum(repeat_value_share) + sum(regular_value_share) + sum(one_time_heroes) FROM tc), (SELECT count(class) + sum(n) FROM cls), (SELECT count(segment) + sum(n) FROM seg)'
-- (a') the same without the threshold capture (its plain SQL is a cross join of the grid and the customers).
\set a2_sql 'WITH c AS MATERIALIZED (SELECT customer_id, sum(amount) AS spend, count(*) AS orders FROM bench_shop.orders GROUP BY customer_id), t AS MATERIALIZED (SELECT count(*) AS n, sum(spend) AS total FROM c), d AS (SELECT band, count(*) AS customers, min(spend) AS min_value, max(spend) AS max_value, sum(spend) AS total_value, sum(spend) / (SELECT total FROM t) AS share_of_value, sum(sum(spend)) OVER (ORDER BY band) / (SELECT total FROM t) AS cumulative_share, avg(spend) AS avg_value FROM (SELECT spend, ntile(10) OVER (ORDER BY spend DESC) AS band FROM c) b GROUP BY band), cls AS (SELECT CASE WHEN spend >= 1000 AND orders >= 10 THEN ''vip'' WHEN spend >= 1000 THEN ''hero'' WHEN orders >= 10 THEN ''repeat'' ELSE ''regular'' END AS class, count(*) AS n FROM c GROUP BY 1) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM d), (SELECT count(class) + sum(n) FROM cls)'
\set a2_profiling 'WITH c AS MATERIALIZED (SELECT customer_id, profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id), v AS MATERIALIZED (SELECT profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd FROM c), d AS (SELECT * FROM profiling.deciles((SELECT vd FROM v))), cls AS (SELECT profiling.value_class(h, 1000, 10) AS class, count(*) AS n FROM c GROUP BY 1) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM d), (SELECT count(class) + sum(n) FROM cls)'
-- (b) the plain SQL over the stored customer table.
\set b_sql 'WITH r AS MATERIALIZED (SELECT spend, row_number() OVER (ORDER BY spend) AS i, ntile(10) OVER (ORDER BY spend DESC) AS band, row_number() OVER (ORDER BY spend DESC) AS rank_desc FROM bench.seg_customers), t AS MATERIALIZED (SELECT count(*) AS n, sum(spend) AS total FROM r), d AS (SELECT band, count(*) AS customers, min(spend) AS min_value, max(spend) AS max_value, sum(spend) AS total_value, sum(spend) / (SELECT total FROM t) AS share_of_value, sum(sum(spend)) OVER (ORDER BY band) / (SELECT total FROM t) AS cumulative_share, avg(spend) AS avg_value FROM r GROUP BY band) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM d), (SELECT sum((2 * i - t.n - 1) * spend) / (t.n * t.total) FROM r, t GROUP BY t.n, t.total), (SELECT sum(CASE WHEN rank_desc <= floor(0.3 * t.n) THEN spend WHEN rank_desc = floor(0.3 * t.n) + 1 THEN (0.3 * t.n - floor(0.3 * t.n)) * spend ELSE 0 END) / t.total FROM r, t GROUP BY t.n, t.total)'
-- (b) with profiling.
\set b_profiling 'WITH v AS MATERIALIZED (SELECT profiling.value_distribution(spend, orders) AS vd FROM bench.seg_customers) SELECT (SELECT sum(band) + sum(customers) + sum(min_value) + sum(max_value) + sum(total_value) + sum(share_of_value) + sum(cumulative_share) + sum(avg_value) FROM profiling.deciles((SELECT vd FROM v))), (SELECT profiling.gini(vd) FROM v), (SELECT profiling.top_share(vd, 0.3) FROM v)'

-- The stored customer table of (b), and the summaries the checks read.
CREATE TABLE bench.seg_customers AS
SELECT customer_id, sum(amount) AS spend, count(*) AS orders FROM bench_shop.orders GROUP BY customer_id;
VACUUM ANALYZE bench.seg_customers;
CREATE TEMP TABLE seg_vd AS
SELECT profiling.value_distribution(spend, orders) AS vd FROM bench.seg_customers;

-- (c) the stored RFM table: 1,000,000 customers, the large warehouse's buyers six times over
-- (the first million), each copy shifted a little (recency by k days, spend by k %), so that
-- ties stay as common as in real data. float8 columns, as a table of metrics holds them.
CREATE TABLE bench.rfm_customers AS
SELECT c.customer_id * 6 + k AS customer_id, (c.r + k)::float8 AS r, c.f, (c.m * (1 + k / 100.0))::float8 AS m
  FROM (SELECT customer_id,
               extract(epoch FROM ((SELECT reference_date FROM bench_shop.warehouse_info) - max(ordered_at))) / 86400 AS r,
               count(*)::float8 AS f, sum(amount) AS m
          FROM bench_shop.orders GROUP BY customer_id) c,
       generate_series(0, 5) AS k
 ORDER BY k, c.customer_id
 LIMIT 1000000;
VACUUM ANALYZE bench.rfm_customers;
-- The named segments as a user writes them: the shipped map of profiling.rfm_segment_map as CASE.
-- A single expression, so that the planner inlines it as if written in the query.
CREATE FUNCTION bench.plain_segment(r int, f int, m int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN r = 5 AND (f + m + 1) / 2 >= 4 THEN 'Champions'
                WHEN r IN (3, 4) AND (f + m + 1) / 2 >= 4 THEN 'Loyal Customers'
                WHEN r >= 4 AND (f + m + 1) / 2 IN (2, 3) THEN 'Potential Loyalist'
                WHEN r = 5 THEN 'New Customers' WHEN r = 4 THEN 'Promising'
                WHEN r = 3 AND (f + m + 1) / 2 = 3 THEN 'Need Attention' WHEN r = 3 THEN 'About to Sleep'
                WHEN (f + m + 1) / 2 = 5 THEN 'Cannot Lose Them' WHEN (f + m + 1) / 2 >= 3 THEN 'At Risk'
                WHEN r = 2 THEN 'Hibernating' ELSE 'Lost' END
$$;
-- (c) the plain SQL: the cut points by percentile_cont, the scores by CASE (a value equal to a
-- cut point takes the lower score; recency reversed); and by ntile, which splits ties.
\set c_scores 'CASE WHEN r >= rc[4] THEN 1 WHEN r >= rc[3] THEN 2 WHEN r >= rc[2] THEN 3 WHEN r >= rc[1] THEN 4 ELSE 5 END AS rs, CASE WHEN f <= fc[1] THEN 1 WHEN f <= fc[2] THEN 2 WHEN f <= fc[3] THEN 3 WHEN f <= fc[4] THEN 4 ELSE 5 END AS fs, CASE WHEN m <= mc[1] THEN 1 WHEN m <= mc[2] THEN 2 WHEN m <= mc[3] THEN 3 WHEN m <= mc[4] THEN 4 ELSE 5 END AS ms'
\set c_cuts 'SELECT percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY r) AS rc, percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY f) AS fc, percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY m) AS mc FROM bench.rfm_customers'
\set c_sql 'WITH cuts AS MATERIALIZED (' :c_cuts ') SELECT sum(rs * 100 + fs * 10 + ms) FROM (SELECT ' :c_scores ' FROM bench.rfm_customers, cuts) s'
\set c_ntile 'SELECT sum(rs * 100 + fs * 10 + ms) FROM (SELECT ntile(5) OVER (ORDER BY r DESC) AS rs, ntile(5) OVER (ORDER BY f) AS fs, ntile(5) OVER (ORDER BY m) AS ms FROM bench.rfm_customers) s'
\set c_profiling 'WITH mo AS MATERIALIZED (SELECT profiling.rfm_model(r, f, m) AS model FROM bench.rfm_customers) SELECT sum(profiling.rfm_score(model, r, f, m)::int) FROM bench.rfm_customers, mo'
\set c2_sql 'WITH cuts AS MATERIALIZED (' :c_cuts ') SELECT string_agg(segment || n, '','' ORDER BY segment) FROM (SELECT bench.plain_segment(rs, fs, ms) AS segment, count(*) AS n FROM (SELECT ' :c_scores ' FROM bench.rfm_customers, cuts) s GROUP BY 1) g'
\set c2_profiling 'WITH mo AS MATERIALIZED (SELECT profiling.rfm_model(r, f, m) AS model FROM bench.rfm_customers) SELECT string_agg(segment || n, '','' ORDER BY segment) FROM (SELECT profiling.rfm_segment(profiling.rfm_score(model, r, f, m)) AS segment, count(*) AS n FROM bench.rfm_customers, mo GROUP BY 1) g'

\echo 'The data: buyers, spend ties, one-order buyers'
SELECT count(*) AS buyers, count(*) - count(DISTINCT spend) AS customers_tied_with_a_previous_one,
       count(*) FILTER (WHERE orders = 1) AS one_order_buyers
  FROM bench.seg_customers \gset seg_
\echo '   buyers' :seg_buyers ', customers tied with another on spend' :seg_customers_tied_with_a_previous_one ', one-order buyers' :seg_one_order_buyers

\echo 'Checks (outside the timing): both sides give the same figures'
-- ntile cuts every band at a fixed count; deciles keeps a tie group in its first member's band.
-- The bands agree unless a tie group straddles an ntile boundary: count those boundaries.
WITH r AS (SELECT spend, ntile(10) OVER (ORDER BY spend DESC) AS band FROM bench.seg_customers)
SELECT count(*) AS ntile_boundaries_inside_a_tie_group
  FROM (SELECT band, min(spend) AS lo FROM r GROUP BY band) a
  JOIN (SELECT band, max(spend) AS hi FROM r GROUP BY band) b ON b.band = a.band + 1
 WHERE a.lo = b.hi;

-- Shares and means compared to within 1e-12 (numeric division on one side, float8 on the other).
WITH sql AS (
    SELECT band, count(*) AS customers, min(spend)::float8 AS min_value, max(spend)::float8 AS max_value,
           sum(spend)::float8 AS total_value, sum(spend) / sum(sum(spend)) OVER () AS share_of_value,
           sum(sum(spend)) OVER (ORDER BY band) / sum(sum(spend)) OVER () AS cumulative_share,
           avg(spend) AS avg_value
      FROM (SELECT spend, ntile(10) OVER (ORDER BY spend DESC) AS band FROM bench.seg_customers) b
     GROUP BY band),
prof AS (SELECT * FROM profiling.deciles((SELECT vd FROM seg_vd))),
j AS (SELECT s.band, s.customers = p.customers AND s.min_value = p.min_value AND s.max_value = p.max_value
                     AND s.total_value = p.total_value
                     AND abs(s.share_of_value - p.share_of_value::numeric) < 1e-12
                     AND abs(s.cumulative_share - p.cumulative_share::numeric) < 1e-12
                     AND abs(s.avg_value - p.avg_value::numeric) < 1e-9 * abs(s.avg_value) AS same,
             p.customers - s.customers AS customer_difference,
             abs(s.share_of_value - p.share_of_value::numeric) AS share_difference
        FROM sql s JOIN prof p USING (band))
SELECT count(*) = 10 AND bool_and(same) AS deciles_equal, count(*) FILTER (WHERE same) AS equal_bands,
       max(abs(customer_difference)) AS max_customer_difference,
       round(max(share_difference), 6) AS max_share_difference
  FROM j;

WITH c AS (SELECT spend, orders FROM bench.seg_customers),
t AS (SELECT count(*) AS n, sum(spend) AS total FROM c),
g AS (SELECT hero_min, repeat_min
        FROM (SELECT DISTINCT unnest(percentile_cont(ARRAY[0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1])
                                     WITHIN GROUP (ORDER BY spend)) AS hero_min FROM c) h
       CROSS JOIN generate_series(2, 10) AS repeat_min),
sql AS (
    SELECT hero_min, repeat_min,
           count(*) FILTER (WHERE spend >= hero_min AND orders >= repeat_min) AS vip,
           count(*) FILTER (WHERE spend >= hero_min AND orders < repeat_min) AS hero,
           count(*) FILTER (WHERE spend < hero_min AND orders >= repeat_min) AS rep,
           count(*) FILTER (WHERE spend < hero_min AND orders < repeat_min) AS regular,
           count(*) FILTER (WHERE spend >= hero_min AND orders >= repeat_min)::numeric / min(t.n) AS vip_share,
           count(*) FILTER (WHERE spend < hero_min AND orders < repeat_min)::numeric / min(t.n) AS regular_share,
           coalesce(sum(spend) FILTER (WHERE spend >= hero_min AND orders >= repeat_min), 0) / min(t.total) AS vip_value,
           coalesce(sum(spend) FILTER (WHERE spend >= hero_min AND orders < repeat_min), 0) / min(t.total) AS hero_value,
           coalesce(sum(spend) FILTER (WHERE spend < hero_min AND orders >= repeat_min), 0) / min(t.total) AS rep_value,
           coalesce(sum(spend) FILTER (WHERE spend < hero_min AND orders < repeat_min), 0) / min(t.total) AS regular_value,
           count(*) FILTER (WHERE spend >= hero_min AND orders = 1) AS one_time_heroes
      FROM g CROSS JOIN c CROSS JOIN t GROUP BY hero_min, repeat_min),
prof AS (SELECT * FROM profiling.threshold_capture((SELECT vd FROM seg_vd)))
SELECT count(*) AS threshold_rows,
       count(*) = 81 AND bool_and(s.vip = p.vip_customers AND s.hero = p.hero_customers
                     AND s.rep = p.repeat_customers AND s.regular = p.regular_customers
                     AND s.one_time_heroes = p.one_time_heroes
                     AND abs(s.vip_share - p.vip_customer_share::numeric) < 1e-12
                     AND abs(s.regular_share - p.regular_customer_share::numeric) < 1e-12
                     AND abs(s.vip_value - p.vip_value_share::numeric) < 1e-12
                     AND abs(s.hero_value - p.hero_value_share::numeric) < 1e-12
                     AND abs(s.rep_value - p.repeat_value_share::numeric) < 1e-12
                     AND abs(s.regular_value - p.regular_value_share::numeric) < 1e-12) AS threshold_capture_equal
  FROM sql s JOIN prof p ON p.hero_min = s.hero_min AND p.repeat_min = s.repeat_min;

SELECT (SELECT array_agg(class || ' ' || n ORDER BY class)
          FROM (SELECT CASE WHEN spend >= 1000 AND orders >= 10 THEN 'vip' WHEN spend >= 1000 THEN 'hero'
                            WHEN orders >= 10 THEN 'repeat' ELSE 'regular' END AS class, count(*) AS n
                  FROM bench.seg_customers GROUP BY 1) s)
     = (SELECT array_agg(class || ' ' || n ORDER BY class::text)
          FROM (SELECT profiling.value_class(h, 1000, 10)::text AS class, count(*) AS n
                  FROM (SELECT profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) ph GROUP BY 1) p) AS value_class_counts_equal,
       (SELECT string_agg(class || ' ' || n, ', ' ORDER BY class)
          FROM (SELECT profiling.value_class(h, 1000, 10) AS class, count(*) AS n
                  FROM (SELECT profiling.purchase_history(ordered_at, amount) AS h FROM bench_shop.orders GROUP BY customer_id) ph GROUP BY 1) p) AS value_classes_at_1000_10;

WITH r AS (SELECT spend, row_number() OVER (ORDER BY spend) AS i, row_number() OVER (ORDER BY spend DESC) AS rank_desc
             FROM bench.seg_customers),
t AS (SELECT count(*) AS n, sum(spend) AS total FROM r)
SELECT abs((SELECT sum((2 * i - t.n - 1) * spend) / (t.n * t.total) FROM r GROUP BY t.n, t.total)
           - profiling.gini(vd)::numeric) < 1e-12 AS gini_equal,
       abs((SELECT sum(CASE WHEN rank_desc <= floor(0.3 * t.n) THEN spend
                              WHEN rank_desc = floor(0.3 * t.n) + 1 THEN (0.3 * t.n - floor(0.3 * t.n)) * spend
                              ELSE 0 END) / t.total FROM r GROUP BY t.n, t.total)
           - profiling.top_share(vd, 0.3)::numeric) < 1e-12 AS top_share_equal,
       profiling.gini(vd) AS gini, profiling.top_share(vd, 0.3) AS top_30_percent
  FROM t, seg_vd;

\echo 'Checks (outside the timing): RFM scores and segments of 1,000,000 customers, both ways'
SELECT count(*) AS rfm_customers, count(DISTINCT (r, f, m)) AS distinct_rfm FROM bench.rfm_customers;
WITH cuts AS (SELECT percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY r) AS rc,
                     percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY f) AS fc,
                     percentile_cont(ARRAY[0.2,0.4,0.6,0.8]) WITHIN GROUP (ORDER BY m) AS mc FROM bench.rfm_customers),
mo AS (SELECT profiling.rfm_model(r, f, m) AS model FROM bench.rfm_customers),
both_ways AS (
    SELECT customer_id, r, f, m,
           CASE WHEN r >= rc[4] THEN 1 WHEN r >= rc[3] THEN 2 WHEN r >= rc[2] THEN 3 WHEN r >= rc[1] THEN 4 ELSE 5 END AS rs,
           CASE WHEN f <= fc[1] THEN 1 WHEN f <= fc[2] THEN 2 WHEN f <= fc[3] THEN 3 WHEN f <= fc[4] THEN 4 ELSE 5 END AS fs,
           CASE WHEN m <= mc[1] THEN 1 WHEN m <= mc[2] THEN 2 WHEN m <= mc[3] THEN 3 WHEN m <= mc[4] THEN 4 ELSE 5 END AS ms,
           profiling.rfm_score(model, r, f, m) AS s,
           ntile(5) OVER (ORDER BY r DESC) AS rn, ntile(5) OVER (ORDER BY f) AS fn, ntile(5) OVER (ORDER BY m) AS mn
      FROM bench.rfm_customers, cuts, mo)
SELECT count(*) FILTER (WHERE (rs, fs, ms) IS DISTINCT FROM (profiling.r(s), profiling.f(s), profiling.m(s))) AS scores_differing_from_case,
       count(*) FILTER (WHERE bench.plain_segment(rs, fs, ms) IS DISTINCT FROM profiling.rfm_segment(s)) AS segments_differing_from_case,
       count(*) FILTER (WHERE (rn, fn, mn) IS DISTINCT FROM (rs, fs, ms)) AS ntile_scores_differing,
       count(*) FILTER (WHERE fn <> fs) AS ntile_f_differing
  FROM both_ways;

\echo '(a) from the orders: summaries + deciles + threshold capture (81 pairs) + every value class + every RFM segment, vs. plain SQL (3 runs each)'
SELECT * FROM bench.compare('(a) segmentation from the orders', :'a_sql', :'a_profiling', 0, 3)
UNION ALL
SELECT * FROM bench.compare('(a) segmentation from the orders', :'a_sql', :'a_profiling', 2, 3)
UNION ALL
SELECT * FROM bench.compare('(a'') the same without threshold capture', :'a2_sql', :'a2_profiling', 0);

\echo '(b) from a stored customer table: value_distribution + deciles + gini + top_share(0.3), vs. plain SQL'
SELECT * FROM bench.compare('(b) value structure of a customer table', :'b_sql', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) value structure of a customer table', :'b_sql', :'b_profiling', 2);

\echo '(c) 1,000,000 stored customers (r, f, m): rfm_model + every score, vs. percentile_cont + CASE and vs. ntile; then with the named segment'
SELECT * FROM bench.compare('(c) RFM scores vs percentile_cont + CASE', :'c_sql', :'c_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(c) RFM scores vs percentile_cont + CASE', :'c_sql', :'c_profiling', 2)
UNION ALL
SELECT * FROM bench.compare('(c) RFM scores vs ntile', :'c_ntile', :'c_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(c) RFM scores vs ntile', :'c_ntile', :'c_profiling', 2)
UNION ALL
SELECT * FROM bench.compare('(c'') scores + named segments vs CASE', :'c2_sql', :'c2_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(c'') scores + named segments vs CASE', :'c2_sql', :'c2_profiling', 2);
