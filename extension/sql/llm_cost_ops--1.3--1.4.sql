-- llm_cost_ops 1.3 -> 1.4: usage_records partitioned by month, with an exact daily rollup, so
-- that hundreds of millions of rows stay cheap to load, to summarize and to retire; budgets and
-- alerts; forecasting and anomaly detection.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.4'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Scale: usage_records partitioned by month of "timestamp"
---------------------------------------------------------------------------------------------

-- usage_records becomes a table partitioned by range of "timestamp": monthly partitions made
-- ahead of time by cost_ops.create_partitions() (ordinary tables, not extension members, so
-- pg_dump dumps them with their rows), and the extension's default partition for every instant
-- no monthly partition covers, so that no insert ever fails. The 1.3 table, its rows and their
-- ids untouched, becomes that default partition; create_partitions() moves rows out of it.
-- A partitioned table's unique indexes must hold the partition key, so a record's identity
-- (request id, or content key) is unique within its partition: within its UTC month. (Unique
-- across all of time, kept in a table of its own by triggers, it made every COPY 1.65x slower.)

-- Views and foreign keys name a table by its oid: they would follow the 1.3 table into the
-- default partition and see only its rows. Stop before changing anything, naming them.
DO $$
DECLARE
    dependents text;
BEGIN
    SELECT pg_catalog.string_agg(DISTINCT pg_catalog.pg_describe_object(
               CASE WHEN w.oid IS NULL THEN d.classid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass END,
               COALESCE(w.ev_class, d.objid), 0), ', ')
      INTO dependents
      FROM pg_catalog.pg_depend AS d
      LEFT JOIN pg_catalog.pg_rewrite AS w ON w.oid OPERATOR(pg_catalog.=) d.objid
       AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
       AND d.refobjid OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
       AND d.deptype OPERATOR(pg_catalog.=) 'n'
       AND (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
            OR (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass
                AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS c
                             WHERE c.oid OPERATOR(pg_catalog.=) d.objid
                               AND c.contype OPERATOR(pg_catalog.=) 'f')));
    IF dependents IS NOT NULL THEN
        RAISE EXCEPTION 'cannot update llm_cost_ops to 1.4: objects of your own depend on cost_ops.usage_records'
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = pg_catalog.format('1.4 partitions the table by month; %s would keep '
                      'pointing at the 1.3 table, which becomes its default partition.', dependents),
                  HINT = 'Save their definitions, drop them, run ALTER EXTENSION llm_cost_ops '
                         'UPDATE (cost-ops migrate run) again, then create them again.';
    END IF;
END
$$;

-- The 1.3 table's trigger and identity sequence are the parent's from now on; it keeps its
-- primary key and BRIN index as the default partition's, and its identities become unique per
-- UTC month there too (as in every monthly partition). (Indexes are each partition's own, none
-- the parent's: pg_dump restores a partition of an extension's table only if attaching it
-- makes no index.)
DROP TRIGGER price_usage_record ON cost_ops.usage_records;
ALTER TABLE cost_ops.usage_records RENAME TO usage_records_default;
ALTER TABLE cost_ops.usage_records_default RENAME CONSTRAINT usage_records_pkey
    TO usage_records_default_pkey;
ALTER TABLE cost_ops.usage_records_default DROP CONSTRAINT usage_records_request_identity;
DROP INDEX cost_ops.usage_records_content_identity;
CREATE UNIQUE INDEX usage_records_default_request_identity ON cost_ops.usage_records_default
    (request_id, organization_id, provider,
     pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', "timestamp")));
CREATE UNIQUE INDEX usage_records_default_content_identity ON cost_ops.usage_records_default
    (record_key, pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', "timestamp")))
    WHERE record_key IS NOT NULL;
ALTER INDEX cost_ops.usage_records_timestamp RENAME TO usage_records_default_timestamp_idx;

CREATE TABLE cost_ops.usage_records (
    id bigint NOT NULL,
    "timestamp" timestamptz NOT NULL,
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    organization_id text COLLATE "C" NOT NULL,
    project_id text COLLATE "C",
    user_id text COLLATE "C",
    request_id text COLLATE "C",
    prompt_tokens bigint NOT NULL DEFAULT 0,
    completion_tokens bigint NOT NULL DEFAULT 0,
    total_tokens bigint NOT NULL,
    cached_tokens bigint NOT NULL DEFAULT 0,
    cache_write_tokens bigint NOT NULL DEFAULT 0,
    reasoning_tokens bigint NOT NULL DEFAULT 0,
    latency_ms bigint,
    input_cost cost_ops.cost,
    output_cost cost_ops.cost,
    total_cost cost_ops.cost,
    pricing_id bigint,
    metadata jsonb,
    ingested_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
    service_tier text COLLATE "C" NOT NULL DEFAULT 'standard',
    price_match text COLLATE "C",
    unpriced_reason text COLLATE "C",
    record_key uuid,
    ingest_run_id bigint,
    request_count bigint DEFAULT 1,
    request_prompt_tokens_min bigint,
    request_prompt_tokens_max bigint,
    period_end timestamptz,
    CONSTRAINT usage_records_counts_are_non_negative CHECK (
        prompt_tokens >= 0 AND completion_tokens >= 0 AND cached_tokens >= 0
        AND cache_write_tokens >= 0 AND cache_write_1h_tokens >= 0 AND reasoning_tokens >= 0),
    CONSTRAINT usage_records_cache_within_prompt
        CHECK (cached_tokens + cache_write_tokens + cache_write_1h_tokens <= prompt_tokens),
    CONSTRAINT usage_records_reasoning_within_completion
        CHECK (reasoning_tokens <= completion_tokens),
    CONSTRAINT usage_records_total_is_prompt_plus_completion
        CHECK (total_tokens = prompt_tokens + completion_tokens),
    CONSTRAINT usage_records_priced_with_a_price_row
        CHECK ((total_cost IS NULL) = (pricing_id IS NULL)),
    CONSTRAINT usage_records_metadata_is_an_object
        CHECK (metadata IS NULL OR pg_catalog.jsonb_typeof(metadata) = 'object'),
    CONSTRAINT usage_records_service_tier_is_known
        CHECK (service_tier IN ('standard', 'batch', 'priority', 'flex')),
    CONSTRAINT usage_records_request_shape_is_sound CHECK (
        request_count >= 1 AND request_prompt_tokens_min >= 0
        AND request_prompt_tokens_max >= request_prompt_tokens_min
        AND request_prompt_tokens_max >= 0),
    CONSTRAINT usage_records_period_ends_after_it_starts
        CHECK (period_end OPERATOR(pg_catalog.>) "timestamp")
) PARTITION BY RANGE ("timestamp");

-- The id sequence moves to the parent, keeping its position.
DO $$
DECLARE
    last bigint;
    called bool;
BEGIN
    SELECT s.last_value, s.is_called INTO last, called FROM cost_ops.usage_records_id_seq AS s;
    -- Out of the extension first, which also takes it out of the dumped configuration.
    ALTER EXTENSION llm_cost_ops DROP SEQUENCE cost_ops.usage_records_id_seq;
    ALTER TABLE cost_ops.usage_records_default ALTER COLUMN id DROP IDENTITY;
    ALTER TABLE cost_ops.usage_records ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
    PERFORM pg_catalog.setval('cost_ops.usage_records_id_seq', last, called);
END
$$;

ALTER TABLE cost_ops.usage_records ATTACH PARTITION cost_ops.usage_records_default DEFAULT;

CREATE TRIGGER price_usage_record
    BEFORE INSERT OR UPDATE OF "timestamp", provider, model, prompt_tokens, completion_tokens,
        total_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
        service_tier, input_cost, output_cost, total_cost, pricing_id, price_match,
        unpriced_reason, request_count, request_prompt_tokens_min, request_prompt_tokens_max,
        period_end
    ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();

COMMENT ON TABLE cost_ops.usage_records IS
    'one row per LLM request (or usage bucket), partitioned by month of "timestamp"; costs are '
    'computed by the price_usage_record trigger';
COMMENT ON TABLE cost_ops.usage_records_default IS
    'the partition of cost_ops.usage_records for instants no monthly partition covers; '
    'cost_ops.create_partitions() moves its rows to the monthly partitions it makes';
-- The columns keep their comments.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT a.attname, d.description
               FROM pg_catalog.pg_attribute AS a
               JOIN pg_catalog.pg_description AS d
                 ON d.objoid OPERATOR(pg_catalog.=) a.attrelid
                AND d.objsubid OPERATOR(pg_catalog.=) a.attnum
                AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
              WHERE a.attrelid OPERATOR(pg_catalog.=) 'cost_ops.usage_records_default'::pg_catalog.regclass
                AND NOT a.attisdropped LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN cost_ops.usage_records.%I IS %L', c.attname,
                                  c.description);
    END LOOP;
END
$$;
COMMENT ON COLUMN cost_ops.usage_records.request_id IS
    'the caller''s request id; unique per provider and organization within a UTC month (the '
    'record''s partition)';

-- Whoever could use the 1.3 table may use the partitioned one the same way, and the default
-- partition is reached through it only (as every partition: the derived tables stay right).
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT a.privilege_type,
                    CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                         ELSE pg_catalog.quote_ident(r.rolname) END AS grantee,
                    a.is_grantable
               FROM pg_catalog.pg_class AS c,
                    pg_catalog.aclexplode(c.relacl) AS a
               LEFT JOIN pg_catalog.pg_roles AS r ON r.oid OPERATOR(pg_catalog.=) a.grantee
              WHERE c.oid OPERATOR(pg_catalog.=) 'cost_ops.usage_records_default'::pg_catalog.regclass
                AND a.grantee OPERATOR(pg_catalog.<>) c.relowner LOOP
        EXECUTE pg_catalog.format('GRANT %s ON cost_ops.usage_records TO %s%s', g.privilege_type,
            g.grantee, CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        EXECUTE pg_catalog.format('REVOKE %s ON cost_ops.usage_records_default FROM %s CASCADE',
            g.privilege_type, g.grantee);
    END LOOP;
END
$$;

---------------------------------------------------------------------------------------------
-- Scale: the daily rollup
---------------------------------------------------------------------------------------------

-- Exact sums per UTC day, provider, model, organization and project, equal at every commit to
-- the sums of the rows (kept in the same statement as the rows change). Cost sums are over the
-- rows with a cost; each has the count of those rows, so a sum of none is NULL, as sum() says.
-- Append-only: each statement adds the changes it made, one row per key (negative for deleted
-- and replaced rows); a key's sums are the sums of its rows. No writer ever waits for another
-- (an upsert of a shared key would hold its row until commit: concurrent ingests of the same
-- days would wait for each other and deadlock); cost_ops.compact_daily_costs() merges them.
CREATE TABLE cost_ops.daily_costs (
    day date NOT NULL,
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    organization_id text COLLATE "C" NOT NULL,
    project_id text COLLATE "C",
    records bigint NOT NULL,
    priced_records bigint NOT NULL,
    prompt_tokens bigint NOT NULL,
    completion_tokens bigint NOT NULL,
    total_tokens bigint NOT NULL,
    cached_tokens bigint NOT NULL,
    cache_write_tokens bigint NOT NULL,
    cache_write_1h_tokens bigint NOT NULL,
    reasoning_tokens bigint NOT NULL,
    input_costed bigint NOT NULL,
    input_cost cost_ops.cost NOT NULL,
    output_costed bigint NOT NULL,
    output_cost cost_ops.cost NOT NULL,
    total_cost cost_ops.cost NOT NULL
);

COMMENT ON TABLE cost_ops.daily_costs IS
    'exact sums of cost_ops.usage_records per UTC day, provider, model, organization and '
    'project, kept by triggers in the statement that changes the rows: a key''s sums are the '
    'sums of its rows (each statement appends its changes; compact_daily_costs() merges them)';
COMMENT ON COLUMN cost_ops.daily_costs.day IS 'the UTC day of the records'' "timestamp"';
COMMENT ON COLUMN cost_ops.daily_costs.records IS
    'how many usage records (this row''s change: negative for rows deleted or replaced)';
COMMENT ON COLUMN cost_ops.daily_costs.priced_records IS
    'how many have a total_cost (the others are unpriced, not free)';
COMMENT ON COLUMN cost_ops.daily_costs.input_costed IS 'how many have an input_cost';
COMMENT ON COLUMN cost_ops.daily_costs.output_costed IS 'how many have an output_cost';
COMMENT ON COLUMN cost_ops.daily_costs.total_cost IS
    'exact sum of the total_cost of the priced records (0 when none: see priced_records)';

CREATE INDEX daily_costs_day ON cost_ops.daily_costs (day);

---------------------------------------------------------------------------------------------
-- Scale: the triggers that keep the rollup
---------------------------------------------------------------------------------------------

-- Keeps cost_ops.daily_costs in step with the rows an INSERT, UPDATE or DELETE changed: sums
-- its transition tables in C++ (one pass, exact) and appends a rollup row per key and sign,
-- then raises the budget alerts the new costs reached. SECURITY DEFINER: a role that may write
-- usage rows needs no privilege on the rollup.
CREATE FUNCTION cost_ops.usage_records_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cost_ops_usage_records_changed'
    LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION cost_ops.usage_records_changed() IS
    'trigger: keeps cost_ops.daily_costs in step with the usage rows a statement changed, and '
    'raises the budget alerts their costs reached';

-- Empties the rollup with the rows a TRUNCATE removes: all of it for the whole table, the
-- days of one monthly partition for that partition.
CREATE FUNCTION cost_ops.usage_records_truncated() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_WHEN OPERATOR(pg_catalog.=) 'AFTER' THEN
        -- The whole table (every partition).
        TRUNCATE cost_ops.daily_costs;
    ELSE
        -- One monthly partition: the days of its range.
        PERFORM cost_ops.forget_partition_rows(TG_RELID);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cost_ops.usage_records_truncated() IS
    'trigger: removes from cost_ops.daily_costs the rows a TRUNCATE of cost_ops.usage_records '
    '(or of one monthly partition) removed';

-- Subtracts the rows of monthly partition `part` from the rollup (before it is detached,
-- dropped or truncated). Its range is whole UTC days that no other
-- partition holds rows of, so the rollup rows of those days are its rows.
CREATE FUNCTION cost_ops.forget_partition_rows(part pg_catalog.regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    range_start timestamptz;
    range_end timestamptz;
BEGIN
    SELECT p.range_start, p.range_end INTO range_start, range_end
      FROM cost_ops.partitions() AS p
     WHERE p.partition OPERATOR(pg_catalog.=) part AND p.range_start IS NOT NULL;
    IF range_start IS NULL THEN
        RAISE EXCEPTION '% is not a monthly partition of cost_ops.usage_records', part
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Only the monthly partitions made by cost_ops.create_partitions() can '
                           'be forgotten whole.',
                  HINT = 'SELECT * FROM cost_ops.partitions() lists them.';
    END IF;
    DELETE FROM cost_ops.daily_costs AS d
     WHERE d.day OPERATOR(pg_catalog.>=) (range_start AT TIME ZONE 'UTC')::pg_catalog.date
       AND d.day OPERATOR(pg_catalog.<) (range_end AT TIME ZONE 'UTC')::pg_catalog.date;
END
$$;
COMMENT ON FUNCTION cost_ops.forget_partition_rows(pg_catalog.regclass) IS
    'removes the rollup rows of the rows of a monthly partition of '
    'cost_ops.usage_records (before it leaves the table)';

CREATE TRIGGER usage_records_inserted AFTER INSERT ON cost_ops.usage_records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.usage_records_changed();
CREATE TRIGGER usage_records_updated AFTER UPDATE ON cost_ops.usage_records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.usage_records_changed();
CREATE TRIGGER usage_records_deleted AFTER DELETE ON cost_ops.usage_records
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.usage_records_changed();
CREATE TRIGGER usage_records_truncated AFTER TRUNCATE ON cost_ops.usage_records
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.usage_records_truncated();

REVOKE EXECUTE ON FUNCTION cost_ops.usage_records_changed() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.usage_records_truncated() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.forget_partition_rows(pg_catalog.regclass) FROM PUBLIC;

-- True when the rollup triggers of cost_ops.usage_records are all enabled.
CREATE FUNCTION cost_ops.daily_costs_triggers_enabled() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.count(*) OPERATOR(pg_catalog.=) 4
      FROM pg_catalog.pg_trigger AS t
     WHERE t.tgrelid OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
       AND t.tgname OPERATOR(pg_catalog.=) ANY (ARRAY['usage_records_inserted',
           'usage_records_updated', 'usage_records_deleted', 'usage_records_truncated'])
       AND t.tgenabled OPERATOR(pg_catalog.<>) 'D'
$$;
COMMENT ON FUNCTION cost_ops.daily_costs_triggers_enabled() IS
    'true when the triggers that keep cost_ops.daily_costs are all enabled';

-- Whether the rollup missed changes: a row from the moment a trigger that keeps it is disabled
-- (the event trigger below) until rebuild_daily_costs() runs with them all enabled; dumped, so a
-- restored copy knows it too.
CREATE TABLE cost_ops.daily_costs_stale (
    since timestamptz NOT NULL,
    only_row boolean NOT NULL DEFAULT true PRIMARY KEY CHECK (only_row)
);
COMMENT ON TABLE cost_ops.daily_costs_stale IS
    'a row while cost_ops.daily_costs misses changes: since a trigger keeping it was disabled, '
    'until cost_ops.rebuild_daily_costs() (summaries sum the rows meanwhile)';
SELECT pg_catalog.pg_extension_config_dump('cost_ops.daily_costs_stale', '');

-- Marks the rollup stale when an ALTER TABLE left one of its triggers on usage_records
-- disabled: rows stored meanwhile are not in it, even after the trigger is enabled again.
CREATE FUNCTION cost_ops.note_rollup_triggers() RETURNS event_trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF pg_catalog.to_regclass('cost_ops.usage_records') IS NOT NULL
       AND NOT cost_ops.daily_costs_triggers_enabled() THEN
        INSERT INTO cost_ops.daily_costs_stale (since) VALUES (pg_catalog.now())
            ON CONFLICT DO NOTHING;
    END IF;
END
$$;
COMMENT ON FUNCTION cost_ops.note_rollup_triggers() IS
    'event trigger: marks cost_ops.daily_costs stale when a trigger keeping it is disabled';
CREATE EVENT TRIGGER cost_ops_note_rollup_triggers ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION cost_ops.note_rollup_triggers();

-- Recomputes cost_ops.daily_costs from the rows (one row per key), for a rollup that was not
-- kept: after its triggers were disabled for a bulk load, or on a copy whose rollup was lost.
-- Writers of usage wait while it runs; returns how many rollup rows it made.
CREATE FUNCTION cost_ops.rebuild_daily_costs() RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    made bigint;
BEGIN
    LOCK TABLE cost_ops.usage_records IN SHARE MODE;
    LOCK TABLE cost_ops.daily_costs IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM cost_ops.daily_costs;
    INSERT INTO cost_ops.daily_costs
    SELECT (u."timestamp" AT TIME ZONE 'UTC')::pg_catalog.date, u.provider, u.model,
           u.organization_id, u.project_id, pg_catalog.count(*), pg_catalog.count(u.total_cost),
           pg_catalog.sum(u.prompt_tokens), pg_catalog.sum(u.completion_tokens),
           pg_catalog.sum(u.total_tokens), pg_catalog.sum(u.cached_tokens),
           pg_catalog.sum(u.cache_write_tokens), pg_catalog.sum(u.cache_write_1h_tokens),
           pg_catalog.sum(u.reasoning_tokens),
           pg_catalog.count(u.input_cost), COALESCE(cost_ops.sum(u.input_cost), '0'),
           pg_catalog.count(u.output_cost), COALESCE(cost_ops.sum(u.output_cost), '0'),
           COALESCE(cost_ops.sum(u.total_cost), '0')
      FROM cost_ops.usage_records AS u
     GROUP BY 1, 2, 3, 4, 5;
    GET DIAGNOSTICS made = ROW_COUNT;
    -- Exact again, and kept from now on if every trigger is enabled.
    IF cost_ops.daily_costs_triggers_enabled() THEN
        DELETE FROM cost_ops.daily_costs_stale;
    END IF;
    RETURN made;
END
$$;
COMMENT ON FUNCTION cost_ops.rebuild_daily_costs() IS
    'recomputes cost_ops.daily_costs from cost_ops.usage_records (after its triggers were '
    'disabled for a bulk load); returns the rollup rows made';

-- True when cost_ops.daily_costs equals the sums of the rows: its triggers are enabled and
-- have not been disabled since the last rebuild_daily_costs().
CREATE FUNCTION cost_ops.daily_costs_kept() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT cost_ops.daily_costs_triggers_enabled()
           AND NOT EXISTS (SELECT 1 FROM cost_ops.daily_costs_stale)
$$;
COMMENT ON FUNCTION cost_ops.daily_costs_kept() IS
    'true when cost_ops.daily_costs equals the sums of the rows: its triggers are enabled and '
    'were not disabled since the last rebuild_daily_costs()';

-- The rows 1.3 stored.
SELECT cost_ops.rebuild_daily_costs();

---------------------------------------------------------------------------------------------
-- Scale: making, listing and detaching partitions
---------------------------------------------------------------------------------------------

-- Every partition of usage_records with its range (NULL for the default partition) and, from
-- the rollup, its records and cost.
CREATE FUNCTION cost_ops.partitions(
        OUT partition pg_catalog.regclass, OUT range_start timestamptz, OUT range_end timestamptz,
        OUT records bigint, OUT total_cost cost_ops.cost)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT b.part, b.bounds[1]::timestamptz, b.bounds[2]::timestamptz, s.records, s.total_cost
      FROM (SELECT i.inhrelid::pg_catalog.regclass AS part,
                   pg_catalog.regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                       'FROM \(''([^'']*)''\) TO \(''([^'']*)''\)') AS bounds
              FROM pg_catalog.pg_inherits AS i
              JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
             WHERE i.inhparent OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass) AS b
      CROSS JOIN (SELECT cost_ops.daily_costs_kept() AS kept) AS k
      LEFT JOIN LATERAL (
           -- The month's sums from the rollup while it is kept ...
           SELECT COALESCE(pg_catalog.sum(d.records)::pg_catalog.int8, 0) AS records,
                  CASE WHEN pg_catalog.sum(d.priced_records) OPERATOR(pg_catalog.>) 0
                       THEN cost_ops.sum(d.total_cost) END AS total_cost
             FROM cost_ops.daily_costs AS d
            WHERE k.kept
              AND d.day OPERATOR(pg_catalog.>=) (b.bounds[1]::timestamptz AT TIME ZONE 'UTC')::pg_catalog.date
              AND d.day OPERATOR(pg_catalog.<) (b.bounds[2]::timestamptz AT TIME ZONE 'UTC')::pg_catalog.date
           HAVING k.kept
           UNION ALL
           -- ... from the rows while it is stale (a bulk load with its trigger off).
           SELECT pg_catalog.count(*), cost_ops.sum(u.total_cost)
             FROM cost_ops.usage_records AS u
            WHERE NOT k.kept
              AND u."timestamp" OPERATOR(pg_catalog.>=) b.bounds[1]::timestamptz
              AND u."timestamp" OPERATOR(pg_catalog.<) b.bounds[2]::timestamptz
           HAVING NOT k.kept) AS s ON b.bounds IS NOT NULL
     ORDER BY 2 NULLS FIRST
$$;
COMMENT ON FUNCTION cost_ops.partitions() IS
    'the partitions of cost_ops.usage_records: each month''s range (NULL for the default '
    'partition) and its records and exact cost (from cost_ops.daily_costs, or from the rows '
    'while it is stale)';

-- Makes the monthly partitions (UTC months) from `since` (default: the earliest row of the
-- default partition, or now) through the month of `through`, moving into each the rows the
-- default partition holds for it (ids, costs and rollup unchanged).
CREATE FUNCTION cost_ops.create_partitions(through timestamptz, since timestamptz DEFAULT NULL)
    RETURNS SETOF pg_catalog.regclass
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    month timestamp;
    last_month timestamp;
    name text;
    part pg_catalog.regclass;
    columns text;
BEGIN
    IF through IS NULL THEN
        RAISE EXCEPTION 'cost_ops.create_partitions() needs the last instant to cover'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'through is NULL.',
                  HINT = 'For example: SELECT cost_ops.create_partitions(now() + interval ''3 months'');';
    END IF;
    -- No row may reach the default partition while its rows are moved.
    LOCK TABLE cost_ops.usage_records_default IN EXCLUSIVE MODE;
    month := pg_catalog.date_trunc('month', COALESCE(since,
        (SELECT pg_catalog.min(u."timestamp") FROM cost_ops.usage_records_default AS u),
        pg_catalog.now()) AT TIME ZONE 'UTC');
    last_month := pg_catalog.date_trunc('month', through AT TIME ZONE 'UTC');
    IF month OPERATOR(pg_catalog.>) last_month THEN
        RAISE EXCEPTION 'cost_ops.create_partitions(): % is before the first month to make, %',
                through, pg_catalog.to_char(month, 'YYYY-MM')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The first month is since''s, else the earliest row''s of the default '
                           'partition, else this month.',
                  HINT = 'Give since (e.g. create_partitions(''2025-04-01'', ''2025-01-01'')).';
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
      INTO columns
      FROM pg_catalog.pg_attribute AS a
     WHERE a.attrelid OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
       AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    WHILE month OPERATOR(pg_catalog.<=) last_month LOOP
        name := 'usage_records_' || pg_catalog.to_char(month, 'YYYY_MM');
        IF pg_catalog.to_regclass('cost_ops.' || name) IS NULL THEN
            EXECUTE pg_catalog.format('CREATE TABLE cost_ops.%I (LIKE cost_ops.usage_records '
                'INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', name);
            part := ('cost_ops.' || name)::pg_catalog.regclass;
            -- A row inserted into the partition itself takes its id from the same sequence.
            EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN id SET DEFAULT '
                'pg_catalog.nextval(%L::pg_catalog.regclass)', part, 'cost_ops.usage_records_id_seq');
            -- Each partition's primary key (ids are unique: one sequence), a record's identity
            -- (unique within the month, as in the default partition) and BRIN index (usage
            -- arrives roughly in time order), made after the move.
            -- A raw move: neither table has triggers for it (the default partition has none
            -- of its own; the new one gets them when attached).
            EXECUTE pg_catalog.format('WITH moved AS (DELETE FROM cost_ops.usage_records_default AS u '
                'WHERE u."timestamp" >= %L AND u."timestamp" < %L RETURNING %s) '
                'INSERT INTO %s (%s) SELECT %s FROM moved', month AT TIME ZONE 'UTC',
                (month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval) AT TIME ZONE 'UTC',
                columns, part, columns, columns);
            EXECUTE pg_catalog.format('ALTER TABLE %s ADD PRIMARY KEY (id)', part);
            EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I '
                'UNIQUE (request_id, organization_id, provider)', part, name || '_request_identity');
            EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON %s (record_key) '
                'WHERE record_key IS NOT NULL', name || '_content_identity', part);
            EXECUTE pg_catalog.format('CREATE INDEX ON %s USING brin ("timestamp")', part);
            EXECUTE pg_catalog.format('ALTER TABLE cost_ops.usage_records ATTACH PARTITION %s '
                'FOR VALUES FROM (%L) TO (%L)', part, month AT TIME ZONE 'UTC',
                (month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval) AT TIME ZONE 'UTC');
            -- Statements naming the partition itself keep the rollup too.
            EXECUTE pg_catalog.format('CREATE TRIGGER usage_records_inserted AFTER INSERT ON %s '
                'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                'EXECUTE FUNCTION cost_ops.usage_records_changed()', part);
            EXECUTE pg_catalog.format('CREATE TRIGGER usage_records_updated AFTER UPDATE ON %s '
                'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
                'EXECUTE FUNCTION cost_ops.usage_records_changed()', part);
            EXECUTE pg_catalog.format('CREATE TRIGGER usage_records_deleted AFTER DELETE ON %s '
                'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                'EXECUTE FUNCTION cost_ops.usage_records_changed()', part);
            EXECUTE pg_catalog.format('CREATE TRIGGER usage_records_truncated BEFORE TRUNCATE '
                'ON %s FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.usage_records_truncated()',
                part);
            EXECUTE pg_catalog.format('COMMENT ON TABLE %s IS %L', part,
                'usage records of ' || pg_catalog.to_char(month, 'YYYY-MM') || ' (UTC), a '
                'partition of cost_ops.usage_records');
            RETURN NEXT part;
        ELSIF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits AS i
                           WHERE i.inhrelid OPERATOR(pg_catalog.=) ('cost_ops.' || name)::pg_catalog.regclass
                             AND i.inhparent OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'cannot make the partition of %: cost_ops.% is a table of its own',
                pg_catalog.to_char(month, 'YYYY-MM'), name
                USING ERRCODE = 'duplicate_table',
                      DETAIL = 'A table with the monthly partition''s name exists and is not a '
                               'partition of cost_ops.usage_records.',
                      HINT = 'Rename or drop it, then run create_partitions again.';
        END IF;
        month := month OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval;
    END LOOP;
END
$$;
COMMENT ON FUNCTION cost_ops.create_partitions(timestamptz, timestamptz) IS
    'makes the missing monthly partitions of cost_ops.usage_records from since (default: the '
    'earliest row of the default partition, or now) through the month of through, moving the '
    'default partition''s rows of those months into them; returns the partitions made';

-- Detaches (or drops) the monthly partitions that end at or before `older_than`, one
-- transaction: their rows leave the rollup; a detached month becomes the table
-- usage_records_YYYY_MM_detached (its indexes renamed alike), so the month can be made again.
CREATE FUNCTION cost_ops.detach_partitions(older_than timestamptz, drop_them boolean DEFAULT false,
        OUT partition text, OUT range_start timestamptz, OUT range_end timestamptz,
        OUT records bigint, OUT total_cost cost_ops.cost)
    RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    p record;
    ix record;
BEGIN
    FOR p IN SELECT * FROM cost_ops.partitions() AS l
              WHERE l.range_end OPERATOR(pg_catalog.<=) older_than ORDER BY l.range_start LOOP
        partition := p.partition::text;
        PERFORM cost_ops.forget_partition_rows(p.partition);
        EXECUTE pg_catalog.format('ALTER TABLE cost_ops.usage_records DETACH PARTITION %s',
                                  p.partition);
        IF drop_them THEN
            EXECUTE pg_catalog.format('DROP TABLE %s', p.partition);
        ELSE
            -- A detached partition is a table of its own: its changes are no longer usage, and
            -- its name goes to "..._detached" so that the month can be made again.
            EXECUTE pg_catalog.format('DROP TRIGGER usage_records_inserted ON %1$s; '
                'DROP TRIGGER usage_records_updated ON %1$s; '
                'DROP TRIGGER usage_records_deleted ON %1$s; '
                'DROP TRIGGER usage_records_truncated ON %1$s', p.partition);
            FOR ix IN SELECT c.relname FROM pg_catalog.pg_index AS i
                        JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
                       WHERE i.indrelid OPERATOR(pg_catalog.=) p.partition LOOP
                EXECUTE pg_catalog.format('ALTER INDEX cost_ops.%I RENAME TO %I', ix.relname,
                                          ix.relname || '_detached');
            END LOOP;
            EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', p.partition,
                (SELECT c.relname FROM pg_catalog.pg_class AS c
                  WHERE c.oid OPERATOR(pg_catalog.=) p.partition) || '_detached');
            partition := partition || '_detached';
        END IF;
        range_start := p.range_start;
        range_end := p.range_end;
        records := p.records;
        total_cost := p.total_cost;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION cost_ops.detach_partitions(timestamptz, boolean) IS
    'detaches (drop_them: drops) every monthly partition of cost_ops.usage_records whose range '
    'ends at or before older_than, taking its rows out of cost_ops.daily_costs; returns each '
    'with its records and cost';

-- Merges the rollup's rows into one per key (the keys whose records sum to none go: they have
-- no rows, so every sum of theirs is zero); returns how many rows are left. Writers of usage
-- wait while it runs.
CREATE FUNCTION cost_ops.compact_daily_costs() RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    left_rows bigint;
BEGIN
    LOCK TABLE cost_ops.daily_costs IN SHARE ROW EXCLUSIVE MODE;
    WITH gone AS (DELETE FROM cost_ops.daily_costs RETURNING *)
    INSERT INTO cost_ops.daily_costs
    SELECT g.day, g.provider, g.model, g.organization_id, g.project_id,
           pg_catalog.sum(g.records), pg_catalog.sum(g.priced_records),
           pg_catalog.sum(g.prompt_tokens), pg_catalog.sum(g.completion_tokens),
           pg_catalog.sum(g.total_tokens), pg_catalog.sum(g.cached_tokens),
           pg_catalog.sum(g.cache_write_tokens), pg_catalog.sum(g.cache_write_1h_tokens),
           pg_catalog.sum(g.reasoning_tokens), pg_catalog.sum(g.input_costed),
           cost_ops.sum(g.input_cost), pg_catalog.sum(g.output_costed),
           cost_ops.sum(g.output_cost), cost_ops.sum(g.total_cost)
      FROM gone AS g
     GROUP BY 1, 2, 3, 4, 5
    HAVING pg_catalog.sum(g.records) OPERATOR(pg_catalog.<>) 0;
    SELECT pg_catalog.count(*) INTO left_rows FROM cost_ops.daily_costs;
    RETURN left_rows;
END
$$;
COMMENT ON FUNCTION cost_ops.compact_daily_costs() IS
    'merges the rows of cost_ops.daily_costs into one per key (the rows usage statements '
    'append); returns how many are left';

---------------------------------------------------------------------------------------------
-- Scale: dump
---------------------------------------------------------------------------------------------

-- The default partition keeps 1.3's mark (its rows are dumped); monthly partitions are not
-- extension members, so pg_dump dumps them whole. A restore loads the partitions directly, so
-- the triggers on cost_ops.usage_records do not run and the partitions' own are made after
-- the data: the derived tables are dumped too, and come back exactly as they were.
SELECT pg_catalog.pg_extension_config_dump('cost_ops.usage_records_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.daily_costs', '');

---------------------------------------------------------------------------------------------
-- Budgets and alerts
---------------------------------------------------------------------------------------------

-- A monthly budget of an organization, or of one of its projects, with the percentages of it
-- at which an alert is raised. Months are UTC months; spend is the exact sum of the priced
-- records' total_cost in the month (unpriced records are not in it: their cost is unknown).
CREATE TABLE cost_ops.budgets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id text COLLATE "C" NOT NULL,
    project_id text COLLATE "C",
    monthly_amount cost_ops.cost NOT NULL,
    alert_at integer[] NOT NULL DEFAULT '{50,80,100}',
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT budgets_one_per_scope UNIQUE NULLS NOT DISTINCT (organization_id, project_id),
    CONSTRAINT budgets_amount_is_positive
        CHECK (monthly_amount OPERATOR(cost_ops.>) '0'::cost_ops.cost),
    CONSTRAINT budgets_thresholds_are_percentages CHECK (
        pg_catalog.cardinality(alert_at) OPERATOR(pg_catalog.>=) 1
        AND 1 OPERATOR(pg_catalog.<=) ALL (alert_at) AND 1000 OPERATOR(pg_catalog.>=) ALL (alert_at)
        AND pg_catalog.array_position(alert_at, NULL) IS NULL)
);
COMMENT ON TABLE cost_ops.budgets IS
    'monthly budgets of an organization (project_id NULL) or of one project, with the '
    'percentages that raise alerts (cost-ops budget set)';
COMMENT ON COLUMN cost_ops.budgets.monthly_amount IS 'USD per UTC month';
COMMENT ON COLUMN cost_ops.budgets.alert_at IS
    'percentages of monthly_amount at which an alert is raised, once per month each';

-- One row per threshold a budget's spend reached in a month: raised once (the unique key), in
-- the transaction whose records made the spend reach it, and published with NOTIFY
-- cost_ops_alerts when that transaction commits.
CREATE TABLE cost_ops.alerts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id bigint NOT NULL REFERENCES cost_ops.budgets (id) ON DELETE CASCADE,
    period date NOT NULL,
    threshold integer NOT NULL,
    spend cost_ops.cost NOT NULL,
    monthly_amount cost_ops.cost NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT alerts_once_per_threshold_and_month UNIQUE (budget_id, period, threshold)
);
COMMENT ON TABLE cost_ops.alerts IS
    'budget thresholds reached: one row per budget, month and threshold, raised as the records '
    'that reached it were stored (NOTIFY cost_ops_alerts with the alert''s id as JSON)';
COMMENT ON COLUMN cost_ops.alerts.period IS 'the first day of the UTC month';
COMMENT ON COLUMN cost_ops.alerts.spend IS 'the month''s exact spend when the alert was raised';
COMMENT ON COLUMN cost_ops.alerts.monthly_amount IS 'the budget then';

-- The exact spend of a budget's scope in the UTC month starting on `period` (NULL: nothing
-- priced), from the rollup when it is kept, else from the rows.
CREATE FUNCTION cost_ops.budget_spend(budget_id bigint, period date) RETURNS cost_ops.cost
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    b cost_ops.budgets;
    spend cost_ops.cost;
BEGIN
    SELECT * INTO b FROM cost_ops.budgets AS x WHERE x.id OPERATOR(pg_catalog.=) budget_id;
    IF cost_ops.daily_costs_kept() THEN
        SELECT CASE WHEN pg_catalog.sum(d.priced_records) OPERATOR(pg_catalog.>) 0
                    THEN cost_ops.sum(d.total_cost) END INTO spend
          FROM cost_ops.daily_costs AS d
         WHERE d.organization_id OPERATOR(pg_catalog.=) b.organization_id
           AND (b.project_id IS NULL OR d.project_id OPERATOR(pg_catalog.=) b.project_id)
           AND d.day OPERATOR(pg_catalog.>=) period
           AND d.day OPERATOR(pg_catalog.<) (period OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval)::pg_catalog.date;
    ELSE
        SELECT cost_ops.sum(u.total_cost) INTO spend
          FROM cost_ops.usage_records AS u
         WHERE u.organization_id OPERATOR(pg_catalog.=) b.organization_id
           AND (b.project_id IS NULL OR u.project_id OPERATOR(pg_catalog.=) b.project_id)
           AND u."timestamp" OPERATOR(pg_catalog.>=) (period::pg_catalog.timestamp AT TIME ZONE 'UTC')
           AND u."timestamp" OPERATOR(pg_catalog.<) ((period OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval) AT TIME ZONE 'UTC');
    END IF;
    RETURN spend;
END
$$;
COMMENT ON FUNCTION cost_ops.budget_spend(bigint, date) IS
    'the exact spend of a budget''s organization (or project) in the UTC month starting on period';

-- Raises the alerts of budget `budget_id` for the month starting on `period` whose threshold
-- its spend has reached and that were not raised yet; returns how many. The budget's row is
-- locked first, so that concurrent writers of its scope check one after the other, each
-- seeing what the others committed: a threshold reached by two sessions together is raised
-- once, by the second.
CREATE FUNCTION cost_ops.raise_budget_alerts(budget_id bigint, period date) RETURNS integer
    LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    b cost_ops.budgets;
    spend cost_ops.cost;
    raised integer := 0;
    a cost_ops.alerts;
BEGIN
    SELECT * INTO b FROM cost_ops.budgets AS x WHERE x.id OPERATOR(pg_catalog.=) budget_id
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    spend := cost_ops.budget_spend(budget_id, period);
    IF spend IS NULL THEN
        RETURN 0;
    END IF;
    FOR a IN
        INSERT INTO cost_ops.alerts (budget_id, period, threshold, spend, monthly_amount)
        SELECT b.id, period, t, spend, b.monthly_amount
          FROM pg_catalog.unnest(b.alert_at) AS t
         WHERE (spend OPERATOR(cost_ops.*) 100)
               OPERATOR(cost_ops.>=) (b.monthly_amount OPERATOR(cost_ops.*) t)
         ORDER BY t
        ON CONFLICT ON CONSTRAINT alerts_once_per_threshold_and_month DO NOTHING
        RETURNING *
    LOOP
        -- Only the alert's id: any role may LISTEN (PostgreSQL does not restrict channels),
        -- so the alert itself is read from cost_ops.alerts, with the reader's privileges.
        PERFORM pg_catalog.pg_notify('cost_ops_alerts',
                                     pg_catalog.json_build_object('alert_id', a.id)::text);
        raised := raised OPERATOR(pg_catalog.+) 1;
    END LOOP;
    RETURN raised;
END
$$;
COMMENT ON FUNCTION cost_ops.raise_budget_alerts(bigint, date) IS
    'raises (once each) the alerts of a budget whose thresholds its spend in the UTC month '
    'starting on period has reached; returns how many it raised';

-- The budgets whose scope the rows of a statement (`changed`: the rows with a cost, as
-- organization, project and UTC month) touch, each raising what its spend reached.
CREATE FUNCTION cost_ops.raise_alerts_for(organizations text[], projects text[],
                                          periods date[]) RETURNS integer
    LANGUAGE sql VOLATILE STRICT SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(pg_catalog.sum(cost_ops.raise_budget_alerts(s.id, s.period)), 0)::integer
      FROM (SELECT DISTINCT b.id, c.period
              FROM ROWS FROM (pg_catalog.unnest(organizations), pg_catalog.unnest(projects),
                              pg_catalog.unnest(periods)) AS c (org, project, period)
              JOIN cost_ops.budgets AS b ON b.organization_id OPERATOR(pg_catalog.=) c.org
               AND (b.project_id IS NULL OR b.project_id OPERATOR(pg_catalog.=) c.project)
             ORDER BY b.id, c.period) AS s
$$;
COMMENT ON FUNCTION cost_ops.raise_alerts_for(text[], text[], date[]) IS
    'raises the alerts of every budget whose scope one of the given (organization, project, '
    'UTC month) triples is in; returns how many';

-- Checks every budget for the months from `since` (default: this UTC month) through this one,
-- e.g. after a budget is set or lowered, or after a bulk load with the rollup off.
CREATE FUNCTION cost_ops.check_budgets(since date DEFAULT NULL) RETURNS integer
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT SECURITY DEFINER PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(pg_catalog.sum(cost_ops.raise_budget_alerts(b.id, m::pg_catalog.date)), 0)::integer
      FROM (SELECT id FROM cost_ops.budgets ORDER BY id) AS b,
           pg_catalog.generate_series(
               pg_catalog.date_trunc('month', COALESCE(since::pg_catalog.timestamp,
                                                       pg_catalog.now() AT TIME ZONE 'UTC')),
               pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC'),
               '1 month'::pg_catalog.interval) AS m
$$;
COMMENT ON FUNCTION cost_ops.check_budgets(date) IS
    'raises the alerts every budget''s spend has reached in the UTC months from since (default '
    'this month) through this one; returns how many';

REVOKE EXECUTE ON FUNCTION cost_ops.raise_budget_alerts(bigint, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.raise_alerts_for(text[], text[], date[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.check_budgets(date) FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cost_ops.budgets', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.budgets_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.alerts', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.alerts_id_seq', '');

---------------------------------------------------------------------------------------------
-- Forecasting and anomaly detection (issue 6)
---------------------------------------------------------------------------------------------
-- The exact forecast and robust anomaly scores of `cost-ops forecast` and `cost-ops
-- anomalies` (the same C++ core): over arrays of days (buckets) and costs, and over
-- cost_ops.usage_records by UTC day.

CREATE FUNCTION cost_ops.forecast_series(days date[], costs cost_ops.cost[], horizon integer)
    RETURNS TABLE (day date, forecast cost_ops.cost, low cost_ops.cost, high cost_ops.cost)
    AS 'MODULE_PATHNAME', 'cost_ops_forecast_series'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION cost_ops.forecast_series(date[], cost_ops.cost[], integer) IS
    'the daily forecast (and 80% interval) of the horizon days after the last of days; costs '
    'are summed per day, days between the first and last without a cost count 0; at least 14 '
    'days: seasonal Theil-Sen trend, median level, median weekday effects, exact';

CREATE FUNCTION cost_ops.forecast_backtest(days date[], costs cost_ops.cost[])
    RETURNS TABLE (held_out_days integer, method_mae cost_ops.cost, naive_mae cost_ops.cost,
                   method_wape_percent numeric, naive_wape_percent numeric)
    AS 'MODULE_PATHNAME', 'cost_ops_forecast_backtest'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION cost_ops.forecast_backtest(date[], cost_ops.cost[]) IS
    'the forecast fitted without the last 14 days against them: its mean absolute error per '
    'day and WAPE, and those of the naive forecast repeating the last fitted week (no row '
    'under 28 days)';

CREATE FUNCTION cost_ops.robust_anomalies(
        buckets bigint[], costs cost_ops.cost[], first_bucket bigint, last_bucket bigint,
        since bigint, period integer, threshold numeric, max_history integer)
    RETURNS TABLE (bucket bigint, actual cost_ops.cost, expected cost_ops.cost,
                   robust_z numeric, history_points integer)
    AS 'MODULE_PATHNAME', 'cost_ops_robust_anomalies'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.robust_anomalies(bigint[], cost_ops.cost[], bigint, bigint, bigint,
                                              integer, numeric, integer) IS
    'the buckets since..last_bucket whose cost departs from the buckets period, 2 * period, ... '
    'before (at most max_history, at least 4): robust z = (actual - median) / (1.4826 MAD) '
    '(1.2533 mean absolute deviation when MAD is 0; NULL, any change flagged, when constant), '
    '|z| >= threshold; the series runs from first_bucket, missing buckets 0';

CREATE FUNCTION cost_ops.robust_share_anomalies(
        buckets bigint[], parts bigint[], wholes bigint[], first_bucket bigint, since bigint,
        period integer, threshold numeric, max_history integer)
    RETURNS TABLE (bucket bigint, actual numeric, expected numeric, robust_z numeric,
                   history_points integer)
    AS 'MODULE_PATHNAME', 'cost_ops_robust_share_anomalies'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.robust_share_anomalies(bigint[], bigint[], bigint[], bigint, bigint,
                                                    integer, numeric, integer) IS
    'the buckets from since on whose share part / whole (buckets with whole > 0; counts of a '
    'bucket are summed) departs from the shares of the buckets period, 2 * period, ... before '
    'that had one, from first_bucket on (at most max_history, at least 4): the robust z of '
    'robust_anomalies, |z| >= threshold (cost-ops anomalies'' output_share metric)';

CREATE FUNCTION cost_ops.anomaly_drivers(
        keys text[], buckets bigint[], costs cost_ops.cost[], first_bucket bigint,
        last_bucket bigint, bucket bigint, period integer, max_history integer,
        departure cost_ops.cost, top integer)
    RETURNS text
    AS 'MODULE_PATHNAME', 'cost_ops_anomaly_drivers'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.anomaly_drivers(text[], bigint[], cost_ops.cost[], bigint, bigint,
                                             bigint, integer, integer, cost_ops.cost, integer) IS
    'the top keys whose cost at bucket exceeds the median of their own buckets period, '
    '2 * period, ... before (series first_bucket..last_bucket, at least 4) the most in the '
    'direction of departure, as "key +excess (share%)" joined by "; " (cost-ops anomalies'' '
    'drivers); NULL when none';

CREATE FUNCTION cost_ops.daily_spend(history_days integer,
                                     OUT days date[], OUT costs cost_ops.cost[])
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH d AS (
        SELECT pg_catalog.timezone('UTC', u."timestamp")::date AS day,
               cost_ops.sum(u.total_cost) AS cost
          FROM cost_ops.usage_records AS u
         GROUP BY 1
    ), bounds AS (
        SELECT max(d.day) AS last_day,
               max(d.day) FILTER (WHERE d.cost IS NOT NULL) AS last_priced,
               min(d.day) FILTER (WHERE d.cost IS NOT NULL) AS first_priced
          FROM d
    ), ends AS (
        -- zeros on the first and last day of the window, so the series spans it as the CLI's
        SELECT pg_catalog.unnest(ARRAY[
                   greatest(b.first_priced,
                            (b.last_day OPERATOR(pg_catalog.-) $1) OPERATOR(pg_catalog.+) 1),
                   b.last_day]) AS day,
               cost_ops.cost(0) AS cost
          FROM bounds AS b
         WHERE b.last_priced IS NOT NULL
    ), w AS (
        SELECT d.day, d.cost FROM d, bounds AS b
         WHERE d.cost IS NOT NULL
           AND d.day OPERATOR(pg_catalog.>) (b.last_day OPERATOR(pg_catalog.-) $1)
        UNION ALL
        SELECT ends.day, ends.cost FROM ends
    )
    SELECT array_agg(w.day ORDER BY w.day), array_agg(w.cost ORDER BY w.day) FROM w
$$;
COMMENT ON FUNCTION cost_ops.daily_spend(integer) IS
    'the priced spend of usage_records per UTC day over the last history_days days up to the '
    'latest record''s day, as the arrays forecast_series and forecast_backtest read';

CREATE FUNCTION cost_ops.forecast(horizon integer, history_days integer DEFAULT 90)
    RETURNS TABLE (day date, forecast cost_ops.cost, low cost_ops.cost, high cost_ops.cost)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 30
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT f.day, f.forecast, f.low, f.high
      FROM cost_ops.daily_spend($2) AS s,
           cost_ops.forecast_series(s.days, s.costs, $1) AS f
$$;
COMMENT ON FUNCTION cost_ops.forecast(integer, integer) IS
    'the daily forecast of all usage_records'' spend over the horizon days after the latest '
    'record''s day, fitted on the last history_days days (cost-ops forecast, per day)';

CREATE FUNCTION cost_ops.backtest(history_days integer DEFAULT 90)
    RETURNS TABLE (held_out_days integer, method_mae cost_ops.cost, naive_mae cost_ops.cost,
                   method_wape_percent numeric, naive_wape_percent numeric)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT b.* FROM cost_ops.daily_spend($1) AS s, cost_ops.forecast_backtest(s.days, s.costs) AS b
$$;
COMMENT ON FUNCTION cost_ops.backtest(integer) IS
    'the backtest of cost_ops.forecast on usage_records (cost-ops forecast''s backtest columns, '
    'unrounded)';

CREATE FUNCTION cost_ops.dimension_key(u cost_ops.usage_records, dimension text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE dimension WHEN 'provider' THEN u.provider WHEN 'model' THEN u.model
                WHEN 'organization' THEN u.organization_id WHEN 'project' THEN u.project_id
                WHEN 'user' THEN u.user_id END
$$;
COMMENT ON FUNCTION cost_ops.dimension_key(cost_ops.usage_records, text) IS
    'a usage record''s key in a dimension (provider, model, organization, project, user), as '
    'anomalies, token_mix_anomalies and their drivers group records';

CREATE FUNCTION cost_ops.anomalies(since date, dimension text DEFAULT 'project',
                                   threshold numeric DEFAULT 3.5, history_days integer DEFAULT 90)
    RETURNS TABLE (day date, entity text, actual cost_ops.cost, expected cost_ops.cost,
                   robust_z numeric, history_points integer, drivers text)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    max_history integer := greatest(history_days OPERATOR(pg_catalog./) 7, 1);
BEGIN
    IF dimension OPERATOR(pg_catalog.<>) ALL (ARRAY['provider', 'model', 'organization',
                                                    'project', 'user']) THEN
        RAISE EXCEPTION 'unknown dimension "%"', dimension
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use provider, model, organization, project or user.';
    END IF;
    RETURN QUERY
    WITH d AS (
        SELECT cost_ops.dimension_key(u, dimension) AS key,
               (pg_catalog.timezone('UTC', u."timestamp")::date
                    OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS b,
               cost_ops.sum(u.total_cost) AS cost
          FROM cost_ops.usage_records AS u
         GROUP BY 1, 2
    ), span AS (
        SELECT (since OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS from_b,
               greatest(min(d.b), (since OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint
                                  OPERATOR(pg_catalog.-) (max_history OPERATOR(pg_catalog.*) 7))
                   AS first_b,
               max(d.b) AS last_b
          FROM d
    ), e AS (
        SELECT d.key, array_agg(d.b) AS bs, array_agg(d.cost) AS cs
          FROM d
         WHERE d.cost IS NOT NULL
         GROUP BY 1
    ), f AS (
        SELECT e.key, a.bucket, a.actual, a.expected, a.robust_z, a.history_points, s.first_b,
               s.last_b
          FROM e, span AS s,
               cost_ops.robust_anomalies(e.bs, e.cs, s.first_b, s.last_b, s.from_b, 7, threshold,
                                         max_history) AS a
         WHERE s.from_b OPERATOR(pg_catalog.<=) s.last_b
    )
    SELECT DATE '1970-01-01' OPERATOR(pg_catalog.+) f.bucket::integer, coalesce(f.key, '(none)'),
           f.actual, f.expected, f.robust_z, f.history_points,
           (SELECT string_agg(t.drv, '; ' ORDER BY t.ord)
              FROM (SELECT x.ord,
                           cost_ops.anomaly_drivers(array_agg(x.label), array_agg(x.b),
                                                    array_agg(x.cost), f.first_b, f.last_b,
                                                    f.bucket, 7, max_history,
                                                    f.actual OPERATOR(cost_ops.-) f.expected, 2)
                               AS drv
                      FROM (SELECT k.ord,
                                   k.name || ' ' ||
                                       coalesce(cost_ops.dimension_key(u, k.name), '(none)')
                                       AS label,
                                   (pg_catalog.timezone('UTC', u."timestamp")::date
                                        OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS b,
                                   cost_ops.sum(u.total_cost) AS cost
                              FROM (VALUES (1, 'model'), (2, 'project'), (3, 'user'))
                                       AS k(ord, name),
                                   cost_ops.usage_records AS u
                             WHERE k.name OPERATOR(pg_catalog.<>) dimension
                               AND cost_ops.dimension_key(u, dimension)
                                       IS NOT DISTINCT FROM f.key
                               AND u."timestamp" OPERATOR(pg_catalog.>=)
                                       pg_catalog.timezone('UTC', (DATE '1970-01-01'
                                           OPERATOR(pg_catalog.+) f.first_b::integer)::timestamp)
                             GROUP BY 1, 2, 3) AS x
                     WHERE x.cost IS NOT NULL
                     GROUP BY x.ord) AS t)
      FROM f
     ORDER BY greatest(f.actual OPERATOR(cost_ops.-) f.expected,
                       f.expected OPERATOR(cost_ops.-) f.actual) DESC,
              abs(f.robust_z) DESC NULLS LAST, 1, 2;
END
$$;
COMMENT ON FUNCTION cost_ops.anomalies(date, text, numeric, integer) IS
    'the UTC days from since on where an entity''s (per dimension) spend departs from its own '
    'same-weekday history, largest |actual - expected| first, with its drivers: the two '
    'models, projects and users (not the dimension''s own) whose excess explains most of it '
    '(cost-ops anomalies for one dimension)';

CREATE FUNCTION cost_ops.token_mix_anomalies(since date, dimension text DEFAULT 'project',
                                             threshold numeric DEFAULT 3.5,
                                             history_days integer DEFAULT 90)
    RETURNS TABLE (day date, entity text, actual numeric, expected numeric, robust_z numeric,
                   history_points integer)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    max_history integer := greatest(history_days OPERATOR(pg_catalog./) 7, 1);
BEGIN
    IF dimension OPERATOR(pg_catalog.<>) ALL (ARRAY['provider', 'model', 'organization',
                                                    'project', 'user']) THEN
        RAISE EXCEPTION 'unknown dimension "%"', dimension
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use provider, model, organization, project or user.';
    END IF;
    RETURN QUERY
    WITH d AS (
        SELECT cost_ops.dimension_key(u, dimension) AS key,
               (pg_catalog.timezone('UTC', u."timestamp")::date
                    OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS b,
               coalesce(sum(u.completion_tokens), 0)::bigint AS part,
               coalesce(sum(u.prompt_tokens OPERATOR(pg_catalog.+) u.completion_tokens), 0)::bigint
                   AS whole
          FROM cost_ops.usage_records AS u
         GROUP BY 1, 2
    ), span AS (
        SELECT (since OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS from_b,
               greatest(min(d.b), (since OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint
                                  OPERATOR(pg_catalog.-) (max_history OPERATOR(pg_catalog.*) 7))
                   AS first_b,
               max(d.b) AS last_b
          FROM d
    ), e AS (
        SELECT d.key, array_agg(d.b) AS bs, array_agg(d.part) AS ps, array_agg(d.whole) AS ws
          FROM d
         GROUP BY 1
    )
    SELECT DATE '1970-01-01' OPERATOR(pg_catalog.+) a.bucket::integer, coalesce(e.key, '(none)'),
           a.actual, a.expected, a.robust_z, a.history_points
      FROM e, span AS s,
           cost_ops.robust_share_anomalies(e.bs, e.ps, e.ws, s.first_b, s.from_b, 7, threshold,
                                           max_history) AS a
     WHERE s.from_b OPERATOR(pg_catalog.<=) s.last_b
     ORDER BY abs(a.robust_z) DESC NULLS LAST, 1, 2;
END
$$;
COMMENT ON FUNCTION cost_ops.token_mix_anomalies(date, text, numeric, integer) IS
    'the UTC days from since on where an entity''s token mix (completion / (prompt + '
    'completion) tokens, every record) departs from its own same-weekday history, by |z| '
    '(cost-ops anomalies'' output_share rows, unrounded)';
