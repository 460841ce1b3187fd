-- ALTER EXTENSION llm_cost_ops UPDATE from every earlier version (1.0 with 1.0's data in the
-- tables, and 1.1) gives exactly the schema of a fresh install (which PostgreSQL builds from
-- llm_cost_ops--1.0.sql and the update scripts on empty tables): the catalogs of both are
-- described (members, columns, constraints, indexes, triggers, functions and their
-- attributes, operators, comments, grants, dumped config tables, built-in rows) and compared; and 1.0's data comes through, repriced
-- where 1.1 prices it differently.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops VERSION '1.0' CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- The extension's schema, one row per fact, with no OIDs in it (it names later versions'
-- tables: its body is checked when it runs).
SET check_function_bodies = off;
CREATE FUNCTION pg_temp.described() RETURNS TABLE (kind text, name text, detail text)
LANGUAGE sql STABLE AS $$
    WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'llm_cost_ops'),
    members AS (
        SELECT d.classid, d.objid FROM pg_depend AS d, ext
         WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
    rels AS (SELECT c.oid, c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
              WHERE n.nspname = 'cost_ops')
    SELECT 'member', pg_describe_object(classid, objid, 0), '' FROM members
    UNION ALL
    SELECT 'column', r.relname || '.' || a.attname,
           concat_ws(' ', a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                     pg_get_expr(ad.adbin, ad.adrelid), co.collname, a.attidentity)
      FROM rels AS r JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
    UNION ALL
    SELECT 'constraint', r.relname || '.' || c.conname, pg_get_constraintdef(c.oid)
      FROM pg_constraint AS c JOIN rels AS r ON r.oid = c.conrelid
    UNION ALL
    SELECT 'index', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
      FROM pg_index AS i JOIN rels AS r ON r.oid = i.indrelid
    UNION ALL
    SELECT 'trigger', r.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
      FROM pg_trigger AS t JOIN rels AS r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'function', p.oid::regprocedure::text,
           concat_ws(' ', p.prorettype::regtype, p.provolatile, p.proisstrict, p.proparallel,
                     p.prosecdef, p.proconfig::text, p.proacl::text, p.probin, md5(p.prosrc),
                     pg_get_function_result(p.oid))
      FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE n.nspname = 'cost_ops'
    UNION ALL
    SELECT 'operator', o.oid::regoperator::text, o.oprcode::regprocedure::text
      FROM pg_operator AS o JOIN pg_namespace AS n ON n.oid = o.oprnamespace WHERE n.nspname = 'cost_ops'
    UNION ALL
    SELECT 'comment', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
      FROM pg_description AS d
     WHERE EXISTS (SELECT 1 FROM members AS m WHERE m.classid = d.classoid AND m.objid = d.objoid)
    UNION ALL
    SELECT 'grant', r.relname, c.relacl::text FROM rels AS r JOIN pg_class AS c ON c.oid = r.oid
    UNION ALL
    SELECT 'config', cfg.rel::regclass::text, coalesce(e.extcondition[cfg.n], '')
      FROM pg_extension AS e, unnest(e.extconfig) WITH ORDINALITY AS cfg (rel, n)
     WHERE e.extname = 'llm_cost_ops'
    UNION ALL
    SELECT 'builtin row', provider || ' -> ' || fallback_provider, position::text
      FROM cost_ops.provider_fallbacks WHERE source = 'builtin'
$$;

RESET check_function_bodies;

-- The library is newer than 1.0: until ALTER EXTENSION UPDATE, the 1.0 tables cannot be priced,
-- and inserting says so.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 1, 1);

-- 1.0 data, as 1.0 stored it (its trigger off here): a price, a record it priced, one with a
-- provider id in another case and one with a dated model name, both of which it left unpriced.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, cached_input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.50, 1.25, 10);
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER price_usage_record;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, cached_tokens, completion_tokens, total_tokens,
                                    input_cost, output_cost, total_cost, pricing_id)
VALUES ('2025-01-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'u1', 2006, 1920, 300, 2306,
        0.002615, 0.003, 0.005615, 1),
       ('2025-01-01T00:00:01Z', 'OpenAI', 'gpt-4o', 'org-a', 'u2', 1000, 0, 500, 1500,
        NULL, NULL, NULL, NULL),
       ('2025-01-01T00:00:02Z', 'openai', 'gpt-4o-2024-08-06', 'org-a', 'u3', 1000, 0, 500, 1500,
        NULL, NULL, NULL, NULL);
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER price_usage_record;

-- Two price rows that differ only in the case of the provider would be one: the update stops,
-- names them and changes nothing; with one of them gone it goes through.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('OpenAI', 'gpt-4o', 3, 12);
ALTER EXTENSION llm_cost_ops UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'llm_cost_ops';
DELETE FROM cost_ops.pricing_tables WHERE provider = 'OpenAI';
ALTER EXTENSION llm_cost_ops UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'llm_cost_ops';
-- By hand: u1 86 * 2.50 + 1920 * 1.25 + 300 * 10 = 5615 -> 0.005615 (kept); u2 now openai
-- and u3 resolved by its date suffix, both 1000 * 2.50 + 500 * 10 = 7500 -> 0.0075; the update
-- logged u3 (u2 was priced as its provider id was folded).
SELECT request_id, provider, service_tier, cache_write_1h_tokens, total_cost, price_match
  FROM cost_ops.usage_records ORDER BY request_id;
SELECT u.request_id, l.reason, l.old_total_cost, l.new_total_cost
  FROM cost_ops.reprice_log AS l JOIN cost_ops.usage_records AS u ON u.id = l.usage_id;

-- On to 1.2: the records keep their costs; they came in by SQL, so they have no ingest run and
-- no content key (their request ids identify them).
ALTER EXTENSION llm_cost_ops UPDATE TO '1.2';
SELECT request_id, total_cost, record_key, ingest_run_id
  FROM cost_ops.usage_records ORDER BY request_id;
CREATE TEMP TABLE from_1_0 AS SELECT * FROM pg_temp.described();

-- From a fresh 1.1.
SET client_min_messages = warning;
DROP EXTENSION llm_cost_ops;
CREATE EXTENSION llm_cost_ops VERSION '1.1';
RESET client_min_messages;
ALTER EXTENSION llm_cost_ops UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'llm_cost_ops';
CREATE TEMP TABLE from_1_1 AS SELECT * FROM pg_temp.described();

SET client_min_messages = warning;
DROP EXTENSION llm_cost_ops;
CREATE EXTENSION llm_cost_ops;
RESET client_min_messages;
CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.described();

-- Nothing differs on either path (no rows), and the description is not empty.
SELECT path, side, kind, name, detail FROM (
    (SELECT 'from 1.0' AS path, 'only after the update' AS side, * FROM from_1_0
     EXCEPT SELECT 'from 1.0', 'only after the update', * FROM fresh)
    UNION ALL
    (SELECT 'from 1.0', 'only in a fresh install', * FROM fresh
     EXCEPT SELECT 'from 1.0', 'only in a fresh install', * FROM from_1_0)
    UNION ALL
    (SELECT 'from 1.1', 'only after the update', * FROM from_1_1
     EXCEPT SELECT 'from 1.1', 'only after the update', * FROM fresh)
    UNION ALL
    (SELECT 'from 1.1', 'only in a fresh install', * FROM fresh
     EXCEPT SELECT 'from 1.1', 'only in a fresh install', * FROM from_1_1)) AS differences
ORDER BY 1, 2, 3, 4;
SELECT kind, count(*) FROM fresh GROUP BY kind ORDER BY kind;
