#include "batch_store.hpp"

#include <optional>

#include "../cli_error.hpp"
#include "../db/database_errors.hpp"
#include "usage_record.hpp"

namespace costops::cli {

namespace {

constexpr const char* kStaging = "pg_temp.cost_ops_ingest_batch";
constexpr int kClashAttempts = 5;

// `name` as a quoted SQL identifier (column names are plain words; "timestamp" needs quotes).
std::string quoted(const std::string& name) {
    return '"' + name + '"';
}

// The stored columns that are a record's content: neither its identity nor its provenance.
std::vector<std::string> content_columns() {
    std::vector<std::string> out;
    for (const std::string& c : usage_copy_columns()) {
        if (c != "request_id" && c != "organization_id" && c != "provider") out.push_back(c);
    }
    return out;
}

// Column `c` of row `alias` as the database stores it (a missing total is the sum).
std::string stored_value(const std::string& alias, const std::string& c) {
    if (c == "total_tokens") {
        return "coalesce(" + alias + ".total_tokens, " + alias + ".prompt_tokens + " + alias +
               ".completion_tokens)";
    }
    return alias + "." + quoted(c);
}

// SQL true when rows b and u have the same content.
std::string same_content_sql() {
    std::string sql;
    for (const std::string& c : content_columns()) {
        sql += (sql.empty() ? "" : " AND ") + stored_value("b", c) + " IS NOT DISTINCT FROM " +
               stored_value("u", c);
    }
    return sql;
}

// SQL naming the columns in which rows b and u differ, comma-separated.
std::string differing_columns_sql() {
    std::string sql = "concat_ws(', '";
    for (const std::string& c : content_columns()) {
        sql += ", CASE WHEN " + stored_value("b", c) + " IS DISTINCT FROM " + stored_value("u", c) +
               " THEN '" + c + "' END";
    }
    return sql + ")";
}

// The column list of a stored row, quoted, for SQL.
std::string column_list() {
    std::string sql;
    for (const std::string& c : BatchStore::columns()) {
        sql += (sql.empty() ? "" : ", ") + quoted(c);
    }
    return sql;
}

// Notes, on the staged rows that `condition` selects, the stored record that holds their
// identity (in the same UTC month: the extension's identities are unique per month) and
// whether its content is the same. One index lookup per staged row, whatever the planner
// thinks of the staging table's size (a correlated subquery cannot become a scan of the
// stored rows).
void mark_stored(pqxx::dbtransaction& tx, const std::string& condition) {
    const std::string same_month =
        " AND date_trunc('month', u.\"timestamp\" AT TIME ZONE 'UTC')"
        " = date_trunc('month', b.\"timestamp\" AT TIME ZONE 'UTC') LIMIT 1)";
    const std::string set = " SET (existing_id, same) = (SELECT u.id, " + same_content_sql() +
                            " FROM cost_ops.usage_records AS u WHERE ";
    tx.exec0(std::string("UPDATE ") + kStaging + " AS b" + set +
             "u.request_id = b.request_id AND u.organization_id = b.organization_id"
             " AND u.provider = b.provider" +
             same_month + " WHERE " + condition + " AND b.request_id IS NOT NULL");
    tx.exec0(std::string("UPDATE ") + kStaging + " AS b" + set + "u.record_key = b.record_key" +
             same_month + " WHERE " + condition +
             " AND b.request_id IS NULL AND b.record_key IS NOT NULL");
}

// The pricing trigger's priced / unpriced counters of this session, read after the statements
// `first` (in the same round trip).
std::pair<int64_t, int64_t> pricing_counters(pqxx::dbtransaction& tx,
                                             const std::string& first = "") {
    auto r =
        tx.exec1(first + "SELECT rows_priced, rows_unpriced FROM cost_ops.pricing_cache_status()");
    return {r[0].as<int64_t>(), r[1].as<int64_t>()};
}

// Creates (once per session) and empties the staging table, shaped like the stored columns.
void prepare_staging(pqxx::dbtransaction& tx) {
    if (tx.exec1(std::string("SELECT to_regclass('") + kStaging + "') IS NULL")[0].as<bool>()) {
        tx.exec0(std::string("CREATE TEMP TABLE cost_ops_ingest_batch AS SELECT ") + column_list() +
                 ", 0 AS seq, NULL::bigint AS existing_id, NULL::boolean AS same, "
                 "NULL::int AS first_seq FROM cost_ops.usage_records WITH NO DATA");
    }
    tx.exec0(std::string("TRUNCATE ") + kStaging);
}

// Under tenant isolation: refuses the first staged record of an organization this role is not
// mapped to, naming it, before the INSERT (whose refusal would end the whole transaction).
void refuse_other_tenants(pqxx::dbtransaction& tx) {
    pqxx::result other = tx.exec(std::string("SELECT seq, organization_id FROM ") + kStaging +
                                 " WHERE organization_id <> ALL "
                                 "(cost_ops.visible_organizations()) ORDER BY seq LIMIT 1");
    if (other.empty()) return;
    throw CopyFailed("organization_id \"" + other[0][1].as<std::string>() +
                         "\" is not an organization of this role (tenant isolation: "
                         "cost_ops.tenant_members)",
                     other[0][0].as<size_t>() + 1, "42501");
}

}  // namespace

const std::vector<std::string>& BatchStore::columns() {
    static const std::vector<std::string> all = [] {
        std::vector<std::string> c = usage_copy_columns();
        c.push_back("record_key");
        c.push_back("ingest_run_id");
        return c;
    }();
    return all;
}

BatchStore::BatchStore(const Cell& run_id) {
    if (run_id) {
        append_copy_text(run_id_, *run_id);
    } else {
        run_id_ = "\\N";
    }
}

void BatchStore::add(pqxx::dbtransaction& tx, const Row& record, const Cell& record_key) {
    if (rows_.empty()) begin(tx);
    std::string& text = rows_.text();
    append_copy_cells(text, record);
    text += '\t';
    if (record_key) {
        append_copy_text(text, *record_key);
    } else {
        text += "\\N";
    }
    text += '\t';
    text += run_id_;
    text += '\n';
    end_row();
}

void BatchStore::add_row(pqxx::dbtransaction& tx, std::string_view row) {
    if (rows_.empty()) begin(tx);
    rows_.text().append(row);
    end_row();
}

void BatchStore::begin(pqxx::dbtransaction& tx) {
    counters_before_ = counters_now(tx);
    sent_ = 0;
    if (!row_security_) {
        row_security_ =
            tx.exec1("SELECT row_security_active('cost_ops.usage_records')")[0].as<bool>();
    }
    if (*row_security_) return;
    writer_ = std::make_unique<CopyWriter>(tx, "cost_ops.usage_records", columns(),
                                           "SAVEPOINT cost_ops_batch");
}

void BatchStore::end_row() {
    // Small enough that the server starts on a batch soon after it begins (about 100 rows).
    constexpr size_t kSendBytes = 16 << 10;
    rows_.end_row();
    if (!writer_) return;  // under row-level security: sent through the staging table
    const std::string& text = rows_.text();
    if (text.size() - sent_ < kSendBytes) return;
    writer_->send(std::string_view(text).substr(sent_));
    sent_ = text.size();
}

std::pair<int64_t, int64_t> BatchStore::counters_now(pqxx::dbtransaction& tx) {
    if (!counters_) counters_ = pricing_counters(tx);
    return *counters_;
}

void BatchStore::release_and_count(pqxx::dbtransaction& tx, std::pair<int64_t, int64_t> before,
                                   BatchOutcome& outcome) {
    counters_ = pricing_counters(tx, "RELEASE SAVEPOINT cost_ops_batch; ");
    outcome.priced = counters_->first - before.first;
    outcome.unpriced = counters_->second - before.second;
}

BatchRows BatchStore::take_rows() {
    BatchRows taken = std::move(rows_);
    rows_.clear();
    writer_.reset();
    return taken;
}

BatchOutcome BatchStore::finish(pqxx::dbtransaction& tx) {
    BatchOutcome outcome;
    if (rows_.empty()) return outcome;
    if (!writer_) {
        outcome = store_one_by_identity(tx);
        rows_.clear();
        return outcome;
    }
    try {
        writer_->send(std::string_view(rows_.text()).substr(sent_));
        writer_->finish();
        outcome.inserted = static_cast<int64_t>(rows_.size());
        release_and_count(tx, counters_before_, outcome);
    } catch (const CopyFailed& e) {
        // The failed COPY counted rows that are now rolled back: the counters are read afresh.
        counters_.reset();
        tx.exec0("ROLLBACK TO SAVEPOINT cost_ops_batch");
        tx.exec0("RELEASE SAVEPOINT cost_ops_batch");
        writer_.reset();
        if (e.sqlstate != "23505") throw;
        outcome = store_one_by_identity(tx);
    }
    rows_.clear();
    writer_.reset();
    return outcome;
}

// One attempt of store_one_by_identity, inside its savepoint; nullopt when another session
// stored some of the batch's identities meanwhile (the attempt is undone).
std::optional<BatchOutcome> BatchStore::try_by_identity(
    pqxx::dbtransaction& tx, const std::vector<std::string>& staged_columns,
    std::pair<int64_t, int64_t> before) {
    prepare_staging(tx);
    CopyWriter staging(tx, kStaging, staged_columns);
    std::string text;
    for (size_t i = 0; i < rows_.size(); ++i) {
        std::string_view row = rows_.row(i);
        text.append(row.data(), row.size() - 1);
        text += '\t' + std::to_string(i) + '\n';
    }
    staging.send(text);
    staging.finish();
    if (row_security_.value_or(false)) refuse_other_tenants(tx);
    mark_stored(tx, "true");
    // A repeat inside the batch (the same identity in the same UTC month): the first copy is
    // stored, the others compared with it.
    tx.exec0(std::string("UPDATE ") + kStaging +
             " AS b SET first_seq = f.first FROM (SELECT seq, first_value(seq) OVER "
             "(PARTITION BY request_id, organization_id, provider, record_key, "
             "date_trunc('month', \"timestamp\" AT TIME ZONE 'UTC') ORDER BY seq) "
             "AS first FROM " +
             kStaging +
             " WHERE existing_id IS NULL) AS f WHERE b.seq = f.seq AND "
             "f.first <> f.seq");
    int64_t expected = tx.exec1(std::string("SELECT count(*) FROM ") + kStaging +
                                " WHERE existing_id IS NULL AND first_seq IS NULL")[0]
                           .as<int64_t>();
    pqxx::result inserted =
        tx.exec(std::string("INSERT INTO cost_ops.usage_records (") + column_list() + ") SELECT " +
                column_list() + " FROM " + kStaging +
                " WHERE existing_id IS NULL AND first_seq IS NULL ORDER BY seq "
                "ON CONFLICT DO NOTHING");
    if (static_cast<int64_t>(inserted.affected_rows()) != expected) {
        // Another session stored some of these identities since they were looked up:
        // look again.
        tx.exec0("ROLLBACK TO SAVEPOINT cost_ops_batch");
        tx.exec0("RELEASE SAVEPOINT cost_ops_batch");
        counters_.reset();
        return std::nullopt;
    }
    mark_stored(tx, "b.first_seq IS NOT NULL");
    BatchOutcome outcome;
    outcome.inserted = expected;
    outcome.skipped = tx.exec1(std::string("SELECT count(*) FROM ") + kStaging +
                               " WHERE existing_id IS NOT NULL AND same")[0]
                          .as<int64_t>();
    for (const auto& row : tx.exec(std::string("SELECT b.seq, u.id, to_jsonb(u)::text, ") +
                                   differing_columns_sql() + " FROM " + kStaging +
                                   " AS b JOIN cost_ops.usage_records AS u ON u.id = b.existing_id "
                                   "WHERE NOT b.same ORDER BY b.seq")) {
        outcome.conflicts.push_back({row[0].as<size_t>(), row[1].as<int64_t>(),
                                     row[2].as<std::string>(), row[3].as<std::string>()});
    }
    release_and_count(tx, before, outcome);
    return outcome;
}

BatchOutcome BatchStore::store_one_by_identity(pqxx::dbtransaction& tx) {
    std::vector<std::string> staged_columns = columns();
    staged_columns.push_back("seq");
    for (int attempt = 0; attempt < kClashAttempts; ++attempt) {
        auto before = pricing_counters(tx);
        tx.exec0("SAVEPOINT cost_ops_batch");
        try {
            std::optional<BatchOutcome> outcome = try_by_identity(tx, staged_columns, before);
            if (outcome) return *outcome;
        } catch (const pqxx::sql_error& e) {
            counters_.reset();
            // A record the database refuses (no row named): undo the attempt, keep the
            // transaction usable, and let the caller find the record.
            tx.exec0("ROLLBACK TO SAVEPOINT cost_ops_batch");
            tx.exec0("RELEASE SAVEPOINT cost_ops_batch");
            throw CopyFailed(first_line(e.what()), 0, e.sqlstate());
        } catch (const CopyFailed& e) {
            counters_.reset();
            tx.exec0("ROLLBACK TO SAVEPOINT cost_ops_batch");
            tx.exec0("RELEASE SAVEPOINT cost_ops_batch");
            throw CopyFailed(e.what(), e.line, e.sqlstate);  // a staged row is a batch row
        }
    }
    throw CliError(
        "another ingest keeps storing the records of this batch at the same time; run this "
        "one again when it has finished (nothing will be stored twice)");
}

}  // namespace costops::cli
