#include "services/delegation/reports_service.h"

#include "services/common/personal_identity.h"
#include "services/common/report_request.h"
#include "services/common/statistics_rpc.h"
#include "services/delegation/report.h"
#include "services/delegation/report_render.h"
#include "services/grpc_status.h"

namespace sparbar::delegation {

namespace v = ::sparbar::v1::delegation;

ReportsService::ReportsService(EventStore* store, const committee::CommitteeRules* rules,
                               const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

Result<DelegationView> ReportsService::ViewAsOf(const v1::deviations::AsOf& as_of,
                                                const grpc::ServerContext& context) const {
  auto at = PositionAsOf(*store_, as_of);
  if (!at.ok()) return at.status();
  return FoldDelegationView(*store_, *at, StopWhenCallEnds(context, *at, "delegation orders and decisions"));
}

grpc::Status ReportsService::OrderInForce(grpc::ServerContext* context, const v::OrderInForceRequest* request,
                                          v::OrderInForceResponse* response) {
  constexpr const char* kMethod = "DelegationReports.OrderInForce";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  if (Status s = ValidateStreamId(request->order_id(), "order_id"); !s.ok()) return services::ToGrpc(s);
  auto on = DateOrToday(request->on(), "on");
  if (!on.ok()) return services::ToGrpc(on.status());
  if (!v1::decisions::ReportFormat_IsValid(request->format())) {
    return services::ToGrpc(Status::InvalidArgument("format is not a known report format"));
  }
  auto view = ViewAsOf(request->as_of(), *context);
  if (!view.ok()) return services::Answer(kMethod, view.status());
  auto report = BuildOrderInForce(*view, request->order_id(), *on);
  if (!report.ok()) return services::Answer(kMethod, report.status());
  return AnswerReport(kMethod, std::move(report.value()), request->format(), &RenderOrder, response);
}

grpc::Status ReportsService::Decisions(grpc::ServerContext* context, const v::DecisionsRequest* request,
                                       v::DecisionsReport* response) {
  return StatisticsRpc(
      "DelegationReports.Decisions", gate_, callers_, *context, request->period(),
      [&](const v1::deviations::AsOf& as_of) -> Result<DelegationView> {
        if (!request->order_id().empty()) {
          if (Status s = ValidateStreamId(request->order_id(), "order_id"); !s.ok()) return s;
        }
        return ViewAsOf(as_of, *context);
      },
      [&](const DelegationView& view, const CivilDate& from, const CivilDate& to) {
        return BuildDecisions(view, *rules_, from, to, request->unreported_only(), request->order_id());
      },
      &RenderDecisions, response);
}

}  // namespace sparbar::delegation
