// How the CLI prints events: one JSON object per event, one per line.
//
// The payload is printed as a JSON string when it is valid UTF-8; otherwise it
// is base64 and "payload_encoding" says so ("utf-8" or "base64").
// Timestamps are RFC 3339 in UTC with microseconds.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sparbar/v1/event.pb.h"

namespace sparbar::cli {

nlohmann::json EventToJson(const sparbar::v1::RecordedEvent& event);

// Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
bool IsValidUtf8(std::string_view bytes);

// "2024-05-01T12:00:00.123456Z"
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace sparbar::cli
