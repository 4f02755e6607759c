-- docs_transitions: every SQL example of docs/transitions.md, verbatim and in its order, on the
-- tiny sample warehouse (schema shop, built by setup), then every example statement of its
-- Errors table. test/pgtap/docs.sql checks that each example is here, that each result the page
-- shows is the output of its own query below, and that each error example raises the SQLSTATE
-- the page gives.
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 1;

CREATE TABLE shop.lives AS
SELECT c.customer_id, c.registered_at, c.closed_at, h.h, e.e
  FROM shop.customers c
  LEFT JOIN (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
               FROM shop.orders GROUP BY customer_id) h USING (customer_id)
  LEFT JOIN (SELECT customer_id, profiling.engagement(at, duration) AS e
               FROM shop.interactions GROUP BY customer_id) e USING (customer_id);

SELECT profiling.transitions(profiling.stage(registered_at, closed_at, h, e, '2025-10-01'),
                             profiling.stage(registered_at, closed_at, h, e, '2026-01-01')) AS last_quarter
  FROM shop.lives;

CREATE TABLE shop.flows AS
SELECT c.channel,
       profiling.transitions(profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2025-10-01'),
                             profiling.stage(l.registered_at, l.closed_at, l.h, l.e, '2026-01-01')) AS t
  FROM shop.lives l JOIN shop.customers c USING (customer_id)
 GROUP BY c.channel;

SELECT channel, profiling.transition_count(t, 'new', 'dormant') AS new_to_dormant,
       profiling.transition_count(t, 'repeat', 'repeat') AS repeat_kept
  FROM shop.flows ORDER BY channel;

SELECT profiling.rollup(t) OPERATOR(profiling.=) (SELECT profiling.transitions(profiling.stage(registered_at, closed_at, h, e, '2025-10-01'),
                                                           profiling.stage(registered_at, closed_at, h, e, '2026-01-01'))
                                FROM shop.lives) AS same
  FROM shop.flows;

SELECT r.*
  FROM (SELECT profiling.rollup(t) AS t FROM shop.flows) q, profiling.transition_rates(q.t) r;

SELECT a AS from_stage, b AS to_stage, coalesce(r.rate, 0) AS rate
  FROM unnest(enum_range(NULL::profiling.lifecycle_stage)) a
 CROSS JOIN unnest(enum_range(NULL::profiling.lifecycle_stage)) b
  LEFT JOIN profiling.transition_rates((SELECT profiling.rollup(t) FROM shop.flows)) r
         ON r.from_stage = a AND r.to_stage = b
 WHERE a = 'new'
 ORDER BY b;

SELECT ' { (vip,dormant,2), (new,repeat,5), (new,new,0) } '::profiling.transitions AS t;

-- The Errors table: each example statement and what it raises.
SELECT e.error_code, e.message, v.statement
  FROM (VALUES
       ($$SELECT profiling.transitions('new', 'gold')$$),
       ($$SELECT '{(new,Repeat,5)}'::profiling.transitions$$),
       ($$SELECT '{(new,repeat,5),(new,repeat,1)}'::profiling.transitions$$),
       ($$SELECT '{(new,repeat,-5)}'::profiling.transitions$$),
       ($$SELECT '{(new,repeat,9223372036854775808)}'::profiling.transitions$$),
       ($$SELECT profiling.rollup(t) FROM (VALUES ('{(new,repeat,9223372036854775807)}'::profiling.transitions), ('{(new,repeat,1)}')) AS v(t)$$)) AS v(statement),
       regress.error_of(v.statement) AS e;

-- Leave the shared database as setup built it (later tests may create these tables too).
DROP TABLE shop.flows, shop.lives;
