// Waiting lists beside the quarterly report, as pure functions of the cases'
// facts (case_facts.h):
// - the monthly list of favourable decisions on one insats (särskilt boende)
//   not executed by the month's last day;
// - days from the application to the first offer, per year of that offer
//   (the national key figure for särskilt boende).
#pragma once

#include <string>
#include <vector>

#include "services/common/civil_date.h"
#include "services/decisions/payload.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

struct WaitingRow {
  std::string case_id;
  pb::Sex sex = pb::SEX_UNSPECIFIED;
  bool child = false;
  CivilDate decision_date;
  int64_t days_waited = 0;  // decision date to the month's last day
  int offers = 0;           // offers made by then
  std::string reason;       // the latest delay reason or declined offer's reason by then
};

// Favourable decisions on `insats` decided by the month's last day, neither
// executed nor closed by then; by decision date, then case id.
std::vector<WaitingRow> NotExecutedAtMonthEnd(const std::vector<pb::CaseFacts>& cases, const std::string& insats,
                                              int year, int month);

struct FirstOfferStats {
  int year = 0;  // of the first offer
  int cases = 0;
  double mean_days = 0;
  int64_t median_days = 0;  // the lower median for an even count
  int64_t max_days = 0;
};

// For favourable decisions on `insats` with a first offer: days from the
// application received to that offer, per year; by year.
std::vector<FirstOfferStats> DaysToFirstOffer(const std::vector<pb::CaseFacts>& cases, const std::string& insats);

}  // namespace sparbar::decisions
