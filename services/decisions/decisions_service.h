// DecisionsService: the gRPC face of the decisions module, thin by design.
//
// Record: authenticate, fold the case's stream, Decide, append with the
// revision that was folded (a concurrent change is ABORTED and writes
// nothing), answer. "Today" for date checks is the date in Sweden
// (services/common/swedish_time.h).
// Reports are served by ReportsService (reports_service.h).
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/decisions/insats_catalogue.h"
#include "sparbar/v1/decisions_service.grpc.pb.h"

namespace sparbar::decisions {

class DecisionsService final : public v1::decisions::Decisions::Service {
 public:
  // All must outlive the service.
  DecisionsService(EventStore* store, const InsatsCatalogue* catalogue,
                   const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::decisions::RecordRequest* request,
                      v1::decisions::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const InsatsCatalogue* const catalogue_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::decisions
