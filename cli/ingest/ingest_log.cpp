#include "ingest_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// How often a plain progress line is written when stderr is not a terminal (and to the log).
constexpr std::chrono::seconds kPlainEvery(10);

// The current UTC time as 2026-12-03T10:00:00Z.
std::string utc_now() {
    std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

// "12345 records, 12.3 MB of 100.0 MB, 4567 records/s, ETA 20 s".
std::string progress_text(int64_t records, int64_t bytes, std::optional<int64_t> total,
                          double seconds) {
    char text[160];
    int n = std::snprintf(text, sizeof text, "%lld records, %.1f MB",
                          static_cast<long long>(records), bytes / 1e6);
    double rate = seconds > 0 ? records / seconds : 0;
    if (total && *total > 0) {
        double done = static_cast<double>(bytes) / static_cast<double>(*total);
        n += std::snprintf(text + n, sizeof text - n, " of %.1f MB, %.0f records/s, ETA %.0f s",
                           *total / 1e6, rate, done > 0 ? seconds / done - seconds : 0.0);
    } else {
        n += std::snprintf(text + n, sizeof text - n, ", %.0f records/s", rate);
    }
    return text;
}

}  // namespace

IngestLog::IngestLog(bool quiet, const std::optional<std::string>& log_file)
    : terminal_(!quiet && isatty(STDERR_FILENO)), plain_(!quiet && !isatty(STDERR_FILENO)) {
    if (!log_file) return;
    file_.open(*log_file, std::ios::app);
    if (!file_) throw CliError("cannot open log file " + *log_file + ": " + std::strerror(errno));
}

void IngestLog::note(const std::string& text) {
    if (file_.is_open()) file_ << utc_now() << " " << text << std::endl;
}

void IngestLog::show_progress(int64_t records, int64_t bytes, std::optional<int64_t> total) {
    auto now = Clock::now();
    double seconds = std::chrono::duration<double>(now - start_).count();
    if (terminal_ && now - last_shown_ >= std::chrono::milliseconds(250)) {
        last_shown_ = now;
        std::fprintf(stderr, "\r  %-76s", progress_text(records, bytes, total, seconds).c_str());
        bar_shown_ = true;
    }
    if ((plain_ || file_.is_open()) && now - last_logged_ >= kPlainEvery) {
        last_logged_ = now;
        std::string line = progress_text(records, bytes, total, seconds);
        if (plain_) std::fprintf(stderr, "cost-ops: %s\n", line.c_str());
        note(line);
    }
}

void IngestLog::end_progress() {
    if (bar_shown_) std::fprintf(stderr, "\r%*s\r", 78, "");
    bar_shown_ = false;
}

}  // namespace costops::cli
