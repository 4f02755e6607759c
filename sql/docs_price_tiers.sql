-- docs_price_tiers: every SQL example of docs/price_tiers.md, verbatim and in its order, on the
-- tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the page
-- shows is the output of its own query below, and that each error example raises the SQLSTATE
-- the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

CREATE TABLE shop.bands AS
SELECT category, profiling.price_bands(unit_price::float8) AS bands
  FROM shop.products GROUP BY category;

SELECT category, bands, profiling.low_max(bands), profiling.mid_max(bands)
  FROM shop.bands ORDER BY category;

SELECT p.category, count(*) AS products,
       count(*) FILTER (WHERE profiling.price_tier(b.bands, p.unit_price::float8)::text
                              <> p.price_tier::text) AS other_tier
  FROM shop.products p JOIN shop.bands b USING (category)
 GROUP BY p.category ORDER BY p.category;

SELECT price, profiling.price_tier(profiling.price_bands(10, 50), price) AS tier
  FROM (VALUES (9.99), (10), (10.01), (50), (120)) AS v(price);

CREATE TABLE shop.tier_mixes AS
SELECT o.customer_id,
       profiling.tier_mix(profiling.price_tier(b.bands, p.unit_price::float8),
                          (l.quantity * l.unit_price)::float8) AS m
  FROM shop.order_lines l
  JOIN shop.orders o USING (order_id)
  JOIN shop.products p USING (product_id)
  JOIN shop.bands b USING (category)
 GROUP BY o.customer_id;

SELECT t.fact, t.customer_id, m.m, profiling.dominant_tier(m.m),
       round(profiling.tier_share(m.m, 'high')::numeric, 3) AS high_share
  FROM shop.truth t JOIN shop.tier_mixes m USING (customer_id)
 WHERE t.fact IN ('hero', 'vip')
 ORDER BY t.fact, t.customer_id;

SELECT profiling.dominant_tier(m) AS leans, count(*) AS customers
  FROM shop.tier_mixes GROUP BY 1 ORDER BY 1;

SELECT profiling.rollup(m) AS shop,
       round(profiling.tier_share(profiling.rollup(m), 'high')::numeric, 3) AS high_share
  FROM shop.tier_mixes;

SELECT ' { (high,1,99.9), (low,3,25.5), (mid,0,0) } '::profiling.tier_mix AS m,
       '(12.5,40,24)'::profiling.price_bands AS bands;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.price_bands(p) FROM (VALUES (1::float8), ('NaN')) AS v(p)$$),
       ($$SELECT profiling.price_bands(50, 10)$$),
       ($$SELECT profiling.price_tier(profiling.price_bands(10, 50), -1)$$),
       ($$SELECT profiling.tier_mix('low', -5)$$),
       ($$SELECT profiling.tier_mix('premium', 5)$$),
       ($$SELECT profiling.tier_mix('low', 1e308) FROM generate_series(1, 2)$$),
       ($$SELECT '(40,12.5,24)'::profiling.price_bands$$),
       ($$SELECT '{(low,0,5)}'::profiling.tier_mix$$),
       ($$SELECT '{(low,9223372036854775808,5)}'::profiling.tier_mix$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests may create these tables too).
DROP TABLE shop.tier_mixes, shop.bands;
