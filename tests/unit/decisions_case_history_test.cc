// How the case-facts projection stores a case's events: keys, entries, and
// what personal data is taken out.

#include <catch2/catch.hpp>

#include "services/decisions/case_history.h"
#include "sparbar/v1/decisions_views.pb.h"

using namespace sparbar;
using namespace sparbar::decisions;

TEST_CASE("case history keys sort by revision within a case and keep cases apart") {
  CHECK(CaseHistoryKey("beslut-1", 15) < CaseHistoryKey("beslut-1", 16));
  CHECK(CaseHistoryKey("beslut-1", 255) < CaseHistoryKey("beslut-1", 4096));
  CHECK(CaseHistoryKey("beslut-1", 0xffffffffffULL).ends_with("000000ffffffffff"));
  CHECK(CaseHistoryKey("beslut-1", 7).starts_with(CaseHistoryPrefix("beslut-1")));
  // "beslut-1" must not see the entries of "beslut-10" or "beslut-1/x".
  CHECK(!CaseHistoryKey("beslut-10", 0).starts_with(CaseHistoryPrefix("beslut-1")));
  CHECK(!CaseHistoryKey("beslut-1/x", 0).starts_with(CaseHistoryPrefix("beslut-1")));
}

TEST_CASE("a stored entry is the wire form of StoredCaseEvent and decodes back") {
  pb::Executed executed;
  executed.set_start_date("2024-02-01");
  const Payload event = executed;
  const std::string payload = Serialize(event);
  for (const std::string& body : {payload, std::string(300, 'x')}) {  // 300: a two-byte length
    pb::StoredCaseEvent expected;
    expected.set_type(TypeOf(event));
    expected.set_payload(body);
    CHECK(EncodeEntry(TypeOf(event), body) == expected.SerializeAsString());
  }
  auto decoded = DecodeEntry(EncodeEntry(TypeOf(event), payload));
  REQUIRE(decoded.ok());
  CHECK(std::get<pb::Executed>(*decoded).start_date() == "2024-02-01");
  CHECK(DecodeEntry("\xff\xff").status().code() == Code::kDataLoss);
  CHECK(DecodeEntry(EncodeEntry("sparbar.v1.decisions.NoSuchEvent", "")).status().code() == Code::kDataLoss);
}

TEST_CASE("personal data is taken out of an application and of a correction that replaces one") {
  pb::ApplicationReceived app;
  app.mutable_subject()->set_personal_identity_number("191212121212");
  app.mutable_subject()->set_sex(pb::SEX_MAN);
  app.set_received_date("2024-01-02");
  CaseState empty;
  auto stripped = WithoutPersonalData(app, empty);
  REQUIRE(stripped.has_value());
  const auto& a = std::get<pb::ApplicationReceived>(*stripped);
  CHECK(a.subject().personal_identity_number().empty());
  CHECK(a.subject().sex() == pb::SEX_MAN);
  CHECK(a.received_date() == "2024-01-02");

  const CaseState applied = Evolve(CaseState(), *stripped);
  pb::ApplicationReceived replacement = app;
  replacement.mutable_subject()->set_personal_identity_number("198112289874");
  pb::Corrected fix;
  fix.set_target_revision(0);
  fix.set_reason("fel person");
  fix.set_replacement_payload(replacement.SerializeAsString());
  auto fixed = WithoutPersonalData(fix, applied);
  REQUIRE(fixed.has_value());
  pb::ApplicationReceived kept;
  REQUIRE(kept.ParseFromString(std::get<pb::Corrected>(*fixed).replacement_payload()));
  CHECK(kept.subject().personal_identity_number().empty());
  CHECK(kept.received_date() == "2024-01-02");

  // Events without personal data are stored as the log has them.
  pb::Executed executed;
  executed.set_start_date("2024-02-01");
  CHECK(!WithoutPersonalData(executed, applied).has_value());
}

TEST_CASE("a correction is stored as the fold reads it, whatever its replacement holds") {
  pb::ApplicationReceived app;
  app.set_received_date("2024-01-02");
  pb::InvestigationOpened opened;
  opened.set_opened_date("2024-01-03");
  const CaseState investigating = Evolve(Evolve(CaseState(), Payload(app)), Payload(opened));
  auto replacement_of = [&](const pb::Corrected& fix) {
    auto stored = WithoutPersonalData(fix, investigating);
    REQUIRE(stored.has_value());
    return std::get<pb::Corrected>(*stored).replacement_payload();
  };
  auto folds_alike = [&](const pb::Corrected& fix) {
    const CaseState original = Evolve(investigating, Payload(fix));
    const CaseState stored = Evolve(investigating, *WithoutPersonalData(fix, investigating));
    return original.phase == stored.phase && original.received == stored.received &&
           original.history.size() == stored.history.size() &&
           std::get<pb::InvestigationOpened>(original.history[1]).opened_date() ==
               std::get<pb::InvestigationOpened>(stored.history[1]).opened_date();
  };

  pb::InvestigationOpened later = opened;
  later.set_opened_date("2024-01-05");
  pb::Corrected fix;
  fix.set_target_revision(1);
  fix.set_replacement_payload(later.SerializeAsString());
  CHECK(replacement_of(fix) == later.SerializeAsString());
  CHECK(folds_alike(fix));

  // Bytes the target's type does not know (here an application's subject,
  // personnummer included, under an unknown field number) are dropped.
  std::string with_unknown = later.SerializeAsString();
  pb::Subject subject;
  subject.set_personal_identity_number("191212121212");
  const std::string hidden = subject.SerializeAsString();
  with_unknown += std::string("\xfa\x01", 2) + static_cast<char>(hidden.size()) + hidden;  // field 31, bytes
  pb::InvestigationOpened check;
  REQUIRE(check.ParseFromString(with_unknown));
  fix.set_replacement_payload(with_unknown);
  CHECK(replacement_of(fix).find("191212121212") == std::string::npos);
  CHECK(folds_alike(fix));

  // A target the case does not have: Evolve ignores the correction, so
  // nothing of its replacement is kept.
  fix.set_target_revision(7);
  CHECK(replacement_of(fix).empty());
  CHECK(folds_alike(fix));

  // A replacement that does not parse stays unparseable (an empty one would
  // parse, as an empty message, and change the fold).
  fix.set_target_revision(1);
  fix.set_replacement_payload(std::string("\x0a\xff", 2));
  CHECK(!replacement_of(fix).empty());
  CHECK(folds_alike(fix));
}
