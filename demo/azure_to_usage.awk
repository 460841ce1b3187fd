# Turns an Azure LLM inference trace (TIMESTAMP,ContextTokens,GeneratedTokens; Azure/
# AzurePublicDataset, CC-BY 4.0, in ../shared/data/usage/azure-llm-trace-2023) into the
# usage CSV of the migration guide. The trace has no provider, model or tenant: they are
# assigned from the row number r (1-based, per file), so every run gives the same records:
#
#   service=conv (chat):  r%10 in 0-3 openai/gpt-4o, 4-5 openai/gpt-4o-mini,
#                         6-7 anthropic/claude-3-5-sonnet, 8 google/gemini-1.5-pro,
#                         9 anthropic/claude-3-5-haiku-latest; every 97th row a fine-tuned
#                         model with no public price (openai/ft:gpt-4o-mini:acme:support:7xq2);
#                         organization acme/globex/initech by r%3, project support-chat
#   service=code:         r%3 0 openai/gpt-4.1, 1 anthropic/claude-3-7-sonnet-latest,
#                         2 google/gemini-2.5-pro; organization acme/globex by r%2,
#                         project code-assist
#   both:                 user user-(r%25+1), request_id <service>-r, TIMESTAMP as UTC,
#                         prompt_tokens = ContextTokens, completion_tokens = GeneratedTokens
#
# Usage: awk -F, -v service=conv -v header=1 -f azure_to_usage.awk AzureLLMInferenceTrace_conv.csv
BEGIN {
    OFS = ","
    if (header) print "timestamp,provider,model,organization_id,project_id,user_id,request_id,prompt_tokens,completion_tokens,total_tokens"
}
FNR == 1 { next }
{
    r = FNR - 1
    if (service == "conv") {
        m = r % 10
        if (m <= 3) { provider = "openai"; model = "gpt-4o" }
        else if (m <= 5) { provider = "openai"; model = "gpt-4o-mini" }
        else if (m <= 7) { provider = "anthropic"; model = "claude-3-5-sonnet" }
        else if (m == 8) { provider = "google"; model = "gemini-1.5-pro" }
        else { provider = "anthropic"; model = "claude-3-5-haiku-latest" }
        if (r % 97 == 0) { provider = "openai"; model = "ft:gpt-4o-mini:acme:support:7xq2" }
        split("acme globex initech", orgs, " ")
        org = orgs[r % 3 + 1]
        project = "support-chat"
    } else {
        m = r % 3
        if (m == 0) { provider = "openai"; model = "gpt-4.1" }
        else if (m == 1) { provider = "anthropic"; model = "claude-3-7-sonnet-latest" }
        else { provider = "google"; model = "gemini-2.5-pro" }
        org = (r % 2 == 0) ? "acme" : "globex"
        project = "code-assist"
    }
    sub(/\r$/, "", $3)
    print $1, provider, model, org, project, "user-" (r % 25 + 1), service "-" r, $2, $3, $2 + $3
}
