#include "services/complaints/complaints_service.h"

#include "services/common/record_rpc.h"
#include "services/complaints/case.h"
#include "services/deviations/payload.h"

namespace sparbar::complaints {
namespace {

using Request = ::sparbar::v1::complaints::RecordRequest;

// Ok when `stream` holds a reported deviation; FailedPrecondition when it
// does not (yet).
Status CheckDeviation(EventStore* store, const std::string& stream) {
  ReadStreamOptions o;
  o.max_count = 1;
  auto page = store->ReadStream(stream, o);
  if (!page.ok() && page.status().code() != Code::kNotFound) return page.status();
  if (!page.ok() || page->events.empty() ||
      page->events.front().type != deviations::pb::DeviationReported::descriptor()->full_name()) {
    return Status::FailedPrecondition("deviation_stream " + stream +
                                      " holds no reported deviation; report the deviation first");
  }
  return Status::Ok();
}

// The complaints module for StepRecorder (services/common/step_recorder.h).
struct ComplaintsModule {
  using Payload = complaints::Payload;
  static constexpr std::string_view kStreamPrefix = complaints::kStreamPrefix;
  static constexpr std::string_view kContentType = complaints::kContentType;
  static constexpr std::string_view kNoun = "complaint case";
  static constexpr std::string_view kModule = "complaints";
  EventStore* store;
  const ComplaintRules* rules;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return complaints::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return complaints::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return complaints::Serialize(p); }
  ComplaintState Fold(const std::vector<Payload>& events) const { return FoldWith(&complaints::Evolve, events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, rules}; }
  Result<Payload> Decide(const ComplaintState& s, const Payload& p, const DecideContext& c) const {
    auto decided = complaints::Decide(s, p, c);
    const auto* converted = decided.ok() ? std::get_if<pb::ConvertedToDeviation>(&*decided) : nullptr;
    if (converted == nullptr) return decided;
    if (Status s = CheckDeviation(store, converted->deviation_stream()); !s.ok()) return s;
    return decided;
  }
};

Result<Payload> StepOf(const Request& r) {
  constexpr const char* kWhat = "complaint case";
  switch (r.step_case()) {
    case Request::kReceived: return KnownStep<Payload>(&r.received(), kWhat);
    case Request::kAssigned: return KnownStep<Payload>(&r.assigned(), kWhat);
    case Request::kInvestigationExtended: return KnownStep<Payload>(&r.investigation_extended(), kWhat);
    case Request::kAnswered: return KnownStep<Payload>(&r.answered(), kWhat);
    case Request::kActionRecorded: return KnownStep<Payload>(&r.action_recorded(), kWhat);
    case Request::kConvertedToDeviation: return KnownStep<Payload>(&r.converted_to_deviation(), kWhat);
    case Request::kReminderSent: return KnownStep<Payload>(&r.reminder_sent(), kWhat);
    case Request::kClosed: return KnownStep<Payload>(&r.closed(), kWhat);
    case Request::STEP_NOT_SET: break;
  }
  return KnownStep<Payload, pb::ComplaintClosed>(nullptr, kWhat);
}

}  // namespace

ComplaintsService::ComplaintsService(EventStore* store, const ComplaintRules* rules,
                                     const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

grpc::Status ComplaintsService::Record(grpc::ServerContext* context, const Request* request,
                                       v1::complaints::RecordResponse* response) {
  return RecordRpc<ComplaintsModule, Request, v1::complaints::RecordResponse>(
      "Complaints.Record", store_, callers_, gate_, *context, *request, request->case_id(), "case_id", StepOf,
      [this](const services::Caller&) { return ComplaintsModule{store_, rules_}; }, response);
}

}  // namespace sparbar::complaints
