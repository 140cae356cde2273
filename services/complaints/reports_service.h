// ReportsService: the sparbar.v1.complaints.ComplaintReports gRPC service.
//
// Every answer folds the complaint cases from the log as it stood at one
// position (view.h): everything recorded so far, a given position, or what
// the log knew at the end of a day in Sweden; the answer names the
// position, and asking again for it gives the same answer. The figures are
// then pure functions of that state (statistics.h). A past day to judge
// reminders on is judged on what the log knew at its end, unless the
// request names another state. Nothing is written; bad input is
// INVALID_ARGUMENT naming the field. The fold stops when the call ends.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/complaints/rules.h"
#include "services/complaints/view.h"
#include "sparbar/v1/complaints_service.grpc.pb.h"

namespace sparbar::complaints {

class ReportsService final : public v1::complaints::ComplaintReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const ComplaintRules* rules, const services::CallerResolver* callers,
                 services::CallGate* gate);

  grpc::Status Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::complaints::ComplaintStatistics* response) override;
  grpc::Status Reminders(grpc::ServerContext* context, const v1::complaints::RemindersRequest* request,
                         v1::complaints::RemindersResponse* response) override;

 private:
  Result<ComplaintsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const ComplaintRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::complaints
