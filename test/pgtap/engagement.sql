-- engagement properties on the small sample warehouse: rollup of any split = one pass, serial =
-- parallel, as_of and during = the aggregate over the filtered interactions, each accessor = plain
-- SQL, text and binary round trips, browsing_without_buying = its definition in plain SQL.
-- Summaries are compared by their bytes (engagement_send) or their text, never with the type's
-- own =, which is under test too; every other comparison is IS DISTINCT FROM, so that an accessor
-- returning NULL is a difference, not a row that vanishes.
\i test/pgtap/lib/begin.psql
SELECT plan(30);

SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';

CALL sample_warehouse.build('tap_eg', 'small', 42);
ANALYZE tap_eg.interactions;

-- One pass over all interactions, serially: the reference every property compares against.
CALL pg_temp.force_serial();
CREATE TABLE tap_eg.one_pass AS
SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.interactions GROUP BY customer_id;
ANALYZE tap_eg.one_pass;

-- The query that counts the customers whose summary in a query's (customer_id, e) rows is not
-- the one of one_pass byte for byte (a customer missing on either side counts too).
CREATE FUNCTION pg_temp.mismatch_query(query text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT count(*) FROM (%s) q FULL JOIN tap_eg.one_pass o USING (customer_id)
                    WHERE engagement_send(q.e) IS DISTINCT FROM engagement_send(o.e)', query)
$$;
CREATE FUNCTION pg_temp.mismatches(query text) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.value_of(pg_temp.mismatch_query(query))::bigint
$$;

SELECT cmp_ok((SELECT count(*) FROM tap_eg.one_pass), '>', 1000::bigint,
              'the small warehouse has more than 1000 customers with interactions');
SELECT ok((SELECT count(*) FILTER (WHERE duration IS NULL) > 0 AND count(*) FILTER (WHERE duration IS NOT NULL) > 0
             FROM tap_eg.interactions), 'the interactions have known and unknown durations');

-- rollup -----------------------------------------------------------------------------------------
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(e) AS e FROM (
        SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.interactions
         WHERE extract(epoch FROM at)::bigint % 2 = 0 GROUP BY customer_id
        UNION ALL
        SELECT customer_id, engagement(at, duration) FROM tap_eg.interactions
         WHERE extract(epoch FROM at)::bigint % 2 = 1 GROUP BY customer_id) s
     GROUP BY customer_id $$), 0::bigint, 'rollup of two halves (odd and even seconds) = one pass');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(e) AS e FROM (
        SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.interactions WHERE at < '2025-07-01' GROUP BY customer_id
        UNION ALL
        SELECT customer_id, engagement(at, duration) FROM tap_eg.interactions WHERE at >= '2025-07-01' GROUP BY customer_id) s
     GROUP BY customer_id $$), 0::bigint, 'stored summary up to a day + the newer interactions = one pass');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(e) AS e FROM (
        SELECT customer_id, kind, engagement(at, duration) AS e FROM tap_eg.interactions GROUP BY 1, 2) s
     GROUP BY customer_id $$), 0::bigint, 'rollup of the summaries per kind = one pass');
SELECT is((SELECT engagement_send(rollup(e)) FROM tap_eg.one_pass),
          (SELECT engagement_send(engagement(at, duration)) FROM tap_eg.interactions),
          'rollup of every customer = one summary of every interaction');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, engagement(at, duration ORDER BY at DESC, duration DESC NULLS LAST) AS e
      FROM tap_eg.interactions GROUP BY customer_id $$), 0::bigint,
          'interactions in reverse order give the same summaries');

-- Serial = parallel --------------------------------------------------------------------------------
-- With about 8 interactions a customer the planner rightly prefers to aggregate the groups in the
-- leader; twenty copies of every interaction (a day apart) make partial aggregation pay.
CALL pg_temp.force_serial();
CREATE TABLE tap_eg.serial AS
SELECT (SELECT engagement(at, duration) FROM tap_eg.interactions)::text AS all_interactions;
CREATE TABLE tap_eg.many AS
SELECT customer_id, at + k * interval '1 day' AS at, duration FROM tap_eg.interactions, generate_series(0, 19) k;
ANALYZE tap_eg.many;
CREATE TABLE tap_eg.many_serial AS
SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.many GROUP BY customer_id;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$
    SELECT count(*) FROM (SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.many GROUP BY customer_id) q
      FULL JOIN tap_eg.many_serial o USING (customer_id)
     WHERE engagement_send(q.e) IS DISTINCT FROM engagement_send(o.e) $$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY customer_id runs as a partial aggregate on two workers',
    '0', 'parallel GROUP BY = serial');
SELECT pg_temp.runs_and_gives($$SELECT engagement(at, duration)::text FROM tap_eg.interactions$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary over all interactions runs as a partial aggregate on two workers',
    (SELECT all_interactions FROM tap_eg.serial), 'parallel summary of all interactions = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(e)::text FROM tap_eg.one_pass$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT all_interactions FROM tap_eg.serial), 'parallel rollup of stored summaries = serial one pass');
-- (a condition the planner cannot estimate, so that it plans for rows)
SELECT pg_temp.runs_and_gives($$SELECT engagement(at, duration)::text FROM tap_eg.interactions WHERE extract(year FROM at) < 2000$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on interactions \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs as a partial aggregate on two workers that see no rows',
    '{}', 'parallel aggregate over no rows is the empty summary');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.interactions GROUP BY customer_id $$), 0::bigint,
          'force_parallel_mode = regress gives the same summaries');
CALL pg_temp.plan_settings();

-- A hash aggregate that spills to disk gives the same summaries.
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'work_mem=64kB', 'enable_sort=off',
                           'enable_indexscan=off', 'enable_indexonlyscan=off', 'enable_bitmapscan=off');
SELECT pg_temp.runs_and_gives(pg_temp.mismatch_query($$
    SELECT customer_id, engagement(at, duration) AS e FROM tap_eg.interactions GROUP BY customer_id $$),
    'HashAggregate \(actual[^\n]*\n[^\n]*Group Key: interactions\.customer_id\n[^\n]*Batches: [0-9]+  Memory Usage: [0-9]+kB  Disk Usage: [1-9]',
    'with 64kB of work_mem the hash aggregate spills', '0', 'a spilling hash aggregate = one pass');
CALL pg_temp.plan_settings();

-- Round trips --------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM tap_eg.one_pass
            WHERE engagement_send(e::text::engagement) IS DISTINCT FROM engagement_send(e)
               OR e::text::engagement::text IS DISTINCT FROM e::text), 0::bigint,
          'text round trip: every customer''s summary reads back byte for byte');
SET LOCAL TimeZone = 'America/St_Johns';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL IntervalStyle = 'sql_standard';
SELECT is((SELECT count(*) FROM tap_eg.one_pass
            WHERE engagement_send(e::text::engagement) IS DISTINCT FROM engagement_send(e)), 0::bigint,
          'the text round trip holds under another TimeZone, DateStyle and IntervalStyle');
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';
SELECT is((SELECT count(*) FROM (SELECT customer_id, e FROM tap_eg.one_pass ORDER BY customer_id LIMIT 300) o
            WHERE pg_temp.binary_error('profiling.engagement', engagement_send(o.e)) IS NOT NULL), 0::bigint,
          'binary input reads back what send wrote, for 300 customers');
SELECT is((SELECT count(*) FROM tap_eg.one_pass o
            WHERE engagement_send(o.e) IS DISTINCT FROM
                  engagement_send((SELECT engagement(i.at, i.duration) FROM interactions(o.e) i))), 0::bigint,
          'interactions(e) gives back every interaction: aggregating them rebuilds e');

-- Each accessor = the plain SQL a user would write --------------------------------------------------
CREATE TEMP TABLE figures AS
SELECT customer_id, count(*)::int AS n, sum(duration) AS total, min(at) AS first, max(at) AS last
  FROM tap_eg.interactions GROUP BY customer_id;
SELECT is((SELECT count(*) FROM figures f FULL JOIN tap_eg.one_pass o USING (customer_id)
            WHERE interaction_count(o.e) IS DISTINCT FROM f.n), 0::bigint, 'interaction_count = count(*)');
SELECT is((SELECT count(*) FROM figures f FULL JOIN tap_eg.one_pass o USING (customer_id)
            WHERE total_duration(o.e) IS DISTINCT FROM f.total
               OR total_duration(o.e)::text IS DISTINCT FROM f.total::text), 0::bigint,
          'total_duration = sum(duration), NULL when none is known, printed alike');
SELECT is((SELECT count(*) FROM figures f FULL JOIN tap_eg.one_pass o USING (customer_id)
            WHERE first_interaction(o.e) IS DISTINCT FROM f.first OR last_interaction(o.e) IS DISTINCT FROM f.last),
          0::bigint, 'first_interaction, last_interaction = min, max(at)');

-- At cutoffs around each customer's interactions: a day before the first, at it, at the middle
-- one and a microsecond before it, at the last, and the reference date.
CREATE TEMP TABLE cutoffs AS
SELECT DISTINCT customer_id, t
  FROM (SELECT customer_id, min(at) AS first, max(at) AS last,
               (array_agg(at ORDER BY at))[(count(*) + 1) / 2] AS middle
          FROM tap_eg.interactions GROUP BY customer_id) c,
       LATERAL (VALUES (first - interval '1 day'), (first), (middle - interval '1 microsecond'), (middle), (last),
                       ('2026-01-01 00:00:00+00'::timestamptz)) v(t);
CREATE TEMP TABLE at_cutoff AS
SELECT c.customer_id, c.t,
       count(*) FILTER (WHERE i.at <= c.t) AS n,
       min(i.at) FILTER (WHERE i.at <= c.t) AS first,
       engagement(i.at, i.duration) FILTER (WHERE i.at <= c.t) AS as_of,
       engagement(i.at, i.duration) FILTER (WHERE i.at >= c.t - interval '30 days' AND i.at < c.t) AS last_30_days
  FROM cutoffs c JOIN tap_eg.interactions i USING (customer_id)
 GROUP BY c.customer_id, c.t;
SELECT is((SELECT count(*) FROM at_cutoff a JOIN tap_eg.one_pass o USING (customer_id)
            WHERE engagement_send(as_of(o.e, a.t)) IS DISTINCT FROM engagement_send(a.as_of)), 0::bigint,
          'as_of(e, t) = the aggregate over interactions at or before t, at six cutoffs a customer');
SELECT is((SELECT count(*) FROM at_cutoff a JOIN tap_eg.one_pass o USING (customer_id)
            WHERE engagement_send(during(o.e, tstzrange(a.t - interval '30 days', a.t))) IS DISTINCT FROM engagement_send(a.last_30_days)),
          0::bigint, 'during(e, [t - 30 days, t)) = the aggregate over those interactions');
SELECT is((SELECT count(*) FROM at_cutoff a JOIN tap_eg.one_pass o USING (customer_id)
            WHERE interactions_per_week(o.e, a.t) IS DISTINCT FROM
                  CASE WHEN a.n > 0 THEN a.n / greatest((extract(epoch FROM a.t - a.first) * 1000000)::float8 / 604800000000, 1) END),
          0::bigint, 'interactions_per_week = count / greatest(microseconds since the first / a week''s, 1), NULL before the first');

-- browsing_without_buying = its definition in plain SQL, at every cutoff, with the customer's
-- purchase history (NULL for customers who never bought), for the defaults and for 1 in 7 days.
CREATE TEMP TABLE histories AS
SELECT customer_id, purchase_history(ordered_at, amount) AS h FROM tap_eg.orders GROUP BY customer_id;
CREATE TEMP TABLE browsing AS
SELECT c.customer_id, c.t, w.min_n, w.within,
       (SELECT count(*) FROM tap_eg.interactions i
         WHERE i.customer_id = c.customer_id AND i.at <= c.t
           AND i.at > greatest(c.t - w.within,
                               (SELECT max(ordered_at) FROM tap_eg.orders x WHERE x.customer_id = c.customer_id AND x.ordered_at <= c.t)))
         >= w.min_n AS plain
  FROM cutoffs c, (VALUES (3, interval '30 days'), (1, interval '7 days')) w(min_n, within);
SELECT is((SELECT count(*) FROM browsing b JOIN tap_eg.one_pass o USING (customer_id) LEFT JOIN histories h USING (customer_id)
            WHERE browsing_without_buying(o.e, h.h, b.t, b.min_n, b.within) IS DISTINCT FROM b.plain), 0::bigint,
          'browsing_without_buying = count of interactions after max(last purchase, as_of - within) >= min_interactions');
SELECT cmp_ok((SELECT count(*) FROM browsing WHERE plain), '>', 10::bigint, 'and the warehouse has browsing customers to find');

\i test/pgtap/lib/end.psql
