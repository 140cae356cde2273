// ReportsService: the sparbar.v1.accessrights.AccessRightReports gRPC
// service.
//
// Every answer folds the access rights from the log as it stood at one
// position (view.h): everything recorded so far, a given position, or what
// the log knew at the end of a day in Sweden; the answer names the
// position, and asking again for it gives the same answer. The figures are
// then pure functions of that state (statistics.h). A past day to list the
// due steps on is judged on what the log knew at its end, unless the
// request names another state. Nothing is written; bad input is
// INVALID_ARGUMENT naming the field. The fold stops when the call ends.
#pragma once

#include "eventstore/store.h"
#include "services/access_rights/rules.h"
#include "services/access_rights/view.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/access_rights_service.grpc.pb.h"

namespace sparbar::access_rights {

class ReportsService final : public v1::accessrights::AccessRightReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const AccessRightRules* rules, const services::CallerResolver* callers,
                 services::CallGate* gate);

  grpc::Status Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::accessrights::AccessRightStatistics* response) override;
  grpc::Status Due(grpc::ServerContext* context, const v1::accessrights::DueRequest* request,
                   v1::accessrights::DueResponse* response) override;

 private:
  Result<AccessRightsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const AccessRightRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::access_rights
