// cost-ops pricing add|list|import: the effective-dated prices the database prices usage with.
#include <algorithm>
#include <fstream>
#include <iostream>

#include "../cli_error.hpp"
#include "../db/copy_reader.hpp"
#include "../pricing/price_store.hpp"
#include "../text_count.hpp"
#include "../timestamps.hpp"
#include "commands.hpp"
#include "../text_case.hpp"
#include "price_rule.hpp"

namespace costops::cli {

namespace {

// A price flag's value, checked exactly (USD per 1M tokens, at most 18 fractional digits);
// nullopt for an optional flag left out.
std::optional<std::string> price_flag(const std::string& flag, const std::string& value,
                                      bool required = false) {
    if (value.empty() && required) throw CliError(flag + " needs a price, e.g. 2.50");
    if (value.empty()) return std::nullopt;
    try {
        return parse_price(value).to_string();
    } catch (const DecimalError& e) {
        throw CliError(flag + " '" + value + "': " + e.what());
    }
}

// An --effective-date or --end-date as timestamptz text: a date is 00:00 UTC; an end date
// names the last day the price applies, so it becomes the next day's midnight (exclusive).
std::string date_flag(const std::string& flag, const std::string& value, bool end) {
    ParsedTimestamp t;
    std::string why;
    if (!parse_timestamp(value, t, why)) throw CliError(flag + " '" + value + "': " + why);
    return end && !t.has_time ? next_day_text(t) : timestamptz_text(t);
}

// Warns of top-level --structure keys the cost formula does not read: the database keeps them
// for reference, so a misspelt "request_fees" would silently charge nothing.
void warn_unused_keys(const Json& structure) {
    static const char* const kUsed[] = {"tiers", "time_of_day", "service_tiers", "request_fee",
                                        "unapplied"};
    if (!structure.is_object()) return;
    for (auto it = structure.begin(); it != structure.end(); ++it) {
        if (std::none_of(std::begin(kUsed), std::end(kUsed),
                         [&](const char* used) { return it.key() == used; })) {
            std::cerr << "warning: --structure key \"" << it.key()
                      << "\" is not used by the cost formula (kept for reference): the formula "
                         "reads tiers, time_of_day, service_tiers and request_fee\n";
        }
    }
}

// The --structure JSON, checked as the database will check it (exact: numbers keep their text).
Json structure_flag(const std::string& text) {
    try {
        Json structure = parse_json_exact(text);
        make_price_rule(0, Rates{}, text);
        warn_unused_keys(structure);
        return structure;
    } catch (const JsonSyntaxError& e) {
        throw CliError(std::string("--structure is not valid JSON: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw CliError(std::string("--structure: ") + e.what());
    }
}

// `pricing add`: one price row from flags, checked like an imported one.
void register_add(CLI::App& pricing, Context& ctx) {
    struct Options {
        std::string provider, model, input, output, cached, write, write_1h, reasoning;
        std::string effective, end, structure;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = add_command(
        pricing, "add",
        "Add a price for one provider and model, valid from a date, optionally until one.\n"
        "Valid from --effective-date (00:00 UTC) through --end-date (that whole day; omit\n"
        "for open-ended). A new open-ended price closes the model's current one. Records\n"
        "already priced keep their costs until repriced (see README, \"Repricing\").\n"
        "Prices are USD per 1M tokens, exact. Context tiers, service tiers (batch, priority,\n"
        "flex), time-of-day prices and a per-request fee go in --structure (README,\n"
        "\"pricing_structure\").\n"
        "Example: cost-ops pricing add --provider openai --model gpt-4 --input-price 30.0 \\\n"
        "           --output-price 60.0 --effective-date 2023-03-14 --end-date 2024-04-08\n"
        "         cost-ops pricing add --provider google --model gemini-2.5-pro --input-price 1.25 "
        "\\\n"
        "           --output-price 10 --effective-date 2025-06-17 \\\n"
        "           --structure '{\"tiers\": [{\"above_prompt_tokens\": 200000, \"input\": "
        "\"2.5\", \"output\": \"15\"}]}'");
    cmd->add_option("--provider", o->provider, "provider, e.g. openai")->required();
    cmd->add_option("--model", o->model, "model as records name it, e.g. gpt-4o")->required();
    cmd->add_option("--input-price", o->input, "USD per 1M prompt tokens")->required();
    cmd->add_option("--output-price", o->output, "USD per 1M completion tokens")->required();
    cmd->add_option("--cached-input-price", o->cached,
                    "USD per 1M cache-read tokens (default: the input price)");
    cmd->add_option("--cache-write-price", o->write,
                    "USD per 1M 5-minute cache-write tokens (default: the input price)");
    cmd->add_option("--cache-write-1h-price", o->write_1h,
                    "USD per 1M 1-hour cache-write tokens (default: the input price)");
    cmd->add_option("--reasoning-price", o->reasoning,
                    "USD per 1M reasoning tokens (default: the output price)");
    cmd->add_option("--structure", o->structure,
                    "pricing_structure JSON: tiers, service_tiers, time_of_day, request_fee");
    cmd->add_option("--effective-date", o->effective, "first day (or instant) the price applies")
        ->required();
    cmd->add_option("--end-date", o->end, "last day the price applies (or an exclusive instant)");
    cmd->callback([&ctx, o] {
        ImportedPrice p;
        p.provider = lower_case(o->provider);
        p.model = o->model;
        p.input = price_flag("--input-price", o->input, true);
        p.output = price_flag("--output-price", o->output, true);
        p.cached_input = price_flag("--cached-input-price", o->cached);
        p.cache_write = price_flag("--cache-write-price", o->write);
        p.cache_write_1h = price_flag("--cache-write-1h-price", o->write_1h);
        p.reasoning = price_flag("--reasoning-price", o->reasoning);
        if (!o->structure.empty()) p.pricing_structure = structure_flag(o->structure);
        p.effective_date = date_flag("--effective-date", o->effective, false);
        if (!o->end.empty()) p.end_date = date_flag("--end-date", o->end, true);
        if (p.end_date && *p.end_date <= p.effective_date) {
            throw CliError("--end-date " + o->end + " ends the price before --effective-date " +
                           o->effective + " starts it");
        }
        pqxx::work tx(ctx.connection());
        AddedPrice added = add_price(tx, p, "manual");
        tx.commit();
        std::cout << "added price row " << added.id << ": " << p.provider << "/" << p.model
                  << " input " << *p.input << ", output " << *p.output;
        if (p.cached_input) std::cout << ", cached input " << *p.cached_input;
        if (p.cache_write) std::cout << ", cache write " << *p.cache_write;
        if (p.cache_write_1h) std::cout << ", 1-hour cache write " << *p.cache_write_1h;
        if (p.reasoning) std::cout << ", reasoning " << *p.reasoning;
        std::cout << " USD per 1M tokens, valid from " << p.effective_date << " "
                  << (p.end_date ? "until " + *p.end_date + " (exclusive)" : "(open-ended)")
                  << "\n";
        for (long id : added.closed) {
            std::cout << "closed price row " << id << " at " << p.effective_date << "\n";
        }
        if (added.stale_records > 0) {
            std::cout << counted(added.stale_records, "stored record") << " from "
                      << p.effective_date << " on keep the closed row's price: run '"
                      << reprice_from(p.effective_date)
                      << "' to apply the new one (to every record from then, those priced "
                         "under aliases and other spellings too)\n";
        }
    });
}

// `pricing list`: the price rows, filtered, in any output format.
void register_list(CLI::App& pricing, Context& ctx) {
    struct Options {
        std::string provider, model, at, source, output = "table";
    };
    auto o = std::make_shared<Options>();
    auto* cmd = add_command(pricing, "list",
                            "List prices (USD per 1M tokens); end_date is exclusive.\n"
                            "Example: cost-ops pricing list --provider openai --at 2024-04-08");
    cmd->add_option("--provider", o->provider, "only this provider");
    cmd->add_option("--model", o->model, "only this model");
    cmd->add_option("--at", o->at, "only prices valid at this date or instant");
    cmd->add_option("--source", o->source,
                    "only rows from this source (manual, genai-prices, litellm)");
    cmd->add_option("--output,-o", o->output, "table, json, ndjson or csv")
        ->check(CLI::IsMember({"table", "json", "ndjson", "csv"}));
    cmd->callback([&ctx, o] {
        OutputFormat format = parse_output_format(o->output);
        pqxx::connection& conn = ctx.connection();
        std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                       {"provider", ColumnKind::Text},
                                       {"model", ColumnKind::Text},
                                       {"effective_date", ColumnKind::Timestamp},
                                       {"end_date", ColumnKind::Timestamp},
                                       {"input_price", ColumnKind::Cost},
                                       {"output_price", ColumnKind::Cost},
                                       {"cached_input_price", ColumnKind::Cost},
                                       {"cache_write_price", ColumnKind::Cost},
                                       {"cache_write_1h_price", ColumnKind::Cost},
                                       {"reasoning_price", ColumnKind::Cost},
                                       {"source", ColumnKind::Text}};
        if (format != OutputFormat::Table)
            columns.push_back({"pricing_structure", ColumnKind::Json});
        std::string sql = "SELECT ";
        for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i].name;
        sql += " FROM cost_ops.pricing_tables WHERE true";
        if (!o->provider.empty()) sql += " AND provider = " + conn.quote(lower_case(o->provider));
        if (!o->model.empty()) sql += " AND model = " + conn.quote(o->model);
        if (!o->source.empty()) sql += " AND source = " + conn.quote(o->source);
        if (!o->at.empty()) {
            std::string at = conn.quote(date_flag("--at", o->at, false));
            sql += " AND effective_date <= " + at + "::timestamptz AND (end_date IS NULL OR " + at +
                   "::timestamptz < end_date)";
        }
        sql += " ORDER BY provider, model, effective_date";
        pqxx::work tx(conn);
        auto sink = make_row_sink(format, std::cout);
        sink->begin(columns);
        copy_query_rows(tx, sql, [&](const Row& row) { sink->row(row); });
        sink->end();
    });
}

// `pricing import`: a genai-prices or LiteLLM file, in one transaction.
void register_import(CLI::App& pricing, Context& ctx) {
    struct Options {
        std::string format, file;
        bool dry_run = false;
    };
    auto o = std::make_shared<Options>();
    auto* cmd =
        add_command(pricing, "import",
                    "Import a price list (genai-prices or litellm), exact to the digit.\n"
                    "One transaction. Re-importing adds only\n"
                    "what changed; rows from another source (e.g. your manual prices) are never\n"
                    "overwritten, and what the import cannot price is listed. A corrected row\n"
                    "that priced usage records is noted with the cost-ops reprice that applies\n"
                    "it (a hand UPDATE of an imported row is overwritten: use pricing add).\n"
                    "Formats: genai-prices (pydantic/genai-prices data.json: prices, context\n"
                    "tiers, dated price lists, the models' match rules and the providers'\n"
                    "fallbacks), litellm (model_prices_and_context_window.json: every\n"
                    "*_cost_per_token kind, _above_<N>k_tokens tiers, batch, priority and flex).\n"
                    "Example: cost-ops pricing import --format genai-prices data.json");
    cmd->add_option("--format", o->format, "genai-prices or litellm")
        ->required()
        ->check(CLI::IsMember({"genai-prices", "litellm"}));
    cmd->add_option("file", o->file, "the price file")->required();
    cmd->add_flag("--dry-run", o->dry_run, "report what would change, write nothing");
    cmd->callback([&ctx, o] {
        std::ifstream in(o->file, std::ios::binary);
        if (!in) throw CliError("cannot open " + o->file);
        PriceImport list = o->format == "genai-prices" ? read_genai_prices(in, o->file)
                                                       : read_litellm_prices(in, o->file);
        pqxx::work tx(ctx.connection());
        ImportOutcome outcome = import_prices(tx, list);
        if (!o->dry_run) tx.commit();
        for (const auto& s : list.skipped) {
            std::cout << "not applied " << s.provider << "/" << s.model << ": " << s.reason << "\n";
        }
        for (const auto& k : outcome.kept) std::cout << "not imported " << k << "\n";
        for (const auto& n : outcome.notes) std::cout << "note " << n << "\n";
        std::cout << (o->dry_run ? "dry run, nothing written: " : "") << list.source << " "
                  << o->file << ": "
                  << counted(static_cast<int64_t>(list.prices.size()), "price row") << ": "
                  << outcome.added << " added, " << outcome.updated << " updated, "
                  << outcome.unchanged << " unchanged, " << outcome.removed
                  << " removed (no longer listed), " << outcome.kept.size()
                  << " not imported (overlap another "
                  << "source's price); "
                  << counted(static_cast<int64_t>(list.skipped.size()), "part") << " not applied, "
                  << counted(static_cast<int64_t>(outcome.notes.size()), "note") << "; "
                  << counted(outcome.match_rules, "match rule") << ", "
                  << counted(outcome.fallback_providers, "provider fallback") << "\n";
    });
}

}  // namespace

void register_pricing_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "pricing", "Prices: add one, list them, import a price list, alias reported names.");
    cmd->require_subcommand(1);
    register_add(*cmd, ctx);
    register_list(*cmd, ctx);
    register_import(*cmd, ctx);
    register_alias_command(*cmd, ctx);
}

}  // namespace costops::cli
