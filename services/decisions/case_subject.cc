#include "services/decisions/case_subject.h"

#include <algorithm>

#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "services/decisions/decider.h"

namespace sparbar::decisions {

Result<CaseSubjects> SubjectsOfCase(EventStore& store, const std::string& stream, uint64_t through_revision) {
  const CivilDate today = StockholmDate(NowMicros());
  CaseSubjects out;
  std::string last;  // the application's personnummer as last seen
  CaseState state;
  ReadStreamOptions o;
  o.max_count = 1000;
  while (o.from_revision <= through_revision) {
    auto page = store.ReadStream(stream, o);
    if (!page.ok()) {
      if (page.status().code() == Code::kNotFound) return out;
      return page.status();
    }
    for (const EventRecord& e : page->events) {
      if (e.revision > through_revision) break;
      auto payload = Parse(e.type, e.payload);
      if (!payload.ok()) continue;
      state = Evolve(std::move(state), std::move(payload.value()));
      if (!state.application || state.application->subject().personal_identity_number() == last) continue;
      last = state.application->subject().personal_identity_number();
      auto person = ParsePersonalIdentity(last, today, "subject");
      if (!person.ok()) {
        out.unreadable = true;
      } else if (std::find(out.people.begin(), out.people.end(), person->number) == out.people.end()) {
        out.people.push_back(person->number);
      }
    }
    if (page->end_of_stream || page->events.empty()) break;
    o.from_revision = page->next_revision;
  }
  return out;
}

}  // namespace sparbar::decisions
