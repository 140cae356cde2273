// CaseFacts: what reports need to know about one decisions case, derived
// from the case's folded state (decider.h). Holds no personnummer.
#pragma once

#include <string>

#include "services/decisions/decider.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

// The reason code a step of an end or closure carries ("" when unspecified).
const char* EndReasonName(pb::EndReason reason);

// `catalogue` gives the law (SoL or LSS) of the decided insats.
pb::CaseFacts FactsOf(const std::string& case_id, const CaseState& state, const InsatsCatalogue& catalogue);

}  // namespace sparbar::decisions
