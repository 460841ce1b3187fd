-- llm_cost_ops 1.0 -> 1.1: every price dimension (1-hour cache writes, reasoning, service
-- tiers), model resolution (aliases, match rules, provider fallbacks), usage rows that say how
-- they were priced or why not, repricing with a log, normalize_usage(), lower-case providers.
-- There is no separate 1.1 install script: CREATE EXTENSION runs llm_cost_ops--1.0.sql and
-- then this file (as contrib does), so a fresh install and an update build the same schema.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.1'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Prices: 1-hour cache writes and reasoning; provider ids in lower case, as the CLI writes them
---------------------------------------------------------------------------------------------

-- Folding provider ids to lower case must not make two rows one: say which, and what to do.
DO $$
DECLARE
    prices text;
    records text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.format('rows %s (%s) and %s (%s) of %s', a.id,
               a.provider, b.id, b.provider, a.model), '; ')
      INTO prices
      FROM cost_ops.pricing_tables AS a
      JOIN cost_ops.pricing_tables AS b
        ON b.model = a.model AND b.id <> a.id
       AND pg_catalog.lower(b.provider) = pg_catalog.lower(a.provider)
       AND (b.provider <> a.provider OR b.id < a.id)
       AND pg_catalog.tstzrange(a.effective_date, a.end_date)
           OPERATOR(pg_catalog.&&) pg_catalog.tstzrange(b.effective_date, b.end_date)
     WHERE a.provider <> pg_catalog.lower(a.provider);
    SELECT pg_catalog.string_agg(pg_catalog.format('ids %s (%s) and %s (%s), request %s of %s',
               a.id, a.provider, b.id, b.provider, a.request_id, a.organization_id), '; ')
      INTO records
      FROM cost_ops.usage_records AS a
      JOIN cost_ops.usage_records AS b
        ON b.request_id = a.request_id AND b.organization_id = a.organization_id
       AND b.id <> a.id AND pg_catalog.lower(b.provider) = pg_catalog.lower(a.provider)
     WHERE a.provider <> pg_catalog.lower(a.provider) AND a.request_id IS NOT NULL;
    IF prices IS NOT NULL OR records IS NOT NULL THEN
        RAISE EXCEPTION 'cannot update llm_cost_ops to 1.1: rows differ only in the case of their provider id'
            USING ERRCODE = 'unique_violation',
                  DETAIL = pg_catalog.concat_ws(' ',
                      'Provider ids are lower case from 1.1 on, and these would then clash:',
                      'pricing_tables ' || prices || '.', 'usage_records ' || records || '.'),
                  HINT = 'Correct or delete one row of each pair, then run ALTER EXTENSION '
                         'llm_cost_ops UPDATE (cost-ops migrate run) again.';
    END IF;
END
$$;

UPDATE cost_ops.pricing_tables SET provider = pg_catalog.lower(provider)
 WHERE provider OPERATOR(pg_catalog.<>) pg_catalog.lower(provider);
ALTER TABLE cost_ops.pricing_tables
    ADD COLUMN cache_write_1h_price cost_ops.price,
    ADD COLUMN reasoning_price cost_ops.price,
    ADD CONSTRAINT pricing_tables_provider_is_lower_case
        CHECK (provider OPERATOR(pg_catalog.=) pg_catalog.lower(provider));
COMMENT ON COLUMN cost_ops.pricing_tables.cache_write_price IS
    'USD per 1M 5-minute cache-write prompt tokens; NULL falls back to input_price';
COMMENT ON COLUMN cost_ops.pricing_tables.cache_write_1h_price IS
    'USD per 1M 1-hour cache-write prompt tokens; NULL falls back to input_price';
COMMENT ON COLUMN cost_ops.pricing_tables.reasoning_price IS
    'USD per 1M reasoning tokens (part of completion_tokens); NULL falls back to output_price';

-- Model resolution: aliases, the match rules imported with the prices, provider fallbacks.

CREATE TABLE cost_ops.model_aliases (
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    target_provider text COLLATE "C" NOT NULL,
    target_model text COLLATE "C" NOT NULL,
    note text,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (provider, model),
    CONSTRAINT model_aliases_providers_are_lower_case
        CHECK (provider OPERATOR(pg_catalog.=) pg_catalog.lower(provider)
               AND target_provider OPERATOR(pg_catalog.=) pg_catalog.lower(target_provider)),
    CONSTRAINT model_aliases_not_to_itself
        CHECK ((provider, model) IS DISTINCT FROM (target_provider, target_model))
);
COMMENT ON TABLE cost_ops.model_aliases IS
    'reported (provider, model) names priced as another model: Azure deployments, Bedrock '
    'inference profiles, agent names';

CREATE FUNCTION cost_ops.model_match_is_valid(pg_catalog.jsonb) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_model_match_is_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.model_match_is_valid(pg_catalog.jsonb) IS
    'true for a genai-prices style match expression; otherwise an error saying why';

CREATE TABLE cost_ops.model_match_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    match jsonb NOT NULL,
    position integer NOT NULL,
    source text NOT NULL DEFAULT 'manual',
    CONSTRAINT model_match_rules_provider_is_lower_case
        CHECK (provider OPERATOR(pg_catalog.=) pg_catalog.lower(provider)),
    CONSTRAINT model_match_rules_match_is_valid CHECK (cost_ops.model_match_is_valid(match))
);
CREATE INDEX model_match_rules_order ON cost_ops.model_match_rules (provider, position, id);
COMMENT ON TABLE cost_ops.model_match_rules IS
    'names of a provider''s records priced as `model` when they match `match` (equals, '
    'starts_with, ends_with, regex; contains is kept but not applied), tried by position';

CREATE TABLE cost_ops.provider_fallbacks (
    provider text COLLATE "C" NOT NULL,
    fallback_provider text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    source text NOT NULL DEFAULT 'manual',
    CONSTRAINT provider_fallbacks_providers_are_lower_case
        CHECK (provider OPERATOR(pg_catalog.=) pg_catalog.lower(provider)
               AND fallback_provider OPERATOR(pg_catalog.=) pg_catalog.lower(fallback_provider)),
    PRIMARY KEY (provider, fallback_provider)
);
COMMENT ON TABLE cost_ops.provider_fallbacks IS
    'providers whose models price a provider''s records it has no model for (azure -> openai)';

-- The provider ids gateways and SDKs report for catalogs that price lists name otherwise
-- (genai-prices: aws, google, anthropic, x-ai; LiteLLM: vertex_ai-language-models, xai).
-- Rows of source 'builtin' come with the extension: delete them to opt out (not dumped).
INSERT INTO cost_ops.provider_fallbacks (provider, fallback_provider, position, source)
VALUES ('bedrock', 'aws', 1, 'builtin'), ('bedrock_converse', 'aws', 1, 'builtin'),
       ('aws_bedrock', 'aws', 1, 'builtin'), ('aws-bedrock', 'aws', 1, 'builtin'),
       ('amazon-bedrock', 'aws', 1, 'builtin'), ('aws.bedrock', 'aws', 1, 'builtin'),
       ('vertex_ai', 'google', 1, 'builtin'),
       ('vertex_ai', 'vertex_ai-language-models', 2, 'builtin'),
       ('vertex', 'google', 1, 'builtin'), ('google-vertex', 'google', 1, 'builtin'),
       ('gcp.vertex_ai', 'google', 1, 'builtin'), ('gemini', 'google', 1, 'builtin'),
       ('gcp.gemini', 'google', 1, 'builtin'),
       ('vertex-anthropic', 'google', 1, 'builtin'),
       ('vertex-anthropic', 'anthropic', 2, 'builtin'),
       ('vertex_ai-anthropic', 'google', 1, 'builtin'),
       ('vertex_ai-anthropic', 'anthropic', 2, 'builtin'),
       ('azure_openai', 'azure', 1, 'builtin'), ('azure-openai', 'azure', 1, 'builtin'),
       ('azure.ai.openai', 'azure', 1, 'builtin'), ('az.ai.openai', 'azure', 1, 'builtin'),
       ('x-ai', 'xai', 1, 'builtin'), ('xai', 'x-ai', 1, 'builtin');

CREATE TRIGGER pricing_tables_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cost_ops.model_aliases
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.pricing_tables_changed();
CREATE TRIGGER pricing_tables_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cost_ops.model_match_rules
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.pricing_tables_changed();
CREATE TRIGGER pricing_tables_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cost_ops.provider_fallbacks
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.pricing_tables_changed();

-- price_for() folds the provider's case: replaced (nothing depends on it).
DROP FUNCTION cost_ops.price_for(text, text, timestamptz);
CREATE FUNCTION cost_ops.price_for(provider text, model text, at timestamptz)
    RETURNS SETOF cost_ops.pricing_tables
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p.*
      FROM cost_ops.pricing_tables AS p
     WHERE p.provider OPERATOR(pg_catalog.=) pg_catalog.lower($1 COLLATE pg_catalog."C")
       AND p.model OPERATOR(pg_catalog.=) $2
       AND p.effective_date OPERATOR(pg_catalog.<=) $3
       AND (p.end_date IS NULL OR $3 OPERATOR(pg_catalog.<) p.end_date)
$$;
COMMENT ON FUNCTION cost_ops.price_for(text, text, timestamptz) IS
    'the price row valid for a provider and model at an instant (none when unpriced)';

---------------------------------------------------------------------------------------------
-- Usage records: 1-hour cache writes, service tiers, how each was priced or why not
---------------------------------------------------------------------------------------------

ALTER TABLE cost_ops.usage_records
    ADD COLUMN cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
    ADD COLUMN service_tier text COLLATE "C" NOT NULL DEFAULT 'standard',
    ADD COLUMN price_match text COLLATE "C",
    ADD COLUMN unpriced_reason text COLLATE "C",
    DROP CONSTRAINT usage_records_counts_are_non_negative,
    ADD CONSTRAINT usage_records_counts_are_non_negative CHECK (
        prompt_tokens >= 0 AND completion_tokens >= 0 AND cached_tokens >= 0
        AND cache_write_tokens >= 0 AND cache_write_1h_tokens >= 0 AND reasoning_tokens >= 0),
    DROP CONSTRAINT usage_records_cache_within_prompt,
    ADD CONSTRAINT usage_records_cache_within_prompt
        CHECK (cached_tokens + cache_write_tokens + cache_write_1h_tokens <= prompt_tokens),
    ADD CONSTRAINT usage_records_service_tier_is_known
        CHECK (service_tier IN ('standard', 'batch', 'priority', 'flex'));
COMMENT ON COLUMN cost_ops.usage_records.cache_write_1h_tokens IS
    'part of prompt_tokens written to the 1-hour cache';
COMMENT ON COLUMN cost_ops.usage_records.service_tier IS 'standard, batch, priority or flex';
COMMENT ON COLUMN cost_ops.usage_records.price_match IS
    'how the reported model found its price: exact, alias, rule, fallback or normalized';
COMMENT ON COLUMN cost_ops.usage_records.unpriced_reason IS
    'why the record has no cost (NULL when priced)';

CREATE FUNCTION cost_ops.normalize_usage(provider text, usage jsonb, usage_format text DEFAULT NULL,
        OUT prompt_tokens bigint, OUT completion_tokens bigint, OUT cached_tokens bigint,
        OUT cache_write_tokens bigint, OUT cache_write_1h_tokens bigint,
        OUT reasoning_tokens bigint)
    AS 'MODULE_PATHNAME', 'cost_ops_normalize_usage' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.normalize_usage(text, jsonb, text) IS
    'the normalized token counts of a provider usage object (OpenAI usage, Anthropic usage, '
    'Gemini usageMetadata) or of a whole response holding one, in the format named or the '
    'provider''s; NULL for a NULL object';

-- The trigger now also fires on the new columns.
DROP TRIGGER price_usage_record ON cost_ops.usage_records;
CREATE TRIGGER price_usage_record
    BEFORE INSERT OR UPDATE OF "timestamp", provider, model, prompt_tokens, completion_tokens,
        total_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
        service_tier, input_cost, output_cost, total_cost, pricing_id, price_match,
        unpriced_reason
    ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();

-- Rows stored with another case of a provider id are stored (and priced) in lower case.
UPDATE cost_ops.usage_records SET provider = pg_catalog.lower(provider)
 WHERE provider OPERATOR(pg_catalog.<>) pg_catalog.lower(provider);

---------------------------------------------------------------------------------------------
-- Repricing, with a log of every change
---------------------------------------------------------------------------------------------

CREATE TABLE cost_ops.reprice_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    usage_id bigint NOT NULL,
    repriced_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    repriced_by text NOT NULL DEFAULT CURRENT_USER,
    reason text NOT NULL,
    old_total_cost cost_ops.cost,
    new_total_cost cost_ops.cost,
    old_pricing_id bigint,
    new_pricing_id bigint
);
CREATE INDEX reprice_log_usage ON cost_ops.reprice_log (usage_id);
COMMENT ON TABLE cost_ops.reprice_log IS
    'every cost change made by cost_ops.reprice(): old and new cost and price row, when, why';

CREATE FUNCTION cost_ops.reprice_records(ids bigint[], reason text,
        OUT records bigint, OUT changed bigint, OUT newly_priced bigint,
        OUT newly_unpriced bigint, OUT unpriced bigint, OUT old_total cost_ops.cost,
        OUT new_total cost_ops.cost)
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF ids IS NULL OR reason IS NULL THEN
        RAISE EXCEPTION 'cost_ops.reprice_records() needs the ids and a reason'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = pg_catalog.format('ids is %s, reason is %s',
                      CASE WHEN ids IS NULL THEN 'NULL' ELSE 'given' END,
                      CASE WHEN reason IS NULL THEN 'NULL' ELSE 'given' END),
                  HINT = 'The reason is kept with every change in cost_ops.reprice_log.';
    END IF;
    WITH selected AS (
        SELECT u.id, u.total_cost, u.pricing_id
          FROM cost_ops.usage_records AS u
         WHERE u.id OPERATOR(pg_catalog.=) ANY (ids)
    ), repriced AS (
        UPDATE cost_ops.usage_records AS u SET model = u.model
          FROM selected AS s
         WHERE u.id OPERATOR(pg_catalog.=) s.id
        RETURNING u.id, s.total_cost AS old_cost, u.total_cost AS new_cost,
                  s.pricing_id AS old_pricing, u.pricing_id AS new_pricing
    ), logged AS (
        INSERT INTO cost_ops.reprice_log
            (usage_id, reason, old_total_cost, new_total_cost, old_pricing_id, new_pricing_id)
        SELECT r.id, reprice_records.reason, r.old_cost, r.new_cost, r.old_pricing, r.new_pricing
          FROM repriced AS r
         WHERE r.old_cost::text IS DISTINCT FROM r.new_cost::text
            OR r.old_pricing IS DISTINCT FROM r.new_pricing
        RETURNING old_total_cost, new_total_cost
    )
    SELECT (SELECT pg_catalog.count(*) FROM repriced),
           (SELECT pg_catalog.count(*) FROM logged),
           (SELECT pg_catalog.count(*) FROM logged AS l
             WHERE l.old_total_cost IS NULL AND l.new_total_cost IS NOT NULL),
           (SELECT pg_catalog.count(*) FROM logged AS l
             WHERE l.old_total_cost IS NOT NULL AND l.new_total_cost IS NULL),
           (SELECT pg_catalog.count(*) FROM repriced AS r WHERE r.new_cost IS NULL),
           (SELECT cost_ops.sum(r.old_cost) FROM repriced AS r),
           (SELECT cost_ops.sum(r.new_cost) FROM repriced AS r)
      INTO records, changed, newly_priced, newly_unpriced, unpriced, old_total, new_total;
END
$$;
COMMENT ON FUNCTION cost_ops.reprice_records(bigint[], text) IS
    'recomputes the costs of the given usage records with the prices valid at their own time, '
    'logging every change of cost or price row in cost_ops.reprice_log; returns how many were '
    'repriced, changed, newly priced, newly unpriced and unpriced, and the totals before and after';

CREATE FUNCTION cost_ops.reprice(
        from_time timestamptz DEFAULT NULL, to_time timestamptz DEFAULT NULL,
        provider text DEFAULT NULL, model text DEFAULT NULL,
        organization_id text DEFAULT NULL, project_id text DEFAULT NULL,
        only_unpriced boolean DEFAULT false, reason text DEFAULT 'reprice',
        OUT records bigint, OUT changed bigint, OUT newly_priced bigint,
        OUT newly_unpriced bigint, OUT unpriced bigint, OUT old_total cost_ops.cost,
        OUT new_total cost_ops.cost)
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT r.* FROM cost_ops.reprice_records(ARRAY(
        SELECT u.id FROM cost_ops.usage_records AS u
         WHERE ($1 IS NULL OR u."timestamp" OPERATOR(pg_catalog.>=) $1)
           AND ($2 IS NULL OR u."timestamp" OPERATOR(pg_catalog.<) $2)
           AND ($3 IS NULL OR u.provider OPERATOR(pg_catalog.=) pg_catalog.lower($3 COLLATE pg_catalog."C"))
           AND ($4 IS NULL OR u.model OPERATOR(pg_catalog.=) $4)
           AND ($5 IS NULL OR u.organization_id OPERATOR(pg_catalog.=) $5)
           AND ($6 IS NULL OR u.project_id OPERATOR(pg_catalog.=) $6)
           AND (NOT $7 OR u.total_cost IS NULL)), $8) AS r
$$;
COMMENT ON FUNCTION cost_ops.reprice(timestamptz, timestamptz, text, text, text, text, boolean, text) IS
    'recomputes the costs of the usage records in [from_time, to_time) that match the filters, '
    'logging every change in cost_ops.reprice_log';

-- Records 1.0 left unpriced are priced where 1.1 can (model resolution, provider case), each
-- change logged; the others now say why they are unpriced.
SELECT cost_ops.reprice(only_unpriced => true,
                        reason => 'ALTER EXTENSION llm_cost_ops UPDATE TO ''1.1''');

---------------------------------------------------------------------------------------------
-- Dump
---------------------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('cost_ops.model_aliases', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.model_match_rules', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.model_match_rules_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.provider_fallbacks',
    'WHERE source OPERATOR(pg_catalog.<>) ''builtin''');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.reprice_log', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.reprice_log_id_seq', '');
