-- A short measurement for the README's "Running on several servers" (not part of the tests):
-- the large warehouse's orders on the three shards of test/shards/run.sh vs. on one server,
-- the per-customer purchase histories pushed down vs. computed locally, and the text that
-- postgres_fdw transfers. Run it on the harness's setup:
--
--   SHARDS_PSQL=test/shards/measure.sql test/shards/run.sh
--
-- The orders come from PROFILING_LARGE_ORDERS, a connection string to a database holding the
-- large warehouse in schema bench_shop (faster), or else a large warehouse built here (schema
-- big_shop, 80-100 s).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\i bench/lib.sql
CREATE EXTENSION IF NOT EXISTS dblink;

CREATE SCHEMA big;
CREATE TABLE big.orders (customer_id bigint, order_id bigint, ordered_at timestamptz,
                         amount numeric(12,2), coupon_amount numeric(12,2));
\getenv large_orders PROFILING_LARGE_ORDERS
\if :{?large_orders}
\copy big.orders FROM PROGRAM 'psql -X -Atq "$PROFILING_LARGE_ORDERS" -c "COPY (SELECT customer_id, order_id, ordered_at, amount, coupon_amount FROM bench_shop.orders) TO STDOUT"'
\else
CALL sample_warehouse.build('big_shop', 'large', 42);
INSERT INTO big.orders SELECT customer_id, order_id, ordered_at, amount, coupon_amount FROM big_shop.orders;
\endif
ANALYZE big.orders;

-- The same orders, partitioned by hash of customer_id across the shards.
SELECT dblink_exec(srvname, 'CREATE TABLE shard.big_orders (customer_id bigint, order_id bigint, ordered_at timestamptz,
                                                            amount numeric(12,2), coupon_amount numeric(12,2))')
  FROM pg_foreign_server WHERE srvname LIKE 'shard%';
CREATE SCHEMA distbig;
CREATE TABLE distbig.orders (LIKE big.orders) PARTITION BY HASH (customer_id);
SELECT format($f$CREATE FOREIGN TABLE distbig.orders_%s PARTITION OF distbig.orders
                 FOR VALUES WITH (MODULUS 3, REMAINDER %s) SERVER shard%s
                 OPTIONS (schema_name 'shard', table_name 'big_orders')$f$, i, i - 1, i)
  FROM generate_series(1, 3) i \gexec
\timing on
INSERT INTO distbig.orders SELECT * FROM big.orders;
\timing off
SELECT dblink_exec(srvname, 'ANALYZE shard.big_orders') FROM pg_foreign_server WHERE srvname LIKE 'shard%';
ANALYZE distbig.orders_1;
ANALYZE distbig.orders_2;
ANALYZE distbig.orders_3;

SET enable_partitionwise_aggregate = on;
SET work_mem = '256MB';
\pset footer off
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers FROM big.orders;
-- Both sides serial (no parallel workers on the one server); the sharded query runs on the three
-- shards at once (async_capable), each one serial.
SELECT * FROM bench.compare('purchase_history per customer: one server (baseline) vs. 3 shards, pushed down',
    'SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM big.orders GROUP BY customer_id',
    'SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM distbig.orders GROUP BY customer_id',
    0, 3);
SELECT * FROM bench.compare('the same, one server with 2 parallel workers (baseline) vs. 3 shards',
    'SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM big.orders GROUP BY customer_id',
    'SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM distbig.orders GROUP BY customer_id',
    2, 3);
-- What the shards send: postgres_fdw transfers every value as text.
SELECT pg_size_pretty(sum(octet_length(customer_id::text) + octet_length(h::text))) AS text_transferred,
       pg_size_pretty(sum(octet_length(profiling.purchase_history_send(h)))) AS as_send_bytes,
       round(avg(octet_length(h::text))) AS text_bytes_per_customer
  FROM (SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
          FROM big.orders GROUP BY customer_id) s;
-- The coordinator's share: reading that text back into summaries (the canonical-text path).
CREATE TEMP TABLE bench_h AS
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h FROM big.orders GROUP BY 1;
CREATE TEMP TABLE bench_t AS SELECT h::text AS t FROM bench_h;
SELECT * FROM bench.compare('text output of the summaries (baseline) vs. text input of the same text',
    'SELECT count(h::text) FROM bench_h', 'SELECT count(t::profiling.purchase_history) FROM bench_t', 0, 3);
-- The plan of the sharded query: the aggregate runs on the shards.
EXPLAIN (VERBOSE, COSTS OFF)
SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) FROM distbig.orders GROUP BY customer_id;
