-- make demo, engagement section: one engagement summary per customer, its figures by kind of
-- customer, and the customers who keep coming back without buying. Reads
-- shop.purchase_histories, which the purchase-history section builds before it.
\pset border 1

CREATE TABLE shop.engagements AS
SELECT customer_id, profiling.engagement(at, duration) AS e
  FROM shop.interactions GROUP BY customer_id;

\echo
\echo '== Interactions by planted kind of customer: how many, how long, how often (as of 2026-01-01)'
SELECT coalesce(t.fact, 'other') AS planted, count(*) AS customers,
       sum(profiling.interaction_count(e.e)) AS interactions,
       date_trunc('second', avg(profiling.total_duration(e.e))) AS avg_total_duration,
       round(avg(profiling.interactions_per_week(e.e, '2026-01-01'))::numeric, 3) AS per_week
  FROM shop.engagements e
  LEFT JOIN (SELECT DISTINCT ON (customer_id) customer_id, fact FROM shop.truth
              WHERE subject = 'customer' AND fact IN ('prospect', 'registered_only', 'vip', 'dormant', 'coupon_only', 'newcomer')
              ORDER BY customer_id, fact) t USING (customer_id)
 GROUP BY 1 ORDER BY 1;

\echo
\echo '== Browsing without buying: 3 or more interactions in the 30 days before 2026-01-01, no purchase since'
SELECT count(*) AS customers,
       count(*) FILTER (WHERE p.h IS NULL) AS never_bought,
       count(*) FILTER (WHERE p.h IS NOT NULL) AS bought_before
  FROM shop.engagements e LEFT JOIN shop.purchase_histories p USING (customer_id)
 WHERE profiling.browsing_without_buying(e.e, p.h, '2026-01-01');
