// STUB: replaced by the importer's implementation.
#include "usage_importer.hpp"

namespace costops::cli {

void expand_helicone(const Json&, ImportedRecords& out) {
    out.errors.push_back({"", "the helicone importer is not built yet"});
}

}  // namespace costops::cli
