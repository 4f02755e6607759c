-- paths: the item_sequence and paths summary types, their aggregates and sequence_rules, with
-- hand-checked values, edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Hand-made purchases, window 14 days. ann: C, then D 10 days later, then E 20 days after C.
-- bob: C and D in one order (same time: no path), then D again 5 days later (C -> D, 5 days).
-- cat: D, then C 3 days later (D -> C), then D again a day later (C -> D, 1 day; D -> C stays
-- 3 days: the latest D before the C). dan: C only. eve: D twice (no pair with itself), and a
-- NULL item (skipped).
CREATE TABLE ps_rows (customer text, ordered_at timestamptz, item bigint);
INSERT INTO ps_rows VALUES
  ('ann', '2025-01-01 10:00:00+00', 3), ('ann', '2025-01-11 10:00:00+00', 4),
  ('ann', '2025-01-21 10:00:00+00', 5),
  ('bob', '2025-02-01 09:00:00+00', 4), ('bob', '2025-02-01 09:00:00+00', 3),
  ('bob', '2025-02-06 09:00:00+00', 4),
  ('cat', '2025-03-01 12:00:00+00', 4), ('cat', '2025-03-04 12:00:00+00', 3),
  ('cat', '2025-03-05 12:00:00+00', 4),
  ('dan', '2025-04-01 08:00:00+00', 3),
  ('eve', '2025-05-01 08:00:00+00', 4), ('eve', '2025-05-09 08:30:00.25+00', 4),
  ('eve', '2025-05-10 08:00:00+00', NULL);

CREATE TABLE ps AS
SELECT customer, profiling.item_sequence(ordered_at, item) AS s FROM ps_rows GROUP BY customer;

-- The text form: events sorted by (time, item), UTC, items quoted; bigint items as decimal text.
SELECT customer, s, profiling.line_count(s) AS lines, profiling.item_count(s) AS items
  FROM ps ORDER BY customer;

-- bigint and text items give byte-identical summaries.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE profiling.item_sequence_send(a) = profiling.item_sequence_send(b)) AS identical
  FROM (SELECT customer, profiling.item_sequence(ordered_at, item) AS a,
               profiling.item_sequence(ordered_at, item::text) AS b
          FROM ps_rows GROUP BY customer) s;
-- bigint items are kept as numbers while the sequence builds and written as text once: items
-- at one time come in the text's byte order ("-7" < "10" < "9"), repeats drop, and a window
-- over the rows (the final function again and again) sees every row so far.
SELECT profiling.item_sequence(t, i) AS numbers,
       profiling.item_sequence_send(profiling.item_sequence(t, i)) = profiling.item_sequence_send(profiling.item_sequence(t, i::text)) AS same_as_text
  FROM (VALUES ('2025-01-01 00:00:00+00'::timestamptz, 9::bigint), ('2025-01-01 00:00:00+00', 10), ('2025-01-01 00:00:00+00', -7),
               ('2025-01-01 00:00:00+00', 10), ('2024-12-31 00:00:00+00', 9223372036854775807)) v(t, i);
SELECT k, profiling.item_sequence(t, i) OVER (ORDER BY k) AS so_far
  FROM (VALUES (1, '2025-01-02 00:00:00+00'::timestamptz, 2::bigint), (2, '2025-01-01 00:00:00+00', 1), (3, '2025-01-02 00:00:00+00', 2)) v(k, t, i);

-- The paths over a 14-day window. 5 customers; buyers: "3" 4 (ann, bob, cat, dan), "4" 4
-- (ann, bob, cat, eve), "5" 1. Pairs: 3 -> 4: ann 10 days, bob 5 days, cat 1 day; 4 -> 3: cat
-- 3 days; 4 -> 5: ann 10 days (ann's 3 -> 5 is 20 days: outside the window).
CREATE TABLE pp AS SELECT profiling.paths(s, '14 days') AS p FROM ps;
SELECT p, profiling.customer_count(p) AS customers FROM pp;

-- The rules: support = customers / 5; confidence = customers / buyers of the first item;
-- lift = confidence / (buyers of the second / 5). 3 -> 4: support 0.6, confidence 0.75,
-- lift 0.9375, median of 1, 5, 10 days = 5 days.
SELECT r.* FROM pp, profiling.sequence_rules(p, 0.1) r;
SELECT r.* FROM pp, profiling.sequence_rules(p) r WHERE false;
SELECT first_item, then_item FROM pp, profiling.sequence_rules(p, 0.5) r;
SELECT first_item, then_item FROM pp, profiling.sequence_rules(p, 0.1, 0.5) r;
SELECT first_item, then_item, confidence FROM pp, profiling.sequence_rules(p, 1, 0) r;

-- The window is inclusive and strict: a lag equal to the window counts, a lag of zero never.
SELECT w, r.first_item, r.then_item, r.median_lag
  FROM (VALUES ('10 days'::interval), ('9 days 23:59:59.999999'), ('1 day')) v(w),
       LATERAL (SELECT profiling.paths(s, w) AS p FROM ps WHERE customer = 'ann') q,
       LATERAL profiling.sequence_rules(q.p, 0.1) r ORDER BY w, 2, 3;

-- A customer with more items than the dense matrix of one customer's pairs holds (70 items,
-- one a day): within 2 days, 69 pairs a day apart and 68 two days apart.
SELECT count(*) AS rules, min(median_lag) AS shortest, max(median_lag) AS longest
  FROM profiling.sequence_rules((SELECT profiling.paths(s, '2 days')
                                   FROM (SELECT profiling.item_sequence('2025-01-01 00:00:00+00'::timestamptz + g * interval '1 day', g::bigint) AS s
                                           FROM generate_series(1, 70) g) q), 0.5) r;

-- Empty sequences are no customers; NULL sequences are skipped; no rows (or only NULL
-- sequences) give NULL.
SELECT p FROM (SELECT profiling.paths(s, '14 days') AS p
                 FROM (VALUES ('{}'::profiling.item_sequence), (NULL), ('{(2025-01-01 00:00:00+00,"x")}')) v(s)) q;
SELECT profiling.paths(s, '14 days') IS NULL AS no_rows FROM ps WHERE false;
SELECT profiling.paths(NULL::profiling.item_sequence, '14 days') AS only_nulls;
SELECT profiling.item_sequence(t, i) AS no_rows FROM (VALUES (now(), 1::bigint)) v(t, i) WHERE false;
SELECT c.name, profiling.item_sequence(r.ordered_at, r.item) AS s
  FROM (VALUES ('zoe'), ('dan')) c(name) LEFT JOIN ps_rows r ON r.customer = c.name
 GROUP BY c.name ORDER BY c.name;
SELECT r.* FROM profiling.sequence_rules('{(86400,0)}') r;

-- Rollup: of the customers in any split, the same bytes as one pass; rollup of sequences too.
SELECT profiling.paths_send(profiling.rollup(p)) = (SELECT profiling.paths_send(p) FROM pp) AS rollup_is_one_pass
  FROM (SELECT profiling.paths(s, '14 days') AS p FROM ps GROUP BY customer < 'c') q;
SELECT profiling.item_sequence_send(profiling.rollup(s))
       = profiling.item_sequence_send((SELECT profiling.item_sequence(ordered_at, item) FROM ps_rows)) AS rollup_is_one_pass
  FROM ps;
SELECT profiling.rollup(p) FROM (VALUES (NULL::profiling.paths)) v(p);

-- Lossless text, both types.
SELECT s::text::profiling.item_sequence = s AS round_trip,
       profiling.item_sequence_send(s::text::profiling.item_sequence) = profiling.item_sequence_send(s) AS same_bytes
  FROM ps ORDER BY customer;
SELECT p::text::profiling.paths = p AS round_trip,
       profiling.paths_send(p::text::profiling.paths) = profiling.paths_send(p) AS same_bytes
  FROM pp;
-- Items with quotes, backslashes, commas, blanks, non-ASCII and the empty string; bare items.
SELECT s, profiling.item_count(s), s::text::profiling.item_sequence = s AS round_trip
  FROM (VALUES ('{(2025-01-01 00:00:00+00,"a \"b\", c\\d"),(2025-01-01 00:00:00+00,""),(2025-01-02 00:00:00+00,  " é ( ) "  )}'::profiling.item_sequence),
               ('{(2025-01-01 00:00:00+01, plain item ),(2025-01-01 00:00:00+01,plain item)}')) v(s);
SELECT p, p::text::profiling.paths = p AS round_trip
  FROM (VALUES ('{(1.5,2),("a\"",2),("b",1),("b","a\"",0.25),("a\"","b",1.000001)}'::profiling.paths)) v(p);

-- Slicing: as_of keeps the purchases at or before a time, during those inside a range.
SELECT profiling.as_of(s, '2025-01-11 10:00:00+00') AS as_of,
       profiling.during(s, tstzrange('2025-01-11 10:00:00+00', NULL)) AS during,
       profiling.during(s, 'empty') AS empty
  FROM ps WHERE customer = 'ann';

-- Comparison: = is "the same bytes", the operators and cmp are one order.
SELECT a, b, eq, lt, cmp, same_hash, same_hash_extended, same_bytes, antisymmetric
  FROM regress.comparisons('profiling.item_sequence', $$VALUES ('empty', '{}'::profiling.item_sequence),
        ('one', '{(2025-01-01 00:00:00+00,"1")}'), ('same, other zone', '{(2025-01-01 01:00:00+01,1)}'),
        ('other item', '{(2025-01-01 00:00:00+00,"2")}'), ('two', '{(2025-01-01 00:00:00+00,1),(2025-01-02 00:00:00+00,1)}')$$)
 ORDER BY a_row, b_row;
SELECT a, b, eq, lt, cmp, same_hash, same_bytes, antisymmetric
  FROM regress.comparisons('profiling.paths', $$VALUES ('none', '{(60,0)}'::profiling.paths),
        ('one', '{(60,1),("a",1)}'), ('other window', '{(61,1),("a",1)}'),
        ('a pair', '{(60,1),("a",1),("b",1),("a","b",1)}')$$)
 ORDER BY a_row, b_row;

-- A timestamp without time zone is refused (42804), with rows or without.
SELECT rows, e.*
  FROM (VALUES ('one row', 'VALUES (''2025-01-01 10:00:00''::timestamp)'),
               ('no rows', 'SELECT ''2025-01-01 10:00:00''::timestamp WHERE false')) AS q(rows, source),
       regress.error_of(format('SELECT profiling.item_sequence(t, 1::bigint) FROM (%s) s(t)', source)) AS e;

-- Bad rows and arguments: each error with its SQLSTATE.
SELECT what, e.*
  FROM (VALUES ('NULL time', $$SELECT profiling.item_sequence(NULL::timestamptz, 1::bigint)$$),
               ('infinite time', $$SELECT profiling.item_sequence('infinity'::timestamptz, 'x')$$),
               ('item too long', $$SELECT profiling.item_sequence(now(), repeat('x', 8193))$$),
               ('zero window', $$SELECT profiling.paths(s, '0') FROM ps$$),
               ('negative window', $$SELECT profiling.paths(s, '-1 day') FROM ps$$),
               ('window in months', $$SELECT profiling.paths(s, '1 month') FROM ps$$),
               ('NULL window', $$SELECT profiling.paths(s, NULL) FROM ps$$),
               ('windows differ', $$SELECT profiling.paths(s, CASE WHEN customer = 'ann' THEN '7 days' ELSE '14 days' END::interval) FROM ps$$),
               ('rollup, windows differ', $$SELECT profiling.rollup(p) FROM (VALUES ('{(60,0)}'::profiling.paths), ('{(120,0)}')) v(p)$$),
               ('support 0', $$SELECT * FROM profiling.sequence_rules('{(60,0)}', 0)$$),
               ('support above 1', $$SELECT * FROM profiling.sequence_rules('{(60,0)}', 1.5)$$),
               ('support NaN', $$SELECT * FROM profiling.sequence_rules('{(60,0)}', 'NaN')$$),
               ('confidence negative', $$SELECT * FROM profiling.sequence_rules('{(60,0)}', 0.1, -0.1)$$),
               ('confidence above 1', $$SELECT * FROM profiling.sequence_rules('{(60,0)}', 0.1, 2)$$)) AS v(what, statement),
       regress.error_of(statement) AS e;

-- Malformed literals: each a 22P02 (or a range error) saying where.
SELECT literal, e.*
  FROM (VALUES (''), ('{'), ('{}x'), ('{()}'), ('{(2025-01-01)}'), ('{(2025-01-01,)}'),
               ('{(2025-01-01,"a)}'), ('{(2025-01-01,"a"b)}'), ('{(2025-01-01,a"b)}'), ('{(2025-01-01,a,b)}'),
               ('{(2025-01-01,"a"),}'), ('{(yesterday,"a")}'), ('{(infinity,"a")}'), ('{(2025-13-01,"a")}'),
               ('{(01/02/2025,"a")}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.item_sequence', literal)) AS e;
SELECT literal, e.*
  FROM (VALUES ('{}'), ('{("a",1)}'), ('{(0,1)}'), ('{(-5,1)}'), ('{(1.1234567,1)}'), ('{(1e3,1)}'),
               ('{(60,-1)}'), ('{(60,1),(a,1)}'), ('{(60,1),("a",0)}'), ('{(60,1),("a",2)}'),
               ('{(60,1),("a",1),("a",1)}'), ('{(60,1),("a",1),("b",1),("a","b",61)}'),
               ('{(60,1),("a",1),("b",1),("a","b",0)}'), ('{(60,1),("a",1),("a","a",1)}'),
               ('{(60,1),("a",1),("a","b",1)}'), ('{(60,1),("a",1),("b",1),("a","b",1,2)}'),
               ('{(60,2),("a",2),("b",2),("a","b",1),("a","b",2)}'), ('{(60,1),("a",1),("b",1),("a","b")}'),
               ('{(99999999999999,1)}'), ('{(60,1),(60,1)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.paths', literal)) AS e;

-- Binary receive trusts nothing. What send writes, receive reads back identically.
SELECT customer, profiling.item_sequence_send(regress.binary_input(NULL::profiling.item_sequence, profiling.item_sequence_send(s)))
                 = profiling.item_sequence_send(s) AS binary_round_trip
  FROM ps ORDER BY customer;
SELECT profiling.paths_send(regress.binary_input(NULL::profiling.paths, profiling.paths_send(p)))
       = profiling.paths_send(p) AS binary_round_trip
  FROM pp;
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('version 2', '\x02000000000000000000'),
               ('unknown flag', '\x01010000000000000000'),
               ('negative count', '\x010000000000ffffffff'),
               ('more items than purchases', '\x01000000000100000000'),
               ('short', '\x0100000000010000000100000001' || '\x61'::bytea || int8send(0)),
               ('item length', '\x0100000000010000000100000002' || '\x61'::bytea || int8send(0) || int4send(0)),
               ('index out of range', '\x0100000000010000000100000001' || '\x61'::bytea || int8send(0) || int4send(1)),
               ('infinite time', '\x0100000000010000000100000001' || '\x61'::bytea || int8send(9223372036854775807) || int4send(0)),
               ('items out of order', '\x0100000000020000000200000001620000000161' || int8send(0) || int4send(0) || int8send(0) || int4send(1)),
               ('events out of order', '\x010000000001000000020000000161' || int8send(10) || int4send(0) || int8send(0) || int4send(0)),
               ('unused item', '\x0100000000020000000200000001610000000162' || int8send(0) || int4send(0) || int8send(1) || int4send(0)),
               ('bad encoding', '\x0100000000010000000100000001ff' || int8send(0) || int4send(0))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.item_sequence, %L::bytea)', payload)) AS e;
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('version 2', '\x0200' || int8send(60000000) || int8send(0) || int4send(0) || int4send(0) || int8send(0)),
               ('unknown flag', '\x0101' || int8send(60000000) || int8send(0) || int4send(0) || int4send(0) || int8send(0)),
               ('zero window', '\x0100' || int8send(0) || int8send(0) || int4send(0) || int4send(0) || int8send(0)),
               ('negative customers', '\x0100' || int8send(60000000) || int8send(-1) || int4send(0) || int4send(0) || int8send(0)),
               ('counts too large', '\x0100' || int8send(60000000) || int8send(1) || int4send(1000) || int4send(0) || int8send(0)),
               ('item without buyers', '\x0100' || int8send(60000000) || int8send(1) || int4send(1) || int4send(0) || int8send(0)
                                       || int4send(1) || '\x61'::bytea || int8send(0)),
               ('more buyers than customers', '\x0100' || int8send(60000000) || int8send(1) || int4send(1) || int4send(0) || int8send(0)
                                       || int4send(1) || '\x61'::bytea || int8send(2)),
               ('pair of one item', '\x0100' || int8send(60000000) || int8send(1) || int4send(1) || int4send(1) || int8send(1)
                                       || int4send(1) || '\x61'::bytea || int8send(1) || int4send(0) || int4send(0) || int4send(1) || int8send(1)),
               ('lag beyond window', '\x0100' || int8send(60000000) || int8send(1) || int4send(2) || int4send(1) || int8send(1)
                                       || int4send(1) || '\x61'::bytea || int8send(1) || int4send(1) || '\x62'::bytea || int8send(1)
                                       || int4send(0) || int4send(1) || int4send(1) || int8send(60000001)),
               ('lags out of order', '\x0100' || int8send(60000000) || int8send(2) || int4send(2) || int4send(1) || int8send(2)
                                       || int4send(1) || '\x61'::bytea || int8send(2) || int4send(1) || '\x62'::bytea || int8send(2)
                                       || int4send(0) || int4send(1) || int4send(2) || int8send(5) || int8send(4)),
               ('lag count mismatch', '\x0100' || int8send(60000000) || int8send(2) || int4send(2) || int4send(1) || int8send(2)
                                       || int4send(1) || '\x61'::bytea || int8send(2) || int4send(1) || '\x62'::bytea || int8send(2)
                                       || int4send(0) || int4send(1) || int4send(1) || int8send(5) || int8send(6))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.paths, %L::bytea)', payload)) AS e;

-- Damaged stored values: a newer format is 0A000, anything else XX001, in every function.
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes(p) AS raw FROM pp) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'unknown flag', set_byte(raw, 1, 2)),
                       (4, 'negative pair count', overlay(raw PLACING '\xffffffff'::bytea FROM 9)),
                       (5, 'last 8 bytes cut off', substr(raw, 1, length(raw) - 8))) AS v(id, what, bytes);
CREATE TABLE stored_calls (call text);
INSERT INTO stored_calls VALUES
  ('v::text'), ('profiling.paths_send(v)'), ('profiling.customer_count(v)'),
  ('(SELECT count(*) FROM profiling.sequence_rules(v))'), ('profiling.rollup(v)'), ('v = v'),
  ('profiling.paths_cmp(v, v)'), ('profiling.paths_hash(v)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL regress.error_of_stored(NULL::profiling.paths, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE raw_cases;
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes(s) AS raw FROM ps WHERE customer = 'ann') r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'reserved not zero', set_byte(raw, 3, 1)),
                       (4, 'more items than purchases', overlay(raw PLACING '\xff000000'::bytea FROM 9)),
                       (5, 'last byte cut off', substr(raw, 1, length(raw) - 1))) AS v(id, what, bytes);
DELETE FROM stored_calls;
INSERT INTO stored_calls VALUES
  ('v::text'), ('profiling.item_sequence_send(v)'), ('profiling.line_count(v)'), ('profiling.item_count(v)'),
  ('profiling.as_of(v, ''2026-01-01'')'), ('profiling.during(v, tstzrange(NULL, NULL))'),
  ('profiling.rollup(v)'), ('profiling.paths(v, ''1 day'')'), ('v = v'), ('profiling.item_sequence_hash(v)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL regress.error_of_stored(NULL::profiling.item_sequence, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE raw_cases, stored_calls;

-- On the tiny sample warehouse: C (product 3) then D (product 4), 12 to 16 days later.
SELECT r.*
  FROM (SELECT profiling.paths(s, '30 days') AS p
          FROM (SELECT profiling.item_sequence(o.ordered_at, l.product_id) AS s
                  FROM shop.order_lines l JOIN shop.orders o USING (order_id) GROUP BY o.customer_id) q) q,
       profiling.sequence_rules(p, 0.05, 0.5) r
 WHERE first_item = '3';

DROP TABLE ps, pp, ps_rows;
