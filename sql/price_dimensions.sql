-- Every price dimension of a record, each cost computed by hand: cached input, cache writes
-- (5 minutes and 1 hour), reasoning, the fallbacks of missing prices, the per-request fee,
-- context tiers, time-of-day windows, service tiers, and an exact sum over a million records.
-- Prices are USD per 1,000,000 tokens, so the "By hand" sums are in millionths of a dollar
-- ("5615 -> 0.005615"). Costs print in their shortest exact text: 1.00 prints as 1.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- The counts and costs of the records, by request id.
CREATE TEMP VIEW priced AS
SELECT request_id, prompt_tokens AS prompt, cached_tokens AS cached,
       cache_write_tokens AS write_5m, cache_write_1h_tokens AS write_1h,
       completion_tokens AS completion, reasoning_tokens AS reasoning,
       input_cost, output_cost, total_cost, unpriced_reason
  FROM cost_ops.usage_records;

---------------------------------------------------------------------------------------------
-- Cached input: OpenAI gpt-4o at 2.50 input, 1.25 cached input, 10 output.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, cached_input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.50, 1.25, 10);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     completion_tokens)
VALUES
-- cached-1: 2006 prompt of which 1920 cached, 300 completion.
-- By hand: (2006 - 1920) * 2.50 + 1920 * 1.25 = 215 + 2400 = 2615 -> input 0.002615;
--          300 * 10 = 3000 -> output 0.003; total 2615 + 3000 = 5615 -> 0.005615.
       ('2025-01-15T10:00:00Z', 'openai', 'gpt-4o', 'org-a', 'cached-1', 2006, 1920, 300),
-- cached-2: the same request without a cache hit.
-- By hand: 2006 * 2.50 = 5015 -> 0.005015; 300 * 10 = 3000 -> 0.003; total 8015 -> 0.008015.
       ('2025-01-15T10:00:01Z', 'openai', 'gpt-4o', 'org-a', 'cached-2', 2006, 0, 300),
-- cached-3: the whole prompt from the cache.
-- By hand: 2006 * 1.25 = 2507.5 -> 0.0025075; 0 completion; total 0.0025075.
       ('2025-01-15T10:00:02Z', 'openai', 'gpt-4o', 'org-a', 'cached-3', 2006, 2006, 0);
SELECT * FROM priced WHERE request_id LIKE 'cached-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Cache writes, 5 minutes and 1 hour: Claude at 3 input, 0.30 cache read, 3.75 cache write,
-- 6 one-hour cache write, 15 output.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, cache_write_price, cache_write_1h_price,
     output_price)
VALUES ('anthropic', 'claude-sonnet-4', 3, 0.30, 3.75, 6, 15);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     cache_write_tokens, cache_write_1h_tokens, completion_tokens)
VALUES
-- write-1: Anthropic's {input_tokens 3, cache_creation_input_tokens 12304, output_tokens 550},
-- a prompt of 3 + 12304 = 12307 tokens.
-- By hand: 3 * 3 + 12304 * 3.75 = 9 + 46140 = 46149 -> input 0.046149;
--          550 * 15 = 8250 -> output 0.00825; total 46149 + 8250 = 54399 -> 0.054399.
       ('2025-06-01T00:00:00Z', 'anthropic', 'claude-sonnet-4', 'org-a', 'write-1', 12307, 0, 12304, 0, 550),
-- write-2: the same tokens written to the 1-hour cache, priced at cache_write_1h_price.
-- By hand: 3 * 3 + 12304 * 6 = 9 + 73824 = 73833 -> input 0.073833;
--          550 * 15 = 8250 -> 0.00825; total 82083 -> 0.082083.
       ('2025-06-01T00:00:01Z', 'anthropic', 'claude-sonnet-4', 'org-a', 'write-2', 12307, 0, 0, 12304, 550),
-- write-3: every input kind at once: 10000 prompt = 1000 uncached + 5000 read + 2000 written
-- (5 m) + 2000 written (1 h); 100 completion.
-- By hand: 1000 * 3 + 5000 * 0.30 + 2000 * 3.75 + 2000 * 6 = 3000 + 1500 + 7500 + 12000
--          = 24000 -> input 0.024; 100 * 15 = 1500 -> 0.0015; total 25500 -> 0.0255.
       ('2025-06-01T00:00:02Z', 'anthropic', 'claude-sonnet-4', 'org-a', 'write-3', 10000, 5000, 2000, 2000, 100);
SELECT * FROM priced WHERE request_id LIKE 'write-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Reasoning tokens are part of completion_tokens: at the output price unless the model has
-- a reasoning_price of its own.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, reasoning_price)
VALUES ('openai', 'reasoning-bundled', 30, 180, NULL),
       ('openai', 'reasoning-apart', 30, 180, 60);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens,
     completion_tokens, reasoning_tokens)
VALUES
-- reasoning-1: 14746 prompt, 1944 completion of which 1360 reasoning, all at 180.
-- By hand: 14746 * 30 = 442380 -> input 0.44238; 1944 * 180 = 349920 -> output 0.34992;
--          total 442380 + 349920 = 792300 -> 0.7923.
       ('2025-02-01T00:00:00Z', 'openai', 'reasoning-bundled', 'org-a', 'reasoning-1', 14746, 1944, 1360),
-- reasoning-2: the same record with reasoning at 60.
-- By hand: 14746 * 30 = 442380 -> 0.44238; (1944 - 1360) * 180 + 1360 * 60 = 584 * 180 + 81600
--          = 105120 + 81600 = 186720 -> output 0.18672; total 442380 + 186720 = 629100 -> 0.6291.
       ('2025-02-01T00:00:01Z', 'openai', 'reasoning-apart', 'org-a', 'reasoning-2', 14746, 1944, 1360),
-- reasoning-3: all of the completion is reasoning.
-- By hand: 0 prompt; 1000 * 60 = 60000 -> output 0.06; total 0.06.
       ('2025-02-01T00:00:02Z', 'openai', 'reasoning-apart', 'org-a', 'reasoning-3', 0, 1000, 1000);
SELECT * FROM priced WHERE request_id LIKE 'reasoning-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Missing prices (compute_cost): a missing cached, cache-write or 1-hour cache-write price
-- falls back to the input price (the 1-hour write to the input price, not to the 5-minute
-- write price); a missing reasoning price to the output price. Tokens of a kind that has
-- neither its own price nor a fallback leave the record unpriced, never free.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, cache_write_price, output_price,
     reasoning_price)
VALUES ('test', 'input-output-only', 2, NULL, NULL, 8, NULL),
       ('test', 'no-1h-write-price', 3, 0.30, 3.75, 15, NULL),
       ('test', 'cached-only', NULL, 0.50, NULL, 1, NULL),
       ('test', 'reasoning-only', 1, NULL, NULL, NULL, 2);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     cache_write_tokens, cache_write_1h_tokens, completion_tokens, reasoning_tokens)
VALUES
-- fallback-1: 10000 prompt = 1000 uncached + 4000 read + 3000 written + 2000 written (1 h),
-- 1000 completion of which 600 reasoning; every input kind at 2, all output at 8.
-- By hand: 10000 * 2 = 20000 -> input 0.02; 1000 * 8 = 8000 -> output 0.008; total 0.028.
       ('2025-03-01T00:00:00Z', 'test', 'input-output-only', 'org-a', 'fallback-1', 10000, 4000, 3000, 2000, 1000, 600),
-- fallback-2: 3000 prompt = 1000 uncached + 2000 written (1 h); the 1-hour write falls back
-- to input (3), not to the 5-minute write price (3.75).
-- By hand: 1000 * 3 + 2000 * 3 = 9000 -> 0.009 (not 1000 * 3 + 2000 * 3.75 = 10500).
       ('2025-03-01T00:00:01Z', 'test', 'no-1h-write-price', 'org-a', 'fallback-2', 3000, 0, 0, 2000, 0, 0),
-- fallback-3: no input price, but every prompt token is a cache read at 0.50.
-- By hand: 100 * 0.50 = 50 -> 0.00005; 10 * 1 = 10 -> 0.00001; total 60 -> 0.00006.
       ('2025-03-01T00:00:02Z', 'test', 'cached-only', 'org-a', 'fallback-3', 100, 100, 0, 0, 10, 0),
-- fallback-4: one uncached prompt token and no input price: unpriced, "no input price".
       ('2025-03-01T00:00:03Z', 'test', 'cached-only', 'org-a', 'fallback-4', 101, 100, 0, 0, 10, 0),
-- fallback-5: no output price, but the whole completion is reasoning at 2.
-- By hand: 10 * 1 = 10 -> 0.00001; 10 * 2 = 20 -> 0.00002; total 30 -> 0.00003.
       ('2025-03-01T00:00:04Z', 'test', 'reasoning-only', 'org-a', 'fallback-5', 10, 0, 0, 0, 10, 10),
-- fallback-6: one non-reasoning completion token and no output price: "no output price".
       ('2025-03-01T00:00:05Z', 'test', 'reasoning-only', 'org-a', 'fallback-6', 10, 0, 0, 0, 11, 10),
-- fallback-7: a cache write without a cache-write price on a model without an input price:
-- no fallback either, "no input price".
       ('2025-03-01T00:00:06Z', 'test', 'cached-only', 'org-a', 'fallback-7', 100, 50, 50, 0, 0, 0);
SELECT * FROM priced WHERE request_id LIKE 'fallback-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Per-request fee (pricing_structure.request_fee): added to total_cost, not to input_cost
-- or output_cost; charged for a request of zero tokens; never for an unpriced record.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('test', 'with-fee', 1, 2, '{"request_fee": "0.005"}'),
       ('test', 'with-fee-no-output', 1, NULL, '{"request_fee": 0.005}');
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES
-- fee-1: By hand: 1000 * 1 = 1000 -> 0.001; 500 * 2 = 1000 -> 0.001; 0.001 + 0.001 + 0.005 = 0.007.
       ('2025-03-01T00:00:00Z', 'test', 'with-fee', 'org-a', 'fee-1', 1000, 500),
-- fee-2: no tokens: 0 + 0 + 0.005 = 0.005.
       ('2025-03-01T00:00:01Z', 'test', 'with-fee', 'org-a', 'fee-2', 0, 0),
-- fee-3: By hand: 1000 * 1 = 1000 -> 0.001; no output; 0.001 + 0.005 = 0.006.
       ('2025-03-01T00:00:02Z', 'test', 'with-fee-no-output', 'org-a', 'fee-3', 1000, 0),
-- fee-4: completion tokens without an output price: unpriced, no fee.
       ('2025-03-01T00:00:03Z', 'test', 'with-fee-no-output', 'org-a', 'fee-4', 1000, 1);
SELECT * FROM priced WHERE request_id LIKE 'fee-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Context tiers (pricing_structure.tiers): once prompt_tokens is greater than a threshold,
-- the tier's prices apply to ALL tokens of the request; each tier replaces only the prices
-- it names; the highest tier exceeded wins.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'tier-200k', 2, 10,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "4", "output": "15"}]}');
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, pricing_structure)
VALUES ('google', 'tier-multi', 1, 0.10, 5,
        '{"tiers": [{"above_prompt_tokens": 128000, "input": "2", "output": "10"},
                    {"above_prompt_tokens": 200000, "input": "4", "cached_input": "0.4"}]}');
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     cache_write_tokens, completion_tokens)
VALUES
-- ctx-1: 250,000 prompt tokens are above 200k: all at 4.
-- By hand: 250000 * 4 = 1000000 -> 1.00; 0 completion; total 1.00 (prints 1).
       ('2025-04-01T00:00:00Z', 'google', 'tier-200k', 'org-a', 'ctx-1', 250000, 0, 0, 0),
-- ctx-2: exactly 200,000 stay in the base tier.
-- By hand: 200000 * 2 = 400000 -> 0.40 (prints 0.4).
       ('2025-04-01T00:00:01Z', 'google', 'tier-200k', 'org-a', 'ctx-2', 200000, 0, 0, 0),
-- ctx-3: 200,001 move, output too.
-- By hand: 200001 * 4 = 800004 -> 0.800004; 1000 * 15 = 15000 -> 0.015; total 0.815004.
       ('2025-04-01T00:00:02Z', 'google', 'tier-200k', 'org-a', 'ctx-3', 200001, 0, 0, 1000),
-- ctx-4: 200000 with 1000 completion, base tier.
-- By hand: 200000 * 2 = 400000 -> 0.4; 1000 * 10 = 10000 -> 0.01; total 0.41.
       ('2025-04-01T00:00:03Z', 'google', 'tier-200k', 'org-a', 'ctx-4', 200000, 0, 0, 1000),
-- ctx-5: cache writes in the tier without a cache-write price fall back to the TIER's input.
-- By hand: 300000 * 4 = 1200000 -> 1.2 (200000 uncached + 100000 written, all at 4).
       ('2025-04-01T00:00:04Z', 'google', 'tier-200k', 'org-a', 'ctx-5', 300000, 0, 100000, 0),
-- ctx-6: tier-multi at 128,000: base (1 / 0.10 / 5).
-- By hand: 128000 * 1 = 128000 -> 0.128; 1000 * 5 = 5000 -> 0.005; total 0.133.
       ('2025-04-01T00:00:05Z', 'google', 'tier-multi', 'org-a', 'ctx-6', 128000, 0, 0, 1000),
-- ctx-7: 128,001 with 100000 cached: first tier (2 / 10); it names no cached price, so the
-- base cached price 0.10 stays.
-- By hand: 28001 * 2 + 100000 * 0.10 = 56002 + 10000 = 66002 -> 0.066002;
--          1000 * 10 = 10000 -> 0.01; total 76002 -> 0.076002.
       ('2025-04-01T00:00:06Z', 'google', 'tier-multi', 'org-a', 'ctx-7', 128001, 100000, 0, 1000),
-- ctx-8: 200,000 with 100000 cached: still the first tier.
-- By hand: 100000 * 2 + 100000 * 0.10 = 200000 + 10000 = 210000 -> 0.21; 0.01; total 0.22.
       ('2025-04-01T00:00:07Z', 'google', 'tier-multi', 'org-a', 'ctx-8', 200000, 100000, 0, 1000),
-- ctx-9: 200,001 with 100000 cached: second tier (input 4, cached 0.4); the output price 10
-- of the first tier stays, the second does not name one.
-- By hand: 100001 * 4 + 100000 * 0.4 = 400004 + 40000 = 440004 -> 0.440004;
--          1000 * 10 = 10000 -> 0.01; total 450004 -> 0.450004.
       ('2025-04-01T00:00:08Z', 'google', 'tier-multi', 'org-a', 'ctx-9', 200001, 100000, 0, 1000);
SELECT * FROM priced WHERE request_id LIKE 'ctx-%' ORDER BY request_id;

-- Tier thresholds must be non-negative integers in ascending order.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'bad-tiers', 1, 5,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "2"},
                    {"above_prompt_tokens": 200000, "input": "4"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'bad-tiers', 1, 5, '{"tiers": [{"above_prompt_tokens": -1, "input": "2"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'bad-tiers', 1, 5, '{"tiers": [{"input": "2"}]}');

---------------------------------------------------------------------------------------------
-- Time-of-day windows (pricing_structure.time_of_day, UTC, [from, to), may wrap midnight):
-- inside a window its own set of rates replaces the base rates.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, pricing_structure)
VALUES ('deepseek', 'off-peak', 0.27, 0.07, 1.10,
        '{"time_of_day": [{"from": "16:30", "to": "00:30", "input": "0.135",
                           "cached_input": "0.035", "output": "0.55"}]}'),
       ('deepseek', 'off-peak-no-cached', 1, 0.10, 2,
        '{"time_of_day": [{"from": "00:00", "to": "06:00", "input": "0.5", "output": "1"}]}');
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     completion_tokens)
VALUES
-- tod-1, 12:00 UTC, peak: 1,000,000 prompt of which 500,000 cached, 100,000 completion.
-- By hand: 500000 * 0.27 + 500000 * 0.07 = 135000 + 35000 = 170000 -> 0.17;
--          100000 * 1.10 = 110000 -> 0.11; total 280000 -> 0.28.
       ('2025-05-01T12:00:00Z', 'deepseek', 'off-peak', 'org-a', 'tod-1', 1000000, 500000, 100000),
-- tod-2, 20:00 UTC, off-peak.
-- By hand: 500000 * 0.135 + 500000 * 0.035 = 67500 + 17500 = 85000 -> 0.085;
--          100000 * 0.55 = 55000 -> 0.055; total 140000 -> 0.14.
       ('2025-05-01T20:00:00Z', 'deepseek', 'off-peak', 'org-a', 'tod-2', 1000000, 500000, 100000),
-- tod-3, 00:29:59 UTC: still inside the window that wraps midnight: 0.14.
       ('2025-05-02T00:29:59Z', 'deepseek', 'off-peak', 'org-a', 'tod-3', 1000000, 500000, 100000),
-- tod-4, 00:30:00 UTC: the window's end is excluded: peak, 0.28.
       ('2025-05-02T00:30:00Z', 'deepseek', 'off-peak', 'org-a', 'tod-4', 1000000, 500000, 100000),
-- tod-5, 18:00 in New York (UTC-4) is 22:00 UTC: off-peak, 0.14.
       ('2025-05-01T18:00:00-04', 'deepseek', 'off-peak', 'org-a', 'tod-5', 1000000, 500000, 100000),
-- tod-6, 03:00 UTC: the window names no cached price; the base cached price (0.10) does not
-- carry into it: cached tokens fall back to the WINDOW's input price, 0.5.
-- By hand: 1000 * 0.5 = 500 -> 0.0005 (outside the window: 1000 * 0.10 = 100 -> 0.0001).
       ('2025-05-01T03:00:00Z', 'deepseek', 'off-peak-no-cached', 'org-a', 'tod-6', 1000, 1000, 0),
       ('2025-05-01T07:00:00Z', 'deepseek', 'off-peak-no-cached', 'org-a', 'tod-7', 1000, 1000, 0);
SELECT * FROM priced WHERE request_id LIKE 'tod-%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Service tiers (pricing_structure.service_tiers: batch, priority, flex). A tier's rates
-- replace the standard rates of the kinds it names; the other kinds keep the standard rate
-- (cached tokens of a batch request keep the standard cached rate unless the batch price
-- gives one). A tier without a price leaves the record unpriced.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, pricing_structure)
VALUES ('openai', 'tiered-service', 2, 0.50, 8,
        '{"service_tiers": {"batch": {"input": "1", "output": "4"},
                            "priority": {"input": "3.5", "cached_input": "0.875", "output": "14"}}}'),
       ('openai', 'batch-own-cached', 2, 0.50, 8,
        '{"service_tiers": {"batch": {"input": "1", "cached_input": "0.25", "output": "4"}}}'),
       ('openai', 'batch-no-cached', 2, NULL, 8,
        '{"service_tiers": {"batch": {"input": "1", "output": "4"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('google', 'batch-with-tiers', 2, 10,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "4", "output": "15"}],
          "service_tiers": {"batch": {"input": "1", "output": "5",
                                      "tiers": [{"above_prompt_tokens": 200000,
                                                 "input": "2", "output": "7.5"}]}}}'),
       ('google', 'batch-flat', 2, 10,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "4", "output": "15"}],
          "service_tiers": {"batch": {"input": "1", "output": "5"}}}');
-- Each record below: 1000 prompt of which 400 cached, 500 completion, unless it says otherwise.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, service_tier, prompt_tokens,
     cached_tokens, completion_tokens)
VALUES
-- tier-1, standard: 600 * 2 + 400 * 0.50 = 1200 + 200 = 1400 -> 0.0014;
--         500 * 8 = 4000 -> 0.004; total 5400 -> 0.0054.
       ('2025-06-01T00:00:00Z', 'openai', 'tiered-service', 'org-a', 'tier-1', 'standard', 1000, 400, 500),
-- tier-2, batch: 600 * 1 + 400 * 0.50 (the standard cached rate) = 600 + 200 = 800 -> 0.0008;
--         500 * 4 = 2000 -> 0.002; total 2800 -> 0.0028.
       ('2025-06-01T00:00:01Z', 'openai', 'tiered-service', 'org-a', 'tier-2', 'batch', 1000, 400, 500),
-- tier-3, priority: 600 * 3.5 + 400 * 0.875 = 2100 + 350 = 2450 -> 0.00245;
--         500 * 14 = 7000 -> 0.007; total 9450 -> 0.00945.
       ('2025-06-01T00:00:02Z', 'openai', 'tiered-service', 'org-a', 'tier-3', 'priority', 1000, 400, 500),
-- tier-4, flex: the price has no flex rates: unpriced, "no price for this service tier".
       ('2025-06-01T00:00:03Z', 'openai', 'tiered-service', 'org-a', 'tier-4', 'flex', 1000, 400, 500),
-- tier-5, batch with a batch cached price: 600 * 1 + 400 * 0.25 = 600 + 100 = 700 -> 0.0007;
--         500 * 4 = 2000 -> 0.002; total 2700 -> 0.0027.
       ('2025-06-01T00:00:04Z', 'openai', 'batch-own-cached', 'org-a', 'tier-5', 'batch', 1000, 400, 500),
-- tier-6, batch, no cached price anywhere: cached falls back to the batch input price.
--         1000 * 1 = 1000 -> 0.001; 500 * 4 = 2000 -> 0.002; total 3000 -> 0.003.
       ('2025-06-01T00:00:05Z', 'openai', 'batch-no-cached', 'org-a', 'tier-6', 'batch', 1000, 400, 500),
-- tier-7, standard, same model: 1000 * 2 = 2000 -> 0.002; 500 * 8 = 4000 -> 0.004; 0.006.
       ('2025-06-01T00:00:06Z', 'openai', 'batch-no-cached', 'org-a', 'tier-7', 'standard', 1000, 400, 500),
-- tier-8, batch with its own context tiers, 250000 prompt (none cached), 1000 completion:
--         the batch tier above 200k: 250000 * 2 = 500000 -> 0.5; 1000 * 7.5 = 7500 -> 0.0075;
--         total 0.5075.
       ('2025-06-01T00:00:07Z', 'google', 'batch-with-tiers', 'org-a', 'tier-8', 'batch', 250000, 0, 1000),
-- tier-9, the same request on the standard tier: 250000 * 4 = 1000000 -> 1;
--         1000 * 15 = 15000 -> 0.015; total 1.015.
       ('2025-06-01T00:00:08Z', 'google', 'batch-with-tiers', 'org-a', 'tier-9', 'standard', 250000, 0, 1000),
-- tier-10, batch, 200000 prompt: batch base rates: 200000 * 1 = 200000 -> 0.2;
--         1000 * 5 = 5000 -> 0.005; total 0.205.
       ('2025-06-01T00:00:09Z', 'google', 'batch-with-tiers', 'org-a', 'tier-10', 'batch', 200000, 0, 1000),
-- tier-11, batch rates without tiers of their own, above the standard 200k tier: batch has no
-- price for that context size (neither its short-context rates nor the undiscounted standard
-- long-context ones are it): unpriced, "no price for this service tier at this context size".
       ('2025-06-01T00:00:10Z', 'google', 'batch-flat', 'org-a', 'tier-11', 'batch', 250000, 0, 1000);
SELECT request_id, service_tier, input_cost, output_cost, total_cost, unpriced_reason
  FROM cost_ops.usage_records WHERE request_id LIKE 'tier-%'
 ORDER BY length(request_id), request_id;

-- The tier is read in any ASCII case, and OpenAI's 'default', 'auto' and 'scale' mean the
-- standard tier (parse_service_tier); the row stores the canonical name. Each: 1000 prompt
-- (none cached), 500 completion: standard 1000 * 2 + 500 * 8 = 2000 + 4000 = 6000 -> 0.006;
-- batch 1000 * 1 + 500 * 4 = 1000 + 2000 = 3000 -> 0.003;
-- priority 1000 * 3.5 + 500 * 14 = 3500 + 7000 = 10500 -> 0.0105.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, service_tier, prompt_tokens,
     completion_tokens)
SELECT '2025-06-01T00:01:00Z', 'openai', 'tiered-service', 'org-a', 'named-' || n, t, 1000, 500
  FROM unnest(ARRAY['default', 'auto', 'scale', 'Standard', 'BATCH', 'Priority'])
       WITH ORDINALITY AS u(t, n);
SELECT request_id, service_tier, total_cost, unpriced_reason
  FROM cost_ops.usage_records WHERE request_id LIKE 'named-%' ORDER BY request_id;
-- Any other name is an error, not an unpriced record.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, service_tier, prompt_tokens, completion_tokens)
VALUES ('2025-06-01T00:00:00Z', 'openai', 'tiered-service', 'org-a', 'turbo', 1000, 500);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, service_tier, prompt_tokens, completion_tokens)
VALUES ('2025-06-01T00:00:00Z', 'openai', 'tiered-service', 'org-a', '', 1000, 500);

-- pricing_structure.service_tiers takes only batch, priority and flex, each an object.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"standard": {"input": "1"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"default": {"input": "1"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"Batch": {"input": "1"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"batch": "half"}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"flex": {"input": "-1"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": [{"batch": {"input": "1"}}]}');
-- A misspelt rate would leave the standard rate in place without a word: refused.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"service_tiers": {"batch": {"inptu": "0.5"}}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('openai', 'bad-tier', 2, 8, '{"tiers": [{"above_prompt_tokens": 1000, "inptu": "1"}]}');

---------------------------------------------------------------------------------------------
-- Exact sums: 500 prompt at 0.50 and 910 completion at 1.50, a million times.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('test', 'sum-model', 0.50, 1.50);
-- By hand: 500 * 0.50 + 910 * 1.50 = 250 + 1365 = 1615 -> 0.001615 each.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2025-07-01T00:00:00Z', 'test', 'sum-model', 'org-sum', 'sum-one', 500, 910);
SELECT * FROM priced WHERE request_id = 'sum-one';
-- A thousand of them in usage_records: 1000 * 0.001615 = 1.615.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
SELECT '2025-07-01T00:00:00Z'::timestamptz + g * interval '1 second', 'test', 'sum-model',
       'org-thousand', 500, 910
  FROM generate_series(1, 1000) AS g;
SELECT count(*), count(total_cost) AS priced, cost_ops.sum(total_cost) AS total
  FROM cost_ops.usage_records WHERE organization_id = 'org-thousand';
-- One million such records, priced by the same trigger on a session table with just the
-- columns it reads and writes (no indexes, no other columns: keeps the suite fast).
CREATE TEMP TABLE million (
    "timestamp" timestamptz NOT NULL, provider text NOT NULL, model text NOT NULL,
    prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL, total_tokens bigint,
    cached_tokens bigint NOT NULL DEFAULT 0, cache_write_tokens bigint NOT NULL DEFAULT 0,
    cache_write_1h_tokens bigint NOT NULL DEFAULT 0, reasoning_tokens bigint NOT NULL DEFAULT 0,
    service_tier text NOT NULL DEFAULT 'standard', input_cost cost_ops.cost,
    output_cost cost_ops.cost, total_cost cost_ops.cost, pricing_id bigint, price_match text,
    unpriced_reason text);
CREATE TRIGGER price BEFORE INSERT ON million
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
INSERT INTO million ("timestamp", provider, model, prompt_tokens, completion_tokens)
SELECT '2025-07-01T00:00:00Z', 'test', 'sum-model', 500, 910
  FROM generate_series(1, 1000000) AS g;
-- By hand: 1000000 * 0.001615 = 1615 exactly; inputs 1000000 * 0.00025 = 250, outputs
-- 1000000 * 0.001365 = 1365; 250 + 1365 = 1615; the mean is 1615 / 1000000 = 0.001615.
SELECT count(*), count(total_cost) AS priced, cost_ops.sum(total_cost) AS total,
       cost_ops.sum(input_cost) AS input, cost_ops.sum(output_cost) AS output,
       cost_ops.avg(total_cost) AS mean, cost_ops.min(total_cost) AS min,
       cost_ops.max(total_cost) AS max,
       cost_ops.sum(total_cost) OPERATOR(cost_ops.=) '1615' AS exactly_1615,
       sum(total_cost::numeric) AS numeric_sum
  FROM million;
DROP TABLE million;
