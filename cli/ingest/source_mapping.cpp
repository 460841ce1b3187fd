#include "source_mapping.hpp"

namespace costops::cli {

void map_source_record(const SourceRecord& record, const UsageImporter* importer,
                       const MappingOptions& mapping, std::vector<UsageRecord>& usages,
                       std::vector<FieldError>& errors, std::vector<std::string>& unknown) {
    if (!importer) {
        usages.resize(1);
        errors = map_usage_record(record, mapping, usages[0]);
        return;
    }
    ImportedRecords imported;
    importer->expand(record.fields, imported);
    unknown = std::move(imported.unknown);
    errors = std::move(imported.errors);
    usages.resize(imported.records.size());
    for (size_t i = 0; i < imported.records.size() && errors.empty(); ++i) {
        SourceRecord one{std::move(imported.records[i]), record.place, {}, {}};
        std::vector<FieldError> found = map_usage_record(one, mapping, usages[i]);
        errors.insert(errors.end(), found.begin(), found.end());
    }
}

}  // namespace costops::cli
