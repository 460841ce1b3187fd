-- Forecasting and anomaly detection in SQL (issue 6): the core's exact figures on the hand
-- cases of tests/core/test_forecast.cpp and test_anomaly.cpp, then the usage_records wrappers on
-- records whose costs are those series (1 USD per 1M input tokens: y USD = y * 10^6 tokens).
-- tests/cli/test_forecast_anomalies.sh checks that these functions and the CLI agree on the
-- nine replayed weeks of the demo data.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- y_t = 10 + t, plus 5 on Saturdays and Sundays, for 36 days from Monday 2024-01-01.
CREATE TEMP VIEW weekly_line AS
SELECT DATE '2024-01-01' + t AS day,
       cost_ops.cost(10 + t + CASE WHEN t % 7 >= 5 THEN 5 ELSE 0 END) AS cost, t
  FROM generate_series(0, 35) AS t;

-- Fitted on 14 days the line is exact: slope 1, level 23 at t=13, weekend effect 5, residuals
-- 0: t=14 (Monday) 24, t=19 (Saturday) 23 + 6 + 5 = 34; the week sums to 189 + 10 = 199.
SELECT * FROM cost_ops.forecast_series(
    (SELECT array_agg(day ORDER BY day) FROM weekly_line WHERE t < 14),
    (SELECT array_agg(cost ORDER BY day) FROM weekly_line WHERE t < 14), 7);
SELECT cost_ops.sum(forecast) AS week FROM cost_ops.forecast_series(
    (SELECT array_agg(day) FROM weekly_line WHERE t < 14),
    (SELECT array_agg(cost) FROM weekly_line WHERE t < 14), 7);

-- Noise on Tuesday t=1 (8) and Thursday t=3 (15): Tuesday's effect -1.5, the 10th and 90th
-- percentile residuals -1 and 1: Tuesday t=15 is 23.5 in 22.5..24.5. Days given out of order
-- and a day given twice (its costs summed) change nothing.
SELECT * FROM cost_ops.forecast_series(
    (SELECT array_agg(day ORDER BY day DESC) || DATE '2024-01-05' FROM weekly_line WHERE t < 14),
    (SELECT array_agg(CASE t WHEN 1 THEN cost_ops.cost(8) WHEN 3 THEN cost_ops.cost(15) WHEN 4 THEN cost_ops.cost(0) ELSE cost END ORDER BY day DESC) || cost_ops.cost(14)
       FROM weekly_line WHERE t < 14), 2);

-- Backtest on 28 days: the method is exact (MAE 0); the naive last-week repeat is off by 7 then
-- 14: MAE 10.5, WAPE 147 * 100 / 447.
SELECT * FROM cost_ops.forecast_backtest(
    (SELECT array_agg(day) FROM weekly_line WHERE t < 28),
    (SELECT array_agg(cost) FROM weekly_line WHERE t < 28));
-- Under 28 days: no row; under 14: an error.
SELECT count(*) FROM cost_ops.forecast_backtest(
    (SELECT array_agg(day) FROM weekly_line WHERE t < 27), (SELECT array_agg(cost) FROM weekly_line WHERE t < 27));
SELECT * FROM cost_ops.forecast_series(ARRAY[DATE '2024-01-01', '2024-01-13'], ARRAY[cost_ops.cost(1), cost_ops.cost(2)], 1);
SELECT * FROM cost_ops.forecast_series(ARRAY[DATE '2024-01-01'], ARRAY[]::cost_ops.cost[], 1);
SELECT * FROM cost_ops.forecast_series(ARRAY[DATE '2024-01-01', NULL], ARRAY[cost_ops.cost(1), cost_ops.cost(2)], 1);
SELECT * FROM cost_ops.forecast_series((SELECT array_agg(day) FROM weekly_line), (SELECT array_agg(cost) FROM weekly_line), 0);

-- Anomalies: buckets 100..128 of 1s, with 10, 12, 11, 13 and 30 on buckets 100, 107, 114, 121
-- and 128. Bucket 128: median 11.5, MAD 1, z = 18.5 / 1.4826; the 1s around it have a constant
-- history (no z) and do not move: not flagged. Bucket 127 has only 3 weeks behind it.
CREATE TEMP VIEW spiky AS
SELECT b::bigint AS bucket,
       CASE b WHEN 100 THEN cost_ops.cost(10) WHEN 107 THEN cost_ops.cost(12)
              WHEN 114 THEN cost_ops.cost(11) WHEN 121 THEN cost_ops.cost(13)
              WHEN 128 THEN cost_ops.cost(30) ELSE cost_ops.cost(1) END AS cost
  FROM generate_series(100, 128) AS b;
SELECT * FROM cost_ops.robust_anomalies((SELECT array_agg(bucket) FROM spiky),
    (SELECT array_agg(cost) FROM spiky), 100, 128, 100, 7, 3.5, 12);
-- The threshold is |z|: 12.48 is below 13. A bucket since beyond the series: nothing.
SELECT count(*) FROM cost_ops.robust_anomalies((SELECT array_agg(bucket) FROM spiky),
    (SELECT array_agg(cost) FROM spiky), 100, 128, 100, 7, 13, 12);
SELECT count(*) FROM cost_ops.robust_anomalies((SELECT array_agg(bucket) FROM spiky),
    (SELECT array_agg(cost) FROM spiky), 100, 128, 200, 7, 3.5, 12);
-- MAD 0 (history 10, 10, 10, 14): 1.2533 * the mean absolute deviation 1; 12 gives z 1.5958,
-- 20 gives 10 / 1.2533.
SELECT * FROM cost_ops.robust_anomalies(ARRAY[0, 7, 14, 21, 28]::bigint[],
    ARRAY[cost_ops.cost(10), cost_ops.cost(10), cost_ops.cost(10), cost_ops.cost(14), cost_ops.cost(20)],
    0, 28, 28, 7, 3.5, 12);
-- A constant history flags any change, with no z.
SELECT * FROM cost_ops.robust_anomalies(ARRAY[0, 7, 14, 21, 28]::bigint[],
    ARRAY[cost_ops.cost(5), cost_ops.cost(5), cost_ops.cost(5), cost_ops.cost(5), '5.01'::cost_ops.cost],
    0, 28, 28, 7, 3.5, 12);
SELECT * FROM cost_ops.robust_anomalies(ARRAY[0]::bigint[], ARRAY[cost_ops.cost(1)], 5, 1, 1, 7, 3.5, 12);

-- The wrappers over usage_records: the weekly line's t=0..34 as one record a day (cost y) of
-- project p. Exact, so the forecast is the line: t=35 (Monday 2024-02-05) 45, t=36 46; the
-- backtest holds out t=21..34: MAE 0 against the naive 10.5 (7 then 14 a day), WAPE
-- 147 * 100 / 545 (the sum of 10 + t over t=21..34 is 525, plus 5 on 4 weekend days).
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('test', 'per-million', 1, 0);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    request_id, prompt_tokens, completion_tokens)
SELECT day + TIME '12:00', 'test', 'per-million', 'org', 'p', 'r' || t,
       cost_ops.to_numeric(cost)::bigint * 1000000, 0
  FROM weekly_line WHERE t < 35;
SELECT cost_ops.sum(total_cost), count(*) FROM cost_ops.usage_records;
SELECT array_length(days, 1), days[1], days[array_length(days, 1)] FROM cost_ops.daily_spend(90);
SELECT * FROM cost_ops.forecast(2);
SELECT * FROM cost_ops.forecast(2, 14);   -- fitted on t=21..34 only: the same line
SELECT * FROM cost_ops.backtest();
-- A spike on t=35 (Monday 2024-02-05: 45 expected, 440 recorded) of project p; project q
-- spends 1 every day and is never flagged. p's Mondays before: 38, 31, 24, 17, 10: median 24,
-- MAD 7, z = (440 - 24) / (1.4826 * 7) = 416 / 10.3782. The days before rise along the line:
-- t=28, a Monday, 38 against 31, 24, 17, 10: z = 17.5 / 10.3782 = 1.69 < 3.5.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    request_id, prompt_tokens, completion_tokens)
VALUES ('2024-02-05 12:00', 'test', 'per-million', 'org', 'p', 'spike', 440000000, 0);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    request_id, prompt_tokens, completion_tokens)
SELECT day + TIME '13:00', 'test', 'per-million', 'org', 'q', 'q' || t, 1000000, 0
  FROM weekly_line;
SELECT * FROM cost_ops.anomalies('2024-01-29');
SELECT * FROM cost_ops.anomalies('2024-01-29', 'organization', 100);
SELECT * FROM cost_ops.anomalies('2024-01-29', 'team');
-- The drivers of p's spike (dimension project: by model and user, not project): its one model
-- and its one user (none) each hold all of it, 440 against their own Mondays' median 24:
-- "model per-million +416 (100%); user (none) +416 (100%)" (in the first query above too).
SELECT day, entity, drivers FROM cost_ops.anomalies('2024-01-29', 'project');
-- anomaly_drivers by hand: a's buckets 0..28 cost 1, 1, 1, 1 then 5 (+4), b's 2, 2, 2, 2 then
-- 3 (+1): a departure of 5 is 80% a and 20% b; the top 1 is a; a drop has no driver (NULL).
SELECT cost_ops.anomaly_drivers(ARRAY['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'],
                                ARRAY[0, 7, 14, 21, 28, 0, 7, 14, 21, 28]::bigint[],
                                ARRAY[1, 1, 1, 1, 5, 2, 2, 2, 2, 3]::cost_ops.cost[],
                                0, 28, 28, 7, 12, cost_ops.cost(5), top) AS drivers
  FROM (VALUES (2), (1)) AS v(top);
SELECT cost_ops.anomaly_drivers(ARRAY['a', 'a', 'a', 'a', 'a'], ARRAY[0, 7, 14, 21, 28]::bigint[],
                                ARRAY[1, 1, 1, 1, 5]::cost_ops.cost[], 0, 28, 28, 7, 12,
                                cost_ops.cost(-1), 2) IS NULL AS no_driver;
-- The token mix (test_anomaly.cpp's case): shares 20/100, 25/100, 20/100, 30/100 at buckets
-- 0..21, none at 28 (no tokens), 50/100 at 35: median 0.225, MAD 0.025, z = 0.275 / 0.037065.
SELECT * FROM cost_ops.robust_share_anomalies(ARRAY[0, 7, 14, 21, 28, 35]::bigint[],
                                              ARRAY[20, 25, 20, 30, 0, 50]::bigint[],
                                              ARRAY[100, 100, 100, 100, 0, 100]::bigint[],
                                              0, 35, 7, 3.5, 12);
-- Over usage_records: project mix (an unpriced model, so its spend is no anomaly) on the
-- Mondays 2024-01-08..01-29 with those shares, and 2024-02-05 at 50/100: the same departure.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    request_id, prompt_tokens, completion_tokens)
SELECT DATE '2024-01-08' + 7 * w + TIME '09:00', 'test', 'unpriced-mix', 'org', 'mix',
       'mix' || w, 100 - (ARRAY[20, 25, 20, 30, 50])[w + 1], (ARRAY[20, 25, 20, 30, 50])[w + 1]
  FROM generate_series(0, 4) AS w;
SELECT * FROM cost_ops.token_mix_anomalies('2024-01-29');
SELECT day, entity, actual FROM cost_ops.anomalies('2024-01-29');
SELECT * FROM cost_ops.token_mix_anomalies('2024-01-29', 'team');
