-- The README never drifts from the code: every SQL example in README.md is run, verbatim, by
-- the pg_regress test sql/readme.sql, and every output block the README shows is what that
-- test's expected output says. (Files are read client-side, so no server file access.)
\set readme `cat README.md`
\set readme_test `cat sql/readme.sql`
\set readme_expected `cat expected/readme.out`
\i test/pgtap/lib/begin.psql

CREATE TEMP TABLE readme_block AS
SELECT n, kind, body
  FROM regexp_matches(:'readme', '```([a-z]*?)\n(.*?)```', 'g') WITH ORDINALITY AS m(parts, n),
       LATERAL (SELECT parts[1] AS kind, parts[2] AS body) b;

SELECT plan((SELECT count(*)::int FROM readme_block WHERE kind = 'sql' AND body NOT LIKE '%CREATE EXTENSION%')
          + (SELECT count(*)::int FROM readme_block WHERE kind = '' AND body LIKE '%-+-%') + 1);

SELECT cmp_ok((SELECT count(*) FROM readme_block WHERE kind = 'sql'), '>=', 10::bigint,
              'the README has its SQL examples');

-- Each SQL example (but the install lines) is run by sql/readme.sql.
SELECT ok(strpos(:'readme_test' || E'\n', body) > 0,
          format('README example %s is in sql/readme.sql: %s', n, left(regexp_replace(body, '\s+', ' ', 'g'), 60)))
  FROM readme_block WHERE kind = 'sql' AND body NOT LIKE '%CREATE EXTENSION%' ORDER BY n;

-- Each result table the README shows is in the expected output (trailing blanks aside).
SELECT ok(strpos(regexp_replace(:'readme_expected', ' +\n', E'\n', 'g'), regexp_replace(body, ' +\n', E'\n', 'g')) > 0,
          format('README output %s is the tested output: %s', n, left(regexp_replace(body, '\s+', ' ', 'g'), 60)))
  FROM readme_block WHERE kind = '' AND body LIKE '%-+-%' ORDER BY n;

\i test/pgtap/lib/end.psql
