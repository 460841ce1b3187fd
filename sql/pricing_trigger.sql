-- The pricing trigger: hand-computed costs, cached and cache-write tokens, unpriced rows,
-- effective dating, tiers, time-of-day prices, invariants, and the cache's invalidation.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
-- Dates below mean 00:00 UTC, as in the domain rules (a bare date is read in TimeZone).
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.pricing_tables;

INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4o', 2.50, 1.25, 10, '2024-05-13');
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-4', 30, 60, '2023-03-14', '2024-04-09');
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, cache_write_price, output_price)
VALUES ('anthropic', 'claude-3-5-sonnet', 3, 0.3, 3.75, 15);

-- gpt-4o, 2006 prompt tokens of which 1920 cached, 300 completion:
-- 86 * 2.50 + 1920 * 1.25 + 300 * 10 = 215 + 2400 + 3000 = 5615 per 1M = 0.005615.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, prompt_tokens, cached_tokens, completion_tokens)
VALUES ('2025-01-15T10:00:00Z', 'openai', 'gpt-4o', 'org-a', 2006, 1920, 300)
RETURNING input_cost, output_cost, total_cost, total_tokens,
          pricing_id = (SELECT id FROM cost_ops.price_for('openai', 'gpt-4o', "timestamp")) AS same_row;

-- gpt-4 is priced at 30/60 on its last day and unpriced the day after (no later price).
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2024-04-08T23:59:59Z', 'openai', 'gpt-4', 'org-a', 'last-day', 1000, 500),
       ('2024-04-09T00:00:00Z', 'openai', 'gpt-4', 'org-a', 'day-after', 1000, 500),
       ('2024-05-12T12:00:00Z', 'openai', 'gpt-4o', 'org-a', 'before-launch', 10, 10),
       ('2025-01-01T00:00:00Z', 'openai', 'gpt-5-unknown', 'org-a', 'no-such-model', 10, 10);
SELECT request_id, input_cost, output_cost, total_cost, pricing_id IS NOT NULL AS priced
  FROM cost_ops.usage_records WHERE request_id IS NOT NULL ORDER BY "timestamp";

-- Cache writes use their own price; a missing cached price falls back to the input price.
-- 10000 prompt = 2000 uncached + 5000 cache reads + 3000 cache writes; 1000 completion:
-- 2000*3 + 5000*0.3 + 3000*3.75 = 6000 + 1500 + 11250 = 18750 -> 0.01875; 1000*15 -> 0.015.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, prompt_tokens, cached_tokens,
     cache_write_tokens, completion_tokens, reasoning_tokens)
VALUES ('2025-02-01', 'anthropic', 'claude-3-5-sonnet', 'org-b', 10000, 5000, 3000, 1000, 400)
RETURNING input_cost, output_cost, total_cost;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'no-cache-price', 2, 8);
-- 100 prompt (60 cached, both at 2) + 10 completion at 8 = 200 + 80 = 280 -> 0.00028.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, prompt_tokens, cached_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'no-cache-price', 'org-b', 100, 60, 10)
RETURNING input_cost, output_cost, total_cost;

-- Zero tokens cost exactly zero; a price of zero is free, not unpriced.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('local', 'free-model', 0, 0);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-b', 0, 0), ('2025-02-01', 'local', 'free-model', 'org-b', 5, 5)
RETURNING model, total_cost;

-- A model priced for input only: completion tokens make the record unpriced, never free.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'embedding-model', 0.02, NULL);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'embedding-model', 'org-b', 1000, 0),
       ('2025-02-01', 'openai', 'embedding-model', 'org-b', 1000, 1)
RETURNING completion_tokens, total_cost;

-- Context tiers apply to the whole request once prompt_tokens exceed the threshold.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'tiered', 1.25, 10,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "2.5", "output": "15"}]}');
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-02-01', 'google', 'tiered', 'org-c', 200000, 1000),
       ('2025-02-01', 'google', 'tiered', 'org-c', 200001, 1000)
RETURNING prompt_tokens, input_cost, output_cost;

-- Time-of-day prices (UTC window, may wrap midnight) and a per-request fee.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('deepseek', 'windowed', 0.135, 0.55,
        '{"time_of_day": [{"from": "00:30", "to": "16:30", "input": "0.27", "output": "1.1"}],
          "request_fee": "0.0001"}');
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-02-01T00:29:59Z', 'deepseek', 'windowed', 'org-c', 1000000, 1000000),
       ('2025-02-01T00:30:00Z', 'deepseek', 'windowed', 'org-c', 1000000, 1000000),
       ('2025-02-01T16:29:59+00', 'deepseek', 'windowed', 'org-c', 1000000, 1000000),
       ('2025-02-01T11:30:00-05', 'deepseek', 'windowed', 'org-c', 1000000, 1000000)
RETURNING "timestamp", input_cost, output_cost, total_cost;

-- The database is the only writer of costs: given costs are replaced by computed ones.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens, total_cost, pricing_id)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-d', 1000, 0, '999', 12345)
RETURNING total_cost, pricing_id = 12345 AS kept_given_id;

-- Invariants of the normalized record are errors naming the fields.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, cached_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-e', 100, 101, 0);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens, reasoning_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-e', 100, 10, 11);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens, total_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-e', 100, 10, 111);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 'org-e', -1, 10);
\set VERBOSITY terse
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES (NULL, 'openai', 'gpt-4o', 'org-e', 1, 10);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, prompt_tokens, completion_tokens)
VALUES ('2025-02-01', 'openai', 'gpt-4o', 1, 10);
\set VERBOSITY default
-- The identity of a record: provider, organization and request id, in its UTC month.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2024-04-01', 'openai', 'gpt-4', 'org-a', 'last-day', 1, 1);

-- The cache: loaded once, reused for every row, reloaded after a price change.
SELECT loaded, price_rows FROM cost_ops.pricing_cache_status();
SELECT loads AS loads_before FROM cost_ops.pricing_cache_status() \gset
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
SELECT '2025-03-01'::timestamptz + g * interval '1 second', 'openai', 'gpt-4o', 'org-f', g, g
  FROM generate_series(1, 1000) g;
SELECT loads - :loads_before AS reloads, rows_priced > 0 AS counts_rows
  FROM cost_ops.pricing_cache_status();
-- A later price for gpt-4 (closes nothing: the historical row has an end date).
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4', 20, 40, '2024-04-09');
SELECT loaded FROM cost_ops.pricing_cache_status();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2024-04-09T00:00:00Z', 'openai', 'gpt-4', 'org-a', 'after-new-price', 1000, 500)
RETURNING total_cost;
SELECT loads - :loads_before AS reloads FROM cost_ops.pricing_cache_status();
-- Rows stored unpriced are priced again by updating them (the trigger recomputes).
UPDATE cost_ops.usage_records SET model = model WHERE request_id = 'day-after'
RETURNING request_id, total_cost;
-- A correction applies to new rows at once.
UPDATE cost_ops.pricing_tables SET input_price = 2.00 WHERE model = 'gpt-4o';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'gpt-4o', 'org-g', 1000000, 0) RETURNING total_cost;
-- A rolled-back price is never used.
BEGIN;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'rolled-back', 1, 1);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'rolled-back', 'org-g', 1000000, 0) RETURNING total_cost;
ROLLBACK;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'rolled-back', 'org-g', 1000000, 0) RETURNING total_cost;
-- The same inside a savepoint.
BEGIN;
SAVEPOINT s;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'rolled-back', 1, 1);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'rolled-back', 'org-g', 1000000, 0) RETURNING total_cost;
ROLLBACK TO SAVEPOINT s;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'rolled-back', 'org-g', 1000000, 0) RETURNING total_cost;
COMMIT;

-- A price that priced records cannot be deleted.
DELETE FROM cost_ops.pricing_tables WHERE model = 'gpt-4o';
DELETE FROM cost_ops.pricing_tables WHERE model = 'no-such-model';
-- Nor truncated (a TRUNCATE skips the delete check): refused while any record is priced (1.6).
TRUNCATE cost_ops.pricing_tables;
SELECT count(*) > 0 AS prices_kept FROM cost_ops.pricing_tables;

-- The trigger can price a table of the user's own with the same columns, and says what is
-- missing otherwise.
CREATE TABLE my_usage (LIKE cost_ops.usage_records INCLUDING ALL);
CREATE TRIGGER price BEFORE INSERT ON my_usage
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
INSERT INTO my_usage ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'gpt-4o', 'org-h', 1000000, 0) RETURNING total_cost;
CREATE TABLE not_usage (id int, model text);
CREATE TRIGGER price BEFORE INSERT ON not_usage
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
INSERT INTO not_usage VALUES (1, 'gpt-4o');
CREATE TRIGGER price_after AFTER INSERT ON my_usage
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
INSERT INTO my_usage ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-04-01', 'openai', 'gpt-4o', 'org-h', 1, 0);
DROP TABLE my_usage, not_usage;

-- Totals are exact sums of their rows.
SELECT organization_id, count(*), count(total_cost) AS priced, cost_ops.sum(total_cost)
  FROM cost_ops.usage_records GROUP BY organization_id ORDER BY organization_id;
