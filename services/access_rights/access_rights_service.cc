#include "services/access_rights/access_rights_service.h"

#include "services/access_rights/right.h"
#include "services/access_rights/statistics.h"
#include "services/access_rights/view.h"
#include "services/common/record_rpc.h"
#include "services/common/report_request.h"

namespace sparbar::access_rights {
namespace {

using Request = ::sparbar::v1::accessrights::RecordRequest;
using services::ToGrpc;

// The access rights module for StepRecorder (services/common/step_recorder.h), for one caller.
struct AccessRightsModule {
  using Payload = access_rights::Payload;
  static constexpr std::string_view kStreamPrefix = access_rights::kStreamPrefix;
  static constexpr std::string_view kContentType = access_rights::kContentType;
  static constexpr std::string_view kNoun = "access right";
  static constexpr std::string_view kModule = "access rights";
  const AccessRightRules* rules;
  services::Caller caller;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const {
    return access_rights::Parse(type, bytes);
  }
  std::string TypeOf(const Payload& p) const { return access_rights::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return access_rights::Serialize(p); }
  RightState Fold(const std::vector<Payload>& events) const { return FoldWith(&access_rights::Evolve, events); }
  DecideContext ContextOn(const CivilDate& today) const {
    return DecideContext{today, caller.actor, caller.roles, rules};
  }
  Result<Payload> Decide(const RightState& s, const Payload& p, const DecideContext& c) const {
    return access_rights::Decide(s, p, c);
  }
};

Result<Payload> StepOf(const Request& r) {
  constexpr const char* kWhat = "access right";
  switch (r.step_case()) {
    case Request::kOrdered:
      return KnownStep<Payload>(&r.ordered(), kWhat);
    case Request::kGranted:
      return KnownStep<Payload>(&r.granted(), kWhat);
    case Request::kReviewed:
      return KnownStep<Payload>(&r.reviewed(), kWhat);
    case Request::kNarrowingOrdered:
      return KnownStep<Payload>(&r.narrowing_ordered(), kWhat);
    case Request::kNarrowed:
      return KnownStep<Payload>(&r.narrowed(), kWhat);
    case Request::kRemovalOrdered:
      return KnownStep<Payload>(&r.removal_ordered(), kWhat);
    case Request::kRemoved:
      return KnownStep<Payload>(&r.removed(), kWhat);
    case Request::STEP_NOT_SET:
      break;
  }
  return KnownStep<Payload, pb::RightRemoved>(nullptr, kWhat);
}

}  // namespace

AccessRightsService::AccessRightsService(EventStore* store, const AccessRightRules* rules,
                                         const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

grpc::Status AccessRightsService::Record(grpc::ServerContext* context, const Request* request,
                                         v1::accessrights::RecordResponse* response) {
  return RecordRpc<AccessRightsModule, Request, v1::accessrights::RecordResponse>(
      "AccessRights.Record", store_, callers_, gate_, *context, *request, request->right_id(), "right_id", StepOf,
      [this](const services::Caller& c) {
        return AccessRightsModule{rules_, c};
      },
      response);
}

grpc::Status AccessRightsService::InForce(grpc::ServerContext* context, const v1::accessrights::InForceRequest* request,
                                          v1::accessrights::InForceResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  TimestampMicros at = NowMicros();
  if (request->has_at()) {
    if (!ValidInstant(request->at())) return ToGrpc(Status::InvalidArgument("at is not a valid instant after 1970"));
    at = MicrosOf(request->at());
  }
  auto position = PositionAsOf(*store_, request->as_of());
  if (!position.ok()) return services::Answer("AccessRights.InForce", position.status());
  auto view = FoldAccessRightsView(*store_, *position, StopWhenCallEnds(*context, *position, "access rights"));
  if (!view.ok()) return services::Answer("AccessRights.InForce", view.status());
  *response = RightsInForce(*view, *rules_, at, request->user(), request->system(), request->unit());
  return grpc::Status::OK;
}

}  // namespace sparbar::access_rights
