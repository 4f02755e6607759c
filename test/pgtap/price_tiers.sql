-- price_tiers properties on the small sample warehouse: each category's price_bands over its
-- products (and over its order lines) equal percentile_cont(1/3) and percentile_cont(2/3) to
-- 1e-12 relative; the tiers recover the planted products.price_tier; every customer's tier_mix
-- (order lines tiered by their product's category bands) equals the plain CASE + GROUP BY +
-- FILTER sums, its shares the plain shares; heroes and VIPs lean high; rollup of any split = one
-- pass; parallel = serial. Summaries are compared by their bytes (_send) or text, never with the
-- type's own =; every other comparison is IS DISTINCT FROM or an explicit tolerance.
\i test/pgtap/lib/begin.psql
SELECT plan(32);

CALL sample_warehouse.build('tap_pt', 'small', 42);
CALL pg_temp.force_serial();

CREATE TABLE tap_pt.bands AS
SELECT category, price_bands(unit_price::float8) AS bands FROM tap_pt.products GROUP BY 1;
-- Every order line, its customer, its amount, and its tier by the product's category bands.
CREATE TABLE tap_pt.lines AS
SELECT o.customer_id, l.order_id, l.product_id, p.category, (l.quantity * l.unit_price) AS amount,
       price_tier(b.bands, p.unit_price::float8) AS tier
  FROM tap_pt.order_lines l JOIN tap_pt.orders o USING (order_id)
  JOIN tap_pt.products p USING (product_id) JOIN tap_pt.bands b USING (category);
ANALYZE tap_pt.lines;
CREATE TABLE tap_pt.mix AS
SELECT customer_id, tier_mix(tier, amount::float8) AS m FROM tap_pt.lines GROUP BY 1;
-- The plain-SQL mix: lines and exact amounts per tier, CASE + GROUP BY + FILTER.
CREATE TABLE tap_pt.plain AS
SELECT customer_id,
       count(*) FILTER (WHERE t = 'low') AS low_lines, count(*) FILTER (WHERE t = 'mid') AS mid_lines,
       count(*) FILTER (WHERE t = 'high') AS high_lines,
       coalesce(sum(amount) FILTER (WHERE t = 'low'), 0) AS low_amount,
       coalesce(sum(amount) FILTER (WHERE t = 'mid'), 0) AS mid_amount,
       coalesce(sum(amount) FILTER (WHERE t = 'high'), 0) AS high_amount, sum(amount) AS total
  FROM (SELECT l.customer_id, l.amount,
               CASE WHEN p.unit_price <= low_max(b.bands) THEN 'low'
                    WHEN p.unit_price <= mid_max(b.bands) THEN 'mid' ELSE 'high' END AS t
          FROM tap_pt.lines l JOIN tap_pt.products p USING (product_id) JOIN tap_pt.bands b ON b.category = l.category) s
 GROUP BY 1;

-- The data can make the assertions fail -------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM tap_pt.products), '>', 140::bigint, 'the small warehouse has more than 140 products');
SELECT is((SELECT count(*) FROM tap_pt.bands), 8::bigint, 'in 8 categories');
SELECT cmp_ok((SELECT count(*) FROM tap_pt.mix), '>', 1000::bigint, 'more than 1000 customers bought something');
SELECT cmp_ok((SELECT count(*) FROM tap_pt.plain WHERE low_lines > 0 AND mid_lines > 0 AND high_lines > 0), '>', 100::bigint,
              'more than 100 of them bought in all three tiers');

-- Cut points = percentile_cont ----------------------------------------------------------------
SELECT is_empty($$
    SELECT * FROM tap_pt.bands b
      FULL JOIN (SELECT category, percentile_cont(1.0 / 3) WITHIN GROUP (ORDER BY unit_price::float8) AS lo,
                        percentile_cont(2.0 / 3) WITHIN GROUP (ORDER BY unit_price::float8) AS hi, count(*) AS n
                   FROM tap_pt.products GROUP BY 1) p USING (category)
     WHERE b.bands IS NULL OR p.lo IS NULL OR abs(low_max(b.bands) - p.lo) > 1e-12 * p.lo
        OR abs(mid_max(b.bands) - p.hi) > 1e-12 * p.hi OR price_count(b.bands) IS DISTINCT FROM p.n$$,
    'over the products of each category: low_max, mid_max = percentile_cont(1/3, 2/3) to 1e-12 relative; price_count = count(*)');
SELECT is_empty($$
    SELECT * FROM (SELECT p.category, price_bands(l.unit_price::float8) AS bands
                     FROM tap_pt.order_lines l JOIN tap_pt.products p USING (product_id) GROUP BY 1) b
      FULL JOIN (SELECT p.category, percentile_cont(1.0 / 3) WITHIN GROUP (ORDER BY l.unit_price::float8) AS lo,
                        percentile_cont(2.0 / 3) WITHIN GROUP (ORDER BY l.unit_price::float8) AS hi
                   FROM tap_pt.order_lines l JOIN tap_pt.products p USING (product_id) GROUP BY 1) p USING (category)
     WHERE b.bands IS NULL OR p.lo IS NULL OR abs(low_max(b.bands) - p.lo) > 1e-12 * p.lo
        OR abs(mid_max(b.bands) - p.hi) > 1e-12 * p.hi$$,
    'over the order lines (prices charged) of each category: the same, to 1e-12 relative');

-- The planted tiers ---------------------------------------------------------------------------
SELECT is_empty($$
    SELECT p.product_id FROM tap_pt.products p
      JOIN (SELECT category, price_bands(unit_price::float8) AS bands FROM tap_pt.products WHERE product_id > 8 GROUP BY 1) b USING (category)
     WHERE price_tier(b.bands, p.unit_price::float8)::text IS DISTINCT FROM p.price_tier::text$$,
    'bands over the regular products (as many of each tier) recover every product''s planted tier, the planted products'' too');
SELECT is_empty($$
    SELECT p.product_id FROM tap_pt.products p JOIN tap_pt.bands b USING (category)
     WHERE p.category IN ('apparel', 'books', 'garden', 'toys')
       AND price_tier(b.bands, p.unit_price::float8)::text IS DISTINCT FROM p.price_tier::text$$,
    'bands over all products recover every planted tier in the categories without planted products');
SELECT is_empty($$
    SELECT category FROM tap_pt.products p JOIN tap_pt.bands b USING (category)
     GROUP BY category
    HAVING count(*) FILTER (WHERE price_tier(b.bands, p.unit_price::float8)::text <> p.price_tier::text)
           > count(*) FILTER (WHERE p.product_id <= 8)$$,
    'elsewhere no more products change tier than the category has planted products (which unbalance its tiers)');

-- tier_mix = plain SQL ------------------------------------------------------------------------
SELECT is_empty($$
    SELECT * FROM tap_pt.plain p FULL JOIN tap_pt.mix m USING (customer_id)
     WHERE tier_lines(m.m, 'low') IS DISTINCT FROM p.low_lines OR tier_lines(m.m, 'mid') IS DISTINCT FROM p.mid_lines
        OR tier_lines(m.m, 'high') IS DISTINCT FROM p.high_lines$$,
    'tier_lines of every customer and tier = count(*) FILTER (WHERE CASE ... = tier) ... GROUP BY customer');
SELECT is_empty($$
    SELECT * FROM tap_pt.plain p FULL JOIN tap_pt.mix m USING (customer_id)
     WHERE tier_amount(m.m, 'low') IS DISTINCT FROM p.low_amount::float8
        OR tier_amount(m.m, 'mid') IS DISTINCT FROM p.mid_amount::float8
        OR tier_amount(m.m, 'high') IS DISTINCT FROM p.high_amount::float8$$,
    'tier_amount = sum(numeric amount) FILTER (...)::float8 exactly (exact decimal sums)');
SELECT is_empty($$
    SELECT * FROM tap_pt.plain p FULL JOIN tap_pt.mix m USING (customer_id)
     WHERE p.total = 0 OR abs(tier_share(m.m, 'low') - (p.low_amount / p.total)::float8) > 1e-12
        OR abs(tier_share(m.m, 'mid') - (p.mid_amount / p.total)::float8) > 1e-12
        OR abs(tier_share(m.m, 'high') - (p.high_amount / p.total)::float8) > 1e-12
        OR tier_share(m.m, 'low') IS NULL$$,
    'tier_share = sum(amount) FILTER (...) / sum(amount), to 1e-12');
SELECT is_empty($$
    SELECT * FROM tap_pt.plain p JOIN tap_pt.mix m USING (customer_id)
     WHERE dominant_tier(m.m)::text IS DISTINCT FROM
           CASE WHEN p.low_amount >= p.mid_amount AND p.low_amount >= p.high_amount THEN 'low'
                WHEN p.mid_amount >= p.high_amount THEN 'mid' ELSE 'high' END$$,
    'dominant_tier = the tier of the largest plain amount (ties: the lower tier)');
SELECT is((SELECT string_agg(format('(%s,%s,%s)', t, n, a::float8), ',' ORDER BY t)
             FROM (SELECT tier AS t, count(*) AS n, sum(amount) AS a FROM tap_pt.lines WHERE customer_id = (SELECT min(customer_id) FROM tap_pt.mix) GROUP BY 1) s),
          (SELECT trim(both '{}' from m::text) FROM tap_pt.mix WHERE customer_id = (SELECT min(customer_id) FROM tap_pt.mix)),
          'the text form = the plain (tier,lines,amount) in tier order');

-- The planted customers -----------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM tap_pt.truth WHERE fact IN ('hero', 'vip')), '>=', 20::bigint,
              'the warehouse plants 20 or more heroes and VIPs');
SELECT is_empty($$
    SELECT t.customer_id, m.m FROM tap_pt.truth t LEFT JOIN tap_pt.mix m USING (customer_id)
     WHERE t.fact = 'hero' AND dominant_tier(m.m) IS DISTINCT FROM 'high'$$,
    'every hero leans high: dominant_tier = high');
-- VIPs buy from the upscale pool (mid and high): more of their lines and often more of their
-- spend are mid, but their high share is above everyone else's, and they buy nothing low.
SELECT is_empty($$
    SELECT t.customer_id, m.m, o.share FROM tap_pt.truth t LEFT JOIN tap_pt.mix m USING (customer_id),
           (SELECT tier_share(rollup(m), 'high') AS share FROM tap_pt.mix
             WHERE customer_id NOT IN (SELECT customer_id FROM tap_pt.truth WHERE fact IN ('hero', 'vip'))) o
     WHERE t.fact = 'vip' AND (tier_lines(m.m, 'low') IS DISTINCT FROM 0::bigint
                               OR NOT tier_share(m.m, 'high') > 1.25 * o.share)$$,
    'every VIP leans high: nothing low, and a high share over 1.25 times that of the other customers together');
-- Rollup --------------------------------------------------------------------------------------
SELECT is((SELECT string_agg(encode(tier_mix_send(m), 'hex'), ',' ORDER BY customer_id)
             FROM (SELECT customer_id, rollup(m) AS m
                     FROM (SELECT customer_id, tier_mix(tier, amount::float8) AS m FROM tap_pt.lines GROUP BY customer_id, order_id % 2) s
                    GROUP BY 1) r),
          (SELECT string_agg(encode(tier_mix_send(m), 'hex'), ',' ORDER BY customer_id) FROM tap_pt.mix),
          'rollup of the mixes of each customer''s odd and even orders = one pass, byte for byte');
SELECT is((SELECT string_agg(encode(tier_mix_send(m), 'hex'), ',' ORDER BY customer_id)
             FROM (SELECT customer_id, rollup(m) AS m
                     FROM (SELECT customer_id, tier_mix(tier, amount::float8) AS m FROM tap_pt.lines GROUP BY customer_id, order_id
                           UNION ALL SELECT customer_id, NULL FROM tap_pt.mix) s
                    GROUP BY 1) r),
          (SELECT string_agg(encode(tier_mix_send(m), 'hex'), ',' ORDER BY customer_id) FROM tap_pt.mix),
          'rollup of one mix an order (and a NULL) = one pass, byte for byte');
SELECT is((SELECT encode(tier_mix_send(rollup(m)), 'hex') FROM tap_pt.mix),
          (SELECT encode(tier_mix_send(tier_mix(tier, amount::float8)), 'hex') FROM tap_pt.lines),
          'rollup of every customer = the mix of the whole shop, byte for byte');

-- Parallel = serial ---------------------------------------------------------------------------
CREATE TABLE tap_pt.serial AS
SELECT (SELECT string_agg(category || ' ' || bands::text, ';' ORDER BY category) FROM tap_pt.bands) AS bands,
       (SELECT price_bands(unit_price::float8)::text FROM tap_pt.order_lines) AS line_bands,
       (SELECT tier_mix(tier, amount::float8)::text FROM tap_pt.lines) AS shop_mix,
       (SELECT md5(string_agg(customer_id || ' ' || m::text, ';' ORDER BY customer_id)) FROM tap_pt.mix) AS mixes,
       (SELECT rollup(m)::text FROM (SELECT m FROM tap_pt.mix, generate_series(1, 20)) s) AS rolled_up;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT price_bands(unit_price::float8)::text FROM tap_pt.order_lines$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'price_bands runs as a partial aggregate on two workers',
    (SELECT line_bands FROM tap_pt.serial), 'parallel price_bands = serial');
SELECT pg_temp.runs_and_gives($$SELECT tier_mix(tier, amount::float8)::text FROM tap_pt.lines$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'tier_mix runs as a partial aggregate on two workers',
    (SELECT shop_mix FROM tap_pt.serial), 'parallel tier_mix = serial');
SELECT pg_temp.runs_and_gives($$SELECT md5(string_agg(customer_id || ' ' || m::text, ';' ORDER BY customer_id))
                                  FROM (SELECT customer_id, tier_mix(tier, amount::float8) AS m FROM tap_pt.lines GROUP BY 1) s$$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'tier_mix per customer runs as a partial aggregate on two workers',
    (SELECT mixes FROM tap_pt.serial), 'parallel tier_mix per customer = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(m)::text FROM (SELECT m FROM tap_pt.mix, generate_series(1, 20)) s$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT rolled_up FROM tap_pt.serial), 'parallel rollup = serial');
-- (customer_id + 0: the planner cannot estimate it, so it keeps the partial aggregate)
SELECT pg_temp.runs_and_gives($$SELECT tier_mix(tier, amount::float8)::text FROM tap_pt.lines WHERE customer_id + 0 < 0$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on lines \(actual rows=0 loops=2\)',
    'tier_mix over no rows runs on two workers that see no rows', NULL, 'parallel tier_mix over no rows is NULL');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT string_agg(category || ' ' || bands::text, ';' ORDER BY category)
                               FROM (SELECT category, price_bands(unit_price::float8) AS bands FROM tap_pt.products GROUP BY 1) s$$),
          (SELECT bands FROM tap_pt.serial), 'force_parallel_mode = regress: the same bands');
SELECT is(pg_temp.value_of($$SELECT tier_mix(tier, amount::float8)::text FROM tap_pt.lines$$), (SELECT shop_mix FROM tap_pt.serial),
          'force_parallel_mode = regress: the same mix');
CALL pg_temp.force_serial();

\i test/pgtap/lib/end.psql
