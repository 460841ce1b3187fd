#include "record_identity.hpp"

#include "exact_json.hpp"
#include "sha256.hpp"

namespace costops::cli {

namespace {

// A number's text as its value: "1.50" and "1.5" (and "1.0" and "1") are one number, as
// jsonb compares them.
std::string canonical_number(std::string text) {
    if (text.find_first_of("eE") != std::string::npos || text.find('.') == std::string::npos) {
        return text;
    }
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

// `value` with every number (integer or literal) as a marked string of its canonical text, so
// 1, 1.0 and 1.00 digest alike (keys are sorted by the JSON type already).
Json canonical_json(const Json& value) {
    if (is_json_number(value)) return Json("#number " + canonical_number(json_scalar_text(value)));
    if (!value.is_structured()) return value;
    Json out = value.is_object() ? Json::object() : Json::array();
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (value.is_object()) {
            out[it.key()] = canonical_json(*it);
        } else {
            out.push_back(canonical_json(*it));
        }
    }
    return out;
}

}  // namespace

std::string content_key(const UsageRecord& record) {
    // The values as stored: a missing total is the sum, metadata as jsonb compares it.
    UsageRecord stored = record;
    stored.total_tokens = record.prompt_tokens + record.completion_tokens;
    if (record.metadata)
        stored.metadata = dump_exact(canonical_json(parse_json_exact(*record.metadata)));
    Sha256 digest;
    // Each value length-prefixed, a missing one marked apart from an empty one: no two
    // different records feed the same bytes.
    Row cells = usage_copy_row(stored);
    // Without the request shape, which 1.3 added: keys of records stored before stay the same,
    // and a bucket stored before 1.3 (as one request) comes back as a conflict, not a second
    // record.
    cells.resize(cells.size() - kRequestShapeColumns);
    for (const Cell& cell : cells) {
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
