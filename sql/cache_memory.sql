-- The trigger's cache with 10,000 price rows and 100,000 aliases: every name resolves, the
-- costs are exact, and the backend's private memory (RssAnon of /proc/self/status: the cache
-- is C++ containers, outside PostgreSQL's memory contexts) stays under stated bounds after
-- the first load and after repeated reloads.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.model_aliases;
DELETE FROM cost_ops.model_match_rules;
DELETE FROM cost_ops.provider_fallbacks;
DELETE FROM cost_ops.pricing_tables;

-- 5,000 models with two periods each: 2.50 / 10 from 2025-01-01, and 5 / 20 over 2024.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
SELECT 'openai', 'model-' || lpad(i::text, 5, '0') || '-preview-2025', 2.50, 10, '2025-01-01'
  FROM generate_series(1, 5000) AS i;
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, output_price, effective_date, end_date)
SELECT 'openai', 'model-' || lpad(i::text, 5, '0') || '-preview-2025', 5, 20, '2024-01-01', '2025-01-01'
  FROM generate_series(1, 5000) AS i;
-- 100,000 aliases, 20 per model.
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
SELECT 'openai', 'alias-' || lpad(j::text, 6, '0') || '-of-a-model', 'openai',
       'model-' || lpad((j % 5000 + 1)::text, 5, '0') || '-preview-2025'
  FROM generate_series(1, 100000) AS j;

-- A fresh backend, whose cache is not loaded yet.
\c
SET TimeZone = 'UTC';
SELECT substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s+(\d+) kB')::bigint AS rss_before
\gset
SELECT loaded FROM cost_ops.pricing_cache_status();

-- Every alias once, half of them in 2024, then every model by its own name in 2025
-- (105,000 names: the memo of resolved names, bounded at 100,000, is cleared once).
-- Per row, 1000 prompt and 500 completion tokens:
--   2025: 1000 * 2.50 + 500 * 10 = 7500 per 1M -> 0.0075
--   2024: 1000 * 5    + 500 * 20 = 15000       -> 0.015
-- 55,000 rows of 2025 and 50,000 of 2024: 412.5 + 750 = 1162.5.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
SELECT CASE WHEN j % 2 = 0 THEN timestamptz '2024-06-01' ELSE '2025-03-01' END, 'openai',
       'alias-' || lpad(j::text, 6, '0') || '-of-a-model', 'org-m', 'alias-' || j, 1000, 500
  FROM generate_series(1, 100000) AS j;
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
SELECT '2025-03-01', 'openai', 'model-' || lpad(i::text, 5, '0') || '-preview-2025', 'org-m',
       'exact-' || i, 1000, 500
  FROM generate_series(1, 5000) AS i;
SELECT substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s+(\d+) kB')::bigint AS rss_loaded
\gset
SELECT loaded, price_rows, models, loads, rows_priced, rows_unpriced
  FROM cost_ops.pricing_cache_status();
SELECT price_match, count(*), cost_ops.sum(total_cost)
  FROM cost_ops.usage_records GROUP BY price_match ORDER BY price_match;
SELECT cost_ops.sum(total_cost) AS total FROM cost_ops.usage_records;

-- Four reloads (a no-op UPDATE is a change), then every alias again, at 2025 prices:
-- 100,000 * 0.0075 = 750.
UPDATE cost_ops.pricing_tables SET input_price = input_price WHERE model = 'model-00001-preview-2025';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-01', 'openai', 'model-00001-preview-2025', 'org-r', 1000, 500);
UPDATE cost_ops.pricing_tables SET input_price = input_price WHERE model = 'model-00001-preview-2025';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-01', 'openai', 'model-00001-preview-2025', 'org-r', 1000, 500);
UPDATE cost_ops.pricing_tables SET input_price = input_price WHERE model = 'model-00001-preview-2025';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-01', 'openai', 'model-00001-preview-2025', 'org-r', 1000, 500);
UPDATE cost_ops.pricing_tables SET input_price = input_price WHERE model = 'model-00001-preview-2025';
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
SELECT '2025-03-01', 'openai', 'alias-' || lpad(j::text, 6, '0') || '-of-a-model', 'org-m',
       'again-' || j, 1000, 500
  FROM generate_series(1, 100000) AS j
RETURNING NULL AS nothing \g /dev/null
SELECT substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s+(\d+) kB')::bigint AS rss_reloaded
\gset
SELECT loaded, loads, rows_priced, rows_unpriced FROM cost_ops.pricing_cache_status();
SELECT cost_ops.sum(total_cost) AS again FROM cost_ops.usage_records WHERE request_id LIKE 'again-%';

-- The bounds, in kB of private memory added to the backend. Measured on Debian 12 (glibc
-- 2.36): +51 MB once loaded with 105,000 names resolved (the book itself is about 37 MB,
-- some 350 bytes per alias; the rest is the SPI rows it was read from, freed but kept by
-- malloc), +91 MB after the reloads and 100,000 names resolved again (each reload frees the
-- old book before reading the new one, so two books never coexist). The daily rollup of
-- these statements, 100,000 keys each, adds 3 to 7 MB (58 and 88-111 MB in all): it sums at
-- most 1,024 keys at a time.
-- make sanitize-check runs this suite too, under ASan, whose shadow memory and quarantine count
-- in RssAnon (+332 MB once loaded, +374 MB after the reloads there): it multiplies both bounds
-- by COST_OPS_MEMORY_BOUND_SCALE (8); unset, they are as written.
\getenv bound_scale COST_OPS_MEMORY_BOUND_SCALE
\if :{?bound_scale}
\else
\set bound_scale 1
\endif
SELECT :rss_loaded - :rss_before < 64 * 1024 * :bound_scale AS loaded_under_64_mib,
       :rss_reloaded - :rss_before < 128 * 1024 * :bound_scale AS reloaded_under_128_mib;

TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.model_aliases;
DELETE FROM cost_ops.pricing_tables;
