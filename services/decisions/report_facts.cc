#include "services/decisions/report_facts.h"

#include <algorithm>

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

std::optional<uint32_t> StringPool::Find(std::string_view s) const {
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

uint32_t StringPool::Add(std::string_view s) {
  strings_.emplace_back(s);
  return static_cast<uint32_t>(strings_.size() - 1);
}

size_t StringPool::ApproximateBytes() const {
  size_t bytes = strings_.size() * sizeof(std::string);
  for (const std::string& s : strings_) {
    if (s.capacity() > 15) bytes += s.capacity() + 1;  // beyond the short-string buffer
  }
  // A flat hash map holds one control byte and one slot per bucket.
  return bytes + ids_.capacity() * (sizeof(std::pair<std::string_view, uint32_t>) + 1);
}

size_t ReportFacts::ApproximateBytes() const {
  return strings_.ApproximateBytes() + cases_.capacity() * sizeof(ReportCase) +
         steps_.capacity() * sizeof(ReportStep) +
         by_case_id_.capacity() * (sizeof(std::pair<std::string_view, size_t>) + 1);
}

int32_t DayOf(std::string_view date) {
  const auto d = CivilDate::TryParse(date);
  return d ? static_cast<int32_t>(d->DaysSinceEpoch()) : kNoDay;
}

ReportFacts::ReportFacts() { strings_.Intern(""); }  // id 0: the empty string

size_t ReportFacts::Row(std::string_view case_id) {
  auto known = by_case_id_.find(case_id);
  if (known != by_case_id_.end()) return known->second;
  const uint32_t id = strings_.Add(case_id);
  const size_t row = cases_.size();
  by_case_id_.emplace(std::string_view(strings_.at(id)), row);
  ReportCase& c = cases_.emplace_back();
  c.case_id = id;
  c.steps_begin = c.steps_end = c.steps_limit = static_cast<uint32_t>(steps_.size());
  return row;
}

void ReportFacts::AddStep(size_t row, const ReportStep& step) {
  ReportCase& c = cases_[row];
  if (c.steps_end == c.steps_limit && c.steps_limit != steps_.size()) {
    // No free slot, and another case's steps follow: move them to the end
    // with as many free slots again.
    const uint32_t n = c.steps_end - c.steps_begin;
    const auto begin = static_cast<uint32_t>(steps_.size());
    for (uint32_t i = c.steps_begin; i < c.steps_end; ++i) {
      const ReportStep moved = steps_[i];
      steps_.push_back(moved);
    }
    steps_.resize(steps_.size() + std::max<uint32_t>(n, 1));
    dead_steps_ += c.steps_limit - c.steps_begin;
    c.steps_begin = begin;
    c.steps_end = begin + n;
    c.steps_limit = static_cast<uint32_t>(steps_.size());
  }
  if (c.steps_end == steps_.size()) {
    steps_.push_back(step);  // the last case in the array grows in place
    c.steps_limit = static_cast<uint32_t>(steps_.size());
  } else {
    steps_[c.steps_end] = step;
  }
  ++c.steps_end;
  if (dead_steps_ > steps_.size() / 2 && dead_steps_ > 4096) Compact();
}

pb::CaseFacts ReportFacts::ToProto(size_t row) const {
  auto date = [](int32_t day) { return day == kNoDay ? std::string() : CivilDate::FromDays(day).ToString(); };
  const ReportCase& c = cases_[row];
  pb::CaseFacts f;
  f.set_case_id(strings_.at(c.case_id));
  f.set_sex(static_cast<pb::Sex>(c.sex));
  f.set_child(c.child);
  f.set_unit(strings_.at(c.unit));
  f.set_insats(strings_.at(c.insats));
  f.set_lagrum(strings_.at(c.lagrum));
  f.set_law(strings_.at(c.law));
  f.set_outcome(static_cast<pb::Outcome>(c.outcome));
  f.set_decision_date(date(c.decision_day));
  f.set_received_date(date(c.received_day));
  f.set_first_offer_date(date(c.first_offer_day));
  for (uint32_t i = c.steps_begin; i < c.steps_end; ++i) {
    auto* step = f.add_steps();
    step->set_kind(static_cast<pb::CaseFacts::StepKind>(steps_[i].kind));
    step->set_date(date(steps_[i].day));
    step->set_reason(strings_.at(steps_[i].reason));
  }
  return f;
}

std::vector<pb::CaseFacts> ReportFacts::ToProtos(std::string_view insats) const {
  std::vector<size_t> rows;
  const std::optional<uint32_t> only = insats.empty() ? std::nullopt : strings_.Find(insats);
  if (!insats.empty() && !only) return {};  // no case names it
  for (size_t i = 0; i < cases_.size(); ++i) {
    if (!only || cases_[i].insats == *only) rows.push_back(i);
  }
  std::sort(rows.begin(), rows.end(),
            [&](size_t a, size_t b) { return strings_.at(cases_[a].case_id) < strings_.at(cases_[b].case_id); });
  std::vector<pb::CaseFacts> out;
  out.reserve(rows.size());
  for (size_t row : rows) out.push_back(ToProto(row));
  return out;
}

size_t ReportFacts::Put(const pb::CaseFacts& f, size_t row) {
  ReportCase c;
  if (row >= cases_.size() || strings_.at(cases_[row].case_id) != f.case_id()) row = Row(f.case_id());
  c.case_id = cases_[row].case_id;
  c.insats = strings_.Intern(f.insats());
  c.lagrum = strings_.Intern(f.lagrum());
  c.law = strings_.Intern(f.law());
  c.unit = strings_.Intern(f.unit());
  c.decision_day = DayOf(f.decision_date());
  c.received_day = DayOf(f.received_date());
  c.first_offer_day = DayOf(f.first_offer_date());
  c.first_offer_set = !f.first_offer_date().empty();
  // Values a byte cannot hold (only possible from raw events) count as unspecified.
  auto byte = [](int v) { return static_cast<uint8_t>(v >= 0 && v <= 255 ? v : 0); };
  c.sex = byte(f.sex());
  c.outcome = byte(f.outcome());
  c.child = f.child();
  c.steps_begin = static_cast<uint32_t>(steps_.size());
  for (const auto& s : f.steps()) {
    steps_.push_back({DayOf(s.date()), byte(s.kind()), strings_.Intern(s.reason())});
  }
  c.steps_end = c.steps_limit = static_cast<uint32_t>(steps_.size());

  ReportCase& old = cases_[row];
  dead_steps_ += old.steps_limit - old.steps_begin;  // nothing for a new row: its range is empty
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
    c.steps_end = c.steps_limit = static_cast<uint32_t>(live.size());
  }
  steps_ = std::move(live);
  dead_steps_ = 0;
}

void ReportFacts::Clear() {
  *this = ReportFacts();
}

}  // namespace sparbar::decisions
