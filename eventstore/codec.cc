#include "eventstore/codec.h"

#include <cstring>

namespace sparbar {
namespace {

void PutBigEndian32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

void PutField(std::string* out, std::string_view s) {
  PutBigEndian32(out, static_cast<uint32_t>(s.size()));
  out->append(s.data(), s.size());
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Fixed(size_t n, const char** p) {
    if (in_.size() - pos_ < n) return false;
    *p = in_.data() + pos_;
    pos_ += n;
    return true;
  }
  bool U64(uint64_t* v) {
    const char* p;
    if (!Fixed(8, &p)) return false;
    *v = GetBigEndian64(p);
    return true;
  }
  bool Field(std::string* s) {
    std::string_view v;
    if (!Field(&v)) return false;
    s->assign(v);
    return true;
  }
  bool Field(std::string_view* s) {
    const char* p;
    if (!Fixed(4, &p)) return false;
    const auto* u = reinterpret_cast<const uint8_t*>(p);
    uint32_t n = uint32_t{u[0]} << 24 | uint32_t{u[1]} << 16 | uint32_t{u[2]} << 8 | u[3];
    if (!Fixed(n, &p)) return false;
    *s = std::string_view(p, n);
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

void PutBigEndian64(std::string* out, uint64_t v) {
  char b[8];
  for (int i = 7; i >= 0; --i) {
    b[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(b, 8);
}

uint64_t GetBigEndian64(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | u[i];
  return v;
}

void EncodeEvent(const EventRecord& e, std::string* out) {
  out->reserve(out->size() + 1 + 16 + 32 + 7 * 4 + e.stream.size() + e.type.size() +
               e.content_type.size() + e.metadata.actor.size() + e.metadata.correlation_id.size() +
               e.metadata.causation_id.size() + e.payload.size());
  out->push_back(static_cast<char>(kEventFormatVersion));
  out->append(e.id.raw());
  PutBigEndian64(out, e.position);
  PutBigEndian64(out, e.revision);
  PutBigEndian64(out, static_cast<uint64_t>(e.recorded_at));
  PutBigEndian64(out, static_cast<uint64_t>(e.occurred_at));
  PutField(out, e.stream);
  PutField(out, e.type);
  PutField(out, e.content_type);
  PutField(out, e.metadata.actor);
  PutField(out, e.metadata.correlation_id);
  PutField(out, e.metadata.causation_id);
  PutField(out, e.payload);
}

std::string EncodeEvent(const EventRecord& event) {
  std::string out;
  EncodeEvent(event, &out);
  return out;
}

Result<EventView> DecodeEventView(std::string_view bytes) {
  Reader r(bytes);
  const char* p;
  if (!r.Fixed(1, &p)) return Status::DataLoss("event record is empty");
  if (static_cast<uint8_t>(*p) != kEventFormatVersion) {
    return Status::DataLoss("event record has unknown format version " +
                            std::to_string(static_cast<uint8_t>(*p)));
  }
  EventView e;
  if (!r.Fixed(16, &p)) return Status::DataLoss("event record is truncated");
  e.id = std::string_view(p, 16);
  uint64_t recorded, occurred;
  if (!r.U64(&e.position) || !r.U64(&e.revision) || !r.U64(&recorded) || !r.U64(&occurred) ||
      !r.Field(&e.stream) || !r.Field(&e.type) || !r.Field(&e.content_type) || !r.Field(&e.actor) ||
      !r.Field(&e.correlation_id) || !r.Field(&e.causation_id) || !r.Field(&e.payload)) {
    return Status::DataLoss("event record is truncated");
  }
  if (!r.AtEnd()) return Status::DataLoss("event record has trailing bytes");
  e.recorded_at = static_cast<TimestampMicros>(recorded);
  e.occurred_at = static_cast<TimestampMicros>(occurred);
  return e;
}

Status DecodeEventInto(std::string_view bytes, EventRecord* e) {
  auto v = DecodeEventView(bytes);
  if (!v.ok()) return v.status();
  std::memcpy(e->id.bytes.data(), v->id.data(), 16);
  e->position = v->position;
  e->revision = v->revision;
  e->recorded_at = v->recorded_at;
  e->occurred_at = v->occurred_at;
  // assign(): a record reused from an earlier page keeps its strings' storage.
  e->stream.assign(v->stream);
  e->type.assign(v->type);
  e->content_type.assign(v->content_type);
  e->metadata.actor.assign(v->actor);
  e->metadata.correlation_id.assign(v->correlation_id);
  e->metadata.causation_id.assign(v->causation_id);
  e->payload.assign(v->payload);
  return Status::Ok();
}

Result<EventRecord> DecodeEvent(std::string_view bytes) {
  EventRecord e;
  SPARBAR_RETURN_IF_ERROR(DecodeEventInto(bytes, &e));
  return e;
}

bool PeekStreamAndType(std::string_view bytes, std::string_view* stream, std::string_view* type) {
  Reader r(bytes);
  const char* p;
  // version, id, position, revision, recorded_at, occurred_at
  if (!r.Fixed(1, &p) || static_cast<uint8_t>(*p) != kEventFormatVersion) return false;
  if (!r.Fixed(16 + 4 * 8, &p)) return false;
  return r.Field(stream) && r.Field(type);
}

}  // namespace sparbar
