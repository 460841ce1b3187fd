// Reads the pricing_structure jsonb of a price row into a PriceRule.
//
// Keys the formula uses (every price is a decimal string or number, USD per 1M tokens; a set of
// rates may name input, output, cached_input, cache_write, cache_write_1h and reasoning):
//   "request_fee": "0.005"                                    USD per request
//   "tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5",
//              "cached_input": "0.6", "cache_write": "7.5"}]   whole-request context tiers
//   "time_of_day": [{"from": "00:30", "to": "16:30", "input": "0.27", ..., "tiers": [...]}]
//   "service_tiers": {"batch": {"input": "1.25", "output": "5", "tiers": [...]},
//                     "priority": {...}, "flex": {...}}      rates of those service tiers
// Any other top-level key is kept for reference and ignored by the formula; inside a set of
// rates (a tier, a window, a service tier) any other member is an error.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <string_view>

#include "exact_json.hpp"
#include "price_rule.hpp"

namespace costops {

namespace {

// Throws the error every malformed part of a structure reports, naming its JSON path.
[[noreturn]] void bad(const std::string& path, const std::string& why) {
    throw std::invalid_argument("pricing_structure" + path + ": " + why);
}

// A price member of `obj`, if present.
std::optional<Decimal> price_member(const Json& obj, const char* name, const std::string& path) {
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    std::string text = json_scalar_text(*it);
    if (text.empty()) bad(path + "." + name, "must be a decimal string or number");
    try {
        return parse_price(text);
    } catch (const DecimalError& e) {
        bad(path + "." + name, "\"" + text + "\" " + e.what());
    }
}

// The rates an object may carry; any member but those and `also` is an error (a misspelt rate
// would otherwise leave the standard rate in place without a word).
Rates rates_member(const Json& obj, const std::string& path,
                   std::initializer_list<std::string_view> also) {
    static const std::string_view kRates[] = {"input",       "output",         "cached_input",
                                              "cache_write", "cache_write_1h", "reasoning"};
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        auto known = [&](std::string_view name) { return name == it.key(); };
        if (std::none_of(std::begin(kRates), std::end(kRates), known) &&
            std::none_of(also.begin(), also.end(), known)) {
            bad(path + "." + it.key(),
                "is not a rate: use input, output, cached_input, cache_write, cache_write_1h or "
                "reasoning");
        }
    }
    Rates r;
    r.input = price_member(obj, "input", path);
    r.output = price_member(obj, "output", path);
    r.cached_input = price_member(obj, "cached_input", path);
    r.cache_write = price_member(obj, "cache_write", path);
    r.cache_write_1h = price_member(obj, "cache_write_1h", path);
    r.reasoning = price_member(obj, "reasoning", path);
    return r;
}

// "tiers": ascending, positive, distinct thresholds.
std::vector<ContextTier> tiers_member(const Json& obj, const std::string& path) {
    std::vector<ContextTier> tiers;
    auto it = obj.find("tiers");
    if (it == obj.end()) return tiers;
    if (!it->is_array()) bad(path + ".tiers", "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
        const Json& t = (*it)[i];
        std::string tpath = path + ".tiers[" + std::to_string(i) + "]";
        if (!t.is_object()) bad(tpath, "must be an object");
        auto threshold = t.find("above_prompt_tokens");
        if (threshold == t.end() || !threshold->is_number_integer() ||
            threshold->get<int64_t>() < 0) {
            bad(tpath + ".above_prompt_tokens", "must be a non-negative integer");
        }
        ContextTier tier{threshold->get<int64_t>(),
                         rates_member(t, tpath, {"above_prompt_tokens"})};
        if (!tiers.empty() && tier.above_prompt_tokens <= tiers.back().above_prompt_tokens) {
            bad(tpath, "thresholds must be in ascending order");
        }
        tiers.push_back(tier);
    }
    return tiers;
}

// "HH:MM" or "HH:MM:SS", optionally ending in "Z", as microseconds after midnight UTC.
int64_t time_of_day_member(const Json& obj, const char* name, const std::string& path) {
    auto it = obj.find(name);
    std::string text = it == obj.end() || !it->is_string() ? "" : it->get<std::string>();
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    // Exactly two digits per field: sscanf alone also takes " 7:05", "+7:05" and "12:3a".
    bool shaped = text.size() == 5 || text.size() == 8;
    for (size_t i = 0; shaped && i < text.size(); ++i) {
        shaped = i % 3 == 2 ? text[i] == ':' : std::isdigit(static_cast<unsigned char>(text[i]));
    }
    int h = -1, m = -1, s = 0;
    char tail = 0;
    int n = std::sscanf(text.c_str(), "%2d:%2d:%2d%c", &h, &m, &s, &tail);
    bool ok = shaped && (n == 2 || n == 3) && text.size() == (n == 2 ? 5u : 8u) && h >= 0 &&
              h <= 24 && m >= 0 && m < 60 && s >= 0 && s < 60 && (h < 24 || (m == 0 && s == 0));
    if (!ok) bad(path + "." + name, "must be a UTC time \"HH:MM\" or \"HH:MM:SS\"");
    return ((h * 60 + m) * 60 + s) * int64_t{1000000};
}

}  // namespace

PriceRule make_price_rule(int64_t price_id, const Rates& columns,
                          std::string_view pricing_structure_json) {
    PriceRule rule;
    rule.price_id = price_id;
    rule.base.rates = columns;
    Json doc;
    try {
        doc = parse_json_exact(pricing_structure_json.empty() ? "{}" : pricing_structure_json);
    } catch (const JsonSyntaxError& e) {
        bad("", std::string("is not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) bad("", "must be a JSON object");
    rule.base.tiers = tiers_member(doc, "");
    if (auto fee = price_member(doc, "request_fee", "")) rule.request_fee = *fee;
    auto windows = doc.find("time_of_day");
    if (windows != doc.end()) {
        if (!windows->is_array()) bad(".time_of_day", "must be an array");
        for (size_t i = 0; i < windows->size(); ++i) {
            const Json& w = (*windows)[i];
            std::string wpath = ".time_of_day[" + std::to_string(i) + "]";
            if (!w.is_object()) bad(wpath, "must be an object");
            TimeOfDayPrice window;
            window.from_usec = time_of_day_member(w, "from", wpath);
            window.to_usec = time_of_day_member(w, "to", wpath);
            if (window.from_usec == window.to_usec) bad(wpath, "\"from\" and \"to\" are equal");
            window.variant.rates = rates_member(w, wpath, {"from", "to", "tiers"});
            window.variant.tiers = tiers_member(w, wpath);
            rule.time_of_day.push_back(std::move(window));
        }
    }
    auto tiers = doc.find("service_tiers");
    if (tiers != doc.end()) {
        if (!tiers->is_object()) bad(".service_tiers", "must be an object");
        for (auto it = tiers->begin(); it != tiers->end(); ++it) {
            std::string tpath = ".service_tiers." + it.key();
            std::optional<ServiceTier> tier = parse_service_tier(it.key());
            if (!tier || *tier == ServiceTier::Standard || it.key() != service_tier_name(*tier)) {
                bad(tpath, "is not a service tier: use batch, priority or flex");
            }
            if (!it->is_object()) bad(tpath, "must be an object");
            PriceVariant variant{rates_member(*it, tpath, {"tiers"}), tiers_member(*it, tpath)};
            rule.service_tiers[static_cast<size_t>(*tier)] = std::move(variant);
        }
    }
    return rule;
}

}  // namespace costops
