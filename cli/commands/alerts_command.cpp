// cost-ops alerts: the budget alerts the database raised, live (watch), listed, or as an exit
// status for cron and CI (check).
#include <chrono>
#include <csignal>
#include <iostream>
#include <vector>

#include "exact_json.hpp"
#include "../cli_error.hpp"
#include "../db/result_rows.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// The columns of an alert as list prints them.
const std::vector<Column>& alert_columns() {
    static const std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                                {"organization_id"},
                                                {"project_id"},
                                                {"month"},
                                                {"threshold", ColumnKind::Integer},
                                                {"spend", ColumnKind::Cost},
                                                {"monthly_amount", ColumnKind::Cost},
                                                {"raised_at", ColumnKind::Timestamp}};
    return columns;
}

// Collects the alert ids NOTIFY cost_ops_alerts carries (the notification holds only the id:
// any role may LISTEN), to be read from cost_ops.alerts once the wait returns.
class AlertIds : public pqxx::notification_receiver {
  public:
    explicit AlertIds(pqxx::connection_base& conn)
        : pqxx::notification_receiver(conn, "cost_ops_alerts") {}
    // Keeps the id of one notification; payloads that are not {"alert_id": N} are ignored.
    void operator()(const std::string& payload, int) override {
        Json parsed = Json::parse(payload, nullptr, false);
        if (parsed.is_object() && parsed.contains("alert_id") &&
            parsed["alert_id"].is_number_integer()) {
            ids.push_back(parsed["alert_id"].get<int64_t>());
        }
    }
    std::vector<int64_t> ids;
};

// Prints the alerts of `ids` this role may read, one JSON line each (under tenant isolation,
// another organization's alert is not found and not printed).
void print_alerts(pqxx::connection& conn, std::vector<int64_t>& ids) {
    pqxx::nontransaction tx(conn);
    for (int64_t id : ids) {
        pqxx::result row = tx.exec_params(
            "SELECT json_build_object('alert_id', a.id, 'budget_id', b.id, 'organization_id', "
            "b.organization_id, 'project_id', b.project_id, 'period', a.period, 'threshold', "
            "a.threshold, 'spend', a.spend::text, 'monthly_amount', a.monthly_amount::text, "
            "'raised_at', a.raised_at)::text FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS "
            "b ON b.id = a.budget_id WHERE a.id = $1",
            id);
        // At once: a pipe reader sees each alert without waiting for more.
        if (!row.empty()) std::cout << row[0][0].c_str() << std::endl;
    }
    ids.clear();
}

volatile std::sig_atomic_t watch_stopped = 0;

// SIGINT/SIGTERM handler of watch: the loop ends after the current wait.
void stop_watching(int) {
    watch_stopped = 1;
}

// `alerts watch`: LISTEN and print every alert as it is raised, until interrupted.
void register_watch(CLI::App& alerts, Context& ctx) {
    auto* cmd = add_command(
        alerts, "watch",
        "Print budget alerts live, one JSON object per line, as the database raises them\n"
        "(LISTEN cost_ops_alerts; an alert is sent when the transaction whose records reached\n"
        "its threshold commits; the notification carries only its id, and watch reads the\n"
        "alert as this role: under tenant isolation, its organizations' only). Runs until\n"
        "Ctrl-C. The JSON has alert_id, budget_id,\n"
        "organization_id, project_id, period (the month's first day), threshold, spend and\n"
        "monthly_amount (exact decimal strings) and raised_at.\n"
        "Examples:\n"
        "  cost-ops alerts watch\n"
        "  cost-ops alerts watch | jq -r 'select(.threshold >= 100) | .organization_id'");
    auto timeout = std::make_shared<int>(0);
    cmd->add_option("--for", *timeout, "stop after this many seconds (default: never)")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([&ctx, timeout] {
        pqxx::connection& conn = ctx.connection();
        AlertIds alerts(conn);
        conn.get_notifs();
        std::cerr << "watching budget alerts (Ctrl-C to stop)" << std::endl;
        std::signal(SIGINT, stop_watching);
        std::signal(SIGTERM, stop_watching);
        auto start = std::chrono::steady_clock::now();
        while (!watch_stopped) {
            conn.await_notification(1, 0);
            print_alerts(conn, alerts.ids);
            if (*timeout > 0 &&
                std::chrono::steady_clock::now() - start >= std::chrono::seconds(*timeout)) {
                break;
            }
        }
    });
}

// `alerts list`: the alerts raised, newest first.
void register_list(CLI::App& alerts, Context& ctx) {
    auto* cmd = add_command(alerts, "list",
                            "List the budget alerts raised, newest first.\n"
                            "Example: cost-ops alerts list --month 2025-01 --output csv");
    auto output = std::make_shared<std::string>("table");
    auto month = std::make_shared<std::string>();
    cmd->add_option("--output,-o", *output, "table, csv, json or ndjson")
        ->check(CLI::IsMember({"table", "csv", "json", "ndjson"}));
    cmd->add_option("--month", *month, "only this UTC month, YYYY-MM");
    cmd->callback([&ctx, output, month] {
        check_month_option(*month);
        pqxx::work tx(ctx.connection());
        auto rows = tx.exec_params(
            "SELECT a.id, b.organization_id, b.project_id, to_char(a.period, 'YYYY-MM'), "
            "a.threshold, a.spend::text, a.monthly_amount::text, a.raised_at "
            "FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS b ON b.id = a.budget_id "
            "WHERE $1 = '' OR to_char(a.period, 'YYYY-MM') = $1 ORDER BY a.id DESC",
            *month);
        write_result(*make_row_sink(parse_output_format(*output), std::cout), alert_columns(),
                     rows);
    });
}

// `alerts check`: exit status 1 when a budget's spend this month is at or over its amount.
void register_check(CLI::App& alerts, Context& ctx) {
    auto* cmd = add_command(
        alerts, "check",
        "Exit 1 when any budget's spend this UTC month is at or over its monthly amount (one\n"
        "line per such budget), 0 when none is: for cron and CI. --threshold P checks P% of\n"
        "the amount instead of 100%. It reads the spend itself, so it is right even after a\n"
        "bulk load that raised no alerts.\n"
        "Examples:\n"
        "  cost-ops alerts check || notify-team 'LLM budget exceeded'\n"
        "  cost-ops alerts check --threshold 80");
    auto threshold = std::make_shared<int>(100);
    cmd->add_option("--threshold", *threshold, "percentage of the budget (default 100)")
        ->check(CLI::Range(1, 1000));
    cmd->callback([&ctx, threshold] {
        pqxx::work tx(ctx.connection());
        auto rows = tx.exec_params(
            "SELECT b.organization_id, coalesce(b.project_id, ''), s.spend::text, "
            "b.monthly_amount::text FROM cost_ops.budgets AS b, LATERAL (SELECT "
            "cost_ops.budget_spend(b.id, date_trunc('month', now() AT TIME ZONE 'UTC')::date) "
            "AS spend) AS s WHERE (s.spend OPERATOR(cost_ops.*) 100) OPERATOR(cost_ops.>=) "
            "(b.monthly_amount OPERATOR(cost_ops.*) $1::integer) "
            "ORDER BY b.organization_id, b.project_id NULLS FIRST",
            *threshold);
        for (const auto& r : rows) {
            std::cout << "over " << *threshold << "%: " << r[0].c_str()
                      << (std::string(r[1].c_str()).empty() ? ""
                                                            : " / " + std::string(r[1].c_str()))
                      << " spent " << r[2].c_str() << " of " << r[3].c_str() << " USD this month\n";
        }
        if (!rows.empty())
            throw CliError(counted(static_cast<int64_t>(rows.size()), "budget") + " over " +
                           std::to_string(*threshold) + "% this month");
        std::cout << "no budget is over " << *threshold << "% this month\n";
    });
}

}  // namespace

void register_alerts_command(CLI::App& app, Context& ctx) {
    auto* alerts = add_command(app, "alerts", "Budget alerts: watch them live, list, or check.");
    alerts->require_subcommand(1);
    register_watch(*alerts, ctx);
    register_list(*alerts, ctx);
    register_check(*alerts, ctx);
}

}  // namespace costops::cli
