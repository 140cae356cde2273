// The link back from a deviation to the lex Sarah report or lex Maria case
// opened from it. The case's opening names its deviation (from_deviation);
// the deviation's stream then records LinkedToCase naming the case, so each
// side names the other and a reader of either finds both.
//
// CheckLinkable runs before the case's opening is written: the deviation
// must be recorded and must take such a link on that date (decider.h), so
// that a refused link refuses the opening and nothing is written.
// RecordBackLink runs after every step of the case: it does nothing when the
// deviation names the case already, and its event id is derived from the two
// stream names, so the link is recorded once however often it is tried.
// LexMariaCasesNaming reads the link from the cases' side.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/common/civil_date.h"
#include "services/deviations/taxonomy.h"
#include "services/deviations/payload.h"

namespace sparbar::deviations {

// InvalidArgument when `deviation_stream` holds no deviation; the decider's
// status when it would refuse the link dated `linked_on` today.
Status CheckLinkable(EventStore* store, const DeviationTaxonomy* taxonomy, const std::string& deviation_stream,
                     pb::LinkKind kind, const std::string& linked_on);

// Ok when recorded now or before; else the status of the last try.
Status RecordBackLink(EventStore* store, const DeviationTaxonomy* taxonomy, const std::string& deviation_stream,
                      pb::LinkKind kind, const std::string& case_stream, const std::string& linked_on,
                      const std::string& actor, std::optional<EventStore::Deadline> deadline);

// The lex Maria cases (stream names) opened from `deviation_stream`.
Result<std::vector<std::string>> LexMariaCasesNaming(EventStore* store, const std::string& deviation_stream);

}  // namespace sparbar::deviations
