// cost-ops export: write usage records with exact costs to a file.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "../cli_error.hpp"
#include "../db/copy_reader.hpp"
#include "../focus_columns.hpp"
#include "../record_filter.hpp"
#include "../text_count.hpp"
#include "../usage_columns.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// The --format given, else the one the output file's extension names, else csv.
std::string export_format(const std::string& flag, const std::string& output) {
    if (!flag.empty()) return flag;
    auto ends = [&](const std::string& ext) {
        return output.size() > ext.size() &&
               output.compare(output.size() - ext.size(), ext.size(), ext) == 0;
    };
    if (ends(".json")) return "json";
    if (ends(".ndjson") || ends(".jsonl")) return "ndjson";
    return "csv";
}

}  // namespace

void register_export_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "export",
        "Write usage records with their exact costs to a file (streamed: any size).\n"
        "CSV columns: timestamp, provider, model, organization_id, total_tokens, prompt_tokens,\n"
        "completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, project_id,\n"
        "user_id, request_id, latency_ms, input_cost, output_cost, total_cost, pricing_id,\n"
        "metadata, cache_write_1h_tokens, service_tier, price_match, unpriced_reason,\n"
        "request_count, request_prompt_tokens_min, request_prompt_tokens_max, period_end. Costs "
        "are\n"
        "exact decimal strings; an empty cost means unpriced (unpriced_reason says why).\n"
        "--format focus writes FinOps FOCUS 1.1 columns as CSV, one row per record: BilledCost,\n"
        "EffectiveCost, ListCost, ContractedCost (the exact cost), BillingCurrency (USD),\n"
        "ChargePeriodStart/End (the hour of the request), BillingPeriodStart/End (its month),\n"
        "ChargeCategory, ChargeFrequency, ChargeDescription, ConsumedQuantity/Unit (tokens),\n"
        "ProviderName, PublisherName, InvoiceIssuerName, ServiceName (the model),\n"
        "ServiceCategory, ResourceId (the request id), ResourceType, BillingAccountId (the\n"
        "organization), SubAccountId (the project), SkuId, SkuPriceId (the price row), Tags\n"
        "(user_id, service_tier and the metadata), then x_ columns with the token detail.\n"
        "Example: cost-ops export --output migrated_costs.csv --format csv --range "
        "2025-01-01..2025-01-31");
    struct Options {
        RecordFilter filter;
        std::string output, format;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--output,-o", o->output, "file to write, - for standard output")->required();
    cmd->add_option("--format", o->format,
                    "csv, json (an array), ndjson or focus (FOCUS columns, CSV) (default: from "
                    "the --output file name's extension, else csv); ndjson and focus are off when "
                    "the config file sets [features] new_export_formats = false")
        ->check(CLI::IsMember({"csv", "json", "ndjson", "focus"}));
    add_range_options(*cmd, o->filter);
    add_key_filter_options(*cmd, o->filter);
    cmd->callback([&ctx, o] {
        std::string format = export_format(o->format, o->output);
        if (format == "ndjson" || format == "focus") {
            require_feature(ctx.config(), ctx.config().features.new_export_formats,
                            "new_export_formats", "export --format " + format);
        }
        pqxx::connection& conn = ctx.connection();
        bool focus = format == "focus";
        const std::vector<Column>& columns = focus ? focus_columns() : usage_record_columns();
        std::string sql = (focus ? focus_select() : usage_select(columns)) +
                          where_clause(o->filter, conn) + " ORDER BY u.\"timestamp\", u.id";
        std::ofstream file;
        std::string temp = o->output + ".partial";
        if (o->output != "-") {
            file.open(temp, std::ios::binary | std::ios::trunc);
            if (!file) throw CliError("cannot write " + temp + ": " + std::strerror(errno));
        }
        std::ostream& out = o->output == "-" ? std::cout : file;
        size_t count = 0;
        try {
            pqxx::work tx(conn);
            auto sink = make_row_sink(parse_output_format(focus ? "csv" : format), out);
            sink->begin(columns);
            copy_query_rows(tx, sql, [&](const Row& row) {
                sink->row(row);
                ++count;
            });
            sink->end();
        } catch (...) {
            if (o->output != "-") std::remove(temp.c_str());
            throw;
        }
        if (o->output != "-") {
            file.close();
            if (!file || std::rename(temp.c_str(), o->output.c_str()) != 0) {
                std::remove(temp.c_str());
                throw CliError("cannot write " + o->output + ": " + std::strerror(errno));
            }
            std::cout << "exported " << counted(count, "record") << " to " << o->output << "\n";
        }
    });
}

}  // namespace costops::cli
