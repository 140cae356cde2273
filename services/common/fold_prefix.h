// Folding every stream of a module (those whose names start with a prefix)
// from the log's first `size` events, read through the store's stream index
// (EventStore::ReadStreamsWithPrefix): the cost is that of the module's
// events, not of the log. Used by the module views that reports are
// computed from (deviations, complaints, incidents); ForEachWithPrefix
// for readers that fold the events themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "eventstore/store.h"

namespace sparbar {

// Calls `each` for every event of the streams with `prefix` among the log's
// first `size` events, stream by stream, each in revision order.
inline Status ForEachWithPrefix(EventStore& store, std::string_view prefix, uint64_t size,
                                const std::function<void(const EventRecord&)>& each) {
  ReadPrefixOptions o;
  o.stream_prefix = std::string(prefix);
  o.below_position = size;
  o.max_count = 1000;
  while (true) {
    auto page = store.ReadStreamsWithPrefix(o);
    if (!page.ok()) return page.status();
    for (const EventRecord& e : page->events) each(e);
    if (page->end) return Status::Ok();
    o.from_stream = std::move(page->next_stream);
    o.from_revision = page->next_revision;
  }
}

// Folds the streams with `prefix` into `states` (by stream name) with
// `parse(type, bytes)` and `evolve(state, payload)`. An event `parse`
// refuses is not folded but counted in `unreadable`. `before_page`, when
// given, is asked before each page; a status other than Ok stops the fold
// with it.
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

}  // namespace sparbar
