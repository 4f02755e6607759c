-- docs_item_history: every SQL example of docs/item_history.md, verbatim and in its order, on
-- the tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the page
-- shows is the output of its own query below, and that each error example raises the SQLSTATE
-- the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.item_histories AS
SELECT o.customer_id, l.product_id,
       profiling.item_history(o.ordered_at, l.quantity::float8, l.coupon_amount::float8) AS i
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
 GROUP BY o.customer_id, l.product_id;

SELECT t.customer_id, t.product_id, profiling.purchases(h.i) AS purchases,
       profiling.replenishment_cycle(h.i) AS cycle, profiling.regularity(h.i) AS regularity,
       profiling.last_purchase(h.i) AS last, profiling.next_due(h.i) AS next_due
  FROM shop.truth t JOIN shop.item_histories h USING (customer_id, product_id)
 WHERE t.fact = 'replenisher'
 ORDER BY t.customer_id;

SELECT profiling.purchases(i) AS purchases, profiling.total_quantity(i) AS units,
       profiling.replenishment_cycle(i) AS cycle, profiling.cycle_per_unit(i) AS per_unit
  FROM (VALUES ('{(2025-03-01 09:00:00+00,1),(2025-03-01 17:30:00+00,2),(2025-03-11 17:30:00+00,3),(2025-03-31 17:30:00+00,3)}'::profiling.item_history)) AS v(i);

SELECT profiling.is_due(i, '2025-01-15', '0') AS on_the_15th,
       profiling.is_due(i, '2025-01-15', '7 days') AS within_a_week
  FROM (VALUES ('{(2025-01-01 10:00:00+00,2),(2025-01-11 10:00:00+00,2)}'::profiling.item_history)) AS v(i);

SELECT t.fact, t.customer_id, profiling.quantity_slope(h.i) AS slope, t.value AS planted_step,
       profiling.is_incremental(h.i) AS incremental,
       profiling.stockpiling(h.i, (SELECT range_agg(tstzrange(starts_at, ends_at)) FROM shop.promotions)) AS stockpiling
  FROM shop.truth t JOIN shop.item_histories h USING (customer_id, product_id)
 WHERE t.fact IN ('growing_quantity', 'stockpiler')
 ORDER BY t.fact, t.customer_id;

SELECT l.* FROM profiling.lines('{(2025-03-01 17:30:00+00,2),(2025-03-01 09:00:00+00,1,0.5)}'::profiling.item_history) AS l;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.item_history('2025-01-01 10:00:00+00'::timestamptz, -1::float8)$$),
       ($$SELECT profiling.item_history('2025-01-01 10:00:00+00'::timestamptz, 'NaN'::float8)$$),
       ($$SELECT profiling.item_history('2025-01-01 10:00:00+00'::timestamptz, 'Infinity'::float8)$$),
       ($$SELECT profiling.item_history('2025-01-01 10:00:00+00'::timestamptz, 1::float8, -1::float8)$$),
       ($$SELECT profiling.item_history(NULL::timestamptz, 1::float8)$$),
       ($$SELECT profiling.item_history('2025-01-01 10:00:00+00'::timestamptz, NULL::float8)$$),
       ($$SELECT profiling.item_history('2025-01-01 10:00:00'::timestamp, 1::float8)$$),
       ($$SELECT profiling.item_history('infinity'::timestamptz, 1::float8)$$),
       ($$SELECT profiling.is_due('{}', 'infinity')$$),
       ($$SELECT profiling.is_incremental('{}', 1)$$),
       ($$SELECT profiling.cycle_per_unit('{(2025-01-01 00:00:00+00,5e-324),(2025-01-02 00:00:00+00,1)}')$$),
       ($$SELECT '{(2025-01-01 10:00:00+00,abc)}'::profiling.item_history$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it.
DROP TABLE shop.item_histories;
