// EventStoreService: the sparbar.v1.EventStore gRPC service over an EventStore.
//
// Thin: resolve the caller (UNAUTHENTICATED before anything else; the
// access policy and the scope of ReadAll and Subscribe come with it,
// authorizing_resolver.h), convert the request, call the store, convert the
// answer. ReadStream of a decisions case ("beslut-…") is a read of its
// person's records: the person is admitted and the access recorded first
// (person_access.h); any other stream's read is recorded with its scope. Every appended event records the
// resolved caller's actor. A page of ReadStream/ReadAll holds max_count events
// (0 means 100, capped at 1000) but is cut short, with a continuation, when it
// would grow beyond `max_response_bytes`; so is a Subscribe batch.
//
// Every call holds a pass from `gate` (call_gate.h): once the gate is stopped
// new calls are UNAVAILABLE and running Subscribes end promptly (within one
// 200 ms poll) with OK. `store`, `callers` and `gate` must outlive the
// service. Never logs stream names, payloads or actors.
#pragma once

#include <cstddef>

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/authz/person_access.h"
#include "services/caller.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::services {

// Append and AppendStream use gRPC's callback API: the handler queues the
// append and returns, and the answer is sent when the group commit holding it
// has synced, so concurrent appends do not each hold a blocked thread.
class EventStoreService final
    : public v1::EventStore::WithCallbackMethod_Append<
          v1::EventStore::WithCallbackMethod_AppendStream<v1::EventStore::Service>> {
 public:
  EventStoreService(EventStore* store, const CallerResolver* callers, const PersonAccess* persons, CallGate* gate,
                    size_t max_response_bytes);

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                   const v1::AppendRequest* request,
                                   v1::AppendResponse* response) override;
  // Appends over one long-lived stream (append_stream.h).
  grpc::ServerBidiReactor<v1::AppendStreamRequest, v1::AppendStreamResponse>* AppendStream(
      grpc::CallbackServerContext* context) override;
  grpc::Status ReadStream(grpc::ServerContext* context, const v1::ReadStreamRequest* request,
                          v1::ReadStreamResponse* response) override;
  grpc::Status ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                       v1::ReadAllResponse* response) override;
  grpc::Status Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                         grpc::ServerWriter<v1::SubscribeResponse>* writer) override;

  static constexpr uint32_t kDefaultPageSize = 100;
  static constexpr uint32_t kMaxPageSize = 1000;

 private:
  // ReadStream's `events` of the stream the request names, admitted:
  // a decisions case's people each through PersonAccess::Admit (the
  // application's and every correction's, through the last revision read),
  // any other stream, or a case naming no one, as a read of the log.
  Status AdmitPage(const Caller& caller, const grpc::ServerContextBase& context, const v1::ReadStreamRequest& request,
                   const std::vector<EventRecord>& events) const;

  EventStore* const store_;
  const CallerResolver* const callers_;
  const PersonAccess* const persons_;
  CallGate* const gate_;
  const size_t max_response_bytes_;
};

}  // namespace sparbar::services
