#include "tools/cli/event_json.h"

#include <ctime>

#include "eventstore/merkle/base64.h"

namespace sparbar::cli {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // overlong
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  std::time_t secs = static_cast<std::time_t>(ts.seconds());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t len = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + len, sizeof buf - len, ".%06dZ", ts.nanos() / 1000);
  return buf;
}

nlohmann::json EventToJson(const sparbar::v1::RecordedEvent& e) {
  nlohmann::json j;
  j["position"] = e.position();
  j["stream"] = e.stream();
  j["revision"] = e.revision();
  j["id"] = e.id();
  j["type"] = e.type();
  j["content_type"] = e.content_type();
  j["actor"] = e.metadata().actor();
  if (!e.metadata().correlation_id().empty()) j["correlation_id"] = e.metadata().correlation_id();
  if (!e.metadata().causation_id().empty()) j["causation_id"] = e.metadata().causation_id();
  j["occurred_at"] = FormatTimestamp(e.occurred_at());
  j["recorded_at"] = FormatTimestamp(e.recorded_at());
  if (IsValidUtf8(e.payload())) {
    j["payload"] = e.payload();
    j["payload_encoding"] = "utf-8";
  } else {
    j["payload"] = merkle::Base64Encode(e.payload());
    j["payload_encoding"] = "base64";
  }
  return j;
}

}  // namespace sparbar::cli
