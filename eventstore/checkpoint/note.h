// Checkpoints in the C2SP tlog-checkpoint format, signed as C2SP signed notes.
//
// Body:      "<origin>\n<size in decimal>\n<base64 root hash>\n" (extension
//            lines may follow; they are tolerated when reading and ignored).
// Signed:    body + "\n" + one line per signature:
//            "— <key name> <base64(4-byte big-endian key hash || 64-byte sig)>\n"
//            ("— " is U+2014 EM DASH and a space). The signature covers the body.
// Parsing is strict: valid UTF-8 without control characters, a blank line
// before the signatures, a size without leading zeros that fits in 64 bits,
// canonical base64 of a 32-byte root, well-formed signature lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/checkpoint/signer.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar::checkpoint {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
};

// InvalidArgument unless `origin` can be a checkpoint's origin line: non-empty
// UTF-8 without control characters (so no newline).
Status ValidateOrigin(std::string_view origin);

// Precondition (checked by assert): ValidateOrigin(c.origin).ok().
std::string CheckpointBody(const Checkpoint& c);
// The full note: the body, a blank line and the signer's signature line.
std::string SignCheckpoint(const Checkpoint& c, const Signer& signer);

// Parses `note` and checks it carries a valid signature by `verifier` (same key
// name and key hash); signatures by other keys are ignored. Every failure is
// DataLoss ("checkpoint signature does not verify", "checkpoint has no
// signature by ...", or the parse problem), since the note cannot be trusted.
Result<Checkpoint> OpenCheckpoint(std::string_view note, const Verifier& verifier);

// Parses a signed note without checking any signature. InvalidArgument when
// malformed.
Result<Checkpoint> ParseCheckpointUnverified(std::string_view note);

}  // namespace sparbar::checkpoint
