// Deviation statistics as a pure function of the deviations' folded states
// (decider.h), for the deviations reported within a period: how many, how
// many were closed as not a deviation ("bedömts inte vara en avvikelse"),
// and per area, severity, sex, unit and legal domain.
//
// A SoL/LSS deviation can be filed under several areas, so the per-area
// counts are of area tags: their sum is at least the number of deviations.
// Both are reported, because municipal reports mix them up (docs/deviations.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/common/civil_date.h"
#include "services/deviations/decider.h"

namespace sparbar::deviations {

struct AreaCount {
  int64_t tagged = 0;         // deviations filed under the area
  int64_t not_deviation = 0;  // of those, closed as not a deviation
  bool operator==(const AreaCount&) const = default;
};

struct DeviationStatistics {
  CivilDate from, to;             // reported_date within [from, to]
  int64_t deviations = 0;
  int64_t not_deviation = 0;      // closed as not a deviation by the period's end
  int64_t open_at_end = 0;        // not closed by `to`
  int64_t open_on_end_date = 0;   // every deviation open on `to`, whenever it was reported
  // Areas: tags, and of those how many were closed as not a deviation by the period's end.
  std::map<std::string, AreaCount> hsl_areas;     // by area code
  std::map<std::string, AreaCount> social_areas;  // by area code; tags, not deviations
  std::map<uint32_t, int64_t> hsl_by_severity;
  std::map<pb::Domain, int64_t> by_domain;
  std::map<int, int64_t> by_sex;  // ::sparbar::v1::decisions::Sex; unspecified when not recorded
  std::map<std::string, int64_t> by_unit;
  std::map<std::string, int64_t> by_month;  // "YYYY-MM" of the report date, within the period


  // The social areas' tags, and those not closed as not a deviation.
  int64_t SocialTags() const;
  int64_t SocialTagsThatAreDeviations() const;
};

DeviationStatistics ComputeStatistics(const std::vector<DeviationState>& deviations, const CivilDate& from,
                                      const CivilDate& to);

// Deviations reported per calendar year, over every year they were reported in: the trend.
std::map<int, int64_t> ReportedPerYear(const std::vector<DeviationState>& deviations);

}  // namespace sparbar::deviations
