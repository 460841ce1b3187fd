// STUB: replaced by the importer's implementation.
#include "usage_importer.hpp"

namespace costops::cli {

void expand_openai_usage(const Json&, ImportedRecords& out) {
    out.errors.push_back({"", "the openai_usage importer is not built yet"});
}

}  // namespace costops::cli
