// The embedded local PostgreSQL 15 instance: its files, the server binaries it runs as child
// processes, and the database it provisions.
#include "local_instance.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <pqxx/pqxx>

#include "../cli_error.hpp"
#include "database_errors.hpp"
#include "extension_versions.hpp"

namespace costops::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kDefaultPort = 54320;
constexpr const char* kPgConfig = "/usr/lib/postgresql/15/bin/pg_config";
constexpr const char* kDefaultBindir = "/usr/lib/postgresql/15/bin";
constexpr const char* kInstallHint =
    "install PostgreSQL 15 with 'apt-get install -y postgresql-15'";

// PostgreSQL refuses to run as root, so root runs the server as the postgres user.
bool running_as_root() {
    return geteuid() == 0;
}

// $COST_OPS_HOME, else the per-user data directory; root's own home is closed to postgres.
std::string resolve_home() {
    if (const char* env = std::getenv("COST_OPS_HOME"); env != nullptr && *env) {
        std::string home = fs::absolute(env).lexically_normal().string();
        while (home.size() > 1 && home.back() == '/') home.pop_back();
        return home;
    }
    if (running_as_root()) return "/var/lib/cost-ops";
    const char* user_home = std::getenv("HOME");
    if (user_home == nullptr || !*user_home) {
        const passwd* pw = getpwuid(getuid());
        if (pw == nullptr) throw CliError("cannot find your home directory: set COST_OPS_HOME");
        user_home = pw->pw_dir;
    }
    return std::string(user_home) + "/.local/share/cost-ops";
}

// $COST_OPS_LOCAL_PORT or the default; it only names the socket file (there is no TCP).
int resolve_port() {
    const char* env = std::getenv("COST_OPS_LOCAL_PORT");
    if (env == nullptr || !*env) return kDefaultPort;
    char* end = nullptr;
    long port = std::strtol(env, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
        throw CliError("COST_OPS_LOCAL_PORT must be a port number from 1 to 65535, not '" +
                       std::string(env) + "'");
    }
    return static_cast<int>(port);
}

// Percent-encodes a URL query value such as the socket directory.
std::string percent_encode(const std::string& value) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += {'%', hex[c >> 4], hex[c & 15]};
        }
    }
    return out;
}

// A libpq URL reaching `database` over the Unix socket in `run_dir`.
std::string socket_url(const std::string& run_dir, int port, const std::string& database) {
    return "postgresql://costops@/" + database + "?host=" + percent_encode(run_dir) +
           "&port=" + std::to_string(port);
}

// Quotes a value for /bin/sh, through which pg_ctl passes its -o options.
std::string shell_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The server options: a socket in `run_dir` only, no TCP listener.
std::string server_options(const std::string& run_dir, int port) {
    return "-c listen_addresses='' -c unix_socket_directories=" + shell_quote(run_dir) +
           " -c port=" + std::to_string(port);
}

struct Postmaster {
    long pid;
    int port;
};

// The server running on `data_dir`, from its postmaster.pid when that process is alive.
std::optional<Postmaster> live_postmaster(const std::string& data_dir) {
    std::ifstream file(data_dir + "/postmaster.pid");
    std::string pid, skipped, port;
    if (!std::getline(file, pid) || !std::getline(file, skipped) || !std::getline(file, skipped) ||
        !std::getline(file, port)) {
        return std::nullopt;
    }
    long pid_value = std::atol(pid.c_str());
    if (pid_value <= 0 || (kill(pid_value, 0) != 0 && errno != EPERM)) return std::nullopt;
    return Postmaster{pid_value, std::atoi(port.c_str())};
}

// Closes a file descriptor when it goes out of scope.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) close(fd);
    }
};

// Starts `argv` (argv[0] looked up on PATH) in `cwd` with stdin from /dev/null and stdout and
// stderr on `out_fd`; returns the child's pid.
pid_t spawn(const std::vector<std::string>& argv, int out_fd, const std::string& cwd) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw CliError("cannot start " + argv[0] + ": " + std::strerror(errno));
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0 ||
            chdir(cwd.c_str()) != 0) {
            _exit(126);
        }
        execvp(args[0], args.data());
        dprintf(2, "cost-ops: cannot execute %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    return pid;
}

// Waits for `pid`; its exit status, or 128 + the signal that killed it.
int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw CliError(std::string("waitpid: ") + std::strerror(errno));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The output of a short command such as pg_config; empty when it fails.
std::string capture_output(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return "";
    FileDescriptor read_end{fds[0]};
    pid_t pid;
    {
        FileDescriptor write_end{fds[1]};
        pid = spawn(argv, write_end.fd, "/");
    }
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = read(read_end.fd, buffer, sizeof buffer)) != 0;) {
        if (n > 0) out.append(buffer, static_cast<size_t>(n));
        if (n < 0 && errno != EINTR) break;
    }
    return wait_for(pid) == 0 ? out : "";
}

// Where the PostgreSQL 15 server binaries are; a CliError naming the package when absent.
std::string find_server_bindir() {
    std::string bindir = kDefaultBindir;
    if (access(kPgConfig, X_OK) == 0) {
        std::string out = capture_output({kPgConfig, "--bindir"});
        while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
        if (!out.empty()) bindir = out;
    }
    for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
        if (access((bindir + "/" + tool).c_str(), X_OK) != 0) {
            throw CliError("the local instance needs the PostgreSQL 15 server, but " + bindir +
                           "/" + tool + " is missing: " + kInstallHint +
                           ", or use another server with --database-url or $DATABASE__URL");
        }
    }
    return bindir;
}

// The command prefix that runs a program as the instance's owner: postgres when root.
std::vector<std::string> as_owner() {
    if (!running_as_root()) return {};
    return {"runuser", "-u", "postgres", "--"};
}

// `argv` as one line, for messages and the log.
std::string join(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& arg : argv) out += (out.empty() ? "" : " ") + arg;
    return out;
}

// The last `count` non-empty lines of `path` from byte `offset` on, joined into one line.
std::string log_tail(const std::string& path, std::streamoff offset, size_t count) {
    std::ifstream file(path);
    file.seekg(offset);
    std::deque<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        if (line.empty()) continue;
        lines.push_back(line);
        if (lines.size() > count) lines.pop_front();
    }
    std::string out;
    for (const std::string& line : lines) out += (out.empty() ? "" : " | ") + line;
    return out.empty() ? "(no output)" : out;
}

struct LoggedRun {
    int status;
    off_t log_offset;  // where the command's output starts in the log
};

// Runs `argv` in `cwd` with its output appended to `log`, after a line naming the command.
LoggedRun run_logged(const std::vector<std::string>& argv, const std::string& log,
                     const std::string& cwd) {
    FileDescriptor out{open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)};
    if (out.fd < 0) throw CliError("cannot write " + log + ": " + std::strerror(errno));
    dprintf(out.fd, "cost-ops: running %s\n", join(argv).c_str());
    off_t offset = lseek(out.fd, 0, SEEK_END);
    return {wait_for(spawn(argv, out.fd, cwd)), offset};
}

// The postgres system user and group, which own the instance when cost-ops runs as root.
std::pair<uid_t, gid_t> postgres_owner() {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
        throw CliError(std::string("there is no postgres user to run the local instance as: ") +
                       kInstallHint);
    }
    return {pw->pw_uid, pw->pw_gid};
}

// Creates database costops when it is missing; true when it did.
bool create_database_if_missing(const std::string& run_dir, int port) {
    pqxx::connection admin(socket_url(run_dir, port, "postgres"));
    pqxx::nontransaction tx(admin);
    if (!tx.exec("SELECT 1 FROM pg_catalog.pg_database WHERE datname = 'costops'").empty()) {
        return false;
    }
    tx.exec("CREATE DATABASE costops");
    return true;
}

// Installs llm_cost_ops (with btree_gist) when missing; true when it did.
bool install_extension_if_missing(pqxx::connection& conn) {
    ExtensionVersions versions = read_extension_versions(conn);
    if (versions.installed) return false;
    if (!versions.available) {
        throw CliError(
            "the llm_cost_ops extension files are not installed in PostgreSQL 15: run 'make "
            "install' (as root) in the LLM Cost Ops source tree, then retry");
    }
    {
        pqxx::nontransaction quiet(conn);
        quiet.exec("SET client_min_messages = warning");
    }
    install_extension(conn);
    return true;
}

// Makes database costops with the extension exist, in one connection when both already do;
// true when it created anything.
bool provision(const std::string& run_dir, int port) {
    std::string url = socket_url(run_dir, port, "costops");
    std::unique_ptr<pqxx::connection> conn;
    bool created_database = false;
    try {
        conn = std::make_unique<pqxx::connection>(url);
    } catch (const pqxx::broken_connection&) {
        if (!create_database_if_missing(run_dir, port)) throw;
        created_database = true;
        conn = std::make_unique<pqxx::connection>(url);
    }
    return install_extension_if_missing(*conn) || created_database;
}

}  // namespace

LocalInstance::LocalInstance() : home_(resolve_home()), port_(resolve_port()) {}

void LocalInstance::prepare_home() {
    std::error_code error;
    fs::create_directories(path("run"), error);
    if (error) {
        throw CliError("cannot create " + path("run") + " (COST_OPS_HOME is " + home_ +
                       "): " + error.message() + "; set COST_OPS_HOME to a writable directory");
    }
    chmod(path("run").c_str(), 0700);
    FileDescriptor log{
        open(path("postgres.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)};
    if (!running_as_root()) return;
    auto [uid, gid] = postgres_owner();
    for (const std::string& owned : {home_, path("run"), path("postgres.log")}) {
        if (chown(owned.c_str(), uid, gid) != 0) {
            throw CliError("cannot give " + owned +
                           " to the postgres user: " + std::strerror(errno));
        }
    }
    std::vector<std::string> probe = as_owner();
    probe.insert(probe.end(), {"test", "-x", home_});
    if (run_logged(probe, path("postgres.log"), home_).status != 0) {
        throw CliError("the postgres user cannot enter COST_OPS_HOME=" + home_ +
                       ": as root, cost-ops runs the server as postgres, which needs search (x) "
                       "permission on every parent directory; choose a directory outside "
                       "private homes such as /root, or unset COST_OPS_HOME to use "
                       "/var/lib/cost-ops");
    }
}

void LocalInstance::run_server_binary(const std::string& binary,
                                      const std::vector<std::string>& args) {
    if (bindir_.empty()) bindir_ = find_server_bindir();
    std::vector<std::string> argv = as_owner();
    argv.push_back(bindir_ + "/" + binary);
    argv.insert(argv.end(), args.begin(), args.end());
    LoggedRun run = run_logged(argv, path("postgres.log"), home_);
    if (run.status != 0) {
        throw CliError(binary + " failed with exit status " + std::to_string(run.status) + " (" +
                       join(argv) + "); last lines of " + path("postgres.log") + ": " +
                       log_tail(path("postgres.log"), run.log_offset, 8));
    }
}

std::string LocalInstance::ensure_running() {
    std::optional<Postmaster> server = live_postmaster(path("pgdata"));
    int port = server ? server->port : port_;
    std::string done;
    // Two cost-ops processes may find the instance stopped at once: the second waits for
    // the first here, then finds the server running.
    FileDescriptor start_lock{-1};
    if (!server) {
        prepare_home();
        start_lock.fd = open(path("run/.start.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (start_lock.fd < 0 || flock(start_lock.fd, LOCK_EX) != 0) {
            throw CliError("cannot lock " + path("run/.start.lock") + ": " + std::strerror(errno));
        }
        server = live_postmaster(path("pgdata"));
    }
    if (!server) {
        std::error_code error;
        if (!fs::exists(path("pgdata/PG_VERSION"), error)) {
            run_server_binary("initdb", {"-D", path("pgdata"), "-U", "costops", "--auth=trust",
                                         "-E", "UTF8", "--locale=C.UTF-8"});
            done = "created and started";
        }
        run_server_binary("pg_ctl", {"-D", path("pgdata"), "-l", path("postgres.log"), "-w", "-o",
                                     server_options(path("run"), port), "start"});
        if (done.empty()) done = "started";
    }
    try {
        if (provision(path("run"), port) && done.empty()) done = "installed llm_cost_ops in";
    } catch (const pqxx::broken_connection& e) {
        throw CliError("cannot connect to the local PostgreSQL instance in " + home_ + ": " +
                       first_line(e.what()) + " (server log: " + path("postgres.log") + ")");
    }
    if (!done.empty()) {
        std::cerr << "cost-ops: " << done << " the local PostgreSQL instance in " << home_ << "\n";
    }
    return socket_url(path("run"), port, "costops");
}

bool LocalInstance::stop() {
    if (!live_postmaster(path("pgdata"))) return false;
    run_server_binary("pg_ctl", {"-D", path("pgdata"), "-m", "fast", "-w", "stop"});
    return true;
}

LocalInstanceStatus LocalInstance::status() const {
    LocalInstanceStatus status;
    status.home = home_;
    std::error_code error;
    status.initialized = fs::exists(path("pgdata/PG_VERSION"), error);
    if (std::optional<Postmaster> server = live_postmaster(path("pgdata"))) {
        status.running = true;
        status.pid = server->pid;
        status.url = socket_url(path("run"), server->port, "costops");
    }
    return status;
}

}  // namespace costops::cli
