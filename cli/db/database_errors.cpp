#include "database_errors.hpp"

#include <sstream>

namespace costops::cli {

namespace {

// Removes a leading "PREFIX:" tag and surrounding blanks.
std::string strip_tag(const std::string& line, const std::string& tag) {
    std::string out = line.rfind(tag, 0) == 0 ? line.substr(tag.size()) : line;
    size_t start = out.find_first_not_of(' ');
    return start == std::string::npos ? std::string() : out.substr(start);
}

}  // namespace

std::string one_line(const std::string& message) {
    std::string out;
    for (char c : message) {
        bool blank = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (!blank) {
            out += c;
        } else if (!out.empty() && out.back() != ' ') {
            out += ' ';
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string first_line(const std::string& message) {
    std::string line = message.substr(0, message.find('\n'));
    return strip_tag(line, "ERROR:");
}

std::string describe_sql_error(const pqxx::sql_error& error) {
    std::istringstream lines(error.what());
    std::string line, message, detail, hint;
    while (std::getline(lines, line)) {
        if (line.rfind("DETAIL:", 0) == 0) {
            detail = strip_tag(line, "DETAIL:");
        } else if (line.rfind("HINT:", 0) == 0) {
            hint = strip_tag(line, "HINT:");
        } else if (message.empty()) {
            message = strip_tag(line, "ERROR:");
        }
    }
    std::string out = message;
    if (!detail.empty()) out += " (" + detail + ")";
    if (!hint.empty()) out += " " + hint;
    // (libpqxx 6 leaves sqlstate() empty on the typed insufficient_privilege.)
    bool privilege = dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr ||
                     error.sqlstate() == "42501";
    if (privilege && message.find("row-level security") != std::string::npos) {
        out +=
            " (tenant isolation: this role's organizations are those cost_ops.tenant_members "
            "maps it to)";
    } else if (privilege && hint.empty()) {
        out +=
            " (the extension's roles: cost_ops_reader reads, cost_ops_writer also ingests, "
            "cost_ops_admin also sets prices and budgets and reprices)";
    }
    return out;
}

}  // namespace costops::cli
