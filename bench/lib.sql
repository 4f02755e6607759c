-- Benchmark harness shared by every capability's bench/<capability>.sql.
-- bench.compare() times a baseline query (the plain SQL a user would write, or a floor) against
-- the profiling query on the same data in one session, alternating runs, after one warm-up run
-- of each, and reports the medians and their ratio. Queries must consume every output column
-- (wrap them in an aggregate over each column): PostgreSQL skips unused subquery columns.
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.time_ms(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
BEGIN
    EXECUTE query;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000;
END $$;

CREATE OR REPLACE FUNCTION bench.median(samples float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(samples) v;
$$;

CREATE OR REPLACE FUNCTION bench.compare(name text, baseline text, candidate text,
                                         workers int DEFAULT 0, runs int DEFAULT 5)
RETURNS TABLE (benchmark text, parallel_workers int, baseline_ms numeric, profiling_ms numeric,
               time_ratio numeric)
LANGUAGE plpgsql AS $$
DECLARE
    base float8[] := '{}';
    cand float8[] := '{}';
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    PERFORM bench.time_ms(baseline);
    PERFORM bench.time_ms(candidate);
    FOR i IN 1 .. runs LOOP
        base := base || bench.time_ms(baseline);
        cand := cand || bench.time_ms(candidate);
    END LOOP;
    benchmark := name;
    parallel_workers := workers;
    baseline_ms := round(bench.median(base)::numeric, 0);
    profiling_ms := round(bench.median(cand)::numeric, 0);
    time_ratio := round((bench.median(cand) / bench.median(base))::numeric, 2);
    RETURN NEXT;
END $$;

-- Peak memory of the query's aggregate node, from EXPLAIN ANALYZE ("Memory Usage" of a
-- HashAggregate, or "Peak Memory Usage" where reported).
CREATE OR REPLACE FUNCTION bench.aggregate_memory(query text, workers int DEFAULT 0) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    found text := '';
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ' || query LOOP
        IF line ~ 'Memory Usage|Disk Usage|Memory: |Disk: ' THEN
            found := found || CASE WHEN found = '' THEN '' ELSE '; ' END || btrim(line);
        END IF;
    END LOOP;
    RETURN coalesce(nullif(found, ''), 'no hash table or sort in the plan (input read in index order)');
END $$;
