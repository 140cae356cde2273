// ReportsService: the sparbar.v1.delegation.DelegationReports gRPC service.
//
// Every answer folds the delegation orders and decisions from the log as it
// stood at one position (view.h): everything recorded so far, a given
// position, or what the log knew at the end of a day in Sweden; the answer
// names the position, and asking again for it gives the same answer. The
// reports are then pure functions of that state (report.h). The order in
// force on a past day is read from the whole log unless the request names
// another state: an order recorded late still says what was in force then.
// Nothing is written; bad input is INVALID_ARGUMENT naming the field, an
// order or version not recorded is NOT_FOUND. The fold stops when the call
// ends.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/committee/rules.h"
#include "services/delegation/view.h"
#include "sparbar/v1/delegation_service.grpc.pb.h"

namespace sparbar::delegation {

class ReportsService final : public v1::delegation::DelegationReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const committee::CommitteeRules* rules, const services::CallerResolver* callers,
                 services::CallGate* gate);

  grpc::Status OrderInForce(grpc::ServerContext* context, const v1::delegation::OrderInForceRequest* request,
                            v1::delegation::OrderInForceResponse* response) override;
  grpc::Status Decisions(grpc::ServerContext* context, const v1::delegation::DecisionsRequest* request,
                         v1::delegation::DecisionsReport* response) override;

 private:
  Result<DelegationView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;

  EventStore* const store_;
  const committee::CommitteeRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::delegation
