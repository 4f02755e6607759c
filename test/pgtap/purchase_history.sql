-- purchase_history properties on the small sample warehouse and on customers sized around every
-- code path: rollup of any split = one pass, serial = parallel, as_of = the aggregate over
-- earlier orders, each accessor = plain SQL, joins and hash partitioning on a summary column, and
-- the planted truth recovered. Summaries are compared by their bytes (purchase_history_send) or
-- their text, never with the type's own =, which is under test too; every other comparison is
-- IS DISTINCT FROM, so that an accessor returning NULL is a difference, not a row that vanishes.
\i test/pgtap/lib/begin.psql
SELECT plan(128);

SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';

CALL sample_warehouse.build('tap_ph', 'small', 42);
ANALYZE tap_ph.orders;

-- One pass over all orders, serially: the reference every property compares against.
CALL pg_temp.force_serial();
CREATE TABLE tap_ph.one_pass AS
SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
  FROM tap_ph.orders GROUP BY customer_id;
ANALYZE tap_ph.one_pass;

-- The query that counts the customers whose summary in a query's (customer_id, h) rows is not
-- the one of one_pass byte for byte (a customer missing on either side counts too), and its result.
CREATE FUNCTION pg_temp.mismatch_query(query text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT count(*) FROM (%s) q FULL JOIN tap_ph.one_pass o USING (customer_id)
                    WHERE purchase_history_send(q.h) IS DISTINCT FROM purchase_history_send(o.h)', query)
$$;
CREATE FUNCTION pg_temp.mismatches(query text) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.value_of(pg_temp.mismatch_query(query))::bigint
$$;

-- The same for a comparison with one_pass: its plan, and no mismatch.
CREATE FUNCTION pg_temp.runs_without_mismatch(query text, plan_pattern text, plan_description text,
                                              description text)
RETURNS SETOF text LANGUAGE sql AS $$
    SELECT pg_temp.runs_and_gives(pg_temp.mismatch_query(query), plan_pattern, plan_description, '0', description)
$$;

SELECT cmp_ok((SELECT count(*) FROM tap_ph.one_pass), '>', 1000::bigint, 'the small warehouse has more than 1000 buying customers');

-- rollup ------------------------------------------------------------------------------------
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(h) AS h FROM (
        SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
          FROM tap_ph.orders WHERE order_id % 2 = 0 GROUP BY customer_id
        UNION ALL
        SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8)
          FROM tap_ph.orders WHERE order_id % 2 = 1 GROUP BY customer_id) s
     GROUP BY customer_id $$), 0::bigint, 'rollup(odd orders) ∪ rollup(even orders) = one pass');

SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(h) AS h FROM (
        SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
          FROM tap_ph.orders WHERE ordered_at < '2025-07-01' GROUP BY customer_id
        UNION ALL
        SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8)
          FROM tap_ph.orders WHERE ordered_at >= '2025-07-01' GROUP BY customer_id) s
     GROUP BY customer_id $$), 0::bigint, 'stored summary up to a day + the newer orders = one pass');

SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(h) AS h FROM (
        SELECT customer_id, date_trunc('month', ordered_at) AS month,
               purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
          FROM tap_ph.orders GROUP BY 1, 2) s
     GROUP BY customer_id $$), 0::bigint, 'rollup of monthly summaries = one pass');

SELECT is((SELECT purchase_history_send(rollup(h)) FROM tap_ph.one_pass),
          (SELECT purchase_history_send(purchase_history(ordered_at, amount::float8, coupon_amount::float8)) FROM tap_ph.orders),
          'rollup of every customer = one summary of every order');

SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(h) AS h FROM (
        SELECT customer_id, h FROM tap_ph.one_pass
        UNION ALL SELECT customer_id, NULL FROM tap_ph.one_pass) s
     GROUP BY customer_id $$), 0::bigint, 'rollup skips NULL summaries');

SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'numeric amounts read directly = amount::float8');

-- Input order ---------------------------------------------------------------------------------
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8
                                         ORDER BY ordered_at DESC, amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'orders in reverse time order give the same summaries');

-- Serial = parallel -----------------------------------------------------------------------------
-- Both sides are text or bytes computed through pg_temp.value_of() (EXECUTE), never inside a
-- pgTAP call, which would force a serial plan; each parallel comparison asserts, on the very
-- query that compares, that it launched its two workers and aggregated partially.
CALL pg_temp.force_serial();
CREATE TABLE tap_ph.serial AS
SELECT (SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8) FROM tap_ph.orders)::text AS coupons,
       (SELECT purchase_history(ordered_at, amount) FROM tap_ph.orders)::text AS numeric_amounts;

CALL pg_temp.force_parallel();
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY customer_id runs as a partial aggregate on two workers',
    'parallel GROUP BY = serial');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY customer_id with numeric amounts runs as a partial aggregate on two workers',
    'parallel GROUP BY with numeric amounts = serial');
SELECT pg_temp.runs_and_gives($$SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)::text FROM tap_ph.orders$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary over all orders runs as a partial aggregate on two workers',
    (SELECT coupons FROM tap_ph.serial), 'parallel summary of all orders = serial');
SELECT pg_temp.runs_and_gives($$SELECT purchase_history(ordered_at, amount)::text FROM tap_ph.orders$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary with numeric amounts runs as a partial aggregate on two workers',
    (SELECT numeric_amounts FROM tap_ph.serial), 'parallel summary with numeric amounts = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(h)::text FROM tap_ph.one_pass$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT coupons FROM tap_ph.serial), 'parallel rollup of stored summaries = serial one pass');
-- Workers that see no rows at all (empty partial states), and a single row among two workers.
SELECT pg_temp.runs_and_gives($$SELECT purchase_history(ordered_at, amount::float8)::text FROM tap_ph.orders WHERE amount::float8 < 0$$,
    'Workers Launched: 2\n[^\n]*Partial Aggregate[^\n]*\n[^\n]*Parallel Seq Scan on orders \(actual rows=0 loops=2\)',
    'the aggregate over no rows runs as a partial aggregate on two workers that see no rows',
    '{}', 'parallel aggregate over no rows is the empty summary');
SELECT pg_temp.runs_and_gives($$SELECT rollup(h)::text FROM tap_ph.one_pass WHERE customer_id = (SELECT min(customer_id) FROM tap_ph.one_pass)$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'the rollup of one row runs on two workers',
    (SELECT h::text FROM tap_ph.one_pass WHERE customer_id = (SELECT min(customer_id) FROM tap_ph.one_pass)),
    'parallel rollup where only one worker sees a row');
-- force_parallel_mode = regress also runs the rest of the query in a worker (EXPLAIN hides that
-- Gather), so the summaries cross the tuple queue.
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'force_parallel_mode = regress gives the same summaries');

-- A hash aggregate that spills to disk (tiny work_mem) gives the same summaries. Index scans
-- are off, or GROUP BY customer_id reads the (customer_id, ordered_at) index in order and needs
-- no hash table.
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'work_mem=64kB', 'enable_sort=off',
                           'enable_indexscan=off', 'enable_indexonlyscan=off', 'enable_bitmapscan=off');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'HashAggregate \(actual[^\n]*\n[^\n]*Group Key: orders\.customer_id\n[^\n]*Batches: [0-9]+  Memory Usage: [0-9]+kB  Disk Usage: [1-9]',
    'with 64kB of work_mem the hash aggregate spills', 'a spilling hash aggregate = one pass');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'HashAggregate \(actual[^\n]*\n[^\n]*Group Key: orders\.customer_id\n[^\n]*Batches: [0-9]+  Memory Usage: [0-9]+kB  Disk Usage: [1-9]',
    'with 64kB of work_mem the hash aggregate over numeric amounts spills', 'a spilling hash aggregate over numeric amounts = one pass');

-- The transition state lives in chunks taken from the aggregate's memory context (see
-- src/order_log.h): a sorted aggregate resets that context after every group, and sorted
-- grouping sets run one transition function in a context per set.
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'enable_hashagg=off',
                           'enable_indexscan=off', 'enable_indexonlyscan=off', 'enable_bitmapscan=off');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'GroupAggregate \(actual[^\n]*\n[^\n]*Group Key: orders\.customer_id\n[^\n]*Sort \(actual',
    'without hash aggregation GROUP BY customer_id is a sorted GroupAggregate', 'a sorted GroupAggregate = one pass');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, h FROM (
        SELECT customer_id, channel, purchase_history(ordered_at, amount, coupon_amount) AS h
          FROM tap_ph.orders GROUP BY GROUPING SETS ((customer_id), (customer_id, channel), ())) s
     WHERE channel IS NULL AND customer_id IS NOT NULL $$,
    'GroupAggregate \(actual[^\n]*\n([^\n]*Group Key: [^\n]*\n){3}[^\n]*Sort \(actual',
    'without hash aggregation the grouping sets run in one sorted GroupAggregate',
    'sorted grouping sets (a memory context per set) = one pass');
-- Groups read in order from the (customer_id, ordered_at) index: a GroupAggregate without a sort.
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'enable_hashagg=off', 'enable_sort=off',
                           'enable_seqscan=off', 'enable_bitmapscan=off');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$,
    'GroupAggregate \(actual[^\n]*\n[^\n]*Group Key: orders\.customer_id\n[^\n]*Index Scan using orders_customer_id_ordered_at_idx',
    'GROUP BY customer_id can read the orders in index order', 'a GroupAggregate over an index scan = one pass');
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0');
SELECT pg_temp.runs_without_mismatch($$
    SELECT customer_id, h FROM (
        SELECT customer_id, channel, purchase_history(ordered_at, amount, coupon_amount) AS h
          FROM tap_ph.orders GROUP BY GROUPING SETS ((customer_id), (channel))) s
     WHERE customer_id IS NOT NULL $$,
    'HashAggregate \(actual[^\n]*\n[^\n]*Hash Key: orders\.customer_id\n[^\n]*Hash Key: orders\.channel\n',
    'grouping sets on customer_id and channel run in one HashAggregate', 'hashed grouping sets = one pass');
CALL pg_temp.plan_settings();

-- As a window function (the final function runs on a state that goes on growing).
SELECT is((SELECT count(*) FROM (
             SELECT o.customer_id, o.ordered_at,
                    purchase_history(o.ordered_at, o.amount::float8, o.coupon_amount::float8)
                      OVER (PARTITION BY o.customer_id ORDER BY o.ordered_at) AS running
               FROM tap_ph.orders o) w
             JOIN tap_ph.one_pass p USING (customer_id)
            WHERE purchase_history_send(w.running) IS DISTINCT FROM purchase_history_send(as_of(p.h, w.ordered_at))), 0::bigint,
          'the running window summary at each order = as_of(h, that order''s time)');
SELECT is((SELECT count(*) FROM (
             SELECT order_count(purchase_history(ordered_at, amount)
                      OVER (PARTITION BY customer_id ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) AS n,
                    row_number() OVER (PARTITION BY customer_id ORDER BY order_id) AS k
               FROM tap_ph.orders) w
            WHERE n IS DISTINCT FROM least(k, 3)), 0::bigint, 'a moving 3-row window holds the last three orders');

-- as_of: nothing from the future --------------------------------------------------------------
CREATE TABLE tap_ph.cutoffs AS
SELECT t FROM (VALUES ('2024-06-30 23:59:59.999999+00'::timestamptz), ('2025-01-01 00:00:00+00'),
                      ('2025-07-15 12:00:00+00'), ('2025-12-31 23:59:59+00')) v(t);
-- A cutoff exactly at an order time must include that order.
INSERT INTO tap_ph.cutoffs SELECT ordered_at FROM tap_ph.orders ORDER BY order_id LIMIT 1 OFFSET 100;
SELECT is((SELECT count(*) FROM tap_ph.cutoffs c, tap_ph.one_pass o
            WHERE purchase_history_send(as_of(o.h, c.t)) IS DISTINCT FROM
                  purchase_history_send(coalesce((SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)
                                                    FROM tap_ph.orders x WHERE x.customer_id = o.customer_id AND x.ordered_at <= c.t),
                                                 '{}'))), 0::bigint,
          'as_of(h, t) = the aggregate over orders at or before t, at five cutoffs');
SELECT is((SELECT count(*) FROM tap_ph.one_pass o
            WHERE purchase_history_send(during(o.h, tstzrange('2025-03-01', '2025-06-01'))) IS DISTINCT FROM
                  purchase_history_send(coalesce((SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)
                                                    FROM tap_ph.orders x WHERE x.customer_id = o.customer_id
                                                     AND x.ordered_at >= '2025-03-01' AND x.ordered_at < '2025-06-01'), '{}'))),
          0::bigint, 'during(h, [t1, t2)) = the aggregate over orders in [t1, t2)');

-- Each accessor = the plain SQL a user would write ----------------------------------------
-- accessor_checks(orders, summaries, label) runs every check below on the orders of a table
-- (customer_id, ordered_at, amount, coupon_amount) and their summaries (customer_id, h): on each
-- whole summary, and at seven cutoffs around each customer's orders (a day and a microsecond
-- before the first order, at it, a microsecond before the middle order and at it, at the last
-- and at the reference date). Each check lists the customers where the accessor and the plain
-- SQL differ. Floats are exact but for two stated tolerances: the mean amount (1e-9, relative)
-- and the mean of the gaps as avg(interval) rounds it (a microsecond).
CREATE FUNCTION pg_temp.differ(a numeric, b numeric, tolerance numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN (a IS NULL) <> (b IS NULL) ELSE abs(a - b) > tolerance END
$$;
CREATE FUNCTION pg_temp.accessor_checks(orders_table text, summaries_table text, reference timestamptz, label text) RETURNS SETOF text
LANGUAGE plpgsql AS $checks$
DECLARE
    zone text;
    tbl text;
    condition text;
    description text;
BEGIN
    DROP TABLE IF EXISTS pg_temp.figures, pg_temp.at_cutoff;
    EXECUTE format($$
        CREATE TEMP TABLE figures AS
        WITH o AS (
            SELECT customer_id, ordered_at, amount, coupon_amount,
                   ordered_at - lag(ordered_at) OVER w AS gap,
                   bool_or(coupon_amount <> 0) OVER (PARTITION BY customer_id) AS any_coupon
              FROM %1$s WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at)
        ), plain AS (
            SELECT customer_id, count(*)::int AS orders, sum(amount) AS spend, avg(amount) AS avg, max(amount) AS max,
                   min(ordered_at) AS first, max(ordered_at) AS last,
                   count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date)::int AS days_utc,
                   count(DISTINCT (ordered_at AT TIME ZONE 'Asia/Tokyo')::date)::int AS days_tokyo,
                   count(DISTINCT (ordered_at AT TIME ZONE 'Australia/Lord_Howe')::date)::int AS days_lord_howe,
                   count(DISTINCT (ordered_at AT TIME ZONE 'America/New_York')::date)::int AS days_new_york,
                   sum(coupon_amount) AS coupons, (count(*) FILTER (WHERE coupon_amount > 0))::int AS coupon_orders,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap,
                   avg(gap) AS mean_gap,
                   -- (last - first) / (orders - 1) rounded half to even to the microsecond, as documented
                   round((extract(epoch FROM max(ordered_at) - min(ordered_at)) * 1000000)::float8 / nullif(count(*) - 1, 0))
                     * interval '1 microsecond' AS mean_gap_exact,
                   array_agg(ROW(ordered_at, amount::float8, coupon_amount::float8) ORDER BY ordered_at, amount, coupon_amount)::text AS order_rows,
                   jsonb_build_object('order_count', count(*),
                                      'orders', jsonb_agg(jsonb_build_object('at', ordered_at, 'amount', amount::float8,
                                                                             'coupon', coupon_amount::float8)
                                                          ORDER BY ordered_at, amount, coupon_amount),
                                      'total_spend', sum(amount)::float8, 'coupon_total', sum(coupon_amount)::float8) AS json_form,
                   '{' || string_agg(format('(%%s,%%s%%s)', ordered_at, amount::float8,
                                            CASE WHEN any_coupon THEN ',' || coupon_amount::float8 ELSE '' END),
                                     ',' ORDER BY ordered_at, amount, coupon_amount) || '}' AS text_form
              FROM o GROUP BY customer_id
        )
        SELECT * FROM plain FULL JOIN %2$s USING (customer_id)$$, orders_table, summaries_table);
    EXECUTE format($$
        CREATE TEMP TABLE at_cutoff AS
        WITH cutoffs AS (
            SELECT DISTINCT customer_id, t
              FROM (SELECT customer_id, min(ordered_at) AS first, max(ordered_at) AS last,
                           (array_agg(ordered_at ORDER BY ordered_at))[(count(*) + 1) / 2] AS middle
                      FROM %1$s GROUP BY customer_id) c,
                   LATERAL (VALUES (first - interval '1 day'), (first - interval '1 microsecond'), (first),
                                   (middle - interval '1 microsecond'), (middle), (last),
                                   (%3$L::timestamptz)) v(t)
        ), plain AS (
            SELECT c.customer_id, c.t,
                   count(*) FILTER (WHERE o.ordered_at <= c.t)::int AS orders,
                   min(o.ordered_at) FILTER (WHERE o.ordered_at <= c.t) AS first,
                   max(o.ordered_at) FILTER (WHERE o.ordered_at <= c.t) AS last,
                   coalesce(sum(o.amount) FILTER (WHERE o.ordered_at <= c.t), 0) AS spend,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY o.gap) FILTER (WHERE o.ordered_at <= c.t) AS median_gap,
                   purchase_history(o.ordered_at, o.amount, o.coupon_amount) FILTER (WHERE o.ordered_at <= c.t) AS as_of,
                   purchase_history(o.ordered_at, o.amount, o.coupon_amount) FILTER (WHERE o.ordered_at < c.t) AS before,
                   purchase_history(o.ordered_at, o.amount, o.coupon_amount) FILTER (WHERE o.ordered_at > c.t) AS after,
                   purchase_history(o.ordered_at, o.amount, o.coupon_amount)
                     FILTER (WHERE o.ordered_at >= c.t AND o.ordered_at <= c.t + interval '1 day') AS day_from
              FROM cutoffs c
              JOIN (SELECT *, ordered_at - lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap
                      FROM %1$s) o USING (customer_id)
             GROUP BY c.customer_id, c.t
        )
        SELECT * FROM plain JOIN %2$s USING (customer_id)$$, orders_table, summaries_table, reference);

    RETURN NEXT is((SELECT count(*) FROM pg_temp.figures WHERE h IS NULL OR orders IS NULL), 0::bigint,
                   'every customer with orders has a summary, and only they' || label);
    RETURN NEXT is((SELECT count(*) FROM pg_temp.figures, LATERAL orders(h) x), (SELECT sum(orders) FROM pg_temp.figures),
                   'orders(h) gives back every order' || label);
    -- (TimeZone, table, condition, description): the rows of the table where the condition
    -- holds are the culprits. :reference stands for the reference date.
    FOR zone, tbl, condition, description IN VALUES
        ('UTC', 'figures', 'order_count(h) IS DISTINCT FROM orders', 'order_count = count(*)'),
        ('UTC', 'figures', 'total_spend(h)::numeric(14,2) IS DISTINCT FROM spend', 'total_spend = sum(amount) to the cent'),
        ('UTC', 'figures', 'total_spend(h) IS DISTINCT FROM spend::float8', 'total_spend = sum(amount)::float8 exactly'),
        ('UTC', 'figures', 'pg_temp.differ(avg_order_value(h)::numeric, avg, 1e-9 * avg)', 'avg_order_value = avg(amount)'),
        ('UTC', 'figures', 'max_order_value(h) IS DISTINCT FROM max::float8', 'max_order_value = max(amount)'),
        ('UTC', 'figures', 'first_purchase(h) IS DISTINCT FROM first OR last_purchase(h) IS DISTINCT FROM last',
         'first_purchase, last_purchase = min, max(ordered_at)'),
        ('UTC', 'figures', 'purchase_days(h) IS DISTINCT FROM days_utc', 'purchase_days = distinct UTC dates when TimeZone is UTC'),
        ('Asia/Tokyo', 'figures', 'purchase_days(h) IS DISTINCT FROM days_tokyo',
         'purchase_days = distinct Tokyo dates when TimeZone is Asia/Tokyo'),
        -- Zones with daylight saving: half-hour shifts at Lord Howe, and shop hours across local midnight.
        ('Australia/Lord_Howe', 'figures', 'purchase_days(h) IS DISTINCT FROM days_lord_howe',
         'purchase_days = distinct Lord Howe dates when TimeZone is Australia/Lord_Howe'),
        ('America/New_York', 'figures', 'purchase_days(h) IS DISTINCT FROM days_new_york',
         'purchase_days = distinct New York dates when TimeZone is America/New_York'),
        ('UTC', 'figures', 'coupon_total(h)::numeric(14,2) IS DISTINCT FROM coupons OR coupon_orders(h) IS DISTINCT FROM coupon_orders',
         'coupon_total, coupon_orders = sum(coupon_amount), count(*) FILTER (coupon_amount > 0)'),
        ('UTC', 'figures', 'coupon_total(h) IS DISTINCT FROM coupons::float8', 'coupon_total = sum(coupon_amount)::float8 exactly'),
        ('UTC', 'figures', 'interpurchase_median(h) IS DISTINCT FROM median_gap', 'interpurchase_median = percentile_cont(0.5) of the lag() gaps'),
        ('UTC', 'figures', 'pg_temp.differ(extract(epoch FROM interpurchase_mean(h)), extract(epoch FROM mean_gap), 0.000001)',
         'interpurchase_mean = avg of the lag() gaps, within the microsecond avg(interval) rounds to'),
        ('UTC', 'figures', 'interpurchase_mean(h) IS DISTINCT FROM mean_gap_exact',
         'interpurchase_mean = (last - first) / (orders - 1), rounded half to even to the microsecond'),
        ('UTC', 'figures', 'recency(h, :reference) IS DISTINCT FROM :reference::timestamptz - last
                            OR tenure(h, :reference) IS DISTINCT FROM :reference::timestamptz - first',
         'recency, tenure = as_of - last, as_of - first'),
        ('UTC', 'figures', '(SELECT (r.frequency, r.monetary::numeric(14,2), r.recency_days) FROM rfm(h, :reference) r)
                            IS DISTINCT FROM (orders, spend, (extract(epoch FROM :reference::timestamptz - last) * 1000000)::float8 / 86400000000)',
         'rfm = (days since last, count, sum) at the reference date'),
        ('UTC', 'figures', 'EXISTS (SELECT FROM orders(h) x WHERE NOT EXISTS (SELECT FROM ' || orders_table || ' y
                                       WHERE y.customer_id = figures.customer_id AND y.ordered_at = x.ordered_at
                                         AND y.amount::float8 = x.amount AND y.coupon_amount::float8 = x.coupon))',
         'orders(h) gives back orders that exist'),
        ('UTC', 'figures', '(SELECT array_agg(ROW(x.ordered_at, x.amount, x.coupon) ORDER BY x.k)::text
                               FROM orders(h) WITH ORDINALITY x(ordered_at, amount, coupon, k)) IS DISTINCT FROM order_rows',
         'orders(h) = the orders, sorted by time, amount and coupon'),
        ('UTC', 'figures', $$(h::jsonb ->> 'order_count')::int IS DISTINCT FROM order_count(h)
                            OR (h::jsonb ->> 'total_spend')::float8 IS DISTINCT FROM total_spend(h)$$,
         'the jsonb form agrees with the accessors'),
        ('UTC', 'figures', 'h::jsonb IS DISTINCT FROM json_form', 'the jsonb form = the orders as jsonb_build_object writes them'),
        ('UTC', 'figures', 'h::text IS DISTINCT FROM text_form', 'the text form = the orders as timestamptz and float8 print them in UTC'),
        ('UTC', 'figures', 'purchase_history_send(h::text::purchase_history) IS DISTINCT FROM purchase_history_send(h)',
         'text round trip is exact'),
        ('UTC', 'figures', 'purchase_history_send(text_form::purchase_history) IS DISTINCT FROM purchase_history_send(h)',
         'the orders read as text = the aggregate, byte for byte'),
        ('UTC', 'at_cutoff', 'recency(h, t)::text IS DISTINCT FROM (t - last)::text',
         'recency(h, t) = t - the last order at or before t, NULL before the first'),
        ('UTC', 'at_cutoff', 'tenure(h, t)::text IS DISTINCT FROM (t - first)::text', 'tenure(h, t) = t - the first order, NULL before it'),
        ('UTC', 'at_cutoff', '(SELECT (r.recency_days, r.frequency, r.monetary) FROM rfm(h, t) r)
                              IS DISTINCT FROM ((extract(epoch FROM t - last) * 1000000)::float8 / 86400000000, orders, spend::float8)',
         'rfm(h, t) = (days since the last order, count, sum) at or before t, (NULL, 0, 0) before the first'),
        ('UTC', 'at_cutoff', 'purchase_history_send(as_of(h, t)) IS DISTINCT FROM purchase_history_send(as_of)',
         'as_of(h, t) = the aggregate over the orders at or before t'),
        ('UTC', 'at_cutoff', 'interpurchase_median(as_of(h, t)) IS DISTINCT FROM median_gap',
         'interpurchase_median(as_of(h, t)) = percentile_cont(0.5) of the gaps at or before t'),
        ('UTC', 'at_cutoff', $$purchase_history_send(during(h, tstzrange(NULL, t, '()'))) IS DISTINCT FROM purchase_history_send(before)
                              OR purchase_history_send(during(h, tstzrange(t, NULL, '(]'))) IS DISTINCT FROM purchase_history_send(after)
                              OR purchase_history_send(during(h, tstzrange(t, t + interval '1 day', '[]'))) IS DISTINCT FROM purchase_history_send(day_from)$$,
         'during(h, range) = the aggregate over the orders in the range, for (, t), (t, ) and [t, t + 1 day]')
    LOOP
        PERFORM set_config('TimeZone', zone, true);
        RETURN NEXT is_empty(format('SELECT customer_id%s FROM pg_temp.%I WHERE %s',
                                    CASE tbl WHEN 'at_cutoff' THEN ', t' ELSE '' END, tbl,
                                    replace(condition, ':reference', quote_literal(reference))),
                             description || label);
    END LOOP;
    PERFORM set_config('TimeZone', 'UTC', true);
END $checks$;

SELECT pg_temp.accessor_checks('tap_ph.orders', 'tap_ph.one_pass', '2026-01-01 00:00:00+00', '');

-- Customers sized around every code path. The median sorts up to 32 gaps by insertion and more
-- with qsort, and keeps up to 64 gaps on the stack; the order log fills chunks of 7, 15, 31, 63,
-- 127 and then 255 slots. Order counts 1, 2, 20, 21, 33, 34, 64, 65, 66, 300, 301, 1000 and 1001
-- give 0 to 1000 gaps, odd and even counts on both sides of each limit. Gaps are random (the
-- warehouse's hash u(), deterministic) up to 2.3 days to the microsecond, one in ten of them 0
-- (two orders at one time); amounts are cents up to 999.99; customers with an odd order count
-- have a coupon on every third order.
CREATE TABLE tap_ph.sized_orders AS
SELECT i::bigint AS order_id, n::bigint AS customer_id,
       timestamptz '2025-01-01 00:00:00+00' + (sum(gap) OVER (PARTITION BY n ORDER BY i))::float8 * interval '1 microsecond' AS ordered_at,
       amount, CASE WHEN n % 2 = 1 AND i % 3 = 0 THEN round(amount / 4, 2) ELSE 0 END::numeric(12,2) AS coupon_amount
  FROM (SELECT n, i,
               CASE WHEN sample_warehouse.u(1, 'sized.same_time', n, i) < 0.1 THEN 0
                    ELSE floor(sample_warehouse.u(1, 'sized.gap', n, i) * 2e11)::bigint END AS gap,
               (floor(sample_warehouse.u(1, 'sized.amount', n, i) * 100000) / 100)::numeric(12,2) AS amount
          FROM unnest('{1,2,20,21,33,34,64,65,66,300,301,1000,1001}'::int[]) n, generate_series(1, n) i) s;
CALL pg_temp.force_serial();
CREATE TABLE tap_ph.sized AS
SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h FROM tap_ph.sized_orders GROUP BY customer_id;

SELECT results_eq($$SELECT customer_id, count(*)::int, count(DISTINCT ordered_at)::int < count(*)::int,
                           count(*) FILTER (WHERE coupon_amount > 0) > 0
                      FROM tap_ph.sized_orders GROUP BY customer_id ORDER BY customer_id$$,
                  $$VALUES (1::bigint, 1, false, false), (2, 2, false, false), (20, 20, true, false), (21, 21, true, true),
                           (33, 33, true, true), (34, 34, true, false), (64, 64, true, false), (65, 65, true, true),
                           (66, 66, true, false), (300, 300, true, false), (301, 301, true, true),
                           (1000, 1000, true, false), (1001, 1001, true, true)$$,
                  'the sized customers: their order counts, orders at one time, coupons');
SELECT pg_temp.accessor_checks('tap_ph.sized_orders', 'tap_ph.sized', '2032-01-01 00:00:00+00', ' (sized customers)');

-- The same summaries however they are built: float8 amounts, reverse order, rollup of halves.
SELECT is_empty($$
    SELECT customer_id FROM tap_ph.sized s
      JOIN (SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS f,
                   purchase_history(ordered_at, amount, coupon_amount ORDER BY order_id DESC) AS r
              FROM tap_ph.sized_orders GROUP BY customer_id) a USING (customer_id)
      JOIN (SELECT customer_id, rollup(h) AS u
              FROM (SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
                      FROM tap_ph.sized_orders GROUP BY customer_id, order_id % 2) halves GROUP BY customer_id) b USING (customer_id)
     WHERE purchase_history_send(s.h) IS DISTINCT FROM purchase_history_send(a.f)
        OR purchase_history_send(s.h) IS DISTINCT FROM purchase_history_send(a.r)
        OR purchase_history_send(s.h) IS DISTINCT FROM purchase_history_send(b.u)$$,
    'sized customers: float8 amounts, reverse order and rollup of halves give the same bytes');

-- Joins on a summary column ------------------------------------------------------------------
-- The same pairs whichever join method runs. join_a: every eighth customer's summary; join_b:
-- the same summaries read back from text (other copies of the same bytes) and slices of them at
-- three cutoffs (some equal to the whole summary, most not, many of the same order count). The
-- expected pairs are found by the bytes.
CREATE TABLE tap_ph.join_a AS SELECT customer_id, h FROM tap_ph.one_pass WHERE customer_id % 8 = 0;
CREATE TABLE tap_ph.join_b AS
SELECT customer_id, 'text' AS kind, h::text::purchase_history AS h FROM tap_ph.join_a
UNION ALL
SELECT customer_id, t::text, as_of(h, t)
  FROM tap_ph.join_a, (VALUES ('2025-01-01 00:00:00+00'::timestamptz), ('2025-07-01 00:00:00+00'), ('2025-12-01 00:00:00+00')) v(t);
ANALYZE tap_ph.join_a, tap_ph.join_b;
CREATE TABLE tap_ph.join_expected AS
SELECT a.customer_id AS a_id, b.customer_id AS b_id, b.kind
  FROM tap_ph.join_a a JOIN tap_ph.join_b b ON purchase_history_send(a.h) = purchase_history_send(b.h);

-- Two assertions on one query: its plan (EXPLAIN, the query not run) matches plan_pattern, and
-- its rows are the expected ones, duplicates counted.
CREATE FUNCTION pg_temp.plans_and_returns(query text, plan_pattern text, expected text, description text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEXT matches(pg_temp.plan_of(query), plan_pattern, description || ': the plan');
    RETURN NEXT bag_eq(query, expected, description);
END $$;

SELECT cmp_ok((SELECT count(*) FROM tap_ph.join_expected WHERE kind <> 'text'), '>', 0::bigint,
              'some slices are whole summaries: the joins match more than the text copies');
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'enable_mergejoin=off', 'enable_nestloop=off');
SELECT pg_temp.plans_and_returns('SELECT a.customer_id AS a_id, b.customer_id AS b_id, b.kind FROM tap_ph.join_a a JOIN tap_ph.join_b b ON a.h = b.h',
                                 'Hash Join\n[^\n]*Hash Cond: \([ab]\.h = [ab]\.h\)', 'SELECT a_id, b_id, kind FROM tap_ph.join_expected',
                                 'a hash join on a summary column finds the equal summaries');
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'enable_hashjoin=off', 'enable_nestloop=off');
SELECT pg_temp.plans_and_returns('SELECT a.customer_id AS a_id, b.customer_id AS b_id, b.kind FROM tap_ph.join_a a JOIN tap_ph.join_b b ON a.h = b.h',
                                 'Merge Join\n[^\n]*Merge Cond: \([ab]\.h = [ab]\.h\)', 'SELECT a_id, b_id, kind FROM tap_ph.join_expected',
                                 'a merge join on a summary column finds the equal summaries');
CALL pg_temp.plan_settings('max_parallel_workers_per_gather=0', 'enable_hashjoin=off', 'enable_mergejoin=off');
SELECT pg_temp.plans_and_returns('SELECT a.customer_id AS a_id, b.customer_id AS b_id, b.kind FROM tap_ph.join_a a JOIN tap_ph.join_b b ON a.h = b.h',
                                 'Nested Loop\n[^\n]*Join Filter: \([ab]\.h = [ab]\.h\)', 'SELECT a_id, b_id, kind FROM tap_ph.join_expected',
                                 'a nested loop on a summary column finds the equal summaries');
CALL pg_temp.plan_settings();

-- Hash partitioning on a summary column (hash_extended) ----------------------------------------
CREATE TABLE tap_ph.parts (customer_id bigint, copy boolean, h purchase_history) PARTITION BY HASH (h);
CREATE TABLE tap_ph.parts_0 PARTITION OF tap_ph.parts FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE tap_ph.parts_1 PARTITION OF tap_ph.parts FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE tap_ph.parts_2 PARTITION OF tap_ph.parts FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE tap_ph.parts_3 PARTITION OF tap_ph.parts FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO tap_ph.parts SELECT customer_id, false, h FROM tap_ph.one_pass;
INSERT INTO tap_ph.parts SELECT customer_id, true, h::text::purchase_history FROM tap_ph.one_pass;
SELECT is((SELECT count(*) FROM (SELECT FROM tap_ph.parts GROUP BY tableoid HAVING count(*) > 100) p), 4::bigint,
          'hash partitioning by a summary column spreads the summaries over the four partitions');
SELECT is_empty($$
    SELECT customer_id, copy, tableoid::regclass FROM tap_ph.parts
     WHERE satisfies_hash_partition('tap_ph.parts'::regclass, 4, right(tableoid::regclass::text, 1)::int, h) IS NOT TRUE$$,
    'every summary is in the partition its extended hash says');
SELECT is_empty($$
    SELECT customer_id FROM tap_ph.parts GROUP BY customer_id HAVING count(DISTINCT tableoid) <> 1 OR count(*) <> 2$$,
    'a copy of a summary (text round trip) goes to the same partition');
SELECT pg_temp.plans_and_returns(
    format('SELECT customer_id, copy FROM tap_ph.parts WHERE h = %L::purchase_history',
           (SELECT h::text FROM tap_ph.one_pass ORDER BY order_count(h) DESC, customer_id LIMIT 1)),
    '^Seq Scan on parts_[0-3] parts\n',
    format('VALUES (%s::bigint, false), (%1$s, true)', (SELECT customer_id FROM tap_ph.one_pass ORDER BY order_count(h) DESC, customer_id LIMIT 1)),
    'a lookup by summary reads one partition and finds the summary and its copy');

-- Round trips and hashes over every customer --------------------------------------------------
SELECT is((SELECT count(*) FROM tap_ph.one_pass
            WHERE purchase_history_send(h::text::purchase_history) IS DISTINCT FROM purchase_history_send(h)), 0::bigint,
          'text round trip is exact for every customer');
-- The canonical text (times in UTC as '+00', shortest numbers) is read by a direct reader; any
-- other spelling by PostgreSQL's own parsers: the same text respelled ('+00:00', '25e0') must give
-- the same bytes, for every customer.
SELECT is((SELECT count(*) FROM tap_ph.one_pass
            WHERE purchase_history_send(h::text::purchase_history)
                  IS DISTINCT FROM purchase_history_send(regexp_replace(replace(h::text, '+00,', '+00:00,'),
                                                                        ',(-?[0-9.]+)(?=[,)])', ',\1e0', 'g')::purchase_history)),
          0::bigint, 'the canonical text and the same orders spelled for the general parsers read the same, for every customer');
SELECT is((SELECT count(*) FROM tap_ph.one_pass WHERE h::text !~ '^\{(\([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}(\.[0-9]+)?\+00(,-?[0-9]+(\.[0-9]+)?)+\),?)*\}$'),
          0::bigint, 'every customer''s text is canonical: UTC times ending in +00, plain decimals');
SELECT is((SELECT count(DISTINCT purchase_history_hash(h)) FROM tap_ph.one_pass), (SELECT count(*) FROM tap_ph.one_pass),
          'no two customers share a hash');
SELECT is((SELECT count(DISTINCT purchase_history_hash_extended(h, 42)) FROM tap_ph.one_pass), (SELECT count(*) FROM tap_ph.one_pass),
          'no two customers share an extended hash');
SELECT is_empty($$
    SELECT customer_id FROM tap_ph.one_pass
     WHERE purchase_history_hash(h) IS DISTINCT FROM purchase_history_hash(h::text::purchase_history)
        OR purchase_history_hash_extended(h, 42) IS DISTINCT FROM purchase_history_hash_extended(h::text::purchase_history, 42)
        OR (purchase_history_hash_extended(h, 0) & 4294967295) IS DISTINCT FROM (purchase_history_hash(h)::bigint & 4294967295)
        OR purchase_history_hash_extended(h, 0) = purchase_history_hash_extended(h, 1)$$,
    'hashes: equal for equal summaries; the extended hash changes with the seed, and with seed 0 its low 32 bits are the hash');

-- The planted truth -------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'order_count' AND order_count(o.h) IS DISTINCT FROM t.value), 0::bigint,
          'order_count recovers every planted order count');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'total_spend' AND total_spend(o.h)::numeric(14,2) IS DISTINCT FROM t.value), 0::bigint,
          'total_spend recovers every planted total');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE (t.fact = 'first_purchase' AND first_purchase(o.h) IS DISTINCT FROM t.at)
               OR (t.fact = 'last_purchase' AND last_purchase(o.h) IS DISTINCT FROM t.at)), 0::bigint,
          'first_purchase and last_purchase recover the planted times');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'hero' AND order_count(o.h) IS DISTINCT FROM 1), 0::bigint, 'every planted hero bought exactly once');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'dormant' AND last_purchase(o.h) IS DISTINCT FROM t.at), 0::bigint,
          'every planted dormant customer''s last purchase is the planted day');

\i test/pgtap/lib/end.psql
