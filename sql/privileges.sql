-- Privileges: a role allowed to insert usage gets its rows priced without reading prices;
-- it cannot change prices; PUBLIC can use the type but sees no data.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.pricing_tables;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.5, 10);

CREATE ROLE regress_cost_writer;
CREATE ROLE regress_cost_nobody;
GRANT INSERT ON cost_ops.usage_records TO regress_cost_writer;
CREATE SCHEMA regress_nobody_schema AUTHORIZATION regress_cost_nobody;

SET ROLE regress_cost_writer;
-- The price cache loads as the pricing table's owner: the writer's rows are priced.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'org-1', 1000, 100);
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
FROM STDIN WITH (FORMAT csv);
2025-01-01T00:00:01Z,openai,gpt-4o,org-1,2000,200
\.
-- ... but cannot read them back, nor read or change prices.
SELECT count(*) FROM cost_ops.usage_records;
SELECT count(*) FROM cost_ops.pricing_tables;
SELECT * FROM cost_ops.price_for('openai', 'gpt-4o', now());
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'cheap', 0, 0);
UPDATE cost_ops.pricing_tables SET input_price = 0;
RESET ROLE;

SET ROLE regress_cost_nobody;
-- Anyone may use the type and its operators.
SELECT '1.5'::cost_ops.cost OPERATOR(cost_ops.+) '2.25'::cost_ops.cost AS sum;
SELECT loaded FROM cost_ops.pricing_cache_status();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'org-1', 1, 1);
SELECT count(*) FROM cost_ops.usage_records;
-- ... nor price a table of its own with the extension's trigger (it would read prices).
CREATE TABLE regress_nobody_schema.my_usage ("timestamp" timestamptz, provider text, model text,
    prompt_tokens bigint, completion_tokens bigint, total_tokens bigint, cached_tokens bigint,
    cache_write_tokens bigint, reasoning_tokens bigint, input_cost cost_ops.cost,
    output_cost cost_ops.cost, total_cost cost_ops.cost, pricing_id bigint);
CREATE TRIGGER price BEFORE INSERT ON regress_nobody_schema.my_usage
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
RESET ROLE;

SELECT organization_id, prompt_tokens, total_cost FROM cost_ops.usage_records ORDER BY prompt_tokens;

-- What the extension grants: USAGE on its schema to PUBLIC; table privileges only to its
-- roles (cost_ops_reader, _writer, _admin: the roles suite tries them).
SELECT nspname, nspacl FROM pg_namespace WHERE nspname = 'cost_ops';
SELECT c.relname, c.relacl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'cost_ops' AND c.relkind IN ('r', 'p') ORDER BY c.relname;

DROP SCHEMA regress_nobody_schema CASCADE;
DROP OWNED BY regress_cost_writer;
DROP ROLE regress_cost_writer;
DROP ROLE regress_cost_nobody;
