// The bytes an ingest reads: a file or standard input, gzip undone as it streams, every byte
// counted and digested (SHA-256) as it passes, for progress and the run's checksum.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

#include "../readers/gzip_input.hpp"
#include "sha256.hpp"

namespace costops::cli {

// Reads another streambuf through, counting what it reads and digesting what its reader
// consumed, so the digest of exactly the bytes read so far is at hand at a record boundary.
class DigestingStreambuf : public std::streambuf {
  public:
    explicit DigestingStreambuf(std::streambuf* source) : source_(source), buffer_(1 << 16) {}
    int64_t bytes() const { return bytes_; }
    // Bytes the reader has consumed, and their SHA-256.
    int64_t consumed() const { return digested_ + (gptr() - eback()); }
    std::string consumed_sha256() const {
        return digest_.peek_hex(eback(), static_cast<size_t>(gptr() - eback()));
    }
    // The SHA-256 of every byte, once the reader is done.
    std::string finish_hex() {
        digest_.update(eback(), static_cast<size_t>(egptr() - eback()));
        return digest_.finish_hex();
    }

  protected:
    int_type underflow() override;

  private:
    std::streambuf* source_;
    std::vector<char> buffer_;
    Sha256 digest_;
    int64_t bytes_ = 0, digested_ = 0;
};

class SourceInput {
  public:
    // Opens `file` ("-" for standard input); throws CliError naming it when it cannot.
    explicit SourceInput(const std::string& file);

    std::istream& stream() { return *stream_; }
    const std::optional<std::string>& path() const { return path_; }  // absolute; none for "-"
    std::optional<int64_t> size() const { return size_; }             // none for "-"
    int64_t bytes_read() const { return digesting_->bytes(); }
    // Whether the file is gzip (its integrity is known only at its end).
    bool compressed() const { return gzip_ != nullptr; }
    // Bytes of the file the records read so far span, and their SHA-256 (plain files).
    int64_t consumed() const { return digesting_->consumed(); }
    std::string consumed_sha256() const { return digesting_->consumed_sha256(); }
    // SHA-256 of every byte read (compressed bytes for gzip); call once, at the end.
    std::string finish_sha256() { return digesting_->finish_hex(); }

  private:
    std::ifstream file_;
    std::unique_ptr<DigestingStreambuf> digesting_;
    std::unique_ptr<std::istream> raw_;
    std::unique_ptr<GzipStreambuf> gzip_;
    std::unique_ptr<std::istream> decompressed_;
    std::istream* stream_ = nullptr;
    std::optional<std::string> path_;
    std::optional<int64_t> size_;
};

}  // namespace costops::cli
