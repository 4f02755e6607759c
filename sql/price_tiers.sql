-- price_tiers: price_bands(unit_price) and price_bands(low_max, mid_max), price_tier(bands,
-- price), the tier_mix(tier, amount) aggregate and rollup(tier_mix), dominant_tier, tier_share,
-- tier_amount, tier_lines, with hand-checked values, edge cases, text and binary forms, and
-- every error.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET extra_float_digits = 1;

-- ============================================================================================
-- price_bands
-- ============================================================================================

-- Seven prices: terciles at positions 2 and 4 of 0..6 (percentile_cont): 3 and 5. NULL skipped.
CREATE TABLE pt_prices (category text, price float8);
INSERT INTO pt_prices VALUES
  ('a', 1), ('a', 2), ('a', 3), ('a', 4), ('a', 5), ('a', 6), ('a', 7), ('a', NULL),
  ('b', 10), ('b', 20), ('b', 20), ('b', 40),
  ('c', 9.99);
SELECT category, profiling.price_bands(price) AS bands,
       percentile_cont(ARRAY[1.0 / 3, 2.0 / 3]) WITHIN GROUP (ORDER BY price) AS plain_sql
  FROM pt_prices GROUP BY 1 ORDER BY 1;
-- No rows, only NULL prices: NULL, as percentile_cont.
SELECT profiling.price_bands(price) IS NULL AS no_rows FROM pt_prices WHERE false;
SELECT profiling.price_bands(NULL::float8) IS NULL AS only_null;
-- The accessors.
SELECT profiling.low_max(b), profiling.mid_max(b), profiling.price_count(b)
  FROM (SELECT profiling.price_bands(price) AS b FROM pt_prices WHERE category = 'a') s;
-- Explicit bounds: a price count of 0. Equal bounds leave the mid tier empty.
SELECT profiling.price_bands(10, 50) AS explicit, profiling.price_bands(10, 10) AS equal_bounds,
       profiling.price_bands(-0.0, 0) AS minus_zero;
-- price_tier: a price equal to a cut point takes the lower tier.
SELECT p, profiling.price_tier(profiling.price_bands(10, 50), p) AS tier
  FROM unnest(ARRAY[0, 9.99, 10, 10.01, 50, 50.01, 1e300]::float8[]) p;
SELECT p, profiling.price_tier(profiling.price_bands(10, 10), p) AS tier
  FROM unnest(ARRAY[10, 10.01]::float8[]) p;
-- Tiers of the products of each category (the tiny warehouse): how many fall in each tier, and
-- whether they are the planted tiers.
SELECT p.category, profiling.price_tier(b.bands, p.unit_price) AS tier, count(*) AS products,
       count(*) FILTER (WHERE profiling.price_tier(b.bands, p.unit_price)::text = p.price_tier::text) AS planted
  FROM shop.products p
  JOIN (SELECT category, profiling.price_bands(unit_price::float8) AS bands FROM shop.products GROUP BY 1) b USING (category)
 GROUP BY 1, 2 ORDER BY 1, 2;
-- Bad input.
SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands(p) FROM unnest(ARRAY[1, 'NaN']::float8[]) p$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands(p) FROM unnest(ARRAY[1, 'Infinity']::float8[]) p$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands(p) FROM unnest(ARRAY[1, -1]::float8[]) p$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands(50, 10)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands('NaN', 10)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_bands(1, '-Infinity')$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_tier(profiling.price_bands(1, 2), 'NaN')$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.price_tier(profiling.price_bands(1, 2), -5)$$) e;

-- Text form: lossless; malformed literals.
SELECT b::text, b::text::profiling.price_bands::text = b::text AS round_trip
  FROM (VALUES ('(1,2,3)'::profiling.price_bands), (' ( 0.1 , 1e300 , 0 ) '), ('(-0,0,9223372036854775807)')) v(b);
SELECT v AS literal, e.error_code, e.message, e.detail
  FROM unnest(ARRAY['', '()', '(1)', '(1,2)', '(1,2,)', '(1,2,3', '(1,2,3)x', '(2,1,3)', '(NaN,1,0)',
                    '(1,Infinity,0)', '(-1,2,0)', '(1,2,-3)', '(1,2,3.5)', '(1,2,99999999999999999999)',
                    '{1,2,3}', '(a,2,3)', '(0x10,20,3)', '(1,2,3,4)', '(1,,3)', '(1e400,2,3)']) v,
       LATERAL regress.error_of(format('SELECT %L::profiling.price_bands', v)) e;
-- Binary form: send then receive gives the same value; damaged values are refused.
SELECT profiling.price_bands_send('(1.5,2.5,7)') AS bytes;
SELECT regress.binary_input(NULL::profiling.price_bands, profiling.price_bands_send('(1.5,2.5,7)'))::text AS received;
SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, '\x0100'::bytea)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, overlay(profiling.price_bands_send('(1.5,2.5,7)') placing '\x02' from 1))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, overlay(profiling.price_bands_send('(1.5,2.5,7)') placing '\x01' from 2))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, '\x0100'::bytea || int8send(7) || float8send(2.5) || float8send(1.5))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, '\x0100'::bytea || int8send(7) || float8send('-0') || float8send(1.5))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, '\x0100'::bytea || int8send(-1) || float8send(1) || float8send(1.5))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, '\x0100'::bytea || int8send(7) || float8send(1) || float8send('NaN'))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.price_bands, profiling.price_bands_send('(1.5,2.5,7)') || '\x00'::bytea)$$) e;
-- Comparisons: = is the same bytes.
SELECT '(1,2,3)'::profiling.price_bands = '(1,2,3)' AS same, '(1,2,3)'::profiling.price_bands = '(1,2,0)' AS other_count,
       '(1,2,3)'::profiling.price_bands <> '(1,2.5,3)' AS differ;

-- ============================================================================================
-- tier_mix
-- ============================================================================================

-- A customer's order lines: two low at 10.10 and 5.25, one mid at 30, three high at 99.99, one
-- free high line (amount 0); NULL tier and NULL amount rows are skipped.
CREATE TABLE pt_lines (customer int, tier profiling.price_tier, amount float8);
INSERT INTO pt_lines VALUES
  (1, 'low', 10.10), (1, 'low', 5.25), (1, 'mid', 30), (1, 'high', 99.99), (1, 'high', 99.99),
  (1, 'high', 99.99), (1, 'high', 0), (1, NULL, 7), (1, 'mid', NULL),
  (2, 'low', 3), (2, 'low', 3), (2, 'high', 6),
  (3, 'mid', 0);
SELECT customer, profiling.tier_mix(tier, amount) AS mix FROM pt_lines GROUP BY 1 ORDER BY 1;
SELECT customer, profiling.dominant_tier(m), profiling.tier_share(m, 'low') AS low_share,
       profiling.tier_share(m, 'mid') AS mid_share, profiling.tier_share(m, 'high') AS high_share,
       profiling.tier_amount(m, 'high') AS high_amount, profiling.tier_lines(m, 'high') AS high_lines
  FROM (SELECT customer, profiling.tier_mix(tier, amount) AS m FROM pt_lines GROUP BY 1) s ORDER BY 1;
-- Exact decimal sums: 0.1 ten times is 1, not 0.9999999999999999.
SELECT profiling.tier_mix('low', 0.1) AS exact FROM generate_series(1, 10);
-- Equal amounts: the lower tier dominates.
SELECT profiling.dominant_tier('{(low,1,5),(high,2,5)}') AS tie;
-- No rows, only NULLs: NULL. An empty mix reads as no spend.
SELECT profiling.tier_mix(tier, amount) IS NULL AS no_rows FROM pt_lines WHERE false;
SELECT profiling.tier_mix(NULL::profiling.price_tier, 1) IS NULL AS only_null;
SELECT profiling.dominant_tier('{}') IS NULL AS empty_dominant, profiling.tier_share('{}', 'low') IS NULL AS empty_share,
       profiling.tier_amount('{}', 'low') AS empty_amount, profiling.tier_lines('{}', 'low') AS empty_lines;
-- rollup of the mixes of two halves = one pass.
SELECT profiling.rollup(m) AS rolled,
       profiling.rollup(m)::text = (SELECT profiling.tier_mix(tier, amount)::text FROM pt_lines WHERE customer = 1) AS same
  FROM (SELECT profiling.tier_mix(tier, amount) AS m FROM pt_lines WHERE customer = 1 GROUP BY amount > 20) s;
SELECT profiling.rollup(m) IS NULL AS rollup_no_rows FROM (SELECT NULL::profiling.tier_mix m) s;
-- A window: the running mix.
SELECT n, profiling.tier_mix(t, a) OVER (ORDER BY n) AS running
  FROM (VALUES (1, 'low'::profiling.price_tier, 1.5), (2, 'high', 2), (3, 'low', 1)) v(n, t, a);
-- Bad input.
SELECT e.* FROM regress.error_of($$SELECT profiling.tier_mix('low', -1)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.tier_mix('low', 'NaN')$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.tier_mix('low', 'Infinity')$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.tier_mix('premium', 1)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT profiling.tier_mix('low', 1e308) FROM generate_series(1, 2)$$) e;
-- Text form: lossless; malformed literals.
SELECT m::text, m::text::profiling.tier_mix::text = m::text AS round_trip
  FROM (VALUES ('{}'::profiling.tier_mix), ('{(high,1,2),(low,3,0.1)}'), ('{ ( mid , 2 , -0 ) }'), ('{(low,0,0)}')) v(m);
SELECT v AS literal, e.error_code, e.message, e.detail
  FROM unnest(ARRAY['', '{', '{(low)}', '{(low,1)}', '{(low,1,2)', '{(low,1,2)}x', '{(gold,1,2)}', '{(low,-1,2)}',
                    '{(low,1.5,2)}', '{(low,1,-2)}', '{(low,1,NaN)}', '{(low,1,Infinity)}', '{(low,0,2)}',
                    '{(low,1,2),(low,1,2)}', '{(low,1,2,3)}', '{(LOW,1,2)}', '{(low,99999999999999999999,2)}',
                    '{(low,1,2)(mid,1,2)}', '{(low,,2)}', '{(low,1,1e400)}']) v,
       LATERAL regress.error_of(format('SELECT %L::profiling.tier_mix', v)) e;
-- Binary form.
SELECT profiling.tier_mix_send('{(low,1,2.5)}') AS bytes;
SELECT regress.binary_input(NULL::profiling.tier_mix, profiling.tier_mix_send('{(low,1,2.5),(high,4,8)}'))::text AS received;
SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea)$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, overlay(profiling.tier_mix_send('{(low,1,2.5)}') placing '\x02' from 1))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea || int8send(0) || float8send(2.5) || int8send(0) || float8send(0) || int8send(0) || float8send(0))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea || int8send(-1) || float8send(0) || int8send(0) || float8send(0) || int8send(0) || float8send(0))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea || int8send(1) || float8send(-2) || int8send(0) || float8send(0) || int8send(0) || float8send(0))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea || int8send(1) || float8send('-0') || int8send(0) || float8send(0) || int8send(0) || float8send(0))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, '\x0100'::bytea || int8send(1) || float8send(1) || int8send(0) || float8send(0) || int8send(1) || float8send('Infinity'))$$) e
UNION ALL SELECT e.* FROM regress.error_of($$SELECT regress.binary_input(NULL::profiling.tier_mix, profiling.tier_mix_send('{}') || '\x00'::bytea)$$) e;
-- Comparisons.
SELECT '{(low,1,2)}'::profiling.tier_mix = '{(low,1,2)}' AS same, '{(low,1,2)}'::profiling.tier_mix = '{(low,1,2.5)}' AS other,
       '{(low,1,2)}'::profiling.tier_mix <> '{(mid,1,2)}' AS differ;

-- ============================================================================================
-- The tiny warehouse: each category's bands over its products, the tier of every order line
-- priced by the product's category bands, the mix of each customer
-- ============================================================================================

CREATE TEMP TABLE pt_bands AS
SELECT category, profiling.price_bands(unit_price::float8) AS bands FROM shop.products GROUP BY 1;
SELECT category, bands FROM pt_bands ORDER BY 1;
SELECT count(*) AS customers, count(*) FILTER (WHERE profiling.dominant_tier(m) = 'high') AS lean_high,
       count(*) FILTER (WHERE profiling.dominant_tier(m) = 'mid') AS lean_mid,
       count(*) FILTER (WHERE profiling.dominant_tier(m) = 'low') AS lean_low
  FROM (SELECT o.customer_id, profiling.tier_mix(profiling.price_tier(b.bands, p.unit_price::float8),
                                                 (l.quantity * l.unit_price)::float8) AS m
          FROM shop.order_lines l JOIN shop.orders o USING (order_id)
          JOIN shop.products p USING (product_id) JOIN pt_bands b USING (category)
         GROUP BY 1) s;

DROP TABLE pt_prices, pt_lines;
