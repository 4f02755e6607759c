-- profiling: customer profiling inside PostgreSQL.
-- This install script is built by the Makefile from src/profiling.sql followed by one
-- src/<capability>.sql per capability. Every object lives in schema profiling and every
-- reference is schema-qualified, so no search_path can redirect it.

\echo Use "CREATE EXTENSION profiling" to load this file. \quit
