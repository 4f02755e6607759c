-- The sharded test, on the coordinator (test/shards/run.sh, psql -v shard_ports='P1 P2 P3'
-- -v shard_password=...): one
-- foreign server per shard, every source as a table partitioned by hash of customer_id whose
-- partitions are foreign tables on the shards, the rows sent there, and a local map of which
-- shard holds which customer (the same partition bounds, so the same hash).
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE FUNCTION shards.distribute(ports text, password text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    port text;
    i int := 0;
    n int := cardinality(string_to_array(ports, ' '));
    src text;
BEGIN
    FOREACH port IN ARRAY string_to_array(ports, ' ') LOOP
        i := i + 1;
        -- extensions: profiling's functions and operators are shippable; async_capable: the
        -- shards work at the same time; fetch_size: fewer round trips for many summaries.
        EXECUTE format($f$CREATE SERVER shard%s FOREIGN DATA WRAPPER postgres_fdw
                          OPTIONS (host '127.0.0.1', port %L, dbname 'postgres', extensions 'profiling',
                                   async_capable 'true', fetch_size '10000', batch_size '1000')$f$, i, port);
        EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER shard%s OPTIONS (user %L, password %L)',
                       i, 'postgres', password);
    END LOOP;
    FOR src IN SELECT source FROM shards.sources LOOP
        EXECUTE format('CREATE TABLE dist.%I (LIKE one.%I) PARTITION BY HASH (customer_id)', src, src);
        FOR i IN 1 .. n LOOP
            EXECUTE format($f$CREATE FOREIGN TABLE dist.%I PARTITION OF dist.%I
                              FOR VALUES WITH (MODULUS %s, REMAINDER %s) SERVER shard%s
                              OPTIONS (schema_name 'shard', table_name %L)$f$,
                           src || '_' || i, src, n, i - 1, i, src);
        END LOOP;
        EXECUTE format('INSERT INTO dist.%I SELECT * FROM one.%I', src, src);
    END LOOP;
    -- Which shard holds which customer: a local table with the same bounds, read by partition.
    CREATE TABLE one.shard_hash (customer_id bigint) PARTITION BY HASH (customer_id);
    FOR i IN 1 .. n LOOP
        EXECUTE format('CREATE TABLE one.%I PARTITION OF one.shard_hash FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                       'shard_hash_' || i, n, i - 1);
    END LOOP;
    INSERT INTO one.shard_hash SELECT customer_id FROM shop.customers;
    CREATE TABLE one.shard_map AS
    SELECT customer_id, substring(tableoid::regclass::text FROM '_(\d+)$')::int AS shard FROM one.shard_hash;
END $$;

SELECT shards.distribute(:'shard_ports', :'shard_password');

-- Stored summaries: a partitioned table for each stored_<entry> the shards created
-- (shards.stored_ddl()), its columns those of the same query on the one-server tables.
CREATE FUNCTION shards.link_stored() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    e record;
    i int;
    n int := (SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shard%');
BEGIN
    FOR e IN SELECT * FROM shards.entries WHERE keys IS NOT NULL AND has_rollup LOOP
        EXECUTE format('CREATE TABLE one.%I AS SELECT %s, part, %s AS s FROM one.%I GROUP BY %s, part WITH NO DATA',
                       'stored_' || e.name, e.keys, e.agg, e.source, e.keys);
        EXECUTE format('CREATE TABLE dist.%I (LIKE one.%I) PARTITION BY HASH (customer_id)',
                       'stored_' || e.name, 'stored_' || e.name);
        FOR i IN 1 .. n LOOP
            EXECUTE format($f$CREATE FOREIGN TABLE dist.%I PARTITION OF dist.%I
                              FOR VALUES WITH (MODULUS %s, REMAINDER %s) SERVER shard%s
                              OPTIONS (schema_name 'shard', table_name %L)$f$,
                           'stored_' || e.name || '_' || i, 'stored_' || e.name, n, i - 1, i, 'stored_' || e.name);
        END LOOP;
    END LOOP;
    -- A database-wide ANALYZE leaves foreign tables out: postgres_fdw's costs need their row counts.
    FOR e IN SELECT c.oid::regclass AS t FROM pg_class c
              WHERE c.relnamespace = 'dist'::regnamespace AND c.relkind IN ('f', 'p') LOOP
        EXECUTE format('ANALYZE %s', e.t);
    END LOOP;
END $$;
