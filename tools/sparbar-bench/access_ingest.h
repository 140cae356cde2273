// The access log's load through a real server, shared by `access` and
// `compare`: clients streaming batches through AccessLog.Ingest, and a
// reviewer's listing of one user's or one person's accesses, every page.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "latency.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"

namespace sparbar::bench {

struct IngestResult {
  uint64_t recorded = 0;   // events the server acknowledged as durable
  uint64_t calls = 0;      // Ingest calls completed
  double elapsed_seconds = 0;
  Latencies latencies;     // per call, from its first batch to its answer
};

// One client per entry of `work`, each a source system of its own, sending
// its batches over and over with new source event ids (StampBatch), four
// batches per Ingest call; every answer says the call's batches are durable.
// Stops after `seconds` (0: no limit) or once each client has sent its
// share of `target_events` (0: no limit): ceil(target / clients) rounded up
// to whole calls. A client's calls depend only on its number and how many it
// sent before, so the same share gives the same events in every run and to
// PostgreSQL (MeasurePgAccessIngest). Throws when a call fails.
IngestResult IngestAccessEvents(const std::string& address, std::vector<std::vector<v1::access::IngestBatch>>& work,
                                double seconds, uint64_t target_events, bool progress = false);

// Every page of 1,000 of ListAccesses over [from, to), as the reviewer
// bench-granskare; `who` sets the user or the person. Returns milliseconds,
// and the first page's in *first_page_ms when given.
double ListAccessesPages(v1::access::AccessLog::Stub& stub,
                         const std::function<void(v1::access::ListAccessesRequest&)>& who, int64_t from, int64_t to,
                         int deadline_seconds, double* first_page_ms = nullptr, uint64_t* rows = nullptr);

// Each user's listing over [from, to), every page (60 s deadline a page),
// one after another: one latency per user. Adds the rows to *rows.
Latencies TimeUserQuarters(v1::access::AccessLog::Stub& stub, const std::vector<std::string>& users, int64_t from,
                           int64_t to, uint64_t* rows);

// Metadata of the reviewer the benchmarks query as.
void AsReviewer(grpc::ClientContext& ctx);

}  // namespace sparbar::bench
