-- make demo, price tiers section: each category's price bands (terciles over its products)
-- against the planted tiers, then the tier mix of the value classes (hero_min 1000, repeat_min
-- 20, as the segmentation section classes them): their lines and spend per tier,
-- rolled up from each customer's mix, and the tier their customers lean to. Reads
-- shop.purchase_histories, which the purchase-history section builds before it.
\pset border 1

CREATE TABLE shop.price_bands AS
SELECT category, profiling.price_bands(unit_price::float8) AS bands FROM shop.products GROUP BY category;
CREATE TABLE shop.tier_mixes AS
SELECT o.customer_id,
       profiling.tier_mix(profiling.price_tier(b.bands, p.unit_price::float8), (l.quantity * l.unit_price)::float8) AS m
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
  JOIN shop.products p USING (product_id) JOIN shop.price_bands b USING (category)
 GROUP BY o.customer_id;

\echo
\echo '== Price bands of each category over its products, and the products whose planted tier they recover'
SELECT b.category, round(profiling.low_max(b.bands)::numeric, 2) AS low_max,
       round(profiling.mid_max(b.bands)::numeric, 2) AS mid_max, profiling.price_count(b.bands) AS products,
       count(*) FILTER (WHERE profiling.price_tier(b.bands, p.unit_price::float8)::text = p.price_tier::text) AS planted_tier_recovered
  FROM shop.price_bands b JOIN shop.products p USING (category)
 GROUP BY b.category, b.bands ORDER BY b.category;

\echo
\echo '== The tier mix of the value classes (hero_min 1000, repeat_min 20): spend share per tier, and whom each class leans to'
SELECT profiling.value_class(h.h, 1000, 20) AS class, count(*) AS customers,
       round(100 * profiling.tier_share(profiling.rollup(m.m), 'low')::numeric, 1) AS "low %",
       round(100 * profiling.tier_share(profiling.rollup(m.m), 'mid')::numeric, 1) AS "mid %",
       round(100 * profiling.tier_share(profiling.rollup(m.m), 'high')::numeric, 1) AS "high %",
       profiling.dominant_tier(profiling.rollup(m.m)) AS class_leans,
       count(*) FILTER (WHERE profiling.dominant_tier(m.m) = 'high') AS "customers leaning high"
  FROM shop.tier_mixes m JOIN shop.purchase_histories h USING (customer_id)
 GROUP BY 1 ORDER BY 1;

DROP TABLE shop.tier_mixes, shop.price_bands;
