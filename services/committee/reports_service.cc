#include "services/committee/reports_service.h"

#include <utility>

#include "services/committee/report_render.h"
#include "services/committee/statistics.h"
#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/grpc_status.h"

namespace sparbar::committee {

ReportsService::ReportsService(EventStore* store, const CommitteeRules* rules, const services::CallerResolver* callers,
                               services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

Result<MeetingsView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                              const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldMeetingsView(*store_, *at, StopWhenCallEnds(context, *at, "committee meetings"));
}

grpc::Status ReportsService::Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                                        v1::committee::CommitteeStatistics* response) {
  return StatisticsRpc(
      "CommitteeReports.Statistics", gate_, callers_, *context, *request,
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [this](const MeetingsView& view, const CivilDate& from, const CivilDate& to) {
        return CommitteeStatistics(view, *rules_, from, to);
      },
      &RenderStatistics, response);
}

grpc::Status ReportsService::Due(grpc::ServerContext* context, const v1::committee::DueRequest* request,
                                 v1::committee::DueResponse* response) {
  return DayListRpc(
      "CommitteeReports.Due", gate_, callers_, *context, request->on(), request->as_of(), request->format(),
      [] { return Status::Ok(); }, [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [&](const MeetingsView& view, const CivilDate& on) { return BuildDue(view, *rules_, on, request->body()); },
      &RenderDue, response);
}

}  // namespace sparbar::committee
