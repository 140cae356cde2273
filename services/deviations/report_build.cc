#include "services/deviations/report_build.h"

#include <map>
#include <set>

#include "services/common/counts.h"
#include "services/decisions/report_text.h"
#include "services/deviations/statistics.h"

namespace sparbar::deviations {
namespace {

const char* DomainLabel(pb::Domain d) {
  switch (d) {
    case pb::DOMAIN_HSL: return "HSL";
    case pb::DOMAIN_SOL: return "SoL";
    case pb::DOMAIN_LSS: return "LSS";
    default: return "ej angiven";
  }
}

void AddAreas(google::protobuf::RepeatedPtrField<rpb::AreaCount>* list, const std::map<std::string, AreaCount>& areas,
              const DeviationTaxonomy& taxonomy, TaxonomyList which) {
  for (const auto& [code, count] : areas) {
    rpb::AreaCount* a = list->Add();
    a->set_code(code);
    a->set_name(taxonomy.NameOf(which, code));
    a->set_tagged(count.tagged);
    a->set_not_deviation(count.not_deviation);
  }
}

bool ByEnd(const std::optional<CivilDate>& d, const CivilDate& to) { return d && !(to < *d); }

// What every statistics report starts with: its period and the log it was computed from.
template <class Report>
void SetBasis(Report& r, const DeviationsView& view, const CivilDate& from, const CivilDate& to) {
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
}

}  // namespace

rpb::AvvikelserReport BuildAvvikelserReport(const DeviationsView& view, const DeviationTaxonomy& taxonomy,
                                            const CivilDate& from, const CivilDate& to) {
  const DeviationStatistics st = ComputeStatistics(view.Deviations(), from, to);
  rpb::AvvikelserReport r;
  SetBasis(r, view, from, to);
  r.set_deviations(st.deviations);
  r.set_closed_without_investigation(st.not_deviation);
  r.set_open_at_end(st.open_at_end);
  r.set_open_on_end_date(st.open_on_end_date);
  r.set_social_tags(st.SocialTags());
  r.set_social_tags_that_are_deviations(st.SocialTagsThatAreDeviations());
  AddAreas(r.mutable_hsl_areas(), st.hsl_areas, taxonomy, TaxonomyList::kHslAreas);
  AddAreas(r.mutable_social_areas(), st.social_areas, taxonomy, TaxonomyList::kSocialAreas);
  for (const auto& [severity, n] : st.hsl_by_severity) {
    AddCount(r.mutable_by_severity(), std::to_string(severity), "allvarlighetsgrad " + std::to_string(severity), n);
  }
  for (const auto& [domain, n] : st.by_domain) AddCount(r.mutable_by_domain(), DomainLabel(domain), DomainLabel(domain), n);
  for (const auto& [sex, n] : st.by_sex) {
    const auto s = static_cast<::sparbar::v1::decisions::Sex>(sex);
    AddCount(r.mutable_by_sex(), ::sparbar::v1::decisions::Sex_Name(s), decisions::SexLabel(s, false), n);
  }
  for (const auto& [unit, n] : st.by_unit) AddCount(r.mutable_by_unit(), unit, unit, n);
  for (const auto& [month, n] : st.by_month) AddCount(r.mutable_by_month(), month, month, n);
  for (const auto& [year, n] : ReportedPerYear(view.Deviations())) {
    AddCount(r.mutable_by_year(), std::to_string(year), std::to_string(year), n);
  }

  // The cases that took a deviation up, linked from either side.
  std::map<std::string, std::set<std::string>> cases_of;
  for (const auto& [stream, d] : view.deviations) cases_of[stream].insert(d.linked_cases.begin(), d.linked_cases.end());
  for (const auto& [stream, s] : view.lex_sarah) {
    if (!s.from_deviation.empty()) cases_of[s.from_deviation].insert(stream);
  }
  for (const auto& [stream, m] : view.lex_maria) {
    if (!m.from_deviation.empty()) cases_of[m.from_deviation].insert(stream);
  }
  for (const auto& [stream, d] : view.deviations) {
    if (!d.reported_on || *d.reported_on < from || to < *d.reported_on) continue;
    bool sarah = false, maria = false, ivo = false;
    // Cases opened by the period's end, as the other counts are by it.
    for (const std::string& c : cases_of[stream]) {
      if (auto s = view.lex_sarah.find(c); s != view.lex_sarah.end() && ByEnd(s->second.reported_on, to)) {
        sarah = true;
        ivo = ivo || ByEnd(s->second.notified_on, to);
      }
      if (auto m = view.lex_maria.find(c); m != view.lex_maria.end() && ByEnd(m->second.opened_on, to)) {
        maria = true;
        ivo = ivo || (m->second.reported && ByEnd(m->second.decided_on, to));
      }
    }
    r.set_taken_up_by_lex_sarah(r.taken_up_by_lex_sarah() + sarah);
    r.set_taken_up_by_lex_maria(r.taken_up_by_lex_maria() + maria);
    r.set_reported_to_ivo(r.reported_to_ivo() + ivo);
  }
  return r;
}

rpb::LexSarahReport BuildLexSarahReport(const DeviationsView& view, const CivilDate& from, const CivilDate& to) {
  const lexsarah::LexSarahStatistics st = lexsarah::ComputeStatistics(view.LexSarahReports(), from, to);
  rpb::LexSarahReport r;
  SetBasis(r, view, from, to);
  r.set_reported(st.reported);
  r.set_undecided_at_end(st.undecided_at_end);
  for (const auto& [level, n] : st.decided_by_level) {
    AddCount(r.mutable_decided_by_level(), lexsarah::pb::Level_Name(level), lexsarah::LevelName(level), n);
  }
  r.set_notified_to_ivo(st.notified_to_ivo);
  r.set_follow_ups_opened(st.follow_ups_opened);
  for (const auto& [unit, n] : st.reported_by_unit) AddCount(r.mutable_reported_by_unit(), unit, unit, n);
  return r;
}

rpb::LexMariaReport BuildLexMariaReport(const DeviationsView& view, const CivilDate& from, const CivilDate& to) {
  const lexmaria::LexMariaStatistics st = lexmaria::ComputeStatistics(view.LexMariaCases(), from, to);
  rpb::LexMariaReport r;
  SetBasis(r, view, from, to);
  r.set_opened(st.opened);
  r.set_from_deviation(st.from_deviation);
  r.set_open_at_end(st.open_at_end);
  r.set_investigations_started(st.investigations_started);
  r.set_reported_to_ivo(st.reported_to_ivo);
  r.set_not_reported(st.not_reported);
  for (const auto& [unit, n] : st.opened_by_unit) AddCount(r.mutable_opened_by_unit(), unit, unit, n);
  return r;
}

rpb::OverdueResponse BuildOverdue(const DeviationsView& view, const DeadlineRules& rules, const CivilDate& on,
                                  const std::string& unit, const std::string& role, bool all) {
  const std::vector<DueStep> awaited = rules.Awaited(view);
  rpb::OverdueResponse r;
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  std::map<std::string, int64_t> by_unit, by_role;
  for (const DueStep& s : awaited) {
    if ((!unit.empty() && s.unit != unit) || (!role.empty() && s.role != role)) continue;
    const int64_t late = on.DaysSinceEpoch() - s.due.DaysSinceEpoch();
    if (late > 0) {
      ++by_unit[s.unit];
      ++by_role[s.role];
    } else if (!all) {
      continue;
    }
    rpb::AwaitedStep* a = r.add_steps();
    a->set_stream(s.stream);
    a->set_workflow(s.workflow);
    a->set_step(s.step);
    for (const DeadlineStep& k : kSteps) {
      if (k.workflow == s.workflow && k.step == s.step) a->set_awaits(std::string(k.awaits));
    }
    a->set_unit(s.unit);
    a->set_role(s.role);
    a->set_action_id(s.action_id);
    a->set_since(s.since.ToString());
    a->set_due(s.due.ToString());
    a->set_days_overdue(late);
  }
  for (const auto& [u, n] : by_unit) AddCount(r.mutable_overdue_by_unit(), u, u, n);
  for (const auto& [ro, n] : by_role) AddCount(r.mutable_overdue_by_role(), ro, ro, n);
  return r;
}

rpb::StalePlansResponse BuildStalePlans(const DeviationsView& view, const CivilDate& on, int days) {
  rpb::StalePlansResponse r;
  r.set_on(on.ToString());
  r.set_days(static_cast<uint32_t>(days));
  r.set_as_of_position(view.position);
  for (const auto& [stream, f] : view.follow_ups) r.set_open_plans(r.open_plans() + (f.opened && !f.closed));
  for (const std::string& stream : followup::StalePlans(view.follow_ups, on, days)) {
    const followup::FollowUpState& f = view.follow_ups.at(stream);
    rpb::StalePlan* p = r.add_plans();
    p->set_stream(stream);
    p->set_origin_stream(f.origin_stream);
    if (auto s = view.lex_sarah.find(f.origin_stream); s != view.lex_sarah.end()) p->set_unit(s->second.unit);
    if (auto m = view.lex_maria.find(f.origin_stream); m != view.lex_maria.end()) p->set_unit(m->second.unit);
    const CivilDate since = f.last_progress_on ? *f.last_progress_on : *f.opened_on;
    p->set_since(since.ToString());
    p->set_days_without_progress(on.DaysSinceEpoch() - since.DaysSinceEpoch());
    p->set_never_documented(!f.HasProgress());
  }
  return r;
}

}  // namespace sparbar::deviations
