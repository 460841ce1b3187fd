-- The baseline of `make bench`, pair 2: what one would write without the extension's C
-- trigger. A PL/pgSQL BEFORE INSERT trigger that, for every row, looks up the price valid at
-- the row's timestamp for its provider and model in cost_ops.pricing_tables (one indexed
-- query per row) and applies the column formula on numeric:
--
--   input_cost  = (uncached * input + cached * coalesce(cached_input, input)
--                  + cache_write * coalesce(cache_write, input)) / 1e6
--   output_cost = completion * output / 1e6
--   total_cost  = input_cost + output_cost
--
-- It prices bench.usage_records_plpgsql, a copy of bench.usage_records_flat (cost_ops.usage_records
-- as one plain table: same columns, defaults, constraints and indexes) whose cost columns are
-- numeric; the C trigger is measured against it on bench.usage_records_flat itself. Like the C trigger, a
-- record that uses a token kind with no price stays unpriced; unlike it, the baseline ignores
-- what only pricing_structure holds (context tiers, time-of-day prices, request fees), so it
-- does a little less work than the C trigger. Loaded by scripts/bench.sh after CREATE
-- EXTENSION llm_cost_ops and bench.usage_records_flat.

CREATE SCHEMA IF NOT EXISTS bench;

DROP TABLE IF EXISTS bench.usage_records_plpgsql;
CREATE TABLE bench.usage_records_plpgsql (LIKE bench.usage_records_flat INCLUDING ALL);
ALTER TABLE bench.usage_records_plpgsql
    ALTER COLUMN input_cost TYPE numeric USING input_cost::numeric,
    ALTER COLUMN output_cost TYPE numeric USING output_cost::numeric,
    ALTER COLUMN total_cost TYPE numeric USING total_cost::numeric;

CREATE OR REPLACE FUNCTION bench.price_usage_record_plpgsql() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    p record;
    uncached bigint;
BEGIN
    NEW.input_cost := NULL;
    NEW.output_cost := NULL;
    NEW.total_cost := NULL;
    NEW.pricing_id := NULL;
    -- At most one row matches: the exclusion constraint forbids overlapping periods. Uses the
    -- index pricing_tables_lookup (provider, model, effective_date).
    SELECT t.id, t.input_price, t.output_price,
           coalesce(t.cached_input_price, t.input_price) AS cached_price,
           coalesce(t.cache_write_price, t.input_price) AS write_price
      INTO p
      FROM cost_ops.pricing_tables AS t
     WHERE t.provider = NEW.provider
       AND t.model = NEW.model
       AND t.effective_date <= NEW."timestamp"
       AND (t.end_date IS NULL OR NEW."timestamp" < t.end_date);
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    uncached := NEW.prompt_tokens - NEW.cached_tokens - NEW.cache_write_tokens;
    IF (uncached > 0 AND p.input_price IS NULL)
       OR (NEW.cached_tokens > 0 AND p.cached_price IS NULL)
       OR (NEW.cache_write_tokens > 0 AND p.write_price IS NULL)
       OR (NEW.completion_tokens > 0 AND p.output_price IS NULL) THEN
        RETURN NEW;  -- a token kind is used that the price does not cover: unpriced
    END IF;
    -- * 0.000001 is / 1e6, exactly: numeric division would round at its chosen scale.
    NEW.input_cost := (uncached * coalesce(p.input_price, 0)
                       + NEW.cached_tokens * coalesce(p.cached_price, 0)
                       + NEW.cache_write_tokens * coalesce(p.write_price, 0)) * 0.000001;
    NEW.output_cost := NEW.completion_tokens * coalesce(p.output_price, 0) * 0.000001;
    NEW.total_cost := NEW.input_cost + NEW.output_cost;
    NEW.pricing_id := p.id;
    RETURN NEW;
END
$$;

CREATE TRIGGER price_usage_record_plpgsql BEFORE INSERT ON bench.usage_records_plpgsql
    FOR EACH ROW EXECUTE FUNCTION bench.price_usage_record_plpgsql();
