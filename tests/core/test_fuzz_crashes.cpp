// The inputs the libFuzzer targets of tests/fuzz crashed on (reduced), each kept as a test.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "exact_json.hpp"
#include "ingest/source_mapping.hpp"
#include "readers/record_reader.hpp"
#include "text_encoding.hpp"

using namespace costops;
using namespace costops::cli;

namespace {

// The error messages of every record of the CSV `text` mapped as cost-ops' own fields.
std::vector<std::string> csv_errors(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> messages;
    read_csv_records(in, "in.csv", [&](SourceRecord&& record) {
        std::vector<UsageRecord> usages;
        std::vector<FieldError> errors;
        std::vector<std::string> unknown;
        map_source_record(record, nullptr, {}, usages, errors, unknown);
        for (const FieldError& e : errors) messages.push_back(e.message);
    });
    return messages;
}

const std::string kHeader =
    "timestamp,provider,model,organization_id,prompt_tokens,completion_tokens\n";

}  // namespace

// fuzz_usage_importers: a CSV count that is not UTF-8 threw nlohmann's type_error 316 out of
// the message that quotes it, ending the whole ingest instead of rejecting the record.
TEST_CASE("a CSV count with bytes that are not UTF-8 is a field error", "[core][fuzz]") {
    CHECK(
        csv_errors(kHeader + "2023-11-16T18:15:46Z,openai,gpt-4o,acme,37\xff,44\n") ==
        std::vector<std::string>{"prompt_tokens: expected a whole number, got \"37\xef\xbf\xbd\""});
    CHECK(csv_errors(kHeader + "2023-11-16T18:15:46\xf8,openai,gpt-4o,acme,374,44\n").size() == 1);
}

// Found with the invariant that every COPY text is UTF-8 as PostgreSQL takes it: surrogates,
// overlong forms and code points past U+10FFFF passed the check and failed the COPY batch.
TEST_CASE("is_valid_utf8 follows RFC 3629 as PostgreSQL does", "[core][fuzz]") {
    for (const char* bad : {"\xed\xa0\x80", "\xe0\x80\xaf", "\xc0\xaf", "\xf0\x80\x80\xaf",
                            "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82", "\x80"}) {
        CHECK_FALSE(is_valid_utf8(bad));
    }
    for (const char* good : {"gpt-4o", "\xc3\xa9", "\xed\x9f\xbf", "\xee\x80\x80",
                             "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xe2\x82\xac"}) {
        CHECK(is_valid_utf8(good));
    }
    CHECK(csv_errors(kHeader + "2023-11-16T18:15:46Z,openai,gpt-\xed\xa0\x80,acme,374,44\n") ==
          std::vector<std::string>{"model: not valid UTF-8 text"});
}

// dump_exact wrote keys through nlohmann's dump(), which throws on a CSV header that is not
// UTF-8 (a reject's raw text is such a dump).
TEST_CASE("json_quoted and dump_exact never throw on bytes that are not UTF-8", "[core][fuzz]") {
    CHECK(json_quoted("a\"b\xff") == "\"a\\\"b\xef\xbf\xbd\"");
    Json fields = Json::object();
    fields["col\xfe"] = "1";
    CHECK(dump_exact(fields) == "{\"col\xef\xbf\xbd\":\"1\"}");
}
