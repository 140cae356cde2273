// Deviations.RecordLexSarah (deviations_service.h).
#include "services/deviations/deviations_service.h"
#include "services/common/record_rpc.h"
#include "services/deviations/modules.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using Request = v1v::RecordLexSarahRequest;

Result<lexsarah::Payload> StepOf(const Request& r) {
  using P = lexsarah::Payload;
  switch (r.step_case()) {
    case Request::kReported: return KnownStep<P>(&r.reported(), "lex Sarah report");
    case Request::kSeverityDecided: return KnownStep<P>(&r.severity_decided(), "lex Sarah report");
    case Request::kIvoNotified: return KnownStep<P>(&r.ivo_notified(), "lex Sarah report");
    case Request::kFollowUpOpened: return KnownStep<P>(&r.follow_up_opened(), "lex Sarah report");
    case Request::kClosed: return KnownStep<P>(&r.closed(), "lex Sarah report");
    case Request::STEP_NOT_SET: break;
  }
  return KnownStep<P, lexsarah::pb::LexSarahClosed>(nullptr, "lex Sarah report");
}

}  // namespace

grpc::Status DeviationsService::RecordLexSarah(grpc::ServerContext* context, const Request* request,
                                               v1v::RecordResponse* response) {
  return RecordRpc<LexSarahModule, Request, v1v::RecordResponse>(
      "Deviations.RecordLexSarah", store_, callers_, gate_, *context, *request, request->report_id(), "report_id",
      StepOf, [this](const services::Caller& c) { return LexSarahModule{store_, taxonomy_, c.roles}; }, response,
      [this, context](const services::Caller& caller, const LexSarahModule& module, const lexsarah::Payload&,
                      const std::string& stream) {
        LinkBack<LexSarahModule, lexsarah::pb::LexSarahReported>(
            "Deviations.RecordLexSarah", store_, taxonomy_, pb::LINK_KIND_LEX_SARAH, module, stream, caller.actor,
            services::SteadyDeadline(*context),
            [](const lexsarah::pb::LexSarahReported& r) { return r.reported_date(); });
      });
}

}  // namespace sparbar::deviations
