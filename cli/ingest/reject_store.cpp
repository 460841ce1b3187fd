#include "reject_store.hpp"

#include "../text_encoding.hpp"

namespace costops::cli {

const char* reject_kind_name(RejectKind kind) {
    switch (kind) {
        case RejectKind::Unreadable:
            return "unreadable";
        case RejectKind::Invalid:
            return "invalid";
        case RejectKind::Conflict:
            return "conflict";
    }
    return "invalid";
}

bool keep_reject(pqxx::dbtransaction& tx, int64_t run_id, const Reject& r) {
    std::string raw = escape_invalid_utf8(r.raw);
    std::string reason = escape_invalid_utf8(r.reason);
    // The key digests what makes two rejects the same: the record and what is wrong with it.
    auto kept = tx.exec_params(
        "INSERT INTO cost_ops.ingest_rejects (run_id, source, line, record, kind, field, reason, "
        "raw, conflicts_with, existing, reject_key) VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), "
        "$7, $8, $9, $10::jsonb, md5($8 || E'\\n' || $7)::uuid) "
        "ON CONFLICT (reject_key) DO NOTHING",
        run_id, escape_invalid_utf8(r.place.file), static_cast<int64_t>(r.place.line),
        static_cast<int64_t>(r.place.record), reject_kind_name(r.kind), r.field, reason, raw,
        r.conflicts_with, r.existing);
    return kept.affected_rows() == 1;
}

}  // namespace costops::cli
