-- A plain COPY from any client lands priced: CSV and text formats, real Azure trace rows,
-- and a bad row naming its line.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.pricing_tables;

INSERT INTO cost_ops.pricing_tables (provider, model, input_price, cached_input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.5, 1.25, 10),
       ('anthropic', 'claude-3-5-sonnet', 3, 0.3, 15);

-- The first rows of ../shared/data/usage/azure-llm-trace-2023 (TIMESTAMP, ContextTokens,
-- GeneratedTokens), with provider, model and tenant assigned as the demo does.
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                             request_id, prompt_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2023-11-16 18:15:46.6805900,openai,gpt-4o,org-1,conv,conv-1,374,44
2023-11-16 18:15:50.9951690,anthropic,claude-3-5-sonnet,org-2,conv,conv-2,396,109
2023-11-16 18:15:51.2224670,openai,gpt-4o,org-3,conv,conv-3,879,55
2023-11-16 18:15:51.3910170,openai,gpt-4o-2024-08-06,org-1,conv,conv-4,91,16
2023-11-16 18:17:03.9799600,openai,gpt-4o,org-2,code,code-1,4808,10
\.
-- By hand: conv-1 374*2.5 + 44*10 = 935 + 440 = 1375 -> 0.001375;
-- conv-2 396*3 + 109*15 = 1188 + 1635 = 2823 -> 0.002823; conv-3 879*2.5 + 55*10 = 2747.5
-- -> 0.0027475; conv-4 is a dated model name, priced as gpt-4o by normalization (the date
-- suffix): 91*2.5 + 16*10 = 227.5 + 160 = 387.5 -> 0.0003875;
-- code-1 4808*2.5 + 10*10 = 12120 -> 0.01212.
SELECT request_id, "timestamp", total_tokens, input_cost, output_cost, total_cost
  FROM cost_ops.usage_records ORDER BY "timestamp", request_id;

-- Text format with cached tokens and metadata.
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, cached_tokens, completion_tokens, metadata)
FROM STDIN;
2025-01-15T10:00:00Z	openai	gpt-4o	org-1	cached-1	2006	1920	300	{"team": "search"}
2025-01-15T10:00:01Z	openai	gpt-4o	org-1	cached-2	2006	0	300	\N
\.
SELECT request_id, input_cost, total_cost, metadata FROM cost_ops.usage_records
 WHERE request_id LIKE 'cached-%' ORDER BY request_id;

-- A bad row fails the COPY with its line; nothing of that COPY stays.
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens,
                             cached_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2025-01-16T00:00:00Z,openai,gpt-4o,org-9,100,0,10
2025-01-16T00:00:01Z,openai,gpt-4o,org-9,100,200,10
\.
SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-9';
-- An empty count cell is NULL: the error names that column (the trigger still fills in
-- total_tokens, which the table checks first). Terse: the failing row holds now().
\set VERBOSITY terse
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens,
                             cached_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2025-01-16T00:00:02Z,openai,gpt-4o,org-9,100,,10
\.
\set VERBOSITY default

SELECT count(*) AS records, count(total_cost) AS priced, count(*) - count(total_cost) AS unpriced,
       cost_ops.sum(total_cost) AS total
  FROM cost_ops.usage_records;
