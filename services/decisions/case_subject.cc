#include "services/decisions/case_subject.h"

#include "services/decisions/decider.h"

namespace sparbar::decisions {

Result<std::optional<std::string>> CaseSubject(EventStore& store, const std::string& stream) {
  CaseState state;
  ReadStreamOptions o;
  o.max_count = 1000;
  while (true) {
    auto page = store.ReadStream(stream, o);
    if (!page.ok()) {
      if (page.status().code() == Code::kNotFound) return std::optional<std::string>();
      return page.status();
    }
    for (const EventRecord& e : page->events) {
      auto payload = Parse(e.type, e.payload);
      if (payload.ok()) state = Evolve(std::move(state), std::move(payload.value()));
    }
    if (page->end_of_stream || page->events.empty()) break;
    o.from_revision = page->next_revision;
  }
  if (!state.application || state.application->subject().personal_identity_number().empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(state.application->subject().personal_identity_number());
}

}  // namespace sparbar::decisions
