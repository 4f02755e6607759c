-- docs_paths: every SQL example of docs/paths.md, verbatim and in its order, on the tiny sample
-- warehouse (schema shop, built by setup), then every example statement of its Errors table.
-- test/pgtap/docs.sql checks that each example is here, that each result the page shows is the
-- output of its own query below, and that each error example raises the SQLSTATE the page
-- gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TABLE shop.item_sequences AS
SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS s
  FROM shop.order_lines l JOIN shop.orders o USING (order_id)
 GROUP BY o.customer_id;

CREATE TABLE shop.paths_30d AS
SELECT profiling.paths(s, '30 days') AS p FROM shop.item_sequences;

SELECT r.*
  FROM shop.paths_30d, profiling.sequence_rules(p, 0.05, 0.5) r
 ORDER BY r.lift DESC LIMIT 3;

SELECT r.*
  FROM (SELECT profiling.paths(s, '14 days') AS p
          FROM (VALUES ('{(2025-01-01 10:00:00+00,"tent"),(2025-01-11 10:00:00+00,"stove")}'::profiling.item_sequence),
                       ('{(2025-02-01 09:00:00+00,"tent"),(2025-02-06 09:00:00+00,"stove")}'),
                       ('{(2025-03-01 12:00:00+00,"stove")}'),
                       ('{(2025-04-01 08:00:00+00,"tent")}')) AS v(s)) q,
       profiling.sequence_rules(p, 0.1) r;

SELECT profiling.as_of(s, '2025-01-11 10:00:00+00') AS up_to_the_11th,
       profiling.during(s, tstzrange('2025-01-05', '2025-02-01')) AS from_the_5th_in_january
  FROM (VALUES ('{(2025-01-01 10:00:00+00,"tent"),(2025-01-11 10:00:00+00,"stove"),(2025-02-03 18:00:00+00,"gas")}'::profiling.item_sequence)) AS v(s);

SELECT p FROM (SELECT profiling.paths(s, '14 days') AS p
                 FROM (VALUES ('{(2025-01-01 10:00:00+00,"tent"),(2025-01-11 10:00:00+00,"stove")}'::profiling.item_sequence),
                              ('{(2025-04-01 08:00:00+00,"tent")}')) AS v(s)) q;

SELECT profiling.paths_send(profiling.rollup(p)) = (SELECT profiling.paths_send(p) FROM shop.paths_30d) AS rollup_is_one_pass
  FROM (SELECT c.channel, profiling.paths(s.s, '30 days') AS p
          FROM shop.item_sequences s JOIN shop.customers c USING (customer_id)
         GROUP BY c.channel) per_channel;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.item_sequence(NULL::timestamptz, 1::bigint)$$),
       ($$SELECT profiling.item_sequence('infinity'::timestamptz, 1::bigint)$$),
       ($$SELECT profiling.item_sequence('2025-01-01 10:00:00'::timestamp, 1::bigint)$$),
       ($$SELECT profiling.item_sequence(now(), repeat('x', 8193))$$),
       ($$SELECT profiling.paths('{}', '0')$$),
       ($$SELECT profiling.paths('{}', '1 month')$$),
       ($$SELECT profiling.paths('{}', NULL)$$),
       ($$SELECT profiling.rollup(p) FROM (VALUES ('{(60,0)}'::profiling.paths), ('{(120,0)}')) v(p)$$),
       ($$SELECT * FROM profiling.sequence_rules('{(60,0)}', 0)$$),
       ($$SELECT * FROM profiling.sequence_rules('{(60,0)}', 0.1, 2)$$),
       ($$SELECT '{(60,1),("a",2)}'::profiling.paths$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it.
DROP TABLE shop.item_sequences, shop.paths_30d;
