-- transitions properties on the small sample warehouse: every customer's lifecycle stage at
-- 2025-07-01 and at 2025-10-01 (stage() over its purchase history and engagement), then the
-- transitions summary of those pairs equals the plain GROUP BY count, its rates equal count /
-- the customers of the from-stage (1e-12), the rows of a from-stage add up to its customers,
-- the text form is the counts as plain SQL prints them, rollup of any split = one pass, and
-- parallel = serial. Summaries are compared by their bytes (transitions_send) or text, never
-- with the type's own =; every other comparison is IS DISTINCT FROM or an explicit tolerance.
\i test/pgtap/lib/begin.psql
SELECT plan(29);

CALL sample_warehouse.build('tap_tr', 'small', 42);
CALL pg_temp.force_serial();

-- Each customer's life: registration, closing, purchase history and engagement (NULL: none).
CREATE TABLE tap_tr.life AS
SELECT c.customer_id, c.registered_at, c.closed_at, h.h, e.e
  FROM tap_tr.customers c
  LEFT JOIN (SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
               FROM tap_tr.orders GROUP BY customer_id) h USING (customer_id)
  LEFT JOIN (SELECT customer_id, engagement(at, duration) AS e
               FROM tap_tr.interactions GROUP BY customer_id) e USING (customer_id);
-- The stage at the start and at the end of the third quarter of 2025; g: seven groups.
CREATE TABLE tap_tr.stages AS
SELECT customer_id, customer_id % 7 AS g, stage(registered_at, closed_at, h, e, '2025-07-01') AS s0,
       stage(registered_at, closed_at, h, e, '2025-10-01') AS s1
  FROM tap_tr.life;
ANALYZE tap_tr.life;
ANALYZE tap_tr.stages;
CREATE TABLE tap_tr.summary AS SELECT transitions(s0, s1) AS t FROM tap_tr.stages;
-- The plain-SQL matrix: customers per (from, to), and per from-stage.
CREATE TABLE tap_tr.plain AS
SELECT s0, s1, count(*) AS n, sum(count(*)) OVER (PARTITION BY s0) AS from_total
  FROM tap_tr.stages GROUP BY s0, s1;

-- The data can make the assertions fail -------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM tap_tr.stages), '>', 1000::bigint, 'the small warehouse has more than 1000 customers');
SELECT cmp_ok((SELECT count(*) FROM tap_tr.plain), '>=', 12::bigint, 'their stages make 12 or more different (from, to) pairs');
SELECT cmp_ok((SELECT count(*) FROM tap_tr.plain WHERE s0 <> s1), '>=', 5::bigint, 'of which 5 or more are moves between stages');
SELECT cmp_ok((SELECT count(DISTINCT s0) FROM tap_tr.plain WHERE n < from_total), '>=', 3::bigint,
              'and 3 or more from-stages lead to more than one stage');

-- Counts and rates = plain SQL ---------------------------------------------------------------------
SELECT is_empty($$
    SELECT * FROM tap_tr.plain p
      FULL JOIN (SELECT from_stage AS s0, to_stage AS s1, customers FROM tap_tr.summary, transition_rates(t)) r USING (s0, s1)
     WHERE p.n IS DISTINCT FROM r.customers$$,
    'transition_rates: the customers of every (from, to) = SELECT from, to, count(*) ... GROUP BY from, to, and no other rows');
SELECT is_empty($$
    SELECT a, b FROM tap_tr.summary, unnest(enum_range(NULL::lifecycle_stage)) a, unnest(enum_range(NULL::lifecycle_stage)) b
     WHERE transition_count(t, a, b) IS DISTINCT FROM coalesce((SELECT n FROM tap_tr.plain WHERE s0 = a AND s1 = b), 0)$$,
    'transition_count(t, from, to) = the plain count, 0 for the pairs no customer made, all 64 pairs');
SELECT is_empty($$
    SELECT * FROM tap_tr.plain p
      FULL JOIN (SELECT from_stage AS s0, to_stage AS s1, rate FROM tap_tr.summary, transition_rates(t)) r USING (s0, s1)
     WHERE r.rate IS NULL OR p.n IS NULL OR abs(r.rate - p.n::float8 / p.from_total::float8) > 1e-12$$,
    'every rate = count / the customers of its from-stage, to 1e-12');
SELECT is_empty($$
    SELECT * FROM (SELECT s0, count(*) AS n FROM tap_tr.stages GROUP BY s0) c
      FULL JOIN (SELECT from_stage AS s0, sum(customers) AS n FROM tap_tr.summary, transition_rates(t) GROUP BY 1) r USING (s0)
     WHERE c.n IS DISTINCT FROM r.n$$,
    'the rows of each from-stage add up to the customers in that stage at the start');
SELECT is_empty($$
    SELECT from_stage FROM tap_tr.summary, transition_rates(t) GROUP BY from_stage HAVING abs(sum(rate) - 1) > 1e-12$$,
    'the rates of each from-stage sum to 1, to 1e-12');
SELECT is((SELECT sum(customers) FROM tap_tr.summary, transition_rates(t)), (SELECT count(*)::numeric FROM tap_tr.stages),
          'the rows add up to every customer');
SELECT is((SELECT array_agg(format('%s>%s', from_stage, to_stage) ORDER BY n) FROM tap_tr.summary, transition_rates(t) WITH ORDINALITY r(from_stage, to_stage, customers, rate, n)),
          (SELECT array_agg(format('%s>%s', s0, s1) ORDER BY s0, s1) FROM tap_tr.plain),
          'the rows come ordered by from_stage, then to_stage, in the enum''s order');

-- Text form ---------------------------------------------------------------------------------------
SELECT is((SELECT t::text FROM tap_tr.summary),
          (SELECT '{' || string_agg(format('(%s,%s,%s)', s0, s1, n), ',' ORDER BY s0, s1) || '}' FROM tap_tr.plain),
          'the text form = the plain counts, (from,to,count) in enum order');
SELECT is((SELECT transitions_send(t::text::transitions) FROM tap_tr.summary), (SELECT transitions_send(t) FROM tap_tr.summary),
          'the text form reads back byte for byte');

-- NULL stages are skipped -------------------------------------------------------------------------
SELECT is((SELECT transitions_send(transitions(s0, s1))
             FROM (SELECT s0, s1 FROM tap_tr.stages
                   UNION ALL SELECT NULL, s1 FROM tap_tr.stages WHERE customer_id % 3 = 0
                   UNION ALL SELECT s0, NULL FROM tap_tr.stages WHERE customer_id % 5 = 0) s),
          (SELECT transitions_send(t) FROM tap_tr.summary),
          'rows with a NULL stage are skipped');

-- Rollup ------------------------------------------------------------------------------------------
SELECT is((SELECT transitions_send(rollup(t)) FROM (SELECT transitions(s0, s1) AS t FROM tap_tr.stages GROUP BY customer_id % 2) s),
          (SELECT transitions_send(t) FROM tap_tr.summary),
          'rollup of two halves = one pass, byte for byte');
SELECT is((SELECT transitions_send(rollup(t))
             FROM (SELECT transitions(s0, s1) AS t FROM tap_tr.stages GROUP BY customer_id % 97 UNION ALL SELECT NULL) s),
          (SELECT transitions_send(t) FROM tap_tr.summary),
          'rollup of 97 parts and a NULL = one pass, byte for byte');
SELECT is((SELECT transitions_send(rollup(t)) FROM (SELECT transitions(s0, s1) AS t FROM tap_tr.stages GROUP BY customer_id) s),
          (SELECT transitions_send(t) FROM tap_tr.summary),
          'rollup of one summary a customer = one pass');

-- Parallel = serial -------------------------------------------------------------------------------
CREATE TABLE tap_tr.serial AS
SELECT (SELECT t::text FROM tap_tr.summary) AS all_rows,
       (SELECT transitions(stage(registered_at, closed_at, h, e, '2025-07-01'), stage(registered_at, closed_at, h, e, '2025-10-01'))::text
          FROM tap_tr.life) AS from_life,
       (SELECT string_agg(g || ' ' || t::text, ';' ORDER BY g)
          FROM (SELECT g, transitions(s0, s1) AS t FROM tap_tr.stages GROUP BY g) s) AS grouped,
       (SELECT rollup(t)::text FROM (SELECT t FROM tap_tr.summary, generate_series(1, 50)) s) AS rolled_up;
SELECT is((SELECT from_life FROM tap_tr.serial), (SELECT all_rows FROM tap_tr.serial),
          'stage() in the aggregate''s arguments = the stored stages');
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT transitions(s0, s1)::text FROM tap_tr.stages$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'transitions runs as a partial aggregate on two workers',
    (SELECT all_rows FROM tap_tr.serial), 'parallel transitions = serial');
SELECT pg_temp.runs_and_gives($$SELECT transitions(stage(registered_at, closed_at, h, e, '2025-07-01'),
                                                   stage(registered_at, closed_at, h, e, '2025-10-01'))::text FROM tap_tr.life$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'transitions of stage() calls runs on two workers',
    (SELECT from_life FROM tap_tr.serial), 'parallel transitions of stage() calls = serial');
SELECT pg_temp.runs_and_gives($$SELECT string_agg(g || ' ' || t::text, ';' ORDER BY g)
                                  FROM (SELECT g, transitions(s0, s1) AS t FROM tap_tr.stages GROUP BY g) s$$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY runs as a partial aggregate on two workers',
    (SELECT grouped FROM tap_tr.serial), 'parallel GROUP BY = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(t)::text FROM (SELECT t FROM tap_tr.summary, generate_series(1, 50)) s$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT rolled_up FROM tap_tr.serial), 'parallel rollup = serial');
-- (customer_id + 0: the planner cannot estimate it, so it keeps the partial aggregate)
SELECT pg_temp.runs_and_gives($$SELECT transitions(s0, s1)::text FROM tap_tr.stages WHERE customer_id + 0 < 0$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on stages \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs on two workers that see no rows', NULL, 'parallel transitions over no rows is NULL');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT transitions(s0, s1)::text FROM tap_tr.stages$$), (SELECT all_rows FROM tap_tr.serial),
          'force_parallel_mode = regress gives the same summary');
CALL pg_temp.force_serial();

\i test/pgtap/lib/end.psql
