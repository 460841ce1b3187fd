-- Budgets and alerts: spend per UTC month of an organization or a project, thresholds raised
-- once each as the records reaching them are stored (INSERT, COPY, a reprice that raises
-- costs, a backfill of an earlier month), checked after a bulk load, and refused when invalid.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = ISO;

-- gpt-4o at 2.50 per 1M prompt tokens: 1,000,000 tokens cost 2.5.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4o', 2.50, 10, '2025-01-01T00:00:00Z');
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at)
VALUES ('org-a', 10, '{50,80,100,150}');
INSERT INTO cost_ops.budgets (organization_id, project_id, monthly_amount)
VALUES ('org-a', 'bot', 2);

-- 2 tokens * 1,000,000: org-a 5 (50 %), its project bot 5 of 2 (250 %: 50, 80 and 100 at once).
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    prompt_tokens)
VALUES ('2025-03-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'bot', 1000000),
       ('2025-03-31T23:59:59Z', 'openai', 'gpt-4o', 'org-a', 'bot', 1000000);
SELECT b.project_id, a.period, a.threshold, a.spend, a.monthly_amount
  FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS b ON b.id = a.budget_id
 ORDER BY a.id;

-- Another organization, an unpriced record and April's first instant change nothing of March.
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens) FROM stdin;
2025-03-15T00:00:00Z	openai	gpt-4o	org-b	9000000
2025-03-15T00:00:00Z	openai	no-such-model	org-a	9000000
2025-04-01T00:00:00Z	openai	gpt-4o	org-a	100000
\.
SELECT count(*) FROM cost_ops.alerts;
SELECT cost_ops.budget_spend(1, '2025-03-01') AS march, cost_ops.budget_spend(1, '2025-04-01') AS april,
       cost_ops.budget_spend(1, '2025-05-01') AS may;

-- 1,999,999 more tokens in March: 5 + 4.9999975 = 9.9999975 (99.99 %: 80 is raised, 100 is
-- not); one token more: exactly 10, and 100 is raised.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens)
VALUES ('2025-03-20T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 1999999);
SELECT threshold, spend FROM cost_ops.alerts WHERE budget_id = 1 ORDER BY id;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens)
VALUES ('2025-03-21T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 1);
SELECT threshold, spend FROM cost_ops.alerts WHERE budget_id = 1 ORDER BY id;

-- A corrected price raises costs through reprice (an UPDATE): March's 4,000,000 tokens at 4
-- are 16 (160 %), so 150 is raised; bot's thresholds were all raised already.
UPDATE cost_ops.pricing_tables SET input_price = 4 WHERE model = 'gpt-4o';
SELECT records, changed FROM cost_ops.reprice(reason => 'corrected');
SELECT b.project_id, a.threshold, a.spend FROM cost_ops.alerts AS a
  JOIN cost_ops.budgets AS b ON b.id = a.budget_id WHERE a.threshold = 150;

-- A backfill of February is February's spend: 1,250,000 tokens at 4 = 5, 50 % of February.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens)
VALUES ('2025-02-10T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 1250000);
SELECT period, threshold, spend FROM cost_ops.alerts WHERE period = '2025-02-01';

-- A bulk load with the rollup's trigger off raises nothing until check_budgets(): May,
-- 3,000,000 tokens at 4 = 12 (120 %): 50, 80 and 100.
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, prompt_tokens)
VALUES ('2025-05-05T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 3000000);
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted;
SELECT count(*) FROM cost_ops.alerts WHERE period = '2025-05-01';
SELECT cost_ops.rebuild_daily_costs() > 0 AS rebuilt;
SELECT cost_ops.check_budgets('2025-05-01') AS raised;
SELECT cost_ops.check_budgets('2025-05-01') AS raised_again;
SELECT threshold, spend FROM cost_ops.alerts WHERE period = '2025-05-01' ORDER BY threshold;
-- Deleting rows lowers the spend; raised alerts stay raised.
DELETE FROM cost_ops.usage_records WHERE "timestamp" >= '2025-05-01';
SELECT cost_ops.budget_spend(1, '2025-05-01') AS may, count(*) AS may_alerts
  FROM cost_ops.alerts WHERE period = '2025-05-01';

-- Invalid budgets (terse: the failing row would show its updated_at).
\set VERBOSITY terse
INSERT INTO cost_ops.budgets (organization_id, monthly_amount) VALUES ('org-c', 0);
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at) VALUES ('org-c', 1, '{0}');
INSERT INTO cost_ops.budgets (organization_id, monthly_amount, alert_at) VALUES ('org-c', 1, '{}');
INSERT INTO cost_ops.budgets (organization_id, monthly_amount) VALUES ('org-a', 1);
INSERT INTO cost_ops.budgets (organization_id, project_id, monthly_amount) VALUES ('org-a', 'bot', 1);
\set VERBOSITY default
-- A budget's alerts go with it.
DELETE FROM cost_ops.budgets WHERE project_id = 'bot';
SELECT count(*) FROM cost_ops.alerts AS a WHERE NOT EXISTS (SELECT 1 FROM cost_ops.budgets AS b WHERE b.id = a.budget_id);
SELECT count(*) FROM cost_ops.alerts;
