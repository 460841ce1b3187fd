// The identity of a usage record whose source gave no request_id: a digest of its content, so
// the same record ingested again (from the same file or another) is recognized.
#pragma once

#include <string>

#include "usage_record.hpp"

namespace costops::cli {

// A UUID-formatted digest of every stored field of `record` (its timestamp in UTC); two
// records get the same key exactly when they would be stored identically.
std::string content_key(const UsageRecord& record);

}  // namespace costops::cli
