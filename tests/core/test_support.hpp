// Small helpers shared by the unit tests of tests/core and tests/cli_unit.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "decimal.hpp"

namespace test_support {

// The message of the exception of type E that `action` throws; fails the test when none is.
template <typename E, typename Action>
std::string thrown_message(Action action) {
    try {
        action();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("no exception was thrown");
    return "";
}

// The kind of DecimalError `action` throws; fails the test when none is thrown.
template <typename Action>
costops::DecimalErrorKind decimal_error_kind(Action action) {
    try {
        action();
    } catch (const costops::DecimalError& e) {
        return e.kind();
    }
    FAIL("no DecimalError was thrown");
    return costops::DecimalErrorKind::InvalidSyntax;
}

}  // namespace test_support
