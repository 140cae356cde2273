#include "services/incidents/incidents_service.h"

#include "services/common/record_rpc.h"
#include "services/incidents/incident.h"

namespace sparbar::incidents {
namespace {

using Request = ::sparbar::v1::incidents::RecordRequest;

// The incidents module for StepRecorder (services/common/step_recorder.h), for one caller.
struct IncidentsModule {
  using Payload = incidents::Payload;
  static constexpr std::string_view kStreamPrefix = incidents::kStreamPrefix;
  static constexpr std::string_view kContentType = incidents::kContentType;
  static constexpr std::string_view kNoun = "personal data incident";
  static constexpr std::string_view kModule = "personal data incidents";
  const IncidentRules* rules;
  std::vector<std::string> roles;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return incidents::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return incidents::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return incidents::Serialize(p); }
  IncidentState Fold(const std::vector<Payload>& events) const { return FoldWith(&incidents::Evolve, events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, roles, rules}; }
  Result<Payload> Decide(const IncidentState& s, const Payload& p, const DecideContext& c) const {
    return incidents::Decide(s, p, c);
  }
};

Result<Payload> StepOf(const Request& r) {
  constexpr const char* kWhat = "personal data incident";
  switch (r.step_case()) {
    case Request::kReported: return KnownStep<Payload>(&r.reported(), kWhat);
    case Request::kAssessed: return KnownStep<Payload>(&r.assessed(), kWhat);
    case Request::kImyNotified: return KnownStep<Payload>(&r.imy_notified(), kWhat);
    case Request::kActionTaken: return KnownStep<Payload>(&r.action_taken(), kWhat);
    case Request::kClosed: return KnownStep<Payload>(&r.closed(), kWhat);
    case Request::STEP_NOT_SET: break;
  }
  return KnownStep<Payload, pb::IncidentClosed>(nullptr, kWhat);
}

}  // namespace

IncidentsService::IncidentsService(EventStore* store, const IncidentRules* rules,
                                   const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), rules_(rules), callers_(callers), gate_(gate) {}

grpc::Status IncidentsService::Record(grpc::ServerContext* context, const Request* request,
                                      v1::incidents::RecordResponse* response) {
  return RecordRpc<IncidentsModule, Request, v1::incidents::RecordResponse>(
      "Incidents.Record", store_, callers_, gate_, *context, *request, request->incident_id(), "incident_id", StepOf,
      [this](const services::Caller& c) { return IncidentsModule{rules_, c.roles}; }, response);
}

}  // namespace sparbar::incidents
