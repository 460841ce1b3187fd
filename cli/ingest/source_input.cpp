#include "source_input.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "../cli_error.hpp"

namespace costops::cli {

DigestingStreambuf::int_type DigestingStreambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    // The buffer was consumed whole: digest it before it is refilled.
    digest_.update(eback(), static_cast<size_t>(egptr() - eback()));
    digested_ += egptr() - eback();
    setg(buffer_.data(), buffer_.data(), buffer_.data());
    std::streamsize n =
        source_->sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (n <= 0) return traits_type::eof();
    bytes_ += n;
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
}

SourceInput::SourceInput(const std::string& file) {
    std::streambuf* source = std::cin.rdbuf();
    if (file != "-") {
        std::error_code error;
        if (std::filesystem::is_directory(file, error)) {
            throw CliError("cannot read " + file + ": it is a directory");
        }
        file_.open(file, std::ios::binary);
        if (!file_) throw CliError("cannot open " + file + ": " + std::strerror(errno));
        path_ = std::filesystem::absolute(file, error).lexically_normal().string();
        // A pipe (<(...), a FIFO) has no size.
        if (std::filesystem::is_regular_file(file, error)) {
            size_ = static_cast<int64_t>(std::filesystem::file_size(file, error));
        }
        source = file_.rdbuf();
    }
    digesting_ = std::make_unique<DigestingStreambuf>(source);
    raw_ = std::make_unique<std::istream>(digesting_.get());
    stream_ = raw_.get();
    if (!starts_gzip(*raw_)) return;
    gzip_ = std::make_unique<GzipStreambuf>(*raw_, file);
    decompressed_ = std::make_unique<std::istream>(gzip_.get());
    // A corrupt file's error must stop the ingest, not read as the end of the input.
    decompressed_->exceptions(std::ios::badbit);
    stream_ = decompressed_.get();
}

}  // namespace costops::cli
