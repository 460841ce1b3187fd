-- ALTER EXTENSION llm_cost_ops UPDATE from every earlier version (1.0 with 1.0's data in the
-- tables, 1.1 to 1.5 fresh) gives exactly the schema of a fresh install (which PostgreSQL builds from
-- llm_cost_ops--1.0.sql and the update scripts on empty tables): the catalogs of both are
-- described (version, members, columns, constraints, indexes, triggers, functions and their
-- attributes, operators, comments, grants, dumped config tables, built-in rows) and compared;
-- 1.0's data comes through, repriced where 1.1 prices it differently, and the usage-API buckets
-- that 1.2 stored as single requests are repriced per request by 1.3.
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
    UNION ALL
    SELECT 'version', extversion, '' FROM pg_extension WHERE extname = 'llm_cost_ops'
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

-- cost-ops 1.2 stored usage-API buckets as single requests: an OpenAI bucket of 250 requests
-- (its count and end in metadata) and Anthropic buckets of each context window and of none, of a model
-- with a long-context tier (3 / 15, above 200,000 prompt tokens 6 / 22.5).
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('anthropic', 'claude-sonnet-4', 3, 15,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5"}]}');
INSERT INTO cost_ops.ingest_runs (source, format, on_error, status, finished_at)
VALUES ('usage.ndjson', 'openai-usage', 'abort', 'completed', now()),
       ('usage_report.json', 'anthropic-usage', 'abort', 'completed', now());
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens,
     metadata, ingest_run_id)
SELECT '2026-01-01T00:00:00Z', b.provider, b.model, 'org-a', b.id, b.prompt, b.completion,
       b.metadata::jsonb, r.id
  FROM (VALUES
-- By hand, as one request (1.2) and as a bucket (1.3):
-- openai-bucket: 1000000 * 2.50 + 100000 * 10 = 3.5 both ways (gpt-4o has no tiers).
    ('openai', 'gpt-4o', 'openai-bucket', 1000000, 100000,
     '{"num_model_requests": 250, "bucket_end_time": 1767312000}', 'openai-usage'),
-- short-bucket ("0-200k"): 900000 * 6 + 10000 * 22.5 = 5.625; then 900000 * 3 + 10000 * 15 = 2.85.
    ('anthropic', 'claude-sonnet-4', 'short-bucket', 900000, 10000,
     '{"context_window": "0-200k", "bucket_ending_at": "2026-01-02T00:00:00Z"}', 'anthropic-usage'),
-- long-bucket ("200k-1M"): 600000 * 6 + 10000 * 22.5 = 3.825 both ways.
    ('anthropic', 'claude-sonnet-4', 'long-bucket', 600000, 10000,
     '{"context_window": "200k-1M", "bucket_ending_at": "2026-01-02T00:00:00Z"}', 'anthropic-usage'),
-- ungrouped-bucket: 300000 * 6 = 1.8; then unpriced (its requests may be of either tier).
    ('anthropic', 'claude-sonnet-4', 'ungrouped-bucket', 300000, 0,
     '{"context_window": null, "bucket_ending_at": "2026-01-02T00:00:00Z"}', 'anthropic-usage'))
    AS b (provider, model, id, prompt, completion, metadata, format)
  JOIN cost_ops.ingest_runs AS r ON r.format = b.format;
SELECT request_id, total_cost FROM cost_ops.usage_records WHERE ingest_run_id IS NOT NULL
 ORDER BY request_id;

-- On to 1.3: every row stored by SQL is one request, and keeps its cost; the buckets get their
-- shape and are repriced, each changed cost logged.
ALTER EXTENSION llm_cost_ops UPDATE TO '1.3';
SELECT request_id, total_cost, request_count, request_prompt_tokens_min AS each_min,
       request_prompt_tokens_max AS each_max, period_end, metadata, unpriced_reason
  FROM cost_ops.usage_records ORDER BY request_id;
SELECT u.request_id, l.reason, l.old_total_cost, l.new_total_cost
  FROM cost_ops.reprice_log AS l JOIN cost_ops.usage_records AS u ON u.id = l.usage_id
 WHERE l.reason LIKE 'llm_cost_ops 1.3%' ORDER BY u.request_id;

-- On to 1.4: every row kept with its id and cost (in the default partition: no monthly
-- partition exists yet), and the rollup made from them.
ALTER EXTENSION llm_cost_ops UPDATE TO '1.4';
SELECT u.tableoid::regclass, u.id, u.request_id, u.total_cost FROM cost_ops.usage_records AS u
 ORDER BY u.id;
SELECT day, provider, model, records, priced_records, prompt_tokens, total_cost
  FROM cost_ops.daily_costs ORDER BY day, model;
-- Monthly partitions for the rows: they move out of the default partition, ids and costs kept,
-- and the next id continues the 1.3 sequence.
SELECT cost_ops.create_partitions('2026-01-31');
SELECT u.tableoid::regclass, u.id, u.request_id, u.total_cost FROM cost_ops.usage_records AS u
 ORDER BY u.id;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens)
VALUES ('2025-01-02T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 1000) RETURNING id, total_cost;
-- The monthly partitions hold data, not schema: left out of the comparison with a fresh install.
DO $$
DECLARE
    p regclass;
BEGIN
    FOR p IN SELECT partition FROM cost_ops.partitions() WHERE range_start IS NOT NULL LOOP
        EXECUTE format('DROP TABLE %s', p);
    END LOOP;
END
$$;
-- On to 1.5: the roles, granted what each may do (made by the first install in the cluster).
ALTER EXTENSION llm_cost_ops UPDATE TO '1.5';
SELECT rolname FROM pg_roles WHERE rolname LIKE 'cost\_ops\_%' ORDER BY 1;
-- On to 1.6: a TRUNCATE guard on the prices, NOTICEs for stale costs, stricter arguments.
ALTER EXTENSION llm_cost_ops UPDATE TO '1.6';
CREATE TEMP TABLE updated AS SELECT 'from 1.0' AS path, * FROM pg_temp.described();

-- From a fresh 1.1, 1.2, 1.3, 1.4 and 1.5, each updated as far as it goes.
SET client_min_messages = warning;
DO $$
DECLARE
    v text;
BEGIN
    FOREACH v IN ARRAY ARRAY['1.1', '1.2', '1.3', '1.4', '1.5'] LOOP
        DROP EXTENSION llm_cost_ops;
        EXECUTE format('CREATE EXTENSION llm_cost_ops VERSION %L', v);
        ALTER EXTENSION llm_cost_ops UPDATE;
        INSERT INTO updated SELECT 'from ' || v, * FROM pg_temp.described();
    END LOOP;
END
$$;
RESET client_min_messages;
SET client_min_messages = warning;
DROP EXTENSION llm_cost_ops;
CREATE EXTENSION llm_cost_ops;
RESET client_min_messages;
CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.described();

-- Nothing differs on any path (no rows), every path was described, and the description is
-- not empty.
SELECT path, side, kind, name, detail FROM (
    (SELECT path, 'only after the update' AS side, kind, name, detail FROM updated
     EXCEPT SELECT p.path, 'only after the update', f.* FROM fresh AS f,
                   (SELECT DISTINCT path FROM updated) AS p)
    UNION ALL
    (SELECT p.path, 'only in a fresh install', f.* FROM fresh AS f,
            (SELECT DISTINCT path FROM updated) AS p
     EXCEPT SELECT path, 'only in a fresh install', kind, name, detail FROM updated)) AS differences
ORDER BY 1, 2, 3, 4;
SELECT path, count(*) = (SELECT count(*) FROM fresh) AS same_size FROM updated
 GROUP BY path ORDER BY path;
SELECT kind, count(*) FROM fresh GROUP BY kind ORDER BY kind;

-- 1.4 partitions usage_records: a view of your own on it would be left on the 1.3 table (now
-- the default partition), so the update stops and names it; grants move to the partitioned
-- table (the default partition is reached through it only).
SET client_min_messages = warning;
DROP EXTENSION llm_cost_ops;
CREATE EXTENSION llm_cost_ops VERSION '1.3';
RESET client_min_messages;
CREATE VIEW usage_by_org AS SELECT organization_id, count(*) FROM cost_ops.usage_records GROUP BY 1;
CREATE ROLE regress_upgrade_reader;
GRANT SELECT ON cost_ops.usage_records TO regress_upgrade_reader;
ALTER EXTENSION llm_cost_ops UPDATE TO '1.4';
DROP VIEW usage_by_org;
ALTER EXTENSION llm_cost_ops UPDATE TO '1.4';
SELECT oid::regclass, relacl FROM pg_class
 WHERE oid IN ('cost_ops.usage_records'::regclass, 'cost_ops.usage_records_default'::regclass)
 ORDER BY 1;
REVOKE ALL ON cost_ops.usage_records FROM regress_upgrade_reader;
DROP ROLE regress_upgrade_reader;
