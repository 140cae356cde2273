#include "services/common/instant.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace sparbar {

bool ValidInstant(const google::protobuf::Timestamp& t) {
  return t.seconds() >= 0 && t.seconds() <= google::protobuf::util::TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

TimestampMicros MicrosOf(const google::protobuf::Timestamp& t) {
  const int64_t seconds = std::clamp<int64_t>(t.seconds(), 0, google::protobuf::util::TimeUtil::kTimestampMaxSeconds);
  return seconds * 1000000 + std::clamp<int32_t>(t.nanos(), 0, 999999999) / 1000;
}

google::protobuf::Timestamp TimestampOf(TimestampMicros t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(t / 1000000);
  ts.set_nanos(static_cast<int32_t>(t % 1000000) * 1000);
  return ts;
}

}  // namespace sparbar
