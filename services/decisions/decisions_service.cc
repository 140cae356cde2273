#include "services/decisions/decisions_service.h"

#include "services/decisions/case_facts_projection.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/decisions/decider.h"
#include "services/grpc_status.h"

namespace sparbar::decisions {
namespace {

namespace v1d = ::sparbar::v1::decisions;
using services::Answer;
using services::ShuttingDown;
using services::ToGrpc;

// The step asked for, without fields this server does not know (they would
// pass unchecked into the log and the read model).
Result<Payload> StepOf(const v1d::RecordRequest& r);

Result<Payload> KnownStepOf(const v1d::RecordRequest& r) {
  auto step = StepOf(r);
  if (step.ok()) std::visit([](auto& m) { m.DiscardUnknownFields(); }, step.value());
  return step;
}

Result<Payload> StepOf(const v1d::RecordRequest& r) {
  switch (r.step_case()) {
    case v1d::RecordRequest::kApplicationReceived: return Payload(r.application_received());
    case v1d::RecordRequest::kInvestigationOpened: return Payload(r.investigation_opened());
    case v1d::RecordRequest::kDecisionMade: return Payload(r.decision_made());
    case v1d::RecordRequest::kOfferMade: return Payload(r.offer_made());
    case v1d::RecordRequest::kOfferDeclined: return Payload(r.offer_declined());
    case v1d::RecordRequest::kDelayReasonNoted: return Payload(r.delay_reason_noted());
    case v1d::RecordRequest::kExecuted: return Payload(r.executed());
    case v1d::RecordRequest::kInterrupted: return Payload(r.interrupted());
    case v1d::RecordRequest::kResumed: return Payload(r.resumed());
    case v1d::RecordRequest::kEnded: return Payload(r.ended());
    case v1d::RecordRequest::kClosedUnexecuted: return Payload(r.closed_unexecuted());
    case v1d::RecordRequest::kCorrected: return Payload(r.corrected());
    case v1d::RecordRequest::kAnnotated: return Payload(r.annotated());
    case v1d::RecordRequest::STEP_NOT_SET: break;
  }
  return Status::InvalidArgument("step is required: one of the case's events");
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
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (Status s = ValidateStreamId(request->case_id(), "case_id"); !s.ok()) return ToGrpc(s);
  auto step = KnownStepOf(*request);
  if (!step.ok()) return ToGrpc(step.status());
  const DecisionsModule module{catalogue_};
  std::optional<uint64_t> expected;
  if (request->has_expected_revision()) expected.emplace(request->expected_revision());
  auto recorded = StepRecorder<DecisionsModule>(store_, &module)
                      .Record(request->case_id(), request->event_id(), expected, *step, caller->actor,
                              services::SteadyDeadline(*context));
  if (!recorded.ok()) return Answer("Decisions.Record", recorded.status());
  response->set_position(recorded->position);
  response->set_revision(recorded->revision);
  response->set_duplicate(recorded->duplicate);
  return grpc::Status::OK;
}

}  // namespace sparbar::decisions
