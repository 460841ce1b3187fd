-- llm_cost_ops 1.5 -> 1.6: nothing lost or stale in silence. A new price that leaves stored
-- costs behind says so, prices that priced records survive no TRUNCATE, a partition's own
-- disabled rollup trigger marks the rollup stale, the default partition shows its rows, and
-- create_partitions and reprice refuse arguments that would do far too much or nothing.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.6'" to load this file. \quit

-- The functions replaced below are members of the extension since an earlier version: OR
-- REPLACE keeps their grants, comments and the triggers that call them (the documented
-- exception for update scripts).

---------------------------------------------------------------------------------------------
-- Prices
---------------------------------------------------------------------------------------------

-- Adding an open-ended price for a later date closes the open-ended row it supersedes; the
-- records that row priced from the new start on keep their stored costs until repriced, and a
-- NOTICE says how many (cost-ops pricing add and import report them in their own words).
CREATE OR REPLACE FUNCTION cost_ops.close_superseded_price() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    closed bigint[];
    stale bigint;
    since text;  -- the new start in UTC, whole seconds (a reprice from there covers it)
BEGIN
    IF NEW.end_date IS NULL THEN
        WITH c AS (
            UPDATE cost_ops.pricing_tables AS p
               SET end_date = NEW.effective_date
             WHERE p.provider OPERATOR(pg_catalog.=) NEW.provider
               AND p.model OPERATOR(pg_catalog.=) NEW.model
               AND p.end_date IS NULL
               AND p.effective_date OPERATOR(pg_catalog.<) NEW.effective_date
            RETURNING p.id)
        SELECT pg_catalog.array_agg(c.id ORDER BY c.id) INTO closed FROM c;
        IF closed IS NOT NULL THEN
            -- Counted as the inserting role: one that may not read usage gets no notice (and
            -- under tenant isolation the count is of its organizations' records).
            BEGIN
                SELECT pg_catalog.count(*) INTO stale
                  FROM cost_ops.usage_records AS u
                 WHERE u.pricing_id OPERATOR(pg_catalog.=) ANY (closed)
                   AND u."timestamp" OPERATOR(pg_catalog.>=) NEW.effective_date;
            EXCEPTION WHEN insufficient_privilege THEN
                stale := 0;
            END;
            IF stale OPERATOR(pg_catalog.>) 0 THEN
                since := pg_catalog.to_char(NEW.effective_date AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD HH24:MI:SS') || '+00';
                RAISE NOTICE '% usage records of %/% from % on keep the costs of the price it supersedes',
                        stale, NEW.provider, NEW.model, since
                    USING DETAIL = pg_catalog.format('The new price closes price row %s at its '
                              'start; stored costs change only when repriced.',
                              pg_catalog.array_to_string(closed, ', ')),
                          HINT = pg_catalog.format('Reprice exactly those records: SELECT * FROM '
                              'cost_ops.reprice_records(ARRAY(SELECT id FROM '
                              'cost_ops.usage_records WHERE pricing_id IN (%s) AND "timestamp" '
                              '>= %L), %L);', pg_catalog.array_to_string(closed, ', '),
                              since, 'new price of ' || NEW.provider || '/' || NEW.model);
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- A TRUNCATE skips the row triggers: the price rows that priced usage records are kept by
-- refusing it while any stored record is priced.
CREATE FUNCTION cost_ops.refuse_truncating_used_prices() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM cost_ops.usage_records AS u WHERE u.pricing_id IS NOT NULL) THEN
        RAISE EXCEPTION 'cannot truncate cost_ops.pricing_tables'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Usage records were priced with its rows.',
                  HINT = 'DELETE the rows no usage record uses (it refuses the others), or '
                         'correct prices with UPDATE.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cost_ops.refuse_truncating_used_prices() IS
    'trigger: refuses to truncate cost_ops.pricing_tables while usage records are priced';

CREATE TRIGGER refuse_truncating_used_prices BEFORE TRUNCATE ON cost_ops.pricing_tables
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.refuse_truncating_used_prices();

---------------------------------------------------------------------------------------------
-- Repricing
---------------------------------------------------------------------------------------------

-- reprice() refuses a range that holds no instant rather than reprice nothing: 1.1's function
-- becomes reprice_matching(), which reprice() calls once the range is checked (as its caller:
-- both stay executable by all, the tables' privileges decide).
ALTER FUNCTION cost_ops.reprice(timestamptz, timestamptz, text, text, text, text, boolean, text)
    RENAME TO reprice_matching;
COMMENT ON FUNCTION cost_ops.reprice_matching(timestamptz, timestamptz, text, text, text, text,
        boolean, text) IS
    'recomputes the costs of the usage records in [from_time, to_time) that match the filters, '
    'logging every change in cost_ops.reprice_log (cost_ops.reprice() checks the range first)';

CREATE FUNCTION cost_ops.reprice(
        from_time timestamptz DEFAULT NULL, to_time timestamptz DEFAULT NULL,
        provider text DEFAULT NULL, model text DEFAULT NULL,
        organization_id text DEFAULT NULL, project_id text DEFAULT NULL,
        only_unpriced boolean DEFAULT false, reason text DEFAULT 'reprice',
        OUT records bigint, OUT changed bigint, OUT newly_priced bigint,
        OUT newly_unpriced bigint, OUT unpriced bigint, OUT old_total cost_ops.cost,
        OUT new_total cost_ops.cost)
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF COALESCE($2, 'infinity') OPERATOR(pg_catalog.<=) COALESCE($1, '-infinity') THEN
        RAISE EXCEPTION 'cost_ops.reprice(): the range [%, %) holds no instant',
                COALESCE($1::text, '-infinity'), COALESCE($2::text, 'infinity')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The records repriced are those in [from_time, to_time) (NULL: no '
                           'bound): to_time must be after from_time.',
                  HINT = 'Swap them, or leave to_time NULL for no end.';
    END IF;
    SELECT * INTO records, changed, newly_priced, newly_unpriced, unpriced, old_total, new_total
      FROM cost_ops.reprice_matching($1, $2, $3, $4, $5, $6, $7, $8);
END
$$;
COMMENT ON FUNCTION cost_ops.reprice(timestamptz, timestamptz, text, text, text, text, boolean, text) IS
    'recomputes the costs of the usage records in [from_time, to_time) that match the filters, '
    'logging every change in cost_ops.reprice_log';

---------------------------------------------------------------------------------------------
-- The rollup and the partitions
---------------------------------------------------------------------------------------------

-- True when the rollup triggers of cost_ops.usage_records all fire in ordinary sessions
-- (enabled, or ALWAYS: not disabled, nor REPLICA-only), and those of its partitions too (a
-- statement naming a partition is kept by the partition's own).
CREATE OR REPLACE FUNCTION cost_ops.daily_costs_triggers_enabled() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.count(*) FILTER (
               WHERE t.tgrelid OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
                 AND t.tgenabled OPERATOR(pg_catalog.=) ANY (ARRAY['O', 'A']::"char"[])) OPERATOR(pg_catalog.=) 4
           AND NOT COALESCE(pg_catalog.bool_or(t.tgenabled OPERATOR(pg_catalog.<>) ALL (ARRAY['O', 'A']::"char"[])), false)
      FROM pg_catalog.pg_trigger AS t
     WHERE (t.tgrelid OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
            OR t.tgrelid IN (SELECT i.inhrelid FROM pg_catalog.pg_inherits AS i
                              WHERE i.inhparent OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass))
       AND t.tgname OPERATOR(pg_catalog.=) ANY (ARRAY['usage_records_inserted',
           'usage_records_updated', 'usage_records_deleted', 'usage_records_truncated'])
$$;
COMMENT ON FUNCTION cost_ops.daily_costs_triggers_enabled() IS
    'true when the triggers that keep cost_ops.daily_costs are all enabled, on '
    'cost_ops.usage_records and on each of its partitions';

-- Every partition of usage_records with its range (NULL for the default partition) and its
-- records and cost, from the rollup (from the rows while it is stale). The default partition
-- holds the instants no monthly partition covers, so its rows are those of the UTC days no
-- month's range holds (read through usage_records: its policies and grants apply).
CREATE OR REPLACE FUNCTION cost_ops.partitions(
        OUT partition pg_catalog.regclass, OUT range_start timestamptz, OUT range_end timestamptz,
        OUT records bigint, OUT total_cost cost_ops.cost)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH parts AS (
        SELECT i.inhrelid::pg_catalog.regclass AS part,
               pg_catalog.regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                   'FROM \(''([^'']*)''\) TO \(''([^'']*)''\)') AS bounds
          FROM pg_catalog.pg_inherits AS i
          JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
         WHERE i.inhparent OPERATOR(pg_catalog.=) 'cost_ops.usage_records'::pg_catalog.regclass
    ), months AS (
        SELECT p.bounds[1]::timestamptz AS range_start, p.bounds[2]::timestamptz AS range_end
          FROM parts AS p WHERE p.bounds IS NOT NULL
    )
    SELECT b.part, b.bounds[1]::timestamptz, b.bounds[2]::timestamptz, s.records, s.total_cost
      FROM parts AS b
      CROSS JOIN (SELECT cost_ops.daily_costs_kept() AS kept) AS k
      LEFT JOIN LATERAL (
           -- The sums from the rollup while it is kept ...
           SELECT COALESCE(pg_catalog.sum(d.records)::pg_catalog.int8, 0) AS records,
                  CASE WHEN pg_catalog.sum(d.priced_records) OPERATOR(pg_catalog.>) 0
                       THEN cost_ops.sum(d.total_cost) END AS total_cost
             FROM cost_ops.daily_costs AS d
            WHERE k.kept
              AND CASE WHEN b.bounds IS NOT NULL
                  THEN d.day OPERATOR(pg_catalog.>=) (b.bounds[1]::timestamptz AT TIME ZONE 'UTC')::pg_catalog.date
                   AND d.day OPERATOR(pg_catalog.<) (b.bounds[2]::timestamptz AT TIME ZONE 'UTC')::pg_catalog.date
                  ELSE NOT EXISTS (SELECT 1 FROM months AS m
                       WHERE d.day OPERATOR(pg_catalog.>=) (m.range_start AT TIME ZONE 'UTC')::pg_catalog.date
                         AND d.day OPERATOR(pg_catalog.<) (m.range_end AT TIME ZONE 'UTC')::pg_catalog.date)
                  END
           HAVING k.kept
           UNION ALL
           -- ... from the rows while it is stale (a bulk load with its trigger off).
           SELECT pg_catalog.count(*), cost_ops.sum(u.total_cost)
             FROM cost_ops.usage_records AS u
            WHERE NOT k.kept
              AND CASE WHEN b.bounds IS NOT NULL
                  THEN u."timestamp" OPERATOR(pg_catalog.>=) b.bounds[1]::timestamptz
                   AND u."timestamp" OPERATOR(pg_catalog.<) b.bounds[2]::timestamptz
                  ELSE NOT EXISTS (SELECT 1 FROM months AS m
                       WHERE u."timestamp" OPERATOR(pg_catalog.>=) m.range_start
                         AND u."timestamp" OPERATOR(pg_catalog.<) m.range_end)
                  END
           HAVING NOT k.kept) AS s ON true
     ORDER BY 2 NULLS FIRST
$$;
COMMENT ON FUNCTION cost_ops.partitions() IS
    'the partitions of cost_ops.usage_records: each month''s range (NULL for the default '
    'partition) and its records and exact cost (from cost_ops.daily_costs, or from the rows '
    'while it is stale)';

-- create_partitions() refuses what would make no sense or far too much: an infinite instant
-- (no month holds it; an infinite `through` would never end), and, when `since` is not given,
-- a start more than 36 months back from this month at the earliest row of the default
-- partition (a row with a wrong
-- timestamp, say 1970, would otherwise make hundreds of partitions). 1.4's function becomes
-- make_month_partitions(), which create_partitions() calls with the checked first instant.
ALTER FUNCTION cost_ops.create_partitions(timestamptz, timestamptz)
    RENAME TO make_month_partitions;
COMMENT ON FUNCTION cost_ops.make_month_partitions(timestamptz, timestamptz) IS
    'makes the missing monthly partitions of cost_ops.usage_records from the month of since '
    'through the month of through, moving the default partition''s rows of those months into '
    'them (cost_ops.create_partitions() checks the range first)';
REVOKE EXECUTE ON FUNCTION cost_ops.make_month_partitions(timestamptz, timestamptz) FROM PUBLIC;

CREATE FUNCTION cost_ops.create_partitions(through timestamptz, since timestamptz DEFAULT NULL)
    RETURNS SETOF pg_catalog.regclass
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    first_instant timestamptz;
    first_month timestamp;
    last_month timestamp;
    this_month timestamp;
    months integer;
BEGIN
    IF through IS NULL THEN
        RAISE EXCEPTION 'cost_ops.create_partitions() needs the last instant to cover'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'through is NULL.',
                  HINT = 'For example: SELECT cost_ops.create_partitions(now() + interval ''3 months'');';
    END IF;
    IF NOT pg_catalog.isfinite(through) OR NOT pg_catalog.isfinite(since) THEN
        RAISE EXCEPTION 'cost_ops.create_partitions() needs finite instants'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('through is %s, since is %s.', through,
                                             COALESCE(since::text, 'NULL')),
                  HINT = 'Monthly partitions cover months: give the last and first instant to cover.';
    END IF;
    -- No row may reach the default partition until its rows are moved.
    LOCK TABLE cost_ops.usage_records_default IN EXCLUSIVE MODE;
    first_instant := COALESCE(since,
        (SELECT pg_catalog.min(u."timestamp") FROM cost_ops.usage_records_default AS u),
        pg_catalog.now());
    IF NOT pg_catalog.isfinite(first_instant) THEN
        RAISE EXCEPTION 'cost_ops.create_partitions(): the default partition holds a row at %',
                first_instant
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Without since, the first month is the earliest row''s of the '
                           'default partition; no month holds that instant.',
                  HINT = 'Give since (the row stays in the default partition), or correct the '
                         'row''s "timestamp".';
    END IF;
    first_month := pg_catalog.date_trunc('month', first_instant AT TIME ZONE 'UTC');
    last_month := pg_catalog.date_trunc('month', through AT TIME ZONE 'UTC');
    -- Months back to the first from this month, or from through's if that is earlier (months
    -- ahead are what the call is for).
    this_month := LEAST(pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC'),
                        last_month);
    months := (pg_catalog.date_part('year', this_month)::integer
               OPERATOR(pg_catalog.-) pg_catalog.date_part('year', first_month)::integer)
              OPERATOR(pg_catalog.*) 12
              OPERATOR(pg_catalog.+) pg_catalog.date_part('month', this_month)::integer
              OPERATOR(pg_catalog.-) pg_catalog.date_part('month', first_month)::integer;
    IF since IS NULL AND months OPERATOR(pg_catalog.>) 36 THEN
        RAISE EXCEPTION 'cost_ops.create_partitions() would start at % (the earliest row of '
                'the default partition), % months before %', pg_catalog.to_char(first_month, 'YYYY-MM'),
                months, pg_catalog.to_char(this_month, 'YYYY-MM')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Without since, the first month is the earliest row''s of the '
                           'default partition: more than 36 months back is seldom meant (a row '
                           'with a wrong "timestamp"?).',
                  HINT = pg_catalog.format('Give since to make them: create_partitions(%L, %L); '
                      'or correct that row.', through, first_month AT TIME ZONE 'UTC');
    END IF;
    RETURN QUERY SELECT * FROM cost_ops.make_month_partitions(through, first_instant);
END
$$;
COMMENT ON FUNCTION cost_ops.create_partitions(timestamptz, timestamptz) IS
    'makes the missing monthly partitions of cost_ops.usage_records from since (default: the '
    'earliest row of the default partition, at most 36 months back, or now) through the month '
    'of through, moving the default partition''s rows of those months into them; returns the '
    'partitions made';
