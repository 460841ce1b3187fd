#include "record_identity.hpp"

#include "sha256.hpp"

namespace costops::cli {

std::string content_key(const UsageRecord& record) {
    Sha256 digest;
    // Each value length-prefixed, a missing one marked apart from an empty one: no two
    // different records feed the same bytes.
    for (const Cell& cell : usage_copy_row(record)) {
        if (!cell) {
            digest.update("-", 1);
            continue;
        }
        std::string prefix = std::to_string(cell->size()) + ":";
        digest.update(prefix);
        digest.update(*cell);
    }
    static const char* kHex = "0123456789abcdef";
    std::string key;
    auto bytes = digest.finish();
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) key += '-';
        key += kHex[bytes[i] >> 4];
        key += kHex[bytes[i] & 15];
    }
    return key;
}

}  // namespace costops::cli
