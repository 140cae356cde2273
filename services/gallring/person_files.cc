#include "services/gallring/person_files.h"

#include <map>

#include "services/common/fold_prefix.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "services/decisions/decider.h"
#include "services/gallring/legal_holds.h"

namespace sparbar::gallring {
namespace {

constexpr char kCaseClass[] = "sol-lss";

}  // namespace

Result<GatheredFiles> GatherPersonFiles(EventStore& store, const access::SubjectKey& key, uint64_t below_position) {
  const CivilDate today = StockholmDate(NowMicros());
  GatheredFiles out;
  std::map<std::string, PersonFile> by_pseudonym;
  // One case at a time: its state, and its latest entry.
  std::string stream;
  decisions::CaseState state;
  std::optional<CivilDate> last_entry;
  auto finish_case = [&] {
    if (stream.empty()) return;
    ++out.cases;
    if (state.application && state.application->subject().disposed()) {
      ++out.disposed_cases;
      return;
    }
    const std::string pnr = state.application ? state.application->subject().personal_identity_number() : "";
    auto person = ParsePersonalIdentity(pnr, today, "subject");
    if (!person.ok() || !last_entry) {
      ++out.unnamed_cases;
      return;
    }
    const std::string pseudonym = key.Of(person->number);
    auto [it, fresh] = by_pseudonym.try_emplace(pseudonym);
    PersonFile& f = it->second;
    if (fresh) {
      f.pseudonym = pseudonym;
      f.birth_date = person->birth_date;
      f.file_class = kCaseClass;
      f.last_entry = *last_entry;
    } else if (*last_entry > f.last_entry) {
      f.last_entry = *last_entry;
    }
  };
  Status read = ForEachWithPrefix(store, decisions::kStreamPrefix, below_position, [&](const EventRecord& e) {
    if (e.stream != stream) {
      finish_case();
      stream = e.stream;
      state = decisions::CaseState();
      last_entry.reset();
    }
    auto payload = decisions::Parse(e.type, e.payload);
    if (!payload.ok()) return;
    state = decisions::Evolve(std::move(state), std::move(payload.value()));
    const CivilDate day = StockholmDate(e.occurred_at);
    if (!last_entry || day > *last_entry) last_entry = day;
  });
  if (!read.ok()) return read;
  finish_case();
  auto held = HeldPseudonyms(store, key, below_position);
  if (!held.ok()) return held.status();
  for (auto& [p, f] : by_pseudonym) {
    f.legal_hold = held->count(p) > 0;
    out.files.push_back(std::move(f));
  }
  return out;
}

}  // namespace sparbar::gallring
