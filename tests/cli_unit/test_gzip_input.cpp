// GzipStreambuf and starts_gzip: gzip input decompressed as it streams, across members, with
// an error naming the input for corrupt or truncated data.
#include <catch2/catch.hpp>

#include <iterator>
#include <sstream>
#include <string>

#include <zlib.h>

#include "cli_error.hpp"
#include "readers/gzip_input.hpp"
#include "../core/test_support.hpp"

using namespace costops::cli;

namespace {

// `text` as one gzip member, made with zlib (as gzip(1) would make it).
std::string gzipped(const std::string& text) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, text.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// Everything a GzipStreambuf over `compressed` yields.
std::string gunzipped(const std::string& compressed) {
    std::istringstream in(compressed);
    GzipStreambuf buf(in, "usage.csv.gz");
    // Through the buffer itself, as the record readers read: its errors reach the caller.
    return std::string(std::istreambuf_iterator<char>(&buf), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("starts_gzip looks at the magic bytes without consuming them", "[cli][gzip]") {
    std::istringstream gz(gzipped("a,b\n"));
    CHECK(starts_gzip(gz));
    CHECK(gz.get() == 0x1f);
    std::istringstream csv("timestamp,provider\n");
    CHECK_FALSE(starts_gzip(csv));
    CHECK(csv.get() == 't');
    std::istringstream lone(
        "\x1f"
        "x");
    CHECK_FALSE(starts_gzip(lone));
    CHECK(lone.get() == 0x1f);
    std::istringstream empty("");
    CHECK_FALSE(starts_gzip(empty));
}

TEST_CASE("GzipStreambuf decompresses as it streams, across members", "[cli][gzip]") {
    // Larger than the 64 KiB buffers on both sides, and not repetitive enough to fit one.
    std::string big;
    for (int i = 0; i < 200000; ++i) big += std::to_string(i * 7919 % 100003) + ",";
    CHECK(gunzipped(gzipped(big)) == big);
    CHECK(gunzipped(gzipped("")).empty());
    // cat a.gz b.gz: the members follow one another.
    CHECK(gunzipped(gzipped("first\n") + gzipped("second\n")) == "first\nsecond\n");
}

TEST_CASE("GzipStreambuf names the input of corrupt or truncated data", "[cli][gzip]") {
    std::string whole = gzipped("timestamp,provider\n2025-01-01,openai\n");
    CHECK(test_support::thrown_message<CliError>(
              [&] { gunzipped(whole.substr(0, whole.size() / 2)); }) ==
          "usage.csv.gz: not a valid gzip file: it ends in the middle of the data "
          "(truncated?)");
    std::string corrupt = whole.substr(0, 10) + "garbage, not deflate data";
    CHECK(test_support::thrown_message<CliError>([&] {
              gunzipped(corrupt);
          }).rfind("usage.csv.gz: not a valid gzip file: ", 0) == 0);
}
