#include "services/committee/dnr.h"

#include <cctype>

namespace sparbar::committee {
namespace {

bool Digits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool Letters(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (!std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool Year(std::string_view s, int& year) {
  if (!Digits(s, 4, 4)) return false;
  year = std::stoi(std::string(s));
  return year >= 1900 && year <= 2999;
}

// "2.5.1.1": groups of 1-3 digits joined by dots, at least two.
bool ClassPlanCode(std::string_view s) {
  int groups = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    const std::string_view group =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!Digits(group, 1, 3)) return false;
    ++groups;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return groups >= 2;
}

// "YYYY-NNNNNCC" or "YYYY-NNNNN CC" after the prefix (if any).
bool YearSerialClass(std::string_view s, Dnr& d) {
  if (s.size() < 6 || s[4] != '-' || !Year(s.substr(0, 4), d.year)) return false;
  std::string_view rest = s.substr(5);
  if (rest.size() == 8 && rest[5] == ' ') {
    d.serial = std::string(rest.substr(0, 5));
    d.klass = std::string(rest.substr(6));
  } else if (rest.size() == 7) {
    d.serial = std::string(rest.substr(0, 5));
    d.klass = std::string(rest.substr(5));
  } else {
    return false;
  }
  return Digits(d.serial, 5, 5) && Digits(d.klass, 2, 2);
}

}  // namespace

Result<Dnr> ParseDnr(std::string_view text, const char* field) {
  const std::string_view s = Trim(text);
  Dnr d;
  if (Digits(s, 1, 7)) {
    d.form = DnrForm::kPlainNumber;
    d.serial = std::string(s);
    d.canonical = d.serial;
    return d;
  }
  if (const size_t dash = s.find('-');
      dash != std::string_view::npos && Letters(s.substr(0, dash)) && YearSerialClass(s.substr(dash + 1), d)) {
    d.form = DnrForm::kPrefixed;
    d.prefix = std::string(s.substr(0, dash));
    d.canonical = d.prefix + "-" + std::to_string(d.year) + "-" + d.serial + " " + d.klass;
    return d;
  }
  if (YearSerialClass(s, d)) {
    d.form = DnrForm::kYearSerialClass;
    d.canonical = std::to_string(d.year) + "-" + d.serial + " " + d.klass;
    return d;
  }
  if (const size_t slash = s.find('/'); slash == 4 && Year(s.substr(0, 4), d.year)) {
    const size_t dash = s.find('-', slash);
    if (dash != std::string_view::npos) {
      const std::string_view serial = Trim(s.substr(slash + 1, dash - slash - 1));
      const std::string_view code = Trim(s.substr(dash + 1));
      if (Digits(serial, 1, 6) && ClassPlanCode(code)) {
        d.form = DnrForm::kYearSlashClassPlan;
        d.serial = std::string(serial);
        d.klass = std::string(code);
        d.canonical = std::to_string(d.year) + "/" + d.serial + "-" + d.klass;
        return d;
      }
    }
  }
  return Status::InvalidArgument(std::string(field) +
                                 " is not a diarienummer in a known form: DIASOC-2025-0134270, DIASOC-2025-01243 70, "
                                 "2024-00118 70, 2025/1804-2.5.1.1 or a plain number of at most 7 digits");
}

const char* DnrFormName(DnrForm form) {
  switch (form) {
    case DnrForm::kPrefixed:
      return "prefix-år-löpnummer klass";
    case DnrForm::kYearSerialClass:
      return "år-löpnummer klass";
    case DnrForm::kYearSlashClassPlan:
      return "år/löpnummer-klassificering";
    case DnrForm::kPlainNumber:
      return "löpnummer";
  }
  return "?";
}

}  // namespace sparbar::committee
