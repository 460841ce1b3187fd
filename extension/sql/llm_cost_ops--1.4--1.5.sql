-- llm_cost_ops 1.4 -> 1.5: three roles with least privilege, for a database shared by people
-- who read spend, programs that load usage and the few who set prices and budgets.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.5'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Roles (issue 7)
---------------------------------------------------------------------------------------------
-- Roles belong to the cluster, not to a database or to the extension: made here unless an
-- earlier install (in another database) made them, never dropped by DROP EXTENSION. What they
-- may do is granted per database, on the extension's objects, below.
--
--   cost_ops_reader  reads usage, the rollup, prices, budgets, alerts, runs and rejects (not a
--                    reject's raw input, its reason, which quotes the refused value, or the
--                    stored row it clashed with: GRANT SELECT (reason, raw, existing) ON
--                    cost_ops.ingest_rejects to whoever may see them)
--   cost_ops_writer  a reader that loads usage: cost-ops ingest (its runs, rejects and the
--                    rows; never their prices, which the trigger sets), and retries rejects
--   cost_ops_admin   a writer that sets prices, aliases, match rules, fallbacks and budgets,
--                    reprices stored rows and sees rejects whole
--
-- Creating partitions, detaching them and rebuilding the rollup stay with the extension's
-- owner (they change the table's structure).
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['cost_ops_reader', 'cost_ops_writer', 'cost_ops_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r,
                'llm_cost_ops: see cost_ops'' schema comment for what this role may do');
        END IF;
    END LOOP;
END
$roles$;
GRANT cost_ops_reader TO cost_ops_writer;
GRANT cost_ops_writer TO cost_ops_admin;

COMMENT ON SCHEMA cost_ops IS
    'llm_cost_ops: exact LLM API costs. Roles: cost_ops_reader reads everything but rejects'' '
    'raw input; cost_ops_writer also loads usage (cost-ops ingest); cost_ops_admin also sets '
    'prices, aliases, budgets and reprices';

-- Reader: everything that describes spend.
GRANT SELECT ON cost_ops.usage_records, cost_ops.daily_costs, cost_ops.daily_costs_stale,
    cost_ops.pricing_tables, cost_ops.model_aliases, cost_ops.model_match_rules,
    cost_ops.provider_fallbacks, cost_ops.reprice_log, cost_ops.ingest_runs, cost_ops.budgets,
    cost_ops.alerts TO cost_ops_reader;
-- Not a reject's reason either: it quotes the refused value (which may be a secret).
GRANT SELECT (id, run_id, source, line, record, kind, field, conflicts_with, reject_key,
              rejected_at, resolved_at, resolution, resolved_by_run)
    ON cost_ops.ingest_rejects TO cost_ops_reader;

-- Writer: usage rows, and the ledger of its runs and rejects: their progress and outcome (not
-- who ran them or from what), and the rejects whole, to fix and retry them.
GRANT INSERT ON cost_ops.usage_records TO cost_ops_writer;
GRANT INSERT ON cost_ops.ingest_runs TO cost_ops_writer;
GRANT UPDATE (status, finished_at, error, source_sha256, records_read, records_inserted,
              records_skipped, records_rejected, records_committed, source_committed_bytes,
              source_committed_sha256)
    ON cost_ops.ingest_runs TO cost_ops_writer;
GRANT INSERT ON cost_ops.ingest_rejects TO cost_ops_writer;
GRANT SELECT (reason, raw, existing) ON cost_ops.ingest_rejects TO cost_ops_writer;
GRANT UPDATE (kind, field, reason, conflicts_with, existing, resolved_at, resolution,
              resolved_by_run)
    ON cost_ops.ingest_rejects TO cost_ops_writer;

-- Admin: prices and what resolves names to them, budgets, repricing, rejects whole.
GRANT INSERT, UPDATE, DELETE ON cost_ops.pricing_tables, cost_ops.model_aliases,
    cost_ops.model_match_rules, cost_ops.provider_fallbacks, cost_ops.budgets TO cost_ops_admin;
GRANT INSERT, DELETE ON cost_ops.alerts TO cost_ops_admin;
GRANT UPDATE ON cost_ops.usage_records TO cost_ops_admin;
GRANT INSERT ON cost_ops.reprice_log TO cost_ops_admin;
GRANT SELECT (reason, raw, existing) ON cost_ops.ingest_rejects TO cost_ops_admin;
-- Ids are identity columns: inserting needs no privilege on their sequences.
-- A budget set or raised checks its thresholds at once; check_budgets() catches up on all.
-- Both run as their caller now, so an admin raises only the alerts of budgets it may see
-- (under tenant isolation: its organizations'); the rollup's trigger calls them as the owner.
ALTER FUNCTION cost_ops.raise_budget_alerts(bigint, date) SECURITY INVOKER;
ALTER FUNCTION cost_ops.check_budgets(date) SECURITY INVOKER;
GRANT EXECUTE ON FUNCTION cost_ops.raise_budget_alerts(bigint, date),
    cost_ops.check_budgets(date) TO cost_ops_admin;

---------------------------------------------------------------------------------------------
-- Tenancy (issue 7): optional row-level security by organization
---------------------------------------------------------------------------------------------
-- Which roles may see and write which organizations' rows once tenant isolation is on: a role
-- sees an organization's usage, rollup, budgets and alerts when it is (or is a member of) a
-- role mapped to it here. Ingest runs and their rejects (which have no organization: a bad
-- record may not name one) are seen by the role that ran them. The extension's owner,
-- superusers and BYPASSRLS roles see everything, as PostgreSQL's row security has it.
CREATE TABLE cost_ops.tenant_members (
    member name NOT NULL,
    organization_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (member, organization_id)
);
COMMENT ON TABLE cost_ops.tenant_members IS
    'with tenant isolation on: the roles (and their members) that see and write each '
    'organization''s usage, rollup, budgets and alerts';
SELECT pg_catalog.pg_extension_config_dump('cost_ops.tenant_members', '');
-- Readable by every role (policies call visible_organizations() as the querying role), each
-- seeing only its own mappings (the policy below); only the owner changes it.
GRANT SELECT ON cost_ops.tenant_members TO PUBLIC;
ALTER TABLE cost_ops.tenant_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_mappings ON cost_ops.tenant_members
    USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname OPERATOR(pg_catalog.=) tenant_members.member
                      AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'USAGE')));

-- The organizations the current role may see: those mapped to it or to a role whose
-- privileges it has (pg_has_role ... USAGE: a member that inherits them).
CREATE FUNCTION cost_ops.visible_organizations() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(pg_catalog.array_agg(DISTINCT t.organization_id), '{}')
      FROM cost_ops.tenant_members AS t JOIN pg_catalog.pg_roles AS r
        ON r.rolname OPERATOR(pg_catalog.=) t.member
     WHERE pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'USAGE')
$$;
COMMENT ON FUNCTION cost_ops.visible_organizations() IS
    'the organizations whose rows the current role sees with tenant isolation on '
    '(cost_ops.tenant_members)';

-- Turns tenant isolation off again (every role sees what its privileges allow); the list of
-- the tables it covers is here.
CREATE FUNCTION cost_ops.disable_tenant_isolation() RETURNS SETOF regclass
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t regclass;
BEGIN
    FOREACH t IN ARRAY ARRAY['cost_ops.usage_records', 'cost_ops.daily_costs',
                             'cost_ops.budgets', 'cost_ops.alerts', 'cost_ops.ingest_runs',
                             'cost_ops.ingest_rejects', 'cost_ops.reprice_log']::regclass[] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_policy AS p
                    WHERE p.polrelid OPERATOR(pg_catalog.=) t
                      AND p.polname OPERATOR(pg_catalog.=) 'tenant_isolation') THEN
            EXECUTE pg_catalog.format('DROP POLICY tenant_isolation ON %s', t);
        END IF;
        EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
        RETURN NEXT t;
    END LOOP;
END
$$;
COMMENT ON FUNCTION cost_ops.disable_tenant_isolation() IS
    'turns tenant isolation off: drops its policies and row-level security; returns the tables';
-- Turns row-level security on for usage, the rollup, budgets, alerts, the reprice log, ingest
-- runs and rejects, with one policy each; idempotent. Returns the tables it covers. (The mapping is
-- read once per query: a hashed subplan, not a call per row.)
CREATE FUNCTION cost_ops.enable_tenant_isolation() RETURNS SETOF regclass
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t regclass;
BEGIN
    -- From a clean state (its policies dropped), on every table disable lists.
    FOR t IN SELECT d.table_name FROM cost_ops.disable_tenant_isolation() AS d (table_name) LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        RETURN NEXT t;
    END LOOP;
    CREATE POLICY tenant_isolation ON cost_ops.usage_records
        USING (organization_id OPERATOR(pg_catalog.=) ANY (
            SELECT pg_catalog.unnest(cost_ops.visible_organizations())));
    CREATE POLICY tenant_isolation ON cost_ops.daily_costs
        USING (organization_id OPERATOR(pg_catalog.=) ANY (
            SELECT pg_catalog.unnest(cost_ops.visible_organizations())));
    CREATE POLICY tenant_isolation ON cost_ops.budgets
        USING (organization_id OPERATOR(pg_catalog.=) ANY (
            SELECT pg_catalog.unnest(cost_ops.visible_organizations())));
    CREATE POLICY tenant_isolation ON cost_ops.alerts
        USING (EXISTS (SELECT 1 FROM cost_ops.budgets AS b
                        WHERE b.id OPERATOR(pg_catalog.=) alerts.budget_id));
    CREATE POLICY tenant_isolation ON cost_ops.ingest_runs
        USING (run_by OPERATOR(pg_catalog.=) CURRENT_USER);
    CREATE POLICY tenant_isolation ON cost_ops.ingest_rejects
        USING (EXISTS (SELECT 1 FROM cost_ops.ingest_runs AS r
                        WHERE r.id OPERATOR(pg_catalog.=) ingest_rejects.run_id));
    CREATE POLICY tenant_isolation ON cost_ops.reprice_log
        USING (EXISTS (SELECT 1 FROM cost_ops.usage_records AS u
                        WHERE u.id OPERATOR(pg_catalog.=) reprice_log.usage_id));
END
$$;
COMMENT ON FUNCTION cost_ops.enable_tenant_isolation() IS
    'turns on row-level security by organization (cost_ops.tenant_members) on usage, the '
    'rollup, budgets, alerts and the reprice log, and by role on ingest runs and rejects; '
    'returns those tables';

REVOKE EXECUTE ON FUNCTION cost_ops.enable_tenant_isolation(), cost_ops.disable_tenant_isolation()
    FROM PUBLIC;
