#include "services/decisions/ej_verkstallda.h"

#include <algorithm>
#include <tuple>

namespace sparbar::decisions {
namespace {

using Step = pb::CaseFacts::Step;

// A wait: from `from` until the first step of `ends` after index `after`.
struct Wait {
  EjVerkstalldaRow::Kind kind;
  CivilDate from;
  size_t after;  // index of the step that started it (steps.size() for the decision)
};

}  // namespace

void SexCounts::Add(const EjVerkstalldaRow& row) {
  if (row.child) ++children;
  else if (row.sex == pb::SEX_MAN) ++men;
  else if (row.sex == pb::SEX_KVINNA) ++women;
  else ++other;
}

Result<EjVerkstalldaOptions> QuarterOptions(std::string_view quarter) {
  auto bad = Status::InvalidArgument("quarter must look like 2024Q1, got \"" +
                                     std::string(quarter.substr(0, 16)) + "\"");
  if (quarter.size() != 6 || quarter[4] != 'Q' || quarter[5] < '1' || quarter[5] > '4') return bad;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (quarter[i] < '0' || quarter[i] > '9') return bad;
    year = year * 10 + (quarter[i] - '0');
  }
  if (!CivilDate::Valid(year, 1, 1)) return bad;
  const int q = quarter[5] - '0';
  EjVerkstalldaOptions o;
  o.period_start = CivilDate{year, 3 * q - 2, 1};
  o.period_end = CivilDate{year, 3 * q, DaysInMonth(year, 3 * q)};
  return o;
}

EjVerkstalldaReport ComputeEjVerkstallda(const std::vector<pb::CaseFacts>& cases,
                                         const EjVerkstalldaOptions& options) {
  EjVerkstalldaReport report;
  report.options = options;
  for (const pb::CaseFacts& c : cases) {
    if (!IsFavourable(c.outcome())) continue;
    const auto decided = CivilDate::TryParse(c.decision_date());
    if (!decided) continue;
    const int months = options.ThresholdFor(c.lagrum());
    const auto& steps = c.steps();

    // The waits: before the first execution, and after each interruption.
    std::vector<Wait> waits = {{EjVerkstalldaRow::Kind::kNotExecuted, *decided, static_cast<size_t>(steps.size())}};
    for (int i = 0; i < steps.size(); ++i) {
      if (steps[i].kind() == pb::CaseFacts::STEP_INTERRUPTED) {
        if (auto d = CivilDate::TryParse(steps[i].date())) waits.push_back({EjVerkstalldaRow::Kind::kInterrupted, *d, size_t(i)});
      }
    }
    std::optional<EjVerkstalldaRow> chosen;  // the latest qualifying wait
    for (const Wait& w : waits) {
      const bool initial = w.kind == EjVerkstalldaRow::Kind::kNotExecuted;
      const size_t first = initial ? 0 : w.after + 1;
      std::optional<CivilDate> end;
      pb::CaseFacts::StepKind end_kind = pb::CaseFacts::STEP_UNSPECIFIED;
      for (size_t i = first; i < size_t(steps.size()) && !end; ++i) {
        const auto k = steps[int(i)].kind();
        const bool ends = initial ? (k == pb::CaseFacts::STEP_EXECUTED || k == pb::CaseFacts::STEP_CLOSED_UNEXECUTED)
                                  : (k == pb::CaseFacts::STEP_RESUMED || k == pb::CaseFacts::STEP_ENDED ||
                                     k == pb::CaseFacts::STEP_EXECUTED);
        if (ends) {
          end = CivilDate::TryParse(steps[int(i)].date());
          end_kind = k;
        }
      }
      const CivilDate due = w.from.AddMonths(months);
      if (due > options.period_end) continue;
      if (end && (*end <= due || *end <= options.period_start)) continue;

      EjVerkstalldaRow row;
      row.case_id = c.case_id();
      row.kind = w.kind;
      row.sex = c.sex();
      row.child = c.child();
      row.insats = c.insats();
      row.lagrum = c.lagrum();
      row.law = c.law();
      row.decision_date = *decided;
      if (!initial) row.interrupted_date = w.from;
      const CivilDate until = end && *end < options.period_end ? *end : options.period_end;
      row.days_waited = until.DaysSinceEpoch() - w.from.DaysSinceEpoch();
      if (end) {
        if (end_kind == pb::CaseFacts::STEP_CLOSED_UNEXECUTED || end_kind == pb::CaseFacts::STEP_ENDED) {
          row.closed_date = end;
        } else {
          row.executed_date = end;
        }
      }
      // The latest reason noted within this wait, by the period's end.
      if (!initial) row.reason = steps[int(w.after)].reason();
      for (size_t i = first; i < size_t(steps.size()); ++i) {
        const auto& s = steps[int(i)];
        const auto d = CivilDate::TryParse(s.date());
        if (!d || *d > options.period_end || (end && *d > *end)) continue;
        if (s.kind() == pb::CaseFacts::STEP_DELAY_REASON || s.kind() == pb::CaseFacts::STEP_OFFER_DECLINED) {
          row.reason = s.reason();
        }
      }
      chosen = std::move(row);
    }
    if (!chosen) continue;
    report.by_lagrum[chosen->lagrum].Add(*chosen);
    report.by_law[chosen->law].Add(*chosen);
    report.total.Add(*chosen);
    report.rows.push_back(std::move(*chosen));
  }
  std::sort(report.rows.begin(), report.rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.decision_date, a.case_id) < std::tie(b.decision_date, b.case_id);
  });
  return report;
}

}  // namespace sparbar::decisions
