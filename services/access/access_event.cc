#include "services/access/access_event.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/time_util.h>

#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::access {
namespace {

constexpr size_t kMaxId = 200;

// A required, short, printable identifier.
Status Printable(const std::string& value, const char* field) {
  SPARBAR_TRY(TextField(value, field, kMaxId, true));
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument(std::string(field) + " has a control character");
  }
  return Status::Ok();
}

// An identifier that names streams or index keys: printable, and never a personnummer.
Status IdField(const std::string& value, const char* field, const CivilDate& today) {
  SPARBAR_TRY(Printable(value, field));
  if (ContainsPersonalIdentity(value, today)) {
    return Status::InvalidArgument(std::string(field) +
                                   " holds a personnummer; only subject.personal_identity_number may");
  }
  return Status::Ok();
}

}  // namespace

const std::string& EventType() {
  static const std::string type = pb::AccessRecorded::descriptor()->full_name();
  return type;
}

Status CheckAccess(pb::AccessRecorded& e, TimestampMicros now, const AccessLimits& limits) {
  e.DiscardUnknownFields();
  const CivilDate today = StockholmDate(now);
  SPARBAR_TRY(IdField(e.user_hsa_id(), "user_hsa_id", today));
  SPARBAR_TRY(IdField(e.role(), "role", today));
  SPARBAR_TRY(IdField(e.unit(), "unit", today));
  if (e.action() == pb::ACTION_UNSPECIFIED || !pb::Action_IsValid(e.action())) {
    return Status::InvalidArgument("action must be read, create, update, print, copy, export or disclose");
  }
  if (!e.has_subject() || e.subject().personal_identity_number().empty()) {
    return Status::InvalidArgument("subject.personal_identity_number is required: the person whose data was accessed");
  }
  SPARBAR_TRY_ASSIGN(person,
                     ParsePersonalIdentity(e.subject().personal_identity_number(), today,
                                           "subject.personal_identity_number"));
  e.mutable_subject()->set_personal_identity_number(person.number);
  if (!e.record_ref().empty()) SPARBAR_TRY(IdField(e.record_ref(), "record_ref", today));
  SPARBAR_TRY(ValidateStreamId(e.source_system(), "source_system"));
  // The source's own id is only hashed into the event id, never an index key
  // or a message, so any printable id will do (many sources number their
  // events, and a number can look like a personnummer).
  SPARBAR_TRY(Printable(e.source_event_id(), "source_event_id"));
  if (!e.has_accessed_at()) return Status::InvalidArgument("accessed_at is required");
  using google::protobuf::util::TimeUtil;
  const auto& ts = e.accessed_at();
  if (ts.seconds() < 0 || ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 || ts.nanos() > 999'999'999) {
    return Status::InvalidArgument("accessed_at is not a valid timestamp after 1970");
  }
  const int64_t at = TimeUtil::TimestampToMicroseconds(ts);
  if (at > now + limits.max_clock_skew.count()) {
    return Status::InvalidArgument("accessed_at is " + std::to_string((at - now) / 1'000'000) +
                                   " s in the future, more than the allowed clock skew of " +
                                   std::to_string(limits.max_clock_skew.count() / 1'000'000) + " s");
  }
  switch (e.purpose()) {
    case pb::PURPOSE_NORMAL_WORK:
      if (!e.emergency_reason().empty() || !e.consent_ref().empty()) {
        return Status::InvalidArgument("emergency_reason and consent_ref are for nödåtkomst and consent");
      }
      break;
    case pb::PURPOSE_NODATKOMST:
      SPARBAR_TRY(TextField(e.emergency_reason(), "emergency_reason", kMaxLongText, true));
      if (!e.consent_ref().empty()) return Status::InvalidArgument("consent_ref is for access with consent");
      break;
    case pb::PURPOSE_CONSENT:
      SPARBAR_TRY(IdField(e.consent_ref(), "consent_ref", today));
      if (!e.emergency_reason().empty()) return Status::InvalidArgument("emergency_reason is for nödåtkomst");
      break;
    default:
      return Status::InvalidArgument("purpose must be normal work, nödåtkomst or consent");
  }
  if (e.outcome() != pb::OUTCOME_ALLOWED && e.outcome() != pb::OUTCOME_DENIED) {
    return Status::InvalidArgument("outcome must be allowed or denied");
  }
  return Status::Ok();
}

std::string StreamOf(const pb::AccessRecorded& e) { return std::string(kStreamPrefix) + e.source_system(); }

Uuid EventIdOf(const pb::AccessRecorded& e) {
  std::string name = "sparbar access ";
  name += e.source_system();
  name.push_back('\0');
  name += e.source_event_id();
  return Uuid::NameBased(name);
}

std::string Serialize(const pb::AccessRecorded& e) {
  std::string out;
  google::protobuf::io::StringOutputStream raw(&out);
  google::protobuf::io::CodedOutputStream coded(&raw);
  coded.SetSerializationDeterministic(true);
  e.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

}  // namespace sparbar::access
