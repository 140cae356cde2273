#include "services/statements/reports_service.h"

#include <utility>

#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/grpc_status.h"
#include "services/statements/report_render.h"
#include "services/statements/statistics.h"

namespace sparbar::statements {

ReportsService::ReportsService(EventStore* store, const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), callers_(callers), gate_(gate) {}

Result<StatementsView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                                const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldStatementsView(*store_, *at, StopWhenCallEnds(context, *at, "requests for statements"));
}

grpc::Status ReportsService::Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                                        v1::statements::StatementStatistics* response) {
  return StatisticsRpc(
      "StatementReports.Statistics", gate_, callers_, *context, *request,
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [](const StatementsView& view, const CivilDate& from, const CivilDate& to) {
        return StatementStatistics(view, from, to);
      },
      &RenderStatistics, response);
}

grpc::Status ReportsService::Due(grpc::ServerContext* context, const v1::statements::DueRequest* request,
                                 v1::statements::DueResponse* response) {
  return DayListRpc(
      "StatementReports.Due", gate_, callers_, *context, request->on(), request->as_of(), request->format(),
      [&] {
        if (!pb::Authority_IsValid(request->authority())) {
          return Status::InvalidArgument("authority is not a known authority");
        }
        return Status::Ok();
      },
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [&](const StatementsView& view, const CivilDate& on) { return BuildDue(view, on, request->authority()); },
      &RenderDue, response);
}

}  // namespace sparbar::statements
