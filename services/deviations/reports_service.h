// ReportsService: the sparbar.v1.deviations.DeviationReports gRPC service.
//
// Every answer folds the deviations module's streams from the log as it
// stood at one position (module_view.h): everything recorded so far, a
// given position, or what the log knew at the end of a day in Sweden; the
// answer names the position, and asking again for it gives the same answer.
// Statistics, deadlines and stale plans are then pure functions of that
// state (report_build.h). A past day to judge overdue steps or stale plans
// on is judged on what the log knew at its end, unless the request names
// another state. Nothing is written; bad input is INVALID_ARGUMENT naming
// the field. The fold stops when the call ends.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/deviations/deadlines.h"
#include "services/deviations/module_view.h"
#include "services/deviations/taxonomy.h"
#include "sparbar/v1/deviations_reports_service.grpc.pb.h"

namespace sparbar::deviations {

class ReportsService final : public v1::deviations::DeviationReports::Service {
 public:
  // All must outlive the service.
  ReportsService(EventStore* store, const DeviationTaxonomy* taxonomy, const DeadlineRules* deadlines,
                 const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status Avvikelser(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                          v1::deviations::AvvikelserReport* response) override;
  grpc::Status LexSarah(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                        v1::deviations::LexSarahReport* response) override;
  grpc::Status LexMaria(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                        v1::deviations::LexMariaReport* response) override;
  grpc::Status Overdue(grpc::ServerContext* context, const v1::deviations::OverdueRequest* request,
                       v1::deviations::OverdueResponse* response) override;
  grpc::Status StalePlans(grpc::ServerContext* context, const v1::deviations::StalePlansRequest* request,
                          v1::deviations::StalePlansResponse* response) override;

 private:
  // The module's state as of `as_of` (see AsOf in the proto).
  Result<DeviationsView> ViewAsOf(const v1::deviations::AsOf& as_of, const grpc::ServerContext& context) const;
  // A statistics request's view and period, then `build` and, when a format is asked for, `render`.
  template <class Report, class Build, class Render>
  grpc::Status Statistics(const char* method, grpc::ServerContext* context,
                          const v1::deviations::StatisticsRequest& request, Build build, Render render,
                          Report* response) const;

  EventStore* const store_;
  const DeviationTaxonomy* const taxonomy_;
  const DeadlineRules* const deadlines_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::deviations
