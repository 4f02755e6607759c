-- paths properties on the small sample warehouse: the planted sequence (product C, then D 12 to
-- 16 days later) recovered with its median lag of 14 days; every rule = the plain-SQL self-join
-- over each customer's orders (counts exactly; support, confidence and lift to 1e-12 relative;
-- the median lag exactly) and in its order; rollup of halves = one pass; serial = parallel; text
-- and bigint items give the same summaries. Summaries are compared by their bytes (send), never
-- with the type's own =; every other comparison is IS DISTINCT FROM or a stated tolerance.
\i test/pgtap/lib/begin.psql
SELECT plan(18);

SET LOCAL IntervalStyle = 'postgres';

CALL sample_warehouse.build('tap_ps', 'small', 42);
CREATE TABLE tap_ps.lines AS
SELECT o.customer_id, o.ordered_at, l.product_id
  FROM tap_ps.order_lines l JOIN tap_ps.orders o USING (order_id);
ANALYZE tap_ps.lines;

CALL pg_temp.force_serial();
CREATE TABLE tap_ps.seqs AS
SELECT customer_id, item_sequence(ordered_at, product_id) AS s FROM tap_ps.lines GROUP BY 1;
ANALYZE tap_ps.seqs;
CREATE TABLE tap_ps.one_pass AS SELECT paths(s, '30 days') AS p FROM tap_ps.seqs;
CREATE TABLE tap_ps.rules AS
SELECT row_number() OVER () AS k, r.* FROM tap_ps.one_pass, sequence_rules(p, 1e-9) r;

-- The plain SQL: each customer's purchases (time, item); each pair's shortest lag per customer
-- (a self-join: B strictly later than A, at most 30 days later); counts and percentile_cont.
CREATE TABLE tap_ps.buys AS SELECT DISTINCT customer_id, ordered_at, product_id::text AS item FROM tap_ps.lines;
CREATE TABLE tap_ps.lags AS
SELECT a.customer_id, a.item AS first_item, b.item AS then_item, min(b.ordered_at - a.ordered_at) AS lag
  FROM tap_ps.buys a JOIN tap_ps.buys b
    ON b.customer_id = a.customer_id AND b.item <> a.item
   AND b.ordered_at > a.ordered_at AND b.ordered_at - a.ordered_at <= interval '30 days'
 GROUP BY 1, 2, 3;
CREATE TABLE tap_ps.buyers AS SELECT item, count(DISTINCT customer_id) AS n FROM tap_ps.buys GROUP BY 1;
CREATE TABLE tap_ps.plain AS
SELECT first_item, then_item, count(*) AS customers,
       count(*)::float8 / (SELECT count(DISTINCT customer_id) FROM tap_ps.buys) AS support,
       count(*)::float8 / min(a.n) AS confidence,
       (count(*)::float8 / min(a.n)) / (min(b.n)::float8 / (SELECT count(DISTINCT customer_id) FROM tap_ps.buys)) AS lift,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS median_lag
  FROM tap_ps.lags l JOIN tap_ps.buyers a ON a.item = l.first_item JOIN tap_ps.buyers b ON b.item = l.then_item
 GROUP BY 1, 2;
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT a IS NOT NULL AND b IS NOT NULL AND abs(a - b) <= 1e-12 * greatest(abs(a), abs(b))
$$;

-- The planted truth --------------------------------------------------------------------------------
CREATE TABLE tap_ps.planted AS
SELECT product_id::text AS c, other_product_id::text AS d, value FROM tap_ps.truth WHERE fact = 'followed_by';
SELECT is((SELECT count(*) FROM tap_ps.planted), 1::bigint, 'the small warehouse plants one followed_by pair');
SELECT is((SELECT r.median_lag FROM tap_ps.rules r JOIN tap_ps.planted t ON r.first_item = t.c AND r.then_item = t.d),
          (SELECT value * interval '1 day' FROM tap_ps.planted), 'C -> D: median lag exactly 14 days (truth followed_by)');
SELECT is((SELECT first_item || ' -> ' || then_item FROM tap_ps.rules r
            ORDER BY lift DESC, k LIMIT 1),
          (SELECT c || ' -> ' || d FROM tap_ps.planted), 'C -> D has the highest lift of all rules');
SELECT cmp_ok((SELECT min(k) FROM tap_ps.one_pass, sequence_rules(p, 0.01, 0.5) WITH ORDINALITY AS r(f, t, c, s, cf, l, m, k)
                JOIN tap_ps.planted ON f = planted.c AND t = planted.d), '<=', 3::bigint,
              'C -> D is among the top three rules with support >= 1 % and confidence >= 0.5');
SELECT is((SELECT count(*) FROM tap_ps.truth t
             JOIN tap_ps.lags l ON l.customer_id = t.customer_id AND l.first_item = t.product_id::text
                               AND l.then_item = t.other_product_id::text
            WHERE t.fact = 'followed_by_lag' AND l.lag = t.value * interval '1 day'),
          (SELECT count(*) FROM tap_ps.truth WHERE fact = 'followed_by_lag'),
          'every planted customer''s C -> D lag is its followed_by_lag (the plain SQL agrees with the truth)');

-- Every rule = plain SQL ------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM tap_ps.plain), '>', 1000::bigint, 'more than 1000 pairs follow within 30 days');
SELECT is((SELECT count(*) FROM tap_ps.rules r FULL JOIN tap_ps.plain p USING (first_item, then_item)
            WHERE r.customers IS DISTINCT FROM p.customers), 0::bigint,
          'the same pairs, each with the same number of customers');
SELECT is((SELECT count(*) FROM tap_ps.rules r JOIN tap_ps.plain p USING (first_item, then_item)
            WHERE NOT (pg_temp.rel(r.support, p.support) AND pg_temp.rel(r.confidence, p.confidence)
                       AND pg_temp.rel(r.lift, p.lift))), 0::bigint,
          'support, confidence and lift to 1e-12 relative');
SELECT is((SELECT count(*) FROM tap_ps.rules r JOIN tap_ps.plain p USING (first_item, then_item)
            WHERE r.median_lag IS DISTINCT FROM p.median_lag), 0::bigint,
          'median lag = percentile_cont(0.5) of the shortest lags, exactly');
SELECT is((SELECT count(*) FROM tap_ps.rules r
             JOIN (SELECT first_item, then_item,
                          row_number() OVER (ORDER BY support DESC, confidence DESC, first_item COLLATE "C", then_item COLLATE "C") AS k
                     FROM tap_ps.plain) p USING (first_item, then_item)
            WHERE r.k IS DISTINCT FROM p.k), 0::bigint,
          'rules come by support, then confidence, then the items');
SELECT is((SELECT array_agg(ARRAY[first_item, then_item] ORDER BY k) FROM tap_ps.one_pass, sequence_rules(p, 0.05, 0.3) WITH ORDINALITY AS r(first_item, then_item, c, s, cf, l, m, k)),
          (SELECT array_agg(ARRAY[first_item, then_item] ORDER BY k) FROM tap_ps.rules WHERE support >= 0.05 AND confidence >= 0.3),
          'min_support and min_confidence filter the same rules');

-- rollup, parallel, text items -------------------------------------------------------------------------
SELECT is((SELECT paths_send(rollup(p)) FROM (
              SELECT paths(s, '30 days') AS p FROM tap_ps.seqs GROUP BY customer_id % 2) h),
          (SELECT paths_send(p) FROM tap_ps.one_pass), 'rollup of two halves of the customers = one pass');
SELECT is((SELECT paths_send(paths(s, '30 days')) FROM (
              SELECT customer_id, item_sequence(ordered_at, product_id::text) AS s FROM tap_ps.lines GROUP BY 1) q),
          (SELECT paths_send(p) FROM tap_ps.one_pass), 'text items give the same summary, byte for byte');
CREATE TABLE tap_ps.serial AS
SELECT (SELECT p::text FROM tap_ps.one_pass) AS p,
       (SELECT item_sequence(ordered_at, product_id)::text FROM tap_ps.lines WHERE product_id <= 8) AS s;
CALL pg_temp.force_parallel();
SELECT pg_temp.runs_and_gives($$SELECT paths(s, '30 days')::text FROM tap_ps.seqs$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'paths runs as a partial aggregate on two workers',
    (SELECT p FROM tap_ps.serial), 'parallel paths = serial');
SELECT pg_temp.runs_and_gives($$SELECT item_sequence(ordered_at, product_id)::text FROM tap_ps.lines WHERE product_id <= 8$$,
    'Workers Launched: 2(.|\n)*Partial Aggregate', 'one item sequence runs as a partial aggregate on two workers',
    (SELECT s FROM tap_ps.serial), 'parallel item_sequence = serial');
SET LOCAL force_parallel_mode = regress;
SELECT is(pg_temp.value_of($$SELECT paths(s, '30 days')::text FROM tap_ps.seqs$$), (SELECT p FROM tap_ps.serial),
          'force_parallel_mode = regress gives the same summary');
CALL pg_temp.plan_settings();

\i test/pgtap/lib/end.psql
