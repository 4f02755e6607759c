-- docs_loyalty_trend: every SQL example of docs/loyalty_trend.md, verbatim and in its order, on
-- the tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the page
-- shows is the output of its own query below, and that each error example raises the SQLSTATE
-- the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

CREATE TABLE shop.loyalty_trends AS
SELECT o.customer_id,
       profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t
  FROM shop.order_lines l
  JOIN shop.orders o USING (order_id)
  JOIN shop.products p USING (product_id)
 GROUP BY o.customer_id;

SELECT profiling.trend(t, '2026-01-01') AS trend, count(*) AS customers
  FROM shop.loyalty_trends
 GROUP BY 1 ORDER BY 1;

SELECT d.customer_id, profiling.line_count(l.t) AS lines, d.at AS last_purchase,
       round(profiling.spend_slope(l.t, '2026-01-01')::numeric, 2) AS slope,
       profiling.category_growth(l.t, '2026-01-01') AS growth,
       profiling.trend(l.t) AS trend_while_buying,
       profiling.trend(l.t, '2026-01-01') AS trend_today
  FROM shop.truth d JOIN shop.loyalty_trends l USING (customer_id)
 WHERE d.fact = 'dormant'
 ORDER BY d.customer_id;

SELECT profiling.spend_slope(t) AS slope, profiling.category_growth(t) AS growth,
       profiling.trend(t) AS trend
  FROM (VALUES ('{(2025-01-10 10:00:00+00,60,"books"),(2025-01-10 10:00:00+00,40,"toys"),(2025-03-15 10:00:00+00,50,"books"),(2025-04-20 10:00:00+00,30,"garden")}'::profiling.loyalty_trend)) AS v(t);

SELECT profiling.category_growth(t) AS growth,
       profiling.trend(t) AS trend,
       profiling.trend(t, category_step => 3) AS with_step_3
  FROM (VALUES ('{(2025-01-01 10:00:00+00,50,"a"),(2025-02-01 10:00:00+00,50,"a"),(2025-03-01 10:00:00+00,25,"b"),(2025-03-01 10:00:00+00,25,"c"),(2025-04-01 10:00:00+00,25,"c"),(2025-04-01 10:00:00+00,25,"d")}'::profiling.loyalty_trend)) AS v(t);

SELECT profiling.spend_slope(t, '2025-06-01') AS slope,
       profiling.trend(t, '2025-06-01') AS trend,
       profiling.trend(t, '2025-06-01', threshold => 'Infinity') AS quiet_rule,
       profiling.trend(t, '2025-06-01', threshold => 'Infinity', quiet_months => 4) AS quiet_4
  FROM (VALUES ('{(2025-01-10 10:00:00+00,20,"books"),(2025-02-10 10:00:00+00,20,"books")}'::profiling.loyalty_trend)) AS v(t);

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00+00'::timestamptz, -1::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00+00'::timestamptz, 'NaN'::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00+00'::timestamptz, 'Infinity'::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend(NULL::timestamptz, 1::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00+00'::timestamptz, NULL::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00+00'::timestamptz, 1::float8, NULL::text)$$),
       ($$SELECT profiling.loyalty_trend('2025-01-01 10:00:00'::timestamp, 1::float8, 'books')$$),
       ($$SELECT profiling.loyalty_trend('infinity'::timestamptz, 1::float8, 'books')$$),
       ($$SELECT profiling.trend('{}', 'infinity')$$),
       ($$SELECT profiling.trend('{}', NULL, -0.1)$$),
       ($$SELECT profiling.trend('{}', NULL, 0.05, 0)$$),
       ($$SELECT profiling.trend('{}', NULL, 0.05, 2, 0)$$),
       ($$SELECT profiling.spend_slope('{(2025-01-01 00:00:00+00,1.5e308,"a"),(2025-04-01 00:00:00+00,0,"a")}')$$),
       ($$SELECT '{(2025-01-01 10:00:00+00,1,books)}'::profiling.loyalty_trend$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it.
DROP TABLE shop.loyalty_trends;
