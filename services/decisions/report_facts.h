// ReportFacts: the facts reports need of many cases (case_facts.h), held
// compactly and contiguously: dates as day numbers, strings interned, steps
// of all cases in one array. A report over a million decisions is then one
// pass over about 100 MB instead of a walk over a million protobuf messages
// (docs/benchmarks.md: that walk is bound by memory, not by the report).
//
// Put() adds a case or replaces the one with the same case id; the space of
// a replaced case's steps is reclaimed when it exceeds the live steps (and
// 4096). Interned strings are never freed. Not thread-safe: readers and the
// writer synchronize outside.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/decisions/payload.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

// Equal strings get equal ids; ids are stable for the pool's life.
class StringPool {
 public:
  uint32_t Intern(std::string_view s);
  const std::string& at(uint32_t id) const { return strings_[id]; }

 private:
  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// A date that was missing or not a date.
inline constexpr int32_t kNoDay = INT32_MIN;

struct ReportStep {
  int32_t day = kNoDay;  // days since 1970-01-01
  uint8_t kind = 0;      // pb::CaseFacts::StepKind
  uint32_t reason = 0;   // StringPool id
};

struct ReportCase {
  uint32_t case_id = 0, insats = 0, lagrum = 0, law = 0, unit = 0;  // StringPool ids
  int32_t decision_day = kNoDay, received_day = kNoDay, first_offer_day = kNoDay;
  uint8_t sex = 0;      // pb::Sex
  uint8_t outcome = 0;  // pb::Outcome
  bool child = false;
  uint32_t steps_begin = 0, steps_end = 0;  // in ReportFacts::steps()
};

class ReportFacts {
 public:
  ReportFacts();
  void Put(const pb::CaseFacts& facts);
  void Clear();

  const std::vector<ReportCase>& cases() const { return cases_; }
  const std::vector<ReportStep>& steps() const { return steps_; }
  const StringPool& strings() const { return strings_; }
  size_t size() const { return cases_.size(); }

 private:
  void Compact();

  StringPool strings_;
  std::vector<ReportCase> cases_;
  std::vector<ReportStep> steps_;
  std::unordered_map<uint32_t, size_t> by_case_id_;  // StringPool id -> index in cases_
  size_t dead_steps_ = 0;
};

// A "YYYY-MM-DD" date as days since 1970-01-01, or kNoDay.
int32_t DayOf(std::string_view date);

}  // namespace sparbar::decisions
