-- lifecycle: the stage of a customer as of any time, its exact changes, its timeline, and the
-- policy. Hand-made lives first, then every customer of the tiny sample warehouse, whose planted
-- dormant, closed, prospect, lead, registered-only and newcomer customers must come out as such.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- ============================================================================================
-- The policy
-- ============================================================================================

SELECT profiling.lifecycle_policy() AS defaults;
SELECT (p).* FROM (SELECT profiling.lifecycle_policy(active_within => '14 days', dormant_after => '6 months',
                                                     churn_after => '1 year', hero_min => 5000, repeat_min => 20) AS p) x;
-- Bad policies: clear errors.
SELECT call, e.error_code, e.message, e.detail
  FROM (VALUES ('active_within => ''0 days'''), ('dormant_after => ''-1 day'''), ('active_within => NULL'),
               ('dormant_after => NULL'), ('active_within => ''1 month -29 days'''), ('churn_after => ''-1 year 400 days'''),
               ('hero_min => 1000'), ('repeat_min => 5'), ('hero_min => ''NaN'', repeat_min => 5'),
               ('hero_min => -1, repeat_min => 5'), ('hero_min => 1000, repeat_min => 0')) AS v(call),
       regress.error_of(format('SELECT profiling.lifecycle_policy(%s)', call)) AS e;
-- A policy built by hand skips the constructor; every function checks it again.
SELECT e.error_code, e.message
  FROM regress.error_of($$SELECT profiling.stage('2025-01-01', NULL, NULL, NULL, '2025-06-01',
                                                 ROW('0 days', '180 days', NULL, NULL, NULL)::profiling.lifecycle_policy)$$) AS e;

-- ============================================================================================
-- One hand-made life
-- ============================================================================================

-- Registered on 2025-01-01; visits on 2024-12-20 (before registering) and 2025-01-05; orders on
-- 2025-02-10 (two that day), 2025-03-10 and 2025-04-01; nothing after.
CREATE TEMP TABLE life AS
SELECT '2025-01-01 09:00+00'::timestamptz AS registered_at, NULL::timestamptz AS closed_at,
       '{(2025-02-10 10:00:00+00,40),(2025-02-10 18:00:00+00,15),(2025-03-10 12:00:00+00,900),(2025-04-01 08:00:00+00,5000)}'::profiling.purchase_history AS h,
       '{(2024-12-20 20:00:00+00,00:05:00),(2025-01-05 20:00:00+00,NULL)}'::profiling.engagement AS e;

-- The stage at a few times, under the default policy and one with VIPs and churn.
SELECT at, profiling.stage(registered_at, closed_at, h, e, at) AS stage,
       profiling.stage(registered_at, closed_at, h, e, at,
                       profiling.lifecycle_policy(churn_after => '1 year', hero_min => 5000, repeat_min => 3)) AS with_vip_and_churn
  FROM life, unnest(array['2024-12-01', '2024-12-20 20:00', '2025-01-01 09:00', '2025-01-20', '2025-02-04 19:59:59', '2025-02-04 20:00',
                          '2025-02-10 10:00', '2025-02-10 18:00', '2025-03-10 12:00', '2025-04-01 08:00',
                          '2025-09-28 07:59:59', '2025-09-28 08:00', '2026-04-01 08:00']::timestamptz[]) AS at
 ORDER BY at;
-- Every change at its exact time: active until 30 days after the last visit, dormant exactly
-- 180 days after the last order.
SELECT * FROM profiling.stage_changes(
    (SELECT registered_at FROM life), NULL, (SELECT h FROM life), (SELECT e FROM life));
SELECT c.* FROM life, profiling.stage_changes(registered_at, closed_at, h, e,
    profiling.lifecycle_policy(churn_after => '1 year', hero_min => 5000, repeat_min => 3)) AS c;
-- until: the changes up to a time only.
SELECT c.* FROM life, profiling.stage_changes(registered_at, closed_at, h, e, until => '2025-03-01') AS c;
-- The timeline on month ends: from + k * step, so that from a 31st every point is a month end
-- (adding a month at a time would drift to the 28th after February).
SELECT t.* FROM life, profiling.stage_timeline(registered_at, closed_at, h, e, profiling.lifecycle_policy(),
                                                '2024-12-31 23:59:59', '2025-12-31 23:59:59', '1 month') AS t;

-- Property: the stage at any time is the last change's to_stage (checked at every change, and
-- one microsecond before it).
SELECT count(*) AS checks,
       count(*) FILTER (WHERE profiling.stage(registered_at, closed_at, h, e, c.changed_at) IS DISTINCT FROM c.to_stage) AS wrong_at,
       count(*) FILTER (WHERE c.from_stage IS NOT NULL
                          AND profiling.stage(registered_at, closed_at, h, e, c.changed_at - interval '1 microsecond') IS DISTINCT FROM c.from_stage) AS wrong_before
  FROM life, profiling.stage_changes(registered_at, closed_at, h, e) AS c;

-- ============================================================================================
-- Edge cases
-- ============================================================================================

-- Nothing known: a prospect, and no changes. Interactions only: a prospect. Registered, no
-- engagement: registered (buying is the only activity). A NULL as_of or policy: NULL.
SELECT profiling.stage(NULL, NULL, NULL, NULL, '2025-01-01') AS nothing,
       profiling.stage(NULL, NULL, NULL, '{(2024-12-01 10:00:00+00,NULL)}', '2025-01-01') AS visitor,
       profiling.stage('2024-06-01', NULL, NULL, NULL, '2025-01-01') AS registered,
       profiling.stage('2024-06-01', NULL, NULL, '{}', '2025-01-01') AS empty_engagement,
       profiling.stage('2024-06-01', NULL, '{}', NULL, '2025-01-01') AS empty_purchases,
       profiling.stage('2024-06-01', NULL, NULL, NULL, NULL) IS NULL AS null_as_of,
       profiling.stage('2024-06-01', NULL, NULL, NULL, '2025-01-01', NULL) IS NULL AS null_policy;
SELECT count(*) AS changes_of_nobody FROM profiling.stage_changes(NULL, NULL, NULL, NULL);
-- Bought before registering: registered at the first purchase (new), not a prospect.
SELECT at, profiling.stage('2025-03-01', NULL, '{(2025-01-15 10:00:00+00,20)}', NULL, at)
  FROM unnest(array['2025-01-15 09:59:59', '2025-01-15 10:00', '2025-02-01']::timestamptz[]) AS at;
-- Closed: churned from closed_at on, whatever follows; churned before dormant when both apply.
SELECT at, profiling.stage('2024-01-01', '2024-06-01', '{(2024-02-01 10:00:00+00,20)}', NULL, at)
  FROM unnest(array['2024-05-31 23:59:59', '2024-06-01', '2025-06-01']::timestamptz[]) AS at;
SELECT * FROM profiling.stage_changes('2024-01-01', '2024-06-01', '{(2024-02-01 10:00:00+00,20)}', NULL);
-- Two orders on one calendar day are one purchase day: still new. In another TimeZone the same
-- orders fall on two days.
SELECT profiling.stage(NULL, NULL, '{(2025-01-15 01:00:00+00,20),(2025-01-15 22:00:00+00,20)}', NULL, '2025-01-20') AS utc;
SET TimeZone = 'America/New_York';
SELECT profiling.stage(NULL, NULL, '{(2025-01-15 01:00:00+00,20),(2025-01-15 22:00:00+00,20)}', NULL, '2025-01-20') AS new_york;
-- Dormant exactly 180 days after the last order, counted on the local calendar: across the
-- March daylight-saving change the local time of day stays 10:00.
SELECT changed_at, from_stage, to_stage
  FROM profiling.stage_changes(NULL, NULL, '{(2024-10-01 14:00:00+00,20)}', NULL);
SET TimeZone = 'UTC';
-- churn_after no longer than dormant_after: a lapsed buyer churns at once, without a dormant
-- stage (equal, or shorter: there is no order to require between intervals of months and days).
SELECT churn_after, changed_at, from_stage, to_stage
  FROM unnest(array['180 days', '90 days', '6 months']::interval[]) AS churn_after,
       profiling.stage_changes(NULL, NULL, '{(2024-10-01 14:00:00+00,20)}', NULL,
                               profiling.lifecycle_policy(dormant_after => '180 days', churn_after => churn_after));
-- VIP needs two purchase days: one big order is new, however large.
SELECT profiling.stage(NULL, NULL, '{(2025-01-15 10:00:00+00,9000)}', NULL, '2025-01-20',
                       profiling.lifecycle_policy(hero_min => 1000, repeat_min => 1)) AS one_big_order;
-- Bad input.
SELECT call, e.error_code, e.message
  FROM (VALUES ('profiling.stage(''2025-01-01'', ''2024-01-01'', NULL, NULL, ''2025-06-01'')'),
               ('profiling.stage(''infinity'', NULL, NULL, NULL, ''2025-06-01'')'),
               ('profiling.stage(NULL, ''-infinity'', NULL, NULL, ''2025-06-01'')'),
               ('profiling.stage(NULL, NULL, NULL, NULL, ''infinity'')'),
               ('profiling.stage_timeline(NULL, NULL, NULL, NULL, profiling.lifecycle_policy(), ''2025-01-01'', ''2025-02-01'', ''0 days'')'),
               ('profiling.stage_timeline(NULL, NULL, NULL, NULL, profiling.lifecycle_policy(), ''2025-01-01'', ''2025-02-01'', ''1 month -29 days'')'),
               ('profiling.stage_timeline(NULL, NULL, NULL, NULL, profiling.lifecycle_policy(), ''2025-01-01'', ''infinity'', ''1 day'')'),
               -- an order so late that it plus dormant_after is beyond timestamptz
               ('profiling.stage(NULL, NULL, ''{(294276-12-01 00:00:00+00,1)}'', NULL, ''294276-12-02'')'),
               ('profiling.stage_changes(NULL, NULL, ''{(294276-12-01 00:00:00+00,1)}'', NULL)')) AS v(call),
       regress.error_of('SELECT * FROM ' || call) AS e;

-- ============================================================================================
-- The tiny sample warehouse
-- ============================================================================================

CREATE TEMP TABLE lc AS
SELECT c.customer_id, c.registered_at, c.closed_at, o.h, i.e
  FROM shop.customers c
  LEFT JOIN (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
               FROM shop.orders GROUP BY customer_id) o USING (customer_id)
  LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e
               FROM shop.interactions GROUP BY customer_id) i USING (customer_id);

-- Every customer's stage at three dates, beside what was planted.
SELECT lc.customer_id, string_agg(DISTINCT t.fact, ', ') AS planted,
       profiling.stage(registered_at, closed_at, h, e, '2024-07-01') AS "2024-07-01",
       profiling.stage(registered_at, closed_at, h, e, '2025-07-01') AS "2025-07-01",
       profiling.stage(registered_at, closed_at, h, e, '2026-01-01',
                       profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) AS "2026-01-01 with VIPs"
  FROM lc LEFT JOIN shop.truth t ON t.customer_id = lc.customer_id
                                AND t.fact IN ('dormant', 'closed', 'prospect', 'lead', 'registered_only', 'newcomer', 'vip', 'hero', 'repeat')
 GROUP BY lc.customer_id, registered_at, closed_at, h, e
 ORDER BY lc.customer_id;

-- The planted dormant customers become dormant exactly 180 days after their planted last
-- purchase; the closed ones churn at their closed_at; newcomers are new right after their first
-- purchase.
SELECT t.fact, t.customer_id, t.at AS planted_at, c.changed_at, c.changed_at - t.at AS after
  FROM shop.truth t JOIN lc USING (customer_id),
       LATERAL profiling.stage_changes(lc.registered_at, lc.closed_at, lc.h, lc.e) AS c
 WHERE (t.fact = 'dormant' AND c.to_stage = 'dormant') OR (t.fact = 'closed' AND c.to_stage = 'churned')
    OR (t.fact = 'newcomer' AND c.to_stage = 'new')
 ORDER BY t.fact, t.customer_id;
-- Every change of one VIP's life.
SELECT c.* FROM lc, profiling.stage_changes(registered_at, closed_at, h, e,
                                            profiling.lifecycle_policy(hero_min => 5000, repeat_min => 20)) AS c
 WHERE customer_id = (SELECT min(customer_id) FROM shop.truth WHERE fact = 'vip');
-- The property over every customer: the stage at each change, and just before it.
SELECT count(*) AS checks,
       count(*) FILTER (WHERE profiling.stage(registered_at, closed_at, h, e, c.changed_at) IS DISTINCT FROM c.to_stage) AS wrong_at,
       count(*) FILTER (WHERE c.from_stage IS NOT NULL
                          AND profiling.stage(registered_at, closed_at, h, e, c.changed_at - interval '1 microsecond') IS DISTINCT FROM c.from_stage) AS wrong_before
  FROM lc, profiling.stage_changes(registered_at, closed_at, h, e) AS c;

DROP TABLE lc, life;
