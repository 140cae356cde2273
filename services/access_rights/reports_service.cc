#include "services/access_rights/reports_service.h"

#include <utility>

#include "services/access_rights/report_render.h"
#include "services/access_rights/statistics.h"
#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/grpc_status.h"

namespace sparbar::access_rights {
namespace {

// More than ten years ahead is no longer a reminder.
constexpr uint32_t kMaxWithinDays = 3650;

}  // namespace

ReportsService::ReportsService(EventStore* store, const AccessRightRules* rules,
                               const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

Result<AccessRightsView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                                  const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldAccessRightsView(*store_, *at, StopWhenCallEnds(context, *at, "access rights"));
}

grpc::Status ReportsService::Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                                        v1::accessrights::AccessRightStatistics* response) {
  return StatisticsRpc(
      "AccessRightReports.Statistics", gate_, callers_, *context, *request,
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [this](const AccessRightsView& view, const CivilDate& from, const CivilDate& to) {
        return AccessRightsStatistics(view, *rules_, from, to);
      },
      &RenderStatistics, response);
}

grpc::Status ReportsService::Due(grpc::ServerContext* context, const v1::accessrights::DueRequest* request,
                                 v1::accessrights::DueResponse* response) {
  return DayListRpc(
      "AccessRightReports.Due", gate_, callers_, *context, request->on(), request->as_of(), request->format(),
      [&] {
        return request->within_days() > kMaxWithinDays
                   ? Status::InvalidArgument("within_days must be at most " + std::to_string(kMaxWithinDays))
                   : Status::Ok();
      },
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [&](const AccessRightsView& view, const CivilDate& on) {
        return BuildDue(view, *rules_, on, request->within_days(), request->unit(), request->system());
      },
      &RenderDue, response);
}

}  // namespace sparbar::access_rights
