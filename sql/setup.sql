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
SELECT p.oid::regprocedure AS undocumented_or_not_parallel_safe
  FROM pg_proc p
 WHERE p.pronamespace = 'profiling'::regnamespace
   AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.proparallel <> 's')
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

-- Strictness and volatility of the user-facing functions, as documented in docs/<room>.md.
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility, p.proisstrict AS strict
  FROM pg_proc p
 WHERE p.pronamespace = 'profiling'::regnamespace
   AND p.prokind = 'f'
   AND NOT p.proname LIKE 'purchase_history\_%'
 ORDER BY p.proname, 1::text;

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
