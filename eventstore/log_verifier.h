// LogVerifier: recomputes the whole log and checks it against what is stored.
//
// For every position from 0: the event's key and bytes decode and agree with
// each other, every tree node it completes at the levels the log stores
// equals the stored one (log_nodes.h), and the stream and event-id indexes
// hold exactly its entries, pointing back to it, and nothing else; the tree
// holds no other node (both checked on threads of their own by fingerprint,
// index_check.h, not by a lookup per entry). At every stored checkpoint: the
// recomputed root equals the signed root, the signature verifies with the
// given key, and the store's consistency proof from the previous checkpoint
// verifies. A checkpoint larger than the log means events were removed.
// Stops at the first mismatch and names its position.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "eventstore/checkpoint/signer.h"
#include "eventstore/log_db.h"
#include "eventstore/status.h"

namespace sparbar {

struct VerifyReport {
  bool ok = true;
  uint64_t events_checked = 0;
  uint64_t bytes_checked = 0;              // the events' stored bytes, each hashed as a Merkle leaf
  uint64_t checkpoints_checked = 0;
  std::string error;                       // first problem, empty when ok
  // Event position of the first mismatch, if known. A stored node over
  // events without stored leaf hashes that does not match them names its
  // first event: one of its events, or the node, was changed.
  std::optional<uint64_t> bad_position;
};

// Called every `progress_every` events with (checked, total); return false to stop.
using VerifyProgress = std::function<bool(uint64_t checked, uint64_t total)>;

// Verifies `db` as of a consistent snapshot. `key` checks checkpoint signatures.
// A non-ok Status means verification could not run (I/O); a log that does not
// verify is an ok Status with report.ok == false.
Result<VerifyReport> VerifyLog(LogDb& db, const checkpoint::Verifier& key,
                               const VerifyProgress& progress = nullptr,
                               uint64_t progress_every = 10000);

// Opens `data_dir` read-only and verifies it. When `verifier_key` is empty the
// key recorded in the log's own metadata is used (trust on first use).
Result<VerifyReport> VerifyDataDir(const std::string& data_dir, const std::string& verifier_key,
                                   const VerifyProgress& progress = nullptr);

}  // namespace sparbar
