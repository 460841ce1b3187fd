// Ctrl-C (SIGINT) and SIGTERM during an ingest: the first one stops it before its next record,
// so it ends as a kill would (whole batches only, resumable) but says so; a second one kills.
#pragma once

#include "../cli_error.hpp"

namespace costops::cli {

// While alive, SIGINT and SIGTERM ask the ingest to stop instead of ending the process.
class InterruptionGuard {
  public:
    InterruptionGuard();
    ~InterruptionGuard();
    InterruptionGuard(const InterruptionGuard&) = delete;
    InterruptionGuard& operator=(const InterruptionGuard&) = delete;
};

// The stop a signal asked for: its exit code is the shell's for that signal (130, 143).
class Interrupted : public CliError {
  public:
    explicit Interrupted(int signal);
    int signal() const { return signal_; }
    // "SIGINT" or "SIGTERM".
    const char* signal_name() const;

  private:
    int signal_;
};

// Throws Interrupted when a signal asked the ingest to stop.
void stop_if_interrupted();

}  // namespace costops::cli
