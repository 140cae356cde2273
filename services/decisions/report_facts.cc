#include "services/decisions/report_facts.h"

#include "services/common/civil_date.h"

namespace sparbar::decisions {

uint32_t StringPool::Intern(std::string_view s) {
  auto it = ids_.find(std::string(s));
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

int32_t DayOf(std::string_view date) {
  const auto d = CivilDate::TryParse(date);
  return d ? static_cast<int32_t>(d->DaysSinceEpoch()) : kNoDay;
}

ReportFacts::ReportFacts() { strings_.Intern(""); }  // id 0: the empty string

void ReportFacts::Put(const pb::CaseFacts& f) {
  ReportCase c;
  c.case_id = strings_.Intern(f.case_id());
  c.insats = strings_.Intern(f.insats());
  c.lagrum = strings_.Intern(f.lagrum());
  c.law = strings_.Intern(f.law());
  c.unit = strings_.Intern(f.unit());
  c.decision_day = DayOf(f.decision_date());
  c.received_day = DayOf(f.received_date());
  c.first_offer_day = DayOf(f.first_offer_date());
  // Values a byte cannot hold (only possible from raw events) count as unspecified.
  auto byte = [](int v) { return static_cast<uint8_t>(v >= 0 && v <= 255 ? v : 0); };
  c.sex = byte(f.sex());
  c.outcome = byte(f.outcome());
  c.child = f.child();
  c.steps_begin = static_cast<uint32_t>(steps_.size());
  for (const auto& s : f.steps()) {
    steps_.push_back({DayOf(s.date()), byte(s.kind()), strings_.Intern(s.reason())});
  }
  c.steps_end = static_cast<uint32_t>(steps_.size());

  auto [it, added] = by_case_id_.emplace(c.case_id, cases_.size());
  if (added) {
    cases_.push_back(c);
    return;
  }
  ReportCase& old = cases_[it->second];
  dead_steps_ += old.steps_end - old.steps_begin;
  old = c;
  if (dead_steps_ > steps_.size() / 2 && dead_steps_ > 4096) Compact();
}

void ReportFacts::Compact() {
  std::vector<ReportStep> live;
  live.reserve(steps_.size() - dead_steps_);
  for (ReportCase& c : cases_) {
    const auto begin = static_cast<uint32_t>(live.size());
    live.insert(live.end(), steps_.begin() + c.steps_begin, steps_.begin() + c.steps_end);
    c.steps_begin = begin;
    c.steps_end = static_cast<uint32_t>(live.size());
  }
  steps_ = std::move(live);
  dead_steps_ = 0;
}

void ReportFacts::Clear() {
  *this = ReportFacts();
}

}  // namespace sparbar::decisions
