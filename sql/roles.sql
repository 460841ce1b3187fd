-- Roles (1.5): cost_ops_reader reads spend, cost_ops_writer also loads usage, cost_ops_admin
-- also sets prices and budgets and reprices. Each is tried with SET ROLE on what it may and
-- may not do; every "permission denied" below is expected.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.pricing_tables;
DELETE FROM cost_ops.budgets;

-- The three roles exist, cannot log in, and each is a member of the one below it.
SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles
 WHERE rolname LIKE 'cost\_ops\_%' ORDER BY rolname;
SELECT r.rolname AS role, m.rolname AS member_of FROM pg_auth_members AS a
  JOIN pg_roles AS r ON r.oid = a.member JOIN pg_roles AS m ON m.oid = a.roleid
 WHERE r.rolname LIKE 'cost\_ops\_%' ORDER BY 1;

CREATE ROLE regress_reader IN ROLE cost_ops_reader;
CREATE ROLE regress_writer IN ROLE cost_ops_writer;
CREATE ROLE regress_admin IN ROLE cost_ops_admin;

-- The admin sets a price (2.50 and 10 USD per million tokens) and a budget.
SET ROLE regress_admin;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.5, 10);
INSERT INTO cost_ops.budgets (organization_id, monthly_amount) VALUES ('org-1', 1);
RESET ROLE;

-- The writer loads usage, priced by the trigger: 1000 * 2.5 + 100 * 10 = 3500 per 1M ->
-- 0.0035; 2000 * 2.5 + 200 * 10 = 7000 -> 0.007.
SET ROLE regress_writer;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'org-1', 'w1', 1000, 100);
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, completion_tokens) FROM STDIN WITH (FORMAT csv);
2025-01-01T00:00:01Z,openai,gpt-4o,org-1,w2,2000,200
\.
-- ... reads them back (a writer is a reader) ...
SELECT request_id, total_cost FROM cost_ops.usage_records ORDER BY request_id;
-- ... records its run and a reject ...
INSERT INTO cost_ops.ingest_runs (source, format, on_error) VALUES ('usage.csv', 'csv', 'skip')
RETURNING status;
INSERT INTO cost_ops.ingest_rejects (run_id, source, line, kind, reason, raw, reject_key)
SELECT max(id), 'usage.csv', 3, 'invalid', 'prompt_tokens: not a number', 'secret,raw,line',
       '00000000-0000-0000-0000-000000000001' FROM cost_ops.ingest_runs;
UPDATE cost_ops.ingest_runs SET status = 'completed', finished_at = now();
-- ... reads its rejects whole, to fix and retry them ...
SELECT reason, raw FROM cost_ops.ingest_rejects;
-- ... but cannot set its own costs, change prices, delete usage or rewrite who ran a run.
UPDATE cost_ops.usage_records SET total_cost = 0;
DELETE FROM cost_ops.usage_records;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'cheap', 0, 0);
UPDATE cost_ops.pricing_tables SET input_price = 0;
DELETE FROM cost_ops.pricing_tables;
INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model)
VALUES ('openai', 'gpt-5', 'openai', 'cheap');
INSERT INTO cost_ops.budgets (organization_id, monthly_amount) VALUES ('org-2', 1);
UPDATE cost_ops.budgets SET monthly_amount = 1000;
UPDATE cost_ops.ingest_runs SET run_by = 'someone else';
SELECT * FROM cost_ops.reprice('2025-01-01', '2025-01-02');
TRUNCATE cost_ops.usage_records;
RESET ROLE;

-- The reader sees spend, the rollup, prices, budgets and where each reject came from ...
SET ROLE regress_reader;
SELECT count(*), cost_ops.sum(total_cost) FROM cost_ops.usage_records;
SELECT day, records, total_cost FROM cost_ops.daily_costs;
SELECT provider, model, input_price FROM cost_ops.pricing_tables;
SELECT organization_id, monthly_amount FROM cost_ops.budgets;
SELECT line, kind, field FROM cost_ops.ingest_rejects;
-- ... but not its raw input or its reason (which quotes the refused value), nor SELECT *,
-- and writes nothing.
SELECT raw FROM cost_ops.ingest_rejects;
SELECT reason FROM cost_ops.ingest_rejects;
SELECT * FROM cost_ops.ingest_rejects;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'org-1', 1, 1);
INSERT INTO cost_ops.ingest_runs (source, format, on_error) VALUES ('x', 'csv', 'skip');
DELETE FROM cost_ops.alerts;
RESET ROLE;

-- Granted the raw column, the reader sees it.
GRANT SELECT (raw) ON cost_ops.ingest_rejects TO regress_reader;
SET ROLE regress_reader;
SELECT raw FROM cost_ops.ingest_rejects;
RESET ROLE;
REVOKE SELECT (raw) ON cost_ops.ingest_rejects FROM regress_reader;

-- The admin sees rejects whole and reprices after a price correction (input 2.5 -> 5):
-- 1000 * 5 + 100 * 10 = 6000 -> 0.006; 2000 * 5 + 200 * 10 = 12000 -> 0.012.
SET ROLE regress_admin;
SELECT raw FROM cost_ops.ingest_rejects;
UPDATE cost_ops.pricing_tables SET input_price = 5 WHERE model = 'gpt-4o';
SELECT records, changed, old_total, new_total
  FROM cost_ops.reprice('2025-01-01', '2025-01-02', reason => 'input price corrected');
SELECT request_id, total_cost FROM cost_ops.usage_records ORDER BY request_id;
SELECT cost_ops.raise_budget_alerts(b.id, '2025-01-01') FROM cost_ops.budgets AS b;
-- ... but does not restructure the table: partitions stay with the owner.
SELECT cost_ops.create_partitions('2025-01-31', '2025-01-01');
RESET ROLE;

-- A role with none of them sees no usage and no prices.
CREATE ROLE regress_outsider;
SET ROLE regress_outsider;
SELECT count(*) FROM cost_ops.usage_records;
SELECT count(*) FROM cost_ops.pricing_tables;
RESET ROLE;

-- A role of your own granted the price table only may still add a price that supersedes one
-- (1.6 counts the records it leaves stale as the inserting role: this one gets no notice).
GRANT SELECT, INSERT, UPDATE ON cost_ops.pricing_tables TO regress_outsider;
SET ROLE regress_outsider;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4o', 4, 10, '2025-06-01');
RESET ROLE;
REVOKE ALL ON cost_ops.pricing_tables FROM regress_outsider;

TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.budgets;
DELETE FROM cost_ops.ingest_rejects;
DELETE FROM cost_ops.ingest_runs;
DELETE FROM cost_ops.pricing_tables;
DROP ROLE regress_reader;
DROP ROLE regress_writer;
DROP ROLE regress_admin;
DROP ROLE regress_outsider;
