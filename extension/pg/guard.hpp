// The one boundary between C++ and PostgreSQL error handling.
//
// Every SQL-callable function body runs inside pg_guard(). A C++ exception thrown in the body
// is caught there and re-raised as ereport(ERROR) only after the catch block has ended, so no
// exception crosses into PostgreSQL and no longjmp leaves a catch handler.
//
// The other direction: PostgreSQL calls that can ereport (palloc, SPI, detoasting, heap_*)
// may be made in a guarded body only while no object with a destructor is alive in that
// frame or any frame below the guard; keep C++ objects inside scopes that make no such calls.
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "../core/decimal.hpp"
#include "postgres_headers.hpp"

// Declares an SQL-callable C function with V1 calling convention and C linkage.
#define SQL_FUNCTION(name)     \
    extern "C" {               \
    PG_FUNCTION_INFO_V1(name); \
    }                          \
    extern "C" Datum name(PG_FUNCTION_ARGS)

namespace costops::pg {

// A PostgreSQL error described in C++: thrown by guarded code, raised by pg_guard().
class SqlError : public std::exception {
  public:
    SqlError(int sqlstate, std::string message, std::string detail = {}, std::string hint = {})
        : sqlstate(sqlstate),
          message(std::move(message)),
          detail(std::move(detail)),
          hint(std::move(hint)) {}
    const char* what() const noexcept override { return message.c_str(); }

    int sqlstate;
    std::string message, detail, hint;
};

// A plain-data copy of an error that survives the end of the catch block that found it.
struct ErrorReport {
    int sqlstate = 0;
    char message[1024] = {0};
    char detail[1024] = {0};
    char hint[512] = {0};
};

// Fills `out` from the exception currently being handled (call only inside a catch block).
void describe_current_exception(ErrorReport* out) noexcept;

// Raises `report` as ereport(ERROR); never returns.
[[noreturn]] void raise_report(const ErrorReport* report);

// Runs `body` and returns its result; any C++ exception becomes ereport(ERROR).
template <typename Body>
auto pg_guard(Body&& body) -> decltype(body()) {
    ErrorReport report;
    try {
        return body();
    } catch (...) {
        describe_current_exception(&report);
    }
    raise_report(&report);
}

}  // namespace costops::pg
