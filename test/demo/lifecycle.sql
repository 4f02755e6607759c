-- make demo, lifecycle section: the lifecycle structure on the reference date (customers, share
-- and spend per stage, by the default policy and with VIPs), last quarter's moves between stages
-- as a from x to table (plain SQL over two stage() calls) and as rates (transitions), and each
-- stage's planted customers found in it. Reads shop.purchase_histories and shop.engagements, which the purchase-history and
-- engagement sections build before it.
\pset border 1
SET TimeZone = 'UTC';

-- One row per customer: what stage() reads (a NULL summary: no orders, no interactions).
CREATE TABLE shop.lives AS
SELECT c.customer_id, c.registered_at, c.closed_at, p.h, e.e
  FROM shop.customers c
  LEFT JOIN shop.purchase_histories p USING (customer_id)
  LEFT JOIN shop.engagements e USING (customer_id);

\echo
\echo '== The lifecycle on 2026-01-01: customers, share and spend per stage, by the default policy and with VIPs (spend >= 5000 and 20 orders)'
WITH staged AS (
    SELECT profiling.stage(registered_at, closed_at, h, e, '2026-01-01') AS by_default,
           profiling.stage(registered_at, closed_at, h, e, '2026-01-01',
                           profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) AS with_vips,
           coalesce(profiling.total_spend(h), 0) AS spend
      FROM shop.lives),
d AS (SELECT by_default AS stage, count(*) AS customers, sum(spend) AS spend FROM staged GROUP BY 1),
v AS (SELECT with_vips AS stage, count(*) AS customers, sum(spend) AS spend FROM staged GROUP BY 1)
SELECT s.stage, coalesce(d.customers, 0) AS customers,
       round(100.0 * coalesce(d.customers, 0) / sum(d.customers) OVER (), 1) AS "share %",
       round(coalesce(d.spend, 0)::numeric) AS spend,
       coalesce(v.customers, 0) AS "customers (VIP)",
       round(100.0 * coalesce(v.customers, 0) / sum(v.customers) OVER (), 1) AS "share % (VIP)",
       round(coalesce(v.spend, 0)::numeric) AS "spend (VIP)"
  FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) AS s(stage)
  LEFT JOIN d USING (stage) LEFT JOIN v USING (stage)
 ORDER BY s.stage;

\echo
\echo '== Last quarter''s moves: stage on 2025-10-01 (rows) x stage on 2026-01-01 (columns), with VIPs'
SELECT q3 AS "2025-10-01",
       count(*) FILTER (WHERE q4 = 'prospect') AS prospect, count(*) FILTER (WHERE q4 = 'registered') AS registered,
       count(*) FILTER (WHERE q4 = 'active') AS active, count(*) FILTER (WHERE q4 = 'new') AS new,
       count(*) FILTER (WHERE q4 = 'repeat') AS repeat, count(*) FILTER (WHERE q4 = 'vip') AS vip,
       count(*) FILTER (WHERE q4 = 'dormant') AS dormant, count(*) FILTER (WHERE q4 = 'churned') AS churned,
       count(*) AS total, count(*) FILTER (WHERE q4 <> q3) AS moved
  FROM (SELECT profiling.stage(registered_at, closed_at, h, e, '2025-10-01', policy) AS q3,
               profiling.stage(registered_at, closed_at, h, e, '2026-01-01', policy) AS q4
          FROM shop.lives, profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20) AS policy) s
 GROUP BY q3 ORDER BY q3;

\echo
\echo '== The same quarter as one transitions summary, read as rates of each starting stage: the moves out of a stage'
SELECT r.from_stage, r.to_stage, r.customers, round(100 * r.rate::numeric, 1) AS "rate %"
  FROM (SELECT profiling.transitions(profiling.stage(registered_at, closed_at, h, e, '2025-10-01', policy),
                                     profiling.stage(registered_at, closed_at, h, e, '2026-01-01', policy)) AS t
          FROM shop.lives, profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20) AS policy) q,
       profiling.transition_rates(q.t) AS r
 WHERE r.from_stage <> r.to_stage
 ORDER BY r.from_stage, r.customers DESC;

\echo
\echo '== The planted customers, found in their stage (stage_changes at its exact times)'
SELECT w.planted, w.found_as AS "expected", count(*) AS customers,
       count(*) FILTER (WHERE CASE w.planted
            WHEN 'prospect' THEN profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') = 'prospect'
            WHEN 'lead' THEN profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') = 'prospect'
            WHEN 'registered_only' THEN profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') IN ('registered', 'active')
            WHEN 'newcomer' THEN profiling.stage(l.registered_at, l.closed_at, l.h, l.e, t.at) = 'new'
            WHEN 'vip' THEN profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01',
                                            profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) = 'vip'
            WHEN 'dormant' THEN EXISTS (SELECT FROM profiling.stage_changes(l.registered_at, l.closed_at, l.h, l.e) s
                                         WHERE s.to_stage = 'dormant'
                                           AND s.changed_at = greatest(t.at, profiling.last_interaction(l.e)) + interval '180 days')
            WHEN 'closed' THEN EXISTS (SELECT FROM profiling.stage_changes(l.registered_at, l.closed_at, l.h, l.e) s
                                        WHERE s.to_stage = 'churned' AND s.changed_at = t.at)
        END) AS found
  FROM (VALUES (1, 'lead', 'prospect on 2026-01-01 (no interactions)'),
               (2, 'prospect', 'prospect on 2026-01-01 (interactions)'),
               (3, 'registered_only', 'registered or active on 2026-01-01'),
               (4, 'newcomer', 'new at the first purchase'),
               (5, 'vip', 'vip on 2026-01-01 (5000, 20)'),
               (6, 'dormant', 'dormant 180 days after the last purchase or visit'),
               (7, 'closed', 'churned at closed_at')) AS w(n, planted, found_as)
  JOIN shop.truth t ON t.fact = w.planted
  JOIN shop.lives l USING (customer_id)
 GROUP BY w.n, w.planted, w.found_as ORDER BY w.n;

DROP TABLE shop.lives;
