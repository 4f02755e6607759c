-- purchase_history properties on the small sample warehouse: rollup of any split = one pass,
-- serial = parallel, as_of = the aggregate over earlier orders, each accessor = plain SQL, and
-- the planted truth recovered.
\i test/pgtap/lib/begin.psql
SELECT plan(54);

CALL sample_warehouse.build('tap_ph', 'small', 42);
ANALYZE tap_ph.orders;

-- One pass over all orders: the reference every property compares against.
CREATE TABLE tap_ph.one_pass AS
SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
  FROM tap_ph.orders GROUP BY customer_id;

-- Mismatching customers between a query's (customer_id, h) rows and one_pass.
CREATE FUNCTION pg_temp.mismatches(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) q FULL JOIN tap_ph.one_pass o USING (customer_id)
                     WHERE q.h IS DISTINCT FROM o.h', query) INTO n;
    RETURN n;
END $$;

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

SELECT is((SELECT rollup(h) FROM tap_ph.one_pass),
          (SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8) FROM tap_ph.orders),
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
-- Both sides are computed through pg_temp.value_of()/mismatches() (EXECUTE), never inside a
-- pgTAP call, which would force a serial plan; each parallel query also proves it launched
-- its two workers.
CALL pg_temp.force_serial();
CREATE TABLE tap_ph.serial AS
SELECT (SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8) FROM tap_ph.orders)::text AS coupons,
       (SELECT purchase_history(ordered_at, amount) FROM tap_ph.orders)::text AS numeric_amounts;

CALL pg_temp.force_parallel();
SELECT matches(pg_temp.explain_analyze($$SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8)
                                          FROM tap_ph.orders GROUP BY customer_id$$),
               'Workers Launched: 2(.|\n)*Partial .*Aggregate', 'GROUP BY customer_id runs as a partial aggregate on two workers');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'parallel GROUP BY = serial');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'parallel GROUP BY with numeric amounts = serial');
SELECT matches(pg_temp.explain_analyze($$SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8) FROM tap_ph.orders$$),
               'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary over all orders runs as a partial aggregate on two workers');
SELECT is(pg_temp.value_of($$SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)::text FROM tap_ph.orders$$),
          (SELECT coupons FROM tap_ph.serial), 'parallel summary of all orders = serial');
SELECT is(pg_temp.value_of($$SELECT purchase_history(ordered_at, amount)::text FROM tap_ph.orders$$),
          (SELECT numeric_amounts FROM tap_ph.serial), 'parallel summary with numeric amounts = serial');
SELECT matches(pg_temp.explain_analyze($$SELECT rollup(h) FROM tap_ph.one_pass$$),
               'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers');
SELECT is(pg_temp.value_of($$SELECT rollup(h)::text FROM tap_ph.one_pass$$), (SELECT coupons FROM tap_ph.serial),
          'parallel rollup of stored summaries = serial one pass');
-- Workers that see no rows at all (empty partial states), and a single row among two workers.
SELECT is(pg_temp.value_of($$SELECT purchase_history(ordered_at, amount::float8)::text FROM tap_ph.orders WHERE amount < 0$$),
          '{}', 'parallel aggregate over no rows is the empty summary');
SELECT is(pg_temp.value_of($$SELECT rollup(h)::text FROM tap_ph.one_pass WHERE customer_id = (SELECT min(customer_id) FROM tap_ph.one_pass)$$),
          (SELECT h::text FROM tap_ph.one_pass WHERE customer_id = (SELECT min(customer_id) FROM tap_ph.one_pass)),
          'parallel rollup where only one worker sees a row');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'force_parallel_mode = regress gives the same summaries');
SET LOCAL force_parallel_mode = off;
CALL pg_temp.force_serial();

-- A hash aggregate that spills to disk (tiny work_mem) gives the same summaries.
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
SELECT matches(pg_temp.explain_analyze($$SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount)
                                          FROM tap_ph.orders GROUP BY customer_id$$),
               'HashAggregate(.|\n)*Disk Usage', 'with 64kB of work_mem the hash aggregate spills');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount::float8, coupon_amount::float8) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'a spilling hash aggregate = one pass');
RESET work_mem;
RESET enable_sort;

-- The transition state lives in chunks taken from the aggregate's memory context (see
-- src/order_log.h): a sorted aggregate resets that context after every group, and sorted
-- grouping sets run one transition function in a context per set.
SET LOCAL enable_hashagg = off;
SELECT matches(pg_temp.explain_analyze($$SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount)
                                          FROM tap_ph.orders GROUP BY customer_id$$),
               'GroupAggregate', 'without hash aggregation GROUP BY customer_id is a sorted GroupAggregate');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM tap_ph.orders GROUP BY customer_id $$), 0::bigint, 'a sorted GroupAggregate = one pass');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, h FROM (
        SELECT customer_id, channel, purchase_history(ordered_at, amount, coupon_amount) AS h
          FROM tap_ph.orders GROUP BY GROUPING SETS ((customer_id), (customer_id, channel), ())) s
     WHERE channel IS NULL AND customer_id IS NOT NULL $$), 0::bigint,
          'sorted grouping sets (a memory context per set) = one pass');
RESET enable_hashagg;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, h FROM (
        SELECT customer_id, channel, purchase_history(ordered_at, amount, coupon_amount) AS h
          FROM tap_ph.orders GROUP BY GROUPING SETS ((customer_id), (channel))) s
     WHERE customer_id IS NOT NULL $$), 0::bigint, 'hashed grouping sets = one pass');

-- As a window function (the final function runs on a state that goes on growing).
SELECT is((SELECT count(*) FROM (
             SELECT o.customer_id, o.ordered_at,
                    purchase_history(o.ordered_at, o.amount::float8, o.coupon_amount::float8)
                      OVER (PARTITION BY o.customer_id ORDER BY o.ordered_at) AS running
               FROM tap_ph.orders o) w
             JOIN tap_ph.one_pass p USING (customer_id)
            WHERE w.running IS DISTINCT FROM as_of(p.h, w.ordered_at)), 0::bigint,
          'the running window summary at each order = as_of(h, that order''s time)');
SELECT is((SELECT count(*) FROM (
             SELECT order_count(purchase_history(ordered_at, amount)
                      OVER (PARTITION BY customer_id ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) AS n,
                    row_number() OVER (PARTITION BY customer_id ORDER BY order_id) AS k
               FROM tap_ph.orders) w
            WHERE n <> least(k, 3)), 0::bigint, 'a moving 3-row window holds the last three orders');

-- as_of: nothing from the future --------------------------------------------------------------
CREATE TABLE tap_ph.cutoffs AS
SELECT t FROM (VALUES ('2024-06-30 23:59:59.999999+00'::timestamptz), ('2025-01-01 00:00:00+00'),
                      ('2025-07-15 12:00:00+00'), ('2025-12-31 23:59:59+00')) v(t);
-- A cutoff exactly at an order time must include that order.
INSERT INTO tap_ph.cutoffs SELECT ordered_at FROM tap_ph.orders ORDER BY order_id LIMIT 1 OFFSET 100;
SELECT is((SELECT count(*) FROM tap_ph.cutoffs c, tap_ph.one_pass o
            WHERE as_of(o.h, c.t) IS DISTINCT FROM
                  coalesce((SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)
                              FROM tap_ph.orders x WHERE x.customer_id = o.customer_id AND x.ordered_at <= c.t),
                           '{}')), 0::bigint,
          'as_of(h, t) = the aggregate over orders at or before t, at five cutoffs');
SELECT is((SELECT count(*) FROM tap_ph.one_pass o
            WHERE during(o.h, tstzrange('2025-03-01', '2025-06-01')) IS DISTINCT FROM
                  coalesce((SELECT purchase_history(ordered_at, amount::float8, coupon_amount::float8)
                              FROM tap_ph.orders x WHERE x.customer_id = o.customer_id
                               AND x.ordered_at >= '2025-03-01' AND x.ordered_at < '2025-06-01'), '{}')),
          0::bigint, 'during(h, [t1, t2)) = the aggregate over orders in [t1, t2)');

-- Each accessor = the plain SQL a user would write ----------------------------------------
CREATE TABLE tap_ph.plain AS
WITH gaps AS (
    SELECT customer_id, ordered_at - lag(ordered_at) OVER w AS gap
      FROM tap_ph.orders WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at)
)
SELECT o.customer_id, count(*)::int AS orders, sum(amount) AS spend, avg(amount) AS avg, max(amount) AS max,
       min(ordered_at) AS first, max(ordered_at) AS last,
       count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date)::int AS days_utc,
       count(DISTINCT (ordered_at AT TIME ZONE 'Asia/Tokyo')::date)::int AS days_tokyo,
       count(DISTINCT (ordered_at AT TIME ZONE 'Australia/Lord_Howe')::date)::int AS days_lord_howe,
       count(DISTINCT (ordered_at AT TIME ZONE 'America/New_York')::date)::int AS days_new_york,
       sum(coupon_amount) AS coupons, (count(*) FILTER (WHERE coupon_amount > 0))::int AS coupon_orders,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FROM gaps g WHERE g.customer_id = o.customer_id) AS median_gap,
       (SELECT avg(gap) FROM gaps g WHERE g.customer_id = o.customer_id) AS mean_gap
  FROM tap_ph.orders o GROUP BY o.customer_id;
CREATE TABLE tap_ph.both AS SELECT * FROM tap_ph.plain JOIN tap_ph.one_pass USING (customer_id);

SELECT is((SELECT count(*) FROM tap_ph.both WHERE order_count(h) <> orders), 0::bigint, 'order_count = count(*)');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE total_spend(h)::numeric(14,2) <> spend), 0::bigint,
          'total_spend = sum(amount) to the cent');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE total_spend(h) <> spend::float8), 0::bigint,
          'total_spend = sum(amount)::float8 exactly');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE abs(avg_order_value(h) - avg::float8) > 1e-9 * avg::float8), 0::bigint,
          'avg_order_value = avg(amount)');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE max_order_value(h) <> max::float8), 0::bigint, 'max_order_value = max(amount)');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE first_purchase(h) <> first OR last_purchase(h) <> last), 0::bigint,
          'first_purchase, last_purchase = min, max(ordered_at)');
SELECT is((SELECT count(*) FROM tap_ph.both WHERE purchase_days(h) <> days_utc), 0::bigint,
          'purchase_days = distinct UTC dates when TimeZone is UTC');
SET LOCAL TimeZone = 'Asia/Tokyo';
SELECT is((SELECT count(*) FROM tap_ph.both WHERE purchase_days(h) <> days_tokyo), 0::bigint,
          'purchase_days = distinct Tokyo dates when TimeZone is Asia/Tokyo');
-- Zones with daylight saving: half-hour shifts at Lord Howe, and shop hours across local midnight.
SET LOCAL TimeZone = 'Australia/Lord_Howe';
SELECT is((SELECT count(*) FROM tap_ph.both WHERE purchase_days(h) <> days_lord_howe), 0::bigint,
          'purchase_days = distinct Lord Howe dates when TimeZone is Australia/Lord_Howe');
SET LOCAL TimeZone = 'America/New_York';
SELECT is((SELECT count(*) FROM tap_ph.both WHERE purchase_days(h) <> days_new_york), 0::bigint,
          'purchase_days = distinct New York dates when TimeZone is America/New_York');
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT count(*) FROM tap_ph.both WHERE coupon_total(h)::numeric(14,2) <> coupons OR coupon_orders(h) <> coupon_orders),
          0::bigint, 'coupon_total, coupon_orders = sum(coupon_amount), count(*) FILTER (coupon_amount > 0)');
SELECT is((SELECT count(*) FROM tap_ph.both
            WHERE interpurchase_median(h) IS DISTINCT FROM median_gap), 0::bigint,
          'interpurchase_median = percentile_cont(0.5) of the lag() gaps');
SELECT is((SELECT count(*) FROM tap_ph.both
            WHERE abs(extract(epoch FROM interpurchase_mean(h) - mean_gap)) > 0.000001
               OR (interpurchase_mean(h) IS NULL) <> (mean_gap IS NULL)), 0::bigint,
          'interpurchase_mean = avg of the lag() gaps, within the microsecond avg(interval) rounds to');
SELECT is((SELECT count(*) FROM tap_ph.both
            WHERE recency(h, '2026-01-01') <> '2026-01-01'::timestamptz - last
               OR tenure(h, '2026-01-01') <> '2026-01-01'::timestamptz - first), 0::bigint,
          'recency, tenure = as_of - last, as_of - first');
SELECT is((SELECT count(*) FROM tap_ph.both, LATERAL rfm(h, '2026-01-01') r
            WHERE r.frequency <> orders OR r.monetary::numeric(14,2) <> spend
               OR r.recency_days <> extract(epoch FROM '2026-01-01'::timestamptz - last)::float8 / 86400), 0::bigint,
          'rfm = (days since last, count, sum) at the reference date');
SELECT is((SELECT count(*) FROM tap_ph.one_pass o, LATERAL orders(o.h) x
            WHERE NOT EXISTS (SELECT FROM tap_ph.orders y WHERE y.customer_id = o.customer_id AND y.ordered_at = x.ordered_at
                                 AND y.amount::float8 = x.amount AND y.coupon_amount::float8 = x.coupon)),
          0::bigint, 'orders(h) gives back orders that exist');
SELECT is((SELECT count(*) FROM tap_ph.one_pass o, LATERAL orders(o.h) x), (SELECT count(*) FROM tap_ph.orders),
          'orders(h) gives back every order');

-- Round trips over every customer ---------------------------------------------------------
SELECT is((SELECT count(*) FROM tap_ph.one_pass WHERE h::text::purchase_history IS DISTINCT FROM h), 0::bigint,
          'text round trip is exact for every customer');
SELECT is((SELECT count(*) FROM tap_ph.one_pass
            WHERE (h::jsonb ->> 'order_count')::int <> order_count(h)
               OR (h::jsonb ->> 'total_spend')::float8 <> total_spend(h)), 0::bigint,
          'the jsonb form agrees with the accessors');
SELECT is((SELECT count(DISTINCT purchase_history_hash(h)) FROM tap_ph.one_pass), (SELECT count(*) FROM tap_ph.one_pass),
          'no two customers share a hash');

-- The planted truth -------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'order_count' AND order_count(o.h) <> t.value), 0::bigint,
          'order_count recovers every planted order count');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'total_spend' AND total_spend(o.h)::numeric(14,2) <> t.value), 0::bigint,
          'total_spend recovers every planted total');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE (t.fact = 'first_purchase' AND first_purchase(o.h) <> t.at)
               OR (t.fact = 'last_purchase' AND last_purchase(o.h) <> t.at)), 0::bigint,
          'first_purchase and last_purchase recover the planted times');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'hero' AND order_count(o.h) <> 1), 0::bigint, 'every planted hero bought exactly once');
SELECT is((SELECT count(*) FROM tap_ph.truth t JOIN tap_ph.one_pass o USING (customer_id)
            WHERE t.fact = 'dormant' AND last_purchase(o.h) <> t.at), 0::bigint,
          'every planted dormant customer''s last purchase is the planted day');

\i test/pgtap/lib/end.psql
