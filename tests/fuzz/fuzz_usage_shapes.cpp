// libFuzzer target: the usage-shape normalizer (normalize_usage). The first byte picks the
// format (OpenAI, Anthropic, Gemini); the rest is the usage object's JSON. Counts it returns
// satisfy the domain's invariants; a refusal is a UsageShapeError naming a field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exact_json.hpp"
#include "fuzz_check.hpp"
#include "usage.hpp"
#include "usage_shapes.hpp"

using namespace costops;
using costops::fuzz::require;

// Normalizes the input's usage object and checks the counts or the error.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    constexpr UsageFormat kFormats[] = {UsageFormat::OpenAI, UsageFormat::Anthropic,
                                        UsageFormat::Gemini};
    UsageFormat format = kFormats[data[0] % 3];
    Json usage;
    try {
        usage =
            parse_json_exact(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    } catch (const JsonSyntaxError&) {
        return 0;
    }
    try {
        UsageCounts counts = normalize_usage(format, usage);
        auto violation = check_usage(counts, std::nullopt);
        require(!violation, "normalized counts break the invariants",
                violation ? violation->reason : "");
    } catch (const UsageShapeError& e) {
        require(!e.field().empty() && e.what()[0] != '\0', "an error without field or sentence");
    }
    return 0;
}
