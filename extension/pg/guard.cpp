#include "guard.hpp"

#include <cstring>

namespace costops::pg {

namespace {

// A plain-data copy of an error (backends are single-threaded: one buffer is enough).
struct ErrorReport {
    int sqlstate;
    char message[1024];
    char detail[1024];
    char hint[512];
};
ErrorReport pending;

// Copies a message into a fixed buffer, truncating if it must.
void copy_text(char* dst, size_t size, const char* src) {
    snprintf(dst, size, "%s", src);
}

// Makes a phrase of the core's (a decimal error's text) an errdetail sentence: capitalized,
// ending with a period.
void as_sentence(char* text, size_t size) {
    if (text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    size_t length = strlen(text);
    if (length > 0 && text[length - 1] != '.' && length + 1 < size) {
        text[length] = '.';
        text[length + 1] = '\0';
    }
}

// The SQLSTATE a decimal failure maps to.
int sqlstate_for(DecimalErrorKind kind) {
    switch (kind) {
        case DecimalErrorKind::InvalidSyntax:
            return ERRCODE_INVALID_TEXT_REPRESENTATION;
        case DecimalErrorKind::DivisionByZero:
            return ERRCODE_DIVISION_BY_ZERO;
        case DecimalErrorKind::TooPrecise:
        case DecimalErrorKind::OutOfRange:
            break;
    }
    return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
}

}  // namespace

void describe_current_exception() noexcept {
    ErrorReport* out = &pending;
    out->message[0] = out->detail[0] = out->hint[0] = '\0';
    try {
        throw;
    } catch (const SqlError& e) {
        out->sqlstate = e.sqlstate;
        copy_text(out->message, sizeof out->message, e.message.c_str());
        copy_text(out->detail, sizeof out->detail, e.detail.c_str());
        copy_text(out->hint, sizeof out->hint, e.hint.c_str());
    } catch (const DecimalError& e) {
        out->sqlstate = sqlstate_for(e.kind());
        const char* message =
            e.kind() == DecimalErrorKind::DivisionByZero ? "division by zero" : "cost out of range";
        copy_text(out->message, sizeof out->message, message);
        if (e.kind() != DecimalErrorKind::DivisionByZero) {
            copy_text(out->detail, sizeof out->detail, e.what());
            as_sentence(out->detail, sizeof out->detail);
        }
    } catch (const std::bad_alloc&) {
        out->sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_text(out->message, sizeof out->message, "out of memory");
    } catch (const std::exception& e) {
        out->sqlstate = ERRCODE_INTERNAL_ERROR;
        snprintf(out->message, sizeof out->message, "internal error in llm_cost_ops: %s", e.what());
    } catch (...) {
        out->sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_text(out->message, sizeof out->message, "unknown internal error in llm_cost_ops");
    }
}

void raise_described_exception() {
    const ErrorReport* report = &pending;
    ereport(ERROR, (errcode(report->sqlstate), errmsg_internal("%s", report->message),
                    report->detail[0] ? errdetail_internal("%s", report->detail) : 0,
                    report->hint[0] ? errhint("%s", report->hint) : 0));
    pg_unreachable();
}

}  // namespace costops::pg
