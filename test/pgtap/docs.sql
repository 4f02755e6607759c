-- The documentation never drifts from the code. Every page has a pg_regress test that runs its
-- examples: README.md is run by sql/readme.sql, docs/<room>.md by sql/docs_<room>.sql, and
-- their output is in expected/ under the same name. For every page, this suite checks that:
--   1. a page with examples has its test and expected output;
--   2. each ```sql block is in the test verbatim, in the page's order (except the install
--      lines, which create the extension the tests already have);
--   3. each result block (a code block without a language) directly follows a ```sql block and
--      is exactly the output of that block in the expected file: the lines right after the
--      block's echo, up to the "(N rows)" line, trailing blanks aside;
--   4. each row of an Errors table, | `SQLSTATE` | when | `statement` |, is a row of the
--      expected output: SQLSTATE | message | statement.
-- Files are read client-side (no server file access); \036 and \037 separate them.
\set files `for f in README.md docs/*.md sql/readme.sql sql/docs_*.sql expected/readme.out expected/docs_*.out; do [ -f "$f" ] && printf '\036%s\037' "$f" && cat "$f"; done; printf '\036'`
\i test/pgtap/lib/begin.psql

CREATE TEMP TABLE doc_file AS
SELECT split_part(chunk, E'\037', 1) AS path, substr(chunk, strpos(chunk, E'\037') + 1) AS body
  FROM regexp_split_to_table(:'files', E'\036') AS chunk
 WHERE chunk <> '';

-- Each page and its test: README.md -> readme, docs/<room>.md -> docs_<room>.
CREATE TEMP TABLE page AS
SELECT p.path, p.body, t.test,
       (SELECT body FROM doc_file WHERE path = 'sql/' || t.test || '.sql') AS test_sql,
       (SELECT body FROM doc_file WHERE path = 'expected/' || t.test || '.out') AS expected
  FROM doc_file p,
       LATERAL (SELECT CASE WHEN p.path = 'README.md' THEN 'readme'
                            ELSE 'docs_' || lower(substring(p.path FROM '^docs/(.*)\.md$')) END AS test) t
 WHERE p.path LIKE '%.md';

-- Code blocks, in page order: the prose before each, its language ('' for a result), its text.
CREATE TEMP TABLE block AS
SELECT p.path, m.n, m.parts[1] AS before, m.parts[2] AS kind, m.parts[3] AS body
  FROM page p,
       regexp_matches(p.body, '(.*?)```([a-z]*?)\n(.*?)```', 'g') WITH ORDINALITY AS m(parts, n);
DELETE FROM block WHERE kind = 'sql' AND body LIKE 'CREATE EXTENSION profiling;%';

-- A result block and the SQL block right before it; psql echoes that block without its empty
-- lines. NULL when the block before is not SQL or prose stands between them.
CREATE TEMP TABLE result AS
SELECT r.path, r.n, r.body AS shown,
       CASE WHEN q.kind = 'sql' AND btrim(r.before, E' \n') = ''
            THEN regexp_replace(ltrim(q.body, E'\n'), '\n\n+', E'\n', 'g') END AS echo
  FROM block r LEFT JOIN block q ON q.path = r.path AND q.n = r.n - 1
 WHERE r.kind = '';

-- Rows of Errors tables whose example is code.
CREATE TEMP TABLE error_example AS
SELECT p.path, m[1] AS sqlstate, m[2] AS statement
  FROM page p, regexp_matches(p.body, '^\| `([0-9A-Z]{5})` \|[^\n]*\| `([^\n]*)` \|$', 'gn') AS m;

-- Where each needle is in the haystack, each searched from the end of the one before: NULL
-- when it is not there (then the search goes on from the last one found).
CREATE FUNCTION pg_temp.find_in_order(haystack text, needles text[]) RETURNS int[]
LANGUAGE plpgsql AS $$
DECLARE
    found int[] := '{}';
    from_pos int := 1;
    at int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(needles, 1), 0) LOOP
        at := strpos(substr(haystack, from_pos), needles[i]);
        IF at = 0 THEN
            found := found || NULL::int;
        ELSE
            found := found || (from_pos + at - 1);
            from_pos := from_pos + at - 1 + length(needles[i]);
        END IF;
    END LOOP;
    RETURN found;
END $$;

-- 2. Where each SQL block is in the test.
CREATE TEMP TABLE sql_in_test AS
SELECT b.path, b.n, b.body, f.at
  FROM (SELECT path, array_agg(n ORDER BY n) AS ns, array_agg(body ORDER BY n) AS bodies
          FROM block WHERE kind = 'sql' GROUP BY path) s
  JOIN page p USING (path),
       unnest(s.ns, pg_temp.find_in_order(p.test_sql, s.bodies)) AS f(n, at),
       block b
 WHERE b.path = s.path AND b.n = f.n;

-- 3. What the expected file prints right after each result's SQL block.
CREATE TEMP TABLE result_output AS
SELECT r.path, r.n, r.shown,
       substring(substr(p.expected, f.at + length(r.echo)) FROM '^(.*?)\(\d+ rows?\)\n') AS printed
  FROM (SELECT path, array_agg(n ORDER BY n) AS ns, array_agg(echo ORDER BY n) AS echoes
          FROM result WHERE echo IS NOT NULL GROUP BY path) s
  JOIN page p USING (path),
       unnest(s.ns, pg_temp.find_in_order(p.expected, s.echoes)) AS f(n, at),
       result r
 WHERE r.path = s.path AND r.n = f.n
UNION ALL
SELECT path, n, shown, NULL FROM result WHERE echo IS NULL;

-- 4. The rows SQLSTATE | message | statement of the expected files.
CREATE TEMP TABLE error_raised AS
SELECT p.path, btrim(cells[1]) AS sqlstate, rtrim(cells[array_length(cells, 1)]) AS statement
  FROM page p,
       regexp_split_to_table(p.expected, E'\n') AS line,
       regexp_split_to_array(line, ' \| ') AS cells
 WHERE line ~ '^ [0-9A-Z]{5} +\| ';

SELECT plan((SELECT count(*)::int FROM page WHERE path IN (SELECT path FROM block UNION SELECT path FROM error_example))
          + (SELECT count(*)::int FROM block WHERE kind IN ('sql', ''))
          + (SELECT count(*)::int FROM error_example)
          + 3);

-- The pages were read and parsed: a broken pattern must not pass by checking nothing.
SELECT cmp_ok((SELECT count(*) FROM block WHERE kind = 'sql'), '>=', 20::bigint, 'the pages have their SQL examples');
SELECT cmp_ok((SELECT count(*) FROM result), '>=', 15::bigint, 'the pages have their result blocks');
SELECT cmp_ok((SELECT count(*) FROM error_example), '>=', 10::bigint, 'the pages have their error examples');

-- 1.
SELECT ok(test_sql IS NOT NULL AND expected IS NOT NULL,
          format('%s has its test sql/%s.sql and expected/%2$s.out', path, test))
  FROM page WHERE path IN (SELECT path FROM block UNION SELECT path FROM error_example)
 ORDER BY path;

-- 2.
SELECT ok(s.at IS NOT NULL,
          format('%s block %s is in sql/%s.sql, in order: %s', s.path, s.n, p.test,
                 left(regexp_replace(s.body, '\s+', ' ', 'g'), 60)))
  FROM sql_in_test s JOIN page p USING (path)
 ORDER BY s.path, s.n;

-- 3.
SELECT is(coalesce(regexp_replace(o.printed, ' +\n', E'\n', 'g'),
                   CASE WHEN r.echo IS NULL THEN '(no SQL block directly before this result)'
                        ELSE '(no output of its SQL block in the expected file)' END),
          regexp_replace(o.shown, ' +\n', E'\n', 'g'),
          format('%s result %s is the output of its query: %s', o.path, o.n,
                 left(regexp_replace(o.shown, '\s+', ' ', 'g'), 60)))
  FROM result_output o JOIN result r USING (path, n)
 ORDER BY o.path, o.n;

-- 4.
SELECT ok(EXISTS (SELECT 1 FROM error_raised r
                   WHERE r.path = e.path AND r.sqlstate = e.sqlstate AND r.statement = e.statement),
          format('%s: %s raises %s', e.path, left(e.statement, 60), e.sqlstate))
  FROM error_example e
 ORDER BY e.path, e.sqlstate, e.statement;

\i test/pgtap/lib/end.psql
