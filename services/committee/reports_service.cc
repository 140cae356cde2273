#include "services/committee/reports_service.h"

#include <utility>

#include "services/committee/report_render.h"
#include "services/committee/statistics.h"
#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/grpc_status.h"

namespace sparbar::committee {
namespace {

namespace d = ::sparbar::v1::decisions;
using services::Answer;
using services::ToGrpc;

}  // namespace

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
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto on = DateOrToday(request->on(), "on");
  if (!on.ok()) return ToGrpc(on.status());
  const auto format = request->format();
  if (format == d::REPORT_FORMAT_HTML || !d::ReportFormat_IsValid(format)) {
    return ToGrpc(Status::InvalidArgument("format must be CSV or JSON (or none)"));
  }
  auto view = ViewAsOf(JudgedOn(request->on(), request->as_of()), *context);
  if (!view.ok()) return Answer("CommitteeReports.Due", view.status());
  return AnswerReport("CommitteeReports.Due", BuildDue(*view, *rules_, *on, request->body()), format, &RenderDue,
                      response);
}

}  // namespace sparbar::committee
