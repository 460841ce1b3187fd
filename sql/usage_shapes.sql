-- Provider usage objects turned into normalized records by cost_ops.normalize_usage(provider,
-- usage, usage_format): OpenAI usage (Chat Completions and Responses API, with their
-- *_details), Anthropic usage (Messages, with the cache_creation lifetime split, and Bedrock
-- Converse), Gemini usageMetadata; the format each provider id implies and an explicit
-- usage_format; inconsistent counts as errors with a detail naming the member; raw provider
-- JSON loaded with COPY into a staging table, then priced by INSERT ... SELECT.
-- Costs: prices are USD per 1,000,000 tokens, so "By hand" sums are in millionths of a dollar.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

---------------------------------------------------------------------------------------------
-- One usage object of each layout. Columns: prompt (all input, cache reads and writes
-- included), completion (all output, reasoning included), cached, write_5m, write_1h, reasoning.
---------------------------------------------------------------------------------------------
SELECT t.label, n.prompt_tokens AS prompt, n.completion_tokens AS completion,
       n.cached_tokens AS cached, n.cache_write_tokens AS write_5m,
       n.cache_write_1h_tokens AS write_1h, n.reasoning_tokens AS reasoning
  FROM (VALUES
    -- OpenAI Chat Completions: prompt_tokens includes prompt_tokens_details.cached_tokens,
    -- completion_tokens includes completion_tokens_details.reasoning_tokens: copied as they are.
    -- 2006 / 300 / 1920 cached.
    ('a openai chat', 'openai',
     '{"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
       "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
       "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                     "accepted_prediction_tokens": 0,
                                     "rejected_prediction_tokens": 0}}'::jsonb, NULL),
    -- 14746 / 1944 of which 1360 reasoning; 14746 + 1944 = 16690 total.
    ('b openai reasoning', 'openai',
     '{"prompt_tokens": 14746, "completion_tokens": 1944, "total_tokens": 16690,
       "completion_tokens_details": {"reasoning_tokens": 1360}}', NULL),
    -- The Responses API layout: input_tokens / output_tokens and their *_details, inclusive
    -- like Chat Completions: 1000 / 500, 600 cached, 200 reasoning.
    ('c openai responses', 'openai',
     '{"input_tokens": 1000, "input_tokens_details": {"cached_tokens": 600},
       "output_tokens": 500, "output_tokens_details": {"reasoning_tokens": 200},
       "total_tokens": 1500}', NULL),
    -- Counts written as integral literals, and null members (read as absent): 1000 / 12.
    ('d openai literals', 'openai',
     '{"prompt_tokens": 1e3, "completion_tokens": 12.0, "prompt_tokens_details": null}', NULL),
    -- Anthropic Messages: input_tokens EXCLUDES cache reads and writes:
    -- prompt = 3 + 0 + 12304 = 12307, of which 12304 written (5 m).
    ('e anthropic write', 'anthropic',
     '{"input_tokens": 3, "cache_creation_input_tokens": 12304, "cache_read_input_tokens": 0,
       "output_tokens": 550}', NULL),
    -- With cache reads and the lifetime split: prompt = 10 + 500 + 3000 = 3510;
    -- 3000 written = 1000 (5 m) + 2000 (1 h).
    ('f anthropic 1h', 'anthropic',
     '{"input_tokens": 10, "cache_read_input_tokens": 500, "cache_creation_input_tokens": 3000,
       "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
       "output_tokens": 100}', NULL),
    -- The split alone gives the writes: prompt = 10 + 2000 = 2010, 2000 written (1 h).
    ('g anthropic split only', 'anthropic',
     '{"input_tokens": 10, "cache_creation": {"ephemeral_1h_input_tokens": 2000},
       "output_tokens": 5}', NULL),
    -- Bedrock Converse, the same convention in camelCase: prompt = 10 + 500 + 3000 = 3510,
    -- total = 3510 + 100 = 3610; cacheDetails split the writes by ttl.
    ('h bedrock converse', 'bedrock',
     '{"inputTokens": 10, "outputTokens": 100, "cacheReadInputTokens": 500,
       "cacheWriteInputTokens": 3000, "totalTokens": 3610,
       "cacheDetails": [{"ttl": "5m", "inputTokens": 1000}, {"ttl": "1h", "inputTokens": 2000}]}',
     NULL),
    -- Gemini usageMetadata: promptTokenCount includes cachedContentTokenCount;
    -- thoughtsTokenCount is NOT in candidatesTokenCount: completion = 200 + 300 = 500,
    -- reasoning 300; total = 1000 + 500 = 1500.
    ('i gemini thoughts', 'google',
     '{"promptTokenCount": 1000, "cachedContentTokenCount": 600, "candidatesTokenCount": 200,
       "thoughtsTokenCount": 300, "totalTokenCount": 1500}', NULL),
    -- toolUsePromptTokenCount is input outside promptTokenCount: prompt = 100 + 50 = 150;
    -- total = 150 + 20 = 170.
    ('j gemini tool use', 'gemini',
     '{"promptTokenCount": 100, "toolUsePromptTokenCount": 50, "candidatesTokenCount": 20,
       "totalTokenCount": 170}', NULL),
    -- candidatesTokenCount omitted (protobuf JSON drops zeros): completion = 0 + 30 = 30.
    ('k gemini no candidates', 'vertex_ai',
     '{"promptTokenCount": 100, "thoughtsTokenCount": 30, "totalTokenCount": 130}', NULL)
  ) AS t(label, provider, usage, usage_format)
 CROSS JOIN LATERAL cost_ops.normalize_usage(t.provider, t.usage, t.usage_format) AS n
 ORDER BY t.label;

---------------------------------------------------------------------------------------------
-- The format comes from the provider id (exactly, in any ASCII case): Azure and OpenRouter
-- like OpenAI; Bedrock and Claude on Vertex like Anthropic; Vertex and Gemini like Google.
-- An explicit usage_format wins over the provider's.
---------------------------------------------------------------------------------------------
-- The same three objects under many providers:
--   openai-shaped:    10 prompt of which 4 cached, 5 completion          -> 10 / 5 / 4
--   anthropic-shaped: 10 input + 4 read + 2 written, 5 output            -> 16 / 5 / 4 / 2
--   gemini-shaped:    10 prompt of which 4 cached, 5 candidates + 1 thought -> 10 / 6 / 4, 1
SELECT t.provider, t.shape, t.usage_format, n.prompt_tokens AS prompt,
       n.completion_tokens AS completion, n.cached_tokens AS cached,
       n.cache_write_tokens AS write_5m, n.reasoning_tokens AS reasoning
  FROM (VALUES ('openai', 'openai', NULL), ('azure', 'openai', NULL),
               ('Azure', 'openai', NULL), ('azure_openai', 'openai', NULL),
               ('openrouter', 'openai', NULL),
               ('anthropic', 'anthropic', NULL), ('bedrock', 'anthropic', NULL),
               ('aws', 'anthropic', NULL), ('vertex-anthropic', 'anthropic', NULL),
               ('vertex_ai-anthropic', 'anthropic', NULL),
               ('google', 'gemini', NULL), ('gemini', 'gemini', NULL),
               ('vertex', 'gemini', NULL), ('vertex_ai', 'gemini', NULL),
               ('xai', 'openai', 'openai'), ('my-gateway', 'openai', 'OpenAI'),
               ('vertex', 'anthropic', 'anthropic'), ('my-gateway', 'gemini', 'google'),
               ('openai', 'gemini', 'gemini')) AS t(provider, shape, usage_format)
  JOIN (VALUES ('openai', '{"prompt_tokens": 10, "completion_tokens": 5,
                            "prompt_tokens_details": {"cached_tokens": 4}}'::jsonb),
               ('anthropic', '{"input_tokens": 10, "cache_read_input_tokens": 4,
                               "cache_creation_input_tokens": 2, "output_tokens": 5}'),
               ('gemini', '{"promptTokenCount": 10, "cachedContentTokenCount": 4,
                            "candidatesTokenCount": 5, "thoughtsTokenCount": 1}'))
       AS s(shape, usage) USING (shape)
 CROSS JOIN LATERAL cost_ops.normalize_usage(t.provider, s.usage, t.usage_format) AS n
 ORDER BY t.shape, t.usage_format NULLS FIRST, t.provider COLLATE "C";

-- A provider whose format is not known needs a usage_format (xAI's completion_tokens exclude
-- reasoning, so it is not read as OpenAI's on a guess); an unknown format is an error.
SELECT * FROM cost_ops.normalize_usage('xai', '{"prompt_tokens": 10, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('', '{"prompt_tokens": 10, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage(NULL, '{"prompt_tokens": 10, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 10, "completion_tokens": 5}',
                                       'cohere');
-- A usage object of another provider's layout is refused, never misread.
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"input_tokens": 3, "cache_creation_input_tokens": 12304, "output_tokens": 550}');
SELECT * FROM cost_ops.normalize_usage('vertex',
    '{"input_tokens": 3, "cache_creation_input_tokens": 12304, "output_tokens": 550}');
SELECT * FROM cost_ops.normalize_usage('anthropic',
    '{"prompt_tokens": 10, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('anthropic',
    '{"input_tokens": 10, "outputTokens": 5}');
-- A NULL usage object gives NULL counts.
SELECT * FROM cost_ops.normalize_usage('openai', NULL);

---------------------------------------------------------------------------------------------
-- Inconsistent counts (a part larger than its whole, totals that disagree) and counts that
-- are not whole non-negative numbers: an error, its detail naming the member at fault.
---------------------------------------------------------------------------------------------
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": {"cached_tokens": 11}}');
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"prompt_tokens": 10, "completion_tokens": 5,
      "prompt_tokens_details": {"cached_tokens": 6, "cache_write_tokens": 5}}');
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"prompt_tokens": 10, "completion_tokens": 5,
      "completion_tokens_details": {"reasoning_tokens": 6}}');
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"prompt_tokens": 10, "completion_tokens": 5,
      "completion_tokens_details": {"audio_tokens": 6}}');
SELECT * FROM cost_ops.normalize_usage('openai',
    '{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 16}');
SELECT * FROM cost_ops.normalize_usage('anthropic',
    '{"input_tokens": 10, "cache_creation_input_tokens": 3000,
      "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 1500},
      "output_tokens": 100}');
SELECT * FROM cost_ops.normalize_usage('bedrock',
    '{"inputTokens": 10, "outputTokens": 100, "totalTokens": 100}');
SELECT * FROM cost_ops.normalize_usage('bedrock',
    '{"inputTokens": 10, "outputTokens": 100, "cacheDetails": [{"ttl": "1d", "inputTokens": 1}]}');
SELECT * FROM cost_ops.normalize_usage('google',
    '{"promptTokenCount": 100, "cachedContentTokenCount": 101, "candidatesTokenCount": 5}');
SELECT * FROM cost_ops.normalize_usage('google',
    '{"promptTokenCount": 100, "candidatesTokenCount": 5, "thoughtsTokenCount": 10,
      "totalTokenCount": 105}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": -1, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 1.5, "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": "10", "completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"completion_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('google', '{"candidatesTokenCount": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 10, "output_tokens": 5}');
SELECT * FROM cost_ops.normalize_usage('openai', '[10, 5]');

---------------------------------------------------------------------------------------------
-- Raw provider JSON: COPY into a staging table, then INSERT ... SELECT through
-- normalize_usage; the pricing trigger prices each record.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, cached_input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.50, 1.25, 10),
       ('azure', 'gpt-4o', 2.50, 1.25, 10),
       ('openai', 'o4-mini', 1.10, 0.275, 4.40),
       ('google', 'gemini-2.5-flash', 0.30, 0.075, 2.50),
       ('my-gateway', 'llama-3.3-70b', 0.60, NULL, 0.60);
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, cache_write_price, cache_write_1h_price,
     output_price)
VALUES ('anthropic', 'claude-sonnet-4', 3, 0.30, 3.75, 6, 15),
       ('bedrock', 'claude-sonnet-4', 3, 0.30, 3.75, 6, 15);

CREATE TEMP TABLE raw_usage (
    "timestamp" timestamptz, provider text, model text, organization_id text,
    request_id text, usage_format text, usage jsonb);
COPY raw_usage FROM STDIN WITH (FORMAT text, DELIMITER '|');
2025-08-01T00:00:00Z|openai|gpt-4o|org-a|raw-1|\N|{"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306, "prompt_tokens_details": {"cached_tokens": 1920}, "completion_tokens_details": {"reasoning_tokens": 0}}
2025-08-01T00:00:01Z|anthropic|claude-sonnet-4|org-a|raw-2|\N|{"input_tokens": 3, "cache_creation_input_tokens": 12304, "output_tokens": 550}
2025-08-01T00:00:02Z|anthropic|claude-sonnet-4|org-a|raw-3|\N|{"input_tokens": 10, "cache_read_input_tokens": 500, "cache_creation_input_tokens": 3000, "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000}, "output_tokens": 100}
2025-08-01T00:00:03Z|bedrock|claude-sonnet-4|org-a|raw-4|\N|{"inputTokens": 10, "outputTokens": 100, "cacheReadInputTokens": 500, "cacheWriteInputTokens": 3000, "totalTokens": 3610, "cacheDetails": [{"ttl": "5m", "inputTokens": 1000}, {"ttl": "1h", "inputTokens": 2000}]}
2025-08-01T00:00:04Z|google|gemini-2.5-flash|org-a|raw-5|\N|{"promptTokenCount": 1000, "cachedContentTokenCount": 600, "candidatesTokenCount": 200, "thoughtsTokenCount": 300, "totalTokenCount": 1500}
2025-08-01T00:00:05Z|azure|gpt-4o|org-a|raw-6|\N|{"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
2025-08-01T00:00:06Z|openai|o4-mini|org-a|raw-7|\N|{"prompt_tokens": 14746, "completion_tokens": 1944, "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 1360}}
2025-08-01T00:00:07Z|my-gateway|llama-3.3-70b|org-a|raw-8|openai|{"prompt_tokens": 100, "completion_tokens": 20}
\.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens,
     completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens,
     reasoning_tokens)
SELECT r."timestamp", r.provider, r.model, r.organization_id, r.request_id, n.prompt_tokens,
       n.completion_tokens, n.cached_tokens, n.cache_write_tokens, n.cache_write_1h_tokens,
       n.reasoning_tokens
  FROM raw_usage AS r
 CROSS JOIN LATERAL cost_ops.normalize_usage(r.provider, r.usage, r.usage_format) AS n;
-- By hand:
-- raw-1 gpt-4o: 86 * 2.50 + 1920 * 1.25 = 215 + 2400 = 2615 -> 0.002615;
--       300 * 10 = 3000 -> 0.003; total 5615 -> 0.005615.
-- raw-2 Claude, prompt 3 + 12304 = 12307: 3 * 3 + 12304 * 3.75 = 9 + 46140 = 46149 -> 0.046149;
--       550 * 15 = 8250 -> 0.00825; total 54399 -> 0.054399.
-- raw-3 Claude, prompt 10 + 500 + 3000 = 3510: 10 * 3 + 500 * 0.30 + 1000 * 3.75 + 2000 * 6
--       = 30 + 150 + 3750 + 12000 = 15930 -> 0.01593; 100 * 15 = 1500 -> 0.0015;
--       total 17430 -> 0.01743.
-- raw-4 the same request through Bedrock Converse: 0.01593 / 0.0015 / 0.01743.
-- raw-5 Gemini, 1000 prompt of which 600 cached, 200 + 300 = 500 completion:
--       400 * 0.30 + 600 * 0.075 = 120 + 45 = 165 -> 0.000165; 500 * 2.50 = 1250 -> 0.00125;
--       total 1415 -> 0.001415.
-- raw-6 Azure: 1000 * 2.50 + 500 * 10 = 2500 + 5000 = 7500 -> 0.0075.
-- raw-7 o4-mini: 14746 * 1.10 = 16220.6 -> 0.0162206; 1944 * 4.40 = 8553.6 -> 0.0085536;
--       total 24774.2 -> 0.0247742.
-- raw-8 an OpenAI-shaped usage of a gateway, format given: 100 * 0.60 + 20 * 0.60 = 72
--       -> 0.000072.
SELECT request_id, provider, prompt_tokens AS prompt, completion_tokens AS completion,
       total_tokens AS total, cached_tokens AS cached, cache_write_tokens AS write_5m,
       cache_write_1h_tokens AS write_1h, reasoning_tokens AS reasoning, input_cost,
       output_cost, total_cost
  FROM cost_ops.usage_records ORDER BY request_id;
-- By hand: 0.005615 + 0.054399 + 0.01743 + 0.01743 + 0.001415 + 0.0075 + 0.0247742 + 0.000072
--        = 0.1286352.
SELECT count(*), count(total_cost) AS priced, cost_ops.sum(total_cost) AS total
  FROM cost_ops.usage_records;

-- A raw row with inconsistent counts fails the whole INSERT ... SELECT, naming the member;
-- nothing of it is stored.
TRUNCATE raw_usage;
COPY raw_usage FROM STDIN WITH (FORMAT text, DELIMITER '|');
2025-08-02T00:00:00Z|openai|gpt-4o|org-b|bad-1|\N|{"prompt_tokens": 100, "completion_tokens": 10}
2025-08-02T00:00:01Z|openai|gpt-4o|org-b|bad-2|\N|{"prompt_tokens": 100, "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 200}}
\.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens,
     completion_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens,
     reasoning_tokens)
SELECT r."timestamp", r.provider, r.model, r.organization_id, r.request_id, n.prompt_tokens,
       n.completion_tokens, n.cached_tokens, n.cache_write_tokens, n.cache_write_1h_tokens,
       n.reasoning_tokens
  FROM raw_usage AS r
 CROSS JOIN LATERAL cost_ops.normalize_usage(r.provider, r.usage, r.usage_format) AS n;
SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-b';

-- A whole response is read through its usage member; OpenAI embeddings report no completion:
-- it is what total_tokens leaves after the prompt.
SELECT * FROM cost_ops.normalize_usage('google',
    '{"modelVersion": "gemini-2.5-pro", "usageMetadata": {"promptTokenCount": 100,
      "candidatesTokenCount": 20, "thoughtsTokenCount": 5}}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 8, "total_tokens": 8}');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 8, "total_tokens": 7}');
