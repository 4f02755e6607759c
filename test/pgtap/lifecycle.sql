-- lifecycle properties on the small sample warehouse: stage(t) = the last change of
-- stage_changes at or before t, at random times and around every change; stage_timeline = stage at
-- month ends; stage = its plain-SQL definition (the rules of src/lifecycle.h written as CASE over
-- LATERAL aggregates) under four policies and in two time zones; the planted truth recovered
-- (dormant exactly 180 days after the last purchase, churned at closing, prospects, registered,
-- newcomers); parallel = serial; dormancy across a daylight-saving change in local calendar days.
-- Every comparison is IS DISTINCT FROM (or bag_eq), so that a NULL where a stage belongs is a
-- difference, not a row that vanishes.
\i test/pgtap/lib/begin.psql
SELECT plan(46);

SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';

CALL sample_warehouse.build('tap_lc', 'small', 42);
ANALYZE tap_lc.customers;
ANALYZE tap_lc.orders;
ANALYZE tap_lc.interactions;
CALL pg_temp.force_serial();

-- One row per customer: its life as the lifecycle functions read it (a NULL summary: none).
CREATE TABLE tap_lc.life AS
SELECT c.customer_id, c.registered_at, c.closed_at, h.h, e.e
  FROM tap_lc.customers c
  LEFT JOIN (SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
               FROM tap_lc.orders GROUP BY customer_id) h USING (customer_id)
  LEFT JOIN (SELECT customer_id, engagement(at, duration) AS e
               FROM tap_lc.interactions GROUP BY customer_id) e USING (customer_id);
ALTER TABLE tap_lc.life ADD PRIMARY KEY (customer_id);
ANALYZE tap_lc.life;

-- The policies every property runs under: the default; churn by lapse; VIPs as the warehouse
-- plants them; short timers with churn and a low VIP bar, so that every rule has customers; and
-- timers in calendar months (a month is never 30 days).
CREATE TABLE tap_lc.policies AS
SELECT * FROM (VALUES
    ('default', lifecycle_policy()),
    ('churn after 1 year', lifecycle_policy(churn_after => '1 year')),
    ('VIP 5000 / 20', lifecycle_policy(hero_min => 5000, repeat_min => 20)),
    ('active 3 days, dormant 90 days, churn 1 year, VIP 1000 / 10', lifecycle_policy('3 days', '90 days', '1 year', 1000, 10)),
    ('calendar months: active 1 month, dormant 6 months, churn 13 months', lifecycle_policy('1 month', '6 months', '13 months'))
) AS p(policy_name, policy);

SELECT is((SELECT count(*) FROM tap_lc.life), 2000::bigint, 'the small warehouse has 2000 customers');
SELECT is((SELECT count(DISTINCT stage(registered_at, closed_at, h, e, '2026-01-01', policy))
             FROM tap_lc.life, tap_lc.policies WHERE policy_name = 'churn after 1 year' OR policy_name LIKE 'VIP%'),
          8::bigint, 'every one of the 8 stages has customers on 2026-01-01 (VIP and churn policies)');

-- stage_changes ----------------------------------------------------------------------------------
CREATE TABLE tap_lc.changes AS
SELECT l.customer_id, p.policy_name, s.k, s.changed_at, s.from_stage, s.to_stage
  FROM tap_lc.life l CROSS JOIN tap_lc.policies p
       CROSS JOIN LATERAL stage_changes(l.registered_at, l.closed_at, l.h, l.e, p.policy)
                  WITH ORDINALITY AS s(changed_at, from_stage, to_stage, k);
CREATE INDEX ON tap_lc.changes (customer_id, policy_name, changed_at);
ANALYZE tap_lc.changes;

SELECT is((SELECT count(DISTINCT customer_id) FROM tap_lc.changes WHERE policy_name = 'default'),
          (SELECT count(*) FROM tap_lc.life WHERE registered_at IS NOT NULL OR h IS NOT NULL OR e IS NOT NULL),
          'every customer with an event has stage changes (the leads, with none, have none)');
SELECT is_empty($$
    SELECT customer_id, policy_name, k FROM (
        SELECT *, lag(changed_at) OVER w AS previous_at, lag(to_stage) OVER w AS previous_stage
          FROM tap_lc.changes WINDOW w AS (PARTITION BY customer_id, policy_name ORDER BY k)) c
     WHERE (k = 1 AND from_stage IS NOT NULL)
        OR (k > 1 AND (changed_at <= previous_at OR from_stage IS DISTINCT FROM previous_stage
                       OR to_stage IS NOT DISTINCT FROM from_stage)) $$,
    'the changes ascend in time, the first has no from_stage, each starts where the previous ended and changes the stage');
SELECT is_empty($$
    SELECT c.customer_id, c.policy_name, c.k FROM tap_lc.changes c JOIN tap_lc.life l USING (customer_id)
      JOIN tap_lc.policies p USING (policy_name)
     WHERE stage(l.registered_at, l.closed_at, l.h, l.e, c.changed_at, p.policy) IS DISTINCT FROM c.to_stage $$,
    'stage at each change = its to_stage, under every policy');
SELECT is_empty($$
    SELECT c.customer_id, c.policy_name, c.k FROM tap_lc.changes c JOIN tap_lc.life l USING (customer_id)
      JOIN tap_lc.policies p USING (policy_name)
     WHERE stage(l.registered_at, l.closed_at, l.h, l.e, c.changed_at - interval '1 microsecond', p.policy)
           IS DISTINCT FROM coalesce(c.from_stage, 'prospect') $$,
    'stage one microsecond before each change = its from_stage (prospect before the first)');
SELECT is_empty($$
    SELECT l.customer_id, s.* FROM tap_lc.life l,
           LATERAL stage_changes(l.registered_at, l.closed_at, l.h, l.e, until => '2025-06-30 12:00:00+00') s
    EXCEPT ALL
    SELECT customer_id, changed_at, from_stage, to_stage FROM tap_lc.changes
     WHERE policy_name = 'default' AND changed_at <= '2025-06-30 12:00:00+00' $$,
    'stage_changes(..., until) has only the changes at or before until ...');
SELECT is_empty($$
    SELECT customer_id, changed_at, from_stage, to_stage FROM tap_lc.changes
     WHERE policy_name = 'default' AND changed_at <= '2025-06-30 12:00:00+00'
    EXCEPT ALL
    SELECT l.customer_id, s.* FROM tap_lc.life l,
           LATERAL stage_changes(l.registered_at, l.closed_at, l.h, l.e, until => '2025-06-30 12:00:00+00') s $$,
    '... and all of them');

-- 20 times a customer, drawn from hashes between 2023-10-01 and 2026-07-01 (to the microsecond),
-- and the stage then = the to_stage of the last change at or before it (prospect before any).
CREATE TABLE tap_lc.random_times AS
SELECT l.customer_id, timestamptz '2023-10-01 00:00:00+00'
       + ((hashint8extended(l.customer_id::bigint * 100 + k, 42) & 9223372036854775807)
          % (1004::bigint * 86400 * 1000000)) * interval '1 microsecond' AS t
  FROM tap_lc.life l, generate_series(1, 20) k;
SELECT is((SELECT count(DISTINCT t) FROM tap_lc.random_times), 40000::bigint, '40000 distinct random times');
SELECT is_empty($$
    SELECT r.customer_id, r.t, p.policy_name FROM tap_lc.random_times r JOIN tap_lc.life l USING (customer_id)
           CROSS JOIN tap_lc.policies p
     WHERE stage(l.registered_at, l.closed_at, l.h, l.e, r.t, p.policy) IS DISTINCT FROM
           coalesce((SELECT c.to_stage FROM tap_lc.changes c
                      WHERE c.customer_id = r.customer_id AND c.policy_name = p.policy_name AND c.changed_at <= r.t
                      ORDER BY c.changed_at DESC LIMIT 1), 'prospect') $$,
    'stage at 20 random times a customer = the to_stage of the last change at or before it, under every policy');

-- stage_timeline -----------------------------------------------------------------------------------
CREATE TABLE tap_lc.month_ends AS
SELECT date_trunc('month', m) + interval '1 month' - interval '1 day' AS at
  FROM generate_series(timestamptz '2024-01-01 00:00:00+00', '2025-12-01 00:00:00+00', '1 month') m;
SELECT is((SELECT string_agg(to_char(at, 'MM-DD'), ' ' ORDER BY at) FROM tap_lc.month_ends WHERE at < '2025-01-01'),
          '01-31 02-29 03-31 04-30 05-31 06-30 07-31 08-31 09-30 10-31 11-30 12-31', 'the 24 month ends (2024: a leap year)');
SELECT bag_eq($$
    SELECT l.customer_id, t.at, t.stage FROM tap_lc.life l,
           LATERAL stage_timeline(l.registered_at, l.closed_at, l.h, l.e, lifecycle_policy(), '2024-01-31', '2025-12-31', '1 month') t $$,
    $$ SELECT l.customer_id, m.at, stage(l.registered_at, l.closed_at, l.h, l.e, m.at) FROM tap_lc.life l, tap_lc.month_ends m $$,
    'stage_timeline(..., 2024-01-31, 2025-12-31, 1 month) = stage at each month end, customer by customer');
SELECT bag_eq($$
    SELECT t.at, t.stage, count(*) FROM tap_lc.life l, tap_lc.policies p,
           LATERAL stage_timeline(l.registered_at, l.closed_at, l.h, l.e, p.policy, '2024-01-31', '2025-12-31', '1 month') t
     WHERE p.policy_name LIKE 'active%' GROUP BY 1, 2 $$,
    $$ SELECT m.at, stage(l.registered_at, l.closed_at, l.h, l.e, m.at, p.policy), count(*)
         FROM tap_lc.life l, tap_lc.month_ends m, tap_lc.policies p WHERE p.policy_name LIKE 'active%' GROUP BY 1, 2 $$,
    'the stage counts at the 24 month ends from stage_timeline = from stage (short timers, churn, VIPs)');

-- stage = its plain-SQL definition -------------------------------------------------------------
-- Each customer as registered, and (under two policies) as if it had registered 30 days after its
-- first order and never closed: a buyer not yet registered, a non-buyer never registered.
-- Asked at six fixed dates and at each customer's edges under each policy: the first order and a
-- microsecond before, registration, closing and a microsecond before, and the ends of the
-- active, dormant and churn timers (from the last order or interaction) and a microsecond before.
CREATE TABLE tap_lc.asked AS
WITH lives AS (
    SELECT l.customer_id, 'as registered' AS variant, l.registered_at, l.closed_at, p.policy_name, p.policy
      FROM tap_lc.life l CROSS JOIN tap_lc.policies p
    UNION ALL
    SELECT l.customer_id, 'registered after the first order', o.first_order + interval '30 days', NULL, p.policy_name, p.policy
      FROM tap_lc.life l
      LEFT JOIN (SELECT customer_id, min(ordered_at) AS first_order FROM tap_lc.orders GROUP BY customer_id) o USING (customer_id)
      CROSS JOIN tap_lc.policies p
     WHERE p.policy_name IN ('default', 'active 3 days, dormant 90 days, churn 1 year, VIP 1000 / 10'))
SELECT DISTINCT l.customer_id, l.variant, l.registered_at, l.closed_at, l.policy_name, l.policy, x.t
  FROM lives l
  LEFT JOIN (SELECT customer_id, min(ordered_at) AS first_order, max(ordered_at) AS last_order
               FROM tap_lc.orders GROUP BY customer_id) o USING (customer_id)
  LEFT JOIN (SELECT customer_id, max(at) AS last_interaction FROM tap_lc.interactions GROUP BY customer_id) i USING (customer_id)
  CROSS JOIN LATERAL unnest(ARRAY[
        '2024-03-01 00:00:00+00', '2024-09-15 12:00:00+00', '2025-03-31 00:00:00+00', '2025-06-30 23:59:59.999999+00',
        '2025-10-01 00:00:00+00', '2026-01-01 00:00:00+00',
        o.first_order, o.first_order - interval '1 microsecond', l.registered_at, l.closed_at,
        l.registered_at - interval '1 microsecond', l.closed_at - interval '1 microsecond',
        i.last_interaction + (l.policy).active_within, i.last_interaction + (l.policy).active_within - interval '1 microsecond',
        greatest(o.last_order, i.last_interaction) + (l.policy).dormant_after,
        greatest(o.last_order, i.last_interaction) + (l.policy).dormant_after - interval '1 microsecond',
        greatest(o.last_order, i.last_interaction) + (l.policy).churn_after,
        greatest(o.last_order, i.last_interaction) + (l.policy).churn_after - interval '1 microsecond']::timestamptz[]) AS x(t)
 WHERE x.t IS NOT NULL;

-- The rules of src/lifecycle.h in plain SQL, from the orders and interactions at or before t.
-- A view, so that purchase days (ordered_at::date) follow the TimeZone of the query that reads it.
CREATE VIEW tap_lc.plain_stages AS
SELECT a.customer_id, a.variant, a.registered_at, a.closed_at, a.policy_name, a.policy, a.t,
       CASE WHEN a.closed_at <= a.t THEN 'churned'
            WHEN o.n = 0 AND (a.registered_at IS NULL OR a.registered_at > a.t) THEN 'prospect'
            WHEN o.n = 0 AND a.t < i.last_at + (a.policy).active_within THEN 'active'
            WHEN o.n = 0 THEN 'registered'
            WHEN a.t >= greatest(o.last_at, i.last_at) + (a.policy).churn_after THEN 'churned'
            WHEN a.t >= greatest(o.last_at, i.last_at) + (a.policy).dormant_after THEN 'dormant'
            WHEN o.days >= 2 AND o.spend >= (a.policy).hero_min AND o.n >= (a.policy).repeat_min THEN 'vip'
            WHEN o.days >= 2 THEN 'repeat'
            ELSE 'new' END::lifecycle_stage AS stage
  FROM tap_lc.asked a,
       LATERAL (SELECT count(*) AS n, max(ordered_at) AS last_at, count(DISTINCT ordered_at::date) AS days,
                       sum(amount) AS spend
                  FROM tap_lc.orders o WHERE o.customer_id = a.customer_id AND o.ordered_at <= a.t) o,
       LATERAL (SELECT max(at) AS last_at
                  FROM tap_lc.interactions i WHERE i.customer_id = a.customer_id AND i.at <= a.t) i;

CREATE TABLE tap_lc.compared AS
SELECT s.customer_id, s.variant, s.policy_name, s.t, s.stage AS plain,
       stage(s.registered_at, s.closed_at, l.h, l.e, s.t, s.policy) AS profiling
  FROM tap_lc.plain_stages s JOIN tap_lc.life l USING (customer_id);
SELECT cmp_ok((SELECT count(*) FROM tap_lc.compared), '>', 100000::bigint, 'more than 100000 (customer, policy, time) questions');
SELECT is_empty($$SELECT customer_id, t, plain, profiling FROM tap_lc.compared
                   WHERE policy_name = 'default' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition, default policy');
SELECT is_empty($$SELECT customer_id, t, plain, profiling FROM tap_lc.compared
                   WHERE policy_name = 'churn after 1 year' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition, churn_after 1 year');
SELECT is_empty($$SELECT customer_id, t, plain, profiling FROM tap_lc.compared
                   WHERE policy_name = 'VIP 5000 / 20' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition, hero_min 5000 and repeat_min 20');
SELECT is_empty($$SELECT customer_id, t, plain, profiling FROM tap_lc.compared
                   WHERE policy_name LIKE 'active%' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition, active_within 3 days, dormant_after 90 days, churn_after 1 year, VIP 1000 / 10');
SELECT is_empty($$SELECT customer_id, t, plain, profiling FROM tap_lc.compared
                   WHERE policy_name LIKE 'calendar%' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition, active_within 1 month, dormant_after 6 months, churn_after 13 months');
SELECT is_empty($$SELECT customer_id, policy_name, t, plain, profiling FROM tap_lc.compared
                   WHERE variant <> 'as registered' AND profiling IS DISTINCT FROM plain$$,
                'stage = its plain-SQL definition for buyers who register after buying and non-buyers who never register');
SELECT cmp_ok((SELECT count(*) FROM tap_lc.compared WHERE variant <> 'as registered' AND plain IN ('new', 'repeat', 'vip')
                  AND t < (SELECT min(ordered_at) FROM tap_lc.orders o WHERE o.customer_id = compared.customer_id) + interval '30 days'),
              '>', 100::bigint, 'and there are buyers not yet registered among them');
SELECT is((SELECT count(DISTINCT plain) FROM tap_lc.compared), 8::bigint, 'and the questions reach all 8 stages');

-- The same summaries built in another order give the same stages.
SELECT is_empty($$
    SELECT l.customer_id FROM tap_lc.life l
      JOIN (SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount ORDER BY ordered_at DESC) AS h
              FROM tap_lc.orders GROUP BY customer_id) r USING (customer_id)
      LEFT JOIN (SELECT customer_id, engagement(at, duration ORDER BY at DESC) AS e
                   FROM tap_lc.interactions GROUP BY customer_id) q USING (customer_id), tap_lc.month_ends m
     WHERE stage(l.registered_at, l.closed_at, r.h, q.e, m.at, lifecycle_policy('3 days', '90 days', '1 year', 1000, 10))
           IS DISTINCT FROM stage(l.registered_at, l.closed_at, l.h, l.e, m.at, lifecycle_policy('3 days', '90 days', '1 year', 1000, 10)) $$,
    'summaries built from the orders and interactions in reverse order give the same stages');

-- The planted truth ------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM tap_lc.truth WHERE fact = 'dormant'), 60::bigint, '60 planted dormant customers');
-- The planted dormant customers stopped buying; some still visit. Without their interactions
-- (engagement NULL: buying is the only activity) each becomes dormant exactly 180 days after its
-- planted last purchase; with them, 180 days after the later of that and its last interaction.
SELECT is_empty($$
    SELECT t.customer_id, t.at, c.changed_at, c.to_stage FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
      LEFT JOIN LATERAL (SELECT * FROM stage_changes(l.registered_at, l.closed_at, l.h, NULL) WITH ORDINALITY AS c(changed_at, from_stage, to_stage, k)
                          ORDER BY k DESC LIMIT 1) c ON true
     WHERE t.fact = 'dormant'
       AND (c.changed_at, c.to_stage) IS DISTINCT FROM (t.at + interval '180 days', 'dormant'::lifecycle_stage) $$,
    'every planted dormant customer becomes dormant exactly 180 days after its planted last purchase (its last change, without interactions)');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
     WHERE t.fact = 'dormant'
       AND stage(l.registered_at, l.closed_at, l.h, NULL, t.at + interval '180 days' - interval '1 microsecond')
           NOT IN ('repeat', 'vip') $$,
    'and a microsecond before, each of them is still a repeat buyer');
SELECT is_empty($$
    SELECT t.customer_id, t.at, c.changed_at, c.to_stage FROM tap_lc.truth t
      LEFT JOIN (SELECT customer_id, max(at) AS last_interaction FROM tap_lc.interactions GROUP BY customer_id) i USING (customer_id)
      LEFT JOIN LATERAL (SELECT * FROM tap_lc.changes c WHERE c.customer_id = t.customer_id AND c.policy_name = 'default'
                          ORDER BY k DESC LIMIT 1) c ON true
     WHERE t.fact = 'dormant'
       AND (c.changed_at, c.to_stage)
           IS DISTINCT FROM (greatest(t.at, i.last_interaction) + interval '180 days', 'dormant'::lifecycle_stage) $$,
    'with their interactions, each becomes dormant 180 days after the later of its last purchase and its last interaction');
SELECT cmp_ok((SELECT count(*) FROM tap_lc.truth t WHERE t.fact = 'dormant'
                  AND EXISTS (SELECT FROM tap_lc.interactions i WHERE i.customer_id = t.customer_id AND i.at > t.at)),
              '>', 0::bigint, 'some planted dormant customers interact after their last purchase');
SELECT is((SELECT count(*) FROM tap_lc.truth WHERE fact = 'closed'), 40::bigint, '40 planted closed accounts');
SELECT is_empty($$
    SELECT t.customer_id, p.policy_name, t.at, c.changed_at, c.to_stage FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
      CROSS JOIN tap_lc.policies p
      LEFT JOIN LATERAL (SELECT * FROM tap_lc.changes c WHERE c.customer_id = t.customer_id AND c.policy_name = p.policy_name
                          ORDER BY k DESC LIMIT 1) c ON true
     WHERE t.fact = 'closed'
       AND (stage(l.registered_at, l.closed_at, l.h, l.e, t.at, p.policy) IS DISTINCT FROM 'churned'
            OR stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01', p.policy) IS DISTINCT FROM 'churned'
            OR (p.policy_name = 'default' AND (c.changed_at, c.to_stage) IS DISTINCT FROM (t.at, 'churned'::lifecycle_stage))) $$,
    'every closed account is churned at its closed_at and after, under every policy (by the default policy, its last change)');
SELECT is_empty($$
    SELECT t.customer_id, t.fact FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
     WHERE t.fact IN ('prospect', 'lead')
       AND stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') IS DISTINCT FROM 'prospect' $$,
    'the planted prospects and leads are prospects on 2026-01-01');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
     WHERE t.fact = 'registered_only'
       AND stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') IS DISTINCT FROM
           CASE WHEN EXISTS (SELECT FROM tap_lc.interactions i WHERE i.customer_id = t.customer_id
                              AND i.at > '2026-01-01'::timestamptz - interval '30 days' AND i.at <= '2026-01-01')
                THEN 'active' ELSE 'registered' END::lifecycle_stage $$,
    'the planted registered-only customers are active (an interaction in the last 30 days) or registered on 2026-01-01');
SELECT ok((SELECT count(DISTINCT stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01')) = 2
             FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id) WHERE t.fact = 'registered_only'),
          'and both occur among them');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
     WHERE t.fact = 'newcomer'
       AND (stage(l.registered_at, l.closed_at, l.h, l.e, t.at) IS DISTINCT FROM 'new'
            OR stage(l.registered_at, l.closed_at, l.h, l.e, t.at - interval '1 microsecond') NOT IN ('registered', 'active')) $$,
    'the planted newcomers are new at their first purchase, registered or active a microsecond before');
SELECT set_eq($$SELECT customer_id FROM tap_lc.life
                 WHERE stage(registered_at, closed_at, h, e, '2026-01-01', lifecycle_policy(hero_min => 5000, repeat_min => 20)) = 'vip'$$,
              $$SELECT t.customer_id FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
                 WHERE t.fact = 'vip' AND stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01') <> 'dormant'$$,
              'with hero_min 5000 and repeat_min 20 the VIPs on 2026-01-01 are the planted VIPs who are not dormant');

-- Serial = parallel --------------------------------------------------------------------------------
\set counts_query 'SELECT string_agg(format(''%s %s %s'', at::date, stage, n), '', '' ORDER BY at, stage) FROM (SELECT m.at, stage(l.registered_at, l.closed_at, l.h, l.e, m.at, lifecycle_policy(''30 days'', ''180 days'', ''1 year'', 1000, 10)) AS stage, count(*) AS n FROM tap_lc.life l CROSS JOIN tap_lc.month_ends m GROUP BY 1, 2) s'
\set changes_query 'SELECT string_agg(format(''%s>%s %s'', from_stage, to_stage, n), '', '' ORDER BY from_stage, to_stage) FROM (SELECT s.from_stage, s.to_stage, count(*) AS n FROM tap_lc.life l CROSS JOIN LATERAL stage_changes(l.registered_at, l.closed_at, l.h, l.e, lifecycle_policy(''30 days'', ''180 days'', ''1 year'', 1000, 10)) s GROUP BY 1, 2) s'
CALL pg_temp.force_serial();
CREATE TEMP TABLE serial_figures AS
SELECT pg_temp.value_of(:'counts_query') AS counts, pg_temp.value_of(:'changes_query') AS changes;
SELECT cmp_ok((SELECT length(counts) FROM serial_figures), '>', 1000, 'the serial stage counts at 24 month ends');
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives(:'counts_query', 'Workers Launched: 2', 'the stage of every customer at 24 month ends runs on two workers',
                              (SELECT counts FROM serial_figures), 'parallel stage counts = serial');
SELECT pg_temp.runs_and_gives(:'changes_query', 'Workers Launched: 2', 'every customer''s stage changes run on two workers',
                              (SELECT changes FROM serial_figures), 'parallel counts of the changes = serial');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of(:'counts_query'), (SELECT counts FROM serial_figures), 'force_parallel_mode = regress gives the same stage counts');
CALL pg_temp.plan_settings();
CALL pg_temp.force_serial();

-- Time zones ---------------------------------------------------------------------------------------
-- In Europe/Berlin a day is local: dormancy 180 days after the last purchase is 180 local days
-- (timestamptz + interval in that TimeZone), 23 or 25 hours off the UTC count when a
-- daylight-saving change falls in between; purchase days are local days.
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT is_empty($$
    SELECT t.customer_id, t.at, s.changed_at FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
      LEFT JOIN LATERAL (SELECT * FROM stage_changes(l.registered_at, l.closed_at, l.h, NULL) s
                          ORDER BY s.changed_at DESC LIMIT 1) s ON true
     WHERE t.fact = 'dormant'
       AND (s.changed_at, s.to_stage) IS DISTINCT FROM (t.at + interval '180 days', 'dormant'::lifecycle_stage) $$,
    'in Europe/Berlin every planted dormant customer becomes dormant 180 local days after its last purchase (without interactions)');
SELECT cmp_ok((SELECT count(*) FROM tap_lc.truth t
                WHERE t.fact = 'dormant'
                  AND t.at + interval '180 days' IS DISTINCT FROM ((t.at AT TIME ZONE 'UTC') + interval '180 days') AT TIME ZONE 'UTC'),
              '>=', 10::bigint, 'for 10 or more of them a daylight-saving change falls in between (local days are not 24-hour days)');
SELECT is_empty($$
    SELECT t.customer_id FROM tap_lc.truth t JOIN tap_lc.life l USING (customer_id)
     WHERE t.fact = 'dormant'
       AND stage(l.registered_at, l.closed_at, l.h, NULL, ((t.at AT TIME ZONE 'UTC') + interval '180 days') AT TIME ZONE 'UTC')
           IS DISTINCT FROM CASE WHEN ((t.at AT TIME ZONE 'UTC') + interval '180 days') AT TIME ZONE 'UTC' >= t.at + interval '180 days'
                                 THEN 'dormant' ELSE 'repeat' END::lifecycle_stage $$,
    'at 180 days of 24 hours they are dormant only when that is not before 180 local days');
CREATE TABLE tap_lc.compared_berlin AS
SELECT s.customer_id, s.variant, s.policy_name, s.t, s.stage AS plain,
       stage(s.registered_at, s.closed_at, l.h, l.e, s.t, s.policy) AS profiling
  FROM tap_lc.plain_stages s JOIN tap_lc.life l USING (customer_id);
SELECT is_empty($$SELECT customer_id, policy_name, t, plain, profiling FROM tap_lc.compared_berlin
                   WHERE profiling IS DISTINCT FROM plain$$,
                'in Europe/Berlin stage = its plain-SQL definition (local purchase days), under every policy');
SELECT cmp_ok((SELECT count(*) FROM tap_lc.compared_berlin b JOIN tap_lc.compared u USING (customer_id, variant, policy_name, t)
                WHERE b.plain IS DISTINCT FROM u.plain), '>', 0::bigint,
              'and some stages differ from those in UTC (local purchase days and timers)');
SET LOCAL TimeZone = 'UTC';

\i test/pgtap/lib/end.psql
