#include "gzip_input.hpp"

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

constexpr size_t kChunk = 1 << 16;
// windowBits 15 + 16: a gzip wrapper (not zlib, not raw deflate).
constexpr int kGzipWindow = 15 + 16;

}  // namespace

bool starts_gzip(std::istream& in) {
    std::streambuf* buf = in.rdbuf();
    if (buf->sgetc() != 0x1f) return false;
    // Two bytes without consuming them: read one, look at the next, put the first back.
    buf->sbumpc();
    bool gzip = buf->sgetc() == 0x8b;
    buf->sungetc();
    return gzip;
}

GzipStreambuf::GzipStreambuf(std::istream& compressed, std::string name)
    : compressed_(compressed), name_(std::move(name)), in_(kChunk), out_(kChunk) {
    if (inflateInit2(&zs_, kGzipWindow) != Z_OK) fail("cannot start decompressing");
    setg(out_.data(), out_.data(), out_.data());
}

GzipStreambuf::~GzipStreambuf() {
    inflateEnd(&zs_);
}

// Throws the error of corrupt or truncated input.
void GzipStreambuf::fail(const std::string& why) const {
    throw CliError(name_ + ": not a valid gzip file: " + why);
}

// Reads more compressed bytes; false at the end of the compressed input.
bool GzipStreambuf::refill_input() {
    compressed_.read(in_.data(), static_cast<std::streamsize>(in_.size()));
    std::streamsize got = compressed_.gcount();
    if (compressed_.bad()) fail("read error");
    zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
    zs_.avail_in = static_cast<uInt>(got);
    return got > 0;
}

// Inflates the next chunk: across member boundaries, until some output or the end.
GzipStreambuf::int_type GzipStreambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    while (true) {
        if (zs_.avail_in == 0 && !refill_input()) {
            if (!member_done_) fail("it ends in the middle of the data (truncated?)");
            return traits_type::eof();
        }
        if (member_done_) {
            // Another member follows (concatenated .gz files): start it afresh.
            if (inflateReset(&zs_) != Z_OK) fail("cannot restart decompressing");
            member_done_ = false;
        }
        zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
        zs_.avail_out = static_cast<uInt>(out_.size());
        int rc = inflate(&zs_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            member_done_ = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            fail(zs_.msg != nullptr ? zs_.msg : "corrupt data");
        }
        size_t produced = out_.size() - zs_.avail_out;
        if (produced > 0) {
            setg(out_.data(), out_.data(), out_.data() + produced);
            return traits_type::to_int_type(*gptr());
        }
    }
}

}  // namespace costops::cli
