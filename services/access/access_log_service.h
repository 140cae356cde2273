// AccessLogService: the sparbar.v1.access.AccessLog gRPC service, which
// takes in other systems' access events and answers queries of them
// (proto/sparbar/v1/access_log_service.proto).
//
// Ingest reads batches one at a time. Each is checked whole (access_event.h;
// one source system per batch, each source event id once), its events
// recorded before are looked up by their derived ids and compared, and the
// new ones are appended to "atkomst-<source_system>" in one atomic append,
// acknowledged once synced. The first bad batch ends the call with a status
// naming the batch, the event and the field; nothing of it is written.
//
// ListAccesses and LogExtract read the access index (access_index.h) after it has caught
// up with every write made before the call, and records the query itself as
// access events, one per person whose data it returns, before answering.
// Never logs personal data.
#pragma once

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/access/access_event.h"
#include "services/access/subject_key.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"

namespace sparbar::access {

class AccessLogService final : public v1::access::AccessLog::Service {
 public:
  // All must outlive the service.
  AccessLogService(EventStore* store, AccessLimits limits, const projections::ProjectionRunner* index,
                   const SubjectKey* subject_key, const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status Ingest(grpc::ServerContext* context, grpc::ServerReader<v1::access::IngestBatch>* reader,
                      v1::access::IngestResponse* response) override;
  grpc::Status ListAccesses(grpc::ServerContext* context, const v1::access::ListAccessesRequest* request,
                            v1::access::ListAccessesResponse* response) override;
  grpc::Status LogExtract(grpc::ServerContext* context, const v1::access::LogExtractRequest* request,
                          v1::access::LogExtractResponse* response) override;

 private:
  // Checks and records one batch; `what` names it in messages ("batch 3 (id …)").
  Result<v1::access::BatchResult> RecordBatch(v1::access::IngestBatch& batch, const std::string& what,
                                              const std::string& actor, const grpc::ServerContext& context);

  EventStore* const store_;
  const AccessLimits limits_;
  const projections::ProjectionRunner* const index_;
  const SubjectKey* const subject_key_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::access
