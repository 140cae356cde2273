// DeviationsView: every stream of the deviations module (avvikelse-,
// lexsarah-, lexmaria-, uppfoljning-) folded from the log as it was at one
// size. Statistics, deadlines and stale plans are computed from it, so each
// can be computed again as the log stood at any earlier position: the
// answer depends on the events below that position and nothing else.
//
// An event the module cannot parse (one appended through the raw EventStore
// API to a module stream) is not folded; it is counted in `unreadable`, so a
// report can say that it left something out.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/deviations/decider.h"
#include "services/deviations/follow_up.h"
#include "services/deviations/lex_maria.h"
#include "services/deviations/lex_sarah.h"

namespace sparbar::deviations {

struct DeviationsView {
  uint64_t position = 0;  // the log size folded
  uint64_t unreadable = 0;
  std::map<std::string, DeviationState> deviations;  // by stream name
  std::map<std::string, lexsarah::LexSarahState> lex_sarah;
  std::map<std::string, lexmaria::LexMariaState> lex_maria;
  std::map<std::string, followup::FollowUpState> follow_ups;

  std::vector<DeviationState> Deviations() const;
  std::vector<lexsarah::LexSarahState> LexSarahReports() const;
  std::vector<lexmaria::LexMariaState> LexMariaCases() const;
};

// Folds the module's streams from events [0, size) of the log (size is
// clamped to the log's), read through the store's stream index
// (EventStore::ReadStreamsWithPrefix): the cost is that of the module's
// events, not of the log. `before_page`, when given, is asked before each
// page; a status other than Ok stops the fold with it.
Result<DeviationsView> FoldDeviationsView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::deviations
