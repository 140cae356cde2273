#include "services/decisions/waiting.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sparbar::decisions {

std::vector<WaitingRow> NotExecutedAtMonthEnd(const std::vector<pb::CaseFacts>& cases, const std::string& insats,
                                              int year, int month) {
  const CivilDate month_end{year, month, DaysInMonth(year, month)};
  std::vector<WaitingRow> rows;
  for (const auto& c : cases) {
    if (!IsFavourable(c.outcome()) || c.insats() != insats) continue;
    const auto decided = CivilDate::TryParse(c.decision_date());
    if (!decided || *decided > month_end) continue;
    WaitingRow row;
    bool done = false;
    for (const auto& s : c.steps()) {
      const auto d = CivilDate::TryParse(s.date());
      if (!d || *d > month_end) continue;
      switch (s.kind()) {
        case pb::CaseFacts::STEP_EXECUTED:
        case pb::CaseFacts::STEP_CLOSED_UNEXECUTED: done = true; break;
        case pb::CaseFacts::STEP_OFFER_MADE: ++row.offers; break;
        case pb::CaseFacts::STEP_DELAY_REASON:
        case pb::CaseFacts::STEP_OFFER_DECLINED: row.reason = s.reason(); break;
        default: break;
      }
    }
    if (done) continue;
    row.case_id = c.case_id();
    row.sex = c.sex();
    row.child = c.child();
    row.decision_date = *decided;
    row.days_waited = month_end.DaysSinceEpoch() - decided->DaysSinceEpoch();
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.decision_date, a.case_id) < std::tie(b.decision_date, b.case_id);
  });
  return rows;
}

std::vector<FirstOfferStats> DaysToFirstOffer(const std::vector<pb::CaseFacts>& cases, const std::string& insats) {
  std::map<int, std::vector<int64_t>> by_year;
  for (const auto& c : cases) {
    if (!IsFavourable(c.outcome()) || c.insats() != insats) continue;
    const auto received = CivilDate::TryParse(c.received_date());
    const auto offered = CivilDate::TryParse(c.first_offer_date());
    if (!received || !offered) continue;
    by_year[offered->year].push_back(offered->DaysSinceEpoch() - received->DaysSinceEpoch());
  }
  std::vector<FirstOfferStats> out;
  for (auto& [year, days] : by_year) {
    std::sort(days.begin(), days.end());
    FirstOfferStats s;
    s.year = year;
    s.cases = static_cast<int>(days.size());
    int64_t sum = 0;
    for (int64_t d : days) sum += d;
    s.mean_days = static_cast<double>(sum) / static_cast<double>(days.size());
    s.median_days = days[(days.size() - 1) / 2];
    s.max_days = days.back();
    out.push_back(s);
  }
  return out;
}

}  // namespace sparbar::decisions
