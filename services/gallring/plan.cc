#include "services/gallring/plan.h"

namespace sparbar::gallring {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kDispose: return "gallras";
    case Verdict::kNotYetDue: return "ej_aktuell";
    case Verdict::kLegalHold: return "spärrad";
    case Verdict::kInRegister: return "kvar_i_register";
    case Verdict::kKeptForEver: return "bevaras";
    case Verdict::kKeptForResearch: return "forskningsundantag";
    case Verdict::kKeptPlacedMinor: return "placerad_underårig";
  }
  return "";
}

Result<std::vector<PlanEntry>> Plan(const RetentionRules& rules, const std::vector<PersonFile>& files,
                                    const CivilDate& as_of) {
  std::vector<PlanEntry> out;
  out.reserve(files.size());
  for (const PersonFile& f : files) {
    const FileClass* c = rules.Find(f.file_class);
    if (c == nullptr) {
      return Status::InvalidArgument("the retention rules have no class \"" + f.file_class +
                                     "\"; add it to the rules or record the file under a known class");
    }
    PlanEntry e;
    e.pseudonym = f.pseudonym;
    if (!c->keep) {
      e.due = f.last_entry.AddMonths(12 * c->years_after_last_entry);
      e.deadline = CivilDate{e.due->year + 1, 12, 31};
    }
    if (f.legal_hold) {
      e.verdict = Verdict::kLegalHold;
      e.reason = "under legal hold";
    } else if (f.in_register) {
      e.verdict = Verdict::kInRegister;
      e.reason = "the person's data are still in a register";
    } else if (c->keep) {
      e.verdict = Verdict::kKeptForEver;
      e.reason = "class " + c->name + " is kept";
    } else if (c->research_birth_days.count(f.birth_date.day) != 0) {
      e.verdict = Verdict::kKeptForResearch;
      e.reason = "born on day " + std::to_string(f.birth_date.day) + " of a month: kept for research";
    } else if (f.placed_minor && c->exempt_placed_minors) {
      e.verdict = Verdict::kKeptPlacedMinor;
      e.reason = "holds a placement of a minor";
    } else if (*e.due <= as_of) {
      e.verdict = Verdict::kDispose;
      e.overdue = as_of > *e.deadline;
      e.reason = std::to_string(c->years_after_last_entry) + " years after the last entry (" +
                 f.last_entry.ToString() + ") on " + e.due->ToString() + ", to be done by " + e.deadline->ToString();
    } else {
      e.verdict = Verdict::kNotYetDue;
      e.reason = "due on " + e.due->ToString();
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sparbar::gallring
