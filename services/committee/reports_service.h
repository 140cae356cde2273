// ReportsService: the sparbar.v1.committee.CommitteeReports gRPC service.
//
// Every answer folds the committee meetings from the log as it stood at one
// position (view.h): everything recorded so far, a given position, or what
// the log knew at the end of a day in Sweden; the answer names the
// position, and asking again for it gives the same answer. The figures are
// then pure functions of that state (statistics.h). A past day to list the
// due steps on is judged on what the log knew at its end, unless the
// request names another state. Nothing is written; bad input is
// INVALID_ARGUMENT naming the field. The fold stops when the call ends.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/committee/rules.h"
#include "services/committee/view.h"
#include "sparbar/v1/committee_service.grpc.pb.h"

namespace sparbar::committee {

class ReportsService final : public v1::committee::CommitteeReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const CommitteeRules* rules, const services::CallerResolver* callers,
                 services::CallGate* gate);

  grpc::Status Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::committee::CommitteeStatistics* response) override;
  grpc::Status Due(grpc::ServerContext* context, const v1::committee::DueRequest* request,
                   v1::committee::DueResponse* response) override;

 private:
  Result<MeetingsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const CommitteeRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::committee
