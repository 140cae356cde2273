// Deviations.RecordLexMaria (deviations_service.h).
#include "services/deviations/deviations_service.h"
#include "services/common/record_rpc.h"
#include "services/deviations/modules.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using Request = v1v::RecordLexMariaRequest;

Result<lexmaria::Payload> StepOf(const Request& r) {
  using P = lexmaria::Payload;
  switch (r.step_case()) {
    case Request::kOpened: return KnownStep<P>(&r.opened(), "lex Maria case");
    case Request::kInvestigationStarted: return KnownStep<P>(&r.investigation_started(), "lex Maria case");
    case Request::kInvestigationCompleted: return KnownStep<P>(&r.investigation_completed(), "lex Maria case");
    case Request::kReportedToIvo: return KnownStep<P>(&r.reported_to_ivo(), "lex Maria case");
    case Request::kNotReported: return KnownStep<P>(&r.not_reported(), "lex Maria case");
    case Request::kFollowUpOpened: return KnownStep<P>(&r.follow_up_opened(), "lex Maria case");
    case Request::kClosed: return KnownStep<P>(&r.closed(), "lex Maria case");
    case Request::STEP_NOT_SET: break;
  }
  return KnownStep<P, lexmaria::pb::LexMariaClosed>(nullptr, "lex Maria case");
}

}  // namespace

grpc::Status DeviationsService::RecordLexMaria(grpc::ServerContext* context, const Request* request,
                                               v1v::RecordResponse* response) {
  return RecordRpc<LexMariaModule, Request, v1v::RecordResponse>(
      "Deviations.RecordLexMaria", store_, callers_, gate_, *context, *request, request->case_id(), "case_id", StepOf,
      [this](const services::Caller& c) { return LexMariaModule{store_, taxonomy_, c.roles}; }, response,
      [this, context](const services::Caller& caller, const LexMariaModule& module, const lexmaria::Payload&,
                      const std::string& stream) {
        LinkBack<LexMariaModule, lexmaria::pb::LexMariaOpened>(
            "Deviations.RecordLexMaria", store_, taxonomy_, pb::LINK_KIND_LEX_MARIA, module, stream, caller.actor,
            services::SteadyDeadline(*context), [](const lexmaria::pb::LexMariaOpened& o) { return o.opened_date(); });
      });
}

}  // namespace sparbar::deviations
