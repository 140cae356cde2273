// The gallring plan: for each person's file, whether it is to be disposed
// of as of a day, and why (a pure function; `sparbar gallring plan` is to
// show it). Names people only by pseudonym.
//
// A file is disposed of once its duty has arisen (last entry + the class's
// years) on or before the day, unless, in this order:
//  - it is under legal hold (a pending appeal, an authority's request);
//  - its data are still in a register (seed 003 L1476-L1478: not while the
//    same person's data remain in a compilation of personal data);
//  - its class keeps files for ever;
//  - its person was born on one of the class's research days;
//  - it holds a placement of a minor and the class exempts those.
// The duty must be met by the end of the calendar year after it arose
// (seed 003 L1478-L1479); a file still due after that is overdue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/common/civil_date.h"
#include "services/gallring/rules.h"

namespace sparbar::gallring {

struct PersonFile {
  std::string pseudonym;  // SubjectKey::Of(personnummer), never the number
  CivilDate birth_date;
  std::string file_class;
  CivilDate last_entry;
  bool placed_minor = false;
  bool legal_hold = false;
  bool in_register = false;
};

enum class Verdict {
  kDispose,
  kNotYetDue,
  kLegalHold,
  kInRegister,
  kKeptForEver,
  kKeptForResearch,
  kKeptPlacedMinor,
};
const char* VerdictName(Verdict v);

struct PlanEntry {
  std::string pseudonym;
  Verdict verdict = Verdict::kNotYetDue;
  std::optional<CivilDate> due;       // when the duty arises (none for a class kept for ever)
  std::optional<CivilDate> deadline;  // the end of the calendar year after `due`
  bool overdue = false;               // disposed of later than the deadline, were it disposed of today
  std::string reason;                 // why, without personal data
};

// One entry per file, in the files' order. InvalidArgument naming the class
// when the rules do not know a file's class.
Result<std::vector<PlanEntry>> Plan(const RetentionRules& rules, const std::vector<PersonFile>& files,
                                    const CivilDate& as_of);

}  // namespace sparbar::gallring
