-- usage_records partitioned by month: routing, the pricing trigger on every partition,
-- identities unique in each month, create_partitions moving rows out of the default
-- partition, detach/drop for retention, and the daily rollup equal to the raw sums throughout.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS llm_cost_ops CASCADE;
CREATE EXTENSION llm_cost_ops CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = ISO;

INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
VALUES ('openai', 'gpt-4o', 2.50, 10);

-- The rollup against the raw rows: every difference (none expected), then the row counts.
CREATE FUNCTION pg_temp.rollup_differences() RETURNS TABLE (side text, day date, model text,
    records bigint, priced bigint, prompt numeric, total_tokens numeric, input text, output text,
    total text)
LANGUAGE sql AS $$
    WITH raw AS (
        SELECT ("timestamp" AT TIME ZONE 'UTC')::date AS day, provider, model, organization_id,
               project_id, count(*) AS records, count(total_cost) AS priced,
               sum(prompt_tokens) AS prompt, sum(total_tokens) AS total_tokens,
               cost_ops.sum(input_cost)::text AS input, cost_ops.sum(output_cost)::text AS output,
               cost_ops.sum(total_cost)::text AS total
          FROM cost_ops.usage_records GROUP BY 1, 2, 3, 4, 5),
    rolled AS (
        SELECT day, provider, model, organization_id, project_id, sum(records)::bigint AS records,
               sum(priced_records)::bigint AS priced, sum(prompt_tokens) AS prompt,
               sum(total_tokens) AS total_tokens,
               CASE WHEN sum(input_costed) > 0 THEN cost_ops.sum(input_cost)::text END AS input,
               CASE WHEN sum(output_costed) > 0 THEN cost_ops.sum(output_cost)::text END AS output,
               CASE WHEN sum(priced_records) > 0 THEN cost_ops.sum(total_cost)::text END AS total
          FROM cost_ops.daily_costs GROUP BY 1, 2, 3, 4, 5 HAVING sum(records) <> 0)
    (SELECT 'raw only', day, model, records, priced, prompt, total_tokens, input, output, total
       FROM (SELECT * FROM raw EXCEPT SELECT * FROM rolled) AS a)
    UNION ALL
    (SELECT 'rollup only', day, model, records, priced, prompt, total_tokens, input, output, total
       FROM (SELECT * FROM rolled EXCEPT SELECT * FROM raw) AS b)
$$;

-- Only the default partition at first: every instant has a place.
SELECT partition, range_start, range_end FROM cost_ops.partitions();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-31T23:59:59.999999Z', 'openai', 'gpt-4o', 'org-a', 'jan', 1000, 100),
       ('2025-02-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'feb', 2000, 200);

-- Months January to March 2025: January's and February's rows move out of the default
-- partition with their ids and costs; the rollup is untouched.
SELECT cost_ops.create_partitions('2025-03-31', '2025-01-01');
SELECT cost_ops.create_partitions('2025-02-10', '2025-01-01');  -- nothing left to make
SELECT partition, range_start, range_end, records, total_cost FROM cost_ops.partitions();
-- By hand: jan 1000 * 2.50 + 100 * 10 = 3500 -> 0.0035; feb 2000 * 2.50 + 200 * 10 -> 0.007.
SELECT u.tableoid::regclass, u.id, u.request_id, u.total_cost FROM cost_ops.usage_records AS u
 ORDER BY u.id;
SELECT * FROM pg_temp.rollup_differences();

-- Rows are routed by their instant (the bounds are UTC months: 23:00 at -02:00 on 31 March is
-- April, which has no partition yet) and priced on every partition.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
                                    request_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'p1', 'mar-1', 400000, 0),
       ('2025-03-31T23:00:00-02:00', 'openai', 'gpt-4o', 'org-a', 'p1', 'apr-1', 0, 1000),
       ('2025-03-02T00:00:00Z', 'openai', 'no-such-model', 'org-a', NULL, 'mar-2', 5, 5);
SELECT u.tableoid::regclass, u.request_id, u.total_cost, u.unpriced_reason
  FROM cost_ops.usage_records AS u ORDER BY u.request_id;

-- A record's identity is unique in its month (its partition): the same request id again in
-- that month is refused, by INSERT or COPY (the unique violation 1.3 gave); in another month
-- it is another record.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-15T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'jan', 1, 1);
COPY cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                             prompt_tokens, completion_tokens) FROM stdin;
2025-02-15T00:00:00Z	openai	gpt-4o	org-a	feb	1	1
\.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-03-15T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'twice', 1, 1),
       ('2025-03-16T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'twice', 1, 1);
-- Another organization or provider is another identity; so is a content key (unique in its
-- month too).
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    record_key, prompt_tokens, completion_tokens)
VALUES ('2025-03-15T00:00:00Z', 'openai', 'gpt-4o', 'org-b', 'jan', NULL, 10, 0),
       ('2025-03-16T00:00:00Z', 'openai', 'gpt-4o', 'org-b', NULL,
        'a0000000-0000-0000-0000-000000000001', 20, 0);
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, record_key,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-03-17T00:00:00Z', 'openai', 'gpt-4o', 'org-c', 'a0000000-0000-0000-0000-000000000001', 1, 0);
SELECT u.tableoid::regclass, u.request_id, u.organization_id, u.record_key
  FROM cost_ops.usage_records AS u ORDER BY u.id;
SELECT * FROM pg_temp.rollup_differences();

-- Moving a row to another month (a cross-partition update) reprices it for its new instant
-- and moves its rollup day; its identity goes with it (a second such row there is refused).
UPDATE cost_ops.usage_records SET "timestamp" = '2025-01-20T00:00:00Z' WHERE request_id = 'mar-1';
SELECT u.tableoid::regclass, u."timestamp", u.total_cost
  FROM cost_ops.usage_records AS u WHERE u.request_id = 'mar-1';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-01-02T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'mar-1', 1, 1);
-- A changed request id frees the old one.
UPDATE cost_ops.usage_records SET request_id = 'mar-2b' WHERE request_id = 'mar-2';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-03-03T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'mar-2', 100, 0);
SELECT * FROM pg_temp.rollup_differences();

-- The rollup stays exact through a reprice (a price corrected), an update and deletes, and
-- through statements naming a partition itself.
UPDATE cost_ops.pricing_tables SET input_price = 3 WHERE model = 'gpt-4o';
SELECT records, changed, old_total, new_total FROM cost_ops.reprice(reason => 'corrected');
SELECT * FROM pg_temp.rollup_differences();
UPDATE cost_ops.usage_records SET project_id = 'p2' WHERE request_id = 'feb';
DELETE FROM cost_ops.usage_records WHERE request_id = 'apr-1';
DELETE FROM cost_ops.usage_records_2025_01 WHERE request_id = 'mar-1';
INSERT INTO cost_ops.usage_records_2025_01 ("timestamp", provider, model, organization_id,
                                            request_id, prompt_tokens, completion_tokens)
VALUES ('2025-01-21T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'direct', 1000000, 0);
INSERT INTO cost_ops.usage_records_2025_01 ("timestamp", provider, model, organization_id,
                                            request_id, prompt_tokens, completion_tokens)
VALUES ('2025-01-22T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'feb', 1, 0);
SELECT * FROM pg_temp.rollup_differences();
-- By hand, at 3 / 10: jan 3000 + 1000 = 0.004 and, inserted into its partition itself, direct
-- 1000000 * 3 = 3 and request id feb again, in January: 1 * 3 = 0.000003 (another month,
-- another record); feb 6000 + 2000 = 0.008; mar-2
-- 100 * 3 -> 0.0003; org-b jan 10 * 3 = 0.00003, its keyed row 0.00006; mar-2b unpriced.
SELECT day, project_id, organization_id, sum(records) AS records,
       sum(priced_records) AS priced_records, sum(prompt_tokens) AS prompt_tokens,
       cost_ops.sum(total_cost) AS total_cost
  FROM cost_ops.daily_costs GROUP BY day, provider, model, organization_id, project_id
 HAVING sum(records) <> 0 ORDER BY day, organization_id, project_id;
-- Each statement appended its changes; compacted, one row per key, the same sums.
SELECT count(*) > 1 AS appended FROM cost_ops.daily_costs;
SELECT cost_ops.compact_daily_costs() AS rows_left;
SELECT * FROM pg_temp.rollup_differences();
SELECT cost_ops.sum(total_cost) FROM cost_ops.daily_costs;
SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records;

-- Retention: partitions ending at or before the instant leave the table, with their rollup
-- days (their request ids can be stored again). Detached, a partition is a table
-- of its own (its rows and no triggers of the extension's); dropped, it is gone.
SELECT partition, range_start, records, total_cost FROM cost_ops.detach_partitions('2025-02-01');
SELECT partition FROM cost_ops.partitions();
SELECT count(*), cost_ops.sum(total_cost) FROM cost_ops.usage_records_2025_01_detached;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'cost_ops.usage_records_2025_01_detached'::regclass;
-- The month's name is free again: January can be made anew (and is dropped with the others).
SELECT cost_ops.create_partitions('2025-01-31', '2025-01-01');
SELECT * FROM pg_temp.rollup_differences();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-03-20T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'direct', 1, 0);
SELECT partition FROM cost_ops.detach_partitions('2025-03-01', drop_them => true);
SELECT to_regclass('cost_ops.usage_records_2025_02');
SELECT * FROM pg_temp.rollup_differences();
-- Nothing to do: no partition ends that early; the default partition is never detached.
SELECT * FROM cost_ops.detach_partitions('2024-01-01');
SELECT cost_ops.forget_partition_rows('cost_ops.usage_records_default');

-- TRUNCATE of a monthly partition forgets its rows; of the table, everything.
TRUNCATE cost_ops.usage_records_2025_03;
SELECT * FROM pg_temp.rollup_differences();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2030-01-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'later', 1, 0);
TRUNCATE cost_ops.usage_records;
SELECT count(*) AS rollup_rows FROM cost_ops.daily_costs;

-- A bulk load with the rollup's triggers disabled leaves it stale (daily_costs_kept() says
-- so, and cost-ops summary then sums the rows); rebuild_daily_costs() makes it exact again.
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted;
SELECT cost_ops.daily_costs_kept();
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2025-03-04T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'bulk-1', 1000, 0),
       ('2025-03-04T01:00:00Z', 'openai', 'gpt-4o', 'org-a', 'bulk-2', 2000, 0);
SELECT count(*) AS missing_from_rollup FROM pg_temp.rollup_differences();
-- Meanwhile partitions() counts the month's rows, not the stale rollup (3000 * 3 -> 0.009).
SELECT partition, records, total_cost FROM cost_ops.partitions()
 WHERE range_start = '2025-03-01T00:00:00Z';
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted;
-- Enabled again, the rollup still misses the rows stored meanwhile: not kept until rebuilt.
SELECT cost_ops.daily_costs_kept() AS kept_before_rebuild;
SELECT cost_ops.rebuild_daily_costs() AS rollup_rows;
SELECT cost_ops.daily_costs_kept();
SELECT * FROM pg_temp.rollup_differences();
-- By hand at 3: 3000 * 3 = 9000 -> 0.009.
SELECT day, records, total_cost FROM cost_ops.daily_costs;
-- A partition's own rollup trigger disabled (it keeps the rollup for statements naming the
-- partition) leaves the rollup stale just the same (1.6).
ALTER TABLE cost_ops.usage_records_2025_03 DISABLE TRIGGER usage_records_inserted;
SELECT cost_ops.daily_costs_triggers_enabled(), cost_ops.daily_costs_kept();
INSERT INTO cost_ops.usage_records_2025_03 ("timestamp", provider, model, organization_id,
                                            request_id, prompt_tokens, completion_tokens)
VALUES ('2025-03-04T02:00:00Z', 'openai', 'gpt-4o', 'org-a', 'direct-1', 1000, 0);
SELECT count(*) AS missing_from_rollup FROM pg_temp.rollup_differences();
ALTER TABLE cost_ops.usage_records_2025_03 ENABLE TRIGGER usage_records_inserted;
-- A REPLICA-only trigger does not fire in ordinary sessions: not kept either.
ALTER TABLE cost_ops.usage_records ENABLE REPLICA TRIGGER usage_records_updated;
SELECT cost_ops.daily_costs_triggers_enabled();
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_updated;
SELECT cost_ops.daily_costs_kept() AS kept_before_rebuild;
SELECT cost_ops.rebuild_daily_costs() AS rollup_rows;
SELECT cost_ops.daily_costs_kept();
SELECT * FROM pg_temp.rollup_differences();
TRUNCATE cost_ops.usage_records;

-- The default partition's records and cost: instants no monthly partition covers (1.6).
-- By hand at 3: 1000 * 3 -> 0.003 each.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2031-05-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'far-1', 1000, 0),
       ('2031-05-02T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'far-2', 1000, 0),
       ('2025-03-05T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'in-march', 1000, 0);
SELECT partition, records, total_cost FROM cost_ops.partitions()
 WHERE range_start IS NULL OR range_start = '2025-03-01T00:00:00Z';
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted;
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('2031-05-03T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'far-3', 1000, 0);
ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted;
-- Stale, from the rows: three in the default partition.
SELECT partition, records, total_cost FROM cost_ops.partitions() WHERE range_start IS NULL;
SELECT cost_ops.rebuild_daily_costs() AS rollup_rows;
TRUNCATE cost_ops.usage_records;

DROP TABLE cost_ops.usage_records_2025_01_detached;

-- Errors.
SELECT cost_ops.create_partitions(NULL);
SELECT cost_ops.create_partitions('2025-01-01', '2025-06-01');
-- No month holds an infinite instant (and an infinite through would never end) (1.6).
SELECT cost_ops.create_partitions('infinity');
SELECT cost_ops.create_partitions('2025-01-01', '-infinity');
-- Without since, the first month is the default partition's earliest row's: one at -infinity,
-- or decades back (a wrong timestamp), is refused rather than made hundreds of months.
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('-infinity', 'openai', 'gpt-4o', 'org-a', 'never', 1000, 0);
SELECT cost_ops.create_partitions('2025-06-30');
DELETE FROM cost_ops.usage_records WHERE request_id = 'never';
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, request_id,
                                    prompt_tokens, completion_tokens)
VALUES ('1970-01-01T00:00:00Z', 'openai', 'gpt-4o', 'org-a', 'epoch', 1000, 0);
SELECT cost_ops.create_partitions('2025-06-30');
-- Given since, as many as asked.
SELECT cost_ops.create_partitions('1970-02-28', '1970-01-01');
SELECT partition, records, total_cost FROM cost_ops.partitions() WHERE range_start < '2000-01-01';
SELECT partition, records FROM cost_ops.detach_partitions('1970-03-01', drop_them => true);
SELECT * FROM pg_temp.rollup_differences();
