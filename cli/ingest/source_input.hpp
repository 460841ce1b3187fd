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

// Reads another streambuf through, digesting and counting what it reads.
class DigestingStreambuf : public std::streambuf {
  public:
    explicit DigestingStreambuf(std::streambuf* source) : source_(source), buffer_(1 << 16) {}
    int64_t bytes() const { return bytes_; }
    std::string finish_hex() { return digest_.finish_hex(); }

  protected:
    int_type underflow() override;

  private:
    std::streambuf* source_;
    std::vector<char> buffer_;
    Sha256 digest_;
    int64_t bytes_ = 0;
};

class SourceInput {
  public:
    // Opens `file` ("-" for standard input); throws CliError naming it when it cannot.
    explicit SourceInput(const std::string& file);

    std::istream& stream() { return *stream_; }
    const std::optional<std::string>& path() const { return path_; }  // absolute; none for "-"
    std::optional<int64_t> size() const { return size_; }             // none for "-"
    // SHA-256 of the first MiB of the file (none for "-"): recognizes it when resuming.
    const std::optional<std::string>& head_sha256() const { return head_sha256_; }
    int64_t bytes_read() const { return digesting_->bytes(); }
    // SHA-256 of every byte read (compressed bytes for gzip); call once, at the end.
    std::string finish_sha256() { return digesting_->finish_hex(); }

  private:
    std::ifstream file_;
    std::unique_ptr<DigestingStreambuf> digesting_;
    std::unique_ptr<std::istream> raw_;
    std::unique_ptr<GzipStreambuf> gzip_;
    std::unique_ptr<std::istream> decompressed_;
    std::istream* stream_ = nullptr;
    std::optional<std::string> path_, head_sha256_;
    std::optional<int64_t> size_;
};

}  // namespace costops::cli
