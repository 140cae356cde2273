#include "services/deviations/statistics.h"

namespace sparbar::deviations {

int64_t DeviationStatistics::SocialTags() const {
  int64_t n = 0;
  for (const auto& [area, count] : social_areas) n += count.tagged;
  return n;
}

int64_t DeviationStatistics::SocialTagsThatAreDeviations() const {
  int64_t n = 0;
  for (const auto& [area, count] : social_areas) n += count.tagged - count.not_deviation;
  return n;
}

DeviationStatistics ComputeStatistics(const std::vector<DeviationState>& deviations, const CivilDate& from,
                                      const CivilDate& to) {
  DeviationStatistics st;
  st.from = from;
  st.to = to;
  for (const DeviationState& d : deviations) {
    if (d.report && d.reported_on && !(to < *d.reported_on) && !(d.closed_on && *d.closed_on <= to)) {
      ++st.open_on_end_date;
    }
    if (!d.report || !d.reported_on || *d.reported_on < from || to < *d.reported_on) continue;
    const pb::DeviationReported& r = *d.report;
    const bool not_deviation = d.phase == Phase::kClosedNotDeviation && d.closed_on && !(to < *d.closed_on);
    ++st.deviations;
    st.not_deviation += not_deviation;
    st.open_at_end += !(d.closed_on && *d.closed_on <= to);
    ++st.by_domain[r.domain()];
    ++st.by_sex[r.sex()];
    ++st.by_unit[r.unit()];
    ++st.by_month[d.reported_on->ToString().substr(0, 7)];
    if (r.domain() == pb::DOMAIN_HSL) {
      AreaCount& c = st.hsl_areas[r.hsl_area()];
      ++c.tagged;
      c.not_deviation += not_deviation;
      ++st.hsl_by_severity[r.severity()];
    } else {
      for (const auto& area : r.areas()) {
        AreaCount& c = st.social_areas[area];
        ++c.tagged;
        c.not_deviation += not_deviation;
      }
    }
  }
  return st;
}

std::map<int, int64_t> ReportedPerYear(const std::vector<DeviationState>& deviations) {
  std::map<int, int64_t> years;
  for (const DeviationState& d : deviations) {
    if (d.report && d.reported_on) ++years[d.reported_on->year];
  }
  return years;
}

}  // namespace sparbar::deviations
