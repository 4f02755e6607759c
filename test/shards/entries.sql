-- The aggregates of the sharded test (test/shards/run.sh), one row each.
--
-- A summary type joins by adding ONE row here (the suite fails, naming the aggregate, until every
-- aggregate of the extension has its row; another form of an aggregate, over another source, adds
-- a row named after the aggregate and a few words: 'baskets over lines'): its aggregate over one
-- of the sources (orders, lines, interactions, baskets, customers: test/shards/setup.sql builds
-- them, every one with customer_id, the shard key, and part), and test/shards/summaries.sql asserts, for the row:
--   keys given (a GROUP BY that starts with customer_id): the aggregate, the accessor and the
--     HAVING run on the shards (Remote SQL), the groups equal one server's in text and in send
--     bytes, the accessor equals one server's; with a rollup, rollup of the three shards'
--     pushed-down totals equals one pass, and summaries stored on the shards (one per group and
--     part) merge with a pushed-down rollup ... GROUP BY keys into one server's;
--   keys NULL (an aggregate over customers, not per customer): each shard's value is pushed
--     down and equals one server's over that shard's customers; with a rollup, the rollup of the
--     three equals one pass; without, the coordinator's value over all shards equals one pass;
--   bad_row given: that row, inserted through the coordinator into the source's shard, makes the
--     sharded query fail with bad_sqlstate and the message one server gives in the settings of
--     postgres_fdw's sessions (a value quoted in a message follows IntervalStyle).
-- stable: an aggregate whose result follows the session TimeZone (cohorts' calendar periods) is
--   recorded STABLE by its install script, so postgres_fdw keeps it on the coordinator (a shard's
--   session runs in GMT); the suite asserts it is NOT pushed down and still equals one server's
--   in the coordinator's zone (Asia/Tokyo, where GMT's periods differ: asserted too).
-- Write every function schema-qualified (profiling.), since the shards run the same text;
-- %s in accessor and having_cond stands for the aggregate.
CREATE TABLE shards.entries (
    name         text PRIMARY KEY,      -- the aggregate
    type         regtype NOT NULL,      -- its result type (text and send bytes are compared)
    source       text NOT NULL,         -- the table it reads: one.<source>, dist.<source>
    keys         text,                  -- GROUP BY, starting with customer_id; NULL: one value per shard
    agg          text NOT NULL,         -- the aggregate call
    accessor     text,                  -- an IMMUTABLE accessor of %s (pushed down with it)
    having_cond  text,                  -- a HAVING condition on %s (pushed down with it)
    has_rollup   boolean NOT NULL,      -- profiling.rollup(type) exists
    bad_row      text,                  -- (columns) VALUES (...) of a row the aggregate rejects
    bad_sqlstate text,                  -- the SQLSTATE it raises
    stable       boolean NOT NULL DEFAULT false  -- follows the session TimeZone: stays on the coordinator
);

INSERT INTO shards.entries (name, type, source, keys, agg, accessor, having_cond, has_rollup, bad_row, bad_sqlstate) VALUES
('purchase_history', 'profiling.purchase_history', 'orders', 'customer_id',
 'profiling.purchase_history(ordered_at, amount, coupon_amount)',
 'profiling.total_spend(%s)', 'profiling.order_count(%s) >= 2', true,
 $$(customer_id, order_id, ordered_at, amount, coupon_amount, part) VALUES (7, 900000001, '2025-06-01 10:00+00', -12.5, 0, 1)$$, '22023'),
('engagement', 'profiling.engagement', 'interactions', 'customer_id',
 'profiling.engagement(at, duration)',
 'profiling.total_duration(%s)', 'profiling.interaction_count(%s) >= 2', true,
 $$(customer_id, at, kind, duration, part) VALUES (7, '2025-06-01 10:00+00', 'visit', '-5 minutes', 1)$$, '22023'),
('item_history', 'profiling.item_history', 'lines', 'customer_id, product_id',
 'profiling.item_history(ordered_at, quantity, coupon)',
 'profiling.total_quantity(%s)', 'profiling.line_count(%s) >= 2', true,
 $$(customer_id, order_id, product_id, ordered_at, quantity, coupon, amount, unit_price, category, tier, part)
   VALUES (7, 900000001, 1, '2025-06-01 10:00+00', 'NaN', 0, 1, 1, 'books', 'low', 1)$$, '22023'),
('loyalty_trend', 'profiling.loyalty_trend', 'lines', 'customer_id',
 'profiling.loyalty_trend(ordered_at, amount, category)',
 'profiling.total_amount(%s)', 'profiling.category_count(%s) >= 2', true,
 $$(customer_id, order_id, product_id, ordered_at, quantity, coupon, amount, unit_price, category, tier, part)
   VALUES (7, 900000001, 1, '2025-06-01 10:00+00', 1, 0, -1, 1, 'books', 'low', 1)$$, '22023'),
('tier_mix', 'profiling.tier_mix', 'lines', 'customer_id',
 'profiling.tier_mix(tier, amount)',
 'profiling.dominant_tier(%s)', NULL, true,
 $$(customer_id, order_id, product_id, ordered_at, quantity, coupon, amount, unit_price, category, tier, part)
   VALUES (7, 900000001, 1, '2025-06-01 10:00+00', 1, 0, 'Infinity', 1, 'books', 'low', 1)$$, '22023'),
('item_sequence', 'profiling.item_sequence', 'lines', 'customer_id',
 'profiling.item_sequence(ordered_at, product_id)',
 'profiling.item_count(%s)', 'profiling.line_count(%s) >= 2', true,
 $$(customer_id, order_id, product_id, ordered_at, quantity, coupon, amount, unit_price, category, tier, part)
   VALUES (7, 900000001, 1, 'infinity', 1, 0, 1, 1, 'books', 'low', 1)$$, '22008'),
('price_bands', 'profiling.price_bands', 'lines', NULL,
 'profiling.price_bands(unit_price)',
 'profiling.price_count(%s)', NULL, false,
 $$(customer_id, order_id, product_id, ordered_at, quantity, coupon, amount, unit_price, category, tier, part)
   VALUES (7, 900000001, 1, '2025-06-01 10:00+00', 1, 0, 1, 'NaN', 'books', 'low', 1)$$, '22023'),
('baskets', 'profiling.baskets', 'baskets', NULL,
 'profiling.baskets(items)',
 'profiling.basket_count(%s)', NULL, true, NULL, NULL),
('baskets over lines', 'profiling.baskets', 'lines', NULL,
 'profiling.baskets(order_id, product_id)',
 'profiling.basket_count(%s)', NULL, true, NULL, NULL),
('paths', 'profiling.paths', 'customers', NULL,
 $$profiling.paths(seq, '30 days') FILTER (WHERE seq IS NOT NULL)$$,
 'profiling.customer_count(%s)', NULL, true, NULL, NULL),
('value_distribution', 'profiling.value_distribution', 'customers', NULL,
 'profiling.value_distribution(v, o) FILTER (WHERE h IS NOT NULL)',
 'profiling.gini(%s)', NULL, true,
 $$(customer_id, h, v, o, part) VALUES (7, '{}', 10, -1, 1)$$, '22023'),
('transitions', 'profiling.transitions', 'customers', NULL,
 'profiling.transitions(s0, s1)',
 $$profiling.transition_count(%s, 'new', 'active')$$, NULL, true, NULL, NULL),
('rfm_model', 'profiling.rfm_model', 'customers', NULL,
 'profiling.rfm_model(r, f, m) FILTER (WHERE h IS NOT NULL)',
 'profiling.bins(%s)', NULL, false, NULL, NULL),
('bgnbd_fit', 'profiling.bgnbd', 'customers', NULL,
 'profiling.bgnbd_fit(x, t_x, "T") FILTER (WHERE h IS NOT NULL)',
 NULL, NULL, false,
 $$(customer_id, h, x, t_x, "T", part) VALUES (7, '{}', 1, 11, 10, 1)$$, '22023'),
('mbgnbd_fit', 'profiling.mbgnbd', 'customers', NULL,
 'profiling.mbgnbd_fit(x, t_x, "T") FILTER (WHERE h IS NOT NULL)',
 NULL, NULL, false,
 $$(customer_id, h, x, t_x, "T", part) VALUES (7, '{}', 1, 11, 10, 1)$$, '22023'),
('pnbd_fit', 'profiling.pnbd', 'customers', NULL,
 'profiling.pnbd_fit(x, t_x, "T") FILTER (WHERE h IS NOT NULL)',
 NULL, NULL, false,
 $$(customer_id, h, x, t_x, "T", part) VALUES (7, '{}', 1, 11, 10, 1)$$, '22023'),
('holdout_check', 'profiling.holdout_check', 'customers', NULL,
 'profiling.holdout_check(x, x / 2.0 + t_x / 10, o::int - 1) FILTER (WHERE h IS NOT NULL)',
 'profiling.mean_absolute_error(%s)', NULL, true,
 $$(customer_id, h, x, t_x, "T", o, part) VALUES (7, '{}', 1, 1, 10, -1, 1)$$, '22023'),
('gamma_gamma_fit', 'profiling.gamma_gamma', 'customers', NULL,
 'profiling.gamma_gamma_fit(x, monetary) FILTER (WHERE h IS NOT NULL)',
 NULL, NULL, false,
 $$(customer_id, h, x, monetary, part) VALUES (7, '{}', 2, 0, 1)$$, '22023');

-- An aggregate whose result follows the session TimeZone.
INSERT INTO shards.entries VALUES
('cohorts', 'profiling.cohorts', 'customers', NULL,
 'profiling.cohorts(h) FILTER (WHERE h IS NOT NULL)',
 NULL, NULL, true, NULL, NULL, true);
