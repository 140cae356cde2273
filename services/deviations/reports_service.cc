#include "services/deviations/reports_service.h"

#include <utility>

#include "projections/runner.h"
#include "services/common/swedish_time.h"
#include "services/deviations/report_build.h"
#include "services/deviations/report_render.h"
#include "services/grpc_status.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using services::Answer;
using services::ToGrpc;

// The period of a statistics request: a calendar year, or from and to.
Result<std::pair<CivilDate, CivilDate>> PeriodOf(const v1v::StatisticsRequest& r) {
  const bool range = !r.from().empty() || !r.to().empty();
  if (r.year() != 0 && range) return Status::InvalidArgument("give year, or from and to, not both");
  if (r.year() != 0) {
    if (r.year() < 1800 || r.year() > 2999) return Status::InvalidArgument("year must be from 1800 to 2999");
    const int y = static_cast<int>(r.year());
    return std::pair{CivilDate{y, 1, 1}, CivilDate{y, 12, 31}};
  }
  if (!range) return Status::InvalidArgument("year is required (or from and to, YYYY-MM-DD)");
  auto from = CivilDate::Parse(r.from(), "from");
  if (!from.ok()) return from.status();
  auto to = CivilDate::Parse(r.to(), "to");
  if (!to.ok()) return to.status();
  if (*to < *from) return Status::InvalidArgument("to must not be before from");
  return std::pair{*from, *to};
}

// A date of a request, or today in Sweden when empty.
Result<CivilDate> DateOrToday(const std::string& text, const char* field) {
  if (text.empty()) return StockholmDate(NowMicros());
  return CivilDate::Parse(text, field);
}

// A judgement on a past day `on` is made on what the log knew at its end,
// unless the request names another state: what was done later is not seen
// as done then.
v1v::AsOf JudgedOn(const std::string& on, v1v::AsOf as_of) {
  if (!on.empty() && !as_of.has_position() && as_of.known_at().empty()) as_of.set_known_at(on);
  return as_of;
}

}  // namespace

ReportsService::ReportsService(EventStore* store, const DeviationTaxonomy* taxonomy, const DeadlineRules* deadlines,
                               const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), taxonomy_(taxonomy), deadlines_(deadlines), callers_(callers), gate_(gate) {}

Result<DeviationsView> ReportsService::ViewAsOf(const v1v::AsOf& as_of, const grpc::ServerContext& context) const {
  const uint64_t size = store_->Size();
  uint64_t position = size;
  if (as_of.has_position() && !as_of.known_at().empty()) {
    return Status::InvalidArgument("as_of: give position or known_at, not both");
  }
  if (as_of.has_position()) {
    if (as_of.position() > size) {
      return Status::OutOfRange("as_of.position " + std::to_string(as_of.position()) + " is beyond the log, which has " +
                                std::to_string(size) + " events");
    }
    position = as_of.position();
  } else if (!as_of.known_at().empty()) {
    auto day = CivilDate::Parse(as_of.known_at(), "as_of.known_at");
    if (!day.ok()) return day.status();
    auto at = projections::PositionAtRecordedTime(*store_, EndOfStockholmDay(*day));
    if (!at.ok()) return at.status();
    position = *at;
  }
  return FoldDeviationsView(*store_, position, [&context, position]() -> Status {
    if (!context.IsCancelled()) return Status::Ok();
    return Status::DeadlineExceeded("the call ended (its deadline passed, or it was cancelled) while the deviations "
                                    "were being read from the log up to position " + std::to_string(position) +
                                    "; give the call a longer deadline");
  });
}

template <class Report, class Build, class Render>
grpc::Status ReportsService::Statistics(const char* method, grpc::ServerContext* context,
                                        const v1v::StatisticsRequest& request, Build build, Render render,
                                        Report* response) const {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (!v1::decisions::ReportFormat_IsValid(request.format())) {
    return ToGrpc(Status::InvalidArgument("format is not a known report format"));
  }
  auto period = PeriodOf(request);
  if (!period.ok()) return ToGrpc(period.status());
  auto view = ViewAsOf(request.as_of(), *context);
  if (!view.ok()) return Answer(method, view.status());
  Report report = build(*view, period->first, period->second);
  if (request.format() != v1::decisions::REPORT_FORMAT_UNSPECIFIED) {
    auto document = render(report, request.format());
    if (!document.ok()) return Answer(method, document.status());
    report.set_document(std::move(document.value()));
  }
  *response = std::move(report);
  return grpc::Status::OK;
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
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto on = DateOrToday(request->on(), "on");
  if (!on.ok()) return ToGrpc(on.status());
  const auto format = request->format();
  if (format == v1::decisions::REPORT_FORMAT_HTML || !v1::decisions::ReportFormat_IsValid(format)) {
    return ToGrpc(Status::InvalidArgument("format must be CSV or JSON (or none)"));
  }
  auto view = ViewAsOf(JudgedOn(request->on(), request->as_of()), *context);
  if (!view.ok()) return Answer("DeviationReports.Overdue", view.status());
  v1v::OverdueResponse report = BuildOverdue(*view, *deadlines_, *on, request->unit(), request->role(), request->all());
  if (format != v1::decisions::REPORT_FORMAT_UNSPECIFIED) {
    auto document = RenderOverdue(report, format);
    if (!document.ok()) return Answer("DeviationReports.Overdue", document.status());
    report.set_document(std::move(document.value()));
  }
  *response = std::move(report);
  return grpc::Status::OK;
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
