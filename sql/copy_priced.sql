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

-- The user's own BEFORE ROW triggers run with ours, in name order. One before ours: what it
-- changes is priced (house-model -> gpt-4o: 1000 * 2.5 + 100 * 10 = 3500 -> 0.0035).
CREATE FUNCTION public.rename_house_model() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.model = 'house-model' THEN NEW.model := 'gpt-4o'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER aa_rename_house_model BEFORE INSERT ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION public.rename_house_model();
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2025-02-01T00:00:00Z,openai,house-model,org-t,renamed-1,1000,100
\.
-- One after ours sees the priced row (and a row it changes is stored as it returns it).
CREATE FUNCTION public.see_priced_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'after the pricing trigger: model %, total_cost %, %',
        NEW.model, NEW.total_cost, NEW.price_match;
    NEW.metadata := '{"seen": true}';
    RETURN NEW;
END $$;
CREATE TRIGGER zz_see_priced_row BEFORE INSERT ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION public.see_priced_row();
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2025-02-01T00:00:01Z,openai,house-model,org-t,renamed-2,1000,100
\.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-02-01T00:00:02Z', 'OpenAI', 'gpt-4o', 'org-t', 'renamed-3', 1000, 100);
DROP TRIGGER zz_see_priced_row ON cost_ops.usage_records;
DROP TRIGGER aa_rename_house_model ON cost_ops.usage_records;
-- INSERT ... SELECT through the partitioned table: 2000 rows of 1000 + 100 tokens at 0.0035
-- each -> 7.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
SELECT '2025-02-02T00:00:00Z'::timestamptz + i * interval '1 second', 'OpenAI', 'gpt-4o', 'org-t',
       'selected-' || i, 1000, 100
  FROM generate_series(1, 2000) AS i;
SELECT request_id, provider, model, total_tokens, input_cost, output_cost, total_cost,
       price_match, metadata
  FROM cost_ops.usage_records WHERE request_id LIKE 'renamed-%' ORDER BY request_id;
SELECT count(*) AS records, count(total_cost) AS priced, cost_ops.sum(total_cost) AS total,
       count(*) FILTER (WHERE provider = 'openai') AS lower_cased
  FROM cost_ops.usage_records WHERE request_id LIKE 'selected-%';
DROP FUNCTION public.see_priced_row();
DROP FUNCTION public.rename_house_model();

-- A model name of 40,000 characters (the CLI refuses over 1,000 bytes; COPY and INSERT do
-- not) is stored unpriced, looked up by its exact spelling only: matching it against the
-- rules' regular expressions overflowed the backend's stack.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-02-03T00:00:00Z', 'openai', 'gpt-4o-' || repeat('a', 40000), 'org-t', 'long-1', 1, 1)
RETURNING length(model), total_cost, unpriced_reason;
