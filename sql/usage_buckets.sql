-- Rows that sum many API requests (usage-API buckets): request_count and the bounds of each
-- request's prompt_tokens decide the context tier and the request fees, and a bucket whose
-- price depends on what it does not say is left unpriced, never overcharged. Each cost is
-- computed by hand; prices are USD per 1,000,000 tokens ("1522500 -> 1.5225").
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE TEMP VIEW priced AS
SELECT request_id, request_count AS requests, request_prompt_tokens_min AS each_min,
       request_prompt_tokens_max AS each_max, prompt_tokens AS prompt,
       completion_tokens AS completion, total_cost, unpriced_reason
  FROM cost_ops.usage_records;

-- 3 input / 15 output, above 200,000 prompt tokens per request 6 / 22.5 (Claude Sonnet 4's
-- long-context rates); 1 / 2 plus 0.001 per request; 0.27 / 1.10, off-peak 0.135 / 0.55.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('anthropic', 'tiered', 3, 15,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5"}]}'),
       ('test', 'with-fee', 1, 2, '{"request_fee": "0.001"}'),
       ('deepseek', 'off-peak', 0.27, 1.10,
        '{"time_of_day": [{"from": "16:30", "to": "00:30", "input": "0.135", "output": "0.55"}]}');

---------------------------------------------------------------------------------------------
-- Context tiers
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, request_count,
     request_prompt_tokens_min, request_prompt_tokens_max, prompt_tokens, completion_tokens)
VALUES
-- one: a request of 250,000 prompt tokens is in the long-context tier.
-- By hand: 250000 * 6 + 1000 * 22.5 = 1500000 + 22500 = 1522500 -> 1.5225.
       ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 'one', 1, NULL, NULL, 250000, 1000),
-- short-window: Anthropic's context_window "0-200k", an unknown number of requests of at most
-- 200,000 each: base rates for all 900,000 (priced as one request of 900,000 it would get the
-- long-context rates: 900000 * 6 + 10000 * 22.5 = 5.625, overcharged).
-- By hand: 900000 * 3 + 10000 * 15 = 2700000 + 150000 = 2850000 -> 2.85.
       ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 'short-window', NULL, NULL, 200000,
        900000, 10000),
-- long-window: context_window "200k-1M": every request above 200,000.
-- By hand: 600000 * 6 + 10000 * 22.5 = 3600000 + 225000 = 3825000 -> 3.825.
       ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 'long-window', NULL, 200001, 1000000,
        600000, 10000),
-- small-bucket: 40 requests, 150,000 prompt tokens in all: none can be above 200,000.
-- By hand: 150000 * 3 + 5000 * 15 = 450000 + 75000 = 525000 -> 0.525.
       ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 'small-bucket', 40, NULL, NULL,
        150000, 5000),
-- mixed-bucket: 250 requests, 1,000,000 prompt tokens, sizes unknown: some may be above
-- 200,000 and some not, so its cost is unknown: unpriced.
       ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 'mixed-bucket', 250, NULL, NULL,
        1000000, 20000);
SELECT * FROM priced ORDER BY request_id;

-- Saying more reprices the row (the trigger fires on the request-shape columns): each of the
-- 250 requests had at most 200,000 prompt tokens.
-- By hand: 1000000 * 3 + 20000 * 15 = 3000000 + 300000 = 3300000 -> 3.3.
UPDATE cost_ops.usage_records SET request_prompt_tokens_max = 200000
 WHERE request_id = 'mixed-bucket';
SELECT * FROM priced WHERE request_id = 'mixed-bucket';

---------------------------------------------------------------------------------------------
-- Request fees and time-of-day windows
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, request_count, prompt_tokens,
     completion_tokens)
VALUES
-- fee-30: 30 requests pay 30 fees.
-- By hand: 10000 * 1 + 1000 * 2 = 12000 -> 0.012; 30 * 0.001 = 0.03; 0.012 + 0.03 = 0.042.
       ('2025-08-01T00:00:00Z', 'test', 'with-fee', 'org-a', 'fee-30', 30, 10000, 1000),
-- fee-unknown: how many fees is unknown: unpriced.
       ('2025-08-01T00:00:00Z', 'test', 'with-fee', 'org-a', 'fee-unknown', NULL, 10000, 1000),
-- off-peak-bucket: a day's bucket starting in the off-peak window holds requests of both
-- windows: unpriced; the same tokens as one request are priced at the window's rates.
-- By hand (one request at 20:00): 100000 * 0.135 + 10000 * 0.55 = 13500 + 5500 = 19000 -> 0.019.
       ('2025-08-01T20:00:00Z', 'deepseek', 'off-peak', 'org-a', 'off-peak-bucket', 12, 100000,
        10000),
       ('2025-08-01T20:00:00Z', 'deepseek', 'off-peak', 'org-a', 'off-peak-one', 1, 100000, 10000);
SELECT * FROM priced WHERE request_id ~ '^(fee|off-peak)' ORDER BY request_id;

-- Nothing else in the table is charged twice: the sum is the hand sums above.
-- By hand: 1.5225 + 2.85 + 3.825 + 0.525 + 3.3 + 0.042 + 0.019 = 12.0835.
SELECT cost_ops.sum(total_cost), count(*) AS records, count(total_cost) AS priced
  FROM cost_ops.usage_records;

---------------------------------------------------------------------------------------------
-- Shapes that cannot be: each is an error naming the column
---------------------------------------------------------------------------------------------
\set VERBOSITY default
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_count, prompt_tokens, completion_tokens)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 0, 10, 1);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_prompt_tokens_min,
     request_prompt_tokens_max, prompt_tokens, completion_tokens)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 300, 200, 250, 1);
-- Two requests of at least 100,000 each cannot add up to 150,000.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_count, request_prompt_tokens_min,
     prompt_tokens, completion_tokens)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 2, 100000, 150000, 1);
-- One request of at most 100 prompt tokens cannot have 250,000.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_prompt_tokens_max, prompt_tokens,
     completion_tokens)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', 100, 250000, 1);
\set VERBOSITY terse
-- The table's constraint holds too when the trigger is off (terse: the failing row it would
-- show holds the time of insertion).
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER price_usage_record;
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_count, prompt_tokens, completion_tokens,
     total_tokens)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 'org-a', -1, 10, 1, 11);
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER price_usage_record;

---------------------------------------------------------------------------------------------
-- A table of one's own, priced by the same trigger, without the request-shape columns: every
-- row is one request.
---------------------------------------------------------------------------------------------
CREATE TABLE pg_temp.my_usage AS
SELECT "timestamp", provider, model, prompt_tokens, completion_tokens, total_tokens,
       cached_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, service_tier,
       input_cost, output_cost, total_cost, pricing_id, price_match, unpriced_reason
  FROM cost_ops.usage_records WITH NO DATA;
CREATE TRIGGER price BEFORE INSERT ON pg_temp.my_usage
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
-- By hand: as "one" above, 1.5225.
INSERT INTO pg_temp.my_usage
    ("timestamp", provider, model, prompt_tokens, completion_tokens, cached_tokens,
     cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, service_tier)
VALUES ('2025-08-01T00:00:00Z', 'anthropic', 'tiered', 250000, 1000, 0, 0, 0, 0, 'standard');
SELECT total_cost, unpriced_reason FROM pg_temp.my_usage;

---------------------------------------------------------------------------------------------
-- A price change inside a bucket's period: the price valid at its start must still be valid
-- at its period_end, or its requests may have had either price: unpriced.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('test', 'dated', 1, 1, '2025-01-01T00:00:00Z'),
       ('test', 'dated', 0.1, 0.1, '2025-07-01T12:00:00Z');
INSERT INTO cost_ops.usage_records
    ("timestamp", period_end, provider, model, organization_id, request_id, request_count,
     prompt_tokens, completion_tokens)
VALUES
-- day: the whole of 2025-07-01, which the change at 12:00 splits: unpriced.
       ('2025-07-01T00:00:00Z', '2025-07-02T00:00:00Z', 'test', 'dated', 'org-a', 'day', 10,
        1000000, 0),
-- morning: ends when the new price starts. By hand: 1000000 * 1 -> 1.
       ('2025-07-01T00:00:00Z', '2025-07-01T12:00:00Z', 'test', 'dated', 'org-a', 'morning', 10,
        1000000, 0),
-- afternoon: after it. By hand: 1000000 * 0.1 -> 0.1.
       ('2025-07-01T12:00:00Z', '2025-07-02T00:00:00Z', 'test', 'dated', 'org-a', 'afternoon', 10,
        1000000, 0),
-- open: a bucket without a period_end is priced at its start. By hand: 1.
       ('2025-07-01T00:00:00Z', NULL, 'test', 'dated', 'org-a', 'open', 10, 1000000, 0),
-- one-request: a single request happens at its timestamp; a period_end does not matter. By
-- hand: 1.
       ('2025-07-01T00:00:00Z', '2025-07-02T00:00:00Z', 'test', 'dated', 'org-a', 'one-request',
        1, 1000000, 0);
SELECT request_id, "timestamp", period_end, total_cost, unpriced_reason
  FROM cost_ops.usage_records WHERE model = 'dated' ORDER BY "timestamp", request_id;
-- A period ends after it starts.
INSERT INTO cost_ops.usage_records
    ("timestamp", period_end, provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-07-01T00:00:00Z', '2025-07-01T00:00:00Z', 'test', 'dated', 'org-a', 1, 1);
