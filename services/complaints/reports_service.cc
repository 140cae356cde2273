#include "services/complaints/reports_service.h"

#include <utility>

#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/complaints/report_render.h"
#include "services/complaints/statistics.h"
#include "services/grpc_status.h"

namespace sparbar::complaints {

ReportsService::ReportsService(EventStore* store, const ComplaintRules* rules, const services::CallerResolver* callers,
                               services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

Result<ComplaintsView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                                const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldComplaintsView(*store_, *at, StopWhenCallEnds(context, *at, "complaint cases"));
}

grpc::Status ReportsService::Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                                        v1::complaints::ComplaintStatistics* response) {
  return StatisticsRpc(
      "ComplaintReports.Statistics", gate_, callers_, *context, *request,
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [this](const ComplaintsView& view, const CivilDate& from, const CivilDate& to) {
        return ComplaintsStatistics(view, *rules_, from, to);
      },
      &RenderStatistics, response);
}

grpc::Status ReportsService::Reminders(grpc::ServerContext* context, const v1::complaints::RemindersRequest* request,
                                       v1::complaints::RemindersResponse* response) {
  return DayListRpc(
      "ComplaintReports.Reminders", gate_, callers_, *context, request->on(), request->as_of(), request->format(),
      [] { return Status::Ok(); }, [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [&](const ComplaintsView& view, const CivilDate& on) {
        return BuildReminders(view, *rules_, on, request->unit(), request->responsible());
      },
      &RenderReminders, response);
}

}  // namespace sparbar::complaints
