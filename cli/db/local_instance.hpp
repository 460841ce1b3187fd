// The embedded default database: a private PostgreSQL 15 instance that cost-ops creates and
// starts on demand under $COST_OPS_HOME (default ~/.local/share/cost-ops; /var/lib/cost-ops
// for root, whose home the postgres user cannot enter).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace costops::cli {

struct LocalInstanceStatus {
    std::string home;          // $COST_OPS_HOME as resolved
    bool initialized = false;  // a data directory exists
    bool running = false;
    std::optional<long> pid;
    std::string url;  // how to connect when running
};

class LocalInstance {
  public:
    // Resolves the home directory and the port from the environment.
    LocalInstance();

    // Creates the instance if needed, starts it if stopped, creates the database with the
    // extension; returns the connection URL. Prints one line to stderr when it does work.
    std::string ensure_running();
    // Stops the server if it runs; true when it was running.
    bool stop();
    // What `cost-ops local status` shows, from the files alone (no connection).
    LocalInstanceStatus status() const;

    const std::string& home() const { return home_; }

  private:
    std::string home_;
    int port_;            // $COST_OPS_LOCAL_PORT or 54320, for a server this starts
    std::string bindir_;  // the PostgreSQL 15 server binaries, found on first use

    // A file of the instance: pgdata, run (the socket directory) or postgres.log.
    std::string path(const std::string& name) const { return home_ + "/" + name; }
    // Makes the home, socket directory and log exist; as root, hands them to postgres and
    // checks that postgres can reach them.
    void prepare_home();
    // Runs a server binary as the instance's owner, its output in the log; a failure is a
    // CliError naming the command, with the end of the log.
    void run_server_binary(const std::string& binary, const std::vector<std::string>& args);
};

}  // namespace costops::cli
