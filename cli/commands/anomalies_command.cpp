// cost-ops anomalies: days or hours where an entity's spend departs from its own seasonal
// history (robust z of median and MAD), ranked by the money at stake, with what drove each.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "../cli_error.hpp"
#include "../count_options.hpp"
#include "../db/spend_series.hpp"
#include "../output/row_sink.hpp"
#include "../record_filter.hpp"
#include "anomaly.hpp"
#include "calendar.hpp"
#include "commands.hpp"
#include "robust_stats.hpp"

namespace costops::cli {

namespace {

constexpr size_t kDriversPerDimension = 2;
constexpr int kShareDigits = 6;  // token shares print to a millionth
const std::vector<std::string> kDriverDimensions = {"model", "project", "user"};

// What the scoring needs to know of the command line.
struct Scan {
    Bucket bucket = Bucket::Day;
    int64_t period = 7;                     // buckets in a week
    int64_t from = 0, last = 0, first = 0;  // scored buckets from..last; series start at first
    size_t max_history = 0;                 // same-season points compared with
    Decimal threshold;
};

// A departure found: which entity of which dimension, in which metric, and its score.
struct Flag {
    std::string dimension, entity, metric;  // metric: spend or output_share
    AnomalyScore score;
};

// The columns of the output.
const std::vector<Column>& anomaly_columns() {
    static const std::vector<Column> columns = {{"bucket", ColumnKind::Text},
                                                {"dimension", ColumnKind::Text},
                                                {"entity", ColumnKind::Text},
                                                {"metric", ColumnKind::Text},
                                                {"actual", ColumnKind::Cost},
                                                {"expected", ColumnKind::Cost},
                                                {"excess", ColumnKind::Cost},
                                                {"robust_z", ColumnKind::Cost},
                                                {"history_points", ColumnKind::Integer},
                                                {"drivers", ColumnKind::Text}};
    return columns;
}

// The label of a bucket number.
std::string bucket_label(const Scan& scan, int64_t bucket) {
    return scan.bucket == Bucket::Day ? day_label(bucket) : hour_label(bucket);
}

// The departures of every entity of one dimension's spend.
void find_flags(const std::string& dimension, const SpendRows& spend, const Scan& scan,
                std::vector<Flag>& flags) {
    for (const auto& [entity, points] : spend.by_entity) {
        DailySeries series = dense_series(points, scan.first, scan.last);
        for (const auto& score : seasonal_scores(series, scan.period, scan.from, scan.max_history))
            if (score.departs(scan.threshold)) flags.push_back({dimension, entity, "spend", score});
    }
}

// The departures of every entity's token mix: its output share, completion / (prompt +
// completion) tokens, in the buckets where it has tokens, against the same-season buckets where
// it had tokens.
void find_mix_flags(const std::string& dimension, const SpendRows& spend, const Scan& scan,
                    std::vector<Flag>& flags) {
    for (const auto& [entity, counts] : spend.tokens) {
        for (const auto& score :
             share_scores(counts, scan.period, scan.from, scan.first, scan.max_history)) {
            if (score.departs(scan.threshold))
                flags.push_back({dimension, entity, "output_share", score});
        }
    }
}

// The largest contributors to a departure, by model, project and user (not the flag's own
// dimension): each one's spend in the bucket against the median of its own same-season history.
std::string drivers_text(pqxx::work& tx, const Flag& flag, const Scan& scan,
                         const std::string& where, const LocalTimeSql& local) {
    std::string entity_condition =
        dimension_column(flag.dimension, "--group-by") + " IS NOT DISTINCT FROM " +
        (flag.entity == kNoKeyLabel ? std::string("NULL") : tx.quote(flag.entity));
    Decimal total = flag.score.actual - flag.score.expected;
    std::vector<std::string> parts;
    for (const auto& dimension : kDriverDimensions) {
        if (dimension == flag.dimension) continue;
        SpendRows spend =
            read_spend(tx, dimension_column(dimension, "--group-by"), scan.bucket,
                       and_where(and_where(where, entity_condition),
                                 since_bucket_condition(scan.bucket, scan.first, local)),
                       local);
        std::vector<Driver> drivers;
        for (const auto& [key, points] : spend.by_entity) {
            DailySeries series = dense_series(points, scan.first, scan.last);
            auto score = score_at(series, scan.period, flag.score.bucket, scan.max_history);
            if (score) drivers.push_back({dimension + " " + key, score->actual, score->expected});
        }
        for (auto& text : driver_texts(drivers, total, kDriversPerDimension))
            parts.push_back(std::move(text));
    }
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i) text += (i ? "; " : "") + parts[i];
    return text;
}

// The dimensions of a comma-separated --group-by list, checked.
std::vector<std::string> parse_dimensions(const std::string& list) {
    std::vector<std::string> names;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        if (name.empty()) continue;
        dimension_column(name, "--group-by key");
        names.push_back(name);
    }
    if (names.empty())
        throw CliError(
            "--group-by: give at least one of provider, model, "
            "organization, project, user");
    return names;
}

// The first scored bucket --since names: a date (its first hour for hours), or the last N
// days/hours up to the latest record's bucket.
int64_t since_bucket(const std::string& since, const Scan& scan) {
    int64_t day = parse_day_number(since);
    if (day >= 0) return scan.bucket == Bucket::Day ? day : day * 24;
    int64_t hours = parse_hour_count(since, "--since");
    int64_t count = scan.bucket == Bucket::Day ? (hours + 23) / 24 : hours;
    return scan.last - count + 1;
}

// Sorts departures: spend first, by the money at stake, then token mix; then by |z|, bucket
// and name.
void rank_flags(std::vector<Flag>& flags) {
    std::sort(flags.begin(), flags.end(), [](const Flag& a, const Flag& b) {
        if (a.metric != b.metric) return a.metric == "spend";
        bool spend = a.metric == "spend";
        Decimal ea = spend ? absolute(a.score.actual - a.score.expected) : Decimal();
        Decimal eb = spend ? absolute(b.score.actual - b.score.expected) : Decimal();
        if (ea != eb) return ea > eb;
        Decimal za = a.score.z ? absolute(*a.score.z) : Decimal();
        Decimal zb = b.score.z ? absolute(*b.score.z) : Decimal();
        if (za != zb) return za > zb;
        if (a.score.bucket != b.score.bucket) return a.score.bucket < b.score.bucket;
        return std::tie(a.dimension, a.entity) < std::tie(b.dimension, b.entity);
    });
}

}  // namespace

void register_anomalies_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "anomalies",
        "Days (or hours) where an organization's, model's or project's spend departs from its\n"
        "own history. Each bucket (a day or hour of --timezone, default UTC; hours are wall\n"
        "hours: the one a DST change repeats is one bucket) of each entity is compared with\n"
        "the same weekday (hours: the same hour of the same weekday) in up to --history before\n"
        "it (at least 4 of them): expected = their median, robust z = (actual - expected) /\n"
        "(1.4826 * MAD); when MAD is 0, 1.2533 * the mean absolute deviation stands in, and a\n"
        "history that never varies flags any change (z empty). Buckets with |z| >= --threshold\n"
        "are listed, largest |actual - expected| first, with their drivers: the models,\n"
        "projects and users (two each) whose own excess over their same-weekday median\n"
        "explains most of it, with their share. Exact decimals throughout (z rounded to 2\n"
        "places); unpriced records are not in the spend. Each --group-by dimension is checked\n"
        "on its own. The token mix is checked the same way: metric output_share, the share of\n"
        "completion tokens in prompt + completion tokens, in the buckets that have tokens,\n"
        "listed after the spend departures (by |z|; no drivers).\n"
        "Off when the config file sets [features] anomaly_detection = false.\n"
        "Examples:\n"
        "  cost-ops anomalies                                   # last 7 days, z >= 3.5\n"
        "  cost-ops anomalies --since 2025-06-01 --group-by project --output json\n"
        "  cost-ops anomalies --granularity hour --since 48h --threshold 5\n"
        "  cost-ops anomalies --timezone America/New_York --since 2025-06-01");
    struct Options {
        RecordFilter filter;
        std::string since = "7d", group_by = "organization,model,project", granularity = "day",
                    threshold = "3.5", history = "90d", output = "table";
        size_t limit = 20;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--since", o->since,
                    "first day checked: a date (2025-06-01) or the last N days (7d) or hours "
                    "(48h) up to the latest record (default 7d)");
    cmd->add_option("--group-by", o->group_by,
                    "comma-separated dimensions, each checked on its own: provider, model, "
                    "organization, project, user (default organization,model,project)");
    cmd->add_option("--granularity", o->granularity, "day or hour (default day)")
        ->check(CLI::IsMember({"day", "hour"}));
    cmd->add_option("--threshold", o->threshold,
                    "robust z from which a bucket is a departure, either way (default 3.5, the "
                    "usual cut-off for the MAD-based modified z-score)");
    cmd->add_option("--history", o->history,
                    "how far back the same-weekday history goes, e.g. 90d (default 90d)");
    cmd->add_option("--limit", o->limit, "at most this many departures (default 20)")
        ->check(CLI::PositiveNumber);
    add_key_filter_options(*cmd, o->filter);
    add_timezone_option(*cmd, o->filter);
    cmd->add_option("--output,-o", o->output, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->callback([&ctx, o] {
        require_feature(ctx.config(), ctx.config().features.anomaly_detection, "anomaly_detection",
                        "cost-ops anomalies");
        Scan scan;
        std::string why;
        if (!Decimal::try_parse(o->threshold, scan.threshold, why) || scan.threshold <= Decimal()) {
            throw CliError("--threshold '" + o->threshold +
                           "': give a positive number such as 3.5");
        }
        int64_t history_days = parse_day_count(o->history, "--history");
        std::vector<std::string> dimensions = parse_dimensions(o->group_by);
        OutputFormat format = parse_output_format(o->output);
        if (o->granularity == "hour") {
            scan.bucket = Bucket::Hour;
            scan.period = 7 * 24;
        }
        scan.max_history = static_cast<size_t>(std::max<int64_t>(history_days / 7, 1));
        pqxx::connection& conn = ctx.connection();
        std::string where = where_clause(o->filter, conn);
        LocalTimeSql local(o->filter, conn);
        pqxx::work tx(conn);
        std::vector<std::pair<std::string, SpendRows>> spends;
        for (const auto& d : dimensions)
            spends.emplace_back(
                d, read_spend(tx, dimension_column(d, "--group-by"), scan.bucket, where, local));
        if (!spends.front().second.last) throw CliError("no usage records to check");
        scan.last = *spends.front().second.last;
        scan.from = since_bucket(o->since, scan);
        scan.first = std::max(*spends.front().second.first,
                              scan.from - static_cast<int64_t>(scan.max_history) * scan.period);
        std::vector<Flag> flags;
        for (const auto& [dimension, spend] : spends) {
            find_flags(dimension, spend, scan, flags);
            find_mix_flags(dimension, spend, scan, flags);
        }
        rank_flags(flags);
        if (flags.size() > o->limit) flags.resize(o->limit);
        auto sink = make_row_sink(format, std::cout);
        sink->begin(anomaly_columns());
        for (const auto& f : flags) {
            const AnomalyScore& s = f.score;
            bool spend = f.metric == "spend";
            // Spend prints exact; a token share rounded to kShareDigits.
            auto figure = [spend](Decimal d) {
                return (spend ? d : rounded(d, kShareDigits)).to_string();
            };
            sink->row({bucket_label(scan, s.bucket), f.dimension, f.entity, f.metric,
                       figure(s.actual), figure(s.expected), figure(s.actual - s.expected),
                       s.z ? Cell(rounded(*s.z, 2).to_string()) : Cell(), std::to_string(s.history),
                       spend ? Cell(drivers_text(tx, f, scan, where, local)) : Cell()});
        }
        sink->end();
        if (format == OutputFormat::Table && flags.empty()) {
            std::cout << "no departures with |robust z| >= " << scan.threshold.to_string()
                      << " from " << bucket_label(scan, scan.from) << " to "
                      << bucket_label(scan, scan.last) << "\n";
        }
    });
}

}  // namespace costops::cli
