-- Search-path attacks: a hostile role plants functions, aggregates and operators named like
-- the ones the extension's code calls, with the exact argument types and with looser ones
-- (anyelement), in public and in a schema of its own put first on the search_path, before
-- CREATE EXTENSION and again before every public function is called. Each planted object
-- raises "hijacked: ..." when called: no such line may appear below. Then CREATE EXTENSION
-- is refused cleanly when its schema is not its own or already holds objects.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION IF NOT EXISTS btree_gist;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE ROLE regress_hostile;
GRANT CREATE ON SCHEMA public TO regress_hostile;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO regress_hostile', current_database()); END $$;
CREATE ROLE regress_victim IN ROLE cost_ops_admin;

-- Plants in schema `target` the comparison and arithmetic operators on type `t` (each raises).
CREATE FUNCTION pg_temp.plant_operators(target text, t text) RETURNS void LANGUAGE plpgsql AS $plant$
DECLARE
    op text;
BEGIN
    EXECUTE format($f$CREATE FUNCTION %I.trap_op(%s, %s) RETURNS boolean LANGUAGE plpgsql
        AS $b$BEGIN RAISE EXCEPTION 'hijacked: %%.%%', %L, 'an operator'; END$b$$f$,
        target, t, t, target);
    FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||', '~~'] LOOP
        EXECUTE format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.trap_op)',
                       target, op, t, t, target);
    END LOOP;
END
$plant$;

-- The traps: plants in schema `target` every function, aggregate and operator of the lists
-- below; returns how many.
CREATE FUNCTION pg_temp.plant(target text) RETURNS integer LANGUAGE plpgsql AS $plant$
DECLARE
    planted integer := 0;
    f record;
    o record;
BEGIN
    EXECUTE format($f$CREATE FUNCTION %I.trap_state(anyelement, anyelement) RETURNS anyelement
        LANGUAGE plpgsql AS $b$BEGIN RAISE EXCEPTION 'hijacked: %%.%%', %L, 'an aggregate'; END$b$$f$,
        target, target);
    -- Functions: name, argument types, result type.
    FOR f IN SELECT * FROM (VALUES
            ('now', '', 'timestamptz'), ('date_trunc', 'text, timestamptz', 'timestamptz'),
            ('date_trunc', 'text, anyelement', 'timestamptz'), ('timezone', 'text, timestamptz', 'timestamp'),
            ('timezone', 'anyelement, anyelement', 'timestamp'), ('format', 'text, anyelement', 'text'),
            ('lower', 'anyelement', 'text'), ('lower', 'text', 'text'), ('length', 'anyelement', 'integer'),
            ('unnest', 'anyarray', 'anyelement'), ('to_char', 'anyelement, text', 'text'),
            ('generate_series', 'anyelement, anyelement, anyelement', 'anyelement'),
            ('jsonb_build_object', 'anyelement, anyelement', 'jsonb'), ('to_jsonb', 'anyelement', 'jsonb'),
            ('pg_notify', 'text, text', 'void'), ('pg_notify', 'anyelement, anyelement', 'void'),
            ('abs', 'anyelement', 'anyelement'), ('round', 'anyelement, integer', 'anyelement'),
            ('concat', 'anyelement, anyelement', 'text'), ('to_regclass', 'text', 'regclass'),
            ('set_config', 'text, text, boolean', 'text'), ('pg_advisory_xact_lock', 'anyelement', 'void'),
            ('date_part', 'text, anyelement', 'double precision'), ('age', 'anyelement', 'interval'),
            ('make_interval', 'integer', 'interval'), ('pg_typeof', 'anyelement', 'regtype'),
            ('cost', 'anyelement', 'text'), ('to_numeric', 'anyelement', 'numeric'))
            AS l (name, args, result) LOOP
        EXECUTE format($f$CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql
            AS $b$BEGIN RAISE EXCEPTION 'hijacked: %%.%%', %L, %L; END$b$$f$,
            target, f.name, f.args, f.result, target, f.name);
        planted := planted + 1;
    END LOOP;
    -- Aggregates over anything.
    FOR f IN SELECT unnest(ARRAY['sum', 'count', 'max', 'min', 'avg', 'array_agg', 'string_agg',
                                 'jsonb_agg', 'bool_or', 'percentile_cont']) AS name LOOP
        EXECUTE format('CREATE AGGREGATE %I.%I(anyelement) (SFUNC = %I.trap_state, STYPE = anyelement)',
                       target, f.name, target);
        planted := planted + 1;
    END LOOP;
    -- Operators on the types the extension compares and computes with.
    FOR o IN SELECT t FROM unnest(ARRAY['text', 'bigint', 'integer', 'numeric', 'timestamptz',
                                        'date', 'boolean', 'oid', 'name', 'anyelement']) AS t LOOP
        PERFORM pg_temp.plant_operators(target, o.t);
        planted := planted + 12;
    END LOOP;
    RETURN planted;
END
$plant$;

SET ROLE regress_hostile;
CREATE SCHEMA hostile;
SELECT pg_temp.plant('hostile') AS planted_in_hostile, pg_temp.plant('public') AS planted_in_public;
RESET ROLE;

-- CREATE EXTENSION with the traps first on the search_path (of the session and of the role).
ALTER ROLE regress_victim SET search_path = hostile, public, pg_catalog;
SET search_path = hostile, public, pg_catalog;
SET client_min_messages = warning;
CREATE EXTENSION llm_cost_ops;
RESET client_min_messages;
-- (The test's own queries name pg_catalog's operators: unqualified, they would be the traps'.)
SELECT extversion FROM pg_extension WHERE extname OPERATOR(pg_catalog.=) 'llm_cost_ops';

-- The cost type's operators, planted too, now that the type exists.
SET ROLE regress_hostile;
SELECT pg_temp.plant_operators('hostile', 'cost_ops.cost'), pg_temp.plant_operators('public', 'cost_ops.cost');
RESET ROLE;

-- The owner's work, with the traps first on the search_path.
SELECT count(*) AS partitions_made FROM cost_ops.create_partitions('2025-02-28', '2025-01-01');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4o', 2.5, 10, '2024-01-01');
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
VALUES ('openai', 'gpt-4o-latest', 'openai', 'gpt-4o');
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at) VALUES ('org-1', '0.01', '{50}');

-- Every public function and trigger, called by a role whose search_path starts with the traps.
SET ROLE regress_victim;
SHOW search_path;
-- The pricing trigger and the rollup: 1000 * 2.5 + 100 * 10 = 3500 per 1M -> 0.0035 each.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-05', 'openai', 'gpt-4o', 'org-1', 'a1', 1000, 100),
       ('2025-01-06', 'openai', 'gpt-4o-latest', 'org-1', 'a2', 1000, 100),
       ('2025-02-01', 'openai', 'gpt-4o', 'org-1', 'a3', 1000, 100);
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, completion_tokens) FROM STDIN WITH (FORMAT csv);
2025-01-07T00:00:00Z,openai,gpt-4o,org-1,a4,1000,100
\.
SELECT request_id, total_cost, price_match FROM cost_ops.usage_records ORDER BY request_id;
SELECT budget_id, period, threshold, spend FROM cost_ops.alerts ORDER BY period, threshold;
SELECT input_price, output_price FROM cost_ops.price_for('openai', 'gpt-4o', '2025-01-05');
SELECT records, changed, new_total FROM cost_ops.reprice('2025-01-01', '2025-03-01', reason => 'attack test');
SELECT records FROM cost_ops.reprice_records(ARRAY(SELECT id FROM cost_ops.usage_records), 'again');
SELECT * FROM cost_ops.normalize_usage('openai', '{"prompt_tokens": 10, "completion_tokens": 5}');
SELECT cost_ops.model_match_is_valid('{"equals": "gpt-4o"}'),
       cost_ops.pricing_structure_is_valid('{}');
SELECT cost_ops.to_numeric(cost_ops.cost(1.5)), cost_ops.cost(2), cost_ops.cost(3::bigint);
SELECT cost_ops.sum(total_cost), cost_ops.avg(total_cost), cost_ops.min(total_cost),
       cost_ops.max(total_cost) FROM cost_ops.usage_records;
SELECT partition, records, total_cost FROM cost_ops.partitions() ORDER BY range_start NULLS FIRST;
SELECT cost_ops.daily_costs_kept(), cost_ops.daily_costs_triggers_enabled();
SELECT cost_ops.budget_spend(b.id, '2025-01-01') FROM cost_ops.budgets AS b;
SELECT cost_ops.raise_budget_alerts(b.id, '2025-01-01') FROM cost_ops.budgets AS b;
SELECT cost_ops.check_budgets('2025-01-01');
SELECT count(*) FROM cost_ops.daily_spend(30);
SELECT count(*) FROM cost_ops.forecast(7, 60);
SELECT count(*) FROM cost_ops.backtest(60);
SELECT count(*) FROM cost_ops.anomalies('2025-01-01', 'model', 3.5, 60);
SELECT count(*) FROM cost_ops.forecast_series(
    ARRAY(SELECT d::date FROM pg_catalog.generate_series(timestamp '2025-01-01', '2025-01-31', '1 day') AS d),
    ARRAY(SELECT cost_ops.cost(1) FROM pg_catalog.generate_series(1, 31)), 7);
SELECT loaded FROM cost_ops.pricing_cache_status();
UPDATE cost_ops.usage_records SET prompt_tokens = 2000, total_tokens = 2100
 WHERE request_id OPERATOR(pg_catalog.=) 'a4' RETURNING total_cost;
RESET ROLE;

-- The owner's maintenance, with the traps first on the search_path: the rollup's compaction
-- and rebuild, a bulk load with the rollup's trigger off (the event trigger marks it stale),
-- deletes, a partition truncated and detached.
SELECT cost_ops.compact_daily_costs() OPERATOR(pg_catalog.>=) 0 AS compacted;
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted;
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted;
SELECT cost_ops.daily_costs_kept() AS kept_after_bulk_load;
SELECT cost_ops.rebuild_daily_costs() AS rollup_rows;
SELECT cost_ops.daily_costs_kept() AS kept;
DELETE FROM cost_ops.usage_records WHERE request_id OPERATOR(pg_catalog.=) 'a1';
TRUNCATE cost_ops.usage_records_2025_02;
SELECT partition, records, total_cost FROM cost_ops.detach_partitions('2025-02-01', false);
SELECT pg_catalog.count(*) AS rollup_rows_left FROM cost_ops.daily_costs;
TRUNCATE cost_ops.usage_records;
RESET search_path;

-- CREATE EXTENSION refuses a schema cost_ops of another role's ...
SET client_min_messages = warning;
DROP EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
DROP TABLE cost_ops.usage_records_2025_01_detached;
DROP SCHEMA cost_ops;
SET ROLE regress_hostile;
CREATE SCHEMA cost_ops;
RESET ROLE;
CREATE EXTENSION llm_cost_ops;
DROP SCHEMA cost_ops;
-- ... and one already holding an object, even the installing role's own.
CREATE SCHEMA cost_ops;
CREATE FUNCTION cost_ops.price_for(text, text, timestamptz) RETURNS text LANGUAGE sql AS 'SELECT 1::text';
CREATE EXTENSION llm_cost_ops;
DROP SCHEMA cost_ops CASCADE;
SELECT count(*) AS extension_installed FROM pg_extension WHERE extname = 'llm_cost_ops';

-- Clean up: the traps, the roles; the extension as the other suites expect it.
SET client_min_messages = warning;
DROP SCHEMA hostile CASCADE;
DROP OWNED BY regress_hostile;
DROP ROLE regress_hostile;
ALTER ROLE regress_victim RESET search_path;
DROP ROLE regress_victim;
CREATE EXTENSION llm_cost_ops;
RESET client_min_messages;
