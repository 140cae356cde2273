// Carrying out the gallring plan (Gallring.Run): for each file the plan
// marks "gallras", one PersonDisposed event on the stream "gallring"
// (gallring.proto; no personal data, its id derived from the person's key
// id), appended in chunks, and only once those are durable, the people's
// data keys destroyed in one batch with one compaction (KeyVault::DestroyAll).
// A run that stops between the two leaves the events and the keys; the next
// run finds the same people due, appends nothing it has appended before,
// and destroys the keys. People without a key (already disposed) are passed over.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/common/civil_date.h"
#include "services/gallring/plan.h"
#include "services/vault/key_vault.h"

namespace sparbar::gallring {

inline constexpr char kDisposalStream[] = "gallring";

struct DisposalOutcome {
  uint64_t disposed = 0;  // keys destroyed
  std::optional<uint64_t> first_position, last_position;  // events appended by this run
};

// `plan` is Plan(rules, files, as_of): one entry per file, in the files' order.
Result<DisposalOutcome> Dispose(EventStore& store, vault::KeyVault& vault, const std::vector<PersonFile>& files,
                                const std::vector<PlanEntry>& plan, const CivilDate& as_of, const std::string& actor,
                                std::optional<EventStore::Deadline> deadline);

}  // namespace sparbar::gallring
