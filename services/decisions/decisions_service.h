// DecisionsService: the gRPC face of the decisions module, thin by design.
//
// Record: authenticate, fold the case's stream, Decide, append with the
// revision that was folded (a concurrent change is ABORTED and writes
// nothing), answer. EjVerkstallda: wait until the case-facts projection has
// caught up with the log (read-your-writes, within the call's deadline) or
// take the log as it was at the end of `known_at`, and compute the report.
// "Today" for date checks is the server's UTC date.
#pragma once

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/decisions/insats_catalogue.h"
#include "sparbar/v1/decisions_service.grpc.pb.h"

namespace sparbar::decisions {

class DecisionsService final : public v1::decisions::Decisions::Service {
 public:
  // All must outlive the service.
  DecisionsService(EventStore* store, const projections::ProjectionRunner* case_facts,
                   const InsatsCatalogue* catalogue, const services::CallerResolver* callers,
                   services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::decisions::RecordRequest* request,
                      v1::decisions::RecordResponse* response) override;
  grpc::Status EjVerkstallda(grpc::ServerContext* context, const v1::decisions::EjVerkstalldaRequest* request,
                             v1::decisions::EjVerkstalldaResponse* response) override;

 private:
  EventStore* const store_;
  const projections::ProjectionRunner* const case_facts_;
  const InsatsCatalogue* const catalogue_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::decisions
