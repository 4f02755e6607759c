-- The sharded test's assertions, on the coordinator, after test/shards/run.sh has set up three
-- shards (test/shards/setup.sql, distribute.sql): for every entry of test/shards/entries.sql,
-- the aggregate is pushed down to the shards, its summaries equal one server's byte for byte
-- (text and send bytes), rollup of the shards' results equals one pass, summaries stored on the
-- shards merge with a pushed-down rollup ... GROUP BY, and a bad row on a shard raises the
-- extension's error with its SQLSTATE on the coordinator. The coordinator's session shows values
-- in yet another TimeZone, DateStyle and IntervalStyle than the shards.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
BEGIN;
SET LOCAL search_path = public;
SET LOCAL enable_partitionwise_aggregate = on;
SET LOCAL TimeZone = 'Asia/Tokyo';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL IntervalStyle = 'sql_standard';

-- Assertions per entry (the plan below counts them the same way).
CREATE FUNCTION pg_temp.assertions(e shards.entries) RETURNS int LANGUAGE sql AS $$
    SELECT CASE WHEN e.keys IS NOT NULL
                THEN 3 + 2 * (e.accessor IS NOT NULL OR e.having_cond IS NOT NULL)::int + 4 * e.has_rollup::int
                ELSE 4 + (e.accessor IS NOT NULL)::int
           END + 2 * (e.bad_row IS NOT NULL)::int + 3 * e.stable::int
$$;
SELECT plan(9 + (SELECT sum(pg_temp.assertions(e))::int FROM shards.entries e));

-- EXPLAIN (VERBOSE) of a query, and whether the shards run it: how many of its Remote SQL lines
-- hold every needle, of how many, and whether an aggregate is left on the coordinator.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
CREATE FUNCTION pg_temp.pushed(query text, needles text[]) RETURNS text LANGUAGE sql AS $$
    WITH lines AS (SELECT l FROM regexp_split_to_table(pg_temp.plan_of(query), E'\n') l)
    SELECT format('%s of %s shards run it%s',
                  count(*) FILTER (WHERE l ~ 'Remote SQL:'
                                     AND (SELECT bool_and(strpos(l, n) > 0) FROM unnest(needles) n)),
                  count(*) FILTER (WHERE l ~ 'Remote SQL:'),
                  CASE WHEN bool_or(l ~ '^\s*(->\s+)?(Finalize |Partial )?(Hash|Group|Mixed)?Aggregate')
                       THEN ', with an aggregate left on the coordinator' ELSE '' END)
      FROM lines
$$;
-- The functions an expression calls ('profiling.x('), and HAVING when it has one: what the
-- Remote SQL must hold.
CREATE FUNCTION pg_temp.needles(expressions text[], having_cond text DEFAULT NULL) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(DISTINCT m[1]) || CASE WHEN having_cond IS NULL THEN '{}'::text[] ELSE '{HAVING}' END
      FROM unnest(expressions) x, regexp_matches(x, '(profiling\.[a-z_]+\()', 'g') m
$$;
-- A query's single value as text.
CREATE FUNCTION pg_temp.value_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN result;
END $$;
-- The error a query raises, as 'SQLSTATE: message', or NULL when it runs.
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- The send function of a type, to compare values by their bytes.
CREATE FUNCTION pg_temp.send_of(t regtype) RETURNS text LANGUAGE sql AS $$
    SELECT typsend::regproc::text FROM pg_type WHERE oid = t
$$;

-- The groups of two queries (keys, v) whose v differ, as text or as send bytes; and how many
-- groups the second has: '0 of N groups differ'.
CREATE FUNCTION pg_temp.differ(sharded text, one text, keys text, form text) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s of %s groups differ',
                  pg_temp.value_of(format('SELECT count(*) FROM (%s) d FULL JOIN (%s) o USING (%s) WHERE %s IS DISTINCT FROM %s',
                                          sharded, one, keys, format(form, 'd.v'), format(form, 'o.v'))),
                  pg_temp.value_of(format('SELECT count(*) FROM (%s) o', one)))
$$;

-- The queries of an entry, on the shards (dist) or on one server (one).
CREATE FUNCTION pg_temp.grouped(e shards.entries, schema text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT %s, %s AS v FROM %I.%I GROUP BY %s', e.keys, e.agg, schema, e.source, e.keys)
$$;
CREATE FUNCTION pg_temp.grouped_accessor(e shards.entries, schema text) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT %s, %s AS v FROM %I.%I GROUP BY %s%s', e.keys,
                  coalesce(format(e.accessor, e.agg), 'true'), schema, e.source, e.keys,
                  ' HAVING ' || format(e.having_cond, e.agg))
$$;
-- Each shard's value (and accessor), straight from its foreign table: one row per shard.
CREATE FUNCTION pg_temp.per_shard(e shards.entries, accessor boolean DEFAULT false) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(format('SELECT %s AS shard, %s AS v%s FROM dist.%I', i, e.agg,
                             CASE WHEN accessor THEN ', ' || format(e.accessor, e.agg) || ' AS a' ELSE '' END,
                             e.source || '_' || i), ' UNION ALL ' ORDER BY i)
      FROM generate_series(1, (SELECT count(*)::int FROM pg_foreign_server WHERE srvname LIKE 'shard%')) i
$$;
-- The same on one server: each shard's customers' rows.
CREATE FUNCTION pg_temp.per_shard_one(e shards.entries, accessor boolean DEFAULT false) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT shard, %s AS v%s FROM one.%I JOIN one.shard_map USING (customer_id) GROUP BY shard',
                  e.agg, CASE WHEN accessor THEN ', ' || format(e.accessor, e.agg) || ' AS a' ELSE '' END, e.source)
$$;

-- Every assertion of one entry.
CREATE FUNCTION pg_temp.check_entry(e shards.entries) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    send text := pg_temp.send_of(e.type);
    on_shards text;
    on_one text;
    one_pass text;
    runs_there text := CASE WHEN e.stable THEN '0 of 3 shards run it, with an aggregate left on the coordinator'
                            ELSE '3 of 3 shards run it' END;
BEGIN
    IF e.keys IS NOT NULL THEN
        RETURN NEXT is(pg_temp.pushed(pg_temp.grouped(e, 'dist'), pg_temp.needles(ARRAY[e.agg])), runs_there,
                       e.name || ': GROUP BY ' || e.keys || ' runs on the shards (Remote SQL)');
        RETURN NEXT is(pg_temp.differ(pg_temp.grouped(e, 'dist'), pg_temp.grouped(e, 'one'), e.keys, '%s::text'),
                       pg_temp.differ(pg_temp.grouped(e, 'one'), pg_temp.grouped(e, 'one'), e.keys, '%s::text'),
                       e.name || ': every group equals one server''s, in text');
        RETURN NEXT is(pg_temp.differ(pg_temp.grouped(e, 'dist'), pg_temp.grouped(e, 'one'), e.keys, send || '(%s)'),
                       pg_temp.differ(pg_temp.grouped(e, 'one'), pg_temp.grouped(e, 'one'), e.keys, send || '(%s)'),
                       e.name || ': every group equals one server''s, in send bytes');
        IF e.accessor IS NOT NULL OR e.having_cond IS NOT NULL THEN
            RETURN NEXT is(pg_temp.pushed(pg_temp.grouped_accessor(e, 'dist'),
                                          pg_temp.needles(ARRAY[e.agg, e.accessor, e.having_cond], e.having_cond)),
                           '3 of 3 shards run it',
                           e.name || ': ' || concat_ws(' and ', 'the accessor ' || format(e.accessor, e.name), 'HAVING ' || format(e.having_cond, e.name))
                           || ' run on the shards (Remote SQL)');
            RETURN NEXT is(pg_temp.differ(pg_temp.grouped_accessor(e, 'dist'), pg_temp.grouped_accessor(e, 'one'), e.keys, '%s::text'),
                           pg_temp.differ(pg_temp.grouped_accessor(e, 'one'), pg_temp.grouped_accessor(e, 'one'), e.keys, '%s::text'),
                           e.name || ': the accessor and HAVING give one server''s groups and values');
        END IF;
        IF e.has_rollup THEN
            -- The shards' totals (one pushed-down value each), merged on the coordinator.
            RETURN NEXT is(pg_temp.pushed(pg_temp.per_shard(e), pg_temp.needles(ARRAY[e.agg])), runs_there,
                           e.name || ': each shard''s total runs on the shard (Remote SQL)');
            RETURN NEXT is(pg_temp.value_of(format('SELECT %s(profiling.rollup(v)) FROM (%s) s', send, pg_temp.per_shard(e))),
                           pg_temp.value_of(format('SELECT %s(%s) FROM one.%I', send, e.agg, e.source)),
                           e.name || ': rollup of the shards'' totals = one pass over all rows, byte for byte');
            -- Summaries stored on the shards, one per group and part, merged there.
            RETURN NEXT is(pg_temp.pushed(format('SELECT %s, profiling.rollup(s) AS v FROM dist.%I GROUP BY %s',
                                                 e.keys, 'stored_' || e.name, e.keys), '{profiling.rollup(}'),
                           '3 of 3 shards run it', e.name || ': rollup ... GROUP BY ' || e.keys || ' of stored summaries runs on the shards (Remote SQL)');
            RETURN NEXT is(pg_temp.differ(format('SELECT %s, profiling.rollup(s) AS v FROM dist.%I GROUP BY %s',
                                                 e.keys, 'stored_' || e.name, e.keys),
                                          pg_temp.grouped(e, 'one'), e.keys, send || '(%s)'),
                           pg_temp.differ(pg_temp.grouped(e, 'one'), pg_temp.grouped(e, 'one'), e.keys, send || '(%s)'),
                           e.name || ': stored summaries merged on the shards = one server''s one pass, byte for byte');
        END IF;
    ELSE
        RETURN NEXT is(pg_temp.pushed(pg_temp.per_shard(e, e.accessor IS NOT NULL),
                                      pg_temp.needles(ARRAY[e.agg, e.accessor])), runs_there,
                       CASE WHEN e.stable THEN e.name || ': each shard''s value is computed on the coordinator (STABLE: it follows the session TimeZone)'
                            ELSE e.name || ': each shard''s value' || coalesce(' and ' || format(e.accessor, e.name), '')
                                 || ' run on the shard (Remote SQL)' END);
        RETURN NEXT is(pg_temp.differ(pg_temp.per_shard(e), pg_temp.per_shard_one(e), 'shard', '%s::text'),
                       '0 of 3 groups differ', e.name || ': each shard''s value = one server''s over its customers, in text');
        RETURN NEXT is(pg_temp.differ(pg_temp.per_shard(e), pg_temp.per_shard_one(e), 'shard', send || '(%s)'),
                       '0 of 3 groups differ', e.name || ': each shard''s value = one server''s over its customers, in send bytes');
        IF e.accessor IS NOT NULL THEN
            RETURN NEXT is(pg_temp.value_of(format('SELECT count(*) FROM (%s) d FULL JOIN (%s) o USING (shard) WHERE d.a::text IS DISTINCT FROM o.a::text',
                                                   pg_temp.per_shard(e, true), pg_temp.per_shard_one(e, true))),
                           '0', e.name || ': ' || format(e.accessor, e.name) || ' on each shard = one server''s');
        END IF;
        one_pass := pg_temp.value_of(format('SELECT %s(%s) FROM one.%I', send, e.agg, e.source));
        IF e.has_rollup THEN
            RETURN NEXT is(pg_temp.value_of(format('SELECT %s(profiling.rollup(v)) FROM (%s) s', send, pg_temp.per_shard(e))),
                           one_pass, e.name || ': rollup of the shards'' values = one pass, byte for byte');
        ELSE
            -- No rollup: the coordinator aggregates the shards' rows itself (PostgreSQL 15 pushes no
            -- partial aggregate), and the result is one server's.
            RETURN NEXT is(pg_temp.value_of(format('SELECT %s(%s) FROM dist.%I', send, e.agg, e.source)),
                           one_pass, e.name || ': over all shards, on the coordinator = one pass, byte for byte');
        END IF;
    END IF;
    IF e.bad_row IS NOT NULL THEN
        -- The bad row goes to its shard and to one server, and is rolled back after, with the
        -- settings: one server's message is written in the settings postgres_fdw gives the
        -- shards' sessions (a value in a message follows IntervalStyle and DateStyle).
        BEGIN
            EXECUTE format('INSERT INTO dist.%I %s', e.source, e.bad_row);
            EXECUTE format('INSERT INTO one.%I %s', e.source, e.bad_row);
            PERFORM set_config('TimeZone', 'GMT', true), set_config('DateStyle', 'ISO', true),
                    set_config('IntervalStyle', 'postgres', true);
            IF e.keys IS NOT NULL THEN
                on_shards := pg_temp.error_of(pg_temp.grouped(e, 'dist'));
                on_one := pg_temp.error_of(pg_temp.grouped(e, 'one'));
            ELSE
                on_shards := pg_temp.error_of(pg_temp.per_shard(e));
                on_one := pg_temp.error_of(pg_temp.per_shard_one(e));
            END IF;
            RAISE EXCEPTION 'roll the bad row back';
        EXCEPTION WHEN raise_exception THEN
            NULL;
        END;
        RETURN NEXT is(split_part(on_shards, ':', 1), e.bad_sqlstate,
                       e.name || ': a bad row on a shard fails the sharded query with SQLSTATE ' || e.bad_sqlstate);
        RETURN NEXT is(on_shards, on_one, e.name || ': with one server''s error message');
    END IF;
END $$;

SELECT is((SELECT string_agg(DISTINCT format('%s rows on %s', pg_temp.value_of(format('SELECT count(*) > 0 FROM dist.%I', c.relname)), s.srvname), ', ')
             FROM pg_foreign_table f JOIN pg_class c ON c.oid = f.ftrelid JOIN pg_foreign_server s ON s.oid = f.ftserver),
          'true rows on shard1, true rows on shard2, true rows on shard3',
          'every foreign table on each of the three shards has rows');

-- Every aggregate of the extension has its entry, and has_rollup says whether rollup(type) exists:
-- a new summary type fails here until it joins test/shards/entries.sql.
SELECT is((SELECT string_agg(DISTINCT p.proname, ', ' ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'profiling'::regnamespace AND p.prokind = 'a' AND p.proname <> 'rollup'
              AND p.proname NOT IN (SELECT split_part(name, ' ', 1) FROM shards.entries)),
          NULL, 'every aggregate of profiling has its row in test/shards/entries.sql');
SELECT is((SELECT string_agg(name, ', ' ORDER BY name) FROM shards.entries e
            WHERE has_rollup IS DISTINCT FROM EXISTS (
                      SELECT FROM pg_proc p WHERE p.pronamespace = 'profiling'::regnamespace AND p.prokind = 'a'
                         AND p.proname = 'rollup' AND p.proargtypes[0] = e.type)),
          NULL, 'has_rollup is true exactly for the entries whose type has a rollup');

SELECT pg_temp.check_entry(e) FROM shards.entries e ORDER BY name;

-- What postgres_fdw keeps on the coordinator (the README says so): a STABLE accessor, such as
-- purchase_days (calendar days in the session TimeZone, which postgres_fdw sets to GMT on the
-- shards); and a query pruned to one shard (its costing estimates too few rows to gain).
SELECT is(pg_temp.pushed($$SELECT customer_id, profiling.purchase_days(profiling.purchase_history(ordered_at, amount))
                             FROM dist.orders GROUP BY customer_id$$, '{profiling.purchase_days(}'),
          '0 of 3 shards run it', 'a STABLE accessor (purchase_days) stays on the coordinator');
SELECT is(pg_temp.pushed($$SELECT customer_id, profiling.purchase_history(ordered_at, amount)
                             FROM dist.orders WHERE customer_id = 7 GROUP BY customer_id$$, '{profiling.purchase_history(}'),
          '0 of 1 shards run it, with an aggregate left on the coordinator',
          'a GROUP BY pruned to one shard is not pushed down (postgres_fdw''s costing)');

-- The setup the README gives, each piece needed: without enable_partitionwise_aggregate, or
-- without the extension in the server's extensions option, the coordinator aggregates every
-- row itself; async_capable makes the shards run at the same time; and an aggregate over all
-- customers (no GROUP BY the shard key) is never pushed down by PostgreSQL 15 (rollup gives it).
SET LOCAL enable_partitionwise_aggregate = off;
SELECT is(pg_temp.pushed($$SELECT customer_id, profiling.purchase_history(ordered_at, amount) FROM dist.orders GROUP BY customer_id$$,
                         '{profiling.purchase_history(}'),
          '0 of 3 shards run it, with an aggregate left on the coordinator', 'without enable_partitionwise_aggregate, the coordinator aggregates');
SET LOCAL enable_partitionwise_aggregate = on;
ALTER SERVER shard2 OPTIONS (SET extensions 'postgres_fdw');
SELECT is(pg_temp.pushed($$SELECT customer_id, profiling.purchase_history(ordered_at, amount) FROM dist.orders GROUP BY customer_id$$,
                         '{profiling.purchase_history(}'),
          '2 of 3 shards run it, with an aggregate left on the coordinator',
          'a shard without extensions ''profiling'' gets the rows to aggregate, not the aggregate');
ALTER SERVER shard2 OPTIONS (SET extensions 'profiling');
SELECT is((SELECT count(*) FROM regexp_matches(pg_temp.plan_of($$SELECT customer_id, profiling.purchase_history(ordered_at, amount)
                                                                    FROM dist.orders GROUP BY customer_id$$), 'Async Foreign Scan', 'g')),
          3::bigint, 'async_capable: the three shards'' scans run at the same time (Async Foreign Scan)');
SELECT is(pg_temp.pushed($$SELECT profiling.purchase_history(ordered_at, amount) FROM dist.orders$$, '{profiling.purchase_history(}'),
          '0 of 3 shards run it, with an aggregate left on the coordinator',
          'an aggregate over all customers is not pushed down (PostgreSQL 15 pushes no partial aggregate)');

-- An entry that follows the session TimeZone (cohorts) is only checked above if the
-- coordinator's zone gives other values than the shards' GMT: here Asia/Tokyo, where the
-- warehouse's late orders on a month's last day fall into the next month.
CREATE FUNCTION pg_temp.zone_matters(e shards.entries) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    zone text := current_setting('TimeZone');
    hex text := 'SELECT string_agg(encode(%s(v), ''hex''), '','' ORDER BY shard) FROM (%s) s';
    one_here text := pg_temp.value_of(format(hex, pg_temp.send_of(e.type), pg_temp.per_shard_one(e)));
    sharded text := pg_temp.value_of(format(hex, pg_temp.send_of(e.type), pg_temp.per_shard(e)));
    one_gmt text;
BEGIN
    PERFORM set_config('TimeZone', 'GMT', true);
    one_gmt := pg_temp.value_of(format(hex, pg_temp.send_of(e.type), pg_temp.per_shard_one(e)));
    PERFORM set_config('TimeZone', zone, true);
    RETURN NEXT isnt(one_here, one_gmt, e.name || ' on one server: ' || zone || '''s values differ from GMT''s');
    RETURN NEXT is(sharded, one_here, e.name || ' over the shards from a coordinator in ' || zone
                                      || ' = one server''s in ' || zone || ', not GMT''s');
    RETURN NEXT is((SELECT string_agg(DISTINCT p.provolatile::text, ',') FROM pg_proc p
                     WHERE p.oid IN (SELECT aggfnoid FROM pg_aggregate) AND p.proname = e.name
                       AND p.pronamespace = 'profiling'::regnamespace),
                   's', e.name || ': recorded STABLE by the install script');
END $$;
SELECT pg_temp.zone_matters(e) FROM shards.entries e WHERE e.stable;

SELECT * FROM finish();
ROLLBACK;
