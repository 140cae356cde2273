#include "services/deviations/back_link.h"

#include <algorithm>

#include "services/common/swedish_time.h"
#include "services/deviations/modules.h"

namespace sparbar::deviations {
namespace {

Result<DeviationState> LoadDeviation(EventStore* store, const DeviationsModule& module, const std::string& stream) {
  auto stored = StepRecorder<DeviationsModule>(store, &module).Load(stream);
  if (!stored.ok()) return stored.status();
  if (stored->events.empty()) return Status::InvalidArgument("from_deviation names no recorded deviation");
  return module.Fold(stored->events);
}

pb::LinkedToCase Link(pb::LinkKind kind, const std::string& case_stream, const std::string& linked_on) {
  pb::LinkedToCase link;
  link.set_kind(kind);
  link.set_case_stream(case_stream);
  link.set_linked_date(linked_on);
  return link;
}

}  // namespace

Status CheckLinkable(EventStore* store, const DeviationTaxonomy* taxonomy, const std::string& deviation_stream,
                     pb::LinkKind kind, const std::string& linked_on) {
  const DeviationsModule module{taxonomy};
  auto state = LoadDeviation(store, module, deviation_stream);
  if (!state.ok()) return state.status();
  // The case's own stream name is checked by its decider; a stand-in of the right kind here.
  const std::string stand_in = std::string(LinkedStreamPrefix(kind)) + "check";
  auto decided = module.Decide(*state, Link(kind, stand_in, linked_on), module.ContextOn(StockholmDate(NowMicros())));
  if (decided.ok()) return Status::Ok();
  return Status(decided.status().code(), "from_deviation " + deviation_stream + " cannot be taken up on " + linked_on +
                                             ": " + decided.status().message());
}

Status RecordBackLink(EventStore* store, const DeviationTaxonomy* taxonomy, const std::string& deviation_stream,
                      pb::LinkKind kind, const std::string& case_stream, const std::string& linked_on,
                      const std::string& actor, std::optional<EventStore::Deadline> deadline) {
  const DeviationsModule module{taxonomy};
  const StepRecorder<DeviationsModule> recorder(store, &module);
  const std::string id = deviation_stream.substr(kStreamPrefix.size());
  const Uuid event_id = Uuid::NameBased("sparbar back link " + deviation_stream + " " + case_stream);
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {  // another step of the deviation may come in between
    auto state = LoadDeviation(store, module, deviation_stream);
    if (!state.ok()) return state.status();
    const auto& linked = state->linked_cases;
    if (std::find(linked.begin(), linked.end(), case_stream) != linked.end()) return Status::Ok();
    auto recorded = recorder.Record(id, event_id.ToString(), std::nullopt, Link(kind, case_stream, linked_on), actor,
                                    deadline);
    if (recorded.ok()) return Status::Ok();
    last = recorded.status();
    if (last.code() != Code::kAborted) break;
  }
  return last;
}

Result<std::vector<std::string>> LexMariaCasesNaming(EventStore* store, const std::string& deviation_stream) {
  std::vector<std::string> cases;
  ReadPrefixOptions o;
  o.stream_prefix = std::string(lexmaria::kStreamPrefix);
  while (true) {
    auto page = store->ReadStreamsWithPrefix(o);
    if (!page.ok()) return page.status();
    for (const EventRecord& e : page->events) {
      if (e.revision != 0) continue;
      auto opening = lexmaria::Parse(e.type, e.payload);
      if (!opening.ok()) continue;
      const auto* opened = std::get_if<lexmaria::pb::LexMariaOpened>(&*opening);
      if (opened != nullptr && opened->from_deviation() == deviation_stream) cases.push_back(e.stream);
    }
    if (page->end) return cases;
    o.from_stream = std::move(page->next_stream);
    o.from_revision = page->next_revision;
  }
}

}  // namespace sparbar::deviations
