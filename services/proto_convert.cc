#include "services/proto_convert.h"

namespace sparbar::services {
namespace {

// google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr int64_t kMinSeconds = -62135596800LL;
constexpr int64_t kMaxSeconds = 253402300799LL;

}  // namespace

Result<TimestampMicros> MicrosFromTimestamp(const google::protobuf::Timestamp& ts,
                                            const std::string& field) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    return Status::InvalidArgument(field + " is outside 0001-01-01..9999-12-31 (seconds " +
                                   std::to_string(ts.seconds()) + ")");
  }
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return Status::InvalidArgument(field + " has nanos " + std::to_string(ts.nanos()) +
                                   "; they must be in 0..999999999");
  }
  // |seconds| < 2.6e11, so seconds * 1e6 < 2.6e17 fits in int64.
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

void MicrosToTimestamp(TimestampMicros micros, google::protobuf::Timestamp* out) {
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {  // floor division, so that nanos are never negative
    rem += 1000000;
    seconds -= 1;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

size_t EncodedSizeBound(const EventRecord& r) {
  return r.stream.size() + r.type.size() + r.content_type.size() + r.payload.size() + r.metadata.actor.size() +
         r.metadata.correlation_id.size() + r.metadata.causation_id.size() + Uuid::kTextSize + 128;
}

void ToProto(const EventRecord& r, v1::RecordedEvent* out) {
  char id[Uuid::kTextSize];
  r.id.FormatTo(id);
  out->set_id(id, sizeof id);  // into the string's storage: no temporary
  out->set_stream(r.stream);
  out->set_revision(r.revision);
  out->set_position(r.position);
  out->set_type(r.type);
  out->set_content_type(r.content_type);
  out->set_payload(r.payload);
  auto* md = out->mutable_metadata();
  md->set_actor(r.metadata.actor);
  md->set_correlation_id(r.metadata.correlation_id);
  md->set_causation_id(r.metadata.causation_id);
  MicrosToTimestamp(r.occurred_at, out->mutable_occurred_at());
  MicrosToTimestamp(r.recorded_at, out->mutable_recorded_at());
}

Result<ProposedEvent> FromProto(const v1::EventData& data, size_t index) {
  const std::string at = "events[" + std::to_string(index) + "]";
  ProposedEvent e;
  if (data.id().empty()) return Status::InvalidArgument(at + ".id is empty; every event needs a UUID");
  auto id = Uuid::Parse(data.id());
  if (!id.ok()) return Status::InvalidArgument(at + ".id: " + id.status().message());
  e.id = id.value();
  e.type = data.type();
  e.content_type = data.content_type();
  e.payload = data.payload();
  e.correlation_id = data.correlation_id();
  e.causation_id = data.causation_id();
  if (data.has_occurred_at()) {
    auto micros = MicrosFromTimestamp(data.occurred_at(), at + ".occurred_at");
    if (!micros.ok()) return micros.status();
    e.occurred_at = micros.value();
  }
  return e;
}

ExpectedRevision FromProto(const v1::ExpectedRevision& expected) {
  switch (expected.kind_case()) {
    case v1::ExpectedRevision::kNoStream: return ExpectedRevision::NoStream();
    case v1::ExpectedRevision::kStreamExists: return ExpectedRevision::StreamExists();
    case v1::ExpectedRevision::kExact: return ExpectedRevision::Exact(expected.exact());
    case v1::ExpectedRevision::kAny:
    case v1::ExpectedRevision::KIND_NOT_SET: return ExpectedRevision::Any();
  }
  return ExpectedRevision::Any();
}

}  // namespace sparbar::services
