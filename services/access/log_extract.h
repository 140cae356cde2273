// The log extract (logguttag) for one person: who has accessed their data,
// as a document to hand to them. HTML (in Swedish, with the person's own
// personnummer in the heading, the accesses in time order: when, who, unit,
// role, what, system, why, allowed or denied) or CSV with the same columns
// and the record accessed.
// A pure function of its input: the same accesses give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sparbar/v1/access_log_service.pb.h"

namespace sparbar::access {

struct ExtractInput {
  std::string personal_identity_number;  // normalized, 12 digits
  std::string from, to;                  // the period, Swedish time, as shown
  uint64_t as_of_position = 0;
  std::vector<v1::access::RecordedAccess> accesses;  // in time order
};

std::string RenderLogExtract(const ExtractInput& input, v1::access::ExtractFormat format);

// Swedish names of an access's action and purpose, as the extract and the
// loggkontroll report show them.
const char* ActionName(v1::access::Action action);
const char* PurposeName(v1::access::Purpose purpose);

}  // namespace sparbar::access
