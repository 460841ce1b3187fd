// The source records of a batch that is not stored yet, kept packed in one buffer: where each
// came from and, when rejects are kept, its fields, for a record the batch may yet reject (a
// conflict, a record the database refuses) to be kept as the source had it.
#pragma once

#include <string>
#include <vector>

#include "../readers/record_reader.hpp"

namespace costops::cli {

class BatchSources {
  public:
    // `keep_fields`: whether raw_text is wanted (rejects are kept), else only places are.
    explicit BatchSources(bool keep_fields) : keep_fields_(keep_fields) {}

    // Keeps `record`; returns its index.
    size_t add(const SourceRecord& record);
    SourcePlace place(size_t index) const;
    // The record's fields as a reject keeps them (JSON text); empty when fields are not kept.
    std::string raw_text(size_t index) const;
    void clear();

  private:
    bool keep_fields_;
    std::string packed_;
    std::vector<size_t> starts_;  // where each record begins in packed_
};

}  // namespace costops::cli
