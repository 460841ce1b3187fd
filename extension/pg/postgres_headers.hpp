// The PostgreSQL headers the extension uses, in C linkage, postgres.h first.
// Only files under extension/pg/ include this; extension/core/ never does.
#pragma once

// C++ headers that PostgreSQL's macros would break (port.h defines snprintf) come first,
// whatever order a file includes this header and the core's in.
#include <nlohmann/json.hpp>
#include <regex>

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}
