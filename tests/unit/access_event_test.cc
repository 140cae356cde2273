// The access event (services/access/access_event.h): what is required, what
// is refused with the field named and without repeating personal data, the
// normalized personnummer, and the id derived from the source's own.

#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include "services/access/access_event.h"
#include "services/access/subject_key.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace sparbar;
using namespace sparbar::access;
using google::protobuf::util::TimeUtil;

namespace {

// 2025-03-04 09:15 in Sweden.
const TimestampMicros kNow = TimeUtil::TimestampToMicroseconds(TimeUtil::SecondsToTimestamp(1741076100));

pb::AccessRecorded Access() {
  pb::AccessRecorded e;
  e.set_user_hsa_id("SE2321000230-1A2B");
  e.set_role("sjukskoterska");
  e.set_unit("hemsjukvarden-ost");
  e.set_action(pb::ACTION_READ);
  e.mutable_subject()->set_personal_identity_number("19121212-1212");
  e.set_record_ref("journal/anteckning/991");
  e.set_source_system("procapita");
  e.set_source_event_id("log-000017");
  *e.mutable_accessed_at() = TimeUtil::MicrosecondsToTimestamp(kNow - 3'600'000'000LL);
  e.set_purpose(pb::PURPOSE_NORMAL_WORK);
  e.set_outcome(pb::OUTCOME_ALLOWED);
  return e;
}

std::string Refused(pb::AccessRecorded e) {
  const Status s = CheckAccess(e, kNow, AccessLimits{});
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(s.message().find("1212") == std::string::npos);  // never repeats the personnummer
  return s.message();
}

}  // namespace

TEST_CASE("an access event is checked and its personnummer normalized", "[access]") {
  pb::AccessRecorded e = Access();
  REQUIRE(CheckAccess(e, kNow, AccessLimits{}).ok());
  CHECK(e.subject().personal_identity_number() == "191212121212");
  CHECK(StreamOf(e) == "atkomst-procapita");
  CHECK(EventType() == "sparbar.v1.access.AccessRecorded");
  // The id is the source's: the same for the same (system, id), different otherwise.
  pb::AccessRecorded again = Access();
  CHECK(EventIdOf(again) == EventIdOf(e));
  again.set_source_event_id("log-000018");
  CHECK(EventIdOf(again) != EventIdOf(e));
  again = Access();
  again.set_source_system("treserva");
  CHECK(EventIdOf(again) != EventIdOf(e));
}

TEST_CASE("a bad access event is refused naming the field, never repeating personal data", "[access]") {
  auto with = [](auto change) {
    pb::AccessRecorded e = Access();
    change(e);
    return Refused(e);
  };
  CHECK(with([](auto& e) { e.clear_user_hsa_id(); }).find("user_hsa_id") != std::string::npos);
  CHECK(with([](auto& e) { e.clear_unit(); }).find("unit") != std::string::npos);
  CHECK(with([](auto& e) { e.clear_role(); }).find("role") != std::string::npos);
  CHECK(with([](auto& e) { e.set_action(pb::ACTION_UNSPECIFIED); }).find("action") != std::string::npos);
  CHECK(with([](auto& e) { e.set_action(static_cast<pb::Action>(42)); }).find("action") != std::string::npos);
  CHECK(with([](auto& e) { e.clear_subject(); }).find("subject.personal_identity_number is required") !=
        std::string::npos);
  CHECK(with([](auto& e) { e.mutable_subject()->set_personal_identity_number("121212-1213"); })
            .find("subject.personal_identity_number") != std::string::npos);
  CHECK(with([](auto& e) { e.set_record_ref("journal/19121212-1212"); }).find("record_ref holds a personnummer") !=
        std::string::npos);
  CHECK(with([](auto& e) { e.set_user_hsa_id("121212-1212"); }).find("user_hsa_id holds a personnummer") !=
        std::string::npos);
  CHECK(with([](auto& e) { e.set_source_system("pro capita"); }).find("source_system") != std::string::npos);
  CHECK(with([](auto& e) { e.clear_source_event_id(); }).find("source_event_id") != std::string::npos);
  // A source's numeric id may look like a personnummer: it is only hashed, never a key or in a message.
  pb::AccessRecorded numbered = Access();
  numbered.set_source_event_id("8112289874");
  CHECK(CheckAccess(numbered, kNow, AccessLimits{}).ok());
  CHECK(with([](auto& e) { e.clear_accessed_at(); }).find("accessed_at is required") != std::string::npos);
  CHECK(with([](auto& e) { e.set_purpose(pb::PURPOSE_UNSPECIFIED); }).find("purpose") != std::string::npos);
  CHECK(with([](auto& e) { e.set_purpose(pb::PURPOSE_NODATKOMST); }).find("emergency_reason") != std::string::npos);
  CHECK(with([](auto& e) { e.set_purpose(pb::PURPOSE_CONSENT); }).find("consent_ref") != std::string::npos);
  CHECK(with([](auto& e) { e.set_consent_ref("samtycke-1"); }).find("are for nödåtkomst and consent") !=
        std::string::npos);
  CHECK(with([](auto& e) { e.set_outcome(pb::OUTCOME_UNSPECIFIED); }).find("outcome") != std::string::npos);
  CHECK(with([](auto& e) {
          e.set_purpose(pb::PURPOSE_NODATKOMST);
          e.set_emergency_reason("Akut");
          e.set_consent_ref("samtycke-1");
        }).find("consent_ref is for access with consent") != std::string::npos);
  // Ten minutes ahead of the server's clock: more than the five allowed.
  CHECK(with([](auto& e) { *e.mutable_accessed_at() = TimeUtil::MicrosecondsToTimestamp(kNow + 600'000'000LL); })
            .find("600 s in the future, more than the allowed clock skew of 300 s") != std::string::npos);
  pb::AccessRecorded soon = Access();
  *soon.mutable_accessed_at() = TimeUtil::MicrosecondsToTimestamp(kNow + 60'000'000LL);
  CHECK(CheckAccess(soon, kNow, AccessLimits{}).ok());  // within the skew
  pb::AccessRecorded emergency = Access();
  emergency.set_purpose(pb::PURPOSE_NODATKOMST);
  emergency.set_emergency_reason("Medvetslös patient, ingen annan åtkomst möjlig");
  CHECK(CheckAccess(emergency, kNow, AccessLimits{}).ok());
}

TEST_CASE("the subject key is created once with mode 0600, and keys a personnummer without holding it",
          "[access]") {
  const std::string dir = "/tmp/sparbar-subject-key-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  const std::string path = dir + "/keys/access-index.key";
  auto first = SubjectKey::LoadOrCreate(path);
  REQUIRE(first.ok());
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  auto again = SubjectKey::LoadOrCreate(path);
  REQUIRE(again.ok());
  const std::string k = first->Of("191212121212");
  CHECK(k.size() == 32);
  CHECK(again->Of("191212121212") == k);
  CHECK(again->fingerprint() == first->fingerprint());
  CHECK(first->Of("193903125676") != k);
  std::array<uint8_t, 32> other{};
  other[0] = 1;
  CHECK(SubjectKey::FromBytes(other).Of("191212121212") != k);
  CHECK(SubjectKey::FromBytes(other).fingerprint() != first->fingerprint());
  std::ofstream(path, std::ios::trunc) << "not a key\n";
  CHECK(SubjectKey::LoadOrCreate(path).status().code() == Code::kDataLoss);
  std::filesystem::remove_all(dir);
}
