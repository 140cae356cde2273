#include "services/common/decide_checks.h"

#include "services/common/personal_identity.h"

namespace sparbar {

Status TextField(const std::string& value, const char* field, size_t max, bool required) {
  if (required && value.empty()) return Status::InvalidArgument(std::string(field) + " is required");
  if (value.size() > max) {
    return Status::InvalidArgument(std::string(field) + " is longer than " + std::to_string(max) + " bytes");
  }
  return Status::Ok();
}

Result<CivilDate> DateField(const std::string& text, const char* field, const CivilDate& today) {
  auto d = CivilDate::Parse(text, field);
  if (!d.ok()) return d.status();
  if (*d > today) {
    return Status::InvalidArgument(std::string(field) + " " + d->ToString() + " is in the future (today is " +
                                   today.ToString() + ")");
  }
  return d;
}

Status NotBefore(const CivilDate& d, const std::optional<CivilDate>& earlier, const char* field,
                 const char* earlier_step) {
  if (earlier && d < *earlier) {
    return Status::InvalidArgument(std::string(field) + " " + d.ToString() + " is before " + earlier_step + " " +
                                   earlier->ToString());
  }
  return Status::Ok();
}

Status FreeTextField(const std::string& value, const char* field, size_t max, bool required, const CivilDate& today) {
  if (Status s = TextField(value, field, max, required); !s.ok()) return s;
  if (ContainsPersonalIdentity(value, today)) {
    return Status::InvalidArgument(std::string(field) +
                                   " holds a personnummer or samordningsnummer; describe the matter without it");
  }
  return Status::Ok();
}

Status NoPersonalIdentity(const std::string& value, const char* field, const CivilDate& today) {
  if (ContainsPersonalIdentity(value, today)) {
    return Status::InvalidArgument(std::string(field) +
                                   " holds a personnummer or samordningsnummer; use a role, a unit name or a staff id");
  }
  return Status::Ok();
}

std::string QuotedForError(const std::string& value, const CivilDate& today) {
  if (ContainsPersonalIdentity(value, today)) return "the value (it holds a personnummer, not repeated)";
  return "\"" + value.substr(0, 40) + "\"";
}

}  // namespace sparbar
