-- Effective dating and repricing: a record is priced with the row valid at its own
-- timestamp, never with "the current price"; a price is never applied outside
-- [effective_date, end_date); cost_ops.reprice() and cost_ops.reprice_records() recompute
-- only the records they select, and cost_ops.reprice_log keeps each change (old cost, new
-- cost, old and new price row, why) and nothing for a record whose cost did not change.
-- Prices are USD per 1,000,000 tokens, so "By hand" sums are in millionths of a dollar.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Each record with the period of the price row that priced it.
CREATE TEMP VIEW priced AS
SELECT u.request_id, u."timestamp", p.effective_date AS price_from, p.end_date AS price_until,
       u.input_cost, u.output_cost, u.total_cost, u.unpriced_reason
  FROM cost_ops.usage_records AS u
  LEFT JOIN cost_ops.pricing_tables AS p ON p.id = u.pricing_id;
-- Each logged change, the price rows named by their start.
CREATE TEMP VIEW changes AS
SELECT l.id, u.request_id, l.reason, l.old_total_cost, l.new_total_cost,
       o.effective_date AS old_price_from, n.effective_date AS new_price_from
  FROM cost_ops.reprice_log AS l
  JOIN cost_ops.usage_records AS u ON u.id = l.usage_id
  LEFT JOIN cost_ops.pricing_tables AS o ON o.id = l.old_pricing_id
  LEFT JOIN cost_ops.pricing_tables AS n ON n.id = l.new_pricing_id;

---------------------------------------------------------------------------------------------
-- A price change on 2026-08-21: 5 input / 0.50 cached / 30 output until then, 4 / 0.40 / 20
-- from then on.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, effective_date)
VALUES ('openai', 'gpt-5.5', 5, 0.50, 30, '2026-01-01T00:00:00Z');
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, cached_tokens,
     completion_tokens)
VALUES
-- e1, the last minute of the old price: 1,000,000 prompt of which 400,000 cached, 100,000
-- completion.
-- By hand: 600000 * 5 + 400000 * 0.50 = 3000000 + 200000 = 3200000 -> 3.2;
--          100000 * 30 = 3000000 -> 3; total 6200000 -> 6.20 (prints 6.2).
       ('2026-08-20T23:59:00Z', 'openai', 'gpt-5.5', 'org-a', 'e1', 1000000, 400000, 100000),
-- e2, the first instant of the new price, stored BEFORE the new price row exists: priced
-- with the only row then valid: 6.2.
       ('2026-08-21T00:00:00Z', 'openai', 'gpt-5.5', 'org-a', 'e2', 1000000, 400000, 100000),
-- e3, later, also stored before the new row: 6.2.
       ('2026-09-15T12:00:00Z', 'openai', 'gpt-5.5', 'org-a', 'e3', 1000000, 400000, 100000),
-- e4, one second before any price of the model: unpriced, "no price valid at this time".
       ('2025-12-31T23:59:59Z', 'openai', 'gpt-5.5', 'org-a', 'e4', 1000000, 400000, 100000),
-- e5, the first instant of the first price: 1000000 * 5 = 5000000 -> 5.
       ('2026-01-01T00:00:00Z', 'openai', 'gpt-5.5', 'org-a', 'e5', 1000000, 0, 0);
SELECT * FROM priced ORDER BY "timestamp";

-- The new price: inserting an open-ended row closes the open-ended row it supersedes, and
-- says how many stored records of the new period keep the old price's costs (e2, e3: 1.6).
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, effective_date)
VALUES ('openai', 'gpt-5.5', 4, 0.40, 20, '2026-08-21T00:00:00Z');
SELECT effective_date, end_date, input_price, cached_input_price, output_price
  FROM cost_ops.pricing_tables WHERE model = 'gpt-5.5' ORDER BY effective_date;
SELECT at, p.input_price
  FROM (VALUES ('2026-08-20T23:59:00Z'::timestamptz), ('2026-08-20T23:59:59.999999Z'),
               ('2026-08-21T00:00:00Z')) AS t(at)
  LEFT JOIN LATERAL cost_ops.price_for('openai', 'gpt-5.5', at) AS p ON true
 ORDER BY at;
-- Stored costs do not move by themselves: e1 stays 6.2, and so do e2 and e3 until repriced.
SELECT * FROM priced ORDER BY "timestamp";

-- Repricing the old price's last day leaves e1 at 6.2: its own time is still under the old
-- row; nothing is logged for it.
SELECT * FROM cost_ops.reprice('2026-08-20T00:00:00Z', '2026-08-21T00:00:00Z',
                               reason => 'price change 2026-08-21');
SELECT * FROM priced WHERE request_id = 'e1';
SELECT count(*) AS logged FROM cost_ops.reprice_log;

-- Repricing from the change on: e2 and e3 move to the new row, each change logged.
-- By hand: 600000 * 4 + 400000 * 0.40 = 2400000 + 160000 = 2560000 -> 2.56;
--          100000 * 20 = 2000000 -> 2; total 4560000 -> 4.56.
--          old_total 6.2 + 6.2 = 12.4, new_total 4.56 + 4.56 = 9.12.
SELECT * FROM cost_ops.reprice('2026-08-21T00:00:00Z', '2026-10-01T00:00:00Z',
                               reason => 'price change 2026-08-21');
SELECT * FROM priced ORDER BY "timestamp";
SELECT * FROM changes ORDER BY id;

-- Repricing everything again changes nothing: nothing more is logged; e4 is still unpriced.
-- By hand: old_total = new_total = 5 + 6.2 + 4.56 + 4.56 = 20.32 (e4 has no cost).
SELECT * FROM cost_ops.reprice(reason => 'again');
SELECT count(*) AS logged FROM cost_ops.reprice_log;
-- A range that holds no instant is an error, not nothing repriced (1.6).
SELECT * FROM cost_ops.reprice('2026-10-01T00:00:00Z', '2026-08-21T00:00:00Z');
SELECT * FROM cost_ops.reprice('2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
SELECT * FROM cost_ops.reprice(to_time => '-infinity');

---------------------------------------------------------------------------------------------
-- Correcting a price row: a range reprices the records in it and touches no other.
---------------------------------------------------------------------------------------------
-- The new row's cached price was a typo: 0.20, not 0.40.
UPDATE cost_ops.pricing_tables SET cached_input_price = 0.20
 WHERE model = 'gpt-5.5' AND effective_date = '2026-08-21T00:00:00Z';
-- Only September: e3 becomes 600000 * 4 + 400000 * 0.20 + 100000 * 20
--   = 2400000 + 80000 + 2000000 = 4480000 -> 4.48; e2 (August 21) keeps 4.56 until its
--   own range is repriced.
SELECT * FROM cost_ops.reprice('2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z',
                               reason => 'cached price typo');
SELECT * FROM priced ORDER BY "timestamp";
SELECT * FROM changes ORDER BY id;

---------------------------------------------------------------------------------------------
-- A price that arrives later prices the records that were waiting for it, and only them.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, cached_input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-5.5', 6, 0.60, 36, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
-- By hand, e4: 600000 * 6 + 400000 * 0.60 + 100000 * 36 = 3600000 + 240000 + 3600000
--   = 7440000 -> 7.44; e5, at 2026-01-01 00:00, is past that row's end and keeps its 5.
SELECT * FROM cost_ops.reprice(only_unpriced => true, reason => 'price for 2025');
SELECT * FROM priced ORDER BY "timestamp";
SELECT * FROM changes WHERE reason = 'price for 2025';

-- A price row that priced records cannot be deleted.
DELETE FROM cost_ops.pricing_tables
 WHERE model = 'gpt-5.5' AND effective_date = '2026-01-01T00:00:00Z';

---------------------------------------------------------------------------------------------
-- A price that ended with no successor: records after its end are unpriced.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-retired', 1, 2, '2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z');
-- By hand: 1000 * 1 + 100 * 2 = 1200 -> 0.0012 for the last second of the period.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, request_id, prompt_tokens, completion_tokens)
VALUES ('2025-05-31T23:59:59Z', 'openai', 'gpt-retired', 'org-a', 'x1', 1000, 100),
       ('2025-06-01T00:00:00Z', 'openai', 'gpt-retired', 'org-a', 'x2', 1000, 100),
       ('2024-12-31T23:59:59Z', 'openai', 'gpt-retired', 'org-a', 'x3', 1000, 100);
SELECT * FROM priced WHERE request_id LIKE 'x%' ORDER BY "timestamp";

---------------------------------------------------------------------------------------------
-- The filters of reprice(): provider, model, organization, project, only_unpriced; and
-- reprice_records() for chosen ids.
---------------------------------------------------------------------------------------------
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'gpt-filter', 1, 2);
-- By hand: 1000 * 1 + 100 * 2 = 1000 + 200 = 1200 -> 0.0012 each.
INSERT INTO cost_ops.usage_records
    ("timestamp", provider, model, organization_id, project_id, request_id, prompt_tokens,
     completion_tokens)
VALUES ('2026-09-02T00:00:00Z', 'openai', 'gpt-filter', 'org-x', 'proj-1', 'o1', 1000, 100),
       ('2026-09-02T00:00:01Z', 'openai', 'gpt-filter', 'org-x', 'proj-2', 'o2', 1000, 100),
       ('2026-09-02T00:00:02Z', 'openai', 'gpt-filter', 'org-y', 'proj-1', 'o3', 1000, 100),
       ('2026-09-02T00:00:03Z', 'openai', 'gpt-filter', 'org-z', NULL, 'o4', 1000, 100);
-- A correction of the output price: 1000 * 1 + 100 * 4 = 1000 + 400 = 1400 -> 0.0014.
UPDATE cost_ops.pricing_tables SET output_price = 4 WHERE model = 'gpt-filter';
-- Organization and project: o1 only.
SELECT * FROM cost_ops.reprice(organization_id => 'org-x', project_id => 'proj-1',
                               reason => 'output price');
-- Organization: o1 (already done, not logged again) and o2.
SELECT * FROM cost_ops.reprice(organization_id => 'org-x', reason => 'output price');
-- Chosen ids: o3.
SELECT * FROM cost_ops.reprice_records(
    ARRAY(SELECT id FROM cost_ops.usage_records WHERE request_id = 'o3'), 'output price');
-- Only unpriced records of the model: none.
SELECT * FROM cost_ops.reprice(model => 'gpt-filter', only_unpriced => true, reason => 'output price');
-- Another provider's records of that name: none.
SELECT * FROM cost_ops.reprice(provider => 'azure', model => 'gpt-filter', reason => 'output price');
SELECT request_id, total_cost FROM cost_ops.usage_records WHERE request_id LIKE 'o%'
 ORDER BY request_id;
-- The rest of the model: o4 changes, o1..o3 are recomputed unchanged (old = new = 0.0014).
-- By hand: old_total 0.0014 * 3 + 0.0012 = 0.0054; new_total 0.0014 * 4 = 0.0056.
SELECT * FROM cost_ops.reprice(provider => 'openai', model => 'gpt-filter', reason => 'output price');
SELECT request_id, old_total_cost, new_total_cost, old_price_from = new_price_from AS same_row
  FROM changes WHERE reason = 'output price' ORDER BY id;

-- Every record, and the exact total of the priced ones.
-- By hand: e5 5 + e1 6.2 + e2 4.56 + e3 4.48 + e4 7.44 + x1 0.0012 + o1..o4 4 * 0.0014
--        = 27.68 + 0.0012 + 0.0056 = 27.6868; x2 and x3 unpriced.
SELECT count(*), count(total_cost) AS priced, cost_ops.sum(total_cost) AS total
  FROM cost_ops.usage_records;

-- The reason is kept with every change: a NULL one is refused, and so are NULL ids.
SELECT * FROM cost_ops.reprice_records(ARRAY[1::bigint], NULL);
SELECT * FROM cost_ops.reprice_records(NULL, 'no ids');
