#include "services/complaints/statistics.h"

#include <algorithm>
#include <tuple>

#include "services/common/counts.h"
#include "services/decisions/report_text.h"
#include "services/deviations/payload.h"

namespace sparbar::complaints {
namespace {


// Counts keyed by an enum's value, in the enum's order, with its name and label.
template <class Enum>
void AddEnum(CountList* list, const std::map<Enum, int64_t>& counts, const std::string& (*name)(Enum),
             const char* (*label)(Enum)) {
  for (const auto& [value, n] : counts) AddCount(list, name(value), label(value), n);
}

const std::string& KindName(pb::Kind k) { return pb::Kind_Name(k); }
const std::string& ChannelName(pb::Channel c) { return pb::Channel_Name(c); }
const std::string& SubmitterName(pb::Submitter s) { return pb::Submitter_Name(s); }
const std::string& SexName(::sparbar::v1::decisions::Sex s) { return ::sparbar::v1::decisions::Sex_Name(s); }
const char* SexText(::sparbar::v1::decisions::Sex s) { return decisions::SexLabel(s, false); }

}  // namespace

const char* KindLabel(pb::Kind kind) {
  switch (kind) {
    case pb::KIND_COMPLAINT: return "Klagomål";
    case pb::KIND_SUGGESTION: return "Förbättringsförslag";
    case pb::KIND_QUESTION: return "Fråga";
    case pb::KIND_PRAISE: return "Beröm";
    default: return "Inte kategoriserad";
  }
}

const char* ChannelLabel(pb::Channel channel) {
  switch (channel) {
    case pb::CHANNEL_E_SERVICE: return "E-tjänst";
    case pb::CHANNEL_EMAIL: return "E-post";
    case pb::CHANNEL_PHONE: return "Telefon";
    case pb::CHANNEL_LETTER: return "Brev";
    case pb::CHANNEL_VISIT: return "Personligt besök";
    default: return "Ej angiven";
  }
}

const char* SubmitterLabel(pb::Submitter submitter) {
  switch (submitter) {
    case pb::SUBMITTER_RELATIVE: return "Anhörig";
    case pb::SUBMITTER_SERVICE_USER: return "Brukare/patient/klient";
    case pb::SUBMITTER_EMPLOYEE_OR_REPRESENTATIVE: return "Anställd eller företrädare";
    case pb::SUBMITTER_OTHER: return "Annan";
    default: return "Ej angiven";
  }
}

const char* ReasonLabel(pb::ReminderReason reason) {
  switch (reason) {
    case pb::REMINDER_REASON_NOT_ANSWERED: return "Inte besvarad i tid";
    case pb::REMINDER_REASON_ANSWERED_NOT_CLOSED: return "Besvarad men inte avslutad";
    default: return "";
  }
}

rpb::ComplaintStatistics ComplaintsStatistics(const ComplaintsView& view, const ComplaintRules& rules,
                                              const CivilDate& from, const CivilDate& to) {
  rpb::ComplaintStatistics r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  r.set_standard_days(static_cast<uint32_t>(rules.standard_days()));
  r.set_extended_days(static_cast<uint32_t>(rules.extended_days()));
  std::map<pb::Kind, int64_t> kinds;
  std::map<pb::Channel, int64_t> channels;
  std::map<pb::Submitter, int64_t> submitters;
  std::map<::sparbar::v1::decisions::Sex, int64_t> sexes;
  std::map<std::string, int64_t> areas, actions, units, domains, months;
  std::map<int, int64_t> years;
  for (const auto& [stream, c] : view.cases) {
    if (!c.received || !c.received_on) continue;
    ++years[c.received_on->year];
    if (*c.received_on < from || to < *c.received_on) continue;
    const pb::ComplaintReceived& m = *c.received;
    r.set_cases(r.cases() + 1);
    ++kinds[m.kind()];
    ++channels[m.channel()];
    r.set_via_e_service(r.via_e_service() + (m.channel() == pb::CHANNEL_E_SERVICE));
    ++submitters[m.submitter()];
    ++sexes[m.sex()];
    for (const auto& area : m.areas()) ++areas[area];
    for (const auto& type : c.action_types) ++actions[type];
    ++units[m.unit()];
    ++domains[deviations::DomainName(m.domain())];
    ++months[c.received_on->ToString().substr(0, 7)];
    r.set_with_actions(r.with_actions() + (c.actions > 0));
    r.set_converted_to_deviation(r.converted_to_deviation() + !c.deviations.empty());
    r.set_closed(r.closed() + c.Closed());
    if (!c.answered_on) {
      r.set_not_answered(r.not_answered() + 1);
      continue;
    }
    const int64_t days = c.answered_on->DaysSinceEpoch() - c.received_on->DaysSinceEpoch();
    if (days <= rules.standard_days()) {
      r.set_answered_within_standard(r.answered_within_standard() + 1);
    } else if (days <= rules.extended_days()) {
      r.set_answered_within_extended(r.answered_within_extended() + 1);
      r.set_answered_within_extended_after_extension(r.answered_within_extended_after_extension() + c.Extended());
    } else {
      r.set_answered_later(r.answered_later() + 1);
    }
    const auto due = c.AnswerDue(rules);
    r.set_answered_on_time(r.answered_on_time() + (due && !(*due < *c.answered_on)));
  }
  AddEnum(r.mutable_by_kind(), kinds, &KindName, &KindLabel);
  AddEnum(r.mutable_by_channel(), channels, &ChannelName, &ChannelLabel);
  AddEnum(r.mutable_by_sex(), sexes, &SexName, &SexText);
  AddEnum(r.mutable_by_submitter(), submitters, &SubmitterName, &SubmitterLabel);
  AddCodeCounts(r.mutable_by_area(), areas, rules.areas());
  AddCodeCounts(r.mutable_actions_by_type(), actions, rules.action_types());
  for (const auto& [unit, n] : units) AddCount(r.mutable_by_unit(), unit, unit, n);
  for (const auto& [domain, n] : domains) AddCount(r.mutable_by_domain(), domain, domain, n);
  for (const auto& [month, n] : months) AddCount(r.mutable_by_month(), month, month, n);
  for (const auto& [year, n] : years) AddCount(r.mutable_by_year(), std::to_string(year), std::to_string(year), n);
  return r;
}

rpb::RemindersResponse BuildReminders(const ComplaintsView& view, const ComplaintRules& rules, const CivilDate& on,
                                      const std::string& unit, const std::string& responsible) {
  rpb::RemindersResponse r;
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  r.set_remind_again_days(static_cast<uint32_t>(rules.remind_again_days()));
  std::vector<std::tuple<CivilDate, std::string, rpb::Reminder>> due;
  for (const auto& [stream, c] : view.cases) {
    const auto reason = ReminderDue(c, rules, on);
    if (!reason) continue;
    if (!unit.empty() && c.received->unit() != unit) continue;
    if (!responsible.empty() && c.responsible != responsible) continue;
    const bool answer = *reason == pb::REMINDER_REASON_NOT_ANSWERED;
    const CivilDate by = *(answer ? c.AnswerDue(rules) : c.CloseDue(rules));
    const auto& last = answer ? c.reminded_not_answered : c.reminded_not_closed;
    rpb::Reminder m;
    m.set_stream(stream);
    m.set_reason(*reason);
    m.set_unit(c.received->unit());
    m.set_responsible(c.responsible);
    m.set_due(by.ToString());
    m.set_days_overdue(on.DaysSinceEpoch() - by.DaysSinceEpoch());
    if (last) m.set_last_reminded(last->ToString());
    m.set_remind_now(!last || on.DaysSinceEpoch() - last->DaysSinceEpoch() >= rules.remind_again_days());
    due.emplace_back(by, stream, std::move(m));
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [by, stream, m] : due) *r.add_reminders() = std::move(m);
  return r;
}

}  // namespace sparbar::complaints
