#include "services/decisions/decisions_service.h"

#include "services/common/record_rpc.h"
#include "services/decisions/decider.h"

namespace sparbar::decisions {
namespace {

namespace v1d = ::sparbar::v1::decisions;

Result<Payload> StepOf(const v1d::RecordRequest& r) {
  switch (r.step_case()) {
    case v1d::RecordRequest::kApplicationReceived: return KnownStep<Payload>(&r.application_received(), "case");
    case v1d::RecordRequest::kInvestigationOpened: return KnownStep<Payload>(&r.investigation_opened(), "case");
    case v1d::RecordRequest::kDecisionMade: return KnownStep<Payload>(&r.decision_made(), "case");
    case v1d::RecordRequest::kOfferMade: return KnownStep<Payload>(&r.offer_made(), "case");
    case v1d::RecordRequest::kOfferDeclined: return KnownStep<Payload>(&r.offer_declined(), "case");
    case v1d::RecordRequest::kDelayReasonNoted: return KnownStep<Payload>(&r.delay_reason_noted(), "case");
    case v1d::RecordRequest::kExecuted: return KnownStep<Payload>(&r.executed(), "case");
    case v1d::RecordRequest::kInterrupted: return KnownStep<Payload>(&r.interrupted(), "case");
    case v1d::RecordRequest::kResumed: return KnownStep<Payload>(&r.resumed(), "case");
    case v1d::RecordRequest::kEnded: return KnownStep<Payload>(&r.ended(), "case");
    case v1d::RecordRequest::kClosedUnexecuted: return KnownStep<Payload>(&r.closed_unexecuted(), "case");
    case v1d::RecordRequest::kCorrected: return KnownStep<Payload>(&r.corrected(), "case");
    case v1d::RecordRequest::kAnnotated: return KnownStep<Payload>(&r.annotated(), "case");
    case v1d::RecordRequest::STEP_NOT_SET: break;
  }
  return KnownStep<Payload, pb::Annotated>(nullptr, "case");
}

// The decisions module as StepRecorder needs it.
struct DecisionsModule {
  using Payload = decisions::Payload;
  static constexpr std::string_view kStreamPrefix = decisions::kStreamPrefix;
  static constexpr std::string_view kContentType = decisions::kContentType;
  static constexpr std::string_view kNoun = "case";
  static constexpr std::string_view kModule = "decisions";
  const InsatsCatalogue* catalogue;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return decisions::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return decisions::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return decisions::Serialize(p); }
  CaseState Fold(const std::vector<Payload>& events) const { return decisions::Fold(events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, catalogue}; }
  Result<Payload> Decide(const CaseState& s, const Payload& p, const DecideContext& c) const {
    return decisions::Decide(s, p, c);
  }
};

}  // namespace

DecisionsService::DecisionsService(EventStore* store, const InsatsCatalogue* catalogue,
                                   const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), catalogue_(catalogue), callers_(callers), gate_(gate) {}

grpc::Status DecisionsService::Record(grpc::ServerContext* context, const v1d::RecordRequest* request,
                                      v1d::RecordResponse* response) {
  return RecordRpc<DecisionsModule, v1d::RecordRequest, v1d::RecordResponse>(
      "Decisions.Record", store_, callers_, gate_, *context, *request, request->case_id(), "case_id", StepOf,
      [this](const services::Caller&) { return DecisionsModule{catalogue_}; }, response);
}

}  // namespace sparbar::decisions
