-- profiling: customer profiling inside PostgreSQL.
-- This install script is built by the Makefile from src/profiling.sql followed by one
-- src/<capability>.sql per capability. Every object lives in schema profiling and every
-- reference is schema-qualified, so no search_path can redirect it.

\echo Use "CREATE EXTENSION profiling" to load this file. \quit

-- Schema profiling is the extension's own. PostgreSQL installs into an existing schema of that
-- name as it finds it: one created beforehand by another role could hold look-alike functions
-- that calls would reach. Refuse to install there.
DO $$
DECLARE
    owner name := (SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n
                    WHERE n.nspname OPERATOR(pg_catalog.=) 'profiling');
BEGIN
    IF owner IS DISTINCT FROM CURRENT_USER THEN
        RAISE EXCEPTION 'schema "profiling" is owned by role "%", not by the role installing the extension', owner
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Drop that schema, or have its owner install the extension, after checking what it holds.';
    END IF;
END $$;

-- Every function is SECURITY INVOKER and reads only what its caller may read: any role may use
-- them, on its own data.
GRANT USAGE ON SCHEMA profiling TO PUBLIC;
