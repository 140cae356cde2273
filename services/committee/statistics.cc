#include "services/committee/statistics.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "services/committee/dnr.h"
#include "services/common/counts.h"

namespace sparbar::committee {

rpb::CommitteeStatistics CommitteeStatistics(const MeetingsView& view, const CommitteeRules& rules,
                                             const CivilDate& from, const CivilDate& to) {
  rpb::CommitteeStatistics r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  r.set_attest_within_days(static_cast<uint32_t>(rules.attest_within_days()));
  r.set_notice_within_days(static_cast<uint32_t>(rules.notice_within_days()));
  std::map<std::string, int64_t> bodies, months, forms;
  for (const auto& [stream, s] : view.meetings) {
    if (!s.Held() || s.held_on < from || to < s.held_on) continue;
    r.set_meetings(r.meetings() + 1);
    ++bodies[s.meeting->body()];
    ++months[s.held_on.ToString().substr(0, 7)];
    for (const auto& [number, p] : s.paragraphs) {
      r.set_paragraphs(r.paragraphs() + 1);
      if (!p.recorded.dnr().empty()) {
        r.set_paragraphs_with_dnr(r.paragraphs_with_dnr() + 1);
        if (auto dnr = ParseDnr(p.recorded.dnr(), "dnr"); dnr.ok()) ++forms[DnrFormName(dnr->form)];
      }
      r.set_paragraphs_attested_at_once(r.paragraphs_attested_at_once() + p.attested_at_once);
      for (const auto& reservation : p.reservations) {
        if (reservation.protocol_note()) {
          r.set_protocol_notes(r.protocol_notes() + 1);
        } else {
          r.set_reservations(r.reservations() + 1);
        }
      }
    }
    if (s.Attested()) {
      r.set_protocols_attested(r.protocols_attested() + 1);
      r.set_attested_within_deadline(r.attested_within_deadline() + !(s.AttestDue(rules) < *s.attested_on));
    }
    if (s.notice) {
      r.set_notices_posted(r.notices_posted() + 1);
      r.set_notices_within_deadline(r.notices_within_deadline() + !s.NoticeLate(rules));
    }
  }
  for (const auto& [body, n] : bodies) AddCount(r.mutable_by_body(), body, body, n);
  for (const auto& [month, n] : months) AddCount(r.mutable_by_month(), month, month, n);
  for (const auto& [form, n] : forms) AddCount(r.mutable_dnr_by_form(), form, form, n);
  return r;
}

rpb::DueResponse BuildDue(const MeetingsView& view, const CommitteeRules& rules, const CivilDate& on,
                          const std::string& body) {
  rpb::DueResponse r;
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  std::vector<std::tuple<CivilDate, std::string, rpb::DueStep>> due;
  for (const auto& [stream, s] : view.meetings) {
    if (!s.Held() || on < s.held_on || s.notice) continue;
    if (!body.empty() && s.meeting->body() != body) continue;
    const CivilDate when = s.Attested() ? *s.NoticeDue(rules) : s.AttestDue(rules);
    rpb::DueStep d;
    d.set_stream(stream);
    d.set_body(s.meeting->body());
    d.set_meeting_date(s.held_on.ToString());
    d.set_awaits(s.Attested() ? "anslag" : "justering");
    d.set_due(when.ToString());
    d.set_days_left(when.DaysSinceEpoch() - on.DaysSinceEpoch());
    due.emplace_back(when, stream, std::move(d));
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [when, stream, d] : due) *r.add_steps() = std::move(d);
  return r;
}

}  // namespace sparbar::committee
