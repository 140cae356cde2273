#include "services/committee/committee_service.h"

#include "services/committee/meeting.h"
#include "services/common/record_rpc.h"

namespace sparbar::committee {
namespace {

using Request = ::sparbar::v1::committee::RecordRequest;

// The committee module for StepRecorder (services/common/step_recorder.h).
struct CommitteeModule {
  using Payload = committee::Payload;
  static constexpr std::string_view kStreamPrefix = committee::kStreamPrefix;
  static constexpr std::string_view kContentType = committee::kContentType;
  static constexpr std::string_view kNoun = "committee meeting";
  static constexpr std::string_view kModule = "committee";
  const CommitteeRules* rules;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return committee::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return committee::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return committee::Serialize(p); }
  MeetingState Fold(const std::vector<Payload>& events) const { return FoldWith(&committee::Evolve, events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, rules}; }
  Result<Payload> Decide(const MeetingState& s, const Payload& p, const DecideContext& c) const {
    return committee::Decide(s, p, c);
  }
};

Result<Payload> StepOf(const Request& r) {
  constexpr const char* kWhat = "committee meeting";
  switch (r.step_case()) {
    case Request::kHeld:
      return KnownStep<Payload>(&r.held(), kWhat);
    case Request::kParagraph:
      return KnownStep<Payload>(&r.paragraph(), kWhat);
    case Request::kReservation:
      return KnownStep<Payload>(&r.reservation(), kWhat);
    case Request::kParagraphAttested:
      return KnownStep<Payload>(&r.paragraph_attested(), kWhat);
    case Request::kProtocolAttested:
      return KnownStep<Payload>(&r.protocol_attested(), kWhat);
    case Request::kNoticePosted:
      return KnownStep<Payload>(&r.notice_posted(), kWhat);
    case Request::STEP_NOT_SET:
      break;
  }
  return KnownStep<Payload, pb::NoticePosted>(nullptr, kWhat);
}

}  // namespace

CommitteeService::CommitteeService(EventStore* store, const CommitteeRules* rules,
                                   const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

grpc::Status CommitteeService::Record(grpc::ServerContext* context, const Request* request,
                                      v1::committee::RecordResponse* response) {
  return RecordRpc<CommitteeModule, Request, v1::committee::RecordResponse>(
      "Committee.Record", store_, callers_, gate_, *context, *request, request->meeting_id(), "meeting_id", StepOf,
      [this](const services::Caller&) { return CommitteeModule{rules_}; }, response);
}

}  // namespace sparbar::committee
