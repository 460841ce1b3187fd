#include "commands.hpp"

namespace costops::cli {

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& help) {
    size_t newline = help.find('\n');
    CLI::App* cmd = parent.add_subcommand(name, help.substr(0, newline));
    if (newline != std::string::npos) cmd->footer(help.substr(newline + 1));
    return cmd;
}

}  // namespace costops::cli
