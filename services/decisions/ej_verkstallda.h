// Ej verkställda beslut: the quarterly report of favourable decisions not
// executed within a threshold (three months by default, configurable per
// lagrum) of the decision date, and of executions interrupted for longer
// than the threshold. A pure function of the cases' facts and the period.
//
// A decision is reported for a period when its wait reached the threshold on
// or before the period's last day and had not ended by then: the wait started
// on the decision date (or the interruption date), ended on the first
// execution or closure (or resumption or end) after it, and that end falls
// after both the threshold date and the period's first day.
// One row per decision: counts are of decisions, not of people. Children
// are counted as "barn" whatever their sex.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/common/civil_date.h"
#include "services/decisions/payload.h"
#include "services/decisions/report_facts.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

struct EjVerkstalldaOptions {
  CivilDate period_start;
  CivilDate period_end;
  int default_threshold_months = 3;
  std::map<std::string, int> threshold_months_by_lagrum;

  int ThresholdFor(const std::string& lagrum) const {
    auto it = threshold_months_by_lagrum.find(lagrum);
    return it == threshold_months_by_lagrum.end() ? default_threshold_months : it->second;
  }
};

// "2024Q1" -> 2024-01-01 .. 2024-03-31.
Result<EjVerkstalldaOptions> QuarterOptions(std::string_view quarter);

struct EjVerkstalldaRow {
  enum class Kind { kNotExecuted, kInterrupted };
  std::string case_id;
  Kind kind = Kind::kNotExecuted;
  pb::Sex sex = pb::SEX_UNSPECIFIED;
  bool child = false;
  std::string insats, lagrum, law;
  std::string reason;  // the latest reason noted by the period's end
  CivilDate decision_date;
  std::optional<CivilDate> interrupted_date;
  int64_t days_waited = 0;  // to the wait's end, or to the period's end if later
  // What ended the wait, whenever it happened (after the period too).
  std::optional<CivilDate> executed_date;  // executed, or resumed after an interruption
  std::optional<CivilDate> closed_date;    // closed without execution, or ended
};

struct SexCounts {
  int men = 0, women = 0, other = 0, children = 0;
  int total() const { return men + women + other + children; }
  void Add(bool child, pb::Sex sex);
  bool operator==(const SexCounts&) const = default;
};

struct EjVerkstalldaReport {
  EjVerkstalldaOptions options;
  std::vector<EjVerkstalldaRow> rows;               // by decision date, then case id
  std::map<std::string, SexCounts> by_lagrum;       // key: lagrum
  std::map<std::string, SexCounts> by_law;          // key: "SoL" / "LSS"
  SexCounts total;
};

EjVerkstalldaReport ComputeEjVerkstallda(const ReportFacts& facts, const EjVerkstalldaOptions& options);
// The same over protobuf facts (each case once), through a ReportFacts.
EjVerkstalldaReport ComputeEjVerkstallda(const std::vector<pb::CaseFacts>& cases, const EjVerkstalldaOptions& options);

}  // namespace sparbar::decisions
