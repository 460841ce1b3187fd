#include "batch_sources.hpp"

#include <string_view>

#include "packed_json.hpp"

namespace costops::cli {

size_t BatchSources::add(const SourceRecord& record) {
    starts_.push_back(packed_.size());
    pack_text(packed_, record.place.file);
    pack_number(packed_, record.place.line);
    pack_number(packed_, record.place.record);
    if (keep_fields_) pack_json(packed_, record.fields);
    return starts_.size() - 1;
}

SourcePlace BatchSources::place(size_t index) const {
    std::string_view in = std::string_view(packed_).substr(starts_[index]);
    SourcePlace p;
    p.file = std::string(unpack_text(in));
    p.line = unpack_number(in);
    p.record = unpack_number(in);
    return p;
}

std::string BatchSources::raw_text(size_t index) const {
    if (!keep_fields_) return "";
    std::string_view in = std::string_view(packed_).substr(starts_[index]);
    unpack_text(in);
    unpack_number(in);
    unpack_number(in);
    return dump_exact(unpack_json(in));
}

void BatchSources::clear() {
    packed_.clear();
    starts_.clear();
}

}  // namespace costops::cli
