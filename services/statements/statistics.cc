#include "services/statements/statistics.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "services/common/counts.h"

namespace sparbar::statements {
namespace {

// Counts keyed by a code, with the code's name.
using Named = std::map<std::string, std::pair<std::string, int64_t>>;

void Add(Named& counts, const std::string& key, const std::string& name) {
  auto& entry = counts[key];
  entry.first = name;
  ++entry.second;
}

void Fill(CountList* list, const Named& counts) {
  for (const auto& [key, entry] : counts) AddCount(list, key, entry.first, entry.second);
}

}  // namespace

rpb::StatementStatistics StatementStatistics(const StatementsView& view, const CivilDate& from, const CivilDate& to) {
  rpb::StatementStatistics r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  Named authorities, subjects, pairs, areas;
  for (const auto& [stream, s] : view.requests) {
    if (!s.Requested() || s.received_on < from || to < s.received_on) continue;
    const pb::StatementRequested& q = *s.requested;
    r.set_requests(r.requests() + 1);
    const std::string authority = AuthorityName(q);
    const std::string authority_key = q.authority() == pb::AUTHORITY_OTHER ? authority : AuthorityKey(q.authority());
    Add(authorities, authority_key, authority);
    Add(subjects, SubjectKey(q.subject()), SubjectName(q.subject()));
    Add(pairs, authority_key + "/" + SubjectKey(q.subject()), authority + " – " + SubjectName(q.subject()));
    if (!q.area().empty()) Add(areas, q.area(), q.area());
    if (s.sent) {
      r.set_sent(r.sent() + 1);
      r.set_sent_by_due_date(r.sent_by_due_date() + !s.SentLate());
    }
    const bool answered_by_end = (s.sent && !(to < s.sent_on)) || (s.closed && !(to < s.closed_on));
    r.set_open_at_period_end(r.open_at_period_end() + !answered_by_end);
    if (s.closed) {
      r.set_closed(r.closed() + 1);
      r.set_closed_with_criticism(r.closed_with_criticism() + (s.closed->conclusion() == pb::CONCLUSION_CRITICISM));
    }
    r.set_reported_to_committee(r.reported_to_committee() + s.reported.has_value());
  }
  Fill(r.mutable_by_authority(), authorities);
  Fill(r.mutable_by_subject(), subjects);
  Fill(r.mutable_by_authority_subject(), pairs);
  Fill(r.mutable_by_area(), areas);
  return r;
}

rpb::DueResponse BuildDue(const StatementsView& view, const CivilDate& on, pb::Authority authority) {
  rpb::DueResponse r;
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  std::vector<std::tuple<CivilDate, std::string, rpb::DueStatement>> due;
  for (const auto& [stream, s] : view.requests) {
    if (!s.Awaiting() || on < s.received_on) continue;
    const pb::StatementRequested& q = *s.requested;
    if (authority != pb::AUTHORITY_UNSPECIFIED && q.authority() != authority) continue;
    rpb::DueStatement d;
    d.set_stream(stream);
    d.set_authority(AuthorityName(q));
    d.set_authority_reference(q.authority_reference());
    d.set_subject(SubjectName(q.subject()));
    d.set_received_date(q.received_date());
    d.set_due(s.due_on.ToString());
    d.set_days_left(s.due_on.DaysSinceEpoch() - on.DaysSinceEpoch());
    d.set_responsible(q.responsible());
    due.emplace_back(s.due_on, stream, std::move(d));
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [when, stream, d] : due) *r.add_statements() = std::move(d);
  return r;
}

}  // namespace sparbar::statements
