-- price_tiers benchmarks (run by bench/run.sh on bench_shop, the sample warehouse): the tier mix
-- of every customer, lines per tier, amount per tier, the share of high and the dominant tier.
-- (a) from order lines already tiered (a column tier): tier_mix(tier, amount) GROUP BY customer
--     vs. the SQL a user writes: count(*) and sum(amount) FILTER (WHERE tier = ...) GROUP BY
--     customer, then the share and a CASE for the dominant tier;
-- (b) from the raw lines: each line tiered by its product's category bands, price_tier() vs. a
--     CASE over the cut points, then the same.
-- Both sides are checked once, outside the timing, to agree (counts per dominant tier and the
-- sum of the high shares to 1e-9). Every output column is consumed.
CREATE TABLE bench.pt_bands AS
SELECT category, profiling.price_bands(unit_price::float8) AS bands FROM bench_shop.products GROUP BY 1;
CREATE TABLE bench.pt_lines AS
SELECT o.customer_id, l.product_id, l.quantity * l.unit_price AS amount,
       profiling.price_tier(b.bands, p.unit_price::float8) AS tier
  FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id)
  JOIN bench_shop.products p USING (product_id) JOIN bench.pt_bands b USING (category);
VACUUM ANALYZE bench.pt_lines;

\set a_sql 'SELECT count(*), count(dominant), sum(high_share), sum(low_lines + mid_lines + high_lines) FROM (SELECT low_lines, mid_lines, high_lines, high / nullif(low + mid + high, 0) AS high_share, CASE WHEN low + mid + high = 0 THEN NULL WHEN low >= mid AND low >= high THEN ''low'' WHEN mid >= high THEN ''mid'' ELSE ''high'' END AS dominant FROM (SELECT customer_id, count(*) FILTER (WHERE tier = ''low'') AS low_lines, count(*) FILTER (WHERE tier = ''mid'') AS mid_lines, count(*) FILTER (WHERE tier = ''high'') AS high_lines, coalesce(sum(amount) FILTER (WHERE tier = ''low''), 0) AS low, coalesce(sum(amount) FILTER (WHERE tier = ''mid''), 0) AS mid, coalesce(sum(amount) FILTER (WHERE tier = ''high''), 0) AS high FROM bench.pt_lines GROUP BY customer_id) s) t'
\set a_profiling 'SELECT count(*), count(profiling.dominant_tier(m)), sum(profiling.tier_share(m, ''high'')), sum(profiling.tier_lines(m, ''low'') + profiling.tier_lines(m, ''mid'') + profiling.tier_lines(m, ''high'')) FROM (SELECT customer_id, profiling.tier_mix(tier, amount::float8) AS m FROM bench.pt_lines GROUP BY customer_id) s'
\set b_sql 'SELECT count(*), count(dominant), sum(high_share), sum(low_lines + mid_lines + high_lines) FROM (SELECT low_lines, mid_lines, high_lines, high / nullif(low + mid + high, 0) AS high_share, CASE WHEN low + mid + high = 0 THEN NULL WHEN low >= mid AND low >= high THEN ''low'' WHEN mid >= high THEN ''mid'' ELSE ''high'' END AS dominant FROM (SELECT customer_id, count(*) FILTER (WHERE tier = ''low'') AS low_lines, count(*) FILTER (WHERE tier = ''mid'') AS mid_lines, count(*) FILTER (WHERE tier = ''high'') AS high_lines, coalesce(sum(amount) FILTER (WHERE tier = ''low''), 0) AS low, coalesce(sum(amount) FILTER (WHERE tier = ''mid''), 0) AS mid, coalesce(sum(amount) FILTER (WHERE tier = ''high''), 0) AS high FROM (SELECT o.customer_id, l.quantity * l.unit_price AS amount, CASE WHEN p.unit_price <= profiling.low_max(b.bands) THEN ''low'' WHEN p.unit_price <= profiling.mid_max(b.bands) THEN ''mid'' ELSE ''high'' END AS tier FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) JOIN bench_shop.products p USING (product_id) JOIN bench.pt_bands b USING (category)) x GROUP BY customer_id) s) t'
\set b_profiling 'SELECT count(*), count(profiling.dominant_tier(m)), sum(profiling.tier_share(m, ''high'')), sum(profiling.tier_lines(m, ''low'') + profiling.tier_lines(m, ''mid'') + profiling.tier_lines(m, ''high'')) FROM (SELECT o.customer_id, profiling.tier_mix(profiling.price_tier(b.bands, p.unit_price::float8), (l.quantity * l.unit_price)::float8) AS m FROM bench_shop.order_lines l JOIN bench_shop.orders o USING (order_id) JOIN bench_shop.products p USING (product_id) JOIN bench.pt_bands b USING (category) GROUP BY o.customer_id) s'

\echo 'The data: order lines, customers'
SELECT count(*) AS lines, count(DISTINCT customer_id) AS customers FROM bench.pt_lines;

\echo 'Check (outside the timing): both sides agree'
SELECT a.count = p.count AS same_customers, a.count_1 = p.count_1 AS same_with_spend,
       abs(a.sum - p.sum::numeric) < 1e-9 * a.sum AS same_high_shares, a.sum_1 = p.sum_1 AS same_lines
  FROM (SELECT count(*), count(dominant), sum(high_share), sum(low_lines + mid_lines + high_lines) AS sum_1
          FROM (SELECT low_lines, mid_lines, high_lines, high / nullif(low + mid + high, 0) AS high_share,
                       CASE WHEN low + mid + high = 0 THEN NULL ELSE 'x' END AS dominant
                  FROM (SELECT customer_id, count(*) FILTER (WHERE tier = 'low') AS low_lines, count(*) FILTER (WHERE tier = 'mid') AS mid_lines,
                               count(*) FILTER (WHERE tier = 'high') AS high_lines,
                               coalesce(sum(amount) FILTER (WHERE tier = 'low'), 0) AS low, coalesce(sum(amount) FILTER (WHERE tier = 'mid'), 0) AS mid,
                               coalesce(sum(amount) FILTER (WHERE tier = 'high'), 0) AS high
                          FROM bench.pt_lines GROUP BY customer_id) s) t) a(count, count_1, sum, sum_1),
       (SELECT count(*), count(profiling.dominant_tier(m)), sum(profiling.tier_share(m, 'high')),
               sum(profiling.tier_lines(m, 'low') + profiling.tier_lines(m, 'mid') + profiling.tier_lines(m, 'high'))
          FROM (SELECT customer_id, profiling.tier_mix(tier, amount::float8) AS m FROM bench.pt_lines GROUP BY customer_id) s) p(count, count_1, sum, sum_1);

\echo '(a) the tier mix of every customer from tiered lines vs. count/sum FILTER GROUP BY (5 runs each)'
SELECT * FROM bench.compare('(a) tier mix, tiered lines', :'a_sql', :'a_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(a) tier mix, tiered lines', :'a_sql', :'a_profiling', 2);

\echo '(b) the tier mix of every customer from the raw lines, tiering included, vs. CASE + FILTER GROUP BY'
SELECT * FROM bench.compare('(b) tier mix, raw lines', :'b_sql', :'b_profiling', 0)
UNION ALL
SELECT * FROM bench.compare('(b) tier mix, raw lines', :'b_sql', :'b_profiling', 2);
\echo 'Memory per group (serial, (a))'
SELECT bench.aggregate_memory(:'a_sql') AS plain_sql, bench.aggregate_memory(:'a_profiling') AS profiling;

DROP TABLE bench.pt_lines, bench.pt_bands;
