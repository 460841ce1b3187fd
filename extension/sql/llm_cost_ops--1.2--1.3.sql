-- llm_cost_ops 1.2 -> 1.3: a usage row may sum many API requests (a usage-API bucket), and
-- says how many and what is known of each one's size, so that per-request context tiers and
-- request fees are charged right or the row is left unpriced, never overcharged.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.3'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Request shape of a usage row
---------------------------------------------------------------------------------------------

ALTER TABLE cost_ops.usage_records ADD COLUMN request_count bigint DEFAULT 1;
ALTER TABLE cost_ops.usage_records ADD COLUMN request_prompt_tokens_min bigint;
ALTER TABLE cost_ops.usage_records ADD COLUMN request_prompt_tokens_max bigint;
ALTER TABLE cost_ops.usage_records ADD COLUMN period_end timestamptz;

ALTER TABLE cost_ops.usage_records ADD CONSTRAINT usage_records_request_shape_is_sound CHECK (
    request_count >= 1 AND request_prompt_tokens_min >= 0
    AND request_prompt_tokens_max >= request_prompt_tokens_min
    AND request_prompt_tokens_max >= 0);
ALTER TABLE cost_ops.usage_records ADD CONSTRAINT usage_records_period_ends_after_it_starts
    CHECK (period_end OPERATOR(pg_catalog.>) "timestamp");

COMMENT ON COLUMN cost_ops.usage_records.request_count IS
    'how many API requests the row sums: 1 for a request, more for a usage-API bucket, NULL '
    'for a bucket of an unknown number (a price with a request fee then leaves it unpriced)';
COMMENT ON COLUMN cost_ops.usage_records.request_prompt_tokens_min IS
    'for a bucket: the fewest prompt tokens any of its requests had, when the source says '
    '(Anthropic''s context_window); selects the context tier with request_prompt_tokens_max';
COMMENT ON COLUMN cost_ops.usage_records.request_prompt_tokens_max IS
    'for a bucket: the most prompt tokens any of its requests had, when the source says; a '
    'bucket whose requests may fall in different context tiers is left unpriced';
COMMENT ON COLUMN cost_ops.usage_records.period_end IS
    'for a bucket: the end (exclusive) of the period its requests fall in, from "timestamp"; a '
    'bucket spanning a price change is left unpriced';

-- The trigger now also fires on the request-shape columns.
DROP TRIGGER price_usage_record ON cost_ops.usage_records;
CREATE TRIGGER price_usage_record
    BEFORE INSERT OR UPDATE OF "timestamp", provider, model, prompt_tokens, completion_tokens,
        total_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
        service_tier, input_cost, output_cost, total_cost, pricing_id, price_match,
        unpriced_reason, request_count, request_prompt_tokens_min, request_prompt_tokens_max,
        period_end
    ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();

---------------------------------------------------------------------------------------------
-- Buckets stored by 1.2, which priced each as one request
---------------------------------------------------------------------------------------------

-- Usage-API buckets that cost-ops 1.2 imported get the shape 1.3 imports them with (OpenAI:
-- num_model_requests and bucket_end_time move from metadata to request_count and period_end;
-- Anthropic: an unknown count, the bounds of context_window, bucket_ending_at as period_end),
-- which reprices them; every changed cost is in the reprice log.
WITH buckets AS (
    SELECT u.id, u.total_cost, u.pricing_id, r.format,
           u.metadata OPERATOR(pg_catalog.->>) 'context_window' AS context_window
      FROM cost_ops.usage_records AS u
      JOIN cost_ops.ingest_runs AS r ON r.id OPERATOR(pg_catalog.=) u.ingest_run_id
     WHERE r.format OPERATOR(pg_catalog.=) ANY (ARRAY['openai-usage', 'anthropic-usage'])
), reshaped AS (
    UPDATE cost_ops.usage_records AS u
       SET request_count = CASE WHEN b.format OPERATOR(pg_catalog.=) 'openai-usage'
                                THEN NULLIF((u.metadata OPERATOR(pg_catalog.->>)
                                      'num_model_requests')::pg_catalog.int8, 0) END,
           request_prompt_tokens_min =
               CASE WHEN b.context_window OPERATOR(pg_catalog.=) '200k-1M' THEN 200001 END,
           request_prompt_tokens_max =
               CASE WHEN b.context_window OPERATOR(pg_catalog.=) '0-200k' THEN 200000
                    WHEN b.context_window OPERATOR(pg_catalog.=) '200k-1M' THEN 1000000 END,
           period_end = CASE WHEN b.format OPERATOR(pg_catalog.=) 'openai-usage'
                             THEN pg_catalog.to_timestamp((u.metadata OPERATOR(pg_catalog.->>)
                                      'bucket_end_time')::pg_catalog.float8)
                             ELSE (u.metadata OPERATOR(pg_catalog.->>)
                                   'bucket_ending_at')::pg_catalog.timestamptz END,
           metadata = u.metadata OPERATOR(pg_catalog.-) 'num_model_requests'
                          OPERATOR(pg_catalog.-) 'bucket_end_time'
                          OPERATOR(pg_catalog.-) 'bucket_ending_at'
      FROM buckets AS b
     WHERE u.id OPERATOR(pg_catalog.=) b.id
    RETURNING u.id, b.total_cost AS old_cost, u.total_cost AS new_cost,
              b.pricing_id AS old_pricing, u.pricing_id AS new_pricing
)
INSERT INTO cost_ops.reprice_log
    (usage_id, reason, old_total_cost, new_total_cost, old_pricing_id, new_pricing_id)
SELECT r.id, 'llm_cost_ops 1.3: a usage-API bucket priced per request, not as one',
       r.old_cost, r.new_cost, r.old_pricing, r.new_pricing
  FROM reshaped AS r
 WHERE r.old_cost::text IS DISTINCT FROM r.new_cost::text
    OR r.old_pricing IS DISTINCT FROM r.new_pricing;
