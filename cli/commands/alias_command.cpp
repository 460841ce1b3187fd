// cost-ops pricing alias add|list|remove: names records report (Azure deployments, Bedrock
// inference profiles, agent names) priced as a model that has prices.
#include <iostream>

#include "../cli_error.hpp"
#include "../db/copy_reader.hpp"
#include "../text_case.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// The (provider, model) options every alias subcommand takes.
struct AliasKey {
    std::string provider, model;
};

// Adds --provider and --model (the name as records report it).
void add_key_options(CLI::App& cmd, AliasKey& key) {
    cmd.add_option("--provider", key.provider, "provider as records report it")->required();
    cmd.add_option("--model", key.model, "model as records report it")->required();
}

// Stored records of the aliased name, and how many of them are unpriced.
std::pair<long, long> records_of(pqxx::dbtransaction& tx, const AliasKey& key) {
    pqxx::row r = tx.exec_params1(
        "SELECT count(*), count(*) - count(total_cost) FROM cost_ops.usage_records "
        "WHERE provider = $1 AND model = $2",
        key.provider, key.model);
    return {r[0].as<long>(), r[1].as<long>()};
}

// Whether cost_ops.pricing_tables has any row for this provider and model.
bool has_prices(pqxx::dbtransaction& tx, const std::string& provider, const std::string& model) {
    return tx.exec_params1(
                 "SELECT count(*) FROM cost_ops.pricing_tables WHERE provider = $1 "
                 "AND model = $2",
                 provider, model)[0]
               .as<long>() > 0;
}

// `pricing alias add`: checks the target has prices and the name none, then stores the alias.
void register_add(CLI::App& alias, Context& ctx) {
    struct Options {
        AliasKey key;
        std::string target_provider, target_model, note;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = add_command(
        alias, "add",
        "Price records of a reported name as another model.\n"
        "The target must have prices (cost-ops pricing list); the reported name must have\n"
        "none of its own (they would win) and no alias yet (remove it to change it). New\n"
        "records are priced through the alias at once; run cost-ops reprice for the stored\n"
        "ones.\n"
        "Example: cost-ops pricing alias add --provider azure --model prod-gpt4o-eastus \\\n"
        "           --target-provider openai --target-model gpt-4o");
    add_key_options(*cmd, o->key);
    cmd->add_option("--target-provider", o->target_provider, "provider of the priced model")
        ->required();
    cmd->add_option("--target-model", o->target_model, "the priced model")->required();
    cmd->add_option("--note", o->note, "why (kept with the alias)");
    cmd->callback([&ctx, o] {
        o->key.provider = lower_case(o->key.provider);
        o->target_provider = lower_case(o->target_provider);
        pqxx::work tx(ctx.connection());
        if (!has_prices(tx, o->target_provider, o->target_model)) {
            throw CliError(o->target_provider + "/" + o->target_model +
                           " has no prices: add one first (cost-ops pricing add)");
        }
        // Its own prices come first: an alias of it would never apply.
        if (has_prices(tx, o->key.provider, o->key.model)) {
            throw CliError(o->key.provider + "/" + o->key.model +
                           " has prices of its own, which its records are priced with: an alias "
                           "would never apply");
        }
        pqxx::result existing = tx.exec_params(
            "SELECT target_provider, target_model FROM cost_ops.model_aliases "
            "WHERE provider = $1 AND model = $2",
            o->key.provider, o->key.model);
        if (!existing.empty()) {
            throw CliError(o->key.provider + "/" + o->key.model + " is already an alias of " +
                           existing[0][0].c_str() + "/" + existing[0][1].c_str() +
                           ": remove it first (cost-ops pricing alias remove)");
        }
        tx.exec_params(
            "INSERT INTO cost_ops.model_aliases (provider, model, target_provider, target_model, "
            "note) VALUES ($1, $2, $3, $4, NULLIF($5, ''))",
            o->key.provider, o->key.model, o->target_provider, o->target_model, o->note);
        auto [records, unpriced] = records_of(tx, o->key);
        tx.commit();
        std::cout << "records of " << o->key.provider << "/" << o->key.model << " are priced as "
                  << o->target_provider << "/" << o->target_model << "\n";
        if (records > 0) {
            std::cout << counted(records, "stored record") << " (" << unpriced
                      << " unpriced) keep their costs until repriced: cost-ops reprice "
                         "--provider "
                      << o->key.provider << " --model " << o->key.model << "\n";
        }
    });
}

// `pricing alias list`: every alias, in any output format.
void register_list(CLI::App& alias, Context& ctx) {
    auto output = std::make_shared<std::string>("table");
    auto* cmd = add_command(alias, "list", "List the aliases.");
    cmd->add_option("--output,-o", *output, "table, json, ndjson or csv")
        ->check(CLI::IsMember({"table", "json", "ndjson", "csv"}));
    cmd->callback([&ctx, output] {
        std::vector<Column> columns = {{"provider", ColumnKind::Text},
                                       {"model", ColumnKind::Text},
                                       {"target_provider", ColumnKind::Text},
                                       {"target_model", ColumnKind::Text},
                                       {"note", ColumnKind::Text},
                                       {"created_at", ColumnKind::Timestamp}};
        pqxx::work tx(ctx.connection());
        auto sink = make_row_sink(parse_output_format(*output), std::cout);
        sink->begin(columns);
        copy_query_rows(tx,
                        "SELECT provider, model, target_provider, target_model, note, created_at "
                        "FROM cost_ops.model_aliases ORDER BY provider, model",
                        [&](const Row& row) { sink->row(row); });
        sink->end();
    });
}

// `pricing alias remove`: deletes one alias (stored costs stay until repriced).
void register_remove(CLI::App& alias, Context& ctx) {
    auto key = std::make_shared<AliasKey>();
    auto* cmd = add_command(alias, "remove",
                            "Remove an alias.\n"
                            "Stored records keep their costs until repriced.");
    add_key_options(*cmd, *key);
    cmd->callback([&ctx, key] {
        key->provider = lower_case(key->provider);
        pqxx::work tx(ctx.connection());
        pqxx::result removed = tx.exec_params(
            "DELETE FROM cost_ops.model_aliases WHERE provider = $1 AND model = $2 RETURNING 1",
            key->provider, key->model);
        if (removed.empty()) {
            throw CliError("no alias for " + key->provider + "/" + key->model);
        }
        tx.commit();
        std::cout << "removed the alias of " << key->provider << "/" << key->model << "\n";
    });
}

}  // namespace

void register_alias_command(CLI::App& pricing, Context& ctx) {
    auto* cmd = add_command(pricing, "alias",
                            "Aliases: price a reported name (deployment, inference profile) as "
                            "another model.");
    cmd->require_subcommand(1);
    register_add(*cmd, ctx);
    register_list(*cmd, ctx);
    register_remove(*cmd, ctx);
}

}  // namespace costops::cli
