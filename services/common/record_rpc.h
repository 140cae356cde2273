// The one way a module's Record method answers over gRPC: authenticate,
// validate the stream id, take the step from the request's oneof, record it
// with StepRecorder (step_recorder.h), fill the response (position,
// revision, duplicate), after `after` (when given) has done what the step
// entails in other streams. A step the module refuses to the caller's role
// (PERMISSION_DENIED) is recorded as a refused call (authz/call_log.h). Used by Decisions.Record, the
// Deviations.Record* methods, Complaints.Record and Incidents.Record.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "services/authz/call_log.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/grpc_status.h"

namespace sparbar {

// The step of a request's oneof, without fields this server does not know
// (they would pass unchecked into the log); InvalidArgument when none is set.
template <class Payload, class Message>
Result<Payload> KnownStep(const Message* step, const char* what) {
  if (step == nullptr) return Status::InvalidArgument(std::string("step is required: one of the ") + what + "'s events");
  Payload p(*step);
  std::visit([](auto& m) { m.DiscardUnknownFields(); }, p);
  return p;
}

// Records `step` on the stream `M::kStreamPrefix + id` with the module that
// `make_module` builds for the resolved caller, and answers the call. `after`
// runs once the step is recorded (also when it was a duplicate); the step is
// written by then, so `after` cannot fail the call: it must be idempotent,
// and deal with (log) its own failures so that a later call completes it.
template <class M, class Request, class Response>
grpc::Status RecordRpc(const char* method, EventStore* store, const services::CallerResolver* callers,
                       services::CallGate* gate, grpc::ServerContext& context, const Request& request,
                       const std::string& id, const char* id_field,
                       const std::function<Result<typename M::Payload>(const Request&)>& step_of,
                       const std::function<M(const services::Caller&)>& make_module,
                       Response* response,
                       const std::function<void(const services::Caller&, const M&, const typename M::Payload&,
                                                const std::string& stream)>& after = nullptr) {
  const services::CallGate::Pass pass = gate->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers->Resolve(context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  if (Status s = ValidateStreamId(id, id_field); !s.ok()) return services::ToGrpc(s);
  auto step = step_of(request);
  if (!step.ok()) return services::ToGrpc(step.status());
  const M module = make_module(*caller);
  std::optional<uint64_t> expected;
  if (request.has_expected_revision()) expected.emplace(request.expected_revision());
  auto recorded = StepRecorder<M>(store, &module)
                      .Record(id, request.event_id(), expected, *step, caller->actor,
                              services::SteadyDeadline(context));
  if (!recorded.ok()) {
    // A refusal by the module's own rules (the role that may decide) is recorded as one.
    if (recorded.status().code() == Code::kPermissionDenied) {
      return services::ToGrpc(
          services::RefuseCall(*store, *caller, recorded.status().message(), services::SteadyDeadline(context)));
    }
    return services::Answer(method, recorded.status());
  }
  if (after) after(*caller, module, *step, std::string(M::kStreamPrefix) + id);
  response->set_position(recorded->position);
  response->set_revision(recorded->revision);
  response->set_duplicate(recorded->duplicate);
  return grpc::Status::OK;
}

}  // namespace sparbar
