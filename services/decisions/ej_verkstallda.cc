#include "services/decisions/ej_verkstallda.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace sparbar::decisions {

void SexCounts::Add(bool child, pb::Sex sex) {
  if (child) ++children;
  else if (sex == pb::SEX_MAN) ++men;
  else if (sex == pb::SEX_KVINNA) ++women;
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
  ReportFacts facts;
  for (const auto& c : cases) facts.Put(c);
  return ComputeEjVerkstallda(facts, options);
}

EjVerkstalldaReport ComputeEjVerkstallda(const ReportFacts& facts, const EjVerkstalldaOptions& options) {
  EjVerkstalldaReport report;
  report.options = options;
  const int64_t period_start = options.period_start.DaysSinceEpoch();
  const int64_t period_end = options.period_end.DaysSinceEpoch();
  const StringPool& strings = facts.strings();
  // Thresholds by lagrum id: the options' map looked up once per lagrum, not
  // per case (cases of one lagrum tend to come together: the last is kept).
  std::unordered_map<uint32_t, int> months_by_lagrum;
  uint32_t last_lagrum = UINT32_MAX;
  int last_months = 0;
  auto months_for = [&](uint32_t lagrum) {
    if (lagrum == last_lagrum) return last_months;
    auto it = months_by_lagrum.find(lagrum);
    if (it == months_by_lagrum.end()) it = months_by_lagrum.emplace(lagrum, options.ThresholdFor(strings.at(lagrum))).first;
    last_lagrum = lagrum;
    last_months = it->second;
    return last_months;
  };
  // The due date, through a small cache: many decisions share a date and a threshold.
  struct Due {
    int64_t from = kNoDay;
    int months = -1;
    int64_t due = 0;
  };
  std::vector<Due> due_cache(4096);
  auto due_after = [&](int64_t from, int months) {
    Due& d = due_cache[static_cast<size_t>(from * 31 + months) & 4095];
    if (d.from != from || d.months != months) d = {from, months, CivilDate::FromDays(from).AddMonths(months).DaysSinceEpoch()};
    return d.due;
  };

  struct Qualifying {
    bool initial = true;
    int64_t from = 0;
    size_t after = 0;  // the step that started it (the step count for the decision)
    size_t first = 0;  // the first step after it began
    int64_t end = kNoDay;
    uint8_t end_kind = pb::CaseFacts::STEP_UNSPECIFIED;
  };
  struct Hit {
    const ReportCase* c;
    Qualifying wait;
    uint32_t reason;
    uint64_t id_key = 0;  // 8 bytes of the case id past the ids' common prefix, for sorting
  };
  std::vector<Hit> hits;
  std::unordered_map<uint32_t, SexCounts> by_lagrum_id, by_law_id;

  for (const ReportCase& c : facts.cases()) {
    if (!IsFavourable(static_cast<pb::Outcome>(c.outcome)) || c.decision_day == kNoDay) continue;
    const int months = months_for(c.lagrum);
    const ReportStep* steps = facts.steps().data() + c.steps_begin;
    const size_t n = c.steps_end - c.steps_begin;

    // The waits: before the first execution, and after each interruption.
    // The latest one that qualifies is reported.
    std::optional<Qualifying> latest;
    auto consider = [&](bool initial, int64_t from, size_t after) {
      Qualifying q{initial, from, after, initial ? 0 : after + 1, kNoDay, pb::CaseFacts::STEP_UNSPECIFIED};
      for (size_t i = q.first; i < n && q.end == kNoDay; ++i) {
        const uint8_t k = steps[i].kind;
        const bool ends = initial ? (k == pb::CaseFacts::STEP_EXECUTED || k == pb::CaseFacts::STEP_CLOSED_UNEXECUTED)
                                  : (k == pb::CaseFacts::STEP_RESUMED || k == pb::CaseFacts::STEP_ENDED ||
                                     k == pb::CaseFacts::STEP_EXECUTED);
        if (ends) {
          q.end = steps[i].day;  // a step without a date does not end it: the search goes on
          q.end_kind = k;
        }
      }
      const int64_t due = due_after(from, months);
      if (due > period_end) return;
      if (q.end != kNoDay && (q.end <= due || q.end <= period_start)) return;
      latest = q;
    };
    consider(true, c.decision_day, n);
    for (size_t i = 0; i < n; ++i) {
      if (steps[i].kind == pb::CaseFacts::STEP_INTERRUPTED && steps[i].day != kNoDay) consider(false, steps[i].day, i);
    }
    if (!latest) continue;

    // The latest reason noted within this wait, by the period's end.
    const Qualifying& w = *latest;
    uint32_t reason = w.initial ? 0 : steps[w.after].reason;
    for (size_t i = w.first; i < n; ++i) {
      const ReportStep& st = steps[i];
      if (st.kind != pb::CaseFacts::STEP_DELAY_REASON && st.kind != pb::CaseFacts::STEP_OFFER_DECLINED) continue;
      if (st.day == kNoDay || st.day > period_end || (w.end != kNoDay && st.day > w.end)) continue;
      reason = st.reason;
    }
    hits.push_back({&c, w, reason});
    by_lagrum_id[c.lagrum].Add(c.child, static_cast<pb::Sex>(c.sex));
    by_law_id[c.law].Add(c.child, static_cast<pb::Sex>(c.sex));
    report.total.Add(c.child, static_cast<pb::Sex>(c.sex));
  }

  // Rows are built once, in their final order (by decision date, then case
  // id). Comparing case ids reaches into the string pool at random, so each
  // hit first gets the 8 bytes of its id that follow the prefix all ids share
  // (big-endian, zero-padded: the same order as the strings); only equal
  // keys compare the strings.
  size_t common = hits.empty() ? 0 : strings.at(hits[0].c->case_id).size();
  for (const Hit& h : hits) {
    const std::string& id = strings.at(h.c->case_id);
    const std::string& first = strings.at(hits[0].c->case_id);
    common = std::min(common, id.size());
    while (common > 0 && id.compare(0, common, first, 0, common) != 0) --common;
  }
  for (Hit& h : hits) {
    const std::string& id = strings.at(h.c->case_id);
    for (size_t i = 0; i < 8; ++i) {
      h.id_key = (h.id_key << 8) | (common + i < id.size() ? static_cast<uint8_t>(id[common + i]) : 0);
    }
  }
  std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
    if (a.c->decision_day != b.c->decision_day) return a.c->decision_day < b.c->decision_day;
    if (a.id_key != b.id_key) return a.id_key < b.id_key;
    return strings.at(a.c->case_id) < strings.at(b.c->case_id);
  });
  report.rows.reserve(hits.size());
  for (const Hit& h : hits) {
    const ReportCase& c = *h.c;
    const Qualifying& w = h.wait;
    const bool ended = w.end != kNoDay;
    EjVerkstalldaRow& row = report.rows.emplace_back();
    row.case_id = strings.at(c.case_id);
    row.kind = w.initial ? EjVerkstalldaRow::Kind::kNotExecuted : EjVerkstalldaRow::Kind::kInterrupted;
    row.sex = static_cast<pb::Sex>(c.sex);
    row.child = c.child;
    row.insats = strings.at(c.insats);
    row.lagrum = strings.at(c.lagrum);
    row.law = strings.at(c.law);
    row.reason = strings.at(h.reason);
    row.decision_date = CivilDate::FromDays(c.decision_day);
    if (!w.initial) row.interrupted_date = CivilDate::FromDays(w.from);
    const int64_t until = ended && w.end < period_end ? w.end : period_end;
    row.days_waited = until - w.from;
    if (ended) {
      if (w.end_kind == pb::CaseFacts::STEP_CLOSED_UNEXECUTED || w.end_kind == pb::CaseFacts::STEP_ENDED) {
        row.closed_date = CivilDate::FromDays(w.end);
      } else {
        row.executed_date = CivilDate::FromDays(w.end);
      }
    }
  }
  for (const auto& [id, counts] : by_lagrum_id) report.by_lagrum[strings.at(id)] = counts;
  for (const auto& [id, counts] : by_law_id) report.by_law[strings.at(id)] = counts;
  return report;
}

}  // namespace sparbar::decisions
