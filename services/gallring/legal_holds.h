// Legal holds (spärr) on people's files: while one stands, the gallring plan
// marks the file "spärrad" and no run disposes of it (a pending appeal, an
// authority's request, an investigation). Each hold is a stream of its own,
// "gallring-sparr-<hold id>": LegalHoldPlaced naming the person (sealed in
// the log like every personnummer), then LegalHoldReleased. The store given
// must open personal data (vault/sealing_store.h).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "eventstore/store.h"
#include "services/access/subject_key.h"

namespace sparbar::gallring {

inline constexpr char kHoldStreamPrefix[] = "gallring-sparr-";

// The pseudonyms of the people with a hold standing, as of log size `below_position`.
Result<std::set<std::string>> HeldPseudonyms(EventStore& store, const access::SubjectKey& key,
                                             uint64_t below_position);

// `number` is a normalized personnummer; `reason` is checked to hold none.
// InvalidArgument for a malformed id or reason, AlreadyExists for an id used before.
Result<uint64_t> PlaceHold(EventStore& store, const std::string& hold_id, const std::string& number,
                           const std::string& reason, const std::string& actor,
                           std::optional<EventStore::Deadline> deadline);
// NotFound for an unknown hold, FailedPrecondition for one released already.
Result<uint64_t> ReleaseHold(EventStore& store, const std::string& hold_id, const std::string& reason,
                             const std::string& actor, std::optional<EventStore::Deadline> deadline);

}  // namespace sparbar::gallring
