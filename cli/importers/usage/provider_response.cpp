// STUB: replaced by the importer's implementation.
#include "usage_importer.hpp"

namespace costops::cli {

void expand_provider_response(const Json&, ImportedRecords& out) {
    out.errors.push_back({"", "the provider_response importer is not built yet"});
}

}  // namespace costops::cli
