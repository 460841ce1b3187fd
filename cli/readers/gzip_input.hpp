// gzip input read as it streams (a .gz file or a compressed standard input), so a compressed
// export of any size goes through ingest in constant memory.
#pragma once

#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include <zlib.h>

namespace costops::cli {

// Whether the next bytes of `in` are a gzip header (1f 8b); consumes nothing.
bool starts_gzip(std::istream& in);

// The decompressed bytes of the gzip stream `compressed` (one or more concatenated members, as
// `cat a.gz b.gz` makes). Corrupt or truncated input throws CliError naming `name`.
class GzipStreambuf : public std::streambuf {
  public:
    GzipStreambuf(std::istream& compressed, std::string name);
    ~GzipStreambuf() override;
    GzipStreambuf(const GzipStreambuf&) = delete;
    GzipStreambuf& operator=(const GzipStreambuf&) = delete;

  protected:
    int_type underflow() override;

  private:
    [[noreturn]] void fail(const std::string& why) const;
    bool refill_input();

    std::istream& compressed_;
    std::string name_;
    z_stream zs_{};
    std::vector<char> in_, out_;
    bool member_done_ = false;  // the last inflate() ended a gzip member
};

}  // namespace costops::cli
