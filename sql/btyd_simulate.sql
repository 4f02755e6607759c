-- btyd_simulate: simulate(model bgnbd, customers, T, seed) and simulate(model, customers, T_min,
-- T_max, seed), customers drawn from a BG/NBD. The exact rows of a small seeded draw, the
-- properties a user relies on (deterministic by seed, customer k the same whatever the count),
-- the planner's row estimate, and bad input. That fits recover the parameters, and that the
-- standard errors cover them, is in test/pgtap/btyd_simulate.sql; the draws' statistics are in
-- test/unit/test_btyd_simulate.c.
SET client_min_messages = warning;
SET search_path = public, profiling;
SET extra_float_digits = 1;

-- A model typed from its parameters (the fields a fit fills are placeholders here).
CREATE TABLE sim_model AS
SELECT '(r=0.25, alpha=4, a=0.8, b=2.5, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)'::profiling.bgnbd AS m;

-- Eight customers of seed 42, each observed for 52 units (times to 10 decimals). Customer 2
-- made 3 repeat purchases, the last at 4.48 (and has most likely dropped out since); customer 8
-- one; the others none (x = 0, t_x = 0). The same x are pinned in test/unit/test_btyd_simulate.c.
SELECT s.customer, s.x, round(s.t_x::numeric, 10) AS t_x, s."T"
  FROM sim_model, profiling.simulate(m, 8, 52, 42) s;
-- T drawn uniformly between 30 and 80 for each customer.
SELECT s.customer, s.x, round(s.t_x::numeric, 10) AS t_x, round(s."T"::numeric, 10) AS "T"
  FROM sim_model, profiling.simulate(m, 5, 30, 80, 42) s;
-- T_min = T_max is the fixed T, draw for draw.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (a.x, a.t_x, a."T") IS DISTINCT FROM (b.x, b.t_x, b."T")) AS differing
  FROM sim_model,
       profiling.simulate(m, 1000, 52, 42) a
       JOIN profiling.simulate(m, 1000, 52, 52, 42) b USING (customer);

-- Deterministic: the same seed gives the same rows; customer k does not depend on how many
-- are asked for (the first 8 of 1000 are the 8 above); another seed gives other customers.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (a.x, a.t_x, a."T") IS DISTINCT FROM (b.x, b.t_x, b."T")) AS differing
  FROM sim_model,
       profiling.simulate(m, 8, 52, 42) a
       JOIN (SELECT * FROM sim_model, profiling.simulate(m, 1000, 52, 42) LIMIT 8) b USING (customer);
SELECT count(*) FILTER (WHERE (a.x, a.t_x) IS DISTINCT FROM (b.x, b.t_x)) > 100 AS other_seed_differs
  FROM sim_model,
       profiling.simulate(m, 1000, 52, 42) a
       JOIN profiling.simulate(m, 1000, 52, 43) b USING (customer);

-- The shape of 10,000 customers: a share of about (alpha / (alpha + T))^r = 0.517 without a
-- repeat purchase, mean x about E[X(52)] = 1.588, t_x within [0, T], t_x = 0 exactly when x = 0.
SELECT count(*) AS customers,
       round(avg((x = 0)::int), 3) AS share_x0,
       round(avg(x), 3) AS mean_x,
       max(x) AS max_x,
       count(*) FILTER (WHERE NOT (t_x BETWEEN 0 AND "T") OR (x = 0) <> (t_x = 0)) AS bad_rows
  FROM sim_model, profiling.simulate(m, 10000, 52, 7);
-- And as the model predicts: the model's E[X(52)] and P(X(52) = 0).
SELECT round(profiling.expected_purchases(m, 52)::numeric, 3) AS "E[X(52)]",
       round(profiling.prob_purchases(m, 0, 52)::numeric, 3) AS "P(X(52) = 0)"
  FROM sim_model;

-- No customers: no rows. A NULL argument: no rows (STRICT).
SELECT count(*) AS no_customers FROM sim_model, profiling.simulate(m, 0, 52, 1);
SELECT count(*) AS null_seed FROM sim_model, profiling.simulate(m, 10, 52, NULL);
SELECT count(*) AS null_model FROM profiling.simulate(NULL::profiling.bgnbd, 10, 30, 80, 1);

-- In a SELECT list, value per call.
SELECT (profiling.simulate(m, 3, 52, 42)).customer FROM sim_model;

-- The planner knows the row count: the customers argument (a constant, or one it can fold).
CREATE FUNCTION sim_plan_rows(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || query LOOP
        RETURN substring(line FROM 'rows=[0-9]+');
    END LOOP;
END $$;
SELECT q, sim_plan_rows(q) FROM (VALUES
    ($$SELECT * FROM profiling.simulate('(r=0.25, alpha=4, a=0.8, b=2.5, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)', 123456, 52, 1)$$),
    ($$SELECT * FROM profiling.simulate('(r=0.25, alpha=4, a=0.8, b=2.5, ll=0, customers=1, converged=false, iterations=0, gradient_norm=0, se_r=NaN, se_alpha=NaN, se_a=NaN, se_b=NaN)', 2 * 500, 30, 80, 1)$$)) AS v(q);

-- A fit on simulated customers: 20,000 of seed 1, T between 30 and 80, back near r = 0.25,
-- alpha = 4, a = 0.8, b = 2.5 (test/pgtap/btyd_simulate.sql checks the tolerances).
SELECT round(p.r::numeric, 2) AS r, round(p.alpha::numeric, 1) AS alpha,
       round(p.a::numeric, 1) AS a, round(p.b::numeric, 1) AS b, p.customers, p.converged
  FROM (SELECT profiling.bgnbd_fit(s.x, s.t_x, s."T") AS f
          FROM sim_model, profiling.simulate(m, 20000, 30, 80, 1) s) fit,
       profiling.params(fit.f) p;

-- Bad input.
SELECT v.sql, e.* FROM (VALUES
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), -1, 52, 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 0, 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, -52, 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 'NaN', 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 'Infinity', 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 80, 30, 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 0, 80, 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, 30, 'Infinity', 1)$$),
    ($$SELECT * FROM profiling.simulate((SELECT m FROM sim_model), 10, '-Infinity', 80, 1)$$),
    ($$SELECT * FROM profiling.simulate('(r=0.25)', 10, 52, 1)$$)) AS v(sql),
  LATERAL regress.error_of(sql) e;

DROP FUNCTION sim_plan_rows(text);
DROP TABLE sim_model;
