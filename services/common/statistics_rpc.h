// The one way a module's statistics method answers (DeviationReports,
// ComplaintReports, IncidentReports, AccessRightReports, CommitteeReports):
// pass the call gate, resolve the caller, check the format and the period
// (report_request.h), fold the module's state as of the request, build the
// report and, when a format is asked for, render its document. DayListRpc
// does the same for a module's list of what is due on a day. Nothing is
// written; bad input is INVALID_ARGUMENT naming the field.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>

#include "services/call_gate.h"
#include "services/caller.h"
#include "services/common/civil_date.h"
#include "services/common/report_request.h"
#include "services/grpc_status.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar {

// Answers with `report`, its document rendered first by `render(report,
// format)` when a format is asked for (every report method's last step).
template <class Report, class Render>
grpc::Status AnswerReport(const char* method, Report report, v1::decisions::ReportFormat format, Render render,
                          Report* response) {
  if (format != v1::decisions::REPORT_FORMAT_UNSPECIFIED) {
    auto document = render(report, format);
    if (!document.ok()) return services::Answer(method, document.status());
    report.set_document(std::move(document.value()));
  }
  *response = std::move(report);
  return grpc::Status::OK;
}

// `view_as_of(as_of)` gives the module's state (a Result); `build(view, from,
// to)` the report; `render(report, format)` its document (a Result).
template <class Report, class ViewAsOf, class Build, class Render>
grpc::Status StatisticsRpc(const char* method, services::CallGate* gate, const services::CallerResolver* callers,
                           const grpc::ServerContext& context, const v1::deviations::StatisticsRequest& request,
                           ViewAsOf view_as_of, Build build, Render render, Report* response) {
  const services::CallGate::Pass pass = gate->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers->Resolve(context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  if (!v1::decisions::ReportFormat_IsValid(request.format())) {
    return services::ToGrpc(Status::InvalidArgument("format is not a known report format"));
  }
  auto period = PeriodOf(request);
  if (!period.ok()) return services::ToGrpc(period.status());
  auto view = view_as_of(request.as_of());
  if (!view.ok()) return services::Answer(method, view.status());
  return AnswerReport<Report>(method, build(*view, period->first, period->second), request.format(), render,
                              response);
}

// A list of what is due on a day (DeviationReports.Overdue,
// ComplaintReports.Reminders, AccessRightReports.Due, CommitteeReports.Due):
// the day `on_text` (today in Sweden when empty), then `check()` of the
// request's own fields (a Status), then the format (CSV, JSON or none); the
// module's state `view_as_of(as_of)` as the log knew it at the end of a past
// day unless `as_of` names another state (JudgedOn); `build(view, on)` and
// `render(report, format)`.
template <class Report, class Check, class ViewAsOf, class Build, class Render>
grpc::Status DayListRpc(const char* method, services::CallGate* gate, const services::CallerResolver* callers,
                        const grpc::ServerContext& context, const std::string& on_text,
                        const v1::deviations::AsOf& as_of, v1::decisions::ReportFormat format, Check check,
                        ViewAsOf view_as_of, Build build, Render render, Report* response) {
  const services::CallGate::Pass pass = gate->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers->Resolve(context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto on = DateOrToday(on_text, "on");
  if (!on.ok()) return services::ToGrpc(on.status());
  if (Status s = check(); !s.ok()) return services::ToGrpc(s);
  if (format == v1::decisions::REPORT_FORMAT_HTML || !v1::decisions::ReportFormat_IsValid(format)) {
    return services::ToGrpc(Status::InvalidArgument("format must be CSV or JSON (or none)"));
  }
  auto view = view_as_of(JudgedOn(on_text, as_of));
  if (!view.ok()) return services::Answer(method, view.status());
  return AnswerReport<Report>(method, build(*view, *on), format, render, response);
}

}  // namespace sparbar
