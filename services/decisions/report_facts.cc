#include "services/decisions/report_facts.h"

#include "services/common/civil_date.h"

namespace sparbar::decisions {

uint32_t StringPool::Intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string_view(strings_.back()), id);
  return id;
}

uint32_t StringPool::Add(std::string_view s) {
  strings_.emplace_back(s);
  return static_cast<uint32_t>(strings_.size() - 1);
}

int32_t DayOf(std::string_view date) {
  const auto d = CivilDate::TryParse(date);
  return d ? static_cast<int32_t>(d->DaysSinceEpoch()) : kNoDay;
}

ReportFacts::ReportFacts() { strings_.Intern(""); }  // id 0: the empty string

size_t ReportFacts::Put(const pb::CaseFacts& f, size_t row) {
  ReportCase c;
  if (row >= cases_.size() || strings_.at(cases_[row].case_id) != f.case_id()) {
    auto known = by_case_id_.find(std::string_view(f.case_id()));
    if (known != by_case_id_.end()) {
      row = known->second;
    } else {
      const uint32_t id = strings_.Add(f.case_id());
      row = cases_.size();
      by_case_id_.emplace(std::string_view(strings_.at(id)), row);
      cases_.emplace_back().case_id = id;
    }
  }
  c.case_id = cases_[row].case_id;
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

  ReportCase& old = cases_[row];
  dead_steps_ += old.steps_end - old.steps_begin;  // nothing for a new row: its range is empty
  old = c;
  if (dead_steps_ > steps_.size() / 2 && dead_steps_ > 4096) Compact();
  return row;
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
