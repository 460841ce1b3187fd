#include "usage_importer.hpp"

namespace costops::cli {

const std::vector<UsageImporter>& usage_importers() {
    static const std::vector<UsageImporter> importers = {
        {"helicone", "Helicone request export (JSON, NDJSON or CSV)", expand_helicone},
        {"langsmith", "LangSmith runs (LLM runs of list_runs / the runs API)", expand_langsmith},
        {"langfuse", "Langfuse observations / generations export", expand_langfuse},
        {"litellm", "LiteLLM spend logs (LiteLLM_SpendLogs rows as JSON or CSV)", expand_litellm},
        {"openai-usage", "OpenAI organization usage API buckets (completions)",
         expand_openai_usage},
        {"anthropic-usage", "Anthropic Admin API usage report (messages)", expand_anthropic_usage},
        {"otel", "OpenTelemetry GenAI spans (OTLP JSON)", expand_otel},
        {"provider-response", "raw provider responses carrying a usage object",
         expand_provider_response},
    };
    return importers;
}

const UsageImporter* find_usage_importer(const std::string& name) {
    for (const auto& importer : usage_importers()) {
        if (name == importer.name) return &importer;
    }
    return nullptr;
}

}  // namespace costops::cli
