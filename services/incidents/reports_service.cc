#include "services/incidents/reports_service.h"

#include <utility>

#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/common/swedish_time.h"
#include "services/incidents/incident.h"
#include "services/incidents/report_render.h"
#include "services/incidents/statistics.h"
#include "services/grpc_status.h"

namespace sparbar::incidents {
namespace {

namespace d = ::sparbar::v1::decisions;
using services::Answer;
using services::ToGrpc;

}  // namespace

ReportsService::ReportsService(EventStore* store, const IncidentRules* rules, const services::CallerResolver* callers,
                               services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

Result<IncidentsView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                               const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldIncidentsView(*store_, *at, StopWhenCallEnds(context, *at, "personal data incidents"));
}

grpc::Status ReportsService::Statistics(grpc::ServerContext* context, const v1::deviations::StatisticsRequest* request,
                                        v1::incidents::IncidentStatistics* response) {
  return StatisticsRpc(
      "IncidentReports.Statistics", gate_, callers_, *context, *request,
      [&](const v1::deviations::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [this](const IncidentsView& view, const CivilDate& from, const CivilDate& to) {
        return IncidentsStatistics(view, *rules_, from, to);
      },
      &RenderStatistics, response);
}

grpc::Status ReportsService::Deadlines(grpc::ServerContext* context, const v1::incidents::DeadlinesRequest* request,
                                       v1::incidents::DeadlinesResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  const auto format = request->format();
  if (format == d::REPORT_FORMAT_HTML || !d::ReportFormat_IsValid(format)) {
    return ToGrpc(Status::InvalidArgument("format must be CSV or JSON (or none)"));
  }
  TimestampMicros at = NowMicros();
  v1::deviations::AsOf as_of = request->as_of();
  if (request->has_at()) {
    if (!ValidInstant(request->at())) {
      return ToGrpc(Status::InvalidArgument("at is not a valid instant after 1970"));
    }
    at = MicrosOf(request->at());
    as_of = JudgedOn(StockholmDate(at).ToString(), std::move(as_of));  // what the log knew that day
  }
  auto view = ViewAsOf(as_of, *context);
  if (!view.ok()) return Answer("IncidentReports.Deadlines", view.status());
  return AnswerReport("IncidentReports.Deadlines", BuildDeadlines(*view, *rules_, at, request->unit()), format,
                      &RenderDeadlines, response);
}

}  // namespace sparbar::incidents
