-- reliability: installing the extension where an untrusted role got there first. The pgTAP suite
-- test/pgtap/reliability.sql runs every call under a hostile search_path; what it cannot do inside
-- one transaction, a database of its own and CREATE EXTENSION in it, is here. Everything made here
-- is dropped at the end.
SET client_min_messages = warning;
\set regress_db :DBNAME
CREATE ROLE regress_rel_untrusted;

-- 1. Look-alikes first on the installer's search_path -------------------------------------------

-- An old-style database, where everyone may create in schema public (the default before
-- PostgreSQL 15). The untrusted role fills public with look-alikes of what SQL code calls, each
-- recording its call, and the superuser installs the extension with public ahead of pg_catalog.
CREATE DATABASE regress_rel_hostile;
\c regress_rel_hostile
SET client_min_messages = warning;
SET TimeZone = 'UTC';
GRANT CREATE ON SCHEMA public TO PUBLIC;
SET ROLE regress_rel_untrusted;
CREATE TABLE public.calls (what text);
GRANT INSERT ON public.calls TO PUBLIC;
CREATE FUNCTION public.float8_plus(float8, float8) RETURNS float8 LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('+'); RETURN NULL; END$$;
CREATE OPERATOR public.+ (LEFTARG = float8, RIGHTARG = float8, FUNCTION = public.float8_plus);
CREATE FUNCTION public.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('='); RETURN NULL; END$$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_eq);
CREATE FUNCTION public.timestamptz_lt(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('<'); RETURN NULL; END$$;
CREATE OPERATOR public.< (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = public.timestamptz_lt);
CREATE FUNCTION public.sum_state(float8, float8) RETURNS float8 LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('sum'); RETURN NULL; END$$;
CREATE AGGREGATE public.sum(float8) (SFUNC = public.sum_state, STYPE = float8);
CREATE FUNCTION public.count_state(bigint) RETURNS bigint LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('count'); RETURN NULL; END$$;
CREATE AGGREGATE public.count(*) (SFUNC = public.count_state, STYPE = bigint);
CREATE FUNCTION public.date_trunc(text, timestamptz) RETURNS timestamptz LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('date_trunc'); RETURN NULL; END$$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('now'); RETURN NULL; END$$;
CREATE FUNCTION public.set_config(text, text, boolean) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('set_config'); RETURN NULL; END$$;
-- and names the extension uses, with its argument types where they exist before it does
CREATE FUNCTION public.order_count(text) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO public.calls VALUES ('order_count'); RETURN -1; END$$;
CREATE DOMAIN public.purchase_history AS text;
CREATE DOMAIN public.jsonb AS text;
RESET ROLE;

SET search_path = public, pg_catalog;
CREATE EXTENSION profiling;
SELECT pg_catalog.count(*) AS calls_while_installing FROM public.calls;
-- Calls written with their schema, as the documentation writes them, call no look-alike.
SELECT profiling.order_count(h), profiling.total_spend(h), profiling.purchase_days(h), h::pg_catalog.jsonb
  FROM (SELECT profiling.purchase_history(t, a::float8, c::float8) AS h
          FROM (VALUES ('2025-01-01 10:00:00+00'::timestamptz, 10, 0), ('2025-01-02 10:00:00+00', 20.5, 2)) AS o(t, a, c)) s;
SELECT profiling.order_count(profiling.rollup(h)) FROM (VALUES ('{(2025-01-01 10:00:00+00,1)}'::profiling.purchase_history)) AS v(h);
SELECT pg_catalog.count(*) AS calls_after_using_it FROM public.calls;
-- The look-alikes are live: a call written without its schema reaches them.
SELECT (1::float8 + 1::float8) IS NULL AS unqualified_plus_is_the_look_alike;
SELECT what FROM public.calls;

-- 2. A schema named profiling, made by the untrusted role before the extension ---------------------

-- A role allowed to create schemas in a database can create schema profiling there before the
-- extension is installed, with an overload of an extension function that takes text: a call with
-- a literal, as the documentation writes them, prefers it.
CREATE DATABASE regress_rel_taken;
\c regress_rel_taken
SET client_min_messages = warning;
GRANT CREATE ON DATABASE regress_rel_taken TO regress_rel_untrusted;
SET ROLE regress_rel_untrusted;
CREATE SCHEMA profiling;
GRANT USAGE ON SCHEMA profiling TO PUBLIC;
CREATE TABLE profiling.calls (what text);
GRANT INSERT ON profiling.calls TO PUBLIC;
CREATE FUNCTION profiling.order_count(h text) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO profiling.calls SELECT 'order_count(text), run by a superuser: ' || rolsuper FROM pg_roles WHERE rolname = current_user;
            RETURN -1; END$$;
RESET ROLE;
-- PostgreSQL would install into the schema the untrusted role owns (it takes a schema named in the
-- control file as it finds it), where the untrusted role's overload would run with the caller's
-- privileges: the install script refuses (42501), and nothing is installed or called.
DO $$
BEGIN
    CREATE EXTENSION profiling;
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'CREATE EXTENSION profiling: % (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;
SELECT count(*) AS extensions_installed FROM pg_extension WHERE extname = 'profiling';
SELECT what FROM profiling.calls;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE regress_rel_hostile;
DROP DATABASE regress_rel_taken;
DROP ROLE regress_rel_untrusted;
