-- Model resolution: the exact (provider, model) first; then aliases (cost_ops.model_aliases),
-- match rules (cost_ops.model_match_rules, genai-prices' match expressions) and provider
-- fallbacks (cost_ops.provider_fallbacks); then the safe normalizations of a name (a route
-- prefix, an anchored date suffix, Bedrock and Vertex spellings); never a substring guess.
-- price_match says how a record found its price: exact, alias, rule, fallback or normalized.
-- Unless a comment says otherwise each record is 1000 prompt and 500 completion tokens.
-- Prices are USD per 1,000,000 tokens, so "By hand" sums are in millionths of a dollar.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

INSERT INTO cost_ops.pricing_tables (provider, model, input_price, cached_input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.50, 1.25, 10),
       ('openai', 'gpt-5.6-terra', 1.25, NULL, 10),
       ('anthropic', 'claude-3-5-sonnet', 3, 0.30, 15),
       ('anthropic', 'claude-3-5-haiku', 0.80, 0.08, 4);
-- The price each reported name found, and how.
CREATE TEMP VIEW resolved AS
SELECT u.request_id, u.provider, u.model, u.price_match,
       p.provider || '/' || p.model AS priced_as, u.total_cost, u.unpriced_reason
  FROM cost_ops.usage_records AS u
  LEFT JOIN cost_ops.pricing_tables AS p ON p.id = u.pricing_id;
-- The extension comes with provider fallbacks for the ids gateways report (bedrock -> aws,
-- vertex_ai -> google, ...); this suite removes them, so that only its own rows are in play.
SELECT provider, string_agg(fallback_provider, ', ' ORDER BY position) AS fallbacks
  FROM cost_ops.provider_fallbacks WHERE source = 'builtin' GROUP BY provider ORDER BY provider;
-- b0: a gateway's "bedrock" record of an aws model, through the built-in fallback.
-- By hand: 1000 * 0.80 + 500 * 3.20 = 800 + 1600 = 2400 -> 0.0024; price_match fallback.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('aws', 'amazon.nova-pro-v1:0', 0.80, 3.20);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-01T00:00:00Z', 'bedrock', 'amazon.nova-pro-v1:0', 'org-a', 'b0', 1000, 500);
SELECT * FROM resolved WHERE request_id = 'b0';
DELETE FROM cost_ops.usage_records WHERE request_id = 'b0';
DELETE FROM cost_ops.pricing_tables WHERE provider = 'aws';
DELETE FROM cost_ops.provider_fallbacks WHERE source = 'builtin';
-- By hand, 1000 prompt and 500 completion:
--   gpt-4o            1000 * 2.50 + 500 * 10 = 2500 + 5000 = 7500 -> 0.0075
--   gpt-5.6-terra     1000 * 1.25 + 500 * 10 = 1250 + 5000 = 6250 -> 0.00625
--   claude-3-5-sonnet 1000 * 3 + 500 * 15 = 3000 + 7500 = 10500 -> 0.0105
--   claude-3-5-haiku  1000 * 0.80 + 500 * 4 = 800 + 2000 = 2800 -> 0.0028

---------------------------------------------------------------------------------------------
-- Exact names and safe normalizations.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES
-- n01 the exact name: gpt-4o, exact, 0.0075.
       ('2025-03-01T00:00:01Z', 'openai', 'gpt-4o', 'org-a', 'n01', 1000, 500),
-- n02 a route prefix: gpt-4o, normalized, 0.0075.
       ('2025-03-01T00:00:02Z', 'openai', 'openai/gpt-4o', 'org-a', 'n02', 1000, 500),
-- n03 an anchored dashed date suffix: gpt-4o, normalized, 0.0075.
       ('2025-03-01T00:00:03Z', 'openai', 'gpt-4o-2024-11-20', 'org-a', 'n03', 1000, 500),
-- n04 a compact date suffix (a real date): gpt-4o, normalized, 0.0075.
       ('2025-03-01T00:00:04Z', 'openai', 'gpt-4o-20241120', 'org-a', 'n04', 1000, 500),
-- n05 a router's provider and an "openai/" route: the route names the provider: gpt-4o,
--     normalized, 0.0075.
       ('2025-03-01T00:00:05Z', 'openrouter', 'openai/gpt-4o', 'org-a', 'n05', 1000, 500),
-- n06 a Bedrock model id with region, vendor, date and version: claude-3-5-sonnet,
--     normalized, 0.0105.
       ('2025-03-01T00:00:06Z', 'bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'org-a', 'n06', 1000, 500),
-- n07 without the region: claude-3-5-haiku, normalized, 0.0028.
       ('2025-03-01T00:00:07Z', 'bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0', 'org-a', 'n07', 1000, 500),
-- n08 never a substring or prefix guess: gpt-5.6-terra-mini is not gpt-5.6-terra: unpriced.
       ('2025-03-01T00:00:08Z', 'openai', 'gpt-5.6-terra-mini', 'org-a', 'n08', 1000, 500),
-- n09 gpt-4o-mini is not gpt-4o: unpriced.
       ('2025-03-01T00:00:09Z', 'openai', 'gpt-4o-mini', 'org-a', 'n09', 1000, 500),
-- n10 a date that is not at the end is not a date suffix: unpriced.
       ('2025-03-01T00:00:10Z', 'openai', 'gpt-4o-2024-11-20-preview', 'org-a', 'n10', 1000, 500),
-- n11 eight digits that are not a date (month 13) are not a date suffix: unpriced.
       ('2025-03-01T00:00:11Z', 'openai', 'gpt-4o-20241320', 'org-a', 'n11', 1000, 500),
-- n12 another case of a priced name: lower-cased last, gpt-4o, normalized, 0.0075.
       ('2025-03-01T00:00:12Z', 'openai', 'GPT-4o', 'org-a', 'n12', 1000, 500),
-- n13 a Vertex AI '@date' spelling under its own provider id: no price of vertex-anthropic
--     (until the provider fallback below): unpriced.
       ('2025-03-01T00:00:13Z', 'vertex-anthropic', 'claude-3-5-sonnet@20240620', 'org-a', 'n13', 1000, 500),
-- n14 the provider matters: azure has no price of its own for gpt-4o: unpriced (until the
--     provider fallbacks below).
       ('2025-03-01T00:00:14Z', 'azure', 'gpt-4o', 'org-a', 'n14', 1000, 500);
SELECT * FROM resolved WHERE request_id LIKE 'n%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Aliases: a reported (provider, model) priced as another (provider, model).
---------------------------------------------------------------------------------------------
-- a1: an unaliased Bedrock application inference profile ARN stays unpriced: NULL costs and
-- a reason. 10000 prompt, 1000 completion.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-02T00:00:00Z', 'bedrock',
        'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
        'org-a', 'a1', 10000, 1000);
SELECT request_id, input_cost, output_cost, total_cost, pricing_id, price_match, unpriced_reason
  FROM cost_ops.usage_records WHERE request_id = 'a1';
-- The profile is Claude 3.5 Haiku (0.80 / 4): alias it, then reprice the records of that name.
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model, note)
VALUES ('bedrock', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
        'anthropic', 'claude-3-5-haiku', 'application inference profile of the search team');
SELECT * FROM cost_ops.reprice(
    model => 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
    reason => 'alias for inference profile abc123');
-- By hand: 10000 * 0.80 = 8000 -> input 0.008; 1000 * 4 = 4000 -> output 0.004;
--          total 12000 -> 0.012, price_match alias.
SELECT request_id, input_cost, output_cost, total_cost, price_match, unpriced_reason
  FROM cost_ops.usage_records WHERE request_id = 'a1';
SELECT u.request_id, l.reason, l.old_total_cost, l.new_total_cost, l.old_pricing_id,
       p.provider || '/' || p.model AS new_price_row, l.repriced_by = current_user AS by_me
  FROM cost_ops.reprice_log AS l
  JOIN cost_ops.usage_records AS u ON u.id = l.usage_id
  LEFT JOIN cost_ops.pricing_tables AS p ON p.id = l.new_pricing_id
 ORDER BY l.id;

INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
VALUES ('azure', 'my-gpt4o-deployment', 'openai', 'gpt-4o'),
       ('azure', 'retired-deployment', 'openai', 'gpt-4-32k'),
       ('openai', 'gpt-5.6-terra-mini', 'openai', 'gpt-5.6-terra');
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES
-- a2 an Azure deployment name: gpt-4o, alias, 0.0075.
       ('2025-03-02T00:00:01Z', 'azure', 'my-gpt4o-deployment', 'org-a', 'a2', 1000, 500),
-- a3 an alias to a model without a price: unpriced.
       ('2025-03-02T00:00:02Z', 'azure', 'retired-deployment', 'org-a', 'a3', 1000, 500),
-- a4 an alias is an explicit decision: with one, gpt-5.6-terra-mini is priced as
--    gpt-5.6-terra: alias, 0.00625.
       ('2025-03-02T00:00:03Z', 'openai', 'gpt-5.6-terra-mini', 'org-a', 'a4', 1000, 500),
-- a5 an alias is found for a normalized spelling too (a route prefix): gpt-4o, normalized.
       ('2025-03-02T00:00:04Z', 'azure', 'azure/my-gpt4o-deployment', 'org-a', 'a5', 1000, 500);
SELECT * FROM resolved WHERE request_id LIKE 'a%' ORDER BY request_id;
DELETE FROM cost_ops.model_aliases WHERE model = 'gpt-5.6-terra-mini';
-- An alias to itself is refused (terse: the failing row shows created_at).
\set VERBOSITY terse
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
VALUES ('openai', 'gpt-4o', 'openai', 'gpt-4o');
\set VERBOSITY default

---------------------------------------------------------------------------------------------
-- Match rules: genai-prices' expressions over the lower-cased, trimmed name: equals,
-- starts_with, ends_with, regex, or, and; contains is kept but never applied. A provider's
-- rules are tried by position (then id); a rule whose model has no price is passed over.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.model_match_rules (provider, model, match, position) VALUES
    ('openai', 'gpt-4o', '{"starts_with": "chatgpt-4o"}', 10),
    ('openai', 'gpt-4o', '{"equals": "gpt-4o"}', 20),
    ('openai', 'gpt-5.6-terra', '{"regex": "^gpt-5\\.6-terra(-latest)?$"}', 30),
    ('openai', 'gpt-5.6-terra', '{"or": [{"equals": "terra"}, {"ends_with": "-terra-preview"}]}', 40),
    ('openai', 'gpt-5.6-terra', '{"and": [{"starts_with": "gpt-5.6-"}, {"ends_with": "-pro"}]}', 50),
    ('openai', 'gpt-4o', '{"contains": "4o"}', 60),
    -- Inserted first (lower id) but tried second (higher position).
    ('openai', 'gpt-4o', '{"starts_with": "ordered-"}', 80),
    ('openai', 'gpt-5.6-terra', '{"starts_with": "ordered-"}', 70),
    -- A rule to a model with no price, then one to a priced model.
    ('openai', 'gpt-4-32k', '{"starts_with": "legacy-"}', 90),
    ('openai', 'gpt-4o', '{"starts_with": "legacy-"}', 91),
    -- Rules are per provider: this one is anthropic's, for openai's gpt-4o, which anthropic
    -- does not price.
    ('anthropic', 'gpt-4o', '{"starts_with": "claude-"}', 1);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES
-- r01 starts_with: gpt-4o, rule, 0.0075.
       ('2025-03-03T00:00:01Z', 'openai', 'chatgpt-4o-latest', 'org-a', 'r01', 1000, 500),
-- r02 equals, on the lower-cased name: gpt-4o, rule, 0.0075.
       ('2025-03-03T00:00:02Z', 'openai', 'GPT-4o', 'org-a', 'r02', 1000, 500),
-- r03 and on the trimmed one: gpt-4o, rule, 0.0075.
       ('2025-03-03T00:00:03Z', 'openai', ' gpt-4o ', 'org-a', 'r03', 1000, 500),
-- r04 regex: gpt-5.6-terra, rule, 0.00625.
       ('2025-03-03T00:00:04Z', 'openai', 'gpt-5.6-terra-latest', 'org-a', 'r04', 1000, 500),
-- r05 the regex is anchored: gpt-5.6-terra-mini still matches nothing: unpriced.
       ('2025-03-03T00:00:05Z', 'openai', 'gpt-5.6-terra-mini', 'org-a', 'r05', 1000, 500),
-- r06 or / equals: gpt-5.6-terra, rule, 0.00625.
       ('2025-03-03T00:00:06Z', 'openai', 'terra', 'org-a', 'r06', 1000, 500),
-- r07 or / ends_with: gpt-5.6-terra, rule, 0.00625.
       ('2025-03-03T00:00:07Z', 'openai', 'gpt-5.6-terra-preview', 'org-a', 'r07', 1000, 500),
-- r08 and: both clauses hold: gpt-5.6-terra, rule, 0.00625.
       ('2025-03-03T00:00:08Z', 'openai', 'gpt-5.6-x-pro', 'org-a', 'r08', 1000, 500),
-- r09 and: only one clause holds: unpriced.
       ('2025-03-03T00:00:09Z', 'openai', 'gpt-5.7-x-pro', 'org-a', 'r09', 1000, 500),
-- r10 contains is not applied (a substring is a guess): unpriced.
       ('2025-03-03T00:00:10Z', 'openai', 'my-4o-clone', 'org-a', 'r10', 1000, 500),
-- r11 by position, not by id: gpt-5.6-terra (position 70), rule, 0.00625.
       ('2025-03-03T00:00:11Z', 'openai', 'ordered-model', 'org-a', 'r11', 1000, 500),
-- r12 the first rule's model has no price, the next one's has: gpt-4o, rule, 0.0075.
       ('2025-03-03T00:00:12Z', 'openai', 'legacy-model', 'org-a', 'r12', 1000, 500),
-- r13 anthropic's rule names a model anthropic does not price: unpriced.
       ('2025-03-03T00:00:13Z', 'anthropic', 'claude-unknown', 'org-a', 'r13', 1000, 500),
-- r14 rules are tried on the normalized spellings too: 'terra' once its date suffix is
--     dropped: gpt-5.6-terra, normalized, 0.00625.
       ('2025-03-03T00:00:14Z', 'openai', 'terra-2025-01-29', 'org-a', 'r14', 1000, 500);
SELECT * FROM resolved WHERE request_id LIKE 'r%' ORDER BY request_id;

-- Expressions that are not genai-prices match expressions are refused by the CHECK.
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"prefix": "gpt-4o"}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"equals": "gpt-4o", "starts_with": "gpt-4o"}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"equals": 4}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"or": []}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"or": [{"equals": "a"}, {"and": [{"suffix": "b"}]}]}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '{"regex": "gpt-(4o"}', 1);
INSERT INTO cost_ops.model_match_rules (provider, model, match, position)
VALUES ('openai', 'gpt-4o', '"gpt-4o"', 1);
SELECT count(*) AS rules FROM cost_ops.model_match_rules;

---------------------------------------------------------------------------------------------
-- Provider fallbacks: a provider's records that find no model of their own are looked for
-- among the models (then the rules) of its fallback providers, by position.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('azure-eu', 'gpt-4o', 2.75, 11);
INSERT INTO cost_ops.provider_fallbacks (provider, fallback_provider, position)
VALUES ('azure', 'openai', 2), ('azure', 'azure-eu', 1),
       ('vertex-anthropic', 'anthropic', 1),
       -- A cycle does not loop.
       ('openai', 'azure', 1);
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES
-- f1 azure's gpt-4o: azure-eu (position 1) before openai (position 2).
--    By hand: 1000 * 2.75 + 500 * 11 = 2750 + 5500 = 8250 -> 0.00825; price_match fallback.
       ('2025-03-04T00:00:01Z', 'azure', 'gpt-4o', 'org-a', 'f1', 1000, 500),
-- f2 not a model of azure-eu, but of an openai rule: gpt-4o, fallback, 0.0075.
       ('2025-03-04T00:00:02Z', 'azure', 'chatgpt-4o-latest', 'org-a', 'f2', 1000, 500),
-- f3 a dated name: (azure, gpt-4o) then azure-eu: normalized, 0.00825.
       ('2025-03-04T00:00:03Z', 'azure', 'gpt-4o-2024-08-06', 'org-a', 'f3', 1000, 500),
-- f4 Claude on Vertex AI: '@date' dropped, then anthropic: claude-3-5-sonnet, normalized,
--    0.0105.
       ('2025-03-04T00:00:04Z', 'vertex-anthropic', 'claude-3-5-sonnet@20240620', 'org-a', 'f4', 1000, 500),
-- f5 a fallback provider's model names are compared lower-cased: azure-eu's gpt-4o,
--    fallback, 0.00825.
       ('2025-03-04T00:00:05Z', 'azure', 'GPT-4O', 'org-a', 'f5', 1000, 500),
-- f6 nothing anywhere, through the cycle openai -> azure -> openai: unpriced.
       ('2025-03-04T00:00:06Z', 'openai', 'no-such-model', 'org-a', 'f6', 1000, 500),
-- f7 a provider without fallbacks: unpriced.
       ('2025-03-04T00:00:07Z', 'azure-us', 'gpt-4o', 'org-a', 'f7', 1000, 500);
SELECT * FROM resolved WHERE request_id LIKE 'f%' ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Records stored before the rules, aliases and fallbacks that now resolve them are priced
-- when repriced; the others stay unpriced with their reason.
---------------------------------------------------------------------------------------------
SELECT * FROM cost_ops.reprice(only_unpriced => true, reason => 'new model resolution');
-- By hand: n13 (normalized, through the fallback) 0.0105, n14 azure gpt-4o (fallback,
-- azure-eu) 0.00825: 0.0105 + 0.00825 = 0.01875 (n12 was priced when inserted).
SELECT u.request_id, u.model, l.old_total_cost, l.new_total_cost, u.price_match
  FROM cost_ops.reprice_log AS l JOIN cost_ops.usage_records AS u ON u.id = l.usage_id
 WHERE l.reason = 'new model resolution' ORDER BY u.request_id;
SELECT request_id, model, unpriced_reason FROM cost_ops.usage_records
 WHERE total_cost IS NULL ORDER BY request_id;

---------------------------------------------------------------------------------------------
-- Provider ids are lower case: a record's is stored so (the trigger folds ASCII case, as the
-- CLI does), the resolution tables refuse another case, and price_for folds its argument.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-05T00:00:00Z', 'OpenAI', 'gpt-4o', 'org-a', 'case-1', 1000, 500);
-- By hand: gpt-4o, 0.0075, exact.
SELECT * FROM resolved WHERE request_id = 'case-1';
-- (terse: the failing rows' details hold the time they were tried)
\set VERBOSITY terse
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('MixedCase', 'm', 1, 1);
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
VALUES ('Azure', 'x', 'openai', 'gpt-4o');
INSERT INTO cost_ops.provider_fallbacks (provider, fallback_provider, position)
VALUES ('azure', 'OpenAI', 1);
\set VERBOSITY default
SELECT provider, model, input_price FROM cost_ops.price_for('OpenAI', 'gpt-4o', '2025-03-05');
