// Diarienummer (Dnr): the committee's case numbers, in every form the
// papers use (DOMAIN.md §9; seed notes kalix-protocols 1.9, lulea-003 2.1):
//
//   DIASOC-2025-0134270     prefix, year, 5-digit serial and 2-digit class, joined
//   DIASOC-2025-01243 70    the same with a space before the class
//   2024-00118 70           year, serial and class, no prefix
//   2025/1804-2.5.1.1       year/serial, then a classification-plan code
//   2020/203 - 3.9.0.1      the same with spaces around the dash
//   9869                    a plain number (1 to 7 digits)
//
// Parse splits one into its parts and gives a canonical text, so that the
// same case written two ways is one case: "DIASOC-2025-0134270" and
// "DIASOC-2025-01342 70" are both "DIASOC-2025-01342 70". Anything else,
// and a number that could be a personnummer, is InvalidArgument naming
// the forms accepted, without repeating the input.
#pragma once

#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::committee {

enum class DnrForm { kPrefixed, kYearSerialClass, kYearSlashClassPlan, kPlainNumber };

struct Dnr {
  DnrForm form = DnrForm::kPlainNumber;
  std::string prefix;  // "DIASOC"; empty without one
  int year = 0;        // 0 for a plain number
  std::string serial;  // as written, leading zeros kept
  std::string klass;   // "70", "04", "2.5.1.1"; empty for a plain number
  std::string canonical;
};

Result<Dnr> ParseDnr(std::string_view text, const char* field);

// The form's name as reports print it.
const char* DnrFormName(DnrForm form);

}  // namespace sparbar::committee
