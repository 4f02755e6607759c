-- loyalty_trend properties on the small sample warehouse: the planted dormant customers come out
-- declining as of the reference date, regular buyers never; each figure = the plain SQL a user
-- writes (a generate_series of months with the empty ones, regr_slope, count(DISTINCT) per
-- half); rollup of halves = one pass; serial = parallel. Summaries are compared by their bytes
-- (loyalty_trend_send), never with the type's own =; every other comparison is IS DISTINCT
-- FROM or a stated tolerance, so that NULL is a difference.
\i test/pgtap/lib/begin.psql
SELECT plan(23);

CALL sample_warehouse.build('tap_lt', 'small', 42);
-- One row per order line: its time, quantity x unit price, and its product's category.
CREATE TABLE tap_lt.lines AS
SELECT o.customer_id, o.ordered_at, (l.quantity * l.unit_price)::float8 AS amount,
       l.quantity * l.unit_price AS exact_amount, p.category
  FROM tap_lt.order_lines l JOIN tap_lt.orders o USING (order_id) JOIN tap_lt.products p USING (product_id);
ANALYZE tap_lt.lines;

CALL pg_temp.force_serial();
CREATE TABLE tap_lt.one_pass AS
SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines GROUP BY 1;
ANALYZE tap_lt.one_pass;

CREATE FUNCTION pg_temp.mismatches(query text) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.value_of(format('SELECT count(*) FROM (%s) q FULL JOIN tap_lt.one_pass o USING (customer_id)
                                     WHERE loyalty_trend_send(q.t) IS DISTINCT FROM loyalty_trend_send(o.t)', query))::bigint
$$;
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= 1e-12 * greatest(abs(a), abs(b)) OR abs(a - b) < 1e-12
$$;

-- The planted truth ------------------------------------------------------------------------------
-- The reference date is 2026-01-01 00:00 UTC: the months run to December 2025.
CREATE TABLE tap_lt.planted AS
SELECT t.fact, t.customer_id, o.t
  FROM tap_lt.truth t JOIN tap_lt.one_pass o USING (customer_id)
 WHERE t.fact IN ('dormant', 'repeat', 'vip', 'newcomer');
SELECT ok((SELECT count(*) FILTER (WHERE fact = 'dormant') >= 50 AND count(*) FILTER (WHERE fact = 'repeat') >= 50
             AND count(*) FILTER (WHERE fact = 'vip') >= 30 AND count(*) FILTER (WHERE fact = 'newcomer') >= 10
             FROM tap_lt.planted),
          'the small warehouse plants dormant, repeat, VIP and newcomer customers');
SELECT is((SELECT count(*) FROM tap_lt.planted WHERE fact = 'dormant'
            AND trend(t, '2026-01-01') IS DISTINCT FROM 'declining'), 0::bigint,
          'every dormant customer is declining as of the reference date');
SELECT is((SELECT count(*) FROM tap_lt.planted WHERE fact = 'dormant'
            AND trend(t, '2026-01-01', 'Infinity', 1000, 3) IS DISTINCT FROM 'declining'), 0::bigint,
          'every dormant customer has bought nothing in the last three months (the quiet-months rule alone)');
SELECT is((SELECT count(*) FROM tap_lt.planted WHERE fact IN ('repeat', 'vip')
            AND trend(t, '2026-01-01') IS NOT DISTINCT FROM 'declining'), 0::bigint,
          'no repeat or VIP customer (regular buyers of both years) is declining as of the reference date');
SELECT is((SELECT count(*) FROM tap_lt.planted WHERE fact = 'newcomer'
            AND (trend(t, '2026-01-01') IS NOT NULL OR spend_slope(t, '2026-01-01') IS NOT NULL)), 0::bigint,
          'every newcomer (one month of history) has no slope and no trend yet');

-- Each figure = plain SQL ----------------------------------------------------------------------------
-- Months in UTC here: generate_series of each customer's months, the empty ones as 0, and
-- regr_slope over their numbers.
CREATE FUNCTION pg_temp.plain_slopes(as_of timestamptz) RETURNS TABLE (customer_id integer, slope float8)
LANGUAGE sql AS $$
    WITH span AS (
        SELECT customer_id, date_trunc('month', min(ordered_at)) AS first,
               greatest(date_trunc('month', max(ordered_at)),
                        COALESCE(date_trunc('month', as_of - interval '1 microsecond'), '-infinity')) AS last
          FROM tap_lt.lines WHERE as_of IS NULL OR ordered_at <= as_of GROUP BY 1),
    monthly AS (
        SELECT customer_id, date_trunc('month', ordered_at) AS m, sum(amount) AS spend
          FROM tap_lt.lines WHERE as_of IS NULL OR ordered_at <= as_of GROUP BY 1, 2),
    months AS (
        SELECT s.customer_id, m, row_number() OVER (PARTITION BY s.customer_id ORDER BY m) AS k,
               COALESCE(monthly.spend, 0) AS spend
          FROM span s CROSS JOIN generate_series(s.first, s.last, interval '1 month') AS m
          LEFT JOIN monthly USING (customer_id, m))
    SELECT customer_id::integer, regr_slope(spend, k) FROM months GROUP BY 1
$$;
CREATE FUNCTION pg_temp.plain_growth(as_of timestamptz) RETURNS TABLE (customer_id integer, growth bigint)
LANGUAGE sql AS $$
    WITH life AS (
        SELECT customer_id, min(ordered_at) AS first, COALESCE(as_of, max(ordered_at)) AS last
          FROM tap_lt.lines WHERE as_of IS NULL OR ordered_at <= as_of GROUP BY 1)
    SELECT customer_id::integer,
           count(DISTINCT category) FILTER (WHERE ordered_at >= first + (last - first) / 2)
           - count(DISTINCT category) FILTER (WHERE ordered_at < first + (last - first) / 2)
      FROM tap_lt.lines l JOIN life USING (customer_id)
     WHERE (as_of IS NULL OR ordered_at <= as_of) AND last > first
     GROUP BY 1
$$;
SELECT cmp_ok((SELECT count(*) FROM pg_temp.plain_slopes(NULL) WHERE slope IS NOT NULL), '>', 1000::bigint,
              'more than 1000 customers have a slope');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o FULL JOIN pg_temp.plain_slopes(NULL) p USING (customer_id)
            WHERE NOT pg_temp.rel(spend_slope(o.t), p.slope)), 0::bigint,
          'spend_slope = regr_slope over a generate_series of months with the empty ones as 0, to 1e-12 relative');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o FULL JOIN pg_temp.plain_slopes('2026-01-01') p USING (customer_id)
            WHERE NOT pg_temp.rel(spend_slope(o.t, '2026-01-01'), p.slope)), 0::bigint,
          'spend_slope as of the reference date = the same SQL with the months to December 2025');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o
             LEFT JOIN pg_temp.plain_slopes('2025-06-15') p USING (customer_id)
            WHERE NOT pg_temp.rel(spend_slope(o.t, '2025-06-15'), p.slope)), 0::bigint,
          'spend_slope as of mid-June 2025 = the same SQL on the lines up to then, months to June');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o FULL JOIN pg_temp.plain_growth(NULL) p USING (customer_id)
            WHERE category_growth(o.t) IS DISTINCT FROM p.growth::integer), 0::bigint,
          'category_growth = count(DISTINCT category) at or after the midpoint minus before it');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o LEFT JOIN pg_temp.plain_growth('2025-06-15') p USING (customer_id)
            WHERE category_growth(o.t, '2025-06-15') IS DISTINCT FROM p.growth::integer), 0::bigint,
          'category_growth as of a date = the same SQL with the life ending then');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o
             JOIN (SELECT customer_id, sum(exact_amount)::float8 AS spend, count(DISTINCT category)::int AS categories,
                          count(*)::int AS lines
                     FROM tap_lt.lines GROUP BY 1) p USING (customer_id)
            WHERE total_amount(o.t) IS DISTINCT FROM p.spend OR category_count(o.t) IS DISTINCT FROM p.categories
               OR line_count(o.t) IS DISTINCT FROM p.lines), 0::bigint,
          'total_amount = sum(quantity * unit_price)::float8 exactly; category_count and line_count = the counts');
-- trend = its documented rule, recomputed from the accessors.
SELECT is((SELECT count(*) FROM tap_lt.one_pass o
             JOIN (SELECT customer_id, max(ordered_at) AS last FROM tap_lt.lines GROUP BY 1) l USING (customer_id),
                  LATERAL (SELECT spend_slope(o.t, '2026-01-01') AS slope,
                                  total_amount(o.t) / (12 * (2025 - extract(year FROM first_line)) + 12 - extract(month FROM first_line) + 1) AS mean,
                                  category_growth(o.t, '2026-01-01') AS growth,
                                  l.last < '2025-10-01' AS quiet
                             FROM (SELECT min(ordered_at) AS first_line FROM tap_lt.lines x WHERE x.customer_id = o.customer_id) f) r
            WHERE trend(o.t, '2026-01-01') IS DISTINCT FROM
                  CASE WHEN r.slope IS NULL THEN NULL
                       WHEN r.quiet THEN 'declining'
                       WHEN r.mean > 0 AND r.slope / r.mean >= 0.05 THEN 'growing'
                       WHEN r.mean > 0 AND r.slope / r.mean <= -0.05 THEN 'declining'
                       WHEN r.growth >= 2 THEN 'growing'
                       WHEN r.growth <= -2 THEN 'declining'
                       ELSE 'stable' END::loyalty_direction), 0::bigint,
          'trend as of the reference date = its rule: quiet months, then the relative slope, then the categories');

-- rollup and parallel ------------------------------------------------------------------------------
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(t) AS t FROM (
        SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines
         WHERE ordered_at < '2025-01-01' GROUP BY 1
        UNION ALL
        SELECT customer_id, loyalty_trend(ordered_at, amount, category) FROM tap_lt.lines
         WHERE ordered_at >= '2025-01-01' GROUP BY 1) s
     GROUP BY 1 $$), 0::bigint, 'rollup of two halves (before and after a date) = one pass');
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, rollup(t) AS t FROM (
        SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines
         WHERE category < 'h' GROUP BY 1
        UNION ALL
        SELECT customer_id, loyalty_trend(ordered_at, amount, category) FROM tap_lt.lines
         WHERE category >= 'h' GROUP BY 1) s
     GROUP BY 1 $$), 0::bigint, 'rollup of two halves (split by category: different dictionaries) = one pass');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o
             JOIN (SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines
                    WHERE ordered_at >= '2025-03-01' AND ordered_at < '2025-09-01' GROUP BY 1) p USING (customer_id)
            WHERE loyalty_trend_send(during(o.t, tstzrange('2025-03-01', '2025-09-01'))) IS DISTINCT FROM loyalty_trend_send(p.t)),
          0::bigint, 'during(t, range) = the aggregate over the lines in the range');

CREATE TABLE tap_lt.per_month AS
SELECT customer_id, date_trunc('month', ordered_at) AS month, loyalty_trend(ordered_at, amount, category) AS t
  FROM tap_lt.lines GROUP BY 1, 2;
ANALYZE tap_lt.per_month;
CREATE TABLE tap_lt.serial AS
SELECT (SELECT loyalty_trend(ordered_at, amount, category) FROM tap_lt.lines WHERE customer_id % 10 = 3)::text AS all_lines;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT loyalty_trend(ordered_at, amount, category)::text FROM tap_lt.lines WHERE customer_id % 10 = 3$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one summary of many lines runs as a partial aggregate on two workers',
    (SELECT all_lines FROM tap_lt.serial), 'parallel = serial');
SELECT pg_temp.runs_and_gives($$SELECT rollup(t)::text FROM tap_lt.per_month WHERE customer_id % 10 = 3$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'rollup of monthly summaries runs as a partial aggregate on two workers',
    (SELECT all_lines FROM tap_lt.serial), 'parallel rollup = serial one pass');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.mismatches($$
    SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines GROUP BY 1 $$), 0::bigint,
          'force_parallel_mode = regress gives the same summaries');
CALL pg_temp.plan_settings();

SELECT is((SELECT count(*) FROM tap_lt.one_pass
            WHERE loyalty_trend_send(t::text::loyalty_trend) IS DISTINCT FROM loyalty_trend_send(t)), 0::bigint,
          'text round trip: every summary reads back byte for byte');
SELECT is((SELECT count(*) FROM tap_lt.one_pass o
             LEFT JOIN (SELECT customer_id, loyalty_trend(ordered_at, amount, category) AS t FROM tap_lt.lines
                         WHERE ordered_at <= '2025-06-15' GROUP BY 1) p USING (customer_id)
            WHERE loyalty_trend_send(as_of(o.t, '2025-06-15'))
                  IS DISTINCT FROM COALESCE(loyalty_trend_send(p.t), loyalty_trend_send('{}'))), 0::bigint,
          'as_of(t, date) = the aggregate over the lines up to the date');

\i test/pgtap/lib/end.psql
