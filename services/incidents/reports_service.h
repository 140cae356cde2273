// ReportsService: the sparbar.v1.incidents.IncidentReports gRPC service.
// Every answer folds the incidents from the log as it stood at one position
// (view.h), names that position, and gives the same answer when asked for
// it again; the figures are pure functions of that state (statistics.h).
// Nothing is written; bad input is INVALID_ARGUMENT naming the field.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/incidents/rules.h"
#include "services/incidents/view.h"
#include "sparbar/v1/incidents_service.grpc.pb.h"

namespace sparbar::incidents {

class ReportsService final : public v1::incidents::IncidentReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const IncidentRules* rules, const services::CallerResolver* callers,
                 services::CallGate* gate);

  grpc::Status Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::incidents::IncidentStatistics* response) override;
  grpc::Status Deadlines(grpc::ServerContext* context, const v1::incidents::DeadlinesRequest* request,
                         v1::incidents::DeadlinesResponse* response) override;

 private:
  Result<IncidentsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const IncidentRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::incidents
