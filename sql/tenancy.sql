-- Tenant isolation (1.5): with cost_ops.enable_tenant_isolation(), a role sees and writes only
-- the organizations cost_ops.tenant_members maps it (or a role it belongs to) to, in every
-- table and through every function; ingest runs and rejects only of the runs it made.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.pricing_tables;
DELETE FROM cost_ops.budgets;
DELETE FROM cost_ops.ingest_rejects;
DELETE FROM cost_ops.ingest_runs;
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.5, 10);

-- Two tenants: acme's writer (a group role acme_team, and a login in it) and globex's writer.
CREATE ROLE regress_acme_team IN ROLE cost_ops_writer;
CREATE ROLE regress_acme_etl IN ROLE regress_acme_team;
CREATE ROLE regress_globex IN ROLE cost_ops_admin;
INSERT INTO cost_ops.tenant_members (member, organization_id)
VALUES ('regress_acme_team', 'acme'), ('regress_globex', 'globex');
SELECT * FROM cost_ops.enable_tenant_isolation();

-- Each writes its own rows (1000 * 2.5 + 100 * 10 = 3500 per 1M -> 0.0035; twice that for
-- globex's 2000/200 row), a run and a reject; and a budget each (the admin for globex, the
-- owner for acme).
SET ROLE regress_acme_etl;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'acme', 'a1', 1000, 100),
       ('2025-01-02', 'openai', 'gpt-4o', 'acme', 'a2', 1000, 100);
INSERT INTO cost_ops.ingest_runs (source, format, on_error) VALUES ('acme.csv', 'csv', 'skip');
INSERT INTO cost_ops.ingest_rejects (run_id, source, line, kind, reason, raw, reject_key)
SELECT id, 'acme.csv', 2, 'invalid', 'acme''s bad line', 'acme,secret', gen_random_uuid()
  FROM cost_ops.ingest_runs;
RESET ROLE;
SET ROLE regress_globex;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-01', 'openai', 'gpt-4o', 'globex', 'g1', 2000, 200);
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at) VALUES ('globex', '0.01', '{50}');
INSERT INTO cost_ops.ingest_runs (source, format, on_error) VALUES ('globex.csv', 'csv', 'skip');
INSERT INTO cost_ops.ingest_rejects (run_id, source, line, kind, reason, raw, reject_key)
SELECT id, 'globex.csv', 5, 'invalid', 'globex''s bad line', 'globex,secret', gen_random_uuid()
  FROM cost_ops.ingest_runs;
-- A budget alert of its own (0.007 of 0.01 is over 50 %).
SELECT cost_ops.raise_budget_alerts(b.id, '2025-01-01') FROM cost_ops.budgets AS b;
RESET ROLE;
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at) VALUES ('acme', '0.001', '{50}');
SELECT cost_ops.check_budgets('2025-01-01');

-- acme's login sees acme's rows only: usage, rollup, budgets, alerts, runs, rejects, and
-- through the functions (partitions, spend, forecast).
SET ROLE regress_acme_etl;
SELECT organization_id, request_id, total_cost FROM cost_ops.usage_records ORDER BY request_id;
SELECT organization_id, sum(records), cost_ops.sum(total_cost) FROM cost_ops.daily_costs GROUP BY 1;
SELECT organization_id, monthly_amount FROM cost_ops.budgets;
SELECT a.threshold, a.spend FROM cost_ops.alerts AS a;
SELECT source FROM cost_ops.ingest_runs;
SELECT source, reason FROM cost_ops.ingest_rejects;
SELECT records, total_cost FROM cost_ops.partitions();
SELECT cost_ops.visible_organizations();
SELECT days, costs FROM cost_ops.daily_spend(100000);
-- ... cannot write globex's rows or move its own there ...
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-03', 'openai', 'gpt-4o', 'globex', 'forged', 1, 1);
-- (\copy of no data: PostgreSQL refuses COPY FROM under row security before any row, and
-- psql minor versions differ in what they do with inline rows after such a refusal.)
\copy cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens) FROM '/dev/null' WITH (FORMAT csv)
UPDATE cost_ops.ingest_runs SET source = 'renamed' WHERE source = 'globex.csv';
-- ... nor add itself to another tenant.
INSERT INTO cost_ops.tenant_members (member, organization_id) VALUES ('regress_acme_team', 'globex');
RESET ROLE;

-- globex's admin sees globex's only; it cannot change or delete acme's rows (0 rows) or
-- reprice them.
SET ROLE regress_globex;
SELECT organization_id, request_id, total_cost FROM cost_ops.usage_records ORDER BY request_id;
SELECT organization_id, sum(records), cost_ops.sum(total_cost) FROM cost_ops.daily_costs GROUP BY 1;
SELECT organization_id FROM cost_ops.budgets;
SELECT a.threshold, a.spend FROM cost_ops.alerts AS a;
SELECT source, reason, raw FROM cost_ops.ingest_rejects;
UPDATE cost_ops.usage_records SET prompt_tokens = 1 WHERE organization_id = 'acme';
DELETE FROM cost_ops.budgets WHERE organization_id = 'acme';
DELETE FROM cost_ops.alerts;
SELECT records, changed, new_total FROM cost_ops.reprice('2025-01-01', '2025-02-01');
RESET ROLE;

-- An admin cannot raise another tenant's alerts, even knowing its budget's id: acme's 80 %
-- is due (0.007 of 0.001), but raise_budget_alerts runs as its caller and does not find it.
UPDATE cost_ops.budgets SET alert_at = '{50,80}' WHERE organization_id = 'acme';
SELECT id AS acme_budget FROM cost_ops.budgets WHERE organization_id = 'acme' \gset
SET ROLE regress_globex;
SELECT cost_ops.raise_budget_alerts(:acme_budget, '2025-01-01') AS raised_for_acme;
SELECT cost_ops.check_budgets('2025-01-01') AS raised_by_check;
-- Nor see another tenant's mapping.
SELECT member, organization_id FROM cost_ops.tenant_members;
RESET ROLE;
SELECT count(*) AS acme_alerts FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS b ON b.id = a.budget_id
 WHERE b.organization_id = 'acme';

-- A correction repriced by the owner (input 2.5 -> 5): each tenant sees its own changes in
-- the reprice log only (acme's two, globex's one).
UPDATE cost_ops.pricing_tables SET input_price = 5;
SELECT changed FROM cost_ops.reprice('2025-01-01', '2025-02-01', reason => 'input price corrected');
SET ROLE regress_acme_etl;
SELECT u.request_id, l.old_total_cost, l.new_total_cost
  FROM cost_ops.reprice_log AS l JOIN cost_ops.usage_records AS u ON u.id = l.usage_id ORDER BY 1;
SELECT count(*) AS log_rows_seen FROM cost_ops.reprice_log;
RESET ROLE;
SET ROLE regress_globex;
SELECT count(*) AS log_rows_seen FROM cost_ops.reprice_log;
RESET ROLE;

-- The owner sees everything, unchanged by the attempts above.
SELECT organization_id, request_id, total_cost FROM cost_ops.usage_records ORDER BY request_id;
SELECT b.organization_id, a.threshold FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS b ON b.id = a.budget_id ORDER BY 1;
SELECT source FROM cost_ops.ingest_runs ORDER BY source;

-- Off again: every role sees what its privileges allow.
SELECT * FROM cost_ops.disable_tenant_isolation();
SET ROLE regress_acme_etl;
SELECT count(*) FROM cost_ops.usage_records;
RESET ROLE;

TRUNCATE cost_ops.usage_records;
DELETE FROM cost_ops.budgets;
DELETE FROM cost_ops.ingest_rejects;
DELETE FROM cost_ops.ingest_runs;
DELETE FROM cost_ops.tenant_members;
DELETE FROM cost_ops.pricing_tables;
DROP ROLE regress_acme_etl;
DROP ROLE regress_acme_team;
DROP ROLE regress_globex;
