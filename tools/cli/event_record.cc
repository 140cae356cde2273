#include "tools/cli/event_record.h"

namespace sparbar::cli {
namespace {

Result<TimestampMicros> ToMicros(const google::protobuf::Timestamp& ts, const char* field) {
  if (ts.nanos() % 1000 != 0) {
    return Status::InvalidArgument(std::string(field) + " is not a whole number of microseconds");
  }
  return static_cast<TimestampMicros>(ts.seconds()) * 1000000 + ts.nanos() / 1000;
}

}  // namespace

Result<EventRecord> ToEventRecord(const sparbar::v1::RecordedEvent& e) {
  auto id = Uuid::Parse(e.id());
  if (!id.ok()) return id.status();
  auto occurred = ToMicros(e.occurred_at(), "occurred_at");
  if (!occurred.ok()) return occurred.status();
  auto recorded = ToMicros(e.recorded_at(), "recorded_at");
  if (!recorded.ok()) return recorded.status();

  EventRecord r;
  r.id = *id;
  r.stream = e.stream();
  r.revision = e.revision();
  r.position = e.position();
  r.type = e.type();
  r.content_type = e.content_type();
  r.payload = e.payload();
  r.metadata.actor = e.metadata().actor();
  r.metadata.correlation_id = e.metadata().correlation_id();
  r.metadata.causation_id = e.metadata().causation_id();
  r.occurred_at = *occurred;
  r.recorded_at = *recorded;
  return r;
}

}  // namespace sparbar::cli
