// The person a decisions case is about: the personnummer of its effective
// application (corrections applied), read from the case's stream.
#pragma once

#include <optional>
#include <string>

#include "eventstore/store.h"

namespace sparbar::decisions {

// nullopt when `stream` holds no application with a personnummer (no such
// stream, or only events that are not decisions events).
Result<std::optional<std::string>> CaseSubject(EventStore& store, const std::string& stream);

}  // namespace sparbar::decisions
