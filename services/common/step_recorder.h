// Recording one step of a domain module's stream (a decisions case, a
// deviation), the same way in every module: fold the stream, Decide the
// step against it, append it expecting the revision that was folded.
//
// - A retry of a step already recorded (same event id and caller, and the
//   same event once decided against the stream as it was then) is answered
//   again (duplicate) and writes nothing; any other reuse of the id is
//   ALREADY_EXISTS.
// - expected_revision, when given, must be the stream's last revision
//   (ABORTED otherwise); a change between the fold and the append is ABORTED.
// - A stream holding an event the module cannot parse (appended through the
//   raw API) takes no new steps (FAILED_PRECONDITION).
// Nothing is written on any failure. `M` gives the module: the type Payload;
// Parse, TypeOf, Serialize, Fold, Decide and ContextOn(today), which makes the
// context Decide takes; kStreamPrefix, kContentType, kNoun ("case",
// "deviation") and kModule ("decisions", "deviations").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/common/swedish_time.h"

namespace sparbar {

// A module's Fold: `evolve` over `events` from the empty state.
template <class State, class Payload>
State FoldWith(State (*evolve)(State, const Payload&), const std::vector<Payload>& events) {
  State s;
  for (const auto& e : events) s = evolve(std::move(s), e);
  return s;
}

struct RecordedStep {
  uint64_t position = 0;
  uint64_t revision = 0;
  bool duplicate = false;
};

template <class M>
class StepRecorder {
 public:
  using Payload = typename M::Payload;

  // Both must outlive the recorder.
  StepRecorder(EventStore* store, const M* module) : store_(store), module_(module) {}

  // A stream as stored: its records and their payloads, in revision order.
  struct Stored {
    std::vector<EventRecord> records;
    std::vector<Payload> events;
  };

  // Reads a stream of the module (empty when it has no events);
  // FailedPrecondition when it holds an event the module cannot parse.
  Result<Stored> Load(const std::string& stream) const {
    Stored s;
    ReadStreamOptions o;
    o.max_count = 1000;
    while (true) {
      auto page = store_->ReadStream(stream, o);
      if (!page.ok()) {
        if (page.status().code() == Code::kNotFound) break;
        return page.status();
      }
      for (auto& e : page->events) {
        auto p = module_->Parse(e.type, e.payload);
        if (!p.ok()) {
          return Status::FailedPrecondition("the " + std::string(M::kNoun) + "'s stream holds an event (revision " +
                                            std::to_string(e.revision) + ") that is not a " +
                                            std::string(M::kModule) + " event; the " + std::string(M::kNoun) +
                                            " cannot take new steps");
        }
        s.events.push_back(std::move(p.value()));
        s.records.push_back(std::move(e));
      }
      if (page->end_of_stream) break;
      o.from_revision = page->next_revision;
    }
    return s;
  }

  // `id` names the stream (already validated); `event_id` is empty or a UUID.
  Result<RecordedStep> Record(const std::string& id, const std::string& event_id,
                              std::optional<uint64_t> expected_revision, const Payload& step, const std::string& actor,
                              std::optional<EventStore::Deadline> deadline) const {
    Uuid uuid = Uuid::Random();
    if (!event_id.empty()) {
      auto parsed = Uuid::Parse(event_id);
      if (!parsed.ok()) return Status::InvalidArgument("event_id must be a UUID");
      uuid = *parsed;
    }
    const std::string stream = std::string(M::kStreamPrefix) + id;
    auto stored = Load(stream);
    if (!stored.ok()) return stored.status();
    const uint64_t next_revision = stored->records.size();
    if (!event_id.empty()) {
      for (const auto& rec : stored->records) {
        if (rec.id != uuid) continue;
        const std::vector<Payload> before(stored->events.begin(), stored->events.begin() + rec.revision);
        auto redecided = module_->Decide(module_->Fold(before), step, module_->ContextOn(StockholmDate(rec.recorded_at)));
        if (rec.type != module_->TypeOf(step) || rec.metadata.actor != actor || !redecided.ok() ||
            module_->Serialize(*redecided) != rec.payload) {
          return Status::AlreadyExists("event_id " + uuid.ToString() + " was used for another step of this " +
                                       std::string(M::kNoun));
        }
        return RecordedStep{rec.position, rec.revision, true};
      }
    }
    if (expected_revision && (next_revision == 0 || *expected_revision != next_revision - 1)) {
      return Status::Aborted("the " + std::string(M::kNoun) + " is at revision " +
                             (next_revision == 0 ? std::string("none (it has no events)")
                                                 : std::to_string(next_revision - 1)) +
                             ", not " + std::to_string(*expected_revision) + "; read it again; nothing was written");
    }
    auto event = module_->Decide(module_->Fold(stored->events), step, module_->ContextOn(StockholmDate(NowMicros())));
    if (!event.ok()) return event.status();
    ProposedEvent proposed;
    proposed.id = uuid;
    proposed.type = module_->TypeOf(*event);
    proposed.content_type = std::string(M::kContentType);
    proposed.payload = module_->Serialize(*event);
    // Expect the revision that was folded: a step decided on a stale stream is refused.
    const ExpectedRevision expected =
        next_revision == 0 ? ExpectedRevision::NoStream() : ExpectedRevision::Exact(next_revision - 1);
    auto appended = store_->Append(stream, expected, {proposed}, actor, deadline);
    if (!appended.ok()) {
      if (appended.status().code() == Code::kAborted) {
        return Status::Aborted("the " + std::string(M::kNoun) +
                               " changed while this step was decided; read it again and retry; nothing was written");
      }
      return appended.status();
    }
    return RecordedStep{appended->first_position, appended->first_revision, appended->duplicate};
  }

 private:
  EventStore* store_;
  const M* module_;
};

}  // namespace sparbar
