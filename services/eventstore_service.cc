#include "services/eventstore_service.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <optional>

#include "projections/read_ahead.h"
#include "services/append_stream.h"
#include "services/decisions/payload.h"
#include "services/grpc_status.h"
#include "services/proto_convert.h"

namespace sparbar::services {
namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

constexpr std::chrono::milliseconds kSubscribePoll{200};
constexpr size_t kSubscribeReadAhead = 4;  // pages read ahead of the one being sent
// Bytes a repeated message field adds beyond the message itself (tag + length).
constexpr size_t kFieldOverhead = 16;

size_t PageSize(uint32_t requested) {
  if (requested == 0) return EventStoreService::kDefaultPageSize;
  return std::min<uint32_t>(requested, EventStoreService::kMaxPageSize);
}

// Puts records from `begin` into `events` until `budget` bytes would be
// exceeded (always at least one), overwriting the elements it already holds
// (ToProto sets every field) and dropping those left over. Returns how many
// were put. Reusing one message this way allocates nothing once its strings
// have grown; an arena or a fresh message allocated every string anew
// (a third of a catch-up's sending thread, perf).
size_t FillEvents(const std::vector<EventRecord>& records, size_t begin, size_t budget,
                  google::protobuf::RepeatedPtrField<v1::RecordedEvent>* events) {
  size_t bytes = 0;
  size_t i = begin;
  int put = 0;
  for (; i < records.size(); ++i, ++put) {
    const size_t size = EncodedSizeBound(records[i]) + kFieldOverhead;
    if (i > begin && bytes + size > budget) break;
    ToProto(records[i], put < events->size() ? events->Mutable(put) : events->Add());
    bytes += size;
  }
  if (events->size() > put) events->DeleteSubrange(put, events->size() - put);
  return i - begin;
}

}  // namespace

Status EventStoreService::AdmitPage(const Caller& caller, const grpc::ServerContextBase& context,
                                    const v1::ReadStreamRequest& request,
                                    const std::vector<EventRecord>& events) const {
  if (events.empty()) return Status::Ok();  // nothing about anyone is returned
  if (!request.stream().starts_with(decisions::kStreamPrefix)) return persons_->AdmitUnnamed(caller, context, &request);
  uint64_t through = 0;
  for (const EventRecord& e : events) through = std::max(through, e.revision);
  auto subjects = persons_->SubjectsOfCase(request.stream(), through);
  if (!subjects.ok()) return subjects.status();
  // A case that names no one, or someone by a number that does not check, is read as the log is.
  if (subjects->people.empty() || subjects->unreadable) {
    SPARBAR_RETURN_IF_ERROR(persons_->AdmitUnnamed(caller, context, &request));
  }
  for (const std::string& person : subjects->people) {
    SPARBAR_RETURN_IF_ERROR(persons_->Admit(caller, context, person, request.stream()));
  }
  return Status::Ok();
}

EventStoreService::EventStoreService(EventStore* store, const CallerResolver* callers, const PersonAccess* persons,
                                     CallGate* gate, size_t max_response_bytes)
    : store_(store), callers_(callers), persons_(persons), gate_(gate), max_response_bytes_(max_response_bytes) {}

grpc::ServerUnaryReactor* EventStoreService::Append(grpc::CallbackServerContext* context,
                                                    const v1::AppendRequest* request,
                                                    v1::AppendResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto pass = std::make_shared<CallGate::Pass>(gate_->Enter());
  if (!*pass) {
    reactor->Finish(ShuttingDown());
    return reactor;
  }
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpc(caller.status()));
    return reactor;
  }
  std::vector<ProposedEvent> events;
  events.reserve(request->events_size());
  for (int i = 0; i < request->events_size(); ++i) {
    auto event = FromProto(request->events(i), static_cast<size_t>(i));
    if (!event.ok()) {
      reactor->Finish(ToGrpc(event.status()));
      return reactor;
    }
    events.push_back(std::move(event.value()));
  }
  // Answered from the sequencer once the batch holding the events is synced;
  // no thread waits meanwhile. The pass keeps shutdown waiting until then.
  store_->AppendAsync(
      request->stream(), FromProto(request->expected()), std::move(events), caller->actor,
      SteadyDeadline(*context), [reactor, response, pass](Result<AppendResult> result) {
        if (!result.ok()) {
          reactor->Finish(Answer("Append", result.status()));
          return;
        }
        response->set_first_position(result->first_position);
        response->set_last_position(result->last_position);
        response->set_first_revision(result->first_revision);
        response->set_last_revision(result->last_revision);
        response->set_duplicate(result->duplicate);
        response->set_log_size(result->log_size);
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
}

grpc::ServerBidiReactor<v1::AppendStreamRequest, v1::AppendStreamResponse>* EventStoreService::AppendStream(
    grpc::CallbackServerContext* context) {
  return new AppendStreamReactor(context, store_, callers_, gate_);
}

grpc::Status EventStoreService::ReadStream(grpc::ServerContext* context,
                                           const v1::ReadStreamRequest* request,
                                           v1::ReadStreamResponse* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  ReadStreamOptions options;
  options.from_revision = request->from_revision();
  options.backwards = request->backwards();
  options.from_end = request->from_end();
  options.max_count = PageSize(request->max_count());
  auto page = store_->ReadStream(request->stream(), options);
  if (!page.ok()) return Answer("ReadStream", page.status());

  // Whose records the page holds, if anyone's: each person admitted and the
  // read recorded before it is answered (the page is read first, so that
  // what is checked is what is returned).
  if (Status s = AdmitPage(*caller, *context, *request, page->events); !s.ok()) return ToGrpc(s);

  const size_t added = FillEvents(page->events, 0, max_response_bytes_, response->mutable_events());
  if (added < page->events.size()) {
    // Cut short by size: the next page starts at the first event left out.
    response->set_next_revision(page->events[added].revision);
    response->set_end_of_stream(false);
  } else {
    response->set_next_revision(page->next_revision);
    response->set_end_of_stream(page->end_of_stream);
  }
  return grpc::Status::OK;
}

grpc::Status EventStoreService::ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                                        v1::ReadAllResponse* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());

  ReadAllOptions options;
  options.from_position = request->from_position();
  options.max_count = PageSize(request->max_count());
  options.stream_prefix = request->stream_prefix();
  options.event_types.assign(request->event_types().begin(), request->event_types().end());
  auto page = store_->ReadAll(options);
  if (!page.ok()) return Answer("ReadAll", page.status());

  const size_t added = FillEvents(page->events, 0, max_response_bytes_, response->mutable_events());
  if (added < page->events.size()) {
    response->set_next_position(page->events[added].position);
    response->set_end_of_log(false);
  } else {
    response->set_next_position(page->next_position);
    response->set_end_of_log(page->end_of_log);
  }
  return grpc::Status::OK;
}

grpc::Status EventStoreService::Subscribe(grpc::ServerContext* context,
                                          const v1::SubscribeRequest* request,
                                          grpc::ServerWriter<v1::SubscribeResponse>* writer) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());

  Result<std::unique_ptr<Subscription>> subscription = Status::Internal("unreachable");
  switch (request->target_case()) {
    case v1::SubscribeRequest::kAll: {
      const auto& all = request->all();
      ReadAllOptions from;
      from.from_position = all.from_position();
      from.stream_prefix = all.stream_prefix();
      from.event_types.assign(all.event_types().begin(), all.event_types().end());
      subscription = store_->SubscribeAll(from);
      break;
    }
    case v1::SubscribeRequest::kStream:
      subscription = store_->SubscribeStream(request->stream().stream(), request->stream().from_revision());
      break;
    case v1::SubscribeRequest::TARGET_NOT_SET:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "subscribe request has no target: set `all` or `stream`");
  }
  if (!subscription.ok()) {
    if (gate_->stopping()) return grpc::Status::OK;
    return Answer("Subscribe", subscription.status());
  }
  // Read a few pages ahead on a thread of its own, so that reading the log
  // overlaps with converting and sending what was read.
  projections::ReadAhead sub(std::move(subscription.value()), kSubscribeReadAhead, kSubscribePoll);

  v1::SubscribeResponse response;  // reused for every write (FillEvents)
  while (!gate_->stopping() && !context->IsCancelled()) {
    auto batch = sub.Next(kSubscribePoll);
    if (!batch.ok()) {
      if (gate_->stopping()) return grpc::Status::OK;
      return Answer("Subscribe", batch.status());
    }
    const auto& events = batch->events;
    size_t sent = 0;
    do {
      sent += FillEvents(events, sent, max_response_bytes_, response.mutable_events());
      response.set_caught_up(sent == events.size() && batch->caught_up);
      if (response.events_size() == 0 && !response.caught_up()) break;  // nothing arrived in time
      if (!writer->Write(response)) return grpc::Status::OK;  // the client went away
    } while (sent < events.size());
    sub.Recycle(std::move(batch.value()));
  }
  return grpc::Status::OK;
}

}  // namespace sparbar::services
