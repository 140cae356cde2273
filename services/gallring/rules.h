// RetentionRules: when a person's file (personakt) is to be disposed of
// (gallring), from configuration (config/gallring.json).
//
// Each file class says how many years after the file's last entry the
// disposal duty arises ("years_after_last_entry"), or that it is kept for
// ever ("keep": true), and which people it keeps for research: those born on
// the given days of any month ("research_birth_days", e.g. 5, 15, 25; SoL
// and LSS, seed 003 L1471-L1498). "exempt_placed_minors" keeps the files of
// a minor placed in an HVB, a familjehem or another special home. Errors
// name the entry; nothing is compiled in.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::gallring {

struct FileClass {
  std::string name;
  bool keep = false;                // kept for ever (bevaras)
  int years_after_last_entry = 0;   // when not kept
  std::set<int> research_birth_days;
  bool exempt_placed_minors = false;
  std::string source;               // where the rule comes from
};

class RetentionRules {
 public:
  static Result<RetentionRules> FromJson(std::string_view json);
  static Result<RetentionRules> LoadFile(const std::string& path);

  // nullptr for a class the rules do not name.
  const FileClass* Find(std::string_view name) const;

 private:
  std::map<std::string, FileClass, std::less<>> classes_;
};

}  // namespace sparbar::gallring
