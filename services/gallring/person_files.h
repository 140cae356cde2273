// The person files the gallring plan judges, gathered from the log: one per
// person with a decisions case (class "sol-lss": every case is under SoL or
// LSS), named by pseudonym, with the birth date from the personnummer
// (a samordningsnummer's real day) and the day of the file's last entry:
// the latest occurred_at among the person's case events (the client's
// claim, recorded_at when it gives none, so that migrated files keep their
// dates), and a legal hold when one stands on the person (legal_holds.h).
// Placements of minors and registers are not in the log yet, so none is
// marked. Cases naming no valid personnummer are
// counted, not planned; so are cases whose person is disposed of. The
// store must open personal data (vault/sealing_store.h).
#pragma once

#include <cstdint>
#include <vector>

#include "eventstore/store.h"
#include "services/access/subject_key.h"
#include "services/gallring/plan.h"

namespace sparbar::gallring {

struct GatheredFiles {
  std::vector<PersonFile> files;  // by pseudonym
  uint64_t cases = 0;             // case streams read
  uint64_t unnamed_cases = 0;     // cases without a valid personnummer
  uint64_t disposed_cases = 0;    // cases whose person's data is disposed of (gallrad)
};

// Reads the case streams as of log size `below_position`.
Result<GatheredFiles> GatherPersonFiles(EventStore& store, const access::SubjectKey& key, uint64_t below_position);

}  // namespace sparbar::gallring
