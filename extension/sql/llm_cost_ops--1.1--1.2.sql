-- llm_cost_ops 1.1 -> 1.2: every import recorded, bad records kept with their reason, and an
-- identity for records whose source has no request id (so re-imports add nothing).
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.2'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Ingest runs
---------------------------------------------------------------------------------------------

CREATE TABLE cost_ops.ingest_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    source_path text,
    source_bytes bigint,
    source_sha256 text COLLATE "C",
    format text COLLATE "C" NOT NULL,
    on_error text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL DEFAULT 'running',
    started_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    finished_at timestamptz,
    records_read bigint NOT NULL DEFAULT 0,
    records_inserted bigint NOT NULL DEFAULT 0,
    records_skipped bigint NOT NULL DEFAULT 0,
    records_rejected bigint NOT NULL DEFAULT 0,
    records_committed bigint NOT NULL DEFAULT 0,
    source_committed_bytes bigint,
    source_committed_sha256 text COLLATE "C",
    error text,
    run_by text NOT NULL DEFAULT CURRENT_USER,
    CONSTRAINT ingest_runs_on_error_is_known
        CHECK (on_error OPERATOR(pg_catalog.=) ANY (ARRAY['abort', 'reject', 'skip'])),
    CONSTRAINT ingest_runs_status_is_known
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['running', 'completed', 'failed'])),
    CONSTRAINT ingest_runs_finished_unless_running
        CHECK ((status OPERATOR(pg_catalog.=) 'running') = (finished_at IS NULL)),
    CONSTRAINT ingest_runs_counts_are_non_negative CHECK (
        records_read >= 0 AND records_inserted >= 0 AND records_skipped >= 0
        AND records_rejected >= 0 AND records_committed >= 0)
);

COMMENT ON TABLE cost_ops.ingest_runs IS
    'one row per cost-ops ingest (or rejects retry): what was read, and what became of it';
COMMENT ON COLUMN cost_ops.ingest_runs.source IS
    'the file as the command named it; - for standard input';
COMMENT ON COLUMN cost_ops.ingest_runs.source_path IS
    'absolute path of the file; NULL for standard input';
COMMENT ON COLUMN cost_ops.ingest_runs.source_sha256 IS
    'SHA-256 of every byte read (as stored: compressed for .gz), set when the run finishes';
COMMENT ON COLUMN cost_ops.ingest_runs.records_skipped IS
    'records identical to one already stored under the same identity';
COMMENT ON COLUMN cost_ops.ingest_runs.records_committed IS
    'source records whose outcome is committed; an interrupted run resumes after them';
COMMENT ON COLUMN cost_ops.ingest_runs.source_committed_bytes IS
    'bytes of the file those records span; a run resumes only if they are unchanged';
COMMENT ON COLUMN cost_ops.ingest_runs.source_committed_sha256 IS
    'SHA-256 of those bytes';

---------------------------------------------------------------------------------------------
-- Rejects
---------------------------------------------------------------------------------------------

CREATE TABLE cost_ops.ingest_rejects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES cost_ops.ingest_runs (id),
    source text NOT NULL,
    line bigint,
    record bigint,
    kind text COLLATE "C" NOT NULL,
    field text,
    reason text NOT NULL,
    raw text NOT NULL,
    conflicts_with bigint,
    existing jsonb,
    reject_key uuid NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    resolved_at timestamptz,
    resolution text COLLATE "C",
    resolved_by_run bigint REFERENCES cost_ops.ingest_runs (id),
    CONSTRAINT ingest_rejects_kind_is_known
        CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['unreadable', 'invalid', 'conflict'])),
    CONSTRAINT ingest_rejects_conflict_names_the_record
        CHECK ((kind OPERATOR(pg_catalog.=) 'conflict') = (conflicts_with IS NOT NULL)),
    CONSTRAINT ingest_rejects_resolution_is_known
        CHECK (resolution OPERATOR(pg_catalog.=) ANY (ARRAY['stored', 'dismissed'])),
    CONSTRAINT ingest_rejects_resolved_with_a_resolution
        CHECK ((resolved_at IS NULL) = (resolution IS NULL)),
    CONSTRAINT ingest_rejects_stored_by_a_run
        CHECK ((resolution OPERATOR(pg_catalog.<>) 'dismissed') = (resolved_by_run IS NOT NULL)),
    CONSTRAINT ingest_rejects_kept_once UNIQUE (reject_key)
);

COMMENT ON TABLE cost_ops.ingest_rejects IS
    'records an ingest could not store, with why, kept until fixed (cost-ops rejects list|retry)';
COMMENT ON COLUMN cost_ops.ingest_rejects.kind IS
    'unreadable (broken JSON, bad UTF-8, wrong column count), invalid (a field is wrong), '
    'conflict (another record with the same identity and different content is stored)';
COMMENT ON COLUMN cost_ops.ingest_rejects.raw IS
    'the record as the source had it (bytes that are not UTF-8 written as \xNN)';
COMMENT ON COLUMN cost_ops.ingest_rejects.conflicts_with IS
    'for a conflict: the id of the usage record that holds the identity';
COMMENT ON COLUMN cost_ops.ingest_rejects.existing IS
    'for a conflict: that usage record as it was when the conflict was found';
COMMENT ON COLUMN cost_ops.ingest_rejects.resolution IS
    'stored (a retry stored it, or found it stored already) or dismissed (set aside by hand)';
COMMENT ON COLUMN cost_ops.ingest_rejects.reject_key IS
    'digest of raw and reason: the same bad record ingested again is kept once';

CREATE INDEX ingest_rejects_run ON cost_ops.ingest_rejects (run_id);

---------------------------------------------------------------------------------------------
-- Record identity and provenance
---------------------------------------------------------------------------------------------

ALTER TABLE cost_ops.usage_records ADD COLUMN record_key uuid;
ALTER TABLE cost_ops.usage_records ADD COLUMN ingest_run_id bigint;

COMMENT ON COLUMN cost_ops.usage_records.record_key IS
    'identity of a record whose source has no request_id: a digest of its content, set by '
    'cost-ops ingest';
COMMENT ON COLUMN cost_ops.usage_records.ingest_run_id IS
    'the cost_ops.ingest_runs row that stored the record; NULL for rows inserted by SQL';

-- Partial: rows inserted by SQL without a key (plain COPY) pay nothing for it.
CREATE UNIQUE INDEX usage_records_content_identity ON cost_ops.usage_records (record_key)
    WHERE record_key IS NOT NULL;

---------------------------------------------------------------------------------------------
-- Dump
---------------------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('cost_ops.ingest_runs', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.ingest_runs_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.ingest_rejects', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.ingest_rejects_id_seq', '');
