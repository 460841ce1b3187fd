// STUB: replaced by the importer's implementation.
#include "usage_importer.hpp"

namespace costops::cli {

void expand_langfuse(const Json&, ImportedRecords& out) {
    out.errors.push_back({"", "the langfuse importer is not built yet"});
}

}  // namespace costops::cli
