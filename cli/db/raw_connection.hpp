// libpqxx 6 has no public COPY API for raw text; LLM Cost Ops streams COPY data through libpq
// on the same connection and transaction.
#pragma once

#include <libpq-fe.h>
#include <pqxx/pqxx>

namespace costops::cli {

// The libpq connection behind a libpqxx transaction. pqxx::largeobject exposes it to derived
// classes as a protected static member; this is the smallest such derivation.
class RawConnection : private pqxx::largeobject {
  public:
    static PGconn* of(const pqxx::dbtransaction& tx) { return raw_connection(tx); }
};

}  // namespace costops::cli
