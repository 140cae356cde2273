#include "services/access/review_context.h"

#include <algorithm>
#include <functional>

#include "services/common/fold_prefix.h"

namespace sparbar::access {
namespace {

// Lower-cases ASCII and the common Swedish capitals in UTF-8 (Å Ä Ö É Ü).
std::string Fold(std::string_view part) {
  std::string out;
  for (size_t i = 0; i < part.size(); ++i) {
    const auto c = static_cast<unsigned char>(part[i]);
    if (c == 0xC3 && i + 1 < part.size()) {
      auto next = static_cast<unsigned char>(part[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      out += static_cast<char>(c);
      out += static_cast<char>(next);
      ++i;
    } else {
      out += static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

template <class M>
bool ParseAs(const EventRecord& e, M& m) {
  return e.type == M::descriptor()->full_name() && m.ParseFromString(e.payload);
}

}  // namespace

bool IsStoredPnr(std::string_view n) {
  return n.size() == 12 && n.find_first_not_of("0123456789") == std::string_view::npos;
}

std::set<std::string> SurnameHashes(const SubjectKey& key, std::string_view surname) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= surname.size()) {
    size_t end = surname.find_first_of(" -", start);
    if (end == std::string_view::npos) end = surname.size();
    // Particles of noble and foreign names ("von", "af", "de") are not a shared surname.
    static const std::set<std::string> kParticles = {"af", "av", "von", "de", "van", "der", "den", "la", "le", "du", "di"};
    if (end > start) {
      const std::string part = Fold(surname.substr(start, end - start));
      if (!kParticles.count(part)) out.insert(key.Of("efternamn\x1f" + part));
    }
    start = end + 1;
  }
  return out;
}

const ReviewContext::PersonFact* ReviewContext::PersonOn(const std::string& subject, const CivilDate& day) const {
  auto it = persons.find(subject);
  if (it == persons.end()) return nullptr;
  const PersonFact* found = nullptr;
  for (const PersonFact& f : it->second) {
    if (f.from > day) break;
    found = &f;
  }
  return found;
}

std::vector<std::string> ReviewContext::ProtectedDuring(const CivilDate& from, const CivilDate& to) const {
  std::vector<std::string> out;
  for (const auto& [subject, facts] : persons) {
    for (size_t i = 0; i < facts.size(); ++i) {
      // Fact i holds from its day until the next fact's day.
      const bool overlaps = facts[i].from <= to && (i + 1 == facts.size() || facts[i + 1].from > from);
      if (overlaps && facts[i].protected_identity) {
        out.push_back(subject);
        break;
      }
    }
  }
  return out;
}

Result<ReviewContext> FoldReviewContext(EventStore& store, const SubjectKey& key, uint64_t size) {
  ReviewContext c;
  Status s = ForEachWithPrefix(store, kContextStreamPrefix, size, [&](const EventRecord& e) {
    lr::PersonContextRecorded person;
    lr::StaffMemberRecorded staff;
    lr::WorkingHoursSet hours;
    if (e.stream == kPersonsStream && ParseAs(e, person) && IsStoredPnr(person.subject().personal_identity_number())) {
      auto from = CivilDate::TryParse(person.effective_date());
      if (!from) {
        ++c.unreadable;
        return;
      }
      auto& facts = c.persons[key.Of(person.subject().personal_identity_number())];
      ReviewContext::PersonFact f{*from, person.protected_identity(), SurnameHashes(key, person.surname())};
      // A later record for the same day replaces it; facts stay sorted by day.
      auto at = std::lower_bound(facts.begin(), facts.end(), *from,
                                 [](const ReviewContext::PersonFact& x, const CivilDate& d) { return x.from < d; });
      if (at != facts.end() && at->from == *from) {
        *at = std::move(f);
      } else {
        facts.insert(at, std::move(f));
      }
    } else if (e.stream == kStaffStream && ParseAs(e, staff) && !staff.user_hsa_id().empty()) {
      ReviewContext::Staff& st = c.staff[staff.user_hsa_id()];
      if (!st.own_subject.empty()) c.staff_by_subject[st.own_subject].erase(staff.user_hsa_id());
      st.surname = SurnameHashes(key, staff.surname());
      st.units = {staff.units().begin(), staff.units().end()};
      const std::string& own = staff.own_identity().personal_identity_number();
      st.own_subject = IsStoredPnr(own) ? key.Of(own) : "";
      if (!st.own_subject.empty()) c.staff_by_subject[st.own_subject].insert(staff.user_hsa_id());
    } else if (e.stream == kHoursStream && ParseAs(e, hours) && !hours.unit().empty()) {
      c.hours[hours.unit()] = {hours.spans().begin(), hours.spans().end()};
    } else {
      ++c.unreadable;
    }
  });
  if (!s.ok()) return s;
  auto rights = access_rights::FoldAccessRightsView(store, size);
  if (!rights.ok()) return rights.status();
  c.rights = access_rights::RightsRegister::From(*rights);
  c.unreadable += rights->unreadable;
  return c;
}

}  // namespace sparbar::access
