-- The sharded test, on the coordinator (test/shards/run.sh): the small sample warehouse (schema
-- shop), the one-server tables every aggregate reads (schema one: the reference a sharded query
-- must equal byte for byte), the entries (test/shards/entries.sql) and the DDL the shards run.
-- Every table has customer_id, the shard key, and part, which splits each customer's rows in
-- two for the stored summaries that rollup merges.
SET client_min_messages = warning;
CREATE EXTENSION profiling;
CREATE EXTENSION postgres_fdw;
SET TimeZone = 'UTC';
CALL sample_warehouse.build('shop', 'small', 42);

CREATE SCHEMA one;
CREATE SCHEMA shards;
CREATE SCHEMA dist;

-- Per-order rows: purchase_history reads the warehouse's numeric amounts directly.
CREATE TABLE one.orders AS
SELECT customer_id, order_id, ordered_at, amount, coupon_amount, (order_id % 2)::int AS part
  FROM shop.orders;

-- Per-line rows: the order's customer and time, the line's quantity, coupon and amount, its
-- product's category and its price tier by the category's price bands.
CREATE TABLE one.lines AS
WITH bands AS (
    SELECT category, profiling.price_bands(unit_price::float8) AS bands FROM shop.products GROUP BY 1)
SELECT o.customer_id, l.order_id, l.product_id, o.ordered_at, l.quantity::float8 AS quantity,
       l.coupon_amount::float8 AS coupon, (l.quantity * l.unit_price)::float8 AS amount,
       l.unit_price::float8 AS unit_price, p.category,
       profiling.price_tier(b.bands, p.unit_price::float8) AS tier, (l.order_id % 2)::int AS part
  FROM shop.order_lines l JOIN shop.orders o USING (order_id) JOIN shop.products p USING (product_id)
  JOIN bands b USING (category);

CREATE TABLE one.interactions AS
SELECT customer_id, at, kind, duration, (extract(year FROM at AT TIME ZONE 'UTC'))::int % 2 AS part
  FROM shop.interactions;

-- Per-order baskets: the products of each order.
CREATE TABLE one.baskets AS
SELECT o.customer_id, l.order_id, array_agg(l.product_id ORDER BY l.product_id) AS items,
       (l.order_id % 2)::int AS part
  FROM shop.order_lines l JOIN shop.orders o USING (order_id) GROUP BY 1, 2;

-- Per-customer rows, for the aggregates over customers (cohorts, paths, value_distribution,
-- rfm_model, bgnbd_fit, gamma_gamma_fit, transitions): each customer's summaries and the figures
-- derived from them, as of the warehouse's reference date.
CREATE TABLE one.customers AS
WITH h AS (
    SELECT customer_id, profiling.purchase_history(ordered_at, amount, coupon_amount) AS h
      FROM shop.orders GROUP BY 1),
e AS (
    SELECT customer_id, profiling.engagement(at, duration) AS e FROM shop.interactions GROUP BY 1),
s AS (
    SELECT o.customer_id, profiling.item_sequence(o.ordered_at, l.product_id) AS seq
      FROM shop.order_lines l JOIN shop.orders o USING (order_id) GROUP BY 1),
info AS (SELECT reference_date AS as_of FROM shop.warehouse_info)
SELECT c.customer_id, h.h, s.seq,
       profiling.recency_days(h.h, info.as_of) AS r, profiling.order_count(h.h)::float8 AS f,
       profiling.total_spend(h.h) AS m, profiling.total_spend(h.h) AS v,
       profiling.order_count(h.h)::bigint AS o, b.x, b.t_x, b."T", b.monetary,
       profiling.stage(c.registered_at, c.closed_at, h.h, e.e, '2025-07-01') AS s0,
       profiling.stage(c.registered_at, c.closed_at, h.h, e.e, '2025-10-01') AS s1,
       (c.customer_id % 2)::int AS part
  FROM shop.customers c CROSS JOIN info
  LEFT JOIN h USING (customer_id) LEFT JOIN e USING (customer_id) LEFT JOIN s USING (customer_id)
  LEFT JOIN LATERAL profiling.btyd_summary(h.h, info.as_of) b ON true;

\i test/shards/entries.sql

-- The sources, in one list.
CREATE VIEW shards.sources(source) AS VALUES ('orders'), ('lines'), ('interactions'), ('baskets'), ('customers');

-- A table's columns as a CREATE TABLE list, from the catalog: the shards' tables are the
-- coordinator's one-server tables, column for column.
CREATE FUNCTION shards.columns_of(t regclass) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(format('%I %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum)
      FROM pg_attribute WHERE attrelid = t AND attnum > 0 AND NOT attisdropped
$$;

-- What each shard runs before the rows come: its source tables, empty.
CREATE FUNCTION shards.shard_ddl() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(format('CREATE TABLE shard.%I (%s);', source,
                             shards.columns_of(format('one.%I', source)::regclass)), E'\n')
      FROM shards.sources
$$;

-- What each shard runs once it holds its rows: the stored summaries of every entry with a
-- group key and a rollup, one per group and part, computed by the shard itself.
CREATE FUNCTION shards.stored_ddl() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(format('CREATE TABLE shard.%I AS SELECT %s, part, %s AS s FROM shard.%I GROUP BY %s, part;',
                             'stored_' || name, keys, agg, source, keys), E'\n')
      FROM shards.entries WHERE keys IS NOT NULL AND has_rollup
$$;
