// cost-ops budget: monthly budgets of organizations and projects, and where their spend stands.
#include <iostream>
#include <regex>
#include <sstream>

#include "../cli_error.hpp"
#include "../db/result_rows.hpp"
#include "../text_count.hpp"
#include "decimal.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// The thresholds of --alert-at ("50,80,100") as a SQL integer array literal; an error naming
// the bad item unless each is a whole percentage from 1 to 1000.
std::string thresholds_array(const std::string& list) {
    std::stringstream in(list);
    std::string item, out;
    while (std::getline(in, item, ',')) {
        bool digits = !item.empty() && item.size() <= 4 &&
                      item.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoi(item) < 1 || std::stoi(item) > 1000) {
            throw CliError("--alert-at '" + list + "': '" + item +
                           "' is not a percentage from 1 to 1000 (e.g. --alert-at 50,80,100)");
        }
        const std::string percent = std::to_string(std::stoi(item));
        if (("," + out + ",").find("," + percent + ",") != std::string::npos) {
            throw CliError("--alert-at '" + list + "': " + percent + " is given twice");
        }
        out += (out.empty() ? "" : ",") + percent;
    }
    if (out.empty()) throw CliError("--alert-at needs at least one percentage, e.g. 50,80,100");
    return "{" + out + "}";
}

// The amount of --monthly checked as an exact decimal of USD greater than zero.
std::string monthly_amount(const std::string& text) {
    Decimal amount;
    std::string why;
    if (!Decimal::try_parse(text, amount, why) || !(Decimal() < amount)) {
        throw CliError("--monthly '" + text + "' is not an amount of USD greater than 0" +
                       (why.empty() ? "" : " (" + why + ")") + ", e.g. --monthly 5000");
    }
    return text;
}

// The SQL condition selecting the budget of an organization and (or not) one project.
std::string scope_condition(pqxx::transaction_base& tx, const std::string& organization,
                            const std::string& project) {
    return "b.organization_id = " + tx.quote(organization) + " AND b.project_id " +
           (project.empty() ? "IS NULL" : "= " + tx.quote(project));
}

// `budget set`: creates or replaces a budget, then raises what this month's spend reached.
void register_set(CLI::App& budget, Context& ctx) {
    auto* cmd = add_command(
        budget, "set",
        "Set the monthly budget of an organization, or of one of its projects.\n"
        "Setting it again replaces the amount and thresholds. Spend is the exact sum of the\n"
        "priced records of the UTC month (unpriced records are not in it). Each threshold\n"
        "raises one alert per month, in the database, as the records that reach it are stored\n"
        "(cost_ops.alerts, NOTIFY cost_ops_alerts): see 'cost-ops alerts'. A budget set below\n"
        "this month's spend raises its alerts at once.\n"
        "Examples:\n"
        "  cost-ops budget set --organization acme --monthly 5000 --alert-at 50,80,100\n"
        "  cost-ops budget set --organization acme --project chatbot --monthly 750.50");
    struct Options {
        std::string organization, project, monthly, alert_at = "50,80,100";
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--organization", o->organization, "organization_id")->required();
    cmd->add_option("--project", o->project, "project_id (default: the whole organization)");
    cmd->add_option("--monthly", o->monthly, "USD per UTC month, exact (e.g. 5000 or 750.50)")
        ->required();
    cmd->add_option("--alert-at", o->alert_at,
                    "percentages of the budget that raise an alert (default 50,80,100)");
    cmd->callback([&ctx, o] {
        const std::string thresholds = thresholds_array(o->alert_at);
        const std::string amount = monthly_amount(o->monthly);
        pqxx::work tx(ctx.connection());
        pqxx::row id = tx.exec_params1(
            "INSERT INTO cost_ops.budgets (organization_id, project_id, monthly_amount, alert_at) "
            "VALUES ($1, NULLIF($2, ''), $3::cost_ops.cost, $4::integer[]) "
            "ON CONFLICT ON CONSTRAINT budgets_one_per_scope DO UPDATE SET monthly_amount = "
            "EXCLUDED.monthly_amount, alert_at = EXCLUDED.alert_at, updated_at = now() "
            "RETURNING id, monthly_amount::text, array_to_string(alert_at, ',')",
            o->organization, o->project, amount, thresholds);
        int raised = tx.exec_params1(
                           "SELECT cost_ops.raise_budget_alerts($1, date_trunc('month', "
                           "now() AT TIME ZONE 'UTC')::date)",
                           id[0].as<long>())[0]
                         .as<int>();
        tx.commit();
        std::cout << "budget " << id[0].c_str() << ": " << o->organization
                  << (o->project.empty() ? "" : " / " + o->project) << ", " << id[1].c_str()
                  << " USD a month, alerts at " << id[2].c_str() << "%";
        if (raised > 0) {
            std::cout << "; " << counted(raised, "alert") << " raised for this month's spend";
        }
        std::cout << "\n";
    });
}

// `budget list` and `budget status`: the budgets, and with status this month's spend.
void register_list_and_status(CLI::App& budget, Context& ctx) {
    auto* list = add_command(budget, "list",
                             "List the budgets.\n"
                             "Example: cost-ops budget list --output json");
    auto* status = add_command(
        budget, "status",
        "Where each budget stands in a UTC month (default this one): exact spend, the part\n"
        "of the budget used, the thresholds reached, and how many records of the scope are\n"
        "unpriced (their cost is not in the spend).\n"
        "Examples:\n"
        "  cost-ops budget status\n"
        "  cost-ops budget status --month 2025-01 --output csv");
    auto output = std::make_shared<std::string>("table");
    auto month = std::make_shared<std::string>();
    for (auto* cmd : {list, status}) {
        cmd->add_option("--output,-o", *output, "table, csv, json or ndjson")
            ->check(CLI::IsMember({"table", "csv", "json", "ndjson"}));
    }
    status->add_option("--month", *month, "YYYY-MM (default: this UTC month)");
    list->callback([&ctx, output] {
        pqxx::work tx(ctx.connection());
        auto rows = tx.exec(
            "SELECT id, organization_id, project_id, monthly_amount::text, "
            "array_to_string(alert_at, ','), updated_at FROM cost_ops.budgets "
            "ORDER BY organization_id, project_id NULLS FIRST");
        static const std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                                    {"organization_id"},
                                                    {"project_id"},
                                                    {"monthly_amount", ColumnKind::Cost},
                                                    {"alert_at"},
                                                    {"updated_at", ColumnKind::Timestamp}};
        write_result(*make_row_sink(parse_output_format(*output), std::cout), columns, rows);
    });
    status->callback([&ctx, output, month] {
        check_month_option(*month);
        pqxx::work tx(ctx.connection());
        const std::string period = month->empty()
                                       ? "date_trunc('month', now() AT TIME ZONE 'UTC')::date"
                                       : tx.quote(*month + "-01") + "::date";
        auto rows = tx.exec(
            "SELECT b.id, b.organization_id, b.project_id, to_char(p.period, 'YYYY-MM'), "
            "b.monthly_amount::text, coalesce(s.spend, '0')::text, "
            "round(cost_ops.to_numeric(coalesce(s.spend, '0')) * 100 / "
            "cost_ops.to_numeric(b.monthly_amount), 2)::text, "
            "(SELECT string_agg(a.threshold::text, ',' ORDER BY a.threshold) FROM cost_ops.alerts "
            "AS a WHERE a.budget_id = b.id AND a.period = p.period), "
            "(SELECT count(*) FROM cost_ops.usage_records AS u WHERE u.total_cost IS NULL AND "
            "u.organization_id = b.organization_id AND (b.project_id IS NULL OR u.project_id = "
            "b.project_id) AND u.\"timestamp\" >= p.period::timestamp AT TIME ZONE 'UTC' AND "
            "u.\"timestamp\" < (p.period + interval '1 month') AT TIME ZONE 'UTC') "
            "FROM cost_ops.budgets AS b, (SELECT " +
            period +
            " AS period) AS p, LATERAL (SELECT cost_ops.budget_spend(b.id, p.period) AS spend) "
            "AS s ORDER BY b.organization_id, b.project_id NULLS FIRST");
        static const std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                                    {"organization_id"},
                                                    {"project_id"},
                                                    {"month"},
                                                    {"monthly_amount", ColumnKind::Cost},
                                                    {"spend", ColumnKind::Cost},
                                                    {"percent_used"},
                                                    {"alerts_raised"},
                                                    {"unpriced_records", ColumnKind::Integer}};
        write_result(*make_row_sink(parse_output_format(*output), std::cout), columns, rows);
    });
}

// `budget remove`: deletes a budget and its alerts.
void register_remove(CLI::App& budget, Context& ctx) {
    auto* cmd = add_command(budget, "remove",
                            "Remove the budget of an organization (or of one project) and its "
                            "alerts.\n"
                            "Example: cost-ops budget remove --organization acme --project "
                            "chatbot");
    auto organization = std::make_shared<std::string>();
    auto project = std::make_shared<std::string>();
    cmd->add_option("--organization", *organization, "organization_id")->required();
    cmd->add_option("--project", *project, "project_id (default: the organization's budget)");
    cmd->callback([&ctx, organization, project] {
        pqxx::work tx(ctx.connection());
        auto r = tx.exec("DELETE FROM cost_ops.budgets AS b WHERE " +
                         scope_condition(tx, *organization, *project) + " RETURNING b.id");
        if (r.empty()) {
            throw CliError("no budget for " + *organization +
                           (project->empty() ? "" : " / " + *project) +
                           ": 'cost-ops budget list' shows them");
        }
        tx.commit();
        std::cout << "removed budget " << r[0][0].c_str() << "\n";
    });
}

}  // namespace

void check_month_option(const std::string& month) {
    if (!month.empty() && !std::regex_match(month, std::regex(R"(\d{4}-(0[1-9]|1[0-2]))"))) {
        throw CliError("--month '" + month + "' is not a month: give YYYY-MM, e.g. 2025-01");
    }
}

void register_budget_command(CLI::App& app, Context& ctx) {
    auto* budget =
        add_command(app, "budget", "Monthly budgets of organizations and projects, with alerts.");
    budget->require_subcommand(1);
    register_set(*budget, ctx);
    register_list_and_status(*budget, ctx);
    register_remove(*budget, ctx);
}

}  // namespace costops::cli
