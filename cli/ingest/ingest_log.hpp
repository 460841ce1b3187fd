// What an ingest tells the user while it runs: a progress bar on a terminal, a plain line
// every few seconds otherwise, and (with --log-file) a timestamped log of the run.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

namespace costops::cli {

class IngestLog {
  public:
    // `quiet` silences progress; the log file, when named, is appended to either way.
    IngestLog(bool quiet, const std::optional<std::string>& log_file);

    // A line for the log file only ("2026-12-03T10:00:00Z run 7: ...").
    void note(const std::string& text);
    // Called for every record read: refreshes the progress display now and then.
    void progress(int64_t records, int64_t bytes, std::optional<int64_t> total_bytes) {
        if ((records & 1023) == 0) show_progress(records, bytes, total_bytes);
    }
    // Clears the progress bar before the summary is printed.
    void end_progress();

  private:
    void show_progress(int64_t records, int64_t bytes, std::optional<int64_t> total_bytes);

    using Clock = std::chrono::steady_clock;
    bool terminal_, plain_;
    std::ofstream file_;
    Clock::time_point start_ = Clock::now(), last_shown_ = Clock::now(),
                      last_logged_ = Clock::now();
    bool bar_shown_ = false;
};

}  // namespace costops::cli
