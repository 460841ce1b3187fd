#include "reference_usage.hpp"

#include "../cli_error.hpp"
#include "../db/copy_writer.hpp"
#include "../ingest/source_mapping.hpp"
#include "../text_count.hpp"
#include "decimal.hpp"
#include "exact_json.hpp"

namespace costops::cli {

const std::vector<std::string>& reference_columns() {
    static const std::vector<std::string> columns = {
        "timestamp",    "provider",       "model",         "organization_id",   "project_id",
        "user_id",      "records",        "prompt_tokens", "completion_tokens", "cached_tokens",
        "total_tokens", "reference_cost", "request_id"};
    return columns;
}

std::unique_ptr<SourceInput> open_reference_file(const std::string& file) {
    try {
        return std::make_unique<SourceInput>(file);
    } catch (const CliError& e) {
        throw CliError(e.what(), 2);
    }
}

void create_reference_table(pqxx::work& tx) {
    tx.exec(
        "CREATE TEMP TABLE reference_usage (\"timestamp\" timestamptz NOT NULL, provider text, "
        "model text NOT NULL, organization_id text, project_id text, user_id text, records "
        "bigint, prompt_tokens bigint, completion_tokens bigint, cached_tokens bigint, "
        "total_tokens bigint, reference_cost cost_ops.cost, request_id text) ON COMMIT DROP");
}

namespace {

// The record's own cost text: its total_cost field, else metadata.source_cost; "" for none.
std::string reference_cost_text(const SourceRecord& source, const UsageRecord& usage) {
    if (source.fields.is_object()) {
        auto it = source.fields.find("total_cost");
        if (it != source.fields.end() && !it->is_null()) return json_scalar_text(*it);
    }
    if (!usage.metadata) return "";
    Json metadata = parse_json_exact(*usage.metadata);
    auto it = metadata.find("source_cost");
    return it == metadata.end() || it->is_null() ? "" : json_scalar_text(*it);
}

// One usage record as a row of the reference table.
Row reference_row(const UsageRecord& u, const std::string& cost) {
    auto count = [](int64_t n) { return Cell(std::to_string(n)); };
    return {u.timestamp,
            u.provider,
            u.model,
            u.organization_id,
            u.project_id,
            u.user_id,
            count(1),
            count(u.prompt_tokens),
            count(u.completion_tokens),
            count(u.cached_tokens),
            count(u.total_tokens.value_or(u.prompt_tokens + u.completion_tokens)),
            cost.empty() ? Cell() : Cell(cost),
            u.request_id};
}

}  // namespace

ReferenceLoad load_reference_usage(pqxx::work& tx, const std::string& file,
                                   const UsageImporter* importer, const MappingOptions& mapping) {
    create_reference_table(tx);
    std::unique_ptr<SourceInput> opened = open_reference_file(file);
    SourceInput& input = *opened;
    size_t skipped_lines = 0;
    InputFormat format = detect_input_format(file, input.stream(), &skipped_lines);
    CopyWriter copy(tx, kReferenceTable, reference_columns());
    ReferenceLoad load;
    std::vector<UsageRecord> usages;
    std::string text;
    auto reject = [&](const SourcePlace& at, const std::string& field, const std::string& why) {
        load.rejected.push_back(
            {at.file, static_cast<int64_t>(at.line), static_cast<int64_t>(at.record), field, why});
    };
    read_records(
        input.stream(), format, file,
        [&](SourceRecord&& record) {
            if (!record.error.empty()) return reject(record.place, "", record.error);
            std::vector<FieldError> errors;
            std::vector<std::string> unknown;
            map_source_record(record, importer, mapping, usages, errors, unknown);
            if (!errors.empty()) {
                return reject(record.place, errors.front().field, errors.front().message);
            }
            if (usages.empty()) ++load.not_usage;
            std::vector<std::string> costs;
            for (const UsageRecord& usage : usages) {
                costs.push_back(reference_cost_text(record, usage));
                Decimal parsed;
                std::string why;
                if (!costs.back().empty() && !Decimal::try_parse(costs.back(), parsed, why)) {
                    return reject(record.place, "total_cost",
                                  "total_cost: '" + costs.back() +
                                      "' is not an exact decimal amount: " + why);
                }
            }
            for (size_t i = 0; i < usages.size(); ++i) {
                ++load.records;
                if (!costs[i].empty()) ++load.with_cost;
                text.clear();
                append_copy_cells(text, reference_row(usages[i], costs[i]));
                text += '\n';
                copy.send(text);
            }
        },
        skipped_lines + 1);
    copy.finish();
    if (input.stream().bad()) throw CliError("reading " + file + " failed");
    if (load.records == 0 && load.not_usage == 0 && !load.rejected.empty()) {
        const ReferenceReject& r = load.rejected.front();
        throw CliError(file + ": no valid record to compare (" +
                           counted(static_cast<int64_t>(load.rejected.size()), "record") +
                           " rejected; the first, line " + std::to_string(r.line) + ": " +
                           r.reason + ")",
                       2);
    }
    return load;
}

}  // namespace costops::cli
