-- baskets: the cross-sell summary, its aggregates, association rules and cross_sell, with the
-- hand-checked acceptance fixture, the tiny warehouse, edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET extra_float_digits = 0;

-- The acceptance fixture: seven baskets of beer, diapers and chips.
CREATE TABLE bk_fixture (id int, items text[]);
INSERT INTO bk_fixture VALUES
  (1, '{beer,diapers,chips}'), (2, '{beer,diapers}'), (3, '{beer,diapers}'), (4, '{beer,chips}'),
  (5, '{beer}'), (6, '{beer,diapers,chips}'), (7, '{beer,diapers}');
CREATE TABLE bk_summary AS SELECT profiling.baskets(items) AS b FROM bk_fixture;
SELECT b FROM bk_summary;
-- min_support 0.25 and min_confidence 0.5: diapers -> beer (support 0.714, confidence 1, lift 1),
-- beer -> diapers (confidence 0.714), chips -> beer (support 0.429, confidence 1), chips ->
-- diapers (support 0.286, confidence 0.667, lift 0.933). beer -> chips (0.429) and diapers ->
-- chips (0.4) fall below min_confidence.
SELECT antecedent, consequent, pair_count, antecedent_count, consequent_count,
       round(support::numeric, 3) AS support, round(confidence::numeric, 3) AS confidence,
       round(lift::numeric, 3) AS lift, round(conviction::numeric, 3) AS conviction,
       round(leverage::numeric, 4) AS leverage
  FROM bk_summary, profiling.association_rules(b, 0.25, 0.5);
-- Every pair, both directions, at full precision; conviction is Infinity at confidence 1.
SET extra_float_digits = 1;
SELECT r.* FROM bk_summary, profiling.association_rules(b, min_support => 0.01) r;
SET extra_float_digits = 0;
-- min_lift 1 drops the rules below chance; min_support 1 keeps pairs in every basket (none).
SELECT antecedent, consequent, round(lift::numeric, 4) AS lift
  FROM bk_summary, profiling.association_rules(b, 0.01, 0, 1);
SELECT count(*) AS in_every_basket FROM bk_summary, profiling.association_rules(b, 1);
-- cross_sell: the rules of one item, best first: confidence, then lift, then the item.
SELECT consequent, pair_count, round(confidence::numeric, 3) AS confidence, round(lift::numeric, 3) AS lift
  FROM bk_summary, profiling.cross_sell(b, 'chips');
SELECT consequent, round(confidence::numeric, 3) AS confidence
  FROM bk_summary, profiling.cross_sell(b, 'beer', 1);
SELECT count(*) AS unknown_item FROM bk_summary, profiling.cross_sell(b, 'wine');
SELECT count(*) AS top_0 FROM bk_summary, profiling.cross_sell(b, 'beer', 0);
SELECT profiling.basket_count(b), profiling.pair_error(b) FROM bk_summary;

-- bigint items: the same rules as their text; cross_sell takes the item as a number or as text.
CREATE TABLE bk_codes AS
SELECT profiling.baskets(ARRAY(SELECT CASE x WHEN 'beer' THEN 10 WHEN 'diapers' THEN 2 ELSE 300 END::bigint
                                 FROM unnest(items) x)) AS b
  FROM bk_fixture;
SELECT b FROM bk_codes;
SELECT antecedent, consequent, pair_count, round(confidence::numeric, 3) AS confidence
  FROM bk_codes, profiling.association_rules(b, 0.25, 0.5);
SELECT consequent, pair_count FROM bk_codes, profiling.cross_sell(b, 300);
SELECT consequent, pair_count FROM bk_codes, profiling.cross_sell(b, '300');
SELECT count(*) AS not_a_number FROM bk_codes, profiling.cross_sell(b, 'beer');

-- Duplicates inside a basket count once; NULL arrays, NULL elements, empty arrays and arrays
-- of NULLs are skipped (the basket count N counts baskets with at least one item).
SELECT profiling.baskets(items) AS b
  FROM (VALUES ('{a,a,b,a}'::text[]), (NULL), ('{}'), ('{NULL,NULL}'), ('{b,NULL,c}'), ('{""}')) AS v(items);
SELECT profiling.baskets(items) AS b
  FROM (VALUES ('{5,5,5}'::bigint[]), ('{{1,2},{2,NULL}}'), ('{-9223372036854775808,9223372036854775807}')) AS v(items);
-- No rows, only NULLs, one basket of one item: no pairs, no rules.
SELECT profiling.baskets(items) AS no_rows FROM bk_fixture WHERE false;
SELECT profiling.baskets(NULL::bigint[]) AS all_null FROM generate_series(1, 3);
SELECT b AS one_item, (SELECT count(*) FROM profiling.association_rules(b, 1)) AS rules
  FROM (SELECT profiling.baskets('{solo}'::text[]) AS b) s;
SELECT count(*) AS rules_of_nothing FROM profiling.association_rules('{(none,0,0,1000000)}', 0.5);
-- Text items are quoted: any character survives the text form.
SELECT b, b::text::profiling.baskets = b AS round_trip
  FROM (SELECT profiling.baskets(ARRAY['a "quoted" item', 'back\slash', 'comma, (paren)', 'été']) AS b) s;
-- Items of both kinds in one summary are refused.
SELECT * FROM regress.error_of($$SELECT profiling.rollup(b) FROM (SELECT b FROM bk_summary UNION ALL SELECT b FROM bk_codes) s$$);

-- The tiny warehouse: one basket per order, products as bigint and as text.
CREATE TABLE bk_orders AS
SELECT order_id, array_agg(product_id ORDER BY product_id) AS items
  FROM shop.order_lines GROUP BY order_id;
SELECT profiling.basket_count(b), profiling.pair_error(b), length(b::text) AS text_length
  FROM (SELECT profiling.baskets(items) AS b FROM bk_orders) s;
SELECT antecedent, consequent, pair_count, antecedent_count, consequent_count,
       round(support::numeric, 4) AS support, round(confidence::numeric, 4) AS confidence,
       round(lift::numeric, 4) AS lift
  FROM (SELECT profiling.baskets(items) AS b FROM bk_orders) s, profiling.association_rules(b, 0.02, 0.3);
-- The planted strong pair, as the truth table states it.
SELECT t.fact, t.product_id, t.other_product_id, t.value,
       round(r.confidence::numeric, 6) AS confidence, round(r.support::numeric, 6) AS support,
       round(r.lift::numeric, 6) AS lift
  FROM shop.truth t,
       (SELECT profiling.baskets(items) AS b FROM bk_orders) s,
       profiling.association_rules(b, 0.001) r
 WHERE t.fact LIKE 'strong_pair%' AND r.antecedent = t.product_id::text AND r.consequent = t.other_product_id::text
 ORDER BY t.fact;
-- bigint and text items give the same rules.
CREATE TABLE bk_kinds AS
SELECT (SELECT profiling.baskets(items) FROM bk_orders) AS numbers,
       (SELECT profiling.baskets(items::text[]) FROM bk_orders) AS texts;
SELECT (SELECT count(*) FROM bk_kinds, profiling.association_rules(numbers, 0.001)) AS rules,
       count(*) AS differences FROM (
  (SELECT r.* FROM bk_kinds, profiling.association_rules(numbers, 0.001) r
   EXCEPT ALL SELECT r.* FROM bk_kinds, profiling.association_rules(texts, 0.001) r)
  UNION ALL
  (SELECT r.* FROM bk_kinds, profiling.association_rules(texts, 0.001) r
   EXCEPT ALL SELECT r.* FROM bk_kinds, profiling.association_rules(numbers, 0.001) r)) d;

-- The pair budget. Below it, exact (pair_error 0); rollup of two halves is one pass.
SELECT profiling.rollup(b) = (SELECT profiling.baskets(items) FROM bk_orders) AS rollup_is_one_pass,
       profiling.baskets_send(profiling.rollup(b)) = (SELECT profiling.baskets_send(profiling.baskets(items)) FROM bk_orders) AS same_bytes
  FROM (SELECT profiling.baskets(items) AS b FROM bk_orders GROUP BY order_id % 2) s;
-- At the budget, the frequent-pair algorithm keeps the heaviest pairs: each pair count is at
-- most pair_error below the truth, and pair_error <= 2 x pair occurrences / max_pairs.
CREATE TABLE bk_budget AS
SELECT (SELECT profiling.baskets(items) FROM bk_orders) AS exact,
       (SELECT profiling.baskets(items, 100) FROM bk_orders) AS approximate,
       (SELECT sum(cardinality(items) * (cardinality(items) - 1) / 2) FROM bk_orders) AS pair_occurrences;
SELECT profiling.pair_error(approximate) AS pair_error,
       profiling.pair_error(approximate) <= 2 * pair_occurrences / 100 AS within_bound,
       (SELECT count(*) FROM profiling.association_rules(approximate, 0.0001)) / 2 AS pairs_kept
  FROM bk_budget;
SELECT count(*) AS counts_outside_the_bound
  FROM bk_budget, profiling.association_rules(exact, 0.0001) e
  LEFT JOIN profiling.association_rules(approximate, 0.0001) a USING (antecedent, consequent)
 WHERE coalesce(a.pair_count, 0) > e.pair_count
    OR coalesce(a.pair_count, 0) < e.pair_count - profiling.pair_error(approximate);
-- The heaviest pair survives with its count within the bound.
SELECT e.antecedent, e.consequent, e.pair_count AS exact, a.pair_count AS kept
  FROM bk_budget, LATERAL (SELECT * FROM profiling.association_rules(exact, 0.0001) ORDER BY pair_count DESC, antecedent, consequent LIMIT 1) e
  JOIN profiling.association_rules(approximate, 0.0001) a USING (antecedent, consequent);
SELECT * FROM regress.error_of($$SELECT profiling.baskets(items, 15) FROM bk_orders$$);
SELECT * FROM regress.error_of($$SELECT profiling.baskets(items, NULL) FROM bk_orders$$);
-- A basket of more than 10,000 distinct items is refused; 10,000 are counted (50 million pairs
-- would take long: this one keeps 1,000 items).
SELECT * FROM regress.error_of($$SELECT profiling.baskets(ARRAY(SELECT generate_series(1, 100000)::bigint))$$);
SELECT profiling.basket_count(profiling.baskets(ARRAY(SELECT generate_series(1, 1000)::bigint), 1000)) AS thousand_items;
SELECT profiling.pair_error(profiling.baskets(ARRAY(SELECT generate_series(1, 1000)::bigint), 1000)) > 0 AS approximate;

-- Bad arguments (22023).
SELECT what, e.*
  FROM (VALUES ('min_support 0', 'association_rules(b, 0)'),
               ('min_support above 1', 'association_rules(b, 1.5)'),
               ('min_support negative', 'association_rules(b, -0.1)'),
               ('min_support NaN', $$association_rules(b, 'NaN')$$),
               ('min_confidence negative', 'association_rules(b, 0.1, -0.5)'),
               ('min_confidence above 1', 'association_rules(b, 0.1, 2)'),
               ('min_lift negative', 'association_rules(b, 0.1, 0, -1)'),
               ('min_lift NaN', $$association_rules(b, 0.1, 0, 'NaN')$$),
               ('top negative', $$cross_sell(b, 'beer', -1)$$)) AS v(what, call),
       regress.error_of(format('SELECT count(*) FROM bk_summary, profiling.%s', call)) e;

-- Text input: elements in any order, blanks, pairs in either item order; the output is canonical.
SELECT '{ (text, 3, 0, 100), ("b","a",1), ("a",2) ,("b", 2)}'::profiling.baskets AS canonical;
SELECT '{(bigint,3,0,100),(20,2),(3,2),(20,3,1)}'::profiling.baskets AS numbers_in_order;
SELECT '{(none,0,0,16)}'::profiling.baskets AS empty, '{(text,0,0,16)}'::profiling.baskets AS empty_too;
-- Malformed and inconsistent literals: 22P02 (syntax), 22023 (counts that do not hold
-- together, budget), 22003 (out of range).
SELECT literal, e.error_code, e.message, e.detail
  FROM (VALUES (''), ('{}'), ('{(text,1,0)}'), ('{(texts,1,0,16)}'), ('{("text",1,0,16)}'),
               ('{(text,1,0,16),(a,1)}'), ('{(text,1,0,16),("a,1)}'), ('{(text,1,0,16),("a\x",1)}'),
               ('{(bigint,1,0,16),("1",1)}'), ('{(bigint,1,0,16),(1.5,1)}'), ('{(bigint,1,0,16),(1,1)'),
               ('{(bigint,1,0,16),(1,1)} x'), ('{(bigint,1,0,16),(1,1,1,1)}'), ('{(bigint,1,0,16),(1)}'),
               ('{(bigint,1,0,16),(99999999999999999999,1)}'), ('{(bigint,-1,0,16)}'),
               ('{(bigint,1,-1,16),(1,1)}'), ('{(bigint,1,0,15),(1,1)}'), ('{(bigint,1,0,16),(1,0)}'),
               ('{(bigint,1,0,16),(1,2)}'), ('{(bigint,1,0,16),(1,1),(1,1)}'),
               ('{(bigint,2,0,16),(1,1),(2,1),(1,2,2)}'), ('{(bigint,2,0,16),(1,1),(1,3,1)}'),
               ('{(bigint,2,0,16),(1,1),(1,1,1)}'), ('{(bigint,2,0,16),(1,2),(2,2),(1,2,1),(2,1,1)}'),
               ('{(bigint,2,0,16),(1,2),(2,2),(1,2,0)}'), ('{(none,1,0,16)}'), ('{(none,0,1,16)}'),
               ('{(none,0,0,16),(1,1)}'), ('{(bigint,1,0,16)}'), ('{(text,1,0,16),("a",1)},')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.baskets', literal)) AS e;

-- Binary form: what send writes, receive reads back byte for byte; receive trusts nothing.
SELECT profiling.baskets_send('{(text,2,0,16),("a",2),("b",1),("a","b",1)}') AS binary;
SELECT profiling.baskets_send(regress.binary_input(NULL::profiling.baskets, profiling.baskets_send(b))) = profiling.baskets_send(b) AS round_trip
  FROM (SELECT b FROM bk_summary UNION ALL SELECT b FROM bk_codes UNION ALL SELECT '{(none,0,0,16)}'
        UNION ALL SELECT profiling.baskets(items, 16) FROM bk_orders) AS t(b);
-- header: version, kind, nitems (4), nbaskets, npairs, pair_error, max_pairs (8 each)
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('short header', '\x0100000000'),
               ('version 2', '\x0200' || int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(16)),
               ('unknown kind', '\x0103' || int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(16)),
               ('kind without items', '\x0101' || int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(16)),
               ('baskets without items', '\x0100' || int4send(0) || int8send(1) || int8send(0) || int8send(0) || int8send(16)),
               ('budget too small', '\x0100' || int4send(0) || int8send(0) || int8send(0) || int8send(0) || int8send(15)),
               ('pairs without items', '\x0100' || int4send(0) || int8send(0) || int8send(1) || int8send(0) || int8send(16)),
               ('negative item count', '\x0101' || int4send(-1) || int8send(1) || int8send(0) || int8send(0) || int8send(16)),
               ('items missing', '\x0101' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16)),
               ('one byte too many', '\x0101' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int8send(7) || int8send(1) || '\x00'::bytea),
               ('count zero', '\x0101' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int8send(7) || int8send(0)),
               ('count above baskets', '\x0101' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int8send(7) || int8send(2)),
               ('items descending', '\x0101' || int4send(2) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int8send(7) || int8send(1) || int8send(6) || int8send(1)),
               ('text length too long', '\x0102' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int4send(9) || '\x61'::bytea || int8send(1)),
               ('text with a zero byte', '\x0102' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int4send(1) || '\x00'::bytea || int8send(1)),
               ('text not UTF-8', '\x0102' || int4send(1) || int8send(1) || int8send(0) || int8send(0) || int8send(16) || int4send(1) || '\xff'::bytea || int8send(1)),
               ('pair of one item', '\x0101' || int4send(2) || int8send(1) || int8send(1) || int8send(0) || int8send(16) || int8send(6) || int8send(1) || int8send(7) || int8send(1) || int4send(0) || int4send(0) || int8send(1)),
               ('pair out of range', '\x0101' || int4send(2) || int8send(1) || int8send(1) || int8send(0) || int8send(16) || int8send(6) || int8send(1) || int8send(7) || int8send(1) || int4send(0) || int4send(2) || int8send(1)),
               ('pair count above an item', '\x0101' || int4send(2) || int8send(2) || int8send(1) || int8send(0) || int8send(16) || int8send(6) || int8send(1) || int8send(7) || int8send(2) || int4send(0) || int4send(1) || int8send(2)),
               ('pairs descending', '\x0101' || int4send(3) || int8send(1) || int8send(2) || int8send(0) || int8send(16) || int8send(5) || int8send(1) || int8send(6) || int8send(1) || int8send(7) || int8send(1)
                                    || int4send(0) || int4send(2) || int8send(1) || int4send(0) || int4send(1) || int8send(1)),
               ('more pairs than the budget', '\x0101' || int4send(2) || int8send(1) || int8send(17) || int8send(0) || int8send(16))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.baskets, %L::bytea)', payload)) AS e;
-- A crafted valid value reads.
SELECT regress.binary_input(NULL::profiling.baskets,
                            '\x0101' || int4send(2) || int8send(2) || int8send(1) || int8send(5) || int8send(16)
                            || int8send(6) || int8send(2) || int8send(7) || int8send(1) || int4send(0) || int4send(1) || int8send(1)) AS crafted;

-- = is "the same counts and budget", by the bytes; <>, the btree order, cmp and both hashes agree.
CREATE TABLE bk_eq (id int, what text, b profiling.baskets);
INSERT INTO bk_eq VALUES
  (1, 'base',                 '{(text,2,0,16),("a",2),("b",1),("a","b",1)}'),
  (2, 'the same, other text', '{ (text,2,0,16), ("b","a",1), ("b",1), ("a",2) }'),
  (3, 'a basket more',        '{(text,3,0,16),("a",2),("b",1),("a","b",1)}'),
  (4, 'another budget',       '{(text,2,0,17),("a",2),("b",1),("a","b",1)}'),
  (5, 'a pair less',          '{(text,2,0,16),("a",2),("b",1)}'),
  (6, 'bigint items',         '{(bigint,2,0,16),(1,2),(2,1),(1,2,1)}');
SELECT a AS what, eq, ne, lt, le, gt, ge, cmp, same_hash, same_hash_extended, same_bytes
  FROM regress.comparisons('profiling.baskets', 'SELECT what, b FROM bk_eq ORDER BY id')
 WHERE b = 'base' ORDER BY a_row;
SELECT a, b
  FROM regress.comparisons('profiling.baskets', 'SELECT what, b FROM bk_eq ORDER BY id')
 WHERE eq IS DISTINCT FROM same_bytes OR ne IS DISTINCT FROM NOT eq
    OR lt IS DISTINCT FROM (cmp < 0) OR le IS DISTINCT FROM (cmp <= 0)
    OR gt IS DISTINCT FROM (cmp > 0) OR ge IS DISTINCT FROM (cmp >= 0)
    OR antisymmetric IS NOT TRUE OR (eq AND NOT (same_hash AND same_hash_extended));
SELECT array_agg(id ORDER BY id) AS ids FROM bk_eq GROUP BY b ORDER BY b;

-- A stored value this version cannot read is an error (XX001; 0A000 for a newer format).
-- The header: version, kind, reserved1 (2 bytes), nitems (4), reserved2 (4), then nbaskets,
-- npairs, pair_error, max_pairs (8 bytes each, machine order).
CREATE TABLE bk_raw AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(bigint,2,0,16),(1,2),(2,1),(1,2,1)}'::profiling.baskets) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'version 0', set_byte(raw, 0, 0)),
                       (4, 'unknown kind', set_byte(raw, 1, 7)),
                       (5, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (6, 'reserved2 not zero', set_byte(raw, 11, 1)),
                       (7, 'negative item count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (8, 'pair of item 9', overlay(raw PLACING '\x09000000'::bytea FROM length(raw) - 3)),
                       (9, 'last 8 bytes cut off', substr(raw, 1, length(raw) - 8)),
                       (10, 'header cut', substr(raw, 1, 10))) AS v(id, what, bytes);
CREATE TABLE bk_calls (call text);
INSERT INTO bk_calls VALUES
  ('v::text'), ('profiling.baskets_send(v)'), ('(SELECT count(*) FROM profiling.association_rules(v))'),
  ('(SELECT count(*) FROM profiling.cross_sell(v, 1))'), ('profiling.basket_count(v)'), ('profiling.pair_error(v)'),
  ('profiling.rollup(v)'), ('v = v'), ('profiling.baskets_cmp(v, v)'), ('profiling.baskets_hash(v)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM bk_calls, bk_raw, LATERAL regress.error_of_stored(NULL::profiling.baskets, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;

-- From the order lines: baskets(order_id, item) groups the lines by order itself and gives the
-- summary of baskets(items) over one array an order, byte for byte, whatever the lines' order.
CREATE TABLE bk_lines AS
SELECT id::bigint AS order_id, item, row_number() OVER () AS line
  FROM bk_fixture, unnest(items) AS item;
SELECT profiling.baskets(order_id, item) AS from_lines FROM bk_lines;
SELECT profiling.baskets_send(profiling.baskets(order_id, item)) = (SELECT profiling.baskets_send(b) FROM bk_summary) AS same_bytes,
       (SELECT profiling.baskets_send(profiling.baskets(order_id, item ORDER BY line DESC)) FROM bk_lines)
         = (SELECT profiling.baskets_send(b) FROM bk_summary) AS reversed,
       (SELECT profiling.baskets_send(profiling.baskets(order_id, item ORDER BY line % 3, line)) FROM bk_lines)
         = (SELECT profiling.baskets_send(b) FROM bk_summary) AS orders_in_parts
  FROM bk_lines;
-- An order whose lines come apart counts once, as the union of its lines: two orders
-- interleaved, and an order coming back after others; a repeated item counts once.
SELECT profiling.baskets(o, i ORDER BY k) AS interleaved
  FROM (VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 10, 'b'), (4, 20, 'c'), (5, 30, 'a'), (6, 10, 'c'), (7, 10, 'a')) v(k, o, i);
-- NULL orders and NULL items are skipped; an order of NULL items only is no basket; no rows, and
-- only NULLs, give the empty summary.
SELECT profiling.baskets(o, i) AS nulls_skipped
  FROM (VALUES (1::bigint, 'a'), (1, NULL), (NULL, 'b'), (NULL, 'c'), (2, NULL), (3, 'a'), (3, 'b')) v(o, i);
SELECT profiling.baskets(order_id, item) AS no_rows FROM bk_lines WHERE false;
SELECT profiling.baskets(NULL::bigint, NULL::bigint) AS all_null FROM generate_series(1, 3);
-- The tiny warehouse: lines in table order, shuffled, and as text give the arrays' summary.
SELECT profiling.baskets_send(profiling.baskets(order_id, product_id)) = (SELECT profiling.baskets_send(profiling.baskets(items)) FROM bk_orders) AS bigint_lines,
       (SELECT profiling.baskets_send(profiling.baskets(order_id, product_id ORDER BY hashint8(product_id * 7919 + order_id))) FROM shop.order_lines)
         = (SELECT profiling.baskets_send(profiling.baskets(items)) FROM bk_orders) AS shuffled,
       (SELECT profiling.baskets_send(profiling.baskets(order_id, product_id::text)) FROM shop.order_lines)
         = (SELECT profiling.baskets_send(profiling.baskets(items::text[])) FROM bk_orders) AS text_lines
  FROM shop.order_lines;
-- As a running window aggregate: each row's summary holds the lines so far (the final function
-- seals the open order, and the next line of that order merges into it).
SELECT line, order_id, item, profiling.basket_count(b) AS baskets,
       (SELECT string_agg(antecedent || '>' || consequent || ':' || pair_count, ' ' ORDER BY antecedent, consequent)
          FROM profiling.association_rules(b, 0.01) WHERE antecedent < consequent) AS pairs
  FROM (SELECT line, order_id, item, profiling.baskets(order_id, item) OVER (ORDER BY line) AS b
          FROM bk_lines WHERE order_id <= 3) s
 ORDER BY line;
-- The pair budget: the same bound as the arrays' (each pair count at most pair_error below the
-- truth), lines in order or shuffled.
SELECT profiling.pair_error(b) AS pair_error, profiling.pair_error(b) <= 2 * pair_occurrences / 100 AS within_bound,
       (SELECT count(*) FROM profiling.association_rules(exact, 0.0001) e
          LEFT JOIN profiling.association_rules(b, 0.0001) a USING (antecedent, consequent)
         WHERE coalesce(a.pair_count, 0) > e.pair_count
            OR coalesce(a.pair_count, 0) < e.pair_count - profiling.pair_error(b)) AS counts_outside_the_bound
  FROM bk_budget,
       LATERAL (SELECT profiling.baskets(order_id, product_id, 100) AS b FROM shop.order_lines
                UNION ALL
                SELECT profiling.baskets(order_id, product_id, 100 ORDER BY hashint8(product_id * 7919 + order_id)) FROM shop.order_lines) s;
-- A huge order: more than 10,000 distinct items is refused (54000), its lines together or
-- apart; 30,000 lines of 3 items are one basket of 3; 1,000 items are counted.
SELECT * FROM regress.error_of($$SELECT profiling.baskets(1::bigint, i::bigint) FROM generate_series(1, 100000) i$$);
SELECT * FROM regress.error_of($$SELECT profiling.baskets(i % 2 * 7, i::bigint) FROM generate_series(1, 30000) i$$);
SELECT profiling.baskets(1::bigint, i::bigint % 3) AS three_items FROM generate_series(1, 30000) i;
SELECT profiling.basket_count(b) AS thousand_items, profiling.pair_error(b) > 0 AS approximate
  FROM (SELECT profiling.baskets(1::bigint, i::bigint, 1000) AS b FROM generate_series(1, 1000) i) s;
SELECT * FROM regress.error_of($$SELECT profiling.baskets(order_id, product_id, 15) FROM shop.order_lines$$);
SELECT * FROM regress.error_of($$SELECT profiling.baskets(order_id, product_id::text, NULL) FROM shop.order_lines$$);

DROP TABLE bk_fixture, bk_summary, bk_codes, bk_orders, bk_kinds, bk_budget, bk_eq, bk_raw, bk_calls, bk_lines;
