#include "ingest_run.hpp"

#include <chrono>
#include <map>
#include <memory>

#include "../cli_error.hpp"
#include "../db/database_errors.hpp"
#include "../text_count.hpp"
#include "../text_encoding.hpp"
#include "batch_sources.hpp"
#include "batch_store.hpp"
#include "ingest_log.hpp"
#include "interruption.hpp"
#include "record_identity.hpp"
#include "run_ledger.hpp"
#include "source_mapping.hpp"
#include "source_input.hpp"

namespace costops::cli {

namespace {

constexpr size_t kRejectsShown = 20;

using Clock = std::chrono::steady_clock;

// "file:line (record n)", how messages name a record.
std::string place_text(const SourcePlace& p) {
    return p.file + ":" + std::to_string(p.line) + " (record " + std::to_string(p.record) + ")";
}

// Every problem of a record as one reason: "field: why; field: why".
std::string joined_reasons(const std::vector<FieldError>& errors) {
    std::string out;
    for (const FieldError& e : errors) out += (out.empty() ? "" : "; ") + e.message;
    return out;
}

// A source record's fields, as a reject keeps them (a JSON object; CSV values as strings).
std::string raw_text(const SourceRecord& record) {
    if (!record.raw.empty()) return record.raw;
    // A CSV value that is not UTF-8 keeps its bytes as \xNN (JSON would replace them).
    Json fields = record.fields;
    for (auto& value : fields) {
        if (value.is_string() && !is_valid_utf8(value.get_ref<const std::string&>())) {
            value = escape_invalid_utf8(value.get_ref<const std::string&>());
        }
    }
    return dump_exact(fields);
}

// Whether an unknown field name is one of the costs the database computes (export output).
bool is_computed_field(const std::string& name) {
    return name == "input_cost" || name == "output_cost" || name == "total_cost" ||
           name == "pricing_id" || name == "price_match" || name == "unpriced_reason";
}

// Maps, batches and stores the records of one run.
class Pipeline {
  public:
    // `input` (null for records that are not read from a file) says where a batch ends.
    Pipeline(const IngestOptions& options, pqxx::connection* conn, RunLedger* ledger,
             IngestLog& log, const OutcomeHook* hook, const SourceInput* input)
        : options_(options),
          conn_(conn),
          ledger_(ledger),
          log_(log),
          hook_(hook),
          input_(input),
          store_(ledger ? Cell(std::to_string(ledger->id())) : Cell()),
          sources_(keeps_rejects()) {
        if (ledger_) {
            counts_ = ledger_->resumed();
            skip_ = counts_.committed;
            result_.run_id = ledger_->id();
            result_.resumed_after = skip_;
        }
        if (conn_) tx_ = std::make_unique<pqxx::work>(*conn_);
    }

    // Handles one source record: skipped when a resumed run committed it already.
    void on_record(SourceRecord&& record, int64_t bytes_read, std::optional<int64_t> size) {
        ++seen_;
        if (seen_ <= skip_) return;
        ++counts_.read;
        log_.progress(counts_.read, bytes_read, size);
        if (!record.error.empty()) {
            reject(
                {record.place, RejectKind::Unreadable, "", record.error, raw_text(record), {}, {}});
            return;
        }
        std::vector<FieldError> errors;
        const std::vector<UsageRecord>& usages = map_record(record, errors);
        if (!errors.empty()) {
            reject({record.place,
                    RejectKind::Invalid,
                    errors.front().field,
                    joined_reasons(errors),
                    raw_text(record),
                    {},
                    {}});
            return;
        }
        if (!tx_ || !writable()) return;
        size_t source = sources_.add(record);
        for (const UsageRecord& usage : usages) {
            store_.add(*tx_, usage_copy_row(usage),
                       usage.request_id ? Cell() : Cell(content_key(usage)));
            batch_.push_back(source);
        }
        if (store_.pending() >= options_.batch_size) flush();
    }

    // Stores what is pending and closes the run: committed unless abort mode found a bad record.
    IngestResult finish(const std::string& sha256) {
        finish_warnings();
        // The last batch may hold a conflict, which makes an abort-mode run write nothing.
        if (tx_ && writable()) flush();
        if (tx_ && writable()) {
            if (ledger_) ledger_->complete(*tx_, counts_, sha256);
            tx_->commit();
            result_.committed = true;
            log_.note("run " + std::to_string(result_.run_id) + ": completed, " +
                      std::to_string(counts_.inserted) + " inserted, " +
                      std::to_string(counts_.skipped) + " skipped, " +
                      std::to_string(counts_.rejected) + " rejected");
        } else if (tx_) {
            tx_->abort();
            tx_.reset();
            if (ledger_) {
                ledger_->fail(*conn_, counts_,
                              std::to_string(counts_.rejected) +
                                  " invalid records; nothing was written (--on-error abort)");
            }
        }
        result_.records_read = counts_.read;
        result_.rejected = counts_.rejected;
        return std::move(result_);
    }

    // Ends the run where a signal stopped it (the pending batch rolled back): left to resume
    // when it can, else failed; returns what to tell the user.
    std::string interrupted(const Interrupted& stop, bool resumable) {
        tx_.reset();
        std::string what = std::string("interrupted by ") + stop.signal_name();
        log_.note("run " + std::to_string(result_.run_id) + ": " + what);
        if (!ledger_ || !conn_) return what;
        if (!resumable) {
            ledger_->fail(*conn_, counts_, what);
            return what +
                   ": nothing was written (this run is one transaction); run the same "
                   "command again to start over";
        }
        return what + " after " + counted(counts_.committed, "record") + " (run " +
               std::to_string(result_.run_id) +
               "; every batch before it is stored whole); run the same command again to resume";
    }

    // Records that the run failed with `error` (the pending work is rolled back).
    void fail(const std::string& error) {
        log_.note("run " + std::to_string(result_.run_id) + ": failed: " + error);
        if (!ledger_ || !conn_) return;
        tx_.reset();
        ledger_->fail(*conn_, counts_, error);
    }

  private:
    // The usage records a source record stands for (several for some importers' documents),
    // valid until the next record; every problem found goes to `errors`.
    const std::vector<UsageRecord>& map_record(const SourceRecord& record,
                                               std::vector<FieldError>& errors) {
        if (!options_.importer) note_unknown_fields(record);
        std::vector<std::string> unknown;
        map_source_record(record, options_.importer, options_.mapping, usages_, errors, unknown);
        for (const std::string& name : unknown) note_unknown(name, record.place);
        if (options_.importer && errors.empty() && usages_.empty()) ++result_.not_usage;
        return usages_;
    }

    // Whether bad records are kept (reject mode, or by the hook), not only counted.
    bool keeps_rejects() const { return hook_ || options_.on_error == OnError::Reject; }

    // Whether good records are still being sent (abort mode stops at the first bad record).
    bool writable() const { return options_.on_error != OnError::Abort || counts_.rejected == 0; }

    // Commits batch by batch (resumable) unless the run is all or nothing, or the input is
    // gzip: its checksum, at its end, must be right before anything of it is committed.
    bool commits_each_batch() const {
        return !hook_ && options_.on_error != OnError::Abort && !(input_ && input_->compressed());
    }

    // Counts a bad record and reports it; reject mode keeps it with the batch it was read in.
    void reject(Reject&& r) {
        ++counts_.rejected;
        log_.note("rejected " + place_text(r.place) + ": " + r.reason);
        if (result_.first_rejects.size() < kRejectsShown) {
            result_.first_rejects.push_back({r.place, r.reason});
        }
        // Kept when the batch is stored (not now: its COPY may be streaming).
        if (tx_ && keeps_rejects()) rejects_.push_back(std::move(r));
    }

    // Stores the pending batch and its rejects, advances the run, and commits when batching.
    void flush() {
        BatchOutcome outcome = finish_batch();
        counts_.inserted += outcome.inserted;
        counts_.skipped += outcome.skipped;
        result_.inserted += outcome.inserted;
        result_.skipped += outcome.skipped;
        result_.priced += outcome.priced;
        result_.unpriced += outcome.unpriced;
        size_t next_conflict = 0;
        for (size_t i = 0; i < batch_.size(); ++i) {
            size_t source = batch_[i];
            if (next_conflict < outcome.conflicts.size() &&
                outcome.conflicts[next_conflict].index == i) {
                const Conflict& c = outcome.conflicts[next_conflict++];
                reject({sources_.place(source), RejectKind::Conflict, "request_id",
                        "request_id: another record with this identity is stored (usage record " +
                            std::to_string(c.existing_id) + ") with different " + c.differing,
                        sources_.raw_text(source), c.existing_id, c.existing});
            } else if (hook_) {
                (*hook_)(*tx_, result_.run_id, sources_.place(source), nullptr);
            }
        }
        for (const Reject& r : rejects_) {
            if (hook_) {
                (*hook_)(*tx_, result_.run_id, r.place, &r);
            } else {
                result_.rejects_kept += keep_reject(*tx_, result_.run_id, r);
            }
        }
        rejects_.clear();
        batch_.clear();
        sources_.clear();
        counts_.committed = seen_;
        if (input_ && input_->path() && !input_->compressed()) {
            counts_.committed_bytes = input_->consumed();
            counts_.committed_sha256 = input_->consumed_sha256();
        }
        if (commits_each_batch()) {
            if (ledger_) ledger_->advance(*tx_, counts_);
            tx_->commit();
            tx_ = std::make_unique<pqxx::work>(*conn_);
        }
    }

    // Ends the batch's COPY; in reject mode a record the database refuses is rejected with the
    // server's reason and the rest sent again.
    BatchOutcome finish_batch() {
        while (true) {
            try {
                return store_.finish(*tx_);
            } catch (const CopyFailed& e) {
                if (options_.on_error == OnError::Abort) throw database_refused(e, e.line);
                if (e.line == 0 || e.line > batch_.size()) return finish_one_by_one();
                BatchRows rows = store_.take_rows();
                refuse(e.line - 1, e);
                batch_.erase(batch_.begin() + static_cast<long>(e.line - 1));
                for (size_t i = 0; i < rows.size(); ++i) {
                    if (i != e.line - 1) store_.add_row(*tx_, rows.row(i));
                }
            }
        }
    }

    // Stores a batch the database refused without naming a row (in its duplicate handling),
    // one record at a time, rejecting the ones it refuses.
    BatchOutcome finish_one_by_one() {
        BatchRows rows = store_.take_rows();
        BatchOutcome all;
        std::vector<size_t> kept;
        for (size_t i = 0; i < rows.size(); ++i) {
            store_.add_row(*tx_, rows.row(i));
            try {
                BatchOutcome one = store_.finish(*tx_);
                all.inserted += one.inserted;
                all.skipped += one.skipped;
                all.priced += one.priced;
                all.unpriced += one.unpriced;
                for (Conflict& c : one.conflicts) {
                    c.index = kept.size();
                    all.conflicts.push_back(std::move(c));
                }
                kept.push_back(batch_[i]);
            } catch (const CopyFailed& e) {
                store_.take_rows();
                refuse(i, e);
            }
        }
        batch_ = std::move(kept);
        return all;
    }

    // Rejects record `index` of the batch with the database's reason.
    void refuse(size_t index, const CopyFailed& e) {
        size_t refused = batch_[index];
        reject({sources_.place(refused),
                RejectKind::Invalid,
                "",
                std::string("the database refused the record: ") + e.what(),
                sources_.raw_text(refused),
                {},
                {}});
    }

    // The error for a batch the database refused, naming the record when it can.
    CliError database_refused(const CopyFailed& e, size_t line) const {
        std::string where = line ? place_text(sources_.place(batch_[line - 1])) : options_.file;
        return CliError(where + ": the database refused the record: " + e.what() +
                        (options_.on_error == OnError::Abort ? "; nothing was written" : ""));
    }

    // Counts the fields of a record the mapping does not know. A record with the field names
    // of the one before (every row of a CSV file) has its unknown fields: they are not looked up
    // again.
    void note_unknown_fields(const SourceRecord& record) {
        if (!record.fields.is_object()) return;
        if (!same_names_as_last(record.fields)) {
            last_names_.clear();
            last_unknown_.clear();
            for (auto it = record.fields.begin(); it != record.fields.end(); ++it) {
                last_names_.push_back(it.key());
                if (!is_known_usage_field(it.key())) last_unknown_.push_back(it.key());
            }
        }
        for (const std::string& name : last_unknown_) note_unknown(name, record.place);
    }

    // Whether the names of `fields` (an object) are those of the last record's, in order.
    bool same_names_as_last(const Json& fields) const {
        if (fields.size() != last_names_.size()) return false;
        size_t i = 0;
        for (auto it = fields.begin(); it != fields.end(); ++it, ++i) {
            if (it.key() != last_names_[i]) return false;
        }
        return true;
    }

    // Counts a field the mapping does not know, remembering where it was first seen.
    void note_unknown(const std::string& name, const SourcePlace& place) {
        auto [entry, inserted] = unknown_.try_emplace(name, place, 0);
        ++entry->second.second;
    }

    void finish_warnings() {
        for (const auto& [name, seen] : unknown_) {
            result_.warnings.push_back(
                (is_computed_field(name) ? "ignored '" + name + "': the database computes costs ("
                                         : "ignored unknown field '" + name + "' (") +
                counted(seen.second, "record") + ", first at " + seen.first.file + ":" +
                std::to_string(seen.first.line) + ")");
        }
        if (counts_.read == 0 && skip_ == 0) {
            result_.warnings.push_back("no records found in " + options_.file);
        }
    }

    const IngestOptions& options_;
    pqxx::connection* conn_;
    RunLedger* ledger_;
    IngestLog& log_;
    const OutcomeHook* hook_;
    const SourceInput* input_;
    std::unique_ptr<pqxx::work> tx_;
    BatchStore store_;
    BatchSources sources_;             // the batch's source records, for its rejects
    std::vector<size_t> batch_;        // per row of the batch: its source record in sources_
    std::vector<UsageRecord> usages_;  // those of the record being mapped
    std::vector<Reject> rejects_;      // kept when the batch commits
    std::map<std::string, std::pair<SourcePlace, size_t>> unknown_;
    std::vector<std::string> last_names_, last_unknown_;  // of the last record noted
    RunCounts counts_;
    int64_t seen_ = 0, skip_ = 0;
    IngestResult result_;
};

// The reader format for the file: given, else from its name or first bytes.
InputFormat reader_format(const IngestOptions& options, std::istream& in, size_t* skipped) {
    *skipped = 0;
    return options.format ? *options.format : detect_input_format(options.file, in, skipped);
}

// The name a run records for the input format ("csv", "ndjson", "helicone"...).
std::string format_name(const IngestOptions& options, InputFormat detected) {
    if (options.importer) return options.importer->name;
    switch (detected) {
        case InputFormat::Csv:
            return "csv";
        case InputFormat::Json:
            return "json";
        case InputFormat::Ndjson:
            return "ndjson";
    }
    return "csv";
}

}  // namespace

const char* on_error_name(OnError mode) {
    switch (mode) {
        case OnError::Abort:
            return "abort";
        case OnError::Reject:
            return "reject";
        case OnError::Skip:
            return "skip";
    }
    return "abort";
}

IngestResult run_ingest(const IngestOptions& options, pqxx::connection* conn) {
    auto started = Clock::now();
    SourceInput input(options.file);
    IngestLog log(options.quiet, options.log_file);
    size_t skipped_lines = 0;
    InputFormat format = reader_format(options, input.stream(), &skipped_lines);
    std::unique_ptr<RunLedger> ledger;
    bool resumable = options.on_error != OnError::Abort && !input.compressed();
    if (!options.validate_only) {
        ledger = std::make_unique<RunLedger>(
            *conn, RunSource{options.file, input.path(), input.size()},
            format_name(options, format), on_error_name(options.on_error), resumable);
        log.note("run " + std::to_string(ledger->id()) + ": ingest " + options.file + " (" +
                 format_name(options, format) + ", --on-error " + on_error_name(options.on_error) +
                 (ledger->resumed().committed
                      ? ", resuming after record " + std::to_string(ledger->resumed().committed)
                      : "") +
                 ")");
    }
    Pipeline pipeline(options, options.validate_only ? nullptr : conn, ledger.get(), log, nullptr,
                      &input);
    InterruptionGuard stop_on_signal;
    try {
        read_records(
            input.stream(), format, options.file,
            [&](SourceRecord&& record) {
                stop_if_interrupted();
                pipeline.on_record(std::move(record), input.bytes_read(), input.size());
            },
            skipped_lines + 1);
        log.end_progress();
        if (input.stream().bad()) throw CliError("reading " + options.file + " failed");
        IngestResult result = pipeline.finish(input.finish_sha256());
        result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return result;
    } catch (const pqxx::broken_connection&) {
        // The run stays "running": the same command, run again, resumes it.
        log.end_progress();
        throw;
    } catch (const Interrupted& stop) {
        log.end_progress();
        throw CliError(pipeline.interrupted(stop, resumable), stop.exit_code());
    } catch (const std::exception& e) {
        log.end_progress();
        pipeline.fail(e.what());
        throw;
    }
}

IngestResult run_records(const IngestOptions& options, pqxx::connection& conn,
                         const std::string& label, const std::string& format,
                         const RecordProducer& produce, const OutcomeHook& on_outcome) {
    auto started = Clock::now();
    IngestLog log(true, options.log_file);
    RunLedger ledger(conn, RunSource{label, {}, {}}, format, on_error_name(options.on_error),
                     false);
    Pipeline pipeline(options, &conn, &ledger, log, &on_outcome, nullptr);
    try {
        produce([&](SourceRecord&& record) { pipeline.on_record(std::move(record), 0, {}); });
        IngestResult result = pipeline.finish("");
        result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return result;
    } catch (const std::exception& e) {
        pipeline.fail(e.what());
        throw;
    }
}

}  // namespace costops::cli
