// Swedish personal identity numbers: personnummer and samordningsnummer
// (co-ordination number: the day of birth plus 60).
//
// Accepted forms: YYYYMMDDNNNC, YYYYMMDD-NNNC, YYMMDD-NNNC, YYMMDDNNNC and
// YYMMDD+NNNC ('+' for those 100 or older). The check digit C is the Luhn
// digit of YYMMDDNNN. The century of a two-digit year is taken relative to
// `today`. Error messages name the rule that failed and never repeat the number.
#pragma once

#include <string>
#include <string_view>

#include "eventstore/status.h"
#include "services/common/civil_date.h"

namespace sparbar {

struct PersonalIdentity {
  std::string number;  // normalized: 12 digits YYYYMMDDNNNC
  CivilDate birth_date;
  bool samordningsnummer = false;

  // Under 18 on `on`.
  bool ChildOn(const CivilDate& on) const { return birth_date.AddMonths(18 * 12) > on; }
};

Result<PersonalIdentity> ParsePersonalIdentity(std::string_view text, const CivilDate& today,
                                               std::string_view field);

// Whether `text` holds, anywhere and in any accepted form, a valid
// personnummer or samordningsnummer (digits not part of a longer run of
// digits). For identifiers that must not carry one (case ids, stream names).
bool ContainsPersonalIdentity(std::string_view text, const CivilDate& today);

// An identifier a client gives for a stream of its own (a case id, a
// deviation id): 1 to 64 letters, digits, '-' and '_', and no personnummer
// or samordningsnummer, since it names the stream and read-model keys.
// InvalidArgument naming `field` otherwise.
Status ValidateStreamId(const std::string& id, std::string_view field);

// A stream name a client gives (a linked case, a follow-up case): `prefix`
// followed by an id that passes ValidateStreamId. InvalidArgument naming
// `field` otherwise; the message does not repeat the name.
Status ValidateStreamName(const std::string& name, std::string_view prefix, std::string_view field);

// The Luhn check digit of a string of digits.
int LuhnCheckDigit(std::string_view digits);

}  // namespace sparbar
