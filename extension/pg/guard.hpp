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

// Records the exception currently being handled as plain data in a backend-wide buffer, so
// it survives the end of the catch block (call only inside a catch block).
void describe_current_exception() noexcept;

// Raises the recorded exception as ereport(ERROR); never returns.
[[noreturn]] void raise_described_exception();

// Runs `body` and returns its result; any C++ exception becomes ereport(ERROR). Costs nothing
// when nothing is thrown: the hot paths (trigger, aggregates) run through it for every row.
template <typename Body>
auto pg_guard(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (...) {
        describe_current_exception();
    }
    raise_described_exception();
}

}  // namespace costops::pg
