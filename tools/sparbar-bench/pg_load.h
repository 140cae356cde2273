// The PostgreSQL side of `sparbar-bench compare`: the same loads as the
// Spårbar side, through libpq, against a PostgresServer.
//
// The event store is the usual design: `events` with a global identity
// (position), stream, revision, a unique (stream, revision), a unique event
// id, type, payload and time; `streams` holds each stream's last revision, and
// one statement per append upserts it and inserts the events, so concurrent
// appends to a stream serialize on its row. The access log is one table with
// indexes on (user, time) and (person, time) and a unique (source system,
// source event id), filled by COPY. Every commit is durable
// (synchronous_commit on). Each client is a connection and a thread of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "append_load.h"
#include "latency.h"
#include "sparbar/v1/access_log_service.pb.h"

namespace sparbar::bench {

// Creates the event-store and access-log tables and indexes.
void CreatePgSchema(const std::string& conninfo);

// The load of MeasureAppends (append_load.h), `options.address` being a
// libpq connection string; `channels` does not apply (a connection each).
Row MeasurePgAppends(const AppendLoadOptions& options);

// Each client sends its batches over and over (new source event ids, as
// StampBatch makes them), `batches_per_call` of them in one COPY and one
// commit, until it has sent its share of `target_events` as
// IngestAccessEvents counts it: both sides then hold the same events. The
// row counts calls.
Row MeasurePgAccessIngest(const std::string& conninfo,
                          std::vector<std::vector<v1::access::IngestBatch>>& work, int batches_per_call,
                          uint64_t target_events);

// VACUUM ANALYZE, as autovacuum would after a large load; returns seconds.
double PgVacuumAnalyze(const std::string& conninfo);

// One query's latencies: a user's accesses over [from, to) (every row), or a
// person's. With `record_reads`, the same statement also inserts, durably,
// one access event per distinct person returned: the reads Spårbar records.
enum class PgAccessQuery { kByUser, kByPerson };
Latencies MeasurePgAccessQueries(const std::string& conninfo, PgAccessQuery query,
                                 const std::vector<std::string>& keys, int64_t from, int64_t to,
                                 bool record_reads, uint64_t* rows_returned);

// The access table read in order of its identity, pages of 1,000 by
// keyset (the usual catch-up from a position); events/s over all rows.
double MeasurePgCatchUp(const std::string& conninfo, uint64_t* rows);

// REINDEX of the (user, time) and (person, time) indexes; seconds.
double PgReindexAccess(const std::string& conninfo);

// Rows in the access table and its bytes with indexes and TOAST.
void PgAccessSize(const std::string& conninfo, uint64_t* rows, uint64_t* bytes);

}  // namespace sparbar::bench
