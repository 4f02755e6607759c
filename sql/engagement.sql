-- engagement: the summary type, its aggregates and every accessor, with hand-checked values,
-- edge cases and bad input.
SET client_min_messages = warning;
-- Functions are written schema-qualified; profiling is on the path for the = and <> operators.
SET search_path = public, profiling;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Hand-made interactions. ann: three, given out of order, one e-mail click without a duration.
-- bob: one call. cat: ties: two visits of 10 minutes at one instant, two clicks at the same
-- instant, and a visit of zero seconds. dan: long durations (days count as 24 hours).
CREATE TABLE eg_rows (customer text, at timestamptz, duration interval);
INSERT INTO eg_rows VALUES
  ('ann', '2025-03-01 12:00:00+00', '00:20:00'),
  ('ann', '2025-01-01 09:30:00+00', NULL),
  ('ann', '2025-01-31 09:30:00+00', '00:05:30.25'),
  ('bob', '2025-02-14 18:45:10.25+00', '1 hour 2 minutes'),
  ('cat', '2025-04-10 08:00:00+00', '10 minutes'),
  ('cat', '2025-04-10 08:00:00+00', NULL),
  ('cat', '2025-04-10 08:00:00+00', '00:10:00'),
  ('cat', '2025-04-10 08:00:00+00', NULL),
  ('cat', '2025-04-12 08:00:00+00', '0 seconds'),
  ('dan', '2025-05-01 00:00:00+00', '1 day'),
  ('dan', '2025-05-02 00:00:00+00', '2 days 03:00:00.000001');

CREATE TABLE eg AS
SELECT customer, profiling.engagement(at, duration) AS e FROM eg_rows GROUP BY customer;

-- The text form: sorted by time, then duration (unknown first); UTC; durations as hours,
-- minutes and seconds; an unknown duration is NULL.
SELECT customer, e FROM eg ORDER BY customer;

-- Every accessor, hand-checked. ann: 3 interactions, 25 minutes 30.25 seconds known; cat: 5,
-- 20 minutes known; dan: 51 hours and a microsecond.
SELECT customer, profiling.interaction_count(e) AS n, profiling.total_duration(e) AS total,
       profiling.first_interaction(e) AS first, profiling.last_interaction(e) AS last
  FROM eg ORDER BY customer;

-- total_duration is the plain sum(duration) of the known durations (NULL when none is known),
-- without days: 51 hours, not 2 days 3 hours.
SELECT customer, profiling.total_duration(e) = (SELECT sum(duration) FROM eg_rows r WHERE r.customer = eg.customer) AS same_as_sum
  FROM eg ORDER BY customer;
SELECT profiling.total_duration('{(2025-01-01 00:00:00+00,NULL)}') AS none_known,
       profiling.total_duration('{}') AS empty;

-- interactions_per_week(e, as_of): interactions at or before as_of over the weeks since the
-- first one, at least one week. ann on 2025-03-01 12:00: 3 in 59 days 2:30 = 8.44... weeks,
-- 0.3553...; on 2025-01-31 09:30: 2 in 30 days = 4.2857 weeks, 0.4666...; a day after her
-- first: 1 (one week counted); before it: NULL.
SELECT t, profiling.interactions_per_week(e, t) AS per_week
  FROM eg, (VALUES ('2024-12-31 00:00:00+00'::timestamptz), ('2025-01-02 09:30:00+00'),
                   ('2025-01-31 09:30:00+00'), ('2025-03-01 12:00:00+00')) AS v(t)
 WHERE customer = 'ann' ORDER BY t;
SELECT profiling.interactions_per_week(e, '2025-03-01 12:00:00+00') = 3 / (extract(epoch FROM timestamptz '2025-03-01 12:00:00+00' - timestamptz '2025-01-01 09:30:00+00')::float8 / (7 * 86400)) AS exact
  FROM eg WHERE customer = 'ann';
SELECT e.error_code, e.message
  FROM regress.error_of($$SELECT profiling.interactions_per_week('{}', 'infinity')$$) e;

-- as_of: nothing from the future; the interaction at exactly as_of counts.
SELECT t, profiling.as_of(e, t) AS e
  FROM eg, (VALUES ('2024-12-31 23:59:59+00'::timestamptz), ('2025-01-01 09:30:00+00'),
                   ('2025-01-31 09:29:59.999999+00'), ('infinity')) AS v(t)
 WHERE customer = 'ann' ORDER BY t;
-- during: a tstzrange with its bounds honoured.
SELECT r, profiling.during(e, r) AS e
  FROM eg, (VALUES (tstzrange('2025-01-01 09:30:00+00', '2025-03-01 12:00:00+00')),
                   (tstzrange('2025-01-01 09:30:00+00', '2025-03-01 12:00:00+00', '(]')),
                   (tstzrange(NULL, '2025-02-01')), ('empty'::tstzrange)) AS v(r)
 WHERE customer = 'ann' ORDER BY r;

-- interactions(e): the interactions back, one row each; an unknown duration is NULL.
SELECT i.* FROM eg, profiling.interactions(e) i WHERE customer = 'cat';

-- jsonb: times in ISO 8601 UTC, durations as in the text form, null when unknown.
SELECT customer, e::jsonb FROM eg WHERE customer IN ('ann', 'bob') ORDER BY customer;
SELECT '{}'::profiling.engagement::jsonb AS empty, '{(2025-01-01 00:00:00+00,NULL)}'::profiling.engagement::jsonb AS unknown;

-- The empty group: LEFT JOIN rows (both arguments NULL) are skipped, so a customer without
-- interactions gets the empty summary, and so does an aggregate over no rows.
SELECT c.name, profiling.engagement(r.at, r.duration) AS e
  FROM (VALUES ('eve'), ('bob')) c(name) LEFT JOIN eg_rows r ON r.customer = c.name
 GROUP BY c.name ORDER BY c.name;
SELECT e, profiling.interaction_count(e), profiling.total_duration(e), profiling.first_interaction(e),
       profiling.last_interaction(e), profiling.interactions_per_week(e, '2025-06-01'),
       (SELECT count(*) FROM profiling.interactions(e)) AS rows
  FROM (SELECT profiling.engagement(at, duration) AS e FROM eg_rows WHERE false) s;
-- NULL in, NULL out for every strict function; rollup skips NULL summaries.
SELECT profiling.interaction_count(NULL::profiling.engagement), profiling.total_duration(NULL),
       profiling.as_of(NULL::profiling.engagement, now()), profiling.interactions_per_week('{}', NULL),
       profiling.rollup(x) AS rollup_of_nulls
  FROM (VALUES (NULL::profiling.engagement)) v(x);

-- Interactions in any order give the same bytes; ties are kept (five interactions for cat).
SELECT profiling.engagement_send(a) = profiling.engagement_send(b) AS same_bytes, a = b AS equal
  FROM (SELECT (SELECT profiling.engagement(at, duration ORDER BY at DESC, duration) FROM eg_rows) AS a,
               (SELECT profiling.engagement(at, duration ORDER BY customer, duration DESC) FROM eg_rows) AS b) s;
-- rollup of any split is one pass, byte for byte.
SELECT profiling.engagement_send(profiling.rollup(e)) = profiling.engagement_send((SELECT profiling.engagement(at, duration) FROM eg_rows)) AS rollup_is_one_pass
  FROM (SELECT profiling.engagement(at, duration) AS e FROM eg_rows GROUP BY customer, at) s;

-- Durations: any interval without months, days counting 24 hours, ISO 8601 too; exact to the
-- microsecond up to the largest a bigint holds (292,000 years), including beyond 2^53 microseconds.
SELECT d AS given, profiling.engagement('2025-01-01 00:00:00+00', d) AS e
  FROM (VALUES (1, '0'::interval), (2, '1 microsecond'), (3, '1 day'), (4, '1 day -1 hour'), (5, 'P1DT2H30M'),
               (6, '9007199254740993 microseconds'), (7, '2562047788:00:54.775807')) v(n, d)
 GROUP BY n, d ORDER BY n;
SELECT e::text::profiling.engagement = e AS round_trip,
       profiling.engagement_send(e::text::profiling.engagement) = profiling.engagement_send(e) AS same_bytes
  FROM (SELECT profiling.engagement('2025-01-01 00:00:00+00', d) AS e
          FROM (VALUES ('9007199254740993 microseconds'::interval), ('2562047788:00:54.775807'), ('1 microsecond')) v(d)) s;
-- Their total can pass the bigint: an error in total_duration, null in jsonb.
SELECT e.error_code, e.message FROM regress.error_of($$SELECT profiling.total_duration('{(2025-01-01 00:00:00+00,2562047788:00:54.775807),(2025-01-02 00:00:00+00,00:00:01)}')$$) e;
SELECT '{(2025-01-01 00:00:00+00,2562047788:00:54.775807),(2025-01-02 00:00:00+00,00:00:01)}'::profiling.engagement::jsonb -> 'total_duration' AS total_past_bigint;

-- Time zones: the text form is UTC whatever the session zone; input without a zone is read
-- in the session TimeZone, as timestamptz reads it.
SET TimeZone = 'Asia/Tokyo';
SELECT e, profiling.first_interaction(e) AS first_tokyo FROM eg WHERE customer = 'bob';
SELECT '{(2025-06-01 10:30:00,00:01:00)}'::profiling.engagement AS tokyo_input;
SET TimeZone = 'UTC';
-- A timestamp without time zone is refused (42804), with rows or without; a date is midnight
-- in the session TimeZone.
SELECT rows, e.*
  FROM (VALUES ('one row', 'VALUES (''2025-01-01 10:00:00''::timestamp)'),
               ('no rows', 'SELECT ''2025-01-01 10:00:00''::timestamp WHERE false')) AS q(rows, source),
       regress.error_of(format('SELECT profiling.engagement(t, NULL) FROM (%s) s(t)', source)) AS e;
SET TimeZone = 'Europe/Paris';
SELECT profiling.engagement(d, NULL) AS dates_in_paris FROM (VALUES ('2025-01-01'::date)) v(d);
SET TimeZone = 'UTC';

-- Bad rows: each error with its SQLSTATE.
SELECT what, e.*
  FROM (VALUES ('NULL time with a duration', $$(NULL::timestamptz, '5 minutes'::interval)$$),
               ('infinite time', $$('infinity'::timestamptz, NULL::interval)$$),
               ('-infinite time', $$('-infinity'::timestamptz, '1 second'::interval)$$),
               ('negative duration', $$('2025-01-01 10:00:00+00'::timestamptz, '-1 second'::interval)$$),
               ('negative in total', $$('2025-01-01 10:00:00+00'::timestamptz, '1 day -25 hours'::interval)$$),
               ('a month', $$('2025-01-01 10:00:00+00'::timestamptz, '1 mon'::interval)$$),
               ('a year and a day', $$('2025-01-01 10:00:00+00'::timestamptz, '1 year 1 day'::interval)$$),
               ('beyond a bigint', $$('2025-01-01 10:00:00+00'::timestamptz, '106751992 days'::interval)$$)) AS v(what, row_values),
       regress.error_of(format('SELECT profiling.engagement(t, d) FROM (VALUES %s) v(t, d)', row_values)) AS e;

-- Malformed text literals: each a 22P02 (or a range error) saying where the problem is.
SELECT literal, e.*
  FROM (VALUES (''), ('{'), ('{}x'), ('{()}'), ('{(2025-01-01)}'), ('{(2025-01-01,)}'),
               ('{(2025-01-01,1 second,1 second)}'), ('{(2025-01-01,1 second)'), ('{(2025-01-01,1 second),}'),
               ('{(,1 second)}'), ('{(2025-13-01,NULL)}'), ('{(yesterday,NULL)}'), ('{(infinity,NULL)}'),
               ('{(300000-01-01,NULL)}'), ('{(01/02/2025,NULL)}'),
               ('{(2025-01-01,abc)}'), ('{(2025-01-01,NULLL)}'), ('{(2025-01-01,infinity)}'),
               ('{(2025-01-01,-1 second)}'), ('{(2025-01-01,1 mon)}'), ('{(2025-01-01,P1M)}'),
               ('{(2025-01-01,99999999999999999999 hours)}'), ('{(2025-01-01,2562047788:00:54.775808)}')) AS v(literal),
       regress.error_of(format('SELECT %L::profiling.engagement', literal)) AS e;
-- Blanks, zones, any order and a lower-case null are accepted, and printed canonically.
SELECT ' { ( 2025-01-02 10:00:00-05 , null ) , (2025-01-01T10:00:00Z,PT1M30S) } '::profiling.engagement AS canonical;

-- Binary receive trusts nothing. What send writes, receive reads back identically.
SELECT customer, profiling.engagement_send(regress.binary_input(NULL::profiling.engagement, profiling.engagement_send(e)))
                 = profiling.engagement_send(e) AS binary_round_trip
  FROM eg ORDER BY customer;
SELECT profiling.engagement_send(e) AS cat_binary FROM eg WHERE customer = 'cat';
SELECT what, e.error_code, e.message, e.detail
  FROM (VALUES ('nothing', '\x'),
               ('short header', '\x0100000000'),
               ('version 2', '\x020000000000'),
               ('unknown flag', '\x010100000000'),
               ('negative count', '\x0100ffffffff'),
               ('huge count', '\x01007fffffff'),
               ('count without interactions', '\x010000000001'),
               ('one byte too many', '\x010000000001' || int8send(0) || int8send(0) || '\x00'::bytea),
               ('one byte too few', '\x010000000001' || int8send(0) || substr(int8send(0), 1, 7)),
               ('time out of range', '\x010000000001' || int8send(9223372036854775807) || int8send(0)),
               ('duration -2', '\x010000000001' || int8send(0) || int8send(-2)),
               ('unsorted times', '\x010000000002' || int8send(10) || int8send(0) || int8send(1) || int8send(1)),
               ('same time, durations descending', '\x010000000002' || int8send(0) || int8send(0) || int8send(5) || int8send(-1))) AS v(what, payload),
       regress.error_of(format('SELECT regress.binary_input(NULL::profiling.engagement, %L::bytea)', payload)) AS e;

-- A stored value this version cannot read is an error, never misread (see
-- sql/purchase_history.sql for how the damaged bytes are stored): a newer format is 0A000,
-- anything else damaged XX001, in every function.
CREATE TABLE raw_cases AS
SELECT id, what, bytes
  FROM (SELECT regress.stored_bytes('{(2025-01-01 00:00:00+00,00:01:00),(2025-01-02 00:00:00+00,NULL)}'::profiling.engagement) AS raw) r,
       LATERAL (VALUES (1, 'unchanged', raw),
                       (2, 'version 2', set_byte(raw, 0, 2)),
                       (3, 'unknown flag', set_byte(raw, 1, 1)),
                       (4, 'reserved1 not zero', set_byte(raw, 3, 1)),
                       (5, 'reserved2 not zero', set_byte(raw, 11, 1)),
                       (6, 'negative count', overlay(raw PLACING '\xffffffff'::bytea FROM 5)),
                       (7, 'last 16 bytes cut off', substr(raw, 1, length(raw) - 16))) AS v(id, what, bytes);
CREATE TABLE stored_calls (call text);
INSERT INTO stored_calls VALUES
  ('v::text'), ('profiling.engagement_send(v)'), ('v::jsonb'), ('profiling.interaction_count(v)'),
  ('profiling.total_duration(v)'), ('profiling.first_interaction(v)'), ('profiling.last_interaction(v)'),
  ('profiling.interactions_per_week(v, ''2026-01-01'')'), ('profiling.as_of(v, ''2026-01-01'')'),
  ('profiling.during(v, tstzrange(NULL, NULL))'), ('(SELECT count(*) FROM profiling.interactions(v))'),
  ('profiling.browsing_without_buying(v, NULL, ''2026-01-01'')'),
  ('profiling.rollup(v)'), ('v = v'), ('v < v'), ('profiling.engagement_cmp(v, v)'),
  ('profiling.engagement_hash(v)'), ('profiling.engagement_hash_extended(v, 0)');
SELECT what, e.error_code, e.message, count(*) AS calls,
       string_agg(call, ', ') FILTER (WHERE e.error_code IS NULL AND what <> 'unchanged') AS no_error
  FROM stored_calls, raw_cases, LATERAL regress.error_of_stored(NULL::profiling.engagement, bytes, call) e
 GROUP BY id, what, e.error_code, e.message ORDER BY id, e.error_code NULLS FIRST;
DROP TABLE raw_cases, stored_calls;

-- Comparison: = is "the same bytes", the operators and cmp are one order (fewer interactions
-- first), equal values hash alike.
SELECT a, b, eq, lt, cmp, same_hash, same_hash_extended, same_bytes, antisymmetric
  FROM regress.comparisons('profiling.engagement', $$VALUES ('empty', '{}'::profiling.engagement),
        ('one unknown', '{(2025-01-01 00:00:00+00,NULL)}'), ('one known', '{(2025-01-01 00:00:00+00,00:00:00)}'),
        ('same, other zone', '{(2025-01-01 01:00:00+01,0)}'), ('two', '{(2025-01-01 00:00:00+00,NULL),(2025-01-01 00:00:00+00,NULL)}')$$)
 ORDER BY a_row, b_row;

-- browsing_without_buying(e, h, as_of, min_interactions = 3, within = 30 days): at least
-- min_interactions interactions in (max(last purchase at or before as_of, as_of - within), as_of].
-- cat has 4 interactions at 2025-04-10 08:00 and 1 at 2025-04-12 08:00.
SELECT label, profiling.browsing_without_buying(e, h, t, n, w) AS browsing
  FROM eg, (VALUES ('no purchase, 5 in 30 days', NULL::profiling.purchase_history, '2025-04-20'::timestamptz, 3, '30 days'::interval),
                   ('no purchase, needs 6', NULL, '2025-04-20', 6, '30 days'),
                   ('the window ends before the 4 at 08:00', NULL, '2025-04-12 08:00', 2, '2 days'),
                   ('the window starts a microsecond before the 4 and ends before the fifth', NULL, '2025-04-12 07:59:59.999999', 4, '2 days'),
                   ('bought at 08:00 on the 10th: the 4 at that instant are not after it', '{(2025-04-10 08:00:00+00,10)}', '2025-04-20', 2, '30 days'),
                   ('bought just before', '{(2025-04-10 07:59:59+00,10)}', '2025-04-20', 5, '30 days'),
                   ('a purchase after as_of does not count', '{(2025-04-30 00:00:00+00,10)}', '2025-04-20', 5, '30 days'),
                   ('bought on the 11th', '{(2025-04-11 00:00:00+00,10)}', '2025-04-20', 1, '30 days'),
                   ('bought on the 11th, needs 2', '{(2025-04-11 00:00:00+00,10)}', '2025-04-20', 2, '30 days'),
                   ('within 1 mon of 2025-05-10 07:59:59: from 2025-04-10 07:59:59', NULL, '2025-05-10 07:59:59', 5, '1 mon'),
                   ('within 29 days of it: from 2025-04-11 07:59:59', NULL, '2025-05-10 07:59:59', 1, '29 days'),
                   ('within 29 days of it, needs 2', NULL, '2025-05-10 07:59:59', 2, '29 days')) AS v(label, h, t, n, w)
 WHERE customer = 'cat';
-- NULL summaries: no engagement is no browsing (false), no purchase history is "never bought";
-- a NULL as_of, min_interactions or within gives NULL.
SELECT profiling.browsing_without_buying(NULL, NULL, '2025-04-20') AS no_engagement,
       profiling.browsing_without_buying(e, NULL, '2025-04-20') AS never_bought,
       profiling.browsing_without_buying(e, '{}', '2025-04-20') AS empty_history,
       profiling.browsing_without_buying(e, NULL, NULL) AS no_as_of,
       profiling.browsing_without_buying(e, NULL, '2025-04-20', NULL) AS no_min,
       profiling.browsing_without_buying(e, NULL, '2025-04-20', 3, NULL) AS no_within
  FROM eg WHERE customer = 'cat';
SELECT call, e.error_code, e.message, e.detail
  FROM (VALUES ($$profiling.browsing_without_buying('{}', NULL, '2025-04-20', 0)$$),
               ($$profiling.browsing_without_buying('{}', NULL, '2025-04-20', 3, '-1 day')$$),
               ($$profiling.browsing_without_buying('{}', NULL, 'infinity')$$)) AS v(call),
       regress.error_of('SELECT ' || call) AS e;

-- On the tiny sample warehouse: interactions per customer, compared with plain SQL.
CREATE TABLE eg_shop AS
SELECT customer_id, profiling.engagement(at, duration) AS e FROM shop.interactions GROUP BY customer_id;
SELECT count(*) AS customers, sum(profiling.interaction_count(e)) AS interactions,
       (SELECT count(*) FROM shop.interactions) AS rows,
       sum(profiling.total_duration(e)) = (SELECT sum(duration) FROM shop.interactions) AS same_total
  FROM eg_shop;
SELECT count(*) AS customers_differing
  FROM eg_shop s
  JOIN (SELECT customer_id, count(*)::int AS n, sum(duration) AS total, min(at) AS first, max(at) AS last
          FROM shop.interactions GROUP BY customer_id) p USING (customer_id)
 WHERE profiling.interaction_count(s.e) IS DISTINCT FROM p.n
    OR profiling.total_duration(s.e) IS DISTINCT FROM p.total
    OR profiling.first_interaction(s.e) IS DISTINCT FROM p.first
    OR profiling.last_interaction(s.e) IS DISTINCT FROM p.last;
SELECT customer_id, e FROM eg_shop ORDER BY customer_id LIMIT 3;
SELECT i.kind, count(*) AS n, count(i.duration) AS known
  FROM shop.interactions i GROUP BY i.kind ORDER BY i.kind;
DROP TABLE eg_shop;

DROP TABLE eg, eg_rows;
