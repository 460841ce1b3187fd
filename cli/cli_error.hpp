// The error type every command throws for a problem the user can fix: printed as one line.
#pragma once

#include <stdexcept>
#include <string>

namespace costops::cli {

// A user-facing failure: `what()` is the whole message; exit_code is the process status.
class CliError : public std::runtime_error {
  public:
    explicit CliError(const std::string& message, int exit_code = 1)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

  private:
    int exit_code_;
};

}  // namespace costops::cli
