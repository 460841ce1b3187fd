// Langfuse observations: GET /api/public/observations (v1, {"data": [...], "meta": ...}) and
// /api/public/v2/observations pages, single observations, and exports of them as JSON, NDJSON
// or CSV (nested objects as JSON text). Only GENERATION and EMBEDDING observations are usage.
// Langfuse keeps usageDetails as disjoint usage types: "input" is what is left after the other
// input types (input_cached_tokens, cache_read_input_tokens, ...) were taken out of it, as its
// ingestion and LangChain handler do; so cost-ops' prompt_tokens is the sum of all input types,
// which is how Langfuse's UI and cost code count them; see docs/importers/langfuse.md.
#include <algorithm>
#include <array>

#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of an observation (ObservationsView of v1, ObservationV2, the legacy fields).
const KnownFields kObservationFields = {"id",
                                        "traceId",
                                        "type",
                                        "name",
                                        "startTime",
                                        "endTime",
                                        "completionStartTime",
                                        "model",
                                        "providedModelName",
                                        "modelParameters",
                                        "input",
                                        "output",
                                        "version",
                                        "metadata",
                                        "usage",
                                        "usageDetails",
                                        "costDetails",
                                        "level",
                                        "statusMessage",
                                        "parentObservationId",
                                        "promptId",
                                        "promptName",
                                        "promptVersion",
                                        "modelId",
                                        "internalModelId",
                                        "inputPrice",
                                        "outputPrice",
                                        "totalPrice",
                                        "calculatedInputCost",
                                        "calculatedOutputCost",
                                        "calculatedTotalCost",
                                        "totalCost",
                                        "latency",
                                        "timeToFirstToken",
                                        "environment",
                                        "projectId",
                                        "userId",
                                        "sessionId",
                                        "bookmarked",
                                        "public",
                                        "createdAt",
                                        "updatedAt",
                                        "isRootObservation",
                                        "promptTokens",
                                        "completionTokens",
                                        "totalTokens",
                                        "unit"};

// The members of the deprecated usage object.
const KnownFields kUsageFields = {"input",     "output",     "total",    "unit",
                                  "inputCost", "outputCost", "totalCost"};

// The observation types that are LLM calls, and those that are not.
const KnownFields kUsageTypes = {"GENERATION", "EMBEDDING"};
const KnownFields kOtherTypes = {"SPAN",  "EVENT",     "AGENT",     "TOOL",
                                 "CHAIN", "RETRIEVER", "EVALUATOR", "GUARDRAIL"};

// What a usage type counts.
enum class Part { input, cache_read, cache_write, cache_write_1h, output, reasoning, total };

struct UsageType {
    std::string_view key;
    Part part;
};

// The usage types Langfuse's integrations write and its model prices name (OpenAI-style from
// its ingestion, LangChain-style from its handler, Anthropic-style from its other integrations).
constexpr UsageType kUsageTypeParts[] = {
    {"input", Part::input},
    {"input_tokens", Part::input},
    {"input_audio_tokens", Part::input},
    {"input_audio", Part::input},
    {"input_cached_tokens", Part::cache_read},
    {"input_cache_read", Part::cache_read},
    {"cache_read_input_tokens", Part::cache_read},
    {"cache_creation_input_tokens", Part::cache_write},
    {"input_cache_creation", Part::cache_write},
    {"input_cache_creation_5m", Part::cache_write},
    {"input_ephemeral_5m_input_tokens", Part::cache_write},
    {"input_cache_creation_1h", Part::cache_write_1h},
    {"input_ephemeral_1h_input_tokens", Part::cache_write_1h},
    {"output", Part::output},
    {"output_tokens", Part::output},
    {"output_audio_tokens", Part::output},
    {"output_audio", Part::output},
    {"output_accepted_prediction_tokens", Part::output},
    {"output_rejected_prediction_tokens", Part::output},
    {"output_reasoning_tokens", Part::reasoning},
    {"output_reasoning", Part::reasoning},
    {"total", Part::total},
};

// What usage type `key` counts: a known one's part; another holding "input" or "output" is an
// input or output type (as Langfuse sums them), reported unknown; nullopt for anything else.
std::optional<Part> part_of(const std::string& key, const SourcePath& at, ImportedRecords& out) {
    for (const auto& type : kUsageTypeParts) {
        if (key == type.key) return type.part;
    }
    out.unknown.push_back(at.member(key).name);
    if (key.find("input") != std::string::npos) return Part::input;
    if (key.find("output") != std::string::npos) return Part::output;
    return std::nullopt;
}

// The counts of usageDetails: prompt = every input type, completion = every output type; a
// total must equal their sum.
std::optional<TokenCounts> counts_of_details(SourceObject& details, ImportedRecords& out) {
    std::array<__int128, static_cast<size_t>(Part::total) + 1> sums = {};
    std::optional<int64_t> total;
    for (auto it = details.members().begin(); it != details.members().end(); ++it) {
        auto part = part_of(it.key(), details.at(), out);
        auto count = details.count(it.key());
        if (!part || !count) continue;
        if (*part == Part::total) total = count;
        sums[static_cast<size_t>(*part)] += *count;
    }
    auto at = [&](Part part) { return sums[static_cast<size_t>(part)]; };
    __int128 prompt =
        at(Part::input) + at(Part::cache_read) + at(Part::cache_write) + at(Part::cache_write_1h);
    __int128 completion = at(Part::output) + at(Part::reasoning);
    if (prompt > INT64_MAX || completion > INT64_MAX) {
        details.fail("input", "the usage types add up to more than a bigint holds");
    } else if (total && *total != prompt + completion) {
        details.fail("total", "(" + std::to_string(*total) +
                                  ") differs from the sum of the input and output usage types (" +
                                  std::to_string(static_cast<int64_t>(prompt + completion)) + ")");
    }
    if (details.has_errors()) return std::nullopt;
    return TokenCounts{static_cast<int64_t>(prompt),
                       static_cast<int64_t>(completion),
                       static_cast<int64_t>(at(Part::cache_read)),
                       static_cast<int64_t>(at(Part::cache_write)),
                       static_cast<int64_t>(at(Part::cache_write_1h)),
                       static_cast<int64_t>(at(Part::reasoning))};
}

// The counts of the deprecated usage object (input and output, in tokens).
std::optional<TokenCounts> counts_of_usage(SourceObject& usage) {
    usage.report_unknown(kUsageFields);
    auto unit = usage.text("unit");
    if (unit && *unit != "TOKENS") usage.fail("unit", "counts " + *unit + ", not tokens");
    auto input = usage.required_count("input");
    auto output = usage.required_count("output");
    if (usage.has_errors()) return std::nullopt;
    TokenCounts counts;
    counts.prompt = *input;
    counts.completion = *output;
    return counts;
}

// The observation's usageDetails when it holds any usage type.
std::optional<SourceObject> usage_details(SourceObject& observation) {
    auto details = observation.object("usageDetails");
    if (details && details->members().empty()) return std::nullopt;
    return details;
}

// The observation's deprecated usage object when it holds input or output.
std::optional<SourceObject> legacy_usage(SourceObject& observation) {
    auto usage = observation.object("usage");
    if (usage && !usage->has("input") && !usage->has("output")) return std::nullopt;
    return usage;
}

// The provider: Langfuse observations have no provider field; LangChain's handler records
// ls_provider in their metadata, and nothing else names one reliably.
std::optional<std::string> provider_of(std::optional<SourceObject>& metadata,
                                       SourceObject& observation) {
    auto provider = metadata ? metadata->text("ls_provider") : std::nullopt;
    if (provider) return canonical_provider(*provider, langchain_provider_aliases());
    observation.fail("metadata.ls_provider",
                     "missing: Langfuse observations have no provider field, and this one has no "
                     "LangChain ls_provider in its metadata");
    return std::nullopt;
}

// Whether the observation is an LLM call; an unknown type is an error, never skipped.
bool is_usage_type(SourceObject& observation) {
    auto type = observation.required_text("type");
    if (!type) return false;
    auto listed = [&](const KnownFields& types) {
        return std::find(types.begin(), types.end(), *type) != types.end();
    };
    if (listed(kUsageTypes)) return true;
    if (!listed(kOtherTypes))
        observation.fail("type", "unknown observation type " + json_quoted(*type));
    return false;
}

// Facts only Langfuse has: trace, type, name, environment and its cost (exact text).
Json metadata_of(SourceObject& observation) {
    Json metadata = {{"source", "langfuse"}};
    put_text(metadata, "trace_id", observation.text("traceId"));
    put_text(metadata, "observation_type", observation.text("type"));
    put_text(metadata, "name", observation.text("name"));
    put_text(metadata, "environment", observation.text("environment"));
    std::optional<std::string> cost;
    if (auto costs = observation.object("costDetails")) cost = costs->number_text("total");
    if (!cost) cost = observation.number_text("totalCost");
    if (!cost) cost = observation.number_text("calculatedTotalCost");
    put_text(metadata, "source_cost", cost);
    return metadata;
}

// One observation: a usage record for a generation or embedding, none for other types and
// for failed calls (level ERROR) that report no usage.
void expand_observation(const Json& source, const SourcePath& at, ImportedRecords& out) {
    SourceObject observation(source, at, out);
    if (!observation.valid()) return;
    observation.report_unknown(kObservationFields);
    if (!is_usage_type(observation)) return;
    auto details = usage_details(observation);
    auto usage = details ? std::nullopt : legacy_usage(observation);
    if (!details && !usage && observation.is("level", "ERROR")) return;
    if (!details && !usage) observation.fail("usageDetails", "missing (and so is usage)");
    auto counts = details ? counts_of_details(*details, out)
                  : usage ? counts_of_usage(*usage)
                          : std::nullopt;
    auto metadata = observation.object("metadata");
    auto provider = provider_of(metadata, observation);
    auto model = observation.text("providedModelName");
    if (!model) model = observation.required_text("model");
    auto timestamp = observation.timestamp("startTime");
    Json facts = metadata_of(observation);
    if (observation.has_errors()) return;
    Json record = usage_record(*timestamp, *provider, *model, *counts);
    put_text(record, "request_id", observation.text("id"));
    put_text(record, "project_id", observation.text("projectId"));
    put_text(record, "user_id", observation.text("userId"));
    record["metadata"] = std::move(facts);
    out.records.push_back(std::move(record));
}

}  // namespace

void expand_langfuse(const Json& source, ImportedRecords& out) {
    auto expand_one = [&](const Json& observation, const SourcePath& at) {
        expand_observation(observation, at, out);
    };
    if (!expand_page(source, "data", {"meta"}, NullMembers::skipped, ElementNames::as_records,
                     expand_one, out)) {
        expand_observation(source, {}, out);
    }
}

}  // namespace costops::cli
