// Server errors as the one line the CLI prints.
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace costops::cli {

// A message with its line breaks and tabs folded into single spaces: the CLI prints one line.
std::string one_line(const std::string& message);

// The first line of a message, without the "ERROR:  " prefix libpq adds.
std::string first_line(const std::string& message);

// "message (detail) hint", from the server's multi-line error text; a privilege error also names
// the extension's roles.
std::string describe_sql_error(const pqxx::sql_error& error);

}  // namespace costops::cli
