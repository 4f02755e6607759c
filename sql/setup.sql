-- setup: runs first. Installs the extension for every later test, checks that the build agrees
-- with the control file, and that every function is documented and marked for parallel use.
SET client_min_messages = warning;
CREATE EXTENSION profiling;

-- One version, in profiling.control; the built script is the one installed.
SELECT extversion = default_version AS versions_agree, n.nspname AS schema, e.extrelocatable
  FROM pg_extension e
  JOIN pg_available_extensions a ON a.name = e.extname
  JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'profiling';

-- Every function and aggregate: a COMMENT ON and a deliberate PARALLEL SAFE (expect none listed).
-- Trigger functions are documented too; they write a table, so they are left PARALLEL UNSAFE.
SELECT p.oid::regprocedure AS undocumented_or_not_parallel_safe
  FROM pg_proc p
 WHERE p.pronamespace = 'profiling'::regnamespace
   AND (obj_description(p.oid, 'pg_proc') IS NULL
        OR (p.proparallel <> 's' AND p.prorettype <> 'trigger'::regtype))
 ORDER BY 1;

-- Operators, operator classes and casts are documented too (expect none listed).
SELECT o.oid::regoperator::text AS undocumented
  FROM pg_operator o
 WHERE o.oprnamespace = 'profiling'::regnamespace AND obj_description(o.oid, 'pg_operator') IS NULL
UNION ALL
SELECT c.opcname::text FROM pg_opclass c
 WHERE c.opcnamespace = 'profiling'::regnamespace AND obj_description(c.oid, 'pg_opclass') IS NULL
UNION ALL
SELECT format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL) FROM pg_cast c
  JOIN pg_depend d ON d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e'
 WHERE obj_description(c.oid, 'pg_cast') IS NULL;

-- Strictness and volatility of the user-facing functions, as documented in docs/<room>.md
-- (not the support functions of the types, named <type>_..., nor trigger functions).
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility, p.proisstrict AS strict
  FROM pg_proc p
 WHERE p.pronamespace = 'profiling'::regnamespace
   AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype
   AND NOT EXISTS (SELECT FROM pg_type t
                    WHERE t.typnamespace = 'profiling'::regnamespace AND t.typtype = 'b'
                      AND left(p.proname, length(t.typname) + 1) = t.typname || '_')
 ORDER BY p.proname, p.oid::regprocedure::text;

-- The tiny sample warehouse (schema shop) that later tests read: its generator plants known
-- behaviour and records it in shop.truth.
\set ECHO none
\set QUIET on
\i test/warehouse/generate.sql
\set ECHO all
CALL sample_warehouse.build('shop', 'tiny', 42);
SELECT scale, seed, customers, orders FROM shop.warehouse_info;

-- Shared by every capability's test: error_of(sql) runs a statement and returns the error it
-- raises (error_code = SQLSTATE, message, detail, hint), or a row of NULLs when it raises none; one row per
-- bad input keeps long lists of malformed values readable.
CREATE SCHEMA regress;
CREATE FUNCTION regress.error_of(statement text,
                                 OUT error_code text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS error_code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    detail := nullif(detail, '');
    hint := nullif(hint, '');
END $$;

-- Binary input as a client sends it: binary_input(NULL::type, payload) wraps a payload into a
-- one-row binary COPY file (written server-side with lo_export), COPYs it into a column of that
-- type and returns the value the type's receive function read (or raises what it raises).
CREATE FUNCTION regress.binary_input(type_of anyelement, payload bytea) RETURNS anyelement
LANGUAGE plpgsql AS $$
DECLARE
    file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea   -- signature, flags, extension
                  || '\x0001'::bytea || int4send(length(payload)) || payload        -- one tuple, one field
                  || '\xffff'::bytea;                                              -- trailer
    lo oid := lo_from_bytea(0, file);
    result type_of%TYPE;
BEGIN
    PERFORM lo_export(lo, 'profiling_binary_input.bin');
    PERFORM lo_unlink(lo);
    DROP TABLE IF EXISTS pg_temp.binary_input;
    EXECUTE format('CREATE TEMP TABLE binary_input (v %s)', pg_typeof(type_of));
    EXECUTE 'COPY binary_input FROM ''profiling_binary_input.bin'' WITH (FORMAT binary)';
    EXECUTE 'SELECT v FROM binary_input' INTO result;
    RETURN result;
END $$;

-- Values as stored, byte for byte. No SQL can write a damaged value (input, receive and the
-- aggregates all check), so the tests store one through the catalog: the column v of the temp
-- table stored_raw is declared bytea, and setting its type in pg_attribute (tests run as
-- superuser) hands the very bytes to another type's functions, and back. Both types are
-- variable-length, so only the column's type changes, not how its rows are laid out. Dynamic
-- SQL throughout: each statement is planned after the type change before it.
--   stored_bytes(value): the bytes a table stores for a value;
--   error_of_stored(NULL::type, bytes, call): the error (as error_of gives it) that
--   SELECT call FROM stored_raw raises when column v holds those bytes as a value of the type.
CREATE FUNCTION regress.stored_raw_is(type regtype) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS stored_raw (v bytea);
    UPDATE pg_catalog.pg_attribute SET atttypid = type
     WHERE attrelid = 'pg_temp.stored_raw'::regclass AND attname = 'v';
END $$;
CREATE FUNCTION regress.stored_bytes(value anyelement) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
    bytes bytea;
BEGIN
    PERFORM regress.stored_raw_is(pg_typeof(value));
    EXECUTE 'DELETE FROM stored_raw';
    EXECUTE 'INSERT INTO stored_raw VALUES ($1)' USING value;
    PERFORM regress.stored_raw_is('bytea');
    EXECUTE 'SELECT v FROM stored_raw' INTO bytes;
    RETURN bytes;
END $$;
CREATE FUNCTION regress.error_of_stored(type_of anyelement, bytes bytea, call text,
                                        OUT error_code text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM regress.stored_raw_is('bytea');
    EXECUTE 'DELETE FROM stored_raw';
    EXECUTE 'INSERT INTO stored_raw VALUES ($1)' USING bytes;
    PERFORM regress.stored_raw_is(pg_typeof(type_of));
    SELECT * INTO error_code, message, detail, hint FROM regress.error_of(format('SELECT %s FROM stored_raw', call));
END $$;

-- The comparison operators and functions of a summary type over every ordered pair of values
-- (query gives the rows (what, value), in order; profiling is on the search_path): each
-- operator, cmp, whether the hashes (32-bit and seeded 64-bit) and the bytes (send) are the
-- same, and whether cmp is antisymmetric. A test shows the rows and asserts that = is "the
-- same bytes", that the operators and cmp are one order, and that equal values hash alike.
CREATE FUNCTION regress.comparisons(type regtype, query text)
RETURNS TABLE (a_row bigint, a text, b_row bigint, b text, eq boolean, ne boolean, lt boolean,
               le boolean, gt boolean, ge boolean, cmp integer, same_hash boolean,
               same_hash_extended boolean, same_bytes boolean, antisymmetric boolean)
LANGUAGE plpgsql AS $$
DECLARE
    f text := (SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = type);
BEGIN
    RETURN QUERY EXECUTE format($q$
        WITH v AS (SELECT row_number() OVER () AS n, q.* FROM (%2$s) AS q(what, value))
        SELECT x.n, x.what, y.n, y.what, x.value = y.value, x.value <> y.value, x.value < y.value,
               x.value <= y.value, x.value > y.value, x.value >= y.value, %1$s_cmp(x.value, y.value),
               %1$s_hash(x.value) = %1$s_hash(y.value),
               %1$s_hash_extended(x.value, 7) = %1$s_hash_extended(y.value, 7),
               %1$s_send(x.value) = %1$s_send(y.value),
               %1$s_cmp(x.value, y.value) = -%1$s_cmp(y.value, x.value)
          FROM v x, v y$q$, f, query);
END $$;
