// cost-ops ingest: load usage records from CSV, JSON or NDJSON; the database prices them.
#include <cstdio>
#include <iostream>

#include "../cli_error.hpp"
#include "../config.hpp"
#include "../ingest/ingest_run.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// "usage.csv:12 (record 11): reason" for the report.
std::string describe(const RejectedRecord& reject) {
    return reject.place.file + ":" + std::to_string(reject.place.line) + " (record " +
           std::to_string(reject.place.record) + "): " + reject.reason;
}

// A duration as "0.35" or "1190.47" (seconds, two decimals).
std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", seconds);
    return text;
}

// The counts line of a finished run.
std::string counts_line(const IngestOptions& options, const IngestResult& r) {
    std::string line = "ingested " + counted(r.inserted, "record") + " from " + options.file +
                       " in " + seconds_text(r.seconds) + " s (run " + std::to_string(r.run_id) +
                       "): " + std::to_string(r.priced) + " priced, " + std::to_string(r.unpriced) +
                       " unpriced";
    if (r.resumed_after) {
        line +=
            "; resumed after record " + std::to_string(r.resumed_after) + " of an interrupted run";
    }
    if (r.skipped) line += "; " + counted(r.skipped, "duplicate") + " already stored, skipped";
    if (r.not_usage) {
        line += "; " + counted(r.not_usage, "source record") + (r.not_usage == 1 ? " is" : " are") +
                " not usage (cache hits, chain runs...), skipped";
    }
    if (r.rejected) {
        line += "; " + std::to_string(r.rejected) + " rejected";
        if (options.on_error == OnError::Reject) {
            line += r.rejects_kept == 0
                        ? " (all kept already by earlier runs; see 'cost-ops rejects list')"
                        : " (" + std::to_string(r.rejects_kept) +
                              " newly kept; see 'cost-ops rejects list --run " +
                              std::to_string(r.run_id) + "')";
        }
    }
    return line;
}

// Prints the outcome of a run and throws when nothing (or not everything) was written.
void report(const IngestOptions& options, const IngestResult& r) {
    for (const auto& w : r.warnings) std::cerr << "cost-ops: warning: " << w << "\n";
    for (const auto& reject : r.first_rejects) {
        std::cerr << "cost-ops: rejected: " << describe(reject) << "\n";
    }
    if (r.rejected > static_cast<int64_t>(r.first_rejects.size())) {
        std::cerr << "cost-ops: ... and "
                  << counted(r.rejected - static_cast<int64_t>(r.first_rejects.size()),
                             "more rejected record")
                  << "\n";
    }
    if (options.validate_only) {
        if (r.rejected > 0) {
            throw CliError(options.file + ": " + std::to_string(r.rejected) + " of " +
                           counted(r.records_read, "record") + (r.rejected == 1 ? " is" : " are") +
                           " invalid");
        }
        if (!options.quiet) {
            std::cout << options.file << ": "
                      << (r.records_read == 1 ? "the 1 record is"
                                              : "all " + counted(r.records_read, "record") + " are")
                      << " valid\n";
        }
        return;
    }
    if (!r.committed) {
        throw CliError(options.file + ": " + std::to_string(r.rejected) + " of " +
                       counted(r.records_read, "record") + (r.rejected == 1 ? " is" : " are") +
                       " invalid; nothing was written (fix them, or use "
                       "--on-error reject to load the valid ones and keep the others)");
    }
    if (!options.quiet) {
        std::cout << counts_line(options, r) << "\n";
        if (r.unpriced > 0) {
            std::cout << "unpriced records have no price that covers them: see which and why "
                         "(unpriced_reason) with 'cost-ops query --unpriced --output csv', add "
                         "the missing prices or aliases, then 'cost-ops reprice --unpriced'\n";
        }
    }
    if (r.rejected > 0) {
        throw CliError(
            counted(r.rejected, "record") + (r.rejected == 1 ? " was" : " were") + " rejected", 3);
    }
}

// The --format choices: the file formats, then every importer.
std::vector<std::string> format_choices() {
    std::vector<std::string> choices = {"csv", "json", "ndjson", "jsonl"};
    for (const auto& importer : usage_importers()) choices.push_back(importer.name);
    return choices;
}

// The importers, one per line, for --help.
std::string importers_help() {
    std::string out;
    for (const auto& importer : usage_importers()) {
        out += "  " + std::string(importer.name) +
               std::string(20 - std::string(importer.name).size(), ' ') + importer.summary + "\n";
    }
    return out;
}

// abort, reject or skip as the enum.
OnError parse_on_error(const std::string& text) {
    return text == "reject" ? OnError::Reject : text == "skip" ? OnError::Skip : OnError::Abort;
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
        "flex), latency_ms, metadata (a JSON object); for a row summing many requests (a\n"
        "usage-API bucket) request_count (absent: 1; null/empty: unknown),\n"
        "request_prompt_tokens_min/_max and period_end. Timestamps without a zone are UTC.\n"
        "Instead of the counts, a JSON or NDJSON record may carry its provider's usage object\n"
        "as the response had it: usage (OpenAI, Anthropic, Bedrock) or usageMetadata (Gemini),\n"
        "read by the provider's conventions or those usage_format names (openai, anthropic,\n"
        "gemini; needed for other providers), e.g. {\"provider\": \"anthropic\", ...,\n"
        "\"usage\": {\"input_tokens\": 3, \"cache_creation_input_tokens\": 12304,\n"
        "\"output_tokens\": 550}}.\n"
        "gzip input (a .gz file, or compressed standard input) is decompressed as it streams.\n"
        "Other tools' exports: --format NAME (README, \"Importing from other tools\"):\n" +
            importers_help() +
            "Bad records: with --on-error abort (the default) the file is one transaction and a\n"
            "file with any invalid record writes nothing; every invalid record is reported with\n"
            "its line and field. With --on-error reject the good records land batch by batch\n"
            "and each bad one is kept in cost_ops.ingest_rejects ('cost-ops rejects list',\n"
            "'cost-ops rejects retry'); skip only reports them.\n"
            "Each record lands once: a record is identified by provider, organization_id and\n"
            "request_id (without a request_id: by its whole content). Ingesting a file again adds\n"
            "nothing; a different record under a stored identity is rejected, both kept visible.\n"
            "An interrupted reject/skip run (Ctrl-C, killed, connection lost) resumes where its\n"
            "last batch committed when the same command runs again (Ctrl-C stops before the\n"
            "next record and says so; a second Ctrl-C ends it at once). Every run is in\n"
            "cost_ops.ingest_runs ('cost-ops runs list').\n"
            "Examples:\n"
            "  cost-ops ingest --file usage.csv\n"
            "  cost-ops ingest --file usage_import.json --validate-only\n"
            "  cost-ops ingest --file usage.ndjson.gz --on-error reject --log-file import.log\n"
            "  cost-ops ingest --format helicone --file helicone_export.json\n"
            "  curl -s https://example.com/usage.csv.gz | cost-ops ingest --file - --format csv");
    auto options = std::make_shared<IngestOptions>();
    auto format = std::make_shared<std::string>();
    auto on_error = std::make_shared<std::string>();
    auto batch = std::make_shared<long>(0);
    cmd->add_option("--file,-f", options->file, "file to read, - for standard input")->required();
    cmd->add_option("--format", *format,
                    "csv, json or ndjson (default: from the file name or content), or an "
                    "importer: helicone, langsmith, langfuse, litellm, openai-usage, "
                    "anthropic-usage, otel, provider-response")
        ->check(CLI::IsMember(format_choices()));
    cmd->add_option("--batch-size", *batch,
                    "records per COPY statement (default 5000, or [ingest] batch_size)")
        ->check(CLI::Range(1L, 10000000L));
    cmd->add_flag("--validate-only", options->validate_only,
                  "check every record and report each invalid one; write nothing, no database");
    cmd->add_option("--on-error", *on_error,
                    "abort: a file with invalid records writes nothing (default, or [ingest] "
                    "on_error); reject: load the valid records, keep the others in "
                    "cost_ops.ingest_rejects; skip: load the valid records, report the others")
        ->check(CLI::IsMember({"abort", "reject", "skip"}));
    cmd->add_option("--log-file", options->log_file,
                    "append what the run does (start, progress, each reject, the outcome) to "
                    "this file (default: [ingest] log_file)");
    cmd->add_option("--default-organization", options->mapping.default_organization,
                    "organization_id for records that have none");
    cmd->add_flag("--quiet,-q", options->quiet, "print nothing but errors");
    cmd->callback([&ctx, options, format, on_error, batch] {
        options->importer = find_usage_importer(*format);
        if (!format->empty() && !options->importer) options->format = parse_input_format(*format);
        if (options->importer) options->format.reset();
        const Config& config = ctx.config();
        options->on_error = parse_on_error(
            !on_error->empty() ? *on_error : config.ingest_on_error.value_or("abort"));
        if (!options->log_file && config.ingest_log_file)
            options->log_file = config.ingest_log_file;
        if (*batch > 0) {
            options->batch_size = static_cast<size_t>(*batch);
        } else if (config.ingest_batch_size) {
            options->batch_size = static_cast<size_t>(*config.ingest_batch_size);
        }
        pqxx::connection* conn = options->validate_only ? nullptr : &ctx.connection();
        report(*options, run_ingest(*options, conn));
    });
}

}  // namespace costops::cli
