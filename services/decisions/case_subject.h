// The people a decisions case is about: the personnummer of its
// application, and of every correction of it, read from the case's stream
// up to a revision, normalized to 12 digits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eventstore/store.h"

namespace sparbar::decisions {

struct CaseSubjects {
  std::vector<std::string> people;  // normalized, each once, in the order they appear
  bool unreadable = false;          // an application whose personnummer does not check
};

// Folds `stream` through `through_revision`: each application the case
// held on the way (the first, and each correction's replacement) names its
// person. No such stream, or no application: no people.
Result<CaseSubjects> SubjectsOfCase(EventStore& store, const std::string& stream, uint64_t through_revision);

}  // namespace sparbar::decisions
