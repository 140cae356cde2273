// ToProto of a recorded event: every field set, so that a message reused
// across responses (Subscribe's FillEvents) never keeps a field of an
// earlier event.
#include <catch2/catch.hpp>

#include <google/protobuf/descriptor.h>

#include "sample_event.h"
#include "services/proto_convert.h"

using namespace sparbar;

namespace {

EventRecord Full() { return testing::SampleEventRecord(); }

// The fields of `m` (and of its message fields) left at their defaults.
void Unset(const google::protobuf::Message& m, const std::string& prefix, std::vector<std::string>* out) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    const std::string name = prefix + f->name();
    if (!r->HasField(m, f)) {
      out->push_back(name);
    } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      Unset(r->GetMessage(m, f), name + ".", out);
    }
  }
}

}  // namespace

TEST_CASE("ToProto sets every field of a RecordedEvent, in its submessages too", "[proto]") {
  v1::RecordedEvent m;
  services::ToProto(Full(), &m);
  std::vector<std::string> unset;
  Unset(m, "", &unset);
  // A field added to RecordedEvent without a line in ToProto lands here, and
  // a reused message would carry an earlier event's value in it.
  CHECK(unset.empty());
  CAPTURE(unset);
  CHECK(m.id() == "0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b");
}

TEST_CASE("ToProto into a message used before gives what it gives into a fresh one", "[proto]") {
  EventRecord later = Full();
  later.stream = "s";
  later.payload.clear();
  later.metadata = {"a", "", ""};
  later.revision = 0;
  later.occurred_at = 0;

  v1::RecordedEvent reused;
  services::ToProto(Full(), &reused);
  services::ToProto(later, &reused);
  v1::RecordedEvent fresh;
  services::ToProto(later, &fresh);
  CHECK(reused.SerializeAsString() == fresh.SerializeAsString());
  CHECK(reused.metadata().correlation_id().empty());
}

TEST_CASE("EncodedSizeBound is never below the encoded size, at the numbers' and lengths' extremes", "[proto]") {
  // Lengths either side of where a varint length grows a byte, and numbers
  // at their widest: the bound must hold for all of them together.
  const std::vector<size_t> lengths = {0, 1, 127, 128, 16383, 16384, 2097152};
  const std::vector<uint64_t> numbers = {0, 127, 128, UINT64_MAX};
  const std::vector<TimestampMicros> times = {0, -1, 1704067200000001, INT64_MIN / 2, INT64_MAX / 2};
  size_t cases = 0;
  for (size_t len : lengths) {
    for (uint64_t number : numbers) {
      for (TimestampMicros at : times) {
        EventRecord e = Full();
        e.stream.assign(len, 's');
        e.type.assign(len, 't');
        e.content_type.assign(len, 'c');
        e.payload.assign(len, 'p');
        e.metadata = {std::string(len, 'a'), std::string(len, 'r'), std::string(len, 'u')};
        e.revision = e.position = number;
        e.occurred_at = e.recorded_at = at;
        v1::RecordedEvent m;
        services::ToProto(e, &m);
        INFO("length " << len << ", number " << number << ", time " << at);
        CHECK(m.ByteSizeLong() <= services::EncodedSizeBound(e));
        ++cases;
      }
    }
  }
  CHECK(cases == lengths.size() * numbers.size() * times.size());
}
