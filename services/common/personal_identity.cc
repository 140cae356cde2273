#include "services/common/personal_identity.h"

#include <algorithm>
#include <cstdio>

#include "services/common/swedish_time.h"

namespace sparbar {

int LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

Result<PersonalIdentity> ParsePersonalIdentity(std::string_view text, const CivilDate& today,
                                               std::string_view field) {
  const std::string f(field);
  auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument(f + " is not a valid personnummer or samordningsnummer: " + why);
  };
  std::string digits;
  char separator = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if ((c == '-' || c == '+') && separator == 0 && text.size() - i == 5) {
      separator = c;
    } else {
      return invalid("only digits and one '-' or '+' before the last four digits are allowed");
    }
  }
  if (digits.size() != 10 && digits.size() != 12) return invalid("it must have 10 or 12 digits");
  if (digits.size() == 12 && separator == '+') return invalid("'+' goes only with a two-digit year");

  int year = 0;
  std::string_view rest;  // MMDDNNNC
  if (digits.size() == 12) {
    year = std::stoi(digits.substr(0, 4));
    rest = std::string_view(digits).substr(4);
  } else {
    const int yy = std::stoi(digits.substr(0, 2));
    year = today.year - ((today.year - yy) % 100 + 100) % 100;  // latest year <= today ending in yy
    rest = std::string_view(digits).substr(2);
  }
  const int month = std::stoi(std::string(rest.substr(0, 2)));
  int day = std::stoi(std::string(rest.substr(2, 2)));
  PersonalIdentity id;
  if (day > 60) {
    id.samordningsnummer = true;
    day -= 60;
  }
  if (digits.size() == 10) {
    // The century in which the person is younger than 100 ('-') or not ('+').
    if (CivilDate{year, month, day} > today) year -= 100;
    if (separator == '+') year -= 100;
  }
  if (!CivilDate::Valid(year, month, day)) return invalid("the date of birth does not exist");
  id.birth_date = CivilDate{year, month, day};
  if (id.birth_date > today) return invalid("the date of birth is in the future");

  char yyyy[8];
  std::snprintf(yyyy, sizeof yyyy, "%04d", year);
  id.number = std::string(yyyy) + std::string(rest);
  const std::string luhn_input = id.number.substr(2, 9);  // YYMMDDNNN
  if (LuhnCheckDigit(luhn_input) != id.number[11] - '0') return invalid("the check digit does not match");
  return id;
}

bool ContainsPersonalIdentity(std::string_view text, const CivilDate& today) {
  // The accepted forms, as patterns: 'd' a digit, '-' or '+' themselves.
  static constexpr std::string_view kForms[] = {"dddddddddddd", "dddddddd-dddd", "dddddddddd", "dddddd-dddd",
                                                "dddddd+dddd"};
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t start = 0; start < text.size(); ++start) {
    if (!is_digit(text[start]) || (start > 0 && is_digit(text[start - 1]))) continue;
    for (std::string_view form : kForms) {
      if (start + form.size() > text.size()) continue;
      const std::string_view candidate = text.substr(start, form.size());
      bool fits = true;
      for (size_t k = 0; k < form.size() && fits; ++k) {
        fits = form[k] == 'd'   ? is_digit(candidate[k])
               : form[k] == '-' ? candidate[k] == '-' || candidate[k] == '_'
                                : candidate[k] == form[k];
      }
      const size_t end = start + form.size();
      if (!fits || (end < text.size() && is_digit(text[end]))) continue;
      std::string written(candidate);
      std::replace(written.begin(), written.end(), '_', '-');  // '_' is how an identifier spells '-'
      if (ParsePersonalIdentity(written, today, "text").ok()) return true;
    }
  }
  return false;
}

Status ValidateStreamId(const std::string& id, std::string_view field) {
  constexpr size_t kMax = 64;
  const std::string f(field);
  if (id.empty() || id.size() > kMax) {
    return Status::InvalidArgument(f + " must be 1 to " + std::to_string(kMax) + " characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Status::InvalidArgument(f + " may hold only letters, digits, '-' and '_'");
  }
  if (ContainsPersonalIdentity(id, StockholmDate(NowMicros()))) {
    return Status::InvalidArgument(f + " holds a personnummer or samordningsnummer; use the number from the case system");
  }
  return Status::Ok();
}

Status ValidateStreamName(const std::string& name, std::string_view prefix, std::string_view field) {
  if (!std::string_view(name).starts_with(prefix)) {
    return Status::InvalidArgument(std::string(field) + " must name a " + std::string(prefix) + "… stream");
  }
  return ValidateStreamId(name.substr(prefix.size()), field);
}

}  // namespace sparbar
