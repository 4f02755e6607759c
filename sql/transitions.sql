-- transitions: the summary type of the moves between lifecycle stages over a period, its
-- aggregates transitions(from_stage, to_stage) and rollup(transitions), transition_rates and
-- transition_count, with hand-checked values, edge cases, text and binary forms, and every error.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET extra_float_digits = 1;

-- ============================================================================================
-- The aggregate
-- ============================================================================================

-- Ten customers, their stage at the start and at the end of a period: two prospects register
-- and one stays a prospect, three new buyers of whom one buys again, a repeat buyer becomes a
-- VIP, a VIP goes dormant, a dormant customer churns. Three rows with a NULL stage (a customer
-- not there at the start, one without an end stage, neither) are skipped.
CREATE TABLE tr_customers (id int, s0 profiling.lifecycle_stage, s1 profiling.lifecycle_stage);
INSERT INTO tr_customers VALUES
  (1, 'prospect', 'registered'), (2, 'prospect', 'registered'), (3, 'prospect', 'prospect'),
  (4, 'new', 'new'), (5, 'new', 'repeat'), (6, 'new', 'new'), (7, 'repeat', 'vip'),
  (8, 'vip', 'dormant'), (9, 'dormant', 'churned'), (10, 'registered', 'registered'),
  (11, NULL, 'new'), (12, 'active', NULL), (13, NULL, NULL);
SELECT profiling.transitions(s0, s1) AS t FROM tr_customers;
-- The same with the rows of the same customers in another order: the same value.
SELECT profiling.transitions(s0, s1 ORDER BY id DESC)::text = profiling.transitions(s0, s1)::text AS order_free
  FROM tr_customers;
-- One row; no row; only rows with a NULL stage: NULL, as sum() over no rows.
SELECT profiling.transitions('new', 'repeat') AS one_row;
SELECT profiling.transitions(s0, s1) IS NULL AS no_rows FROM tr_customers WHERE false;
SELECT profiling.transitions(s0, s1) IS NULL AS only_null_stages FROM tr_customers WHERE s0 IS NULL OR s1 IS NULL;
-- All 64 pairs, once each, and twice each: every cell, sorted by from, then to, in enum order.
SELECT profiling.transitions(a, b) AS all_pairs
  FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) a, unnest(enum_range(NULL::profiling.lifecycle_stage)) b;
SELECT count(*) AS rows, sum(customers) AS customers, min(rate) AS min_rate, max(rate) AS max_rate
  FROM profiling.transition_rates((SELECT profiling.transitions(a, b)
                                     FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) a,
                                          unnest(enum_range(NULL::profiling.lifecycle_stage)) b,
                                          generate_series(1, 2)));
-- GROUP BY: one summary a group (here customers with odd and even ids).
SELECT id % 2 AS odd, profiling.transitions(s0, s1) FROM tr_customers GROUP BY 1 ORDER BY 1;
-- A window: the running matrix (the final function leaves the state to add to).
SELECT id, profiling.transitions(s0, s1) OVER (ORDER BY id) AS running
  FROM tr_customers WHERE id <= 5 ORDER BY id;
-- Stages typed as text literals are read as lifecycle_stage; a domain over the enum works too.
CREATE DOMAIN tr_stage AS profiling.lifecycle_stage CHECK (VALUE <> 'churned');
SELECT profiling.transitions(s0::tr_stage, 'vip'::tr_stage) FROM tr_customers WHERE id IN (4, 7);
SELECT profiling.transition_count('{(vip,dormant,4)}', 'vip'::tr_stage, 'dormant'::tr_stage) AS through_a_domain;
DROP DOMAIN tr_stage;
-- A label that is no stage is the enum's own input error.
SELECT e.* FROM regress.error_of($$SELECT profiling.transitions('new', 'gold')$$) e;

-- ============================================================================================
-- transition_rates, transition_count
-- ============================================================================================

-- One row per pair with customers, by from_stage, then to_stage; rate = customers / the
-- customers of the from-stage: prospects 2/3 registered, 1/3 stay; new buyers 2/3 stay new.
SELECT * FROM profiling.transition_rates((SELECT profiling.transitions(s0, s1) FROM tr_customers));
-- The rates of each from-stage sum to 1 (expect none listed).
SELECT from_stage, sum(rate)
  FROM profiling.transition_rates((SELECT profiling.transitions(s0, s1) FROM tr_customers))
 GROUP BY from_stage HAVING abs(sum(rate) - 1) > 1e-15;
-- The heat map of a dashboard: every pair, zero where no customer moved.
SELECT a AS from_stage, b AS to_stage, coalesce(r.rate, 0) AS rate
  FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) a CROSS JOIN unnest(enum_range(NULL::profiling.lifecycle_stage)) b
  LEFT JOIN profiling.transition_rates((SELECT profiling.transitions(s0, s1) FROM tr_customers)) r
         ON r.from_stage = a AND r.to_stage = b
 WHERE a IN ('prospect', 'new') ORDER BY a, b;
-- Huge counts: the rates are those of float8 (the total of a from-stage is summed in float8).
SELECT * FROM profiling.transition_rates('{(new,new,9223372036854775807),(new,repeat,9223372036854775807),(vip,vip,1)}');
-- The empty summary has no rows; NULL in, no rows out.
SELECT count(*) AS empty FROM profiling.transition_rates('{}');
SELECT count(*) AS null_summary FROM profiling.transition_rates(NULL);
-- transition_count: one cell, 0 where no customer moved; NULL in, NULL out.
SELECT profiling.transition_count(t, 'prospect', 'registered') AS prospect_registered,
       profiling.transition_count(t, 'new', 'new') AS new_new,
       profiling.transition_count(t, 'registered', 'prospect') AS registered_prospect,
       profiling.transition_count(t, NULL, 'new') IS NULL AS null_stage,
       profiling.transition_count(NULL, 'new', 'new') IS NULL AS null_summary
  FROM (SELECT profiling.transitions(s0, s1) AS t FROM tr_customers) x;
-- transition_count = the rows of transition_rates (expect none listed).
SELECT a, b
  FROM (SELECT profiling.transitions(s0, s1) AS t FROM tr_customers) x,
       unnest(enum_range(NULL::profiling.lifecycle_stage)) a, unnest(enum_range(NULL::profiling.lifecycle_stage)) b
 WHERE profiling.transition_count(t, a, b)
       IS DISTINCT FROM coalesce((SELECT customers FROM profiling.transition_rates(t) WHERE from_stage = a AND to_stage = b), 0);

-- ============================================================================================
-- rollup
-- ============================================================================================

-- Two halves give the one pass; NULL summaries are skipped; only NULLs give NULL; the empty
-- summary is a summary.
SELECT profiling.rollup(t)::text = (SELECT profiling.transitions(s0, s1)::text FROM tr_customers) AS halves_are_one_pass
  FROM (SELECT profiling.transitions(s0, s1) AS t FROM tr_customers GROUP BY id % 2
        UNION ALL SELECT NULL) s;
SELECT profiling.rollup(t) IS NULL AS only_nulls FROM (VALUES (NULL::profiling.transitions)) AS v(t);
SELECT profiling.rollup(t) AS no_rows FROM (VALUES (NULL::profiling.transitions)) AS v(t) WHERE false;
SELECT profiling.rollup(t) AS empty FROM (VALUES ('{}'::profiling.transitions), (NULL)) AS v(t);
-- Counts add up to bigint's limit exactly; one more is an error (22003), in any cell.
SELECT profiling.rollup(t) AS at_the_limit
  FROM (VALUES ('{(new,repeat,9223372036854775806),(vip,vip,1)}'::profiling.transitions), ('{(new,repeat,1),(vip,vip,2)}')) AS v(t);
SELECT e.* FROM regress.error_of($$
    SELECT profiling.rollup(t)
      FROM (VALUES ('{(new,repeat,9223372036854775806)}'::profiling.transitions), ('{(new,repeat,2)}')) AS v(t)$$) e;
SELECT e.* FROM regress.error_of($$
    SELECT profiling.rollup(t) FROM (VALUES ('{(churned,churned,4611686018427387904)}'::profiling.transitions)) AS v(t), generate_series(1, 2)$$) e;
-- The aggregate itself, on top of a stored count at the limit (rollup of the two), overflows too.
SELECT e.* FROM regress.error_of($$
    SELECT profiling.rollup(t)
      FROM (SELECT '{(prospect,prospect,9223372036854775807)}'::profiling.transitions
            UNION ALL SELECT profiling.transitions('prospect', 'prospect')) AS v(t)$$) e;

-- ============================================================================================
-- Text form
-- ============================================================================================

-- Canonical: cells in enum order whatever the input order, zero cells left out, blanks ignored.
SELECT ' { ( vip , vip , 1 ) ,(new,repeat,+3), (prospect,registered,0),(prospect , active,007) } '::profiling.transitions AS canonical;
SELECT '{}'::profiling.transitions AS empty, ' {  } '::profiling.transitions AS blanks,
       '{(new,new,0)}'::profiling.transitions AS only_zero;
-- Lossless: the text reads back to the same bytes (send), for the empty value, the largest
-- counts and all 64 cells.
SELECT what, profiling.transitions_send(t::text::profiling.transitions) = profiling.transitions_send(t) AS same_bytes,
       length(t::text) AS text_length
  FROM (VALUES ('empty', '{}'::profiling.transitions),
               ('largest', '{(prospect,prospect,9223372036854775807),(churned,churned,9223372036854775807)}'),
               ('all 64 cells', (SELECT profiling.transitions(a, b)
                                   FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) a,
                                        unnest(enum_range(NULL::profiling.lifecycle_stage)) b))) AS v(what, t);
-- Malformed literals: 22P02 with the character, 22003 beyond bigint.
SELECT literal, e.error_code, e.message, e.detail
  FROM (VALUES (''), (' '), ('{'), ('}'), ('{)'), ('{(new,repeat,1)'), ('{(new,repeat,1)}x'), ('(new,repeat,1)'),
               ('{(new,repeat)}'), ('{(new,repeat,1,2)}'), ('{(new,1)}'), ('{(New,repeat,1)}'), ('{(new,gold,1)}'),
               ('{( ,repeat,1)}'), ('{(new,repeat,)}'), ('{(new,repeat,-1)}'), ('{(new,repeat,-0)}'), ('{(new,repeat,1.5)}'),
               ('{(new,repeat,1e3)}'), ('{(new,repeat,0x10)}'), ('{(new,repeat,1 2)}'), ('{(new,repeat,3),(new,repeat,3)}'),
               ('{(new,repeat,1),(new,repeat,0)}'), ('{(new,repeat,1)(vip,vip,1)}'), ('{(new,repeat,1),}'), ('{,(new,repeat,1)}'),
               ('{(new,repeat,9223372036854775808)}'), ('{(new,repeat,99999999999999999999999)}'), ('{(new,repeat,+)}'),
               ('{("new",repeat,1)}'), ('{(new,repeat,１)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.transitions', literal)) AS e;

-- ============================================================================================
-- Binary form
-- ============================================================================================

-- Version 1, no flags, then the 64 counts from-major as big-endian int64: 514 bytes. Here
-- (prospect,registered,5): the second count.
SELECT length(b) AS bytes, substr(b, 1, 2 + 3 * 8) AS head, ltrim(encode(substr(b, 27), 'hex'), '0') AS rest
  FROM (SELECT profiling.transitions_send('{(prospect,registered,5),(churned,churned,258)}') AS b) x;
-- Received as a client sends it, back to the same value.
SELECT regress.binary_input(NULL::profiling.transitions,
                            profiling.transitions_send('{(prospect,registered,5),(new,repeat,3),(churned,churned,258)}')) AS received;
-- Receive trusts nothing: a newer version (0A000), an unknown one, flags, lengths, negative counts.
CREATE TABLE tr_binary AS
SELECT profiling.transitions_send('{(prospect,registered,5),(churned,churned,258)}') AS good;
SELECT what, e.error_code, e.message, e.detail
  FROM tr_binary,
       LATERAL (VALUES ('version 2', set_byte(good, 0, 2)), ('version 0', set_byte(good, 0, 0)),
                       ('a flag', set_byte(good, 1, 1)), ('empty', ''::bytea), ('header only', substr(good, 1, 2)),
                       ('one byte', substr(good, 1, 1)), ('last count cut', substr(good, 1, length(good) - 8)),
                       ('a byte too many', good || '\x00'::bytea),
                       ('negative count', overlay(good PLACING '\xffffffffffffffff'::bytea FROM 3 + 8 * 9)),
                       ('count -2^63', overlay(good PLACING '\x8000000000000000'::bytea FROM 3 + 8 * 63))) AS v(what, bytes),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.transitions, %L)::text', bytes)) AS e;
DROP TABLE tr_binary;

-- ============================================================================================
-- Stored values
-- ============================================================================================

-- A stored value this version cannot read is an error (XX001, data corrupted; 0A000 for a newer
-- format), never misread. Stored: a 4-byte varlena header, version, flags, 2 reserved bytes,
-- then the 64 counts in machine order.
CREATE TABLE tr_raw AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(new,repeat,3)}'::profiling.transitions) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'version 0', set_byte(raw, 0, 0)),
                       (4, 'a flag', set_byte(raw, 1, 1)),
                       (5, 'reserved not zero', set_byte(raw, 3, 1)),
                       (6, 'negative count', set_byte(raw, 4 + 8 * 28 + 7, 128)),
                       (7, 'last count cut off', substr(raw, 1, length(raw) - 8)),
                       (8, 'header cut', substr(raw, 1, 3))) AS v(id, what, bytes);
SELECT what, length(bytes) AS bytes, get_byte(bytes, 0) AS version FROM tr_raw ORDER BY id;
CREATE TABLE tr_calls (call text);
INSERT INTO tr_calls VALUES
  ('v::text'), ('profiling.transitions_send(v)'), ('(SELECT count(*) FROM profiling.transition_rates(v))'),
  ('profiling.transition_count(v, ''new'', ''repeat'')'), ('profiling.rollup(v)'), ('v = v'), ('v < v'),
  ('profiling.transitions_cmp(v, v)'), ('profiling.transitions_hash(v)'), ('profiling.transitions_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM tr_calls, tr_raw, LATERAL regress.error_of_stored(NULL::profiling.transitions, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE tr_raw, tr_calls;

-- ============================================================================================
-- Comparisons
-- ============================================================================================

-- = is "the same counts" (the same bytes); the order is total and consistent with cmp; equal
-- values hash alike. The first and last values are equal, written differently.
CREATE TABLE tr_cmp AS
SELECT * FROM regress.comparisons('profiling.transitions',
    $$VALUES ('a', '{(new,repeat,3),(vip,vip,1)}'::profiling.transitions), ('b', '{}'), ('c', '{(new,repeat,4),(vip,vip,1)}'),
             ('d', '{(churned,churned,1)}'), ('a again', '{(vip,vip,1),(new,repeat,3),(active,new,0)}')$$);
SELECT a, b, eq, ne, lt, le, gt, ge, cmp, same_hash, same_hash_extended, same_bytes FROM tr_cmp ORDER BY a_row, b_row;
-- (expect none listed) = is same bytes; the operators agree with cmp; equal values hash alike.
SELECT a, b FROM tr_cmp
 WHERE eq IS DISTINCT FROM same_bytes OR ne IS DISTINCT FROM NOT eq OR NOT antisymmetric
    OR (lt, le, gt, ge) IS DISTINCT FROM (cmp < 0, cmp <= 0, cmp > 0, cmp >= 0)
    OR (eq AND NOT (same_hash AND same_hash_extended));
DROP TABLE tr_cmp;
-- GROUP BY, DISTINCT and ORDER BY work on the type.
SELECT t, count(*) FROM (VALUES ('{(new,repeat,3)}'::profiling.transitions), ('{(repeat,new,3)}'), ('{ (new,repeat,3) }')) AS v(t)
 GROUP BY t ORDER BY count(*) DESC;
SELECT count(DISTINCT t) AS distinct_values FROM (VALUES ('{(new,repeat,3)}'::profiling.transitions), ('{(new,repeat,3),(vip,vip,0)}'), ('{}')) AS v(t);

-- ============================================================================================
-- Any search_path
-- ============================================================================================

-- Written with their schema, the type, aggregates and functions work with only pg_catalog on
-- the path (the operators then need OPERATOR(profiling.=)).
SET search_path = pg_catalog;
SELECT profiling.transitions(s0, s1) OPERATOR(profiling.=) '{(prospect,prospect,1),(prospect,registered,2),(registered,registered,1),(new,new,2),(new,repeat,1),(repeat,vip,1),(vip,dormant,1),(dormant,churned,1)}' AS same,
       (SELECT sum(customers) FROM profiling.transition_rates(profiling.transitions(s0, s1))) AS customers
  FROM public.tr_customers;
SET search_path = public, profiling;

DROP TABLE tr_customers;
