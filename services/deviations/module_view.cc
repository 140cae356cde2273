#include "services/deviations/module_view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::deviations {
namespace {

template <class State>
std::vector<State> Values(const std::map<std::string, State>& by_stream) {
  std::vector<State> out;
  out.reserve(by_stream.size());
  for (const auto& [stream, state] : by_stream) out.push_back(state);
  return out;
}

}  // namespace

std::vector<DeviationState> DeviationsView::Deviations() const { return Values(deviations); }
std::vector<lexsarah::LexSarahState> DeviationsView::LexSarahReports() const { return Values(lex_sarah); }
std::vector<lexmaria::LexMariaState> DeviationsView::LexMariaCases() const { return Values(lex_maria); }

Result<DeviationsView> FoldDeviationsView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page) {
  DeviationsView view;
  view.position = std::min(size, store.Size());
  // Through the stream index: the cost is that of the module's events, not of the log.
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.deviations, view.unreadable, &deviations::Parse,
                        &deviations::Evolve, before_page);
  if (s.ok()) {
    s = FoldPrefix(store, lexsarah::kStreamPrefix, view.position, view.lex_sarah, view.unreadable,
                   &lexsarah::Parse, &lexsarah::Evolve, before_page);
  }
  if (s.ok()) {
    s = FoldPrefix(store, lexmaria::kStreamPrefix, view.position, view.lex_maria, view.unreadable,
                   &lexmaria::Parse, &lexmaria::Evolve, before_page);
  }
  if (s.ok()) {
    s = FoldPrefix(store, followup::kStreamPrefix, view.position, view.follow_ups, view.unreadable,
                   &followup::Parse, &followup::Evolve, before_page);
  }
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::deviations
