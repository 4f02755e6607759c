-- make demo, segmentation section: the value structure of the sample warehouse (deciles and
-- merged groups, the top 30% share, Gini), the VIP / HERO / REPEAT counts with the one-time
-- heroes, and the named RFM segments. Reads shop.purchase_histories, which the purchase-history section builds before it.
\pset border 1

-- One summary of the customer table: each customer's total spend and order count.
CREATE TABLE shop.value_structure AS
SELECT profiling.value_distribution(profiling.total_spend(h), profiling.order_count(h)) AS vd
  FROM shop.purchase_histories;

\echo
\echo '== The value structure: customers in ten equal-count bands by total spend, band 1 the most valuable'
SELECT band, customers, round(min_value::numeric, 2) AS min_spend, round(max_value::numeric, 2) AS max_spend,
       round(total_value::numeric, 2) AS spend, round(100 * share_of_value::numeric, 1) AS "share %",
       round(100 * cumulative_share::numeric, 1) AS "cumulative %", round(avg_value::numeric, 2) AS per_customer
  FROM profiling.deciles((SELECT vd FROM shop.value_structure));

\echo
\echo '== The ten bands merged into three groups (natural breaks of the per-customer spend)'
SELECT 'G' || band AS "group",
       CASE WHEN first_band = last_band THEN 'band ' || first_band ELSE 'bands ' || first_band || '-' || last_band END AS bands,
       customers,
       round(100 * share_of_value::numeric, 1) AS "share %", round(100 * cumulative_share::numeric, 1) AS "cumulative %",
       round(avg_value::numeric, 2) AS per_customer
  FROM profiling.merge_bands((SELECT vd FROM shop.value_structure), 3);

\echo
\echo '== Concentration: the share of spend held by the top 10%, 20% and 30% of customers, and the Gini coefficient'
SELECT round(profiling.top_share(vd, 0.1)::numeric, 3) AS top_10,
       round(profiling.top_share(vd, 0.2)::numeric, 3) AS top_20,
       round(profiling.top_share(vd, 0.3)::numeric, 3) AS top_30,
       round(profiling.gini(vd)::numeric, 3) AS gini
  FROM shop.value_structure;

\echo
\echo '== Threshold capture: the classes at a few thresholds (the default grid is the spend deciles x 2 to 10 orders)'
SELECT hero_min, repeat_min, vip_customers AS vip, hero_customers AS hero, one_time_heroes,
       repeat_customers AS repeat, regular_customers AS regular,
       round(100 * (vip_value_share + hero_value_share)::numeric, 1) AS "vip+hero spend %"
  FROM profiling.threshold_capture((SELECT vd FROM shop.value_structure), '{5000,2000,1000}', '{10,20}');

\echo
\echo '== VIP / HERO / REPEAT at hero_min 1000 and repeat_min 20, heroes split by one-time buying, against the planted truth'
SELECT profiling.value_class(p.h, 1000, 20) AS class,
       CASE WHEN profiling.value_class(p.h, 1000, 20) = 'hero'
            THEN CASE WHEN profiling.is_one_time(p.h) THEN 'one-time' ELSE 'returning' END END AS hero_kind,
       count(*) AS customers,
       count(*) FILTER (WHERE t.fact IS NOT NULL) AS planted,
       string_agg(DISTINCT t.fact, ', ') AS planted_as
  FROM shop.purchase_histories p
  LEFT JOIN shop.truth t ON t.customer_id = p.customer_id AND t.fact IN ('vip', 'hero', 'repeat')
 GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '== At hero_min 5000 and repeat_min 20 the VIPs are the planted ones'
SELECT count(*) AS vip_customers,
       count(*) FILTER (WHERE EXISTS (SELECT FROM shop.truth t WHERE t.customer_id = p.customer_id AND t.fact = 'vip')) AS planted_vips,
       (SELECT count(*) FROM shop.truth WHERE fact = 'vip') AS of_planted
  FROM shop.purchase_histories p
 WHERE profiling.value_class(p.h, 5000, 20) = 'vip';

\echo
\echo '== RFM: every customer scored at the reference date against the model of all customers, and named'
SELECT profiling.rfm_segment(s) AS segment, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "customers %",
       round(100 * (sum(profiling.total_spend(h)) / sum(sum(profiling.total_spend(h))) OVER ())::numeric, 1) AS "spend %",
       round(avg(profiling.order_count(h)), 1) AS avg_orders,
       round(avg(profiling.recency_days(h, (SELECT reference_date FROM shop.warehouse_info)))::numeric) AS avg_days_since
  FROM (SELECT h, profiling.rfm_score(m.model, profiling.recency_days(h, (SELECT reference_date FROM shop.warehouse_info)),
                                      profiling.order_count(h), profiling.total_spend(h)) AS s
          FROM shop.purchase_histories,
               (SELECT profiling.rfm_model(profiling.recency_days(h, (SELECT reference_date FROM shop.warehouse_info)),
                                           profiling.order_count(h), profiling.total_spend(h)) AS model
                  FROM shop.purchase_histories) AS m) AS scored
 GROUP BY 1 ORDER BY "spend %" DESC;

DROP TABLE shop.value_structure;
