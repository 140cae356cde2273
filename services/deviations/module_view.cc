#include "services/deviations/module_view.h"

#include <algorithm>


namespace sparbar::deviations {
namespace {

template <class State>
std::vector<State> Values(const std::map<std::string, State>& by_stream) {
  std::vector<State> out;
  out.reserve(by_stream.size());
  for (const auto& [stream, state] : by_stream) out.push_back(state);
  return out;
}

// Folds the streams with `prefix` into `states` with the module's Parse and
// Evolve, reading them through the store's stream index.
template <class State, class Parse, class Evolve>
Status FoldPrefix(EventStore& store, std::string_view prefix, uint64_t size, std::map<std::string, State>& states,
                  uint64_t& unreadable, Parse parse, Evolve evolve, const std::function<Status()>& before_page) {
  ReadPrefixOptions o;
  o.stream_prefix = std::string(prefix);
  o.below_position = size;
  o.max_count = 1000;
  while (true) {
    if (before_page) {
      if (Status stop = before_page(); !stop.ok()) return stop;
    }
    auto page = store.ReadStreamsWithPrefix(o);
    if (!page.ok()) return page.status();
    for (const EventRecord& e : page->events) {
      auto payload = parse(e.type, e.payload);
      if (!payload.ok()) {
        ++unreadable;
        continue;
      }
      State& s = states[e.stream];
      s = evolve(std::move(s), *payload);
    }
    if (page->end) return Status::Ok();
    o.from_stream = std::move(page->next_stream);
    o.from_revision = page->next_revision;
  }
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
