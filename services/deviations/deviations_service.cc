#include "services/deviations/deviations_service.h"

#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/deviations/decider.h"
#include "services/grpc_status.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using services::Answer;
using services::ShuttingDown;
using services::ToGrpc;

// The step asked for, without fields this server does not know (they would
// pass unchecked into the log).
Result<Payload> StepOf(const v1v::RecordRequest& r) {
  Result<Payload> step = Status::InvalidArgument("step is required: one of the deviation's events");
  switch (r.step_case()) {
    case v1v::RecordRequest::kReported: step = Payload(r.reported()); break;
    case v1v::RecordRequest::kClosedAsNotDeviation: step = Payload(r.closed_as_not_deviation()); break;
    case v1v::RecordRequest::kRootCausesDocumented: step = Payload(r.root_causes_documented()); break;
    case v1v::RecordRequest::kActionTaken: step = Payload(r.action_taken()); break;
    case v1v::RecordRequest::kFollowedUp: step = Payload(r.followed_up()); break;
    case v1v::RecordRequest::kClosed: step = Payload(r.closed()); break;
    case v1v::RecordRequest::kLinkedToCase: step = Payload(r.linked_to_case()); break;
    case v1v::RecordRequest::STEP_NOT_SET: break;
  }
  if (step.ok()) std::visit([](auto& m) { m.DiscardUnknownFields(); }, step.value());
  return step;
}

// The deviations module as StepRecorder needs it.
struct DeviationsModule {
  using Payload = deviations::Payload;
  static constexpr std::string_view kStreamPrefix = deviations::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "deviation";
  static constexpr std::string_view kModule = "deviations";
  const DeviationTaxonomy* taxonomy;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return deviations::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return deviations::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return deviations::Serialize(p); }
  DeviationState Fold(const std::vector<Payload>& events) const { return deviations::Fold(events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, taxonomy}; }
  Result<Payload> Decide(const DeviationState& s, const Payload& p, const DecideContext& c) const {
    return deviations::Decide(s, p, c);
  }
};

}  // namespace

DeviationsService::DeviationsService(EventStore* store, const DeviationTaxonomy* taxonomy,
                                     const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), taxonomy_(taxonomy), callers_(callers), gate_(gate) {}

grpc::Status DeviationsService::Record(grpc::ServerContext* context, const v1v::RecordRequest* request,
                                       v1v::RecordResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (Status s = ValidateStreamId(request->deviation_id(), "deviation_id"); !s.ok()) return ToGrpc(s);
  auto step = StepOf(*request);
  if (!step.ok()) return ToGrpc(step.status());
  const DeviationsModule module{taxonomy_};
  std::optional<uint64_t> expected;
  if (request->has_expected_revision()) expected.emplace(request->expected_revision());
  auto recorded = StepRecorder<DeviationsModule>(store_, &module)
                      .Record(request->deviation_id(), request->event_id(), expected, *step, caller->actor,
                              services::SteadyDeadline(*context));
  if (!recorded.ok()) return Answer("Deviations.Record", recorded.status());
  response->set_position(recorded->position);
  response->set_revision(recorded->revision);
  response->set_duplicate(recorded->duplicate);
  return grpc::Status::OK;
}

}  // namespace sparbar::deviations
