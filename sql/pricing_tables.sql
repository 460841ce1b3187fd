-- Effective-dated prices: the guide's Step 2 prices, overlap rejection, closing an open row,
-- checked prices and structures, and price_for at the boundaries of each period.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
-- Dates below mean 00:00 UTC, as in the domain rules (a bare date is read in TimeZone).
SET TimeZone = 'UTC';

-- The migration guide's Step 2 (an --end-date day is the last day: stored as the next midnight).
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4-turbo', 10.0, 30.0, '2024-04-09'),
       ('anthropic', 'claude-3-5-sonnet-20241022', 3.0, 15.0, '2024-10-22');
INSERT INTO cost_ops.pricing_tables
    (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-4', 30.0, 60.0, '2023-03-14', '2024-04-09');
SELECT provider, model, effective_date, end_date, input_price, output_price, source
  FROM cost_ops.pricing_tables ORDER BY id;

-- Overlapping periods of one model are rejected; other models are independent.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-4', 1, 2, '2024-04-01', '2024-05-01');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4', 1, 2, '2023-01-01');
-- Adjacent periods do not overlap ([start, end) ranges).
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('openai', 'gpt-4', 60, 120, '2023-01-01', '2023-03-14');

-- A later open-ended price closes the current open-ended row at its start.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4-turbo', 8, 24, '2025-01-01');
SELECT model, effective_date, end_date, input_price FROM cost_ops.pricing_tables
 WHERE model = 'gpt-4-turbo' ORDER BY effective_date;
-- An earlier open-ended price would overlap the later rows: rejected, nothing changed.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date)
VALUES ('openai', 'gpt-4-turbo', 9, 27, '2024-01-01');
SELECT count(*) FROM cost_ops.pricing_tables WHERE model = 'gpt-4-turbo';

-- Prices are exact, non-negative, at most 18 fractional digits; periods run forward.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('x', 'precise', 0.083333333333333334, 1);
SELECT input_price FROM cost_ops.pricing_tables WHERE model = 'precise';
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('x', 'too-precise', 0.0833333333333333341, 1);
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('x', 'negative', -1, 1);
\set VERBOSITY terse
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('x', 'no-price', NULL, NULL);
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, effective_date, end_date)
VALUES ('x', 'backwards', 1, 1, '2024-02-01', '2024-01-01');
\set VERBOSITY default

-- pricing_structure is checked when written, with the reason.
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'tiered', 3, 15,
        '{"tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5"}],
          "request_fee": "0.001", "source": {"anything": ["else", 1]}}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'bad-tier', 3, 15, '{"tiers": [{"above_prompt_tokens": "many", "input": "6"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'bad-price', 3, 15, '{"tiers": [{"above_prompt_tokens": 10, "input": "six"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'bad-order', 3, 15,
        '{"tiers": [{"above_prompt_tokens": 10, "input": "1"}, {"above_prompt_tokens": 5, "input": "2"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'bad-window', 3, 15, '{"time_of_day": [{"from": "25:00", "to": "16:30", "input": "1"}]}');
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price, pricing_structure)
VALUES ('x', 'not-object', 3, 15, '[1, 2]');

-- price_for: the row valid at an instant, [effective_date, end_date).
SELECT at, (SELECT input_price FROM cost_ops.price_for('openai', 'gpt-4', at)) AS input_price
  FROM (VALUES ('2022-12-31 23:59:59.999999+00'::timestamptz), ('2023-01-01 00:00:00+00'),
               ('2023-03-13 23:59:59.999999+00'), ('2023-03-14 00:00:00+00'),
               ('2024-04-08 23:59:59.999999+00'), ('2024-04-09 00:00:00+00'),
               ('infinity')) AS t(at);
SELECT input_price FROM cost_ops.price_for('openai', 'gpt-4-turbo', '2024-04-09 00:00:00+00');
SELECT input_price FROM cost_ops.price_for('openai', 'gpt-4-turbo', '2025-01-01 00:00:00+00');
SELECT input_price FROM cost_ops.price_for('openai', 'gpt-4-turbo', 'infinity');
-- A time zone is honoured: 2024-04-08 20:00 in New York is 2024-04-09 00:00 UTC.
SELECT input_price FROM cost_ops.price_for('openai', 'gpt-4', '2024-04-08 20:00:00-04');
SELECT count(*) FROM cost_ops.price_for('openai', 'gpt-4', NULL);
SELECT count(*) FROM cost_ops.price_for('openai', 'GPT-4', '2024-01-01');
-- A price with no known start (the default) is valid at any earlier time.
SELECT effective_date FROM cost_ops.price_for('x', 'precise', '1970-01-01');
