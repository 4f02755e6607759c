-- make demo, purchase-history section: who is in the sample warehouse, and what one summary
-- per customer says about the planted archetypes.
\pset border 1
\echo
\echo '== The sample warehouse (schema shop)'
SELECT (SELECT count(*) FROM shop.customers) AS customers,
       (SELECT count(*) FROM shop.customers WHERE registered_at IS NULL) AS prospects,
       (SELECT count(DISTINCT customer_id) FROM shop.orders) AS buyers,
       (SELECT count(*) FROM shop.orders) AS orders,
       (SELECT sum(amount) FROM shop.orders) AS revenue,
       (SELECT min(ordered_at)::date || ' .. ' || max(ordered_at)::date FROM shop.orders) AS period;

-- One summary per customer: the two-step aggregate every later section reads.
CREATE TABLE shop.purchase_histories AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
  FROM shop.orders GROUP BY customer_id;

\echo
\echo '== Purchase history of one planted customer of each kind, as of 2026-01-01'
SELECT DISTINCT ON (t.fact)
       t.fact AS planted, p.customer_id AS customer,
       profiling.order_count(p.h) AS orders,
       profiling.purchase_days(p.h) AS days,
       round(profiling.total_spend(p.h)::numeric, 2) AS spend,
       round(profiling.avg_order_value(p.h)::numeric, 2) AS avg_order,
       profiling.first_purchase(p.h)::date AS first,
       profiling.last_purchase(p.h)::date AS last,
       date_trunc('day', profiling.recency(p.h, '2026-01-01')) AS recency,
       date_trunc('hour', profiling.interpurchase_median(p.h)) AS median_gap,
       round(profiling.coupon_total(p.h)::numeric, 2) AS coupons
  FROM shop.truth t JOIN shop.purchase_histories p USING (customer_id)
 WHERE t.subject = 'customer'
   AND t.fact IN ('hero', 'repeat', 'vip', 'one_time_opportunistic', 'coupon_only', 'full_price', 'dormant', 'closed',
                  'replenisher')
 ORDER BY t.fact, p.customer_id;

\echo
\echo '== Recency, frequency, monetary value of the whole base on 2026-01-01'
SELECT count(*) AS buyers,
       round(avg(r.recency_days)::numeric, 1) AS avg_recency_days,
       round(avg(r.frequency)::numeric, 2) AS avg_orders,
       round(avg(r.monetary)::numeric, 2) AS avg_spend,
       pg_size_pretty(sum(pg_column_size(p.h))) AS summaries_size
  FROM shop.purchase_histories p, LATERAL profiling.rfm(p.h, '2026-01-01') r;

\echo
\echo '== How long since the last order, on 2026-01-01 (recency_days is a number of days)'
SELECT CASE WHEN profiling.recency_days(h, '2026-01-01') <= 30 THEN '1. within 30 days'
            WHEN profiling.recency_days(h, '2026-01-01') <= 90 THEN '2. 31 to 90 days'
            WHEN profiling.recency_days(h, '2026-01-01') <= 365 THEN '3. 91 to 365 days'
            ELSE '4. more than a year' END AS last_order,
       count(*) AS buyers
  FROM shop.purchase_histories
 GROUP BY 1 ORDER BY 1;
