#include "ingest_run.hpp"

#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "../cli_error.hpp"
#include "../db/copy_writer.hpp"
#include "../db/database_errors.hpp"
#include "../readers/gzip_input.hpp"

namespace costops::cli {

namespace {

constexpr size_t kRejectsShown = 20;

using Clock = std::chrono::steady_clock;

// The input stream: the named file, or standard input for "-"; gzip is decompressed as it
// streams (progress and ETA then follow the compressed bytes read).
class Input {
  public:
    explicit Input(const std::string& file) {
        if (file == "-") {
            raw_ = &std::cin;
            unwrap_gzip(file);
            return;
        }
        std::error_code error;
        if (std::filesystem::is_directory(file, error)) {
            throw CliError("cannot read " + file + ": it is a directory");
        }
        file_.rdbuf()->pubsetbuf(buffer_, sizeof buffer_);
        file_.open(file, std::ios::binary);
        if (!file_) throw CliError("cannot open " + file + ": " + std::strerror(errno));
        file_.seekg(0, std::ios::end);
        size_ = static_cast<int64_t>(file_.tellg());
        file_.seekg(0, std::ios::beg);
        raw_ = &file_;
        unwrap_gzip(file);
    }

    std::istream& stream() { return *stream_; }
    int64_t size() const { return size_; }  // -1 when unknown
    int64_t position() { return raw_ == &file_ ? static_cast<int64_t>(file_.tellg()) : -1; }

  private:
    // Reads through a GzipStreambuf when the input starts with gzip's magic bytes.
    void unwrap_gzip(const std::string& file) {
        stream_ = raw_;
        if (!starts_gzip(*raw_)) return;
        gzip_ = std::make_unique<GzipStreambuf>(*raw_, file);
        decompressed_ = std::make_unique<std::istream>(gzip_.get());
        // A corrupt file's error must stop the ingest, not read as the end of the input.
        decompressed_->exceptions(std::ios::badbit);
        stream_ = decompressed_.get();
    }

    char buffer_[1 << 16];
    std::ifstream file_;
    std::istream* raw_ = nullptr;
    std::unique_ptr<GzipStreambuf> gzip_;
    std::unique_ptr<std::istream> decompressed_;
    std::istream* stream_ = nullptr;
    int64_t size_ = -1;
};

// A one-line progress display on a terminal, refreshed a few times a second.
class Progress {
  public:
    Progress(bool enabled, Input& input) : enabled_(enabled), input_(input) {}
    void tick(size_t records) {
        if (!enabled_ || (records & 1023) != 0) return;
        auto now = Clock::now();
        if (now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        double secs = std::chrono::duration<double>(now - start_).count();
        int64_t pos = input_.position();
        std::fprintf(stderr, "\r  %zu records  %.0f records/s", records, records / secs);
        if (pos >= 0 && input_.size() > 0) {
            double done = static_cast<double>(pos) / static_cast<double>(input_.size());
            std::fprintf(stderr, "  %.1f/%.1f MB  ETA %.0fs   ", pos / 1e6, input_.size() / 1e6,
                         done > 0 ? secs / done - secs : 0.0);
        }
        shown_ = true;
    }
    void finish() {
        if (shown_) std::fprintf(stderr, "\r%*s\r", 78, "");
    }

  private:
    bool enabled_;
    Input& input_;
    Clock::time_point start_ = Clock::now(), last_ = Clock::now();
    bool shown_ = false;
};

// Reads the trigger's priced / unpriced counters of this session.
std::pair<int64_t, int64_t> pricing_counters(pqxx::dbtransaction& tx) {
    auto r = tx.exec("SELECT rows_priced, rows_unpriced FROM cost_ops.pricing_cache_status()");
    return {r[0][0].as<int64_t>(), r[0][1].as<int64_t>()};
}

// Everything one run accumulates while records stream through.
class IngestState {
  public:
    IngestState(const IngestOptions& options, pqxx::connection* conn)
        : options_(options),
          input_(options.file),
          progress_(!options.quiet && isatty(STDERR_FILENO), input_) {
        if (!options.validate_only) {
            tx_ = std::make_unique<pqxx::work>(*conn);
            writer_ =
                std::make_unique<CopyWriter>(*tx_, "cost_ops.usage_records", usage_copy_columns());
        }
    }

    IngestResult run() {
        auto started = Clock::now();
        size_t skipped_lines = 0;
        InputFormat format =
            options_.format ? *options_.format
                            : detect_input_format(options_.file, input_.stream(), &skipped_lines);
        std::pair<int64_t, int64_t> before{0, 0};
        if (tx_) before = pricing_counters(*tx_);
        read_records(
            input_.stream(), format, options_.file,
            [this](SourceRecord&& record) { on_record(record); }, skipped_lines + 1);
        progress_.finish();
        if (input_.stream().bad()) throw CliError("reading " + options_.file + " failed");
        finish_warnings();
        if (tx_ && writable()) {
            flush();
            auto after = pricing_counters(*tx_);
            result_.priced = after.first - before.first;
            result_.unpriced = after.second - before.second;
            tx_->commit();
            result_.committed = true;
            result_.records_written = result_.records_valid;
        }
        result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return std::move(result_);
    }

  private:
    // Whether good records are still being sent (abort mode stops at the first bad record).
    bool writable() const { return options_.on_error == OnError::Skip || result_.rejected == 0; }

    void on_record(SourceRecord& record) {
        ++result_.records_read;
        progress_.tick(result_.records_read);
        note_unknown_fields(record);
        UsageRecord usage;
        std::vector<FieldError> errors = map_usage_record(record, options_.mapping, usage);
        if (!errors.empty()) {
            ++result_.rejected;
            if (result_.first_rejects.size() < kRejectsShown) {
                result_.first_rejects.push_back({record.place, std::move(errors)});
            }
            return;
        }
        ++result_.records_valid;
        if (!writer_ || !writable()) return;
        writer_->add(usage_copy_row(usage));
        batch_places_.push_back(record.place);
        if (writer_->pending() >= options_.batch_size) flush();
    }

    // Sends the pending batch; a server error names the record it came from.
    void flush() {
        try {
            writer_->flush();
        } catch (const CopyFailed& e) {
            std::string where = options_.file;
            if (e.line > 0 && e.line <= batch_places_.size()) {
                const SourcePlace& p = batch_places_[e.line - 1];
                where = p.file + ":" + std::to_string(p.line) + " (record " +
                        std::to_string(p.record) + ")";
            }
            throw CliError(where + ": the database refused the record: " + e.what() +
                           "; nothing was written");
        }
        batch_places_.clear();
    }

    void note_unknown_fields(const SourceRecord& record) {
        if (!record.fields.is_object()) return;
        for (auto it = record.fields.begin(); it != record.fields.end(); ++it) {
            if (is_known_usage_field(it.key())) continue;
            auto [entry, inserted] = unknown_.try_emplace(it.key(), record.place, 0);
            ++entry->second.second;
        }
    }

    void finish_warnings() {
        for (const auto& [name, seen] : unknown_) {
            bool computed = name == "input_cost" || name == "output_cost" || name == "total_cost" ||
                            name == "pricing_id" || name == "price_match" ||
                            name == "unpriced_reason";
            result_.warnings.push_back(
                (computed ? "ignored '" + name + "': the database computes costs ("
                          : "ignored unknown field '" + name + "' (") +
                std::to_string(seen.second) + " records, first at " + seen.first.file + ":" +
                std::to_string(seen.first.line) + ")");
        }
        if (result_.records_read == 0) {
            result_.warnings.push_back("no records found in " + options_.file);
        }
    }

    const IngestOptions& options_;
    Input input_;
    Progress progress_;
    std::unique_ptr<pqxx::work> tx_;
    std::unique_ptr<CopyWriter> writer_;
    std::vector<SourcePlace> batch_places_;
    std::map<std::string, std::pair<SourcePlace, size_t>> unknown_;
    IngestResult result_;
};

}  // namespace

IngestResult run_ingest(const IngestOptions& options, pqxx::connection* conn) {
    IngestState state(options, conn);
    return state.run();
}

std::string describe_reject(const RejectedRecord& reject) {
    std::string out = reject.place.file + ":" + std::to_string(reject.place.line) + " (record " +
                      std::to_string(reject.place.record) + ")";
    for (size_t i = 0; i < reject.errors.size(); ++i) {
        out += (i ? "; " : ": ") + reject.errors[i].message;
    }
    return out;
}

}  // namespace costops::cli
