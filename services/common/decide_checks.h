// The field checks every domain decider makes, with messages that name the
// field (INVALID_ARGUMENT), and the macros that return their failures.
#pragma once

#include <optional>
#include <string>

#include "eventstore/status.h"
#include "services/common/civil_date.h"

namespace sparbar {

inline constexpr size_t kMaxShortText = 200;
inline constexpr size_t kMaxLongText = 10000;

// A text field of at most `max` bytes; empty only when not `required`.
Status TextField(const std::string& value, const char* field, size_t max, bool required);
// A date field: a real date, not after `today`.
Result<CivilDate> DateField(const std::string& text, const char* field, const CivilDate& today);
// A free text of at most `max` bytes (empty only when not `required`) that
// names no one by personnummer or samordningsnummer.
Status FreeTextField(const std::string& value, const char* field, size_t max, bool required, const CivilDate& today);
// A short field naming a unit, a role or a staff member: no personnummer in it.
Status NoPersonalIdentity(const std::string& value, const char* field, const CivilDate& today);
// `value` quoted (at most 40 bytes) for an error message, or a mention of it
// when it holds a personnummer, which an error message never repeats.
std::string QuotedForError(const std::string& value, const CivilDate& today);
// `d` must not come before `earlier` (the date of an earlier step).
Status NotBefore(const CivilDate& d, const std::optional<CivilDate>& earlier, const char* field,
                 const char* earlier_step);

}  // namespace sparbar

#define SPARBAR_TRY(expr)                        \
  do {                                           \
    if (Status _s = (expr); !_s.ok()) return _s; \
  } while (0)

#define SPARBAR_TRY_ASSIGN(var, expr)                   \
  auto var##_result = (expr);                           \
  if (!var##_result.ok()) return var##_result.status(); \
  auto var = std::move(var##_result.value())
