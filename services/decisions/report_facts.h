// ReportFacts: the facts reports need of many cases (case_facts.h), held
// compactly and contiguously: dates as day numbers, strings interned, steps
// of all cases in one array. A report over a million decisions is then one
// pass over about 100 MB instead of a walk over a million protobuf messages
// (docs/benchmarks.md: that walk is bound by memory, not by the report).
//
// Put() adds a case or replaces the one with the same case id. AddStep()
// adds a step to a case; a case whose steps another case's follow moves them
// to the end of the array with as many free slots again, so a case of n
// steps moves O(log n) times. The space left behind is reclaimed when it
// exceeds the live steps (and 4096). Interned strings are never freed. Not
// thread-safe: readers and the writer synchronize outside.
#pragma once

#include <climits>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/decisions/payload.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

// Equal strings get equal ids; ids are stable for the pool's life.
class StringPool {
 public:
  StringPool() = default;
  // Moving keeps the strings where they are; a copy would need a new index.
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  uint32_t Intern(std::string_view s);
  // Adds a string the caller knows to be new, without indexing it (Intern
  // will not find it), for strings that are keys elsewhere.
  uint32_t Add(std::string_view s);
  const std::string& at(uint32_t id) const { return strings_[id]; }
  // The id of an interned string, without adding it.
  std::optional<uint32_t> Find(std::string_view s) const;
  // Bytes the pool holds on the heap, by its containers' capacities
  // (allocator overhead not counted).
  size_t ApproximateBytes() const;

 private:
  std::deque<std::string> strings_;  // a deque: the index's views stay valid as it grows
  absl::flat_hash_map<std::string_view, uint32_t> ids_;
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
  bool first_offer_set = false;  // an offer had a date ("" does not count), valid or not
  uint32_t steps_begin = 0, steps_end = 0;  // in ReportFacts::steps()
  uint32_t steps_limit = 0;  // steps_end .. steps_limit: slots kept free for its next steps
};

class ReportFacts {
 public:
  ReportFacts();
  // Adds the case or replaces the one with its case id; returns its row,
  // which stays its row for the table's life. A caller that kept the row
  // passes it back as `row`, sparing the lookup by case id.
  static constexpr size_t kUnknownRow = SIZE_MAX;
  size_t Put(const pb::CaseFacts& facts, size_t row = kUnknownRow);
  void Clear();

  // For folds that change one row at a time (facts_fold.h):
  // the row of `case_id`, added with nothing set when the table has none;
  size_t Row(std::string_view case_id);
  ReportCase& mutable_case(size_t row) { return cases_[row]; }
  uint32_t Intern(std::string_view s) { return strings_.Intern(s); }
  // and a step after the row's others.
  void AddStep(size_t row, const ReportStep& step);

  // A row as protobuf facts. Dates come back as "YYYY-MM-DD", or "" for one
  // that was missing or not a date; a sex or outcome a byte could not hold
  // comes back unspecified.
  pb::CaseFacts ToProto(size_t row) const;
  // Every row, or only those decided on `insats` when it is not empty, in
  // case id order.
  std::vector<pb::CaseFacts> ToProtos(std::string_view insats = {}) const;

  const std::vector<ReportCase>& cases() const { return cases_; }
  const std::vector<ReportStep>& steps() const { return steps_; }
  const StringPool& strings() const { return strings_; }
  size_t size() const { return cases_.size(); }
  // Bytes the table holds on the heap, as StringPool::ApproximateBytes.
  size_t ApproximateBytes() const;

 private:
  void Compact();

  StringPool strings_;
  std::vector<ReportCase> cases_;
  std::vector<ReportStep> steps_;
  // Case id (a view of its string in strings_, added there unindexed) -> index in cases_.
  absl::flat_hash_map<std::string_view, size_t> by_case_id_;
  size_t dead_steps_ = 0;
};

// A "YYYY-MM-DD" date as days since 1970-01-01, or kNoDay.
int32_t DayOf(std::string_view date);

}  // namespace sparbar::decisions
