// One recorded event with every field set to a value other than its
// default (times with sub-second microseconds, a payload with a NUL byte and
// UTF-8), for tests of its encodings.
#pragma once

#include <string>

#include "eventstore/event.h"

namespace sparbar::testing {

inline EventRecord SampleEventRecord() {
  EventRecord e;
  e.id = Uuid::Parse("0b7e4a1c-2f3d-4e5f-8a9b-0c1d2e3f4a5b").value();
  e.stream = "beslut-2024-0001";
  e.revision = 3;
  e.position = 1234567;
  e.type = "beslut.fattat";
  e.content_type = "application/json";
  e.payload = std::string("{\"insats\":\"hemtj\xc3\xa4nst\"}") + std::string(1, '\0') + "x";
  e.metadata = {"handlaggare-17", "corr-1", "cause-2"};
  e.occurred_at = 1704067200000001;  // 2024-01-01, and a microsecond
  e.recorded_at = 1704153600000002;
  return e;
}

}  // namespace sparbar::testing
