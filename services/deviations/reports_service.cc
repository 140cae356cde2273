#include "services/deviations/reports_service.h"

#include <utility>

#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/deviations/report_build.h"
#include "services/deviations/report_render.h"
#include "services/grpc_status.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using services::Answer;
using services::ToGrpc;

}  // namespace

ReportsService::ReportsService(EventStore* store, const DeviationTaxonomy* taxonomy, const DeadlineRules* deadlines,
                               const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), taxonomy_(taxonomy), deadlines_(deadlines), callers_(callers), gate_(gate) {}

Result<DeviationsView> ReportsService::ViewAsOf(const v1v::AsOf& as_of, const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldDeviationsView(*store_, *at, StopWhenCallEnds(context, *at, "deviations"));
}

template <class Report, class Build, class Render>
grpc::Status ReportsService::Statistics(const char* method, grpc::ServerContext* context,
                                        const v1v::StatisticsRequest& request, Build build, Render render,
                                        Report* response) const {
  return StatisticsRpc(
      method, gate_, callers_, *context, request, [&](const v1v::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      build, render, response);
}

grpc::Status ReportsService::Avvikelser(grpc::ServerContext* context, const v1v::StatisticsRequest* request,
                                        v1v::AvvikelserReport* response) {
  return Statistics(
      "DeviationReports.Avvikelser", context, *request,
      [this](const DeviationsView& v, const CivilDate& from, const CivilDate& to) {
        return BuildAvvikelserReport(v, *taxonomy_, from, to);
      },
      &RenderAvvikelser, response);
}

grpc::Status ReportsService::LexSarah(grpc::ServerContext* context, const v1v::StatisticsRequest* request,
                                      v1v::LexSarahReport* response) {
  return Statistics("DeviationReports.LexSarah", context, *request, &BuildLexSarahReport, &RenderLexSarah, response);
}

grpc::Status ReportsService::LexMaria(grpc::ServerContext* context, const v1v::StatisticsRequest* request,
                                      v1v::LexMariaReport* response) {
  return Statistics("DeviationReports.LexMaria", context, *request, &BuildLexMariaReport, &RenderLexMaria, response);
}

grpc::Status ReportsService::Overdue(grpc::ServerContext* context, const v1v::OverdueRequest* request,
                                     v1v::OverdueResponse* response) {
  return DayListRpc(
      "DeviationReports.Overdue", gate_, callers_, *context, request->on(), request->as_of(), request->format(),
      [] { return Status::Ok(); }, [&](const v1v::AsOf& as_of) { return ViewAsOf(as_of, *context); },
      [&](const auto& view, const CivilDate& on) {
        return BuildOverdue(view, *deadlines_, on, request->unit(), request->role(), request->all());
      },
      &RenderOverdue, response);
}

grpc::Status ReportsService::StalePlans(grpc::ServerContext* context, const v1v::StalePlansRequest* request,
                                        v1v::StalePlansResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto on = DateOrToday(request->on(), "on");
  if (!on.ok()) return ToGrpc(on.status());
  if (request->has_days() && (request->days() < 1 || request->days() > 3650)) {
    return ToGrpc(Status::InvalidArgument("days must be from 1 to 3650"));
  }
  const int days = request->has_days() ? static_cast<int>(request->days()) : deadlines_->stale_plan_days();
  auto view = ViewAsOf(JudgedOn(request->on(), request->as_of()), *context);
  if (!view.ok()) return Answer("DeviationReports.StalePlans", view.status());
  *response = BuildStalePlans(*view, *on, days);
  return grpc::Status::OK;
}

}  // namespace sparbar::deviations
