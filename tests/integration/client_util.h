// Helpers for integration tests: a gRPC client of a ServerProcess, event
// builders, and whole-log reads. Header-only; shared by tests/integration/*.cc.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "eventstore/event.h"
#include "sparbar/v1/audit.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::testing {

struct Client {
  // Plaintext (a server in development mode), or the credentials given (mutual TLS).
  explicit Client(const std::string& address,
                  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials()) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(256 << 20);
    args.SetMaxSendMessageSize(256 << 20);
    channel = grpc::CreateCustomChannel(address, credentials, args);
    es = v1::EventStore::NewStub(channel);
    audit = v1::Audit::NewStub(channel);
  }
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::EventStore::Stub> es;
  std::unique_ptr<v1::Audit::Stub> audit;
};

// A context naming `actor` (none when empty), with a deadline.
inline std::unique_ptr<grpc::ClientContext> Ctx(const std::string& actor = "test-actor",
                                                std::chrono::seconds timeout = std::chrono::seconds(30)) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!actor.empty()) ctx->AddMetadata("x-sparbar-actor", actor);
  ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  return ctx;
}

inline v1::EventData MakeEvent(const std::string& type = "test.happened",
                               const std::string& payload = "{\"n\":1}") {
  v1::EventData e;
  e.set_id(Uuid::Random().ToString());
  e.set_type(type);
  e.set_content_type("application/json");
  e.set_payload(payload);
  return e;
}

inline v1::AppendRequest MakeAppend(const std::string& stream, std::vector<v1::EventData> events,
                                    v1::ExpectedRevision expected = {}) {
  v1::AppendRequest req;
  req.set_stream(stream);
  *req.mutable_expected() = expected;
  for (auto& e : events) *req.add_events() = std::move(e);
  return req;
}

inline v1::ExpectedRevision ExpectNoStream() {
  v1::ExpectedRevision e;
  e.mutable_no_stream();
  return e;
}
inline v1::ExpectedRevision ExpectStreamExists() {
  v1::ExpectedRevision e;
  e.mutable_stream_exists();
  return e;
}
inline v1::ExpectedRevision ExpectExact(uint64_t r) {
  v1::ExpectedRevision e;
  e.set_exact(r);
  return e;
}
inline v1::ExpectedRevision ExpectAny() {
  v1::ExpectedRevision e;
  e.mutable_any();
  return e;
}

inline grpc::Status Append(Client& c, const v1::AppendRequest& req, v1::AppendResponse* resp = nullptr,
                           const std::string& actor = "test-actor") {
  v1::AppendResponse ignored;
  return c.es->Append(Ctx(actor).get(), req, resp ? resp : &ignored);
}

// Whether `e` is the server's own record of a read or a call (access
// events of source "sparbar", call records): every read appends one, so
// tests of what they wrote themselves leave them out.
inline bool IsOwnRecord(const v1::RecordedEvent& e) {
  return e.stream() == "atkomst-sparbar" || e.stream() == "anrop-sparbar";
}

// Every event in the log, following next_position page by page, with the
// server's own records of reads (IsOwnRecord) left out unless `own_records`.
inline std::vector<v1::RecordedEvent> ReadWholeLog(Client& c, uint32_t page = 0, bool own_records = false) {
  std::vector<v1::RecordedEvent> out;
  v1::ReadAllRequest req;
  req.set_max_count(page);
  while (true) {
    v1::ReadAllResponse resp;
    grpc::Status st = c.es->ReadAll(Ctx().get(), req, &resp);
    if (!st.ok()) throw std::runtime_error("ReadAll failed: " + st.error_message());
    for (auto& e : *resp.mutable_events()) {
      if (own_records || !IsOwnRecord(e)) out.push_back(std::move(e));
    }
    if (resp.end_of_log()) return out;
    req.set_from_position(resp.next_position());
  }
}

// How many events clients wrote: the log without the server's own records
// of reads (IsOwnRecord). "Nothing was written" is this number unchanged,
// since the reads a test makes to check it are recorded themselves.
inline uint64_t WrittenSize(Client& c) { return ReadWholeLog(c).size(); }

// The log's size as the signed checkpoint sees it, fresh.
inline uint64_t FreshSize(Client& c) {
  v1::GetCheckpointRequest req;
  req.set_fresh(true);
  v1::Checkpoint cp;
  grpc::Status st = c.audit->GetCheckpoint(Ctx().get(), req, &cp);
  if (!st.ok()) throw std::runtime_error("GetCheckpoint failed: " + st.error_message());
  return cp.size();
}

inline TimestampMicros Micros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

// The store's record for a RecordedEvent read through the API, so that tests
// can recompute its canonical bytes and leaf hash independently of the server.
inline EventRecord ToRecord(const v1::RecordedEvent& e) {
  EventRecord r;
  auto id = Uuid::Parse(e.id());
  if (!id.ok()) throw std::runtime_error("bad id from server: " + e.id());
  r.id = id.value();
  r.stream = e.stream();
  r.revision = e.revision();
  r.position = e.position();
  r.type = e.type();
  r.content_type = e.content_type();
  r.payload = e.payload();
  r.metadata.actor = e.metadata().actor();
  r.metadata.correlation_id = e.metadata().correlation_id();
  r.metadata.causation_id = e.metadata().causation_id();
  r.occurred_at = Micros(e.occurred_at());
  r.recorded_at = Micros(e.recorded_at());
  return r;
}

}  // namespace sparbar::testing
