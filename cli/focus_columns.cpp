#include "focus_columns.hpp"

#include <utility>

namespace costops::cli {

namespace {

// Each column with the SQL (on usage record u) that fills it. Costs are the exact cost text;
// an unpriced record has none (x_UnpricedReason says why). A request is charged in the hour
// it happened: ChargePeriod is that hour; a usage-API bucket's is its own period (timestamp to
// period_end, else the hour it starts); BillingPeriod is the month it starts (UTC).
const std::vector<std::pair<Column, std::string>>& focus_definitions() {
    static const std::vector<std::pair<Column, std::string>> columns = {
        {{"BilledCost", ColumnKind::Cost}, "u.total_cost"},
        {{"EffectiveCost", ColumnKind::Cost}, "u.total_cost"},
        {{"ListCost", ColumnKind::Cost}, "u.total_cost"},
        {{"ContractedCost", ColumnKind::Cost}, "u.total_cost"},
        {{"BillingCurrency"}, "'USD'"},
        {{"ChargePeriodStart", ColumnKind::Timestamp},
         "CASE WHEN u.period_end IS NULL THEN pg_catalog.date_trunc('hour', u.\"timestamp\") "
         "ELSE u.\"timestamp\" END"},
        {{"ChargePeriodEnd", ColumnKind::Timestamp},
         "coalesce(u.period_end, pg_catalog.date_trunc('hour', u.\"timestamp\") + "
         "interval '1 hour')"},
        {{"BillingPeriodStart", ColumnKind::Timestamp},
         "pg_catalog.date_trunc('month', u.\"timestamp\")"},
        {{"BillingPeriodEnd", ColumnKind::Timestamp},
         "pg_catalog.date_trunc('month', u.\"timestamp\") + interval '1 month'"},
        {{"ChargeCategory"}, "'Usage'"},
        {{"ChargeFrequency"}, "'Usage-Based'"},
        {{"ChargeDescription"},
         "u.prompt_tokens || ' input and ' || u.completion_tokens || ' output tokens of ' || "
         "u.model"},
        {{"ConsumedQuantity", ColumnKind::Integer}, "u.total_tokens"},
        {{"ConsumedUnit"}, "'Tokens'"},
        {{"ProviderName"}, "u.provider"},
        {{"PublisherName"}, "u.provider"},
        {{"InvoiceIssuerName"}, "u.provider"},
        {{"ServiceName"}, "u.model"},
        {{"ServiceCategory"}, "'AI and Machine Learning'"},
        {{"ResourceId"}, "coalesce(u.request_id, u.record_key::text, u.id::text)"},
        {{"ResourceType"},
         "CASE WHEN u.request_count IS NOT DISTINCT FROM 1 THEN 'LLM request' "
         "ELSE 'LLM usage bucket' END"},
        {{"BillingAccountId"}, "u.organization_id"},
        {{"SubAccountId"}, "u.project_id"},
        {{"SkuId"}, "u.provider || '/' || u.model"},
        {{"SkuPriceId"}, "u.pricing_id::text"},
        {{"Tags", ColumnKind::Json},
         "pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('user_id', u.user_id, "
         "'service_tier', u.service_tier) || coalesce(u.metadata, '{}'))"},
        {{"x_PromptTokens", ColumnKind::Integer}, "u.prompt_tokens"},
        {{"x_CompletionTokens", ColumnKind::Integer}, "u.completion_tokens"},
        {{"x_CachedTokens", ColumnKind::Integer}, "u.cached_tokens"},
        {{"x_CacheWriteTokens", ColumnKind::Integer}, "u.cache_write_tokens"},
        {{"x_CacheWrite1hTokens", ColumnKind::Integer}, "u.cache_write_1h_tokens"},
        {{"x_ReasoningTokens", ColumnKind::Integer}, "u.reasoning_tokens"},
        {{"x_InputCost", ColumnKind::Cost}, "u.input_cost"},
        {{"x_OutputCost", ColumnKind::Cost}, "u.output_cost"},
        {{"x_PriceMatch"}, "u.price_match"},
        {{"x_UnpricedReason"}, "u.unpriced_reason"},
        {{"x_UsageRecordId", ColumnKind::Integer}, "u.id"},
        {{"x_RequestCount", ColumnKind::Integer}, "u.request_count"},
    };
    return columns;
}

}  // namespace

const std::vector<Column>& focus_columns() {
    static const std::vector<Column> columns = [] {
        std::vector<Column> out;
        for (const auto& [column, sql] : focus_definitions()) out.push_back(column);
        return out;
    }();
    return columns;
}

std::string focus_select() {
    std::string sql = "SELECT ";
    bool first = true;
    for (const auto& [column, expression] : focus_definitions()) {
        sql += (first ? "" : ", ") + expression + " AS \"" + column.name + "\"";
        first = false;
    }
    return sql + " FROM cost_ops.usage_records AS u";
}

}  // namespace costops::cli
