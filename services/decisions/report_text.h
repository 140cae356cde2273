// Text shared by every rendering of the decisions reports, on the server
// (report_render.h) and in the CLI: the label of a person's sex as the
// reports print it, and a CSV field quoted only when it must be.
// Header-only, so that the CLI needs no more than the generated protobuf.
#pragma once

#include <string>

#include "sparbar/v1/decisions.pb.h"

namespace sparbar::decisions {

// "Barn" for a child whatever the sex, else Kvinna / Man / Annat / Ej angivet.
inline const char* SexLabel(::sparbar::v1::decisions::Sex sex, bool child) {
  namespace d = ::sparbar::v1::decisions;
  if (child) return "Barn";
  switch (sex) {
    case d::SEX_KVINNA: return "Kvinna";
    case d::SEX_MAN: return "Man";
    case d::SEX_ANNAT: return "Annat";
    default: return "Ej angivet";
  }
}

// Free text quoted when it holds a comma, a quote or a line break (RFC 4180).
inline std::string CsvField(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace sparbar::decisions
