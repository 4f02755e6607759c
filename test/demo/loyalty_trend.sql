-- make demo, loyalty_trend section: one loyalty trend per customer from the order lines, the
-- trend of the customer base as of the reference date, the planted dormant, closed, repeat and
-- VIP customers (the dormant: declining today), and the customers whose relationship grows.
\pset border 1

CREATE TABLE shop.loyalty_trends AS
SELECT o.customer_id,
       profiling.loyalty_trend(o.ordered_at, (l.quantity * l.unit_price)::float8, p.category) AS t
  FROM shop.order_lines l
  JOIN shop.orders o USING (order_id)
  JOIN shop.products p USING (product_id)
 GROUP BY o.customer_id;

\echo
\echo '== The customer base as of 2026-01-01: trend, mean spend slope (per month) and category growth'
SELECT profiling.trend(t, '2026-01-01') AS trend, count(*) AS customers,
       round(avg(profiling.spend_slope(t, '2026-01-01'))::numeric, 2) AS avg_slope,
       round(avg(profiling.category_growth(t, '2026-01-01'))::numeric, 2) AS avg_growth
  FROM shop.loyalty_trends
 GROUP BY 1 ORDER BY 1;

\echo
\echo '== Planted customers: their trend while they bought (no as-of date) and as of 2026-01-01'
SELECT d.fact AS planted, count(*) AS customers,
       count(*) FILTER (WHERE profiling.trend(l.t) = 'declining') AS declining_while_buying,
       count(*) FILTER (WHERE profiling.trend(l.t, '2026-01-01') = 'declining') AS declining_today,
       count(*) FILTER (WHERE profiling.trend(l.t, '2026-01-01') = 'stable') AS stable_today,
       count(*) FILTER (WHERE profiling.trend(l.t, '2026-01-01') = 'growing') AS growing_today
  FROM shop.truth d JOIN shop.loyalty_trends l USING (customer_id)
 WHERE d.fact IN ('dormant', 'repeat', 'vip', 'closed')
 GROUP BY d.fact ORDER BY d.fact;

\echo
\echo '== The 10 fastest-growing customers as of 2026-01-01: spend slope per month, categories, category growth'
SELECT customer_id, profiling.line_count(t) AS lines,
       round(profiling.spend_slope(t, '2026-01-01')::numeric, 2) AS slope,
       profiling.category_count(t) AS categories, profiling.category_growth(t, '2026-01-01') AS growth
  FROM shop.loyalty_trends
 WHERE profiling.trend(t, '2026-01-01') = 'growing'
 ORDER BY slope DESC, customer_id
 LIMIT 10;

DROP TABLE shop.loyalty_trends;
