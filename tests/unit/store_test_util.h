// Helpers for tests of the event store library: open a store in a temp dir,
// build proposed events.
#pragma once

#include <string>
#include <vector>

#include "eventstore/store.h"
#include "support/temp_dir.h"

namespace sparbar::testing {

inline ProposedEvent MakeEvent(std::string type = "test.event", std::string payload = "{}") {
  ProposedEvent e;
  e.id = Uuid::Random();
  e.type = std::move(type);
  e.content_type = "application/json";
  e.payload = std::move(payload);
  return e;
}

inline std::vector<ProposedEvent> MakeEvents(size_t n, const std::string& type = "test.event") {
  std::vector<ProposedEvent> v;
  for (size_t i = 0; i < n; ++i) v.push_back(MakeEvent(type, "{\"i\":" + std::to_string(i) + "}"));
  return v;
}

inline StoreOptions TestOptions(const TempDir& dir) {
  StoreOptions o;
  o.data_dir = (dir.path() / "data").string();
  o.origin = "test.sparbar.local/log";
  o.checkpoint_every_events = 10;
  o.checkpoint_interval_ms = 60000;
  return o;
}

inline std::unique_ptr<EventStore> OpenStore(const StoreOptions& o) {
  auto s = EventStore::Open(o);
  if (!s.ok()) throw std::runtime_error(s.status().ToString());
  return std::move(s.value());
}

}  // namespace sparbar::testing
