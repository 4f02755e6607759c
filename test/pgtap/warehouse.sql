\set ON_ERROR_STOP 1
-- The sample-warehouse generator (test/warehouse/generate.sql): determinism, the invariants of
-- its tables, and every planted fact of its truth table checked against the data with plain SQL.
-- Most checks are is_empty(<the rows that break the rule>), so a failure lists the culprits. The
-- rows that break a rule are those where it is not true: `(rule) IS NOT TRUE`, `IS DISTINCT FROM`,
-- never `NOT (rule)` or `<>`, under which a NULL would make the row vanish instead of appear.
\i test/warehouse/generate.sql
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;

BEGIN;
SELECT plan(55);

-- Fingerprints compare text forms: pin every setting that shapes them.
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';
SET LOCAL extra_float_digits = 0;

-- fingerprint(schema): one md5 per table of the ordered text of its rows ("table:md5 ...").
CREATE FUNCTION pg_temp.fingerprint(warehouse text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    tbl text;
    digest text;
    result text := '';
BEGIN
    FOREACH tbl IN ARRAY '{customers,products,orders,order_lines,interactions,promotions,truth,warehouse_info}'::text[] LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(r::text, E''\n'' ORDER BY r::text COLLATE "C"), '''')) FROM %I.%I r',
                       warehouse, tbl) INTO digest;
        result := result || tbl || ':' || digest || ' ';
    END LOOP;
    RETURN result;
END $$;

-- ---------------------------------------------------------------------------------------------
-- The builds: small seed 42 (the one most checks read), the same again under another TimeZone
-- and other plan settings (merge joins, sorted aggregates; the staging tables are temporary,
-- so no build step ever runs a parallel plan), small seed 7, and tiny seed 42.
-- ---------------------------------------------------------------------------------------------
CALL sample_warehouse.build('wh_small', 'small', 42);

SET LOCAL TimeZone = 'Pacific/Chatham';           -- UTC+13:45 in January, with DST
SET LOCAL enable_hashjoin = off;
SET LOCAL enable_hashagg = off;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
CALL sample_warehouse.build('wh_small_again', 'small', 42);
SET LOCAL TimeZone = 'UTC';
RESET enable_hashjoin;
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

CALL sample_warehouse.build('wh_seed7', 'small', 7);
CALL sample_warehouse.build('wh_tiny', 'tiny', 42);
CREATE TEMP TABLE first_build AS SELECT pg_temp.fingerprint('wh_small') AS digest;

-- ---------------------------------------------------------------------------------------------
-- Determinism and arguments
-- ---------------------------------------------------------------------------------------------
SELECT is(pg_temp.fingerprint('wh_small_again'), pg_temp.fingerprint('wh_small'),
          'same seed, other TimeZone and plan settings: identical tables');
SELECT isnt(pg_temp.fingerprint('wh_seed7'), pg_temp.fingerprint('wh_small'),
            'another seed gives other data');
SELECT is((SELECT count(*)::int FROM (SELECT * FROM wh_seed7.orders INTERSECT SELECT * FROM wh_small.orders) o), 0,
          'another seed shares no order row');
CALL sample_warehouse.build('wh_small', 'small', 42);
SELECT is(pg_temp.fingerprint('wh_small'), (SELECT digest FROM first_build),
          'rebuilding a warehouse in the same session replaces it with identical tables');

SELECT throws_ok($$CALL sample_warehouse.build('wh_x', 'huge')$$, '22023',
                 'unknown sample warehouse scale "huge"', 'an unknown scale is refused');
SELECT throws_ok($$CALL sample_warehouse.build('public', 'tiny')$$, '3F000',
                 'schema "public" is not a sample warehouse', 'a schema holding other objects is never dropped');
SELECT throws_ok($$CALL sample_warehouse.build('wh_x', 'tiny', NULL)$$, '22004', NULL, 'a NULL seed is refused');

-- ---------------------------------------------------------------------------------------------
-- Sizes and bookkeeping
-- ---------------------------------------------------------------------------------------------
SELECT ok((SELECT customers BETWEEN 30 AND 40 AND orders BETWEEN 200 AND 400 FROM wh_tiny.warehouse_info),
          'tiny: 30 to 40 customers, 200 to 400 orders');
SELECT is((SELECT count(*)::int FROM wh_tiny.customers c
            WHERE NOT EXISTS (SELECT FROM wh_tiny.truth t WHERE t.customer_id = c.customer_id)), 10,
          'tiny: 10 background customers besides the planted ones');
SELECT ok((SELECT customers = 2000 AND orders BETWEEN 20000 AND 40000 FROM wh_small.warehouse_info),
          'small: 2000 customers, 20,000 to 40,000 orders');
SELECT results_eq(
    $$SELECT scale, seed, customers, orders, period_start, period_end, reference_date FROM wh_small.warehouse_info$$,
    $$SELECT 'small', 42, (SELECT count(*)::int FROM wh_small.customers), (SELECT count(*)::int FROM wh_small.orders),
             timestamptz '2024-01-01 00:00:00+00', timestamptz '2026-01-01 00:00:00+00', timestamptz '2026-01-01 00:00:00+00'$$,
    'warehouse_info: one row that agrees with the tables');
SELECT set_eq($$SELECT fact FROM wh_tiny.truth$$, $$SELECT fact FROM wh_small.truth$$,
              'tiny plants every fact that small does');
SELECT ok((SELECT bool_and(n BETWEEN 1 AND 2) FROM (SELECT count(*) AS n FROM wh_tiny.truth t
                                                     JOIN sample_warehouse.archetype_facts() f USING (fact)
                                                    GROUP BY fact) AS per_fact),
          'tiny: one or two customers of each archetype');

-- ---------------------------------------------------------------------------------------------
-- Keys and invariants of the small warehouse
-- ---------------------------------------------------------------------------------------------
SELECT fk_ok('wh_small', 'order_lines', 'order_id', 'wh_small', 'orders', 'order_id');
SELECT fk_ok('wh_small', 'orders', 'customer_id', 'wh_small', 'customers', 'customer_id');
SELECT has_index('wh_small', 'orders', 'orders_customer_id_ordered_at_idx', ARRAY['customer_id', 'ordered_at']);

SELECT is_empty($$
    SELECT o.order_id FROM wh_small.orders o
      LEFT JOIN (SELECT order_id, sum(quantity * unit_price) AS amount, sum(coupon_amount) AS coupon_amount
                   FROM wh_small.order_lines GROUP BY order_id) l USING (order_id)
     WHERE l.amount IS DISTINCT FROM o.amount OR l.coupon_amount IS DISTINCT FROM o.coupon_amount$$,
    'every order has lines; amount and coupon_amount are the sums of its lines');
SELECT is_empty($$SELECT order_id FROM wh_small.orders WHERE (amount > 0 AND coupon_amount BETWEEN 0 AND amount) IS NOT TRUE$$,
                'amount > 0 and 0 <= coupon_amount <= amount');
SELECT is_empty($$
    SELECT c.customer_id FROM wh_small.customers c
     WHERE EXISTS (SELECT FROM wh_small.orders o WHERE o.customer_id = c.customer_id
                      AND (o.ordered_at < c.registered_at OR o.ordered_at >= c.closed_at))
        OR EXISTS (SELECT FROM wh_small.interactions i WHERE i.customer_id = c.customer_id AND i.at >= c.closed_at)$$,
    'no order before registration, no order or interaction after closing');
SELECT is_empty($$
    SELECT c.customer_id FROM wh_small.customers c JOIN wh_small.orders o USING (customer_id)
     WHERE c.registered_at IS NULL$$,
    'customers who never registered have no orders');
SELECT is_empty($$
    SELECT 'order', order_id FROM wh_small.orders, wh_small.warehouse_info w
     WHERE (ordered_at >= w.period_start AND ordered_at < w.period_end) IS NOT TRUE
    UNION ALL
    SELECT 'interaction', customer_id FROM wh_small.interactions, wh_small.warehouse_info w
     WHERE (at >= w.period_start AND at < w.period_end) IS NOT TRUE$$,
    'orders and interactions fall inside [period_start, period_end)');
SELECT is_empty($$
    SELECT category FROM wh_small.products GROUP BY category
    HAVING max(unit_price) FILTER (WHERE price_tier = 'low') >= min(unit_price) FILTER (WHERE price_tier = 'mid')
        OR max(unit_price) FILTER (WHERE price_tier = 'mid') >= min(unit_price) FILTER (WHERE price_tier = 'high')$$,
    'inside each category every low price < every mid price < every high price');
SELECT is_empty($$
    SELECT l.order_id, l.product_id FROM wh_small.order_lines l
      JOIN wh_small.orders o USING (order_id)
      JOIN wh_small.products p USING (product_id)
      LEFT JOIN wh_small.promotions pr ON o.ordered_at >= pr.starts_at AND o.ordered_at < pr.ends_at
     WHERE l.unit_price IS DISTINCT FROM round(p.unit_price * (1 - coalesce(pr.discount, 0)), 2)$$,
    'lines are charged the list price, less the discount during a promotion');
SELECT ok((SELECT count(DISTINCT extract(hour FROM ordered_at)) >= 16 AND count(DISTINCT extract(second FROM ordered_at)) = 60
             FROM wh_small.orders),
          'order times of day vary');
SELECT ok((SELECT count(*) > 100 FROM (SELECT FROM wh_small.orders GROUP BY customer_id, (ordered_at AT TIME ZONE 'UTC')::date
                                       HAVING count(*) > 1) AS same_day),
          'some customers order twice on the same day');
SELECT ok((SELECT count(*) > 50 FROM wh_small.customers c
            WHERE c.registered_at IS NOT NULL
              AND NOT EXISTS (SELECT FROM wh_small.orders o WHERE o.customer_id = c.customer_id)),
          'some registered customers never order');
SELECT is_empty($$
    SELECT customer_id, at FROM wh_small.interactions
     WHERE (kind = 'email_click') IS DISTINCT FROM (duration IS NULL) OR duration <= interval '0'$$,
    'interactions: visits and calls last a while, e-mail clicks have no duration');

-- ---------------------------------------------------------------------------------------------
-- The truth table: every planted fact holds in the data
-- ---------------------------------------------------------------------------------------------
CREATE TEMP VIEW planted AS
    SELECT t.customer_id, t.fact, t.product_id, t.other_product_id, t.value, t.at
      FROM wh_small.truth t JOIN sample_warehouse.archetype_facts() f USING (fact);
CREATE TEMP VIEW history AS
    SELECT c.customer_id, count(o.order_id) AS orders, coalesce(sum(o.amount), 0) AS spend,
           coalesce(sum(o.coupon_amount), 0) AS coupons, min(o.ordered_at) AS first_at, max(o.ordered_at) AS last_at,
           max(o.amount) AS max_amount, bool_and(o.coupon_amount > 0) AS all_coupons, bool_or(o.coupon_amount > 0) AS any_coupon
      FROM wh_small.customers c LEFT JOIN wh_small.orders o USING (customer_id)
     GROUP BY c.customer_id;

SELECT set_eq($$SELECT DISTINCT fact FROM wh_small.truth$$,
              ARRAY['hero', 'repeat', 'vip', 'one_time_opportunistic', 'coupon_only', 'full_price', 'dormant', 'closed',
                    'prospect', 'lead', 'registered_only', 'newcomer', 'replenisher', 'growing_quantity', 'stockpiler',
                    'followed_by_lag', 'order_count', 'total_spend', 'first_purchase', 'last_purchase', 'planted_product',
                    'strong_pair', 'strong_pair_reverse', 'strong_pair_support', 'strong_pair_lift', 'followed_by',
                    'vip_trait', 'vip_trait_base'],
              'the truth table holds exactly the documented facts');
SELECT is_empty($$SELECT customer_id FROM planted GROUP BY customer_id HAVING count(*) > 1$$,
                'archetypes are disjoint: one archetype fact per planted customer');
SELECT is_empty($$
    SELECT t.customer_id, t.fact FROM wh_small.truth t JOIN history h USING (customer_id)
     WHERE (t.fact = 'order_count'    AND t.value IS DISTINCT FROM h.orders)
        OR (t.fact = 'total_spend'    AND t.value IS DISTINCT FROM h.spend)
        OR (t.fact = 'first_purchase' AND t.at IS DISTINCT FROM h.first_at)
        OR (t.fact = 'last_purchase'  AND t.at IS DISTINCT FROM h.last_at)
    UNION ALL
    SELECT customer_id, 'history rows' FROM planted p
     WHERE (SELECT count(*) FROM wh_small.truth t WHERE t.customer_id = p.customer_id
               AND t.fact IN ('order_count', 'total_spend', 'first_purchase', 'last_purchase'))
           IS DISTINCT FROM CASE WHEN (SELECT orders FROM history h WHERE h.customer_id = p.customer_id) > 0 THEN 4 ELSE 2 END$$,
    'order_count, total_spend, first_purchase and last_purchase of every planted customer are right');

-- The segments are exactly the planted customers: no one else passes their tests by chance.
SELECT set_eq($$SELECT customer_id FROM history WHERE orders = 1 AND spend >= 1000$$,
              $$SELECT customer_id FROM planted WHERE fact = 'hero'$$,
              'the customers with one order of at least 1000 are the planted heroes');
SELECT set_eq($$SELECT customer_id FROM history WHERE orders >= 20 AND max_amount <= 40$$,
              $$SELECT customer_id FROM planted WHERE fact = 'repeat'$$,
              'the customers with 20 or more orders, each of at most 40, are the planted repeat buyers');
SELECT set_eq($$SELECT customer_id FROM history WHERE orders >= 20 AND spend >= 5000$$,
              $$SELECT customer_id FROM planted WHERE fact = 'vip'$$,
              'the customers with 20 or more orders and a spend of at least 5000 are the planted VIPs');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id)
     WHERE p.fact = 'hero' AND (h.orders = 1 AND h.spend >= 1000 AND p.value = h.spend) IS NOT TRUE$$,
    'hero: exactly 1 order, of at least 1000 = value');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id)
     WHERE p.fact = 'repeat' AND (h.orders >= 20 AND h.max_amount <= 40 AND p.value = h.orders) IS NOT TRUE$$,
    'repeat: 20 or more orders (= value), each of at most 40');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id)
     WHERE p.fact = 'vip' AND (h.orders >= 20 AND h.spend >= 5000 AND p.value = h.spend) IS NOT TRUE$$,
    'vip: 20 or more orders and a total spend of at least 5000 = value');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id) JOIN wh_small.orders o USING (customer_id)
     WHERE p.fact = 'one_time_opportunistic'
       AND (h.orders = 1 AND o.amount <= 40 AND o.coupon_amount > 0 AND p.value = o.amount
            AND EXISTS (SELECT FROM wh_small.promotions pr WHERE o.ordered_at >= pr.starts_at AND o.ordered_at < pr.ends_at)) IS NOT TRUE$$,
    'one_time_opportunistic: 1 small order with a coupon during a promotion, amount = value');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id)
     WHERE p.fact = 'coupon_only' AND (h.orders > 0 AND h.all_coupons AND p.value = round(h.coupons / h.spend, 6)) IS NOT TRUE$$,
    'coupon_only: every order has a coupon; value = coupon intensity');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id)
     WHERE p.fact = 'full_price'
       AND (h.orders >= 4 AND NOT h.any_coupon AND p.value = 0
            AND NOT EXISTS (SELECT FROM wh_small.orders o JOIN wh_small.order_lines l USING (order_id)
                              JOIN wh_small.products pr USING (product_id)
                             WHERE o.customer_id = p.customer_id AND l.unit_price < pr.unit_price)) IS NOT TRUE$$,
    'full_price: 4 or more orders, no coupon, no promotional price');
SELECT is_empty($$
    WITH gaps AS (
        SELECT customer_id, max(gap) AS longest_gap
          FROM (SELECT customer_id, ordered_at - lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap
                  FROM wh_small.orders) g
         GROUP BY customer_id)
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id) JOIN gaps USING (customer_id)
     CROSS JOIN wh_small.warehouse_info w
     WHERE p.fact = 'dormant'
       AND (p.at = h.last_at AND h.orders >= 10
            AND p.value = floor(extract(epoch FROM w.reference_date - h.last_at) / 86400)
            AND w.reference_date - h.last_at > 2 * gaps.longest_gap) IS NOT TRUE$$,
    'dormant: bought regularly, last purchase = at, then silent for value days (over twice its longest gap)');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id) JOIN wh_small.customers c USING (customer_id)
     WHERE p.fact = 'closed' AND (p.at = c.closed_at AND h.orders > 0 AND h.last_at < c.closed_at) IS NOT TRUE$$,
    'closed: at = closed_at, after its last order');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id) JOIN wh_small.customers c USING (customer_id)
     WHERE p.fact IN ('prospect', 'lead', 'registered_only')
       AND (h.orders = 0
            AND p.value = (SELECT count(*) FROM wh_small.interactions i WHERE i.customer_id = p.customer_id)
            AND CASE p.fact WHEN 'prospect'        THEN c.registered_at IS NULL AND p.value > 0
                            WHEN 'lead'            THEN c.registered_at IS NULL AND p.value = 0
                            WHEN 'registered_only' THEN c.registered_at = p.at END) IS NOT TRUE$$,
    'prospect, lead, registered_only: no orders, registration and interactions as stated');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p JOIN history h USING (customer_id) JOIN wh_small.customers c USING (customer_id)
     CROSS JOIN wh_small.warehouse_info w
     WHERE p.fact = 'newcomer'
       AND (p.at = h.first_at AND p.value = h.orders AND c.registered_at < h.first_at
            AND h.first_at >= w.reference_date - interval '31 days') IS NOT TRUE$$,
    'newcomer: registered, first purchase (= at) in the last 31 days');

CREATE TEMP VIEW planted_purchases AS
    SELECT p.customer_id, p.fact, p.value, o.ordered_at, l.quantity, l.unit_price, l.coupon_amount,
           pr.unit_price AS list_price,
           o.ordered_at - lag(o.ordered_at) OVER w AS gap, l.quantity - lag(l.quantity) OVER w AS growth,
           EXISTS (SELECT FROM wh_small.promotions m WHERE o.ordered_at >= m.starts_at AND o.ordered_at < m.ends_at) AS in_promotion
      FROM planted p
      JOIN wh_small.orders o USING (customer_id)
      JOIN wh_small.order_lines l ON l.order_id = o.order_id AND l.product_id = p.product_id
      JOIN wh_small.products pr ON pr.product_id = l.product_id
    WINDOW w AS (PARTITION BY p.customer_id ORDER BY o.ordered_at);

SELECT is_empty($$
    SELECT customer_id FROM planted_purchases WHERE fact = 'replenisher'
     GROUP BY customer_id, value
    HAVING count(*) < 12 OR value IS DISTINCT FROM 30
        OR count(*) FILTER (WHERE extract(epoch FROM gap) = 30 * 86400) <> count(*) - 1$$,
    'replenisher: 12 or more purchases of product_id, exactly 30 * 24 h apart');
SELECT is_empty($$
    SELECT customer_id FROM planted_purchases WHERE fact = 'growing_quantity'
     GROUP BY customer_id, value
    HAVING count(*) < 6 OR count(*) FILTER (WHERE growth = value) <> count(*) - 1 OR (value >= 1) IS NOT TRUE$$,
    'growing_quantity: the quantity of product_id grows by value at each of 6 or more purchases');
SELECT is_empty($$
    SELECT customer_id FROM planted_purchases WHERE fact = 'stockpiler'
     GROUP BY customer_id, value
    HAVING count(*) < 6 OR (min(quantity) >= 8) IS NOT TRUE OR bool_and(in_promotion) IS NOT TRUE
        OR value IS DISTINCT FROM round(sum(quantity) FILTER (WHERE unit_price < list_price OR coupon_amount > 0)::numeric / sum(quantity), 6)
        OR value IS DISTINCT FROM 1$$,
    'stockpiler: product_id only in promotions, 8 or more units at a time; value = share bought on promotion');
SELECT is_empty($$
    SELECT p.customer_id FROM planted p
     WHERE p.fact = 'stockpiler'
       AND (SELECT count(*) FROM wh_small.orders o WHERE o.customer_id = p.customer_id
               AND NOT EXISTS (SELECT FROM wh_small.promotions m WHERE o.ordered_at >= m.starts_at AND o.ordered_at < m.ends_at)) = 0$$,
    'stockpiler: also orders between promotions (without product_id)');

CREATE TEMP VIEW pair_counts AS
    SELECT t.fact, t.value, count(*) AS orders,
           count(*) FILTER (WHERE b.has_antecedent) AS antecedent,
           count(*) FILTER (WHERE b.has_consequent) AS consequent,
           count(*) FILTER (WHERE b.has_antecedent AND b.has_consequent) AS both_products
      FROM wh_small.truth t
     CROSS JOIN LATERAL (SELECT bool_or(l.product_id = t.product_id) AS has_antecedent,
                                bool_or(l.product_id = t.other_product_id) AS has_consequent
                           FROM wh_small.order_lines l GROUP BY l.order_id) b
     WHERE t.fact LIKE 'strong_pair%'
     GROUP BY t.fact, t.value;

SELECT ok((SELECT value = round(both_products::numeric / antecedent, 6) AND value >= 0.9
             FROM pair_counts WHERE fact = 'strong_pair'),
          'strong_pair: confidence of A -> B (= value) is at least 0.9');
SELECT ok((SELECT value = round(both_products::numeric / antecedent, 6) AND value <= 0.3
             FROM pair_counts WHERE fact = 'strong_pair_reverse'),
          'strong_pair_reverse: confidence of B -> A (= value) is at most 0.3');
SELECT ok((SELECT s.value = round(s.both_products::numeric / s.orders, 6)
              AND l.value = round(l.both_products::numeric * l.orders / (l.antecedent * l.consequent), 6)
             FROM pair_counts s, pair_counts l WHERE s.fact = 'strong_pair_support' AND l.fact = 'strong_pair_lift'),
          'strong_pair_support and strong_pair_lift are right');

SELECT is_empty($$
    WITH rule AS (SELECT product_id AS c, other_product_id AS d, value FROM wh_small.truth WHERE fact = 'followed_by'),
    lag AS (
        SELECT o.customer_id,
               extract(epoch FROM (SELECT min(o2.ordered_at) FROM wh_small.orders o2 JOIN wh_small.order_lines l2 USING (order_id)
                                    WHERE o2.customer_id = o.customer_id AND l2.product_id = rule.d AND o2.ordered_at > o.ordered_at)
                                  - o.ordered_at) / 86400 AS days
          FROM rule JOIN wh_small.order_lines l ON l.product_id = rule.c JOIN wh_small.orders o USING (order_id))
    SELECT 'a buyer of C without a later D' AS problem, customer_id::text FROM lag WHERE days IS NULL
    UNION ALL
    SELECT 'median lag', percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::text FROM lag
    HAVING percentile_cont(0.5) WITHIN GROUP (ORDER BY days) IS DISTINCT FROM (SELECT value FROM rule)
    UNION ALL
    SELECT 'followed_by_lag', p.customer_id::text FROM planted p LEFT JOIN lag USING (customer_id)
     WHERE p.fact = 'followed_by_lag' AND p.value IS DISTINCT FROM lag.days::numeric$$,
    'followed_by: every buyer of C buys D later, median lag = value (14) days; followed_by_lag per customer');

CREATE FUNCTION pg_temp.trait_share(condition text, among_vips boolean) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    share numeric;
BEGIN
    -- the truth note of a VIP trait is a condition on customers
    EXECUTE format('SELECT round(avg(coalesce((%s)::int, 0)), 6) FROM wh_small.customers c
                     WHERE EXISTS (SELECT FROM wh_small.truth t WHERE t.customer_id = c.customer_id AND t.fact = ''vip'') = $1',
                   condition)
       INTO share USING among_vips;
    RETURN share;
END $$;
SELECT is_empty($$
    SELECT v.note FROM wh_small.truth v JOIN wh_small.truth b ON b.note = v.note AND b.fact = 'vip_trait_base'
     WHERE v.fact = 'vip_trait'
       AND (v.value = pg_temp.trait_share(v.note, true) AND b.value = pg_temp.trait_share(b.note, false)
            AND v.value >= 3 * b.value) IS NOT TRUE$$,
    'vip_trait: each trait is shared by the VIPs (= value) at three times the base rate or more');
SELECT is((SELECT count(*)::int FROM wh_small.truth WHERE fact = 'vip_trait'), 3, 'three VIP traits are planted');

SELECT results_eq(
    $$SELECT product_id FROM wh_small.truth WHERE fact = 'planted_product' ORDER BY product_id$$,
    $$SELECT generate_series(1, 8)::bigint$$,
    'the planted products are products 1 to 8');
SELECT is_empty($$
    SELECT l.product_id, o.customer_id FROM wh_small.order_lines l JOIN wh_small.orders o USING (order_id)
     WHERE l.product_id IN (SELECT product_id FROM wh_small.truth
                             WHERE fact = 'planted_product' AND note SIMILAR TO '(replenish|growing|stockpile)%')
       AND NOT EXISTS (SELECT FROM planted p WHERE p.customer_id = o.customer_id AND p.product_id = l.product_id)$$,
    'replenished, growing and stockpiled products are bought only by their planted customers');

SELECT * FROM finish();
ROLLBACK;
