#include "services/access/access_log_service.h"

#include <set>
#include <utility>

#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "services/grpc_status.h"

namespace sparbar::access {
namespace {

namespace v1a = ::sparbar::v1::access;

Status InBatch(const std::string& what, const Status& s) { return Status(s.code(), what + ": " + s.message()); }

}  // namespace

AccessLogService::AccessLogService(EventStore* store, AccessLimits limits, const services::CallerResolver* callers,
                                   services::CallGate* gate)
    : store_(store), limits_(limits), callers_(callers), gate_(gate) {}

Result<v1a::BatchResult> AccessLogService::RecordBatch(v1a::IngestBatch& batch, const std::string& what,
                                                       const std::string& actor,
                                                       const grpc::ServerContext& context) {
  const size_t n = static_cast<size_t>(batch.events_size());
  if (n == 0) return Status::InvalidArgument(what + " has no events");
  if (n > limits_.max_batch_events) {
    return Status::ResourceExhausted(what + " has " + std::to_string(n) + " events, over the limit of " +
                                     std::to_string(limits_.max_batch_events) + " per batch");
  }
  const TimestampMicros now = NowMicros();
  std::set<std::string> source_ids;
  std::vector<Uuid> ids;
  std::vector<std::string> payloads;
  ids.reserve(n);
  payloads.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    v1a::AccessRecorded& e = *batch.mutable_events(static_cast<int>(i));
    const std::string event = what + ", event " + std::to_string(i);
    if (Status s = CheckAccess(e, now, limits_); !s.ok()) return InBatch(event, s);
    if (e.source_system() != batch.events(0).source_system()) {
      return Status::InvalidArgument(event + ": a batch holds one source system's events (event 0 is from " +
                                     batch.events(0).source_system() + ")");
    }
    if (!source_ids.insert(e.source_event_id()).second) {
      return Status::InvalidArgument(event + ": source_event_id " + e.source_event_id() +
                                     " appears twice in the batch");
    }
    ids.push_back(EventIdOf(e));
    payloads.push_back(Serialize(e));
  }
  const std::string stream = StreamOf(batch.events(0));
  v1a::BatchResult result;
  result.set_batch_id(batch.batch_id());
  result.set_events(static_cast<uint32_t>(n));
  // Twice at most: an event of the batch may be recorded by a concurrent call in between.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto found = store_->FindEventIds(ids);
    if (!found.ok()) return found.status();
    std::vector<ProposedEvent> fresh;
    uint32_t duplicates = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!(*found)[i]) {
        ProposedEvent p;
        p.id = ids[i];
        p.type = EventType();
        p.content_type = std::string(kContentType);
        p.payload = payloads[i];
        fresh.push_back(std::move(p));
        continue;
      }
      auto stored = store_->ReadEvent(*(*found)[i]);
      if (!stored.ok()) return stored.status();
      if (stored->stream != stream || stored->type != EventType() || stored->payload != payloads[i]) {
        return Status::AlreadyExists(what + ", event " + std::to_string(i) + ": source_event_id " +
                                     batch.events(static_cast<int>(i)).source_event_id() + " of " +
                                     batch.events(static_cast<int>(i)).source_system() +
                                     " was recorded with other content (position " +
                                     std::to_string(*(*found)[i]) + ")");
      }
      ++duplicates;
    }
    result.set_duplicates(duplicates);
    result.set_recorded(static_cast<uint32_t>(fresh.size()));
    if (fresh.empty()) return result;
    auto appended =
        store_->Append(stream, ExpectedRevision::Any(), std::move(fresh), actor, services::SteadyDeadline(context));
    if (appended.ok()) {
      result.set_first_position(appended->first_position);
      result.set_last_position(appended->last_position);
      return result;
    }
    if (appended.status().code() != Code::kAlreadyExists) return InBatch(what, appended.status());
  }
  return Status::Aborted(what + ": its events were being recorded by another call at the same time; send it again");
}

grpc::Status AccessLogService::Ingest(grpc::ServerContext* context, grpc::ServerReader<v1a::IngestBatch>* reader,
                                      v1a::IngestResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  v1a::IngestBatch batch;
  size_t index = 0;
  while (reader->Read(&batch)) {
    std::string what = "batch " + std::to_string(index);
    if (!batch.batch_id().empty()) {
      const Status id = TextField(batch.batch_id(), "batch_id", 128, false);
      if (!id.ok() || ContainsPersonalIdentity(batch.batch_id(), StockholmDate(NowMicros()))) {
        return services::ToGrpc(Status::InvalidArgument(
            what + ": batch_id must be at most 128 bytes and hold no personal data"));
      }
      what += " (" + batch.batch_id() + ")";
    }
    auto result = RecordBatch(batch, what, caller->actor, *context);
    if (!result.ok()) {
      const std::string before = index == 0   ? ""
                                 : index == 1 ? "; the batch before it is recorded"
                                              : "; the " + std::to_string(index) + " batches before it are recorded";
      return services::Answer("AccessLog.Ingest",
                              Status(result.status().code(), result.status().message() + before +
                                                                 ", nothing of this one"));
    }
    response->set_recorded(response->recorded() + result->recorded());
    response->set_duplicates(response->duplicates() + result->duplicates());
    *response->add_batches() = std::move(result.value());
    ++index;
  }
  return grpc::Status::OK;
}

}  // namespace sparbar::access
