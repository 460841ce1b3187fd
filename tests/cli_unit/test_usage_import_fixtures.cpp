// The importer fixtures of tests/fixtures/usage: each directory's export, read as ingest reads
// it and expanded by the importer its command names, gives the rows of its expected.csv (every
// column but total_cost, which the database computes with the fixture price list).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "readers/record_reader.hpp"
#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// The fixture directory `name`, found from this file's place in the repository.
std::string fixture_dir(const std::string& name) {
    std::string here = __FILE__;
    return here.substr(0, here.rfind("/tests/")) + "/tests/fixtures/usage/" + name + "/";
}

// The options of a fixture's command file ("--format litellm --file x.csv ..."), by name.
std::map<std::string, std::string> command_of(const std::string& dir) {
    std::ifstream in(dir + "command");
    REQUIRE(in);
    std::map<std::string, std::string> options;
    std::string name, value;
    while (in >> name >> value) options[name] = value;
    return options;
}

// A mapped record as the first eight columns of expected.csv.
std::string row_of(const UsageRecord& r) {
    std::ostringstream row;
    row << *r.request_id << ',' << r.provider << ',' << r.model << ',' << r.prompt_tokens << ','
        << r.cached_tokens << ',' << r.cache_write_tokens << ',' << r.completion_tokens << ','
        << r.reasoning_tokens;
    return row.str();
}

// The rows the fixture's export gives, ordered by request_id; every record must import cleanly.
std::vector<std::string> imported_rows(const std::string& dir) {
    std::map<std::string, std::string> options = command_of(dir);
    const costops::cli::UsageImporter* importer =
        costops::cli::find_usage_importer(options["--format"]);
    REQUIRE(importer != nullptr);
    std::ifstream in(dir + options["--file"]);
    REQUIRE(in);
    size_t skipped = 0;
    auto format = costops::cli::detect_input_format(options["--file"], in, &skipped);
    std::vector<std::string> rows;
    costops::cli::read_records(in, format, options["--file"], [&](SourceRecord&& source) {
        REQUIRE(source.error.empty());
        ImportedRecords imported;
        importer->expand(source.fields, imported);
        CHECK(imported.unknown.empty());
        for (const UsageRecord& r :
             mapped(imported, with_organization(options["--default-organization"]))) {
            CHECK(r.organization_id == options["--default-organization"]);
            rows.push_back(row_of(r));
        }
    });
    std::sort(rows.begin(), rows.end());
    return rows;
}

// The rows of the fixture's expected.csv without their total_cost.
std::vector<std::string> expected_rows(const std::string& dir) {
    std::ifstream in(dir + "expected.csv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);
    CHECK(line ==
          "request_id,provider,model,prompt_tokens,cached_tokens,cache_write_tokens,"
          "completion_tokens,reasoning_tokens,total_cost");
    std::vector<std::string> rows;
    while (std::getline(in, line)) rows.push_back(line.substr(0, line.rfind(',')));
    return rows;
}

}  // namespace

TEST_CASE("usage importer fixtures give the rows of their expected.csv",
          "[cli][usage_import][fixtures]") {
    for (const char* name :
         {"litellm-json", "litellm-csv", "openai-usage", "anthropic-usage", "provider-response"}) {
        INFO("fixture " << name);
        std::string dir = fixture_dir(name);
        CHECK(imported_rows(dir) == expected_rows(dir));
    }
}
