#include "services/statements/statements_service.h"

#include "services/committee/paragraph_ref.h"
#include "services/common/record_rpc.h"
#include "services/statements/request.h"

namespace sparbar::statements {
namespace {

using Request = ::sparbar::v1::statements::RecordRequest;

// The statements module for StepRecorder (services/common/step_recorder.h).
struct StatementsModule {
  using Payload = statements::Payload;
  static constexpr std::string_view kStreamPrefix = statements::kStreamPrefix;
  static constexpr std::string_view kContentType = statements::kContentType;
  static constexpr std::string_view kNoun = "request for a statement";
  static constexpr std::string_view kModule = "statements";
  EventStore* store;
  const committee::CommitteeRules* rules;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return statements::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return statements::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return statements::Serialize(p); }
  RequestState Fold(const std::vector<Payload>& events) const { return FoldWith(&statements::Evolve, events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, rules, std::nullopt}; }
  Result<Payload> Decide(const RequestState& s, const Payload& p, DecideContext c) const {
    const ::sparbar::v1::delegation::CommitteeParagraph* ref = nullptr;
    const char* field = nullptr;
    if (const auto* sent = std::get_if<pb::StatementSent>(&p); sent && s.Awaiting()) {
      ref = &sent->adopted_in();
      field = "adopted_in";
    } else if (const auto* reported = std::get_if<pb::RequestReported>(&p); reported && s.Requested() && !s.reported) {
      ref = &reported->reported_in();
      field = "reported_in";
    }
    if (ref != nullptr && committee::Given(*ref)) {
      auto checked = committee::CheckParagraph(*store, *ref, field);
      if (!checked.ok()) return checked.status();
      c.meeting_date = checked->meeting_date;
    }
    return statements::Decide(s, p, c);
  }
};

Result<Payload> StepOf(const Request& r) {
  constexpr const char* kWhat = "request for a statement";
  switch (r.step_case()) {
    case Request::kRequested:
      return KnownStep<Payload>(&r.requested(), kWhat);
    case Request::kExtended:
      return KnownStep<Payload>(&r.extended(), kWhat);
    case Request::kSent:
      return KnownStep<Payload>(&r.sent(), kWhat);
    case Request::kReported:
      return KnownStep<Payload>(&r.reported(), kWhat);
    case Request::kClosed:
      return KnownStep<Payload>(&r.closed(), kWhat);
    case Request::STEP_NOT_SET:
      break;
  }
  return KnownStep<Payload, pb::RequestClosed>(nullptr, kWhat);
}

}  // namespace

StatementsService::StatementsService(EventStore* store, const committee::CommitteeRules* rules,
                                     const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

grpc::Status StatementsService::Record(grpc::ServerContext* context, const Request* request,
                                       v1::statements::RecordResponse* response) {
  return RecordRpc<StatementsModule, Request, v1::statements::RecordResponse>(
      "Statements.Record", store_, callers_, gate_, *context, *request, request->request_id(), "request_id", StepOf,
      [this](const services::Caller&) { return StatementsModule{store_, rules_}; }, response);
}

}  // namespace sparbar::statements
