// SHA-256 (OpenSSL's), for the checksum of an ingested file and the digest of a record.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace costops::cli {

class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // The digest of everything given so far; the hasher starts over.
    std::array<uint8_t, 32> finish();
    // finish() as 64 lower-case hex digits, as sha256sum prints it.
    std::string finish_hex();
    // The hex digest of what was given so far plus `more`, leaving this hasher as it is.
    std::string peek_hex(const void* more, size_t size) const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace costops::cli
