// Spårbar's own reads of access data are access events too: before a query
// answers with data about people, it records one access event per person on
// the stream "atkomst-sparbar" (user: the caller; unit and source system
// "sparbar"; record: the method), in durable appends of at most the batch
// limit each. When one cannot be written, the query must not answer (the
// appends before it stay: a read is recorded more often, never less).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/access/access_event.h"
#include "services/caller.h"

namespace sparbar::access {

inline constexpr std::string_view kOwnSource = "sparbar";

// `subjects`: normalized personnummer, each once. Nothing to record: Ok.
// The failure's message says that nothing is returned.
Status RecordOwnReads(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                      const std::string& method, const std::vector<std::string>& subjects,
                      std::optional<EventStore::Deadline> deadline);

}  // namespace sparbar::access
