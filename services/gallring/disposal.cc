#include "services/gallring/disposal.h"

#include <algorithm>

#include "sparbar/v1/gallring.pb.h"

namespace sparbar::gallring {
namespace {

constexpr size_t kEventsPerAppend = 1000;

std::string Hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

Result<DisposalOutcome> Dispose(EventStore& store, vault::KeyVault& vault, const std::vector<PersonFile>& files,
                                const std::vector<PlanEntry>& plan, const CivilDate& as_of, const std::string& actor,
                                std::optional<EventStore::Deadline> deadline) {
  if (files.size() != plan.size()) return Status::Internal("the plan does not match the files");
  std::vector<std::string> pseudonyms;
  std::vector<ProposedEvent> events;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].verdict != Verdict::kDispose) continue;
    auto id = vault.KeyIdOf(plan[i].pseudonym);
    if (id.status().code() == Code::kNotFound) continue;  // disposed of before
    if (!id.ok()) return id.status();
    v1::gallring::PersonDisposed e;
    e.set_key_id(*id);
    e.set_file_class(files[i].file_class);
    if (plan[i].due) e.set_due(plan[i].due->ToString());
    if (plan[i].deadline) e.set_deadline(plan[i].deadline->ToString());
    e.set_overdue(plan[i].overdue);
    e.set_as_of(as_of.ToString());
    e.set_reason(plan[i].reason);
    ProposedEvent p;
    p.id = Uuid::NameBased("sparbar/gallring/person-disposed/" + Hex(*id));
    p.type = v1::gallring::PersonDisposed::descriptor()->full_name();
    p.content_type = "application/x-protobuf";
    p.payload = e.SerializeAsString();
    events.push_back(std::move(p));
    pseudonyms.push_back(plan[i].pseudonym);
  }
  DisposalOutcome out;
  if (pseudonyms.empty()) return out;
  // Events a run that stopped half-way appended already are not appended again.
  std::vector<Uuid> ids;
  for (const ProposedEvent& p : events) ids.push_back(p.id);
  auto known = store.FindEventIds(ids);
  if (!known.ok()) return known.status();
  std::vector<ProposedEvent> fresh;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!(*known)[i]) fresh.push_back(std::move(events[i]));
  }
  for (size_t start = 0; start < fresh.size(); start += kEventsPerAppend) {
    const size_t end = std::min(fresh.size(), start + kEventsPerAppend);
    std::vector<ProposedEvent> chunk(std::make_move_iterator(fresh.begin() + static_cast<std::ptrdiff_t>(start)),
                                     std::make_move_iterator(fresh.begin() + static_cast<std::ptrdiff_t>(end)));
    auto appended = store.Append(kDisposalStream, ExpectedRevision::Any(), std::move(chunk), actor, deadline);
    if (!appended.ok()) {
      return Status(appended.status().code(), "the disposal events could not be recorded, so no key was destroyed: " +
                                                  appended.status().message());
    }
    if (!out.first_position) out.first_position = appended->first_position;
    out.last_position = appended->last_position;
  }
  auto destroyed = vault.DestroyAll(pseudonyms);
  if (!destroyed.ok()) {
    return Status(destroyed.status().code(), "the disposal events are recorded but the keys could not all be "
                                             "destroyed; run gallring again: " + destroyed.status().message());
  }
  out.disposed = destroyed->size();
  return out;
}

}  // namespace sparbar::gallring
