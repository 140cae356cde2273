// ReportsService: the sparbar.v1.statements.StatementReports gRPC service.
//
// Every answer folds the requests for statements from the log as it stood
// at one position (view.h): everything recorded so far, a given position,
// or what the log knew at the end of a day in Sweden; the answer names the
// position, and asking again for it gives the same answer. The figures are
// then pure functions of that state (statistics.h). A past day to list the
// awaited statements on is judged on what the log knew at its end, unless
// the request names another state. Nothing is written; bad input is
// INVALID_ARGUMENT naming the field. The fold stops when the call ends.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/statements/view.h"
#include "sparbar/v1/statements_service.grpc.pb.h"

namespace sparbar::statements {

class ReportsService final : public v1::statements::StatementReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::statements::StatementStatistics* response) override;
  grpc::Status Due(grpc::ServerContext* context, const v1::statements::DueRequest* request,
                   v1::statements::DueResponse* response) override;

 private:
  Result<StatementsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::statements
