// Spårbar's own reads of personal data are access events too: before a
// method answers with data about people, it records one access event per
// person on the stream "atkomst-sparbar" (source system "sparbar"), in
// durable appends of at most the batch limit each. When one cannot be
// written, the method must not answer (the appends before it stay: a read is
// recorded more often, never less). A refused read is recorded the same way,
// with outcome denied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/access/access_event.h"
#include "services/caller.h"

namespace sparbar::access {

inline constexpr std::string_view kOwnSource = "sparbar";

// One of Spårbar's own accesses to a person's data.
struct OwnAccess {
  std::string subject;     // normalized personnummer
  std::string role;        // the role the caller acted in ("" : its roles, comma-separated)
  std::string unit;        // the unit it acted for ("": "sparbar")
  std::string record_ref;  // the method, or the record read
  pb::Purpose purpose = pb::PURPOSE_NORMAL_WORK;
  std::string emergency_reason;  // nödåtkomst
  pb::Outcome outcome = pb::OUTCOME_ALLOWED;
};

// Records `accesses` by `caller`. Nothing to record: Ok. The failure's
// message says that nothing is returned.
Status RecordOwnAccesses(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                         const std::vector<OwnAccess>& accesses, std::optional<EventStore::Deadline> deadline);

// A read of `subjects` (normalized personnummer, each once) by `method`.
Status RecordOwnReads(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                      const std::string& method, const std::vector<std::string>& subjects,
                      std::optional<EventStore::Deadline> deadline);

}  // namespace sparbar::access
