// Canonical event encoding: round trip, determinism, strict decoding.
#include <catch2/catch.hpp>

#include "eventstore/codec.h"
#include "sample_event.h"

using namespace sparbar;

namespace {

EventRecord Sample() { return testing::SampleEventRecord(); }

}  // namespace

TEST_CASE("an event record survives encode and decode unchanged", "[codec]") {
  EventRecord e = Sample();
  auto decoded = DecodeEvent(EncodeEvent(e));
  REQUIRE(decoded.ok());
  CHECK(decoded->id == e.id);
  CHECK(decoded->stream == e.stream);
  CHECK(decoded->revision == e.revision);
  CHECK(decoded->position == e.position);
  CHECK(decoded->type == e.type);
  CHECK(decoded->content_type == e.content_type);
  CHECK(decoded->payload == e.payload);
  CHECK(decoded->metadata.actor == e.metadata.actor);
  CHECK(decoded->metadata.correlation_id == e.metadata.correlation_id);
  CHECK(decoded->metadata.causation_id == e.metadata.causation_id);
  CHECK(decoded->occurred_at == e.occurred_at);
  CHECK(decoded->recorded_at == e.recorded_at);
}

TEST_CASE("the canonical encoding is deterministic and field-sensitive", "[codec]") {
  EventRecord a = Sample();
  EventRecord b = Sample();
  CHECK(EncodeEvent(a) == EncodeEvent(b));
  b.position += 1;
  CHECK(EncodeEvent(a) != EncodeEvent(b));
  b = Sample();
  b.metadata.actor = "someone-else";
  CHECK(EncodeEvent(a) != EncodeEvent(b));
  // Moving bytes between adjacent fields must change the encoding.
  b = Sample();
  a.type = "ab";
  a.content_type = "c";
  b.type = "a";
  b.content_type = "bc";
  CHECK(EncodeEvent(a) != EncodeEvent(b));
}

TEST_CASE("decoding rejects truncated, extended and unknown-version records", "[codec]") {
  std::string bytes = EncodeEvent(Sample());
  for (size_t cut : {size_t{0}, size_t{1}, size_t{17}, bytes.size() - 1}) {
    auto r = DecodeEvent(std::string_view(bytes).substr(0, cut));
    CHECK(r.status().code() == Code::kDataLoss);
  }
  CHECK(DecodeEvent(bytes + "x").status().code() == Code::kDataLoss);
  std::string v2 = bytes;
  v2[0] = 2;
  CHECK(DecodeEvent(v2).status().code() == Code::kDataLoss);
}

TEST_CASE("UUIDs parse strictly and print canonically", "[codec]") {
  auto u = Uuid::Parse("0B7E4A1C-2F3D-4E5F-8A9B-0C1D2E3F4A5B");
  REQUIRE(u.ok());
  CHECK(u->ToString() == "0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b");
  CHECK(Uuid::Parse("0b7e4a1c2f3d4e5f8a9b0c1d2e3f4a5b").status().code() == Code::kInvalidArgument);
  CHECK(Uuid::Parse("0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5g").status().code() == Code::kInvalidArgument);
  CHECK(Uuid::Parse("").status().code() == Code::kInvalidArgument);
  Uuid r1 = Uuid::Random(), r2 = Uuid::Random();
  CHECK(r1 != r2);
  CHECK((r1.bytes[6] >> 4) == 4);
  CHECK(Uuid::Parse(r1.ToString()).value() == r1);
}

TEST_CASE("the stream and type are read from the canonical bytes without decoding the rest", "[codec]") {
  const EventRecord e = Sample();
  const std::string bytes = EncodeEvent(e);
  std::string_view stream, type;
  REQUIRE(PeekStreamAndType(bytes, &stream, &type));
  CHECK(stream == e.stream);
  CHECK(type == e.type);
  // Cut inside the type, or of another format version: not read.
  CHECK_FALSE(PeekStreamAndType(std::string_view(bytes).substr(0, 1 + 16 + 32 + 4 + e.stream.size() + 2), &stream,
                                &type));
  std::string other = bytes;
  other[0] = 2;
  CHECK_FALSE(PeekStreamAndType(other, &stream, &type));
}

TEST_CASE("decoding into a reused record leaves nothing of the record before", "[codec]") {
  EventRecord big = Sample();
  big.payload.assign(4000, 'p');
  big.metadata.correlation_id.assign(300, 'c');
  EventRecord small = Sample();
  small.stream = "s";
  small.payload.clear();
  small.metadata = {"a", "", ""};
  small.position = 7;

  EventRecord reused;
  REQUIRE(DecodeEventInto(EncodeEvent(big), &reused).ok());
  const size_t capacity = reused.payload.capacity();
  REQUIRE(DecodeEventInto(EncodeEvent(small), &reused).ok());
  CHECK(EncodeEvent(reused) == EncodeEvent(small));
  CHECK(reused.payload.capacity() == capacity);  // the storage was kept, not reallocated

  std::string broken = EncodeEvent(small);
  broken.pop_back();
  CHECK(DecodeEventInto(broken, &reused).code() == Code::kDataLoss);
}

TEST_CASE("a UUID formats into a buffer as ToString prints it", "[codec]") {
  const Uuid id = Uuid::Parse("0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b").value();
  char text[Uuid::kTextSize];
  id.FormatTo(text);
  CHECK(std::string(text, sizeof text) == "0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b");
  CHECK(id.ToString() == "0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b");
}
