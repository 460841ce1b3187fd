// Provider usage objects (OpenAI's "usage", Anthropic's "usage", Gemini's "usageMetadata")
// turned into the normalized token counts of the domain page, exactly, or a per-record error.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "exact_json.hpp"
#include "usage.hpp"

namespace costops {

// The conventions a provider's usage object follows.
//  OpenAI:    Chat Completions (prompt_tokens, completion_tokens, *_details) or Responses API
//             (input_tokens, output_tokens, *_details); wholes include their details.
//  Anthropic: Messages API (input_tokens excludes cache reads and writes) or Bedrock Converse
//             (inputTokens excludes cacheReadInputTokens and cacheWriteInputTokens).
//  Gemini:    usageMetadata (promptTokenCount includes cachedContentTokenCount but not
//             toolUsePromptTokenCount; candidatesTokenCount excludes thoughtsTokenCount).
enum class UsageFormat { OpenAI, Anthropic, Gemini };

// The format of the usage objects a provider id reports, compared in ASCII lower case and
// exactly (never by substring); nullopt when the id is not one of these:
//  OpenAI:    openai, text-completion-openai, azure, azure_openai, azure-openai,
//             azure.ai.openai, az.ai.openai (OpenTelemetry), openrouter (its usage is
//             OpenAI-shaped, prompt_tokens including cached and cache_write tokens).
//  Anthropic: anthropic; bedrock, bedrock_converse, aws, aws_bedrock, aws-bedrock,
//             amazon-bedrock, aws.bedrock (Bedrock returns the Messages shape from InvokeModel
//             and the Converse shape, same convention); vertex-anthropic, vertex_ai-anthropic,
//             vertex_ai-anthropic_models (Claude on Vertex AI returns the Messages shape).
//  Gemini:    google, gemini, vertex, vertex_ai, google-vertex, vertex_ai-language-models,
//             gcp.gemini, gcp.vertex_ai, gcp.gen_ai.
// Deliberately absent: x-ai/xai (its completion_tokens EXCLUDE reasoning_tokens, unlike
// OpenAI's) and the other OpenAI-compatible hosts (deepseek, groq, mistral, perplexity, ...),
// whose detail fields are not all OpenAI's; their callers name a format explicitly.
std::optional<UsageFormat> usage_format_for_provider(std::string_view provider);

// "openai", "anthropic", "gemini" (also "google"), in any ASCII case; nullopt otherwise.
std::optional<UsageFormat> parse_usage_format(std::string_view name);

// "openai", "anthropic" or "gemini".
const char* usage_format_name(UsageFormat format);

// The member of a provider response that holds the usage object: "usage" or "usageMetadata".
const char* usage_member_name(UsageFormat format);

// A usage object that cannot be normalized: `field` is the JSON path of the member at fault
// ("usage.prompt_tokens_details.cached_tokens"); what() is a whole sentence naming it.
class UsageShapeError : public std::runtime_error {
  public:
    UsageShapeError(std::string field, const std::string& what)
        : std::runtime_error(what), field_(std::move(field)) {}
    const std::string& field() const { return field_; }

  private:
    std::string field_;
};

// Normalizes a usage object (the value of a response's usage_member_name(format)): counts must
// be non-negative whole numbers (JSON integers or exactly integral literals such as 1e3);
// missing wholes, parts beyond their wholes, totals that disagree and members of another
// format's layout throw UsageShapeError.
// `member` names the object in error paths (default: usage_member_name(format)).
UsageCounts normalize_usage(UsageFormat format, const Json& usage, std::string_view member = {});

}  // namespace costops
