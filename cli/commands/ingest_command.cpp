// cost-ops ingest: load usage records from CSV, JSON or NDJSON; the database prices them.
#include <iostream>

#include "../cli_error.hpp"
#include "../ingest/ingest_run.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// Prints the outcome of a run and throws when nothing (or not everything) was written.
void report(const IngestOptions& options, const IngestResult& r) {
    for (const auto& w : r.warnings) std::cerr << "cost-ops: warning: " << w << "\n";
    for (const auto& reject : r.first_rejects) {
        std::cerr << "cost-ops: invalid record: " << describe_reject(reject) << "\n";
    }
    if (r.rejected > r.first_rejects.size()) {
        std::cerr << "cost-ops: ... and " << r.rejected - r.first_rejects.size()
                  << " more invalid records\n";
    }
    if (options.validate_only) {
        if (r.rejected > 0) {
            throw CliError(options.file + ": " + std::to_string(r.rejected) + " of " +
                           std::to_string(r.records_read) + " records are invalid");
        }
        if (!options.quiet) {
            std::cout << options.file << ": all " << r.records_read << " records are valid\n";
        }
        return;
    }
    if (!r.committed) {
        throw CliError(options.file + ": " + std::to_string(r.rejected) + " of " +
                       std::to_string(r.records_read) +
                       " records are invalid; nothing was written (fix them, or use "
                       "--on-error skip to load the valid ones)");
    }
    if (!options.quiet) {
        std::cout << "ingested " << r.records_written << " records from " << options.file << " in "
                  << static_cast<long>(r.seconds * 1000) / 1000.0 << " s: " << r.priced
                  << " priced, " << r.unpriced << " unpriced";
        if (r.rejected) std::cout << ", " << r.rejected << " invalid skipped";
        std::cout << "\n";
        if (r.unpriced > 0) {
            std::cout << "unpriced records have no price that covers them: see which and why "
                         "(unpriced_reason) with 'cost-ops query --unpriced --output csv', add "
                         "the missing prices or aliases, then 'cost-ops reprice --unpriced'\n";
        }
    }
    if (r.rejected > 0) {
        throw CliError(std::to_string(r.rejected) + " invalid records were skipped", 3);
    }
}

}  // namespace

void register_ingest_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "ingest",
        "Load usage records; the database prices each one as it lands.\n"
        "Formats: CSV with a header row (columns in any order), a JSON array of records, or\n"
        "NDJSON (one record per line). Fields: timestamp, provider, model (a string or\n"
        "{\"name\": ...}), organization_id, project_id, user_id, request_id, prompt_tokens,\n"
        "completion_tokens, total_tokens, cached_tokens, cache_write_tokens (5-minute),\n"
        "cache_write_1h_tokens, reasoning_tokens, service_tier (standard, batch, priority,\n"
        "flex), latency_ms, metadata (a JSON object). Timestamps without a zone are UTC.\n"
        "Instead of the counts, a JSON or NDJSON record may carry its provider's usage object\n"
        "as the response had it: usage (OpenAI, Anthropic, Bedrock) or usageMetadata (Gemini),\n"
        "read by the provider's conventions or those usage_format names (openai, anthropic,\n"
        "gemini; needed for other providers), e.g. {\"provider\": \"anthropic\", ...,\n"
        "\"usage\": {\"input_tokens\": 3, \"cache_creation_input_tokens\": 12304,\n"
        "\"output_tokens\": 550}}.\n"
        "gzip input (a .gz file, or compressed standard input) is decompressed as it streams.\n"
        "The whole file is one transaction: by default a file with any invalid record writes\n"
        "nothing and every invalid record is reported with its line and field.\n"
        "Examples:\n"
        "  cost-ops ingest --file usage.csv\n"
        "  cost-ops ingest --file usage_import.json --validate-only\n"
        "  cost-ops ingest --file usage.ndjson.gz\n"
        "  curl -s https://example.com/usage.csv.gz | cost-ops ingest --file - --format csv");
    auto options = std::make_shared<IngestOptions>();
    auto format = std::make_shared<std::string>();
    auto on_error = std::make_shared<std::string>("abort");
    auto batch = std::make_shared<long>(0);
    cmd->add_option("--file,-f", options->file, "file to read, - for standard input")->required();
    cmd->add_option("--format", *format,
                    "csv, json or ndjson (default: from the file name or content)")
        ->check(CLI::IsMember({"csv", "json", "ndjson", "jsonl"}));
    cmd->add_option("--batch-size", *batch,
                    "records per COPY statement (default 5000, or [ingest] batch_size)")
        ->check(CLI::Range(1L, 10000000L));
    cmd->add_flag("--validate-only", options->validate_only,
                  "check every record and report each invalid one; write nothing, no database");
    cmd->add_option("--on-error", *on_error,
                    "abort: a file with invalid records writes nothing (default); skip: load the "
                    "valid records and report the others")
        ->check(CLI::IsMember({"abort", "skip"}));
    cmd->add_option("--default-organization", options->mapping.default_organization,
                    "organization_id for records that have none");
    cmd->add_flag("--quiet,-q", options->quiet, "print nothing but errors");
    cmd->callback([&ctx, options, format, on_error, batch] {
        if (!format->empty()) options->format = parse_input_format(*format);
        options->on_error = *on_error == "skip" ? OnError::Skip : OnError::Abort;
        if (*batch > 0) {
            options->batch_size = static_cast<size_t>(*batch);
        } else if (ctx.config().ingest_batch_size) {
            options->batch_size = static_cast<size_t>(*ctx.config().ingest_batch_size);
        }
        pqxx::connection* conn = options->validate_only ? nullptr : &ctx.connection();
        report(*options, run_ingest(*options, conn));
    });
}

}  // namespace costops::cli
