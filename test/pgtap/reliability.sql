-- reliability: what a user can rely on when things go wrong, or when someone is hostile.
--   1. Every function of the extension runs with the caller's privileges (SECURITY INVOKER), and
--      none written in SQL or PL/pgSQL depends on the caller's search_path.
--   2. An unprivileged role uses every function on its own data and reaches no row it may not
--      read; a hostile schema first on the search_path, full of look-alike functions, operators
--      and types, changes no result and is never called.
--   3. A hash aggregate that spills to disk gives the same summaries as one that does not.
--   4. Every loop that can run long over one value or one group answers a query cancel within a
--      second of statement_timeout, and the backend then answers normally.
--   5. Values at the size limits fail with a documented error, not an allocation failure.
-- The checks are written from the catalog (the extension's objects, through pg_depend): a new
-- function, aggregate, operator, cast or summary type joins them when it is added. A new argument
-- type needs a row in sample_value or sample_arg below; an assertion says so when one is missing.
-- Assertions marked BUG assert today's wrong behaviour, so that the suite passes and says what is
-- wrong; each names the place in src/ where the fix belongs. When it is fixed, the assertion fails:
-- drop its bug text (or turn it into the right assertion).
\i test/pgtap/lib/begin.psql

SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';

-- The extension's objects ----------------------------------------------------------------------

CREATE TEMP VIEW ext_object AS
SELECT d.classid, d.objid FROM pg_depend d
 WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'profiling');

CREATE TEMP VIEW ext_function AS
SELECT p.oid, p.oid::regprocedure AS signature, n.nspname, p.proname, p.prokind, p.prosecdef,
       l.lanname, p.proconfig, p.prosqlbody IS NOT NULL AS sql_standard_body,
       p.proargtypes::oid[] AS argtypes, coalesce(p.proargnames, '{}') AS argnames, p.prorettype
  FROM ext_object e
  JOIN pg_proc p ON e.classid = 'pg_proc'::regclass AND p.oid = e.objid
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang;

CREATE TEMP VIEW ext_operator AS
SELECT o.oid, o.oid::regoperator AS signature, n.nspname, o.oprname, o.oprleft, o.oprright
  FROM ext_object e
  JOIN pg_operator o ON e.classid = 'pg_operator'::regclass AND o.oid = e.objid
  JOIN pg_namespace n ON n.oid = o.oprnamespace;

-- The summary types, and their binary output: summaries are compared by their bytes.
CREATE TEMP VIEW ext_type AS
SELECT t.oid AS type, t.typsend AS send
  FROM ext_object e JOIN pg_type t ON e.classid = 'pg_type'::regclass AND t.oid = e.objid
 WHERE t.typtype = 'b';

-- A type's name as no search_path can redirect it.
CREATE FUNCTION pg_temp.qualified(type oid) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = type
$$;

-- Aggregates: each argument, by name and type, is an expression over the columns of its source,
-- 'orders' (customer_id, ordered_at, amount, coupon_amount: one row an order) or 'summaries'
-- (customer_id, h: stored summaries). An argument of a type that names no moment is refused on
-- the first row (sql/purchase_history.sql tests that): those aggregates are left out below.
CREATE TEMP TABLE sample_arg (argname text, argtype regtype, expr text, source text, refused boolean);
INSERT INTO sample_arg VALUES
    ('ordered_at', 'timestamptz', 'ordered_at', 'orders', false),
    ('ordered_at', 'timestamp', NULL, 'orders', true),
    ('amount', 'float8', 'amount', 'orders', false),
    ('amount', 'numeric', 'amount', 'orders', false),
    ('coupon', 'float8', 'coupon_amount', 'orders', false),
    ('coupon', 'numeric', 'coupon_amount', 'orders', false),
    -- item_history(ordered_at, quantity [, coupon]) over the orders: each order a line of
    -- amount units; rollup over a one-line summary made from each stored summary.
    ('quantity', 'float8', 'amount', 'orders', false),
    (NULL, 'profiling.item_history',
     $$pg_catalog.format('{(%s,%s)}', profiling.last_purchase(h), profiling.total_spend(h))$$, 'summaries', false),
    (NULL, 'profiling.purchase_history', 'h', 'summaries', false),
    -- loyalty_trend(ordered_at, amount, category) over the orders: each order a line whose
    -- category follows its amount; rollup over a one-line summary made from each stored summary.
    ('category', 'text',
     $$pg_catalog.concat('c', pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 5)$$,
     'orders', false),
    (NULL, 'profiling.loyalty_trend',
     $$pg_catalog.format('{(%s,%s,"c")}', profiling.last_purchase(h), profiling.total_spend(h))$$, 'summaries', false),
    -- value_distribution(value, orders) over the orders: each order a customer of one order;
    -- rollup over a one-customer distribution made from each stored summary.
    ('value', 'float8', 'amount', 'orders', false),
    ('orders', 'bigint', '1', 'orders', false),
    (NULL, 'profiling.value_distribution',
     $$pg_catalog.format('{(%s,%s)}', profiling.total_spend(h), profiling.order_count(h) OPERATOR(pg_catalog.+) 1)$$, 'summaries', false),
    -- rfm_model(recency_days, frequency, monetary [, bins]) over the orders: each order a customer.
    ('recency_days', 'float8', 'pg_catalog.abs(amount)', 'orders', false),
    ('frequency', 'float8', '1', 'orders', false),
    ('monetary', 'float8', 'pg_catalog.abs(amount)', 'orders', false),
    ('bins', 'integer', '4', 'orders', false),
    -- engagement(at, duration) over the orders: each order an interaction lasting amount
    -- seconds; rollup over a one-interaction summary made from each stored summary.
    ('at', 'timestamptz', 'ordered_at', 'orders', false),
    ('at', 'timestamp', NULL, 'orders', true),
    ('duration', 'interval', $$amount::pg_catalog.float8 OPERATOR(pg_catalog.*) '1 second'::pg_catalog.interval$$, 'orders', false),
    (NULL, 'profiling.engagement',
     $$pg_catalog.format('{(%s,%s seconds)}', profiling.last_purchase(h), profiling.order_count(h))$$, 'summaries', false),
    -- cohorts(h [, unit]) over the stored summaries, each a customer; rollup over a one-cohort
    -- summary made from each.
    ('h', 'profiling.purchase_history', 'h', 'summaries', false),
    ('unit', 'text', $$'week'$$, 'summaries', false),
    (NULL, 'profiling.cohorts',
     $$pg_catalog.format('{(month),(2025-01-01,0,1,%s)}', profiling.total_spend(h))$$, 'summaries', false),
    -- transitions(from_stage, to_stage) over the orders, each order a customer
    -- whose stages follow its amount; rollup over a summary made from each stored summary (its
    -- total spend, which reads every order: the cancel case needs a long transition).
    ('from_stage', 'profiling.lifecycle_stage',
     $$(pg_catalog.enum_range(NULL::profiling.lifecycle_stage))[1 OPERATOR(pg_catalog.+) (pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 8)]$$,
     'orders', false),
    ('to_stage', 'profiling.lifecycle_stage',
     $$(pg_catalog.enum_range(NULL::profiling.lifecycle_stage))[1 OPERATOR(pg_catalog.+) (pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 3)]$$,
     'orders', false),
    (NULL, 'profiling.transitions',
     $$pg_catalog.format('{(new,repeat,%s),(vip,dormant,1)}', pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h)))::pg_catalog.int8)$$,
     'summaries', false),
    -- price_bands(unit_price) over the orders, each order a product priced at its amount;
    -- tier_mix(tier, amount) over the orders, each an order line whose tier follows its amount;
    -- rollup over a one-tier mix made from each stored summary.
    ('unit_price', 'float8', 'pg_catalog.abs(amount)', 'orders', false),
    ('tier', 'profiling.price_tier',
     $$(pg_catalog.enum_range(NULL::profiling.price_tier))[1 OPERATOR(pg_catalog.+) (pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 3)]$$,
     'orders', false),
    (NULL, 'profiling.tier_mix',
     $$pg_catalog.format('{(high,%s,%s)}', profiling.order_count(h) OPERATOR(pg_catalog.+) 1, pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h))))$$,
     'summaries', false),
    -- baskets(items [, max_pairs]) over the orders: each order a basket of its whole amount and
    -- that amount modulo 7; rollup over a two-item summary made from each stored summary (its
    -- total spend, which reads every order: the cancel case needs a long transition).
    ('items', 'bigint[]',
     $$ARRAY[pg_catalog.floor(amount)::pg_catalog.int8, pg_catalog.floor(amount)::pg_catalog.int8 OPERATOR(pg_catalog.%) 7]$$, 'orders', false),
    ('items', 'text[]',
     $$ARRAY[pg_catalog.floor(amount)::pg_catalog.text, (pg_catalog.floor(amount)::pg_catalog.int8 OPERATOR(pg_catalog.%) 7)::pg_catalog.text]$$, 'orders', false),
    ('max_pairs', 'bigint', '1000', 'orders', false),
    -- baskets(order_id, item [, max_pairs]) over the orders as order lines: each a line of one
    -- of three orders of its customer, whose item follows its amount (the item rows below).
    ('order_id', 'bigint', $$pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int8 OPERATOR(pg_catalog.%) 3$$, 'orders', false),
    (NULL, 'profiling.baskets',
     $$pg_catalog.format('{(bigint,%s,0,16),(1,%s),(2,1),(1,2,1)}', pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h)))::pg_catalog.int8 OPERATOR(pg_catalog.+) 1,
                         pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h)))::pg_catalog.int8 OPERATOR(pg_catalog.+) 1)$$,
     'summaries', false),
    -- item_sequence(ordered_at, item) over the orders: each order a purchase of an item that
    -- follows its amount; paths(seq, within) over a two-purchase sequence made from each stored
    -- summary; rollup over a one-pair paths summary made from each.
    ('item', 'bigint', $$pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int8 OPERATOR(pg_catalog.%) 7$$, 'orders', false),
    ('item', 'text', $$(pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int8 OPERATOR(pg_catalog.%) 7)::pg_catalog.text$$, 'orders', false),
    (NULL, 'profiling.item_sequence',
     $$pg_catalog.format('{(%s,"a"),(2025-06-01 00:00:00+00,"b")}', profiling.last_purchase(h))$$, 'summaries', false),
    ('seq', 'profiling.item_sequence',
     $$pg_catalog.format('{(%s,"a"),(2025-06-01 00:00:00+00,"b")}', COALESCE(profiling.last_purchase(h), '2025-01-01 00:00:00+00'::pg_catalog.timestamptz))$$,
     'summaries', false),
    ('within', 'interval', $$'30 days'::pg_catalog.interval$$, 'summaries', false),
    (NULL, 'profiling.paths',
     $$pg_catalog.format('{(86400,%s),("a",1),("b",1),("a","b",3600)}', pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h)))::pg_catalog.int8 OPERATOR(pg_catalog.+) 1)$$,
     'summaries', false),
    -- bgnbd_fit(x, t_x, T [, customers]) and gamma_gamma_fit(x, monetary [, customers]) over the
    -- orders, each order a customer whose summary follows its amount.
    ('x', 'integer', $$1 OPERATOR(pg_catalog.+) (pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 5)$$, 'orders', false),
    ('t_x', 'float8', 'pg_catalog.abs(amount)', 'orders', false),
    ('T', 'float8', $$pg_catalog.abs(amount) OPERATOR(pg_catalog.+) 10$$, 'orders', false),
    ('customers', 'bigint', '2', 'orders', false),
    -- mbgnbd_fit takes bgnbd_fit's arguments. holdout_check(x, predicted, actual) over the
    -- orders, each order a customer whose prediction follows its amount; rollup over a
    -- one-bucket check made from each stored summary (its total spend, which reads every
    -- order: the cancel case needs a long transition).
    ('predicted', 'float8', $$pg_catalog.abs(amount) OPERATOR(pg_catalog./) 100$$, 'orders', false),
    ('actual', 'integer', $$pg_catalog.abs(pg_catalog.floor(amount))::pg_catalog.int4 OPERATOR(pg_catalog.%) 3$$, 'orders', false),
    (NULL, 'profiling.holdout_check',
     $$pg_catalog.format('{(2,%s,1.5,3)}', pg_catalog.abs(pg_catalog.floor(profiling.total_spend(h)))::pg_catalog.int8 OPERATOR(pg_catalog.+) 1)$$,
     'summaries', false);

CREATE TEMP VIEW aggregate_call AS
SELECT f.signature, f.prorettype AS returns,
       format('%I.%I(%s)', f.nspname, f.proname,
              string_agg(format('(%s)::%s', s.expr, pg_temp.qualified(a.type)), ', ' ORDER BY a.n)) AS call,
       min(s.source) AS source, count(DISTINCT s.source) AS sources,
       coalesce(bool_or(s.refused), false) AS refused,
       count(*) FILTER (WHERE s.argtype IS NULL) AS unknown_arguments
  FROM ext_function f
 CROSS JOIN LATERAL unnest(f.argtypes, f.argnames) WITH ORDINALITY AS a(type, name, n)
  LEFT JOIN sample_arg s ON s.argtype = a.type AND s.argname IS NOT DISTINCT FROM nullif(a.name, '')
 WHERE f.prokind = 'a'
 GROUP BY f.oid, f.signature, f.nspname, f.proname, f.prorettype;
CREATE TEMP VIEW runnable_aggregate AS
SELECT * FROM aggregate_call WHERE NOT refused AND unknown_arguments = 0 AND sources = 1;

-- Functions: an argument of each type, over the rows of rel_own.sample (alias %1$s, columns id
-- and h). Functions that take internal are aggregate and type support, reached through the
-- aggregates and the type's input.
CREATE TEMP TABLE sample_value (argtype regtype, expr text);
INSERT INTO sample_value VALUES
    ('profiling.purchase_history', '%1$s.h'),
    ('timestamptz', $$'2025-06-01 00:00:00+00'::pg_catalog.timestamptz$$),
    ('tstzrange', $$'[2025-01-01 00:00:00+00,2025-07-01 00:00:00+00)'::pg_catalog.tstzrange$$),
    ('bigint', '42::pg_catalog.int8'),
    ('profiling.value_distribution',
     $$pg_catalog.format('{(%%s,%%s),(10,1)}', profiling.total_spend(%1$s.h), profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1)::profiling.value_distribution$$),
    ('float8', '0.5::pg_catalog.float8'),
    -- 5: the bins of the shipped map of named RFM segments, so that rfm_segment(s, 5) names s
    ('integer', '5::pg_catalog.int4'),
    ('float8[]', $$'{500,1000}'::pg_catalog.float8[]$$),
    ('integer[]', $$'{2,5}'::pg_catalog.int4[]$$),
    ('profiling.rfm_model', $$'{{30,90},{1,2},{50,100}}'::profiling.rfm_model$$),
    ('profiling.rfm_score', $$'545'::profiling.rfm_score$$),
    ('interval', $$'30 days'::pg_catalog.interval$$),
    ('profiling.engagement',
     $$pg_catalog.format('{(%%s,%%s seconds),(2025-05-01 00:00:00+00,NULL)}',
                         COALESCE(profiling.last_purchase(%1$s.h), '2025-01-01 00:00:00+00'::pg_catalog.timestamptz),
                         profiling.order_count(%1$s.h))::profiling.engagement$$),
    ('profiling.cohorts', $$'{(month),(2025-01-01,0,2,30.5),(2025-01-01,1,1,10)}'::profiling.cohorts$$),
    ('profiling.lifecycle_policy', $$profiling.lifecycle_policy(churn_after => '1 year', hero_min => 100, repeat_min => 2)$$),
    ('profiling.lifecycle_stage', $$'repeat'::profiling.lifecycle_stage$$),
    ('profiling.transitions',
     $$pg_catalog.format('{(new,repeat,%%s),(repeat,vip,1)}', profiling.order_count(%1$s.h))::profiling.transitions$$),
    ('tstzmultirange', $$'{[2025-03-14 00:00:00+00,2025-03-21 00:00:00+00),[2025-11-28 00:00:00+00,2025-12-02 00:00:00+00)}'::pg_catalog.tstzmultirange$$),
    ('profiling.attitude_policy', $$profiling.attitude_policy(within => '6 months', uncertain_min => 0.4)$$),
    ('profiling.price_bands', $$'(10,50,6)'::profiling.price_bands$$),
    ('profiling.price_tier', $$'high'::profiling.price_tier$$),
    ('profiling.tier_mix',
     $$pg_catalog.format('{(low,2,10.5),(high,%%s,99)}', profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1)::profiling.tier_mix$$),
    ('profiling.item_history',
     $$pg_catalog.format('{(%%s,%%s),(2025-05-01 00:00:00+00,2,0.5),(2025-05-31 00:00:00+00,3)}',
                         COALESCE(profiling.last_purchase(%1$s.h), '2025-01-01 00:00:00+00'::pg_catalog.timestamptz),
                         profiling.order_count(%1$s.h))::profiling.item_history$$),
    ('profiling.loyalty_trend',
     $$pg_catalog.format('{(%%s,%%s,"a"),(2025-05-01 00:00:00+00,2.5,"b"),(2025-05-31 00:00:00+00,3,"a")}',
                         COALESCE(profiling.last_purchase(%1$s.h), '2025-01-01 00:00:00+00'::pg_catalog.timestamptz),
                         profiling.order_count(%1$s.h))::profiling.loyalty_trend$$),
    ('text', $$'1'::pg_catalog.text$$),
    ('profiling.baskets',
     $$pg_catalog.format('{(bigint,%%s,0,16),(1,%%s),(2,%%s),(42,1),(1,2,%%s),(1,42,1)}', profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1,
                         profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1, profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1,
                         profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1)::profiling.baskets$$),
    ('profiling.item_sequence',
     $$pg_catalog.format('{(%%s,"a"),(2025-05-01 00:00:00+00,"b \"c\"")}',
                         COALESCE(profiling.last_purchase(%1$s.h), '2025-01-01 00:00:00+00'::pg_catalog.timestamptz))::profiling.item_sequence$$),
    ('profiling.paths',
     $$pg_catalog.format('{(86400,%%s),("a",1),("b",1),("a","b",3600.5)}', profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1)::profiling.paths$$),
    ('profiling.bgnbd',
     $$'(r=0.24, alpha=4.4, a=0.79, b=2.4, ll=-9582.4, customers=2357, converged=true, iterations=22, gradient_norm=1e-9, se_r=0.013, se_alpha=0.38, se_a=0.19, se_b=0.71)'::profiling.bgnbd$$),
    ('profiling.gamma_gamma',
     $$'(p=6.25, q=3.74, gamma=15.44, ll=-4055.9, customers=946, converged=true, iterations=21, gradient_norm=1e-10, se_p=1.19, se_q=0.29, se_gamma=4.16)'::profiling.gamma_gamma$$),
    ('profiling.mbgnbd',
     $$'(r=0.52, alpha=6.2, a=0.89, b=1.6, ll=-9582.1, customers=2357, converged=true, iterations=25, gradient_norm=1e-10, se_r=0.083, se_alpha=0.7, se_a=0.15, se_b=0.54)'::profiling.mbgnbd$$),
    ('profiling.holdout_check',
     $$pg_catalog.format('{(0,%%s,0.875,1),(7+,2,15.75,16)}', profiling.order_count(%1$s.h) OPERATOR(pg_catalog.+) 1)::profiling.holdout_check$$),
    ('profiling.pnbd',
     $$'(r=0.55, alpha=10.58, s=0.61, beta=11.67, ll=-9595, customers=2357, converged=true, iterations=28, gradient_norm=2e-10, se_r=0.048, se_alpha=0.84, se_s=0.19, se_beta=6.2)'::profiling.pnbd$$);

-- Cancellation cases (section 4), filled here so that the plan can count them. Each is one
-- statement, query, run after its setup statement under a statement_timeout of timeout_ms, plus,
-- when lands_after is set, the time that query takes (run just before, serially): a case whose
-- loop starts late times what comes before it, so that the timeout lands in the loop however
-- busy the machine is. A case with at_fraction instead times its own query (after its setup)
-- and sets the timeout to that fraction of it: for a query whose last stretch cannot answer a
-- cancel (the release of a gigabyte of memory when it ends), a point well inside it, however
-- fast the machine. bug, when set, says what keeps the cancel waiting today.
CREATE TEMP TABLE cancel_case (n serial, name text, timeout_ms int, query text,
                               setup text DEFAULT 'CALL pg_temp.force_serial()', lands_after text,
                               at_fraction float8, bug text);
-- The transition over one group, for every aggregate: ten million rows, or rollup of 44 stored
-- summaries of a million orders each. PostgreSQL checks for interrupts between rows; one long
-- transition call (rollup appending a large summary) checks every 65,536 orders.
INSERT INTO cancel_case (name, timeout_ms, query)
SELECT 'transition over one group of many rows: ' || signature, 300,
       format('SELECT (%s) IS NULL FROM %s', call,
              CASE WHEN source = 'orders' THEN 'rel.one_group_orders, generate_series(1, 100)'
                   -- other summaries are made, one a row, from the stored summaries: more rows
                   WHEN returns <> 'profiling.purchase_history'::regtype THEN 'rel.large_summaries, generate_series(1, 20)'
                   ELSE 'rel.large_summaries' END)
  FROM runnable_aggregate ORDER BY signature::text;
-- The final function of one group whose orders arrive out of order: rollup of 36 copies of a
-- million orders, a sort of 36 million, then the copy into the summary, where the kernel's
-- first touch of 900 MB takes a second. On a 2-core machine the transitions take the first
-- quarter to third of the query, the final function most of the rest, and the release of the
-- memory at the end (which no code can interrupt) 0.1 to 0.3 s: the timeout falls at 60%.
INSERT INTO cancel_case (name, timeout_ms, query, at_fraction, bug) VALUES
    ('final function of one huge group (a sort of 36 million orders)', NULL,
     'SELECT profiling.rollup(h) IS NULL FROM rel.million, generate_series(1, 36)',
     0.6, NULL);
INSERT INTO cancel_case (name, timeout_ms, query, setup, bug) VALUES
    ('text output of one huge summary', 1000, 'SELECT length(h::text) FROM rel.huge', DEFAULT, NULL),
    ('text input of one huge summary (5 million orders)', 1000,
     $$SELECT profiling.order_count(t::profiling.purchase_history)
         FROM (SELECT '{' || repeat('(2024-01-01,1),', 4999999) || '(2024-01-01,1)}' AS t) s$$, DEFAULT, NULL),
    ('orders() of one huge summary', 1000, 'SELECT count(*) FROM profiling.orders((SELECT h FROM rel.huge))', DEFAULT, NULL),
    ('purchase_days of one huge summary, across a daylight-saving change that jumps back over midnight', 900,
     'SELECT profiling.purchase_days(h) FROM rel.huge, generate_series(1, 5)',
     $$SET LOCAL TimeZone = 'America/St_Johns'$$, NULL),
    ('interpurchase_median of one huge summary', 900,
     'SELECT profiling.interpurchase_median(h) FROM rel.huge, generate_series(1, 4)', DEFAULT,
     NULL),
    ('total_spend of one huge summary whose last amounts have more decimals', 300,
     'SELECT profiling.total_spend(h) FROM rel.huge, generate_series(1, 3)', DEFAULT,
     NULL),
    ('binary output (send) of one huge summary', 300,
     'SELECT length(profiling.purchase_history_send(h)) FROM rel.huge, generate_series(1, 3)', DEFAULT,
     NULL),
    ('jsonb cast of a summary of two million orders', 1000,
     'SELECT pg_column_size(h::jsonb) FROM rel.two_million', DEFAULT,
     NULL),
    -- a sum over as many terms as purchases: two billion of them here, half a minute's work
    ('prob_purchases of a BG/NBD for 2^31 - 1 purchases in a billion weeks', 300,
     $$SELECT profiling.prob_purchases('(r=1, alpha=1, a=0.8, b=2.5, ll=0, customers=1, converged=true, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd, 2147483647, 1e9)$$,
     DEFAULT, NULL);
-- A parallel rollup of 24 million orders, cancelled while the leader deserializes and combines the
-- workers' states: each worker's share (twelve stored summaries, and the binary form of their
-- rollup) times the workers.
INSERT INTO cancel_case (name, timeout_ms, query, setup, lands_after) VALUES
    ('parallel rollup: deserialize and combine in the leader', 500,
     'SELECT profiling.rollup(h) IS NULL FROM rel.parallel_summaries', 'CALL pg_temp.force_parallel()',
     'SELECT profiling.purchase_history_send(profiling.rollup(h)) IS NULL FROM (SELECT h FROM rel.parallel_summaries LIMIT 12) s');

SELECT plan(21 + 3 * (SELECT count(*)::int FROM cancel_case) + 2 * (SELECT count(*)::int FROM runnable_aggregate));

SELECT cmp_ok((SELECT count(*) FROM ext_function), '>', 20::bigint, 'the catalog finds the functions of the extension');
SELECT is_empty('SELECT signature FROM aggregate_call WHERE NOT refused AND (unknown_arguments > 0 OR sources > 1)',
                'every aggregate has sample arguments from one source (a new argument type needs a row in sample_arg)');

-- 1. Privileges and search_path, from the catalog -----------------------------------------------

SELECT is_empty('SELECT signature FROM ext_function WHERE prosecdef', 'every function of the extension is SECURITY INVOKER');
-- SQL and PL/pgSQL look names up when they run, on the caller's search_path, unless the function
-- pins its own (SET search_path = pg_catalog, profiling) or has a SQL-standard body (BEGIN ATOMIC,
-- bound when it is created). Today every function is in C, which looks up nothing by name.
SELECT is_empty($$
    SELECT signature, lanname, proconfig FROM ext_function
     WHERE lanname NOT IN ('c', 'internal') AND NOT sql_standard_body
       AND NOT EXISTS (SELECT FROM unnest(proconfig) c,
                               LATERAL string_to_array(replace(substr(c, length('search_path=') + 1), ' ', ''), ',') AS path
                        WHERE c LIKE 'search_path=%' AND path[1] = 'pg_catalog'
                          AND path <@ ARRAY['pg_catalog', 'profiling', 'pg_temp'])$$,
    'no function of the extension in SQL or PL/pgSQL depends on the caller''s search_path');

-- 2. An unprivileged role, and a hostile search_path ----------------------------------------------

-- rel_user owns its data (schema rel_own); rel_evil owns schema evil; rel_wh, the small sample
-- warehouse, belongs to the superuser and is not shared.
CREATE ROLE rel_user NOLOGIN;
CREATE ROLE rel_evil NOLOGIN;
CALL sample_warehouse.build('rel_wh', 'small', 42);
CREATE SCHEMA rel_own AUTHORIZATION rel_user;

-- A statement run as a role: the error it raises, as 'SQLSTATE: message', or NULL. Assertions run
-- as the superuser (pgTAP keeps its state in the superuser's temporary tables).
CREATE FUNCTION pg_temp.error_as(role name, statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    error text;
BEGIN
    PERFORM set_config('role', role, true);
    BEGIN
        EXECUTE statement;
    EXCEPTION WHEN OTHERS THEN
        error := format('%s: %s', SQLSTATE, SQLERRM);
    END;
    PERFORM set_config('role', 'none', true);
    RETURN error;
END $$;

-- CREATE EXTENSION grants USAGE on schema profiling to PUBLIC: any role can call the functions
-- (EXECUTE is PUBLIC's for every function), on what it may read.
SELECT is(pg_temp.error_as('rel_user', $$SELECT profiling.order_count('{}')$$), NULL,
          'an unprivileged role can call the functions of schema profiling');

-- rel_user's data: fifty customers' orders, their monthly summaries, sample summaries (empty,
-- one order, coupons, customers with many orders), and where the calls below write.
CREATE TABLE rel_own.orders AS
SELECT customer_id, ordered_at, amount, coupon_amount FROM rel_wh.orders WHERE customer_id <= 50;
CREATE TABLE rel_own.summaries AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM rel_own.orders GROUP BY customer_id, date_trunc('month', ordered_at);
CREATE TABLE rel_own.sample (id int, h profiling.purchase_history);
INSERT INTO rel_own.sample VALUES
    (1, '{}'), (2, '{(2025-03-01 10:00:00+00,12.5)}'),
    (3, '{(2025-01-06 10:00:00+00,25),(2025-02-05 10:00:00+00,30,5),(2025-06-01 09:00:00.000001+00,0.1,0.1)}');
INSERT INTO rel_own.sample
SELECT 3 + row_number() OVER (ORDER BY n DESC, customer_id), h
  FROM (SELECT customer_id, count(*) AS n, profiling.rollup(h) AS h FROM rel_own.summaries
         GROUP BY customer_id ORDER BY n DESC, customer_id LIMIT 3) s;
CREATE TABLE rel_own.result (run text, what text, k1 bigint, k2 bigint, result text);
ALTER TABLE rel_own.orders OWNER TO rel_user;
ALTER TABLE rel_own.summaries OWNER TO rel_user;
ALTER TABLE rel_own.sample OWNER TO rel_user;
ALTER TABLE rel_own.result OWNER TO rel_user;

-- Every call a user can make, each a query of rows (k1, k2, result): every function over every
-- sample, every aggregate over its source per customer, every operator over every pair of
-- samples, every cast, and sorting, grouping, DISTINCT and hash joins on each summary type. All
-- names are schema-qualified, so that the hostile runs below can redirect only what the
-- extension itself would look up.
CREATE TEMP TABLE call (what text, query text);
INSERT INTO call
SELECT f.signature::text,
       format('SELECT s.id, x.ordinality, x::pg_catalog.text FROM rel_own.sample s, LATERAL %I.%I(%s) WITH ORDINALITY AS x',
              f.nspname, f.proname,
              string_agg(CASE WHEN a.type = 'cstring'::regtype
                              THEN format('(%s)::pg_catalog.text::pg_catalog.cstring', format(v.expr, 's'))
                              ELSE format(v.expr, 's') END, ', ' ORDER BY a.n))
  FROM ext_function f
 CROSS JOIN LATERAL unnest(f.argtypes) WITH ORDINALITY AS a(type, n)
  -- a cstring is a type's input: the text of a sample of the type it reads
  LEFT JOIN sample_value v ON v.argtype = CASE WHEN a.type = 'cstring'::regtype THEN f.prorettype ELSE a.type END
 WHERE f.prokind = 'f' AND NOT 'internal'::regtype = ANY (f.argtypes)
 GROUP BY f.oid, f.signature, f.nspname, f.proname
HAVING count(v.expr) = count(*);
-- Functions without arguments (check_rfm_segment_map), once each: all their rows in one, so that
-- a sound map (no rows) still gives a result.
INSERT INTO call
SELECT f.signature::text,
       format($q$SELECT 0, 0, pg_catalog.concat('rows: ', pg_catalog.string_agg(x::pg_catalog.text, '; ')) FROM %I.%I() AS x$q$,
              f.nspname, f.proname)
  FROM ext_function f
 WHERE f.prokind = 'f' AND cardinality(f.argtypes) = 0 AND f.prorettype <> 'trigger'::regtype;
INSERT INTO call
SELECT signature::text,
       format('SELECT customer_id, 0, (%s)::pg_catalog.text FROM rel_own.%s GROUP BY customer_id', call, source)
  FROM runnable_aggregate;
INSERT INTO call
SELECT o.signature::text,
       format('SELECT a.id, b.id, (%s OPERATOR(%I.%s) %s)::pg_catalog.text FROM rel_own.sample a, rel_own.sample b',
              format(l.expr, 'a'), o.nspname, o.oprname, format(r.expr, 'b'))
  FROM ext_operator o JOIN sample_value l ON l.argtype = o.oprleft JOIN sample_value r ON r.argtype = o.oprright;
INSERT INTO call
SELECT format('cast %s -> %s', c.castsource::regtype, c.casttarget::regtype),
       format('SELECT s.id, 0, ((%s)::%s)::pg_catalog.text FROM rel_own.sample s', format(v.expr, 's'), pg_temp.qualified(c.casttarget))
  FROM pg_cast c JOIN sample_value v ON v.argtype = c.castsource
 WHERE c.castsource IN (SELECT type FROM ext_type) OR c.casttarget IN (SELECT type FROM ext_type);
INSERT INTO call
SELECT format('%s: %s', t.type::regtype, q.what), q.query
  FROM ext_type t
  JOIN sample_value v ON v.argtype = t.type
  JOIN ext_operator eq ON eq.oprname = '=' AND eq.oprleft = t.type AND eq.oprright = t.type,
       LATERAL (VALUES
           ('ORDER BY', format('SELECT s.id, 0, (pg_catalog.row_number() OVER (ORDER BY %s, s.id))::pg_catalog.text FROM rel_own.sample s',
                               format(v.expr, 's'))),
           ('GROUP BY', format('SELECT pg_catalog.min(s.id), 0, (pg_catalog.count(*))::pg_catalog.text FROM rel_own.sample s GROUP BY %s',
                               format(v.expr, 's'))),
           ('DISTINCT', format('SELECT 0, 0, (pg_catalog.count(DISTINCT %s))::pg_catalog.text FROM rel_own.sample s',
                               format(v.expr, 's'))),
           ('hash join', format('SELECT a.id, b.id, NULL FROM rel_own.sample a JOIN rel_own.sample b ON %s OPERATOR(%I.=) %s',
                                format(v.expr, 'a'), eq.nspname, format(v.expr, 'b')))) AS q(what, query);
SELECT is_empty($$
    SELECT f.signature FROM ext_function f
     WHERE NOT 'internal'::regtype = ANY (f.argtypes)
       AND f.prorettype <> 'trigger'::regtype   -- triggers fire on the table they serve only
       AND f.signature::text NOT IN (SELECT what FROM call)
       AND NOT EXISTS (SELECT FROM aggregate_call g WHERE g.signature = f.signature AND g.refused)$$,
    'every function and aggregate a user can call is called (a new argument type needs a row in sample_value)');

GRANT SELECT ON call TO PUBLIC;

-- Runs every call as the current role, on the search_path given, and records the results, or the
-- error a call raises. While the calls run, the procedure itself uses only qualified names.
CREATE PROCEDURE pg_temp.run_calls(run text, path text) LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    PERFORM pg_catalog.set_config('search_path', path, true);
    FOR c IN SELECT what, query FROM pg_temp.call LOOP
        BEGIN
            EXECUTE pg_catalog.concat('INSERT INTO rel_own.result SELECT $1, $2, q.* FROM (', c.query, ') q') USING run, c.what;
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO rel_own.result VALUES (run, c.what, NULL, NULL, pg_catalog.concat('error ', SQLSTATE, ': ', SQLERRM));
        END;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'public, profiling', true);
END $$;
-- The results of a run that differ from the superuser's on a plain search_path.
CREATE FUNCTION pg_temp.differences(run text) RETURNS TABLE (what text, k1 bigint, k2 bigint, result text, baseline text)
LANGUAGE sql AS $$
    SELECT coalesce(r.what, b.what), coalesce(r.k1, b.k1), coalesce(r.k2, b.k2), r.result, b.result
      FROM (SELECT * FROM rel_own.result WHERE run = $1) r
      FULL JOIN (SELECT * FROM rel_own.result WHERE run = 'baseline') b
        ON b.what = r.what AND b.k1 IS NOT DISTINCT FROM r.k1 AND b.k2 IS NOT DISTINCT FROM r.k2
     WHERE r.result IS DISTINCT FROM b.result OR r.what IS NULL OR b.what IS NULL
$$;

CALL pg_temp.run_calls('baseline', 'public, profiling');
SELECT is((SELECT count(DISTINCT what) FROM rel_own.result WHERE run = 'baseline' AND k1 IS NOT NULL), (SELECT count(*) FROM call),
          'every call gives rows, none an error');
SELECT diag(pg_catalog.concat(what, ': ', result)) FROM rel_own.result WHERE run = 'baseline' AND k1 IS NULL ORDER BY what;

-- rel_user on its own data.
SET LOCAL ROLE rel_user;
CALL pg_temp.run_calls('unprivileged', 'public, profiling');
RESET ROLE;
SELECT is_empty('SELECT * FROM pg_temp.differences(''unprivileged'')',
                'an unprivileged role gets every result of every function, aggregate, operator and cast on its own data');

-- No way around privileges: rel_user builds nothing from a table it may not read, and of a table
-- with row-level security sees only the policy's rows, whatever it calls on them (the comparison
-- functions are LEAKPROOF, so the planner may run them before the policy's filter).
CREATE TABLE rel_own.shared (owner name, customer_id bigint, h profiling.purchase_history);
INSERT INTO rel_own.shared
SELECT CASE WHEN customer_id % 2 = 0 THEN 'rel_user' ELSE 'someone else' END, customer_id, h FROM rel_own.summaries;
ALTER TABLE rel_own.shared ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON rel_own.shared USING (owner = current_user);
GRANT SELECT ON rel_own.shared TO rel_user;
SELECT matches(pg_temp.error_as('rel_user', 'SELECT profiling.purchase_history(ordered_at, amount) FROM rel_wh.orders'),
               '^42501: ', 'an unprivileged role builds no summary from a table it may not read');
SELECT matches(pg_temp.error_as('rel_user', 'SELECT profiling.rollup(h) FROM rel_own.summaries, rel_wh.orders'),
               '^42501: ', 'nor from a join with one');
CREATE TEMP TABLE seen_under_policy (n bigint);
GRANT INSERT ON seen_under_policy TO rel_user;
SET LOCAL ROLE rel_user;
INSERT INTO seen_under_policy
SELECT count(*) FROM rel_own.shared s, rel_own.summaries o
 WHERE s.h OPERATOR(profiling.=) o.h AND profiling.order_count(s.h) >= 0;
RESET ROLE;
SELECT is((SELECT n FROM seen_under_policy),
          (SELECT count(*) FROM rel_own.shared s, rel_own.summaries o
            WHERE s.owner = 'rel_user' AND s.h OPERATOR(profiling.=) o.h),
          'under row-level security the functions and operators see only the rows of the policy');

-- The hostile schema, rel_evil's, first on the search_path and ahead of pg_catalog: a look-alike
-- of every function, aggregate and operator of the extension (same name, same argument types), of
-- the built-in functions and operators SQL code uses most, and types named like the extension's
-- types and like the types its casts reach, with casts to them. Each look-alike records its call
-- in evil.calls.
CREATE SCHEMA evil AUTHORIZATION rel_evil;
CREATE TEMP VIEW ext_cast AS
SELECT c.oid, c.castsource, c.casttarget FROM pg_cast c
 WHERE c.castsource IN (SELECT type FROM ext_type) OR c.casttarget IN (SELECT type FROM ext_type);
CREATE TABLE evil.look_alike AS
-- types first
SELECT DISTINCT 1 AS stage, format('CREATE TYPE evil.%I AS (look_alike boolean)', typname) AS statement
  FROM pg_type WHERE oid IN (SELECT type FROM ext_type) OR oid IN (SELECT casttarget FROM ext_cast)
UNION ALL
-- functions and aggregates, of the extension and built-in ones by name (no pseudo-type anywhere)
SELECT 2, statement FROM (
WITH target AS (
    SELECT p.oid, p.proname, p.prokind, p.proretset, p.prorettype, p.proargtypes::oid[] AS argtypes
      FROM pg_proc p
     WHERE (p.oid IN (SELECT oid FROM ext_function)
            OR (p.pronamespace = 'pg_catalog'::regnamespace
                AND p.proname IN ('sum', 'count', 'avg', 'min', 'max', 'date_trunc', 'date_part', 'timezone', 'abs',
                                  'round', 'floor', 'ceil', 'sqrt', 'isfinite', 'length', 'lower', 'upper', 'coalesce',
                                  'nullif', 'greatest', 'least', 'to_char', 'to_timestamp', 'now', 'string_agg',
                                  'jsonb_build_object', 'to_jsonb', 'generate_series', 'set_config',
                                  'current_setting', 'make_interval', 'justify_interval', 'age', 'array_length',
                                  'cardinality', 'concat')))
       AND p.prokind IN ('f', 'a')
       AND NOT EXISTS (SELECT FROM pg_type t WHERE t.typtype = 'p' AND (t.oid = p.prorettype OR t.oid = ANY (p.proargtypes)))
)
SELECT CASE prokind
       WHEN 'f' THEN format($f$CREATE FUNCTION evil.%I(%s) RETURNS %s LANGUAGE plpgsql AS $b$
                               BEGIN INSERT INTO evil.calls VALUES (%L); RETURN%s; END $b$$f$,
                             proname, pg_get_function_arguments(oid), pg_get_function_result(oid), oid::regprocedure,
                             CASE WHEN proretset OR prorettype = 'record'::regtype THEN '' ELSE ' NULL' END)
       ELSE format($f$CREATE FUNCTION evil.%1$I(%2$s) RETURNS %3$s LANGUAGE plpgsql AS $b$
                      BEGIN INSERT INTO evil.calls VALUES (%4$L); RETURN $1; END $b$;
                      CREATE AGGREGATE evil.%5$I(%6$s) (SFUNC = evil.%1$I, STYPE = %3$s)$f$,
                   'state_' || oid,
                   (SELECT string_agg(pg_temp.qualified(t), ', ' ORDER BY k) FROM unnest(prorettype || argtypes) WITH ORDINALITY AS x(t, k)),
                   pg_temp.qualified(prorettype), oid::regprocedure, proname,
                   coalesce(nullif(pg_get_function_arguments(oid), ''), '*'))
       END AS statement
  FROM target) functions
UNION ALL
-- operators, of the extension and built-in ones on the types SQL code works with
SELECT 2, format($f$CREATE FUNCTION evil.%1$I(%2$s, %3$s) RETURNS %4$s LANGUAGE plpgsql AS $b$
                 BEGIN INSERT INTO evil.calls VALUES (%5$L); RETURN NULL; END $b$;
                 CREATE OPERATOR evil.%6$s (LEFTARG = %2$s, RIGHTARG = %3$s, FUNCTION = evil.%1$I)$f$,
              'operator_' || o.oid, pg_temp.qualified(o.oprleft), pg_temp.qualified(o.oprright),
              pg_temp.qualified(o.oprresult), o.oid::regoperator, o.oprname)
  FROM pg_operator o
 WHERE o.oid IN (SELECT oid FROM ext_operator)
    OR (o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprleft <> 0
        AND o.oprname IN ('=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||')
        AND ARRAY[o.oprleft, o.oprright] <@ ARRAY['int4', 'int8', 'float8', 'numeric', 'text', 'timestamptz',
                                                   'interval', 'date', 'bool']::regtype[]::oid[])
UNION ALL
-- casts from the extension's types to the look-alike types, and to them
SELECT 3, format($f$CREATE FUNCTION evil.%1$I(%2$s) RETURNS evil.%3$I LANGUAGE plpgsql AS $b$
                    BEGIN INSERT INTO evil.calls VALUES (%4$L); RETURN NULL; END $b$;
                    CREATE CAST (%2$s AS evil.%3$I) WITH FUNCTION evil.%1$I(%2$s)$f$,
                 'cast_' || c.oid, pg_temp.qualified(c.castsource), t.typname,
                 format('cast %s -> %s', c.castsource::regtype, c.casttarget::regtype))
  FROM ext_cast c JOIN pg_type t ON t.oid = c.casttarget;
GRANT SELECT ON evil.look_alike TO rel_evil;
SELECT cmp_ok((SELECT count(*) FROM evil.look_alike), '>', 200::bigint,
              'the hostile schema gets look-alikes of the extension''s objects and of the common built-ins');
SET LOCAL ROLE rel_evil;
CREATE TABLE evil.calls (what text);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT INSERT ON evil.calls TO PUBLIC;
SELECT statement FROM evil.look_alike ORDER BY stage \gexec
RESET ROLE;

-- The superuser, then rel_user, with the hostile schema first.
CALL pg_temp.run_calls('hostile', 'evil, pg_catalog, public, profiling');
SET LOCAL ROLE rel_user;
CALL pg_temp.run_calls('unprivileged, hostile', 'evil, pg_catalog, public, profiling');
RESET ROLE;
SELECT is_empty('SELECT * FROM pg_temp.differences(''hostile'')',
                'a hostile schema first on the search_path changes no result of any function, aggregate, operator or cast');
SELECT is_empty('SELECT * FROM pg_temp.differences(''unprivileged, hostile'')', 'nor for an unprivileged role');
SELECT is_empty('SELECT what, count(*) FROM evil.calls GROUP BY what', 'and no look-alike is ever called');
-- The look-alikes are live: a call written without its schema reaches them.
CREATE FUNCTION pg_temp.unqualified_calls() RETURNS text LANGUAGE sql
SET search_path = evil, pg_catalog, public, profiling AS $$
    SELECT format('%s %s %s', order_count('{}'::profiling.purchase_history), 1::float8 + 1::float8,
                  '{}'::profiling.purchase_history::jsonb)
$$;
SELECT is(pg_temp.unqualified_calls(), '  ', 'calls written without their schema reach the look-alikes, which return NULL');
SELECT set_eq('SELECT what FROM evil.calls',
              $$VALUES ('profiling.order_count(profiling.purchase_history)'::regprocedure::text),
                       ('pg_catalog.+(float8, float8)'::regoperator::text),
                       ('cast purchase_history -> jsonb')$$,
              'and record their calls');

-- 3. A hash aggregate that spills to disk ---------------------------------------------------------

-- Every aggregate, grouped by customer over the small warehouse (its orders, or their monthly
-- summaries): a hash aggregate with 1GB of work_mem keeps every group in memory, one with 64kB
-- spills; the summaries are the same, byte for byte. Index scans are off, or GROUP BY customer_id
-- reads the (customer_id, ordered_at) index in order and needs no hash table.
CREATE TABLE rel_wh.monthly AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
  FROM rel_wh.orders GROUP BY customer_id, date_trunc('month', ordered_at);
ANALYZE rel_wh.monthly;
CREATE FUNCTION pg_temp.spill_checks() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    a record;
    query text;
    plan text;
    spilled text;
    hash_settings text[] := ARRAY['max_parallel_workers_per_gather=0', 'enable_sort=off', 'enable_indexscan=off',
                                  'enable_indexonlyscan=off', 'enable_bitmapscan=off'];
BEGIN
    FOR a IN SELECT g.*, t.send::regproc AS send FROM pg_temp.runnable_aggregate g JOIN pg_temp.ext_type t ON t.type = g.returns
              ORDER BY g.signature::text LOOP
        query := format('SELECT customer_id, %s(%s) AS bytes FROM rel_wh.%s GROUP BY customer_id', a.send, a.call,
                        CASE a.source WHEN 'orders' THEN 'orders' ELSE 'monthly' END);
        CALL pg_temp.plan_settings(VARIADIC hash_settings || 'work_mem=1GB'::text);
        plan := pg_temp.explain_analyze(query);
        EXECUTE format('CREATE TEMP TABLE spill_in_memory AS %s', query);
        CALL pg_temp.plan_settings(VARIADIC hash_settings || 'work_mem=64kB'::text);
        spilled := pg_temp.explain_analyze(query);
        EXECUTE format('CREATE TEMP TABLE spill_on_disk AS %s', query);
        RETURN NEXT ok(plan ~ 'HashAggregate' AND (regexp_match(plan, 'Batches: (\d+)'))[1]::int = 1 AND plan !~ 'Disk Usage'
                       AND spilled ~ 'HashAggregate' AND (regexp_match(spilled, 'Batches: (\d+)'))[1]::int > 1
                       AND (regexp_match(spilled, 'Disk Usage: (\d+)kB'))[1]::int > 0,
                       a.signature || ': with 64kB of work_mem the hash aggregate spills to disk, with 1GB it does not');
        RETURN NEXT is((SELECT count(*) FROM spill_in_memory m FULL JOIN spill_on_disk d USING (customer_id)
                         WHERE m.bytes IS DISTINCT FROM d.bytes), 0::bigint,
                       a.signature || ': a spilling hash aggregate gives the same summaries, byte for byte');
        RETURN NEXT diag(format('%s: with 64kB, %s batches and %s kB on disk', a.signature,
                                (regexp_match(spilled, 'Batches: (\d+)'))[1], (regexp_match(spilled, 'Disk Usage: (\d+)kB'))[1]));
        DROP TABLE spill_in_memory, spill_on_disk;
    END LOOP;
    CALL pg_temp.plan_settings();
END $$;
SELECT pg_temp.spill_checks();

-- 4. Cancellation --------------------------------------------------------------------------------

-- The fixtures. Large summaries are stored lz4-compressed: mostly one time and one amount, they
-- shrink to a few MB, and a statement that reads one spends a fraction of a second unpacking it.
CREATE SCHEMA rel;
-- One group of ten million rows: a hundred thousand orders, read a hundred times.
CREATE TABLE rel.one_group_orders AS
SELECT timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' AS ordered_at,
       (i % 5000 / 100.0 + 1)::numeric(12,2) AS amount, (i % 3 / 4.0)::numeric(12,2) AS coupon_amount
  FROM generate_series(1, 100000) i;
-- A million orders at one time (copies of it merge without a sort), and a million different ones.
CREATE TABLE rel.same_million (h profiling.purchase_history COMPRESSION lz4);
INSERT INTO rel.same_million
SELECT profiling.purchase_history(timestamptz '2010-11-01 12:00:00+00', 1::float8) FROM generate_series(1, 1000000);
CREATE TABLE rel.million (h profiling.purchase_history COMPRESSION lz4);
INSERT INTO rel.million
SELECT profiling.purchase_history(t, 1::float8)
  FROM generate_series(timestamptz '2020-01-01 00:00:00+00', timestamptz '2020-01-01 00:00:00+00' + 999999 * interval '7 seconds',
                       interval '7 seconds') t;
CREATE TABLE rel.large_summaries AS SELECT h FROM rel.same_million, generate_series(1, 44);
-- The huge summary: 44 million orders (the limit is 44,739,241), then a tail: two orders on both
-- sides of St. John's end of daylight saving in 2010, which put its clocks back from 00:01 to
-- 23:01 (local days go back), and amounts with one more decimal each, up to nine. One order has a
-- coupon, so every order takes 24 bytes: 1 GB, the largest a summary can be.
CREATE TABLE rel.huge (h profiling.purchase_history COMPRESSION lz4);
INSERT INTO rel.huge
SELECT profiling.rollup(h)
  FROM (SELECT h FROM rel.large_summaries
        UNION ALL
        SELECT '{(2010-11-07 02:30:30+00,0.5,0.5),(2010-11-07 02:35:00+00,0.25),(2010-11-08 00:00:00+00,0.125),
                 (2010-11-09 00:00:00+00,0.0625),(2010-11-10 00:00:00+00,0.03125),(2010-11-11 00:00:00+00,0.015625),
                 (2010-11-12 00:00:00+00,0.0078125),(2010-11-13 00:00:00+00,0.00390625),
                 (2010-11-14 00:00:00+00,0.001953125)}'::profiling.purchase_history) s;
CREATE TABLE rel.two_million (h profiling.purchase_history COMPRESSION lz4);
INSERT INTO rel.two_million SELECT profiling.rollup(h) FROM rel.same_million, generate_series(1, 2);
-- 24 stored summaries of a million orders, padded to two rows a page so that both workers of a
-- parallel scan get some.
CREATE TABLE rel.parallel_summaries (h profiling.purchase_history COMPRESSION lz4, pad text) WITH (parallel_workers = 2);
ALTER TABLE rel.parallel_summaries ALTER COLUMN pad SET STORAGE plain;
INSERT INTO rel.parallel_summaries SELECT h, repeat('x', 3000) FROM rel.same_million, generate_series(1, 24);
ANALYZE rel.parallel_summaries;
CALL pg_temp.force_parallel();
SELECT matches(pg_temp.plan_of((SELECT query FROM cancel_case WHERE setup LIKE '%force_parallel%')),
               'Gather(.|\n)*Partial Aggregate(.|\n)*Parallel Seq Scan on parallel_summaries',
               'the parallel case runs a partial aggregate on workers');
CALL pg_temp.plan_settings();

-- run_cancelled(name, query) runs one case; the CALL is the statement statement_timeout times,
-- from statement_timestamp(). It records when the query ended and the error it raised (57014 for
-- the timeout), then turns the timeout off. answer_after(name) then asks the backend SELECT 1.
CREATE TEMP TABLE cancel_result (name text, timeout_ms int, elapsed interval, error_code text, answered boolean);
CREATE PROCEDURE pg_temp.run_cancelled(case_name text, query text) LANGUAGE plpgsql AS $$
DECLARE
    timeout_ms int := (SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout');
    ended timestamptz;
    error_code text;
BEGIN
    BEGIN
        BEGIN
            EXECUTE query;
        EXCEPTION WHEN query_canceled OR others THEN
            error_code := SQLSTATE;
        END;
        ended := clock_timestamp();
    EXCEPTION WHEN query_canceled THEN
        -- The timeout came in a stretch that never checks for interrupts, and the query went on to
        -- its end, or to another error: the cancel takes effect at the next statement, here.
        ended := clock_timestamp();
        error_code := 'the query ended first';
    END;
    IF error_code IS NULL THEN
        -- The query ended before the timeout, which is still to come: let it come here.
        BEGIN
            PERFORM pg_sleep(timeout_ms / 1000.0 + 0.1 - extract(epoch FROM clock_timestamp() - statement_timestamp()));
        EXCEPTION WHEN query_canceled THEN
            NULL;
        END;
    END IF;
    PERFORM set_config('statement_timeout', '0', true);
    INSERT INTO pg_temp.cancel_result VALUES (case_name, timeout_ms, ended - statement_timestamp(), error_code);
    CALL pg_temp.plan_settings();
    PERFORM set_config('TimeZone', 'UTC', true);
END $$;
-- calibrate(name) adds the time lands_after takes to the timeout, or sets it to at_fraction of
-- the time the query takes; arm(name) sets it.
CREATE PROCEDURE pg_temp.calibrate(case_name text) LANGUAGE plpgsql AS $$
DECLARE
    c pg_temp.cancel_case;
    started timestamptz;
BEGIN
    SELECT * INTO c FROM pg_temp.cancel_case WHERE name = case_name;
    IF c.at_fraction IS NOT NULL THEN
        EXECUTE c.setup;
        started := clock_timestamp();
        EXECUTE c.query;
        UPDATE pg_temp.cancel_case SET timeout_ms = c.at_fraction * extract(epoch FROM clock_timestamp() - started) * 1000
         WHERE name = case_name;
    ELSIF c.lands_after IS NOT NULL THEN
        CALL pg_temp.force_serial();
        started := clock_timestamp();
        EXECUTE c.lands_after;
        UPDATE pg_temp.cancel_case SET timeout_ms = timeout_ms + extract(epoch FROM clock_timestamp() - started) * 1000
         WHERE name = case_name;
    END IF;
END $$;
CREATE PROCEDURE pg_temp.arm(case_name text) LANGUAGE plpgsql AS $$
DECLARE
    timeout int := (SELECT timeout_ms FROM pg_temp.cancel_case WHERE name = case_name);
BEGIN
    IF timeout IS NULL THEN
        RAISE EXCEPTION 'cancel case "%" has no timeout: its calibration set none', case_name;
    END IF;
    PERFORM set_config('statement_timeout', timeout::text, true);
END $$;
CREATE PROCEDURE pg_temp.answer_after(case_name text) LANGUAGE plpgsql AS $$
DECLARE
    one int;
BEGIN
    EXECUTE 'SELECT 1' INTO one;
    UPDATE pg_temp.cancel_result SET answered = one IS NOT DISTINCT FROM 1 WHERE name = case_name;
END $$;
-- Each case as five statements: the calibration, its setup, the timeout, the case, SELECT 1.
SELECT format('CALL pg_temp.calibrate(%L)', name), setup, format('CALL pg_temp.arm(%L)', name),
       format('CALL pg_temp.run_cancelled(%L, %L)', name, query), format('CALL pg_temp.answer_after(%L)', name)
  FROM cancel_case ORDER BY n \gexec

CREATE FUNCTION pg_temp.cancelled_in_time(case_name text, bug text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    r pg_temp.cancel_result;
    latency float8;
BEGIN
    SELECT * INTO r FROM pg_temp.cancel_result WHERE name = case_name;
    latency := extract(epoch FROM r.elapsed) - r.timeout_ms / 1000.0;
    RETURN NEXT is(r.error_code, '57014', case_name || ': cancelled by statement_timeout');
    IF bug IS NULL THEN
        RETURN NEXT cmp_ok(latency, '<', 1::float8, case_name || ': cancelled within a second of the timeout');
    ELSE
        RETURN NEXT cmp_ok(latency, '>=', 1::float8, format('BUG: %s: %s; the cancel waits for it, more than a second', case_name, bug));
    END IF;
    RETURN NEXT ok(r.answered, case_name || ': then the backend answers SELECT 1');
    RETURN NEXT diag(format('%s: timeout %s ms, cancelled %s ms after it', case_name, r.timeout_ms, round(latency * 1000)));
END $$;
SELECT pg_temp.cancelled_in_time(name, bug) FROM cancel_case ORDER BY n;

-- 5. Values at the size limits --------------------------------------------------------------------

-- Binary input of a value that claims the most orders a summary may hold, or one more, and
-- carries none: refused (22P03) from the header alone, before anything the size of the claim is
-- allocated.
SELECT is(pg_temp.binary_error('profiling.purchase_history', '\x0100'::bytea || int4send(44739241)),
          '22P03: invalid binary purchase_history value: The length does not match the order count.',
          'binary input claiming 44,739,241 orders without them: refused from its header');
SELECT is(pg_temp.binary_error('profiling.purchase_history', '\x0100'::bytea || int4send(44739242)),
          '22P03: invalid binary purchase_history value: The order count is out of range.',
          'binary input claiming 44,739,242 orders, one more than a summary holds: refused from its header');

-- A summary within the documented order limit can be too large for its text form, which must fit
-- in 1 GB: 44 million orders print as 1.2 GB. Output refuses it with a documented 54000 and a hint
-- (binary COPY, or during()) instead of a bare "out of memory".
SELECT throws_ok('SELECT length(h::text) FROM rel.huge', '54000', 'purchase_history value is too large for its text form',
                 'text output of a summary of 44 million orders: a documented 54000, not out of memory');
