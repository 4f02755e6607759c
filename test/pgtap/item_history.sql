-- item_history properties on the small sample warehouse: the planted replenishers, growers and
-- stockpilers recovered; each figure = the plain SQL a user writes (lag, percentile_cont,
-- stddev_samp, regr_slope); rollup of halves = one pass; serial = parallel. Summaries are
-- compared by their bytes (item_history_send), never with the type's own =; every other
-- comparison is IS DISTINCT FROM or a stated tolerance, so that NULL is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(22);

SET LOCAL IntervalStyle = 'postgres';

CALL sample_warehouse.build('tap_ih', 'small', 42);
CREATE TABLE tap_ih.lines AS
SELECT o.customer_id, l.product_id, o.ordered_at, l.quantity::float8 AS quantity,
       l.coupon_amount::float8 AS coupon
  FROM tap_ih.order_lines l JOIN tap_ih.orders o USING (order_id);
ANALYZE tap_ih.lines;

CALL pg_temp.force_serial();
CREATE TABLE tap_ih.one_pass AS
SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) AS i
  FROM tap_ih.lines GROUP BY 1, 2;
ANALYZE tap_ih.one_pass;
CREATE TABLE tap_ih.promos AS
SELECT range_agg(tstzrange(starts_at, ends_at)) AS p FROM tap_ih.promotions;

CREATE FUNCTION pg_temp.mismatches(query text) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.value_of(format('SELECT count(*) FROM (%s) q FULL JOIN tap_ih.one_pass o USING (customer_id, product_id)
                                     WHERE item_history_send(q.i) IS DISTINCT FROM item_history_send(o.i)', query))::bigint
$$;

-- The planted truth ------------------------------------------------------------------------------
CREATE TABLE tap_ih.planted AS
SELECT t.fact, t.customer_id, t.product_id, t.value, o.i
  FROM tap_ih.truth t JOIN tap_ih.one_pass o USING (customer_id, product_id)
 WHERE t.fact IN ('replenisher', 'growing_quantity', 'stockpiler');
SELECT ok((SELECT count(DISTINCT fact) = 3 AND count(*) >= 30 FROM tap_ih.planted),
          'the small warehouse plants replenishers, growers and stockpilers');
SELECT is((SELECT count(*) FROM tap_ih.planted WHERE fact = 'replenisher'
            AND (replenishment_cycle(i) IS DISTINCT FROM interval '30 days'
                 OR regularity(i) IS DISTINCT FROM 0::float8
                 OR next_due(i) IS DISTINCT FROM last_purchase(i) + interval '30 days')), 0::bigint,
          'every replenisher: cycle exactly 30 days, regularity 0, next due = last purchase + 30 days');
SELECT is((SELECT count(*) FROM tap_ih.planted, tap_ih.promos WHERE fact = 'growing_quantity'
            AND (is_incremental(i) IS DISTINCT FROM true
                 OR quantity_slope(i) IS DISTINCT FROM value::float8
                 OR stockpiling(i, p) IS DISTINCT FROM false OR stockpiling(i) IS DISTINCT FROM false)), 0::bigint,
          'every grower: incremental, slope = its step, not stockpiling');
SELECT is((SELECT count(*) FROM tap_ih.planted, tap_ih.promos WHERE fact = 'stockpiler'
            AND (stockpiling(i, p) IS DISTINCT FROM true OR is_incremental(i) IS DISTINCT FROM false)), 0::bigint,
          'every stockpiler: stockpiling in the promotions, not incremental');
SELECT is((SELECT count(*) FROM tap_ih.planted a JOIN tap_ih.planted b USING (customer_id, product_id), tap_ih.promos
            WHERE a.fact = 'growing_quantity' AND b.fact = 'stockpiler'), 0::bigint,
          'no customer is planted as both');

-- Each figure = plain SQL ---------------------------------------------------------------------------
-- A purchase: the lines of one calendar day (UTC here), at the day's last line, their total quantity.
CREATE TABLE tap_ih.days AS
SELECT customer_id, product_id, max(ordered_at) AS at, sum(quantity) AS q
  FROM tap_ih.lines GROUP BY customer_id, product_id, (ordered_at AT TIME ZONE 'UTC')::date;
CREATE TABLE tap_ih.gaps AS
SELECT customer_id, product_id, at, q, at - lag(at) OVER w AS gap, lag(q) OVER w AS q_before,
       row_number() OVER w AS k
  FROM tap_ih.days WINDOW w AS (PARTITION BY customer_id, product_id ORDER BY at);
CREATE TABLE tap_ih.plain AS
SELECT customer_id, product_id, count(*)::int AS purchases,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS cycle,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM gap)::float8 / q_before)
           FILTER (WHERE q_before > 0) AS per_unit_seconds,
       stddev_samp(extract(epoch FROM gap)::float8) / avg(extract(epoch FROM gap)::float8) AS regularity,
       regr_slope(q, k) AS slope, max(at) AS last
  FROM tap_ih.gaps GROUP BY 1, 2;
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= 1e-12 * greatest(abs(a), abs(b)) OR abs(a - b) < 1e-12
$$;
SELECT cmp_ok((SELECT count(*) FROM tap_ih.plain WHERE cycle IS NOT NULL), '>', 5000::bigint,
              'more than 5000 customer x product pairs have a cycle');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o FULL JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE purchases(o.i) IS DISTINCT FROM p.purchases), 0::bigint, 'purchases = count of purchase days');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE replenishment_cycle(o.i) IS DISTINCT FROM p.cycle), 0::bigint,
          'replenishment_cycle = percentile_cont(0.5) of the lag gaps, exactly');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE NOT pg_temp.rel(regularity(o.i), p.regularity)), 0::bigint,
          'regularity = stddev_samp / avg of the gaps, to 1e-12 relative');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE NOT pg_temp.rel(quantity_slope(o.i), p.slope)), 0::bigint,
          'quantity_slope = regr_slope(quantity, purchase number), to 1e-12 relative');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE (cycle_per_unit(o.i) IS NULL) <> (p.per_unit_seconds IS NULL)
               OR abs(extract(epoch FROM cycle_per_unit(o.i))::float8 - p.per_unit_seconds) > 0.5e-6), 0::bigint,
          'cycle_per_unit = percentile_cont(0.5) of gap / quantity before it, to the microsecond');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o JOIN tap_ih.plain p USING (customer_id, product_id)
            WHERE last_purchase(o.i) IS DISTINCT FROM p.last
               OR next_due(o.i) IS DISTINCT FROM p.last + p.cycle), 0::bigint,
          'last_purchase = max(ordered_at); next_due = it + the cycle');
SELECT is((SELECT count(*) FROM tap_ih.one_pass o
             JOIN (SELECT customer_id, product_id, sum(q) AS total FROM tap_ih.days GROUP BY 1, 2) d USING (customer_id, product_id)
            WHERE total_quantity(o.i) IS DISTINCT FROM d.total), 0::bigint,
          'total_quantity = sum(quantity)');
-- As of a midnight (UTC), no day straddles it: the purchases up to as_of are a prefix.
SELECT is((SELECT count(*) FROM tap_ih.one_pass o
             LEFT JOIN (SELECT customer_id, product_id,
                               CASE WHEN count(*) >= 2
                                    THEN max(at) + percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) <= timestamptz '2025-06-08' END AS due
                          FROM tap_ih.gaps WHERE at <= '2025-06-01' GROUP BY 1, 2) d USING (customer_id, product_id)
            WHERE is_due(o.i, '2025-06-01', '7 days') IS DISTINCT FROM d.due), 0::bigint,
          'is_due(i, as_of, 7 days) = the purchases up to as_of, due within the week');

-- rollup and parallel ------------------------------------------------------------------------------
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, product_id, rollup(i) AS i FROM (
        SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) AS i FROM tap_ih.lines
         WHERE ordered_at < '2025-01-01' GROUP BY 1, 2
        UNION ALL
        SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) FROM tap_ih.lines
         WHERE ordered_at >= '2025-01-01' GROUP BY 1, 2) s
     GROUP BY 1, 2 $$), 0::bigint, 'rollup of two halves (before and after a date) = one pass');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, product_id, rollup(i) AS i FROM (
        SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) AS i FROM tap_ih.lines
         WHERE extract(epoch FROM ordered_at)::bigint % 2 = 0 GROUP BY 1, 2
        UNION ALL
        SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) FROM tap_ih.lines
         WHERE extract(epoch FROM ordered_at)::bigint % 2 = 1 GROUP BY 1, 2) s
     GROUP BY 1, 2 $$), 0::bigint, 'rollup of two halves (odd and even seconds) = one pass');

CREATE TABLE tap_ih.serial AS
SELECT (SELECT item_history(ordered_at, quantity, coupon) FROM tap_ih.lines WHERE product_id = 5)::text AS all_lines;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT item_history(ordered_at, quantity, coupon)::text FROM tap_ih.lines WHERE product_id = 5$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary of a product''s lines runs as a partial aggregate on two workers',
    (SELECT all_lines FROM tap_ih.serial), 'parallel = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(i)::text FROM tap_ih.one_pass WHERE product_id = 5$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup runs as a partial aggregate on two workers',
    (SELECT all_lines FROM tap_ih.serial), 'parallel rollup = serial one pass');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, product_id, item_history(ordered_at, quantity, coupon) AS i FROM tap_ih.lines GROUP BY 1, 2 $$), 0::bigint,
          'force_parallel_mode = regress gives the same summaries');
CALL pg_temp.plan_settings();

SELECT is((SELECT count(*) FROM tap_ih.one_pass
            WHERE item_history_send(i::text::item_history) IS DISTINCT FROM item_history_send(i)), 0::bigint,
          'text round trip: every summary reads back byte for byte');

\i test/pgtap/lib/end.psql
