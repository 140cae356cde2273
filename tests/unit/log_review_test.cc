// Loggkontroll's pure parts: the reproducible sample (review_sample.h), the
// review's steps (review.h), and the FHIR AuditEvent form of an access
// (fhir_audit_event.h).

#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <set>

#include "services/access/fhir_audit_event.h"
#include "services/access/review.h"
#include "services/access/review_rules.h"
#include "services/access/review_sample.h"

using namespace sparbar;
using namespace sparbar::access;
using google::protobuf::util::TimeUtil;

namespace {

std::vector<std::string> Population(int n) {
  std::vector<std::string> users;
  for (int i = 0; i < n; ++i) users.push_back("SE2321000230-U" + std::to_string(i));
  return users;
}

const CivilDate kToday{2025, 10, 6};

review::ReviewState Opened(lr::ReviewKind kind = lr::REVIEW_KIND_QUARTERLY_RANDOM) {
  lr::ReviewOpened o;
  o.set_from_date("2025-07-01");
  o.set_to_date("2025-09-30");
  o.set_kind(kind);
  auto decided = review::Decide({}, o, {kToday, "granskare-1"});
  REQUIRE(decided.ok());
  return review::Evolve({}, *decided);
}

}  // namespace

TEST_CASE("The same seed draws the same sample, another seed another", "[logreview][sample]") {
  const auto population = Population(400);
  const auto a = DrawSample(population, 20251006, 20);
  CHECK(a.size() == 20);
  CHECK(DrawSample(population, 20251006, 20) == a);
  const auto b = DrawSample(population, 20251007, 20);
  CHECK(b.size() == 20);
  CHECK(b != a);
  // Neither order nor repeats in the population change the draw.
  auto shuffled = population;
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back(population[3]);
  CHECK(DrawSample(shuffled, 20251006, 20) == a);
  CHECK(PopulationDigest(shuffled) == PopulationDigest(population));
  CHECK(PopulationDigest(Population(399)) != PopulationDigest(population));
  // A smaller sample is the head of a larger one; every user is distinct.
  const auto five = DrawSample(population, 20251006, 5);
  CHECK(std::vector<std::string>(a.begin(), a.begin() + 5) == five);
  CHECK(std::set<std::string>(a.begin(), a.end()).size() == 20);
  // Asking for more than there are gives them all.
  CHECK(DrawSample(Population(3), 1, 10).size() == 3);
}

TEST_CASE("The sample is SHA-256 ranking of seed and user, as documented", "[logreview][sample]") {
  // Drawn with the documented method by hand (Python: sorted(users, key=lambda u:
  // hashlib.sha256((7).to_bytes(8, "big") + u.encode()).digest())[:2]).
  const std::vector<std::string> users = {"anna", "bertil", "cecilia", "david"};
  const auto drawn = DrawSample(users, 7, 2);
  REQUIRE(drawn.size() == 2);
  CHECK(drawn == std::vector<std::string>{"david", "anna"});
}

TEST_CASE("A review is opened with its kind's requirements and the caller as reviewer", "[logreview][review]") {
  lr::ReviewOpened o;
  o.set_from_date("2025-07-01");
  o.set_to_date("2025-09-30");
  o.set_kind(lr::REVIEW_KIND_TARGETED);
  CHECK(review::Decide({}, o, {kToday, "g"}).status().code() == Code::kInvalidArgument);  // no reason
  o.set_reason("anmälan från brukare 19121212-1212");
  CHECK(review::Decide({}, o, {kToday, "g"}).status().message() ==
        "reason (the suspicion a targeted review follows) must not hold a personnummer; name the person by the "
        "report's reference (p-…)");
  o.set_reason("anmälan från brukare 2025-09-02");
  CHECK(review::Decide({}, o, {kToday, "g"}).status().code() == Code::kInvalidArgument);  // no users
  o.add_target_users("SE2321000230-1A2B");
  auto ok = review::Decide({}, o, {kToday, "g"});
  REQUIRE(ok.ok());
  const auto& opened = std::get<lr::ReviewOpened>(*ok);
  CHECK(opened.reviewer() == "g");
  CHECK(opened.rules().baseline_days() == 90);  // defaults filled in
  o.set_to_date("2025-06-30");
  CHECK(review::Decide({}, o, {kToday, "g"}).status().code() == Code::kInvalidArgument);  // before from
  o.set_to_date("2025-10-07");
  CHECK(review::Decide({}, o, {kToday, "g"}).status().code() == Code::kInvalidArgument);  // in the future
  o.set_to_date("2025-09-30");
  o.add_units("19121212-1212");
  CHECK(review::Decide({}, o, {kToday, "g"}).status().code() == Code::kInvalidArgument);  // a personnummer
  CHECK(review::Decide(Opened(), Opened().opened, {kToday, "g"}).status().code() == Code::kAlreadyExists);
}

TEST_CASE("Findings need a reviewed access; concluding needs a finding on every flagged one", "[logreview][review]") {
  review::ReviewState s = Opened();
  lr::SampleDrawn sample;
  sample.set_method(kSampleMethod);
  lr::SampleDrawn targeted = sample;
  targeted.set_method("targeted");
  CHECK(review::Decide(s, targeted, {kToday, "g"}).status().code() == Code::kInvalidArgument);
  auto drawn = review::Decide(s, sample, {kToday, "g"});
  REQUIRE(drawn.ok());
  s = review::Evolve(s, *drawn);
  CHECK(review::Decide(s, sample, {kToday, "g"}).status().code() == Code::kFailedPrecondition);  // drawn once

  const std::set<uint64_t> reviewed = {10, 11, 12}, flagged = {11, 12};
  const review::DecideContext c{kToday, "g", &reviewed, &flagged};
  lr::FindingRecorded f;
  f.set_access_position(99);
  f.set_finding(lr::FINDING_NO_REMARK);
  CHECK(review::Decide(s, f, c).status().code() == Code::kInvalidArgument);  // not reviewed
  f.set_access_position(11);
  f.set_finding(lr::FINDING_SUSPECTED_MISUSE);
  CHECK(review::Decide(s, f, c).status().code() == Code::kInvalidArgument);  // no note
  f.set_note("ingen vårdrelation");
  auto finding = review::Decide(s, f, c);
  REQUIRE(finding.ok());
  CHECK(std::get<lr::FindingRecorded>(*finding).reviewer() == "g");
  s = review::Evolve(s, *finding);

  lr::ReviewConcluded end;
  end.set_summary("en misstänkt åtkomst");
  CHECK(review::Decide(s, end, {kToday, "g"}).status().code() == Code::kFailedPrecondition);  // flags unknown
  auto early = review::Decide(s, end, c);
  CHECK(early.status().code() == Code::kFailedPrecondition);
  CHECK(early.status().message() == "1 flagged accesses have no finding yet; record one for each first");

  lr::MisuseInvestigationOpened inv;
  inv.set_access_position(12);
  inv.set_investigation_id("mu-1");
  inv.set_reason("r");
  CHECK(review::Decide(s, inv, c).status().code() == Code::kFailedPrecondition);  // no misuse finding
  inv.set_access_position(11);
  auto opened = review::Decide(s, inv, c);
  REQUIRE(opened.ok());
  s = review::Evolve(s, *opened);
  CHECK(review::Decide(s, inv, c).status().code() == Code::kAlreadyExists);

  f.set_access_position(12);
  f.set_finding(lr::FINDING_NO_REMARK);
  f.clear_note();
  s = review::Evolve(s, *review::Decide(s, f, c));
  auto concluded = review::Decide(s, end, c);
  REQUIRE(concluded.ok());
  s = review::Evolve(s, *concluded);
  CHECK(s.phase == review::Phase::kConcluded);
  CHECK(review::Decide(s, f, c).status().code() == Code::kFailedPrecondition);  // closed for findings
}

TEST_CASE("An access as a FHIR R4 AuditEvent after IHE BALP", "[logreview][fhir]") {
  v1::access::RecordedAccess r;
  r.set_position(42);
  pb::AccessRecorded& a = *r.mutable_access();
  a.set_user_hsa_id("SE2321000230-1A2B");
  a.set_role("sjukskoterska");
  a.set_unit("hemsjukvarden-ost");
  a.set_action(pb::ACTION_PRINT);
  a.mutable_subject()->set_personal_identity_number("191212121212");
  a.set_record_ref("journal/991");
  a.set_source_system("procapita");
  *a.mutable_accessed_at() = TimeUtil::SecondsToTimestamp(1741076100);
  *r.mutable_recorded_at() = TimeUtil::SecondsToTimestamp(1741076160);
  a.set_purpose(pb::PURPOSE_NODATKOMST);
  a.set_emergency_reason("akut");
  a.set_outcome(pb::OUTCOME_ALLOWED);
  const auto e = AuditEventOf(r);
  CHECK(e["resourceType"] == "AuditEvent");
  CHECK(e["id"] == "sparbar-42");
  CHECK(e["meta"]["profile"][0] == "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
  CHECK(e["action"] == "R");
  CHECK(e["subtype"][0]["code"] == "read");
  CHECK(e["subtype"][1]["code"] == "print");
  CHECK(e["period"]["start"] == "2025-03-04T08:15:00Z");
  CHECK(e["recorded"] == "2025-03-04T08:16:00Z");
  CHECK(e["outcome"] == "0");
  CHECK(e["agent"][0]["who"]["identifier"]["value"] == "SE2321000230-1A2B");
  CHECK(e["agent"][0]["requestor"] == true);
  CHECK(e["entity"][0]["what"]["identifier"]["system"] == "urn:oid:1.2.752.129.2.1.3.1");
  CHECK(e["entity"][0]["what"]["identifier"]["value"] == "191212121212");
  CHECK(e["entity"][0]["role"]["code"] == "1");
  CHECK(e["entity"][1]["what"]["identifier"]["value"] == "journal/991");
  CHECK(e["purposeOfEvent"][0]["coding"][0]["code"] == "ETREAT");

  a.set_action(pb::ACTION_UPDATE);
  a.set_outcome(pb::OUTCOME_DENIED);
  a.mutable_subject()->set_personal_identity_number("190101612383");  // samordningsnummer: day 61
  const auto u = AuditEventOf(r);
  CHECK(u["action"] == "U");
  CHECK(u["meta"]["profile"][0] == "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientUpdate");
  CHECK(u["outcome"] == "4");
  CHECK(u["entity"][0]["what"]["identifier"]["system"] == "urn:oid:1.2.752.129.2.1.3.3");
  CHECK(u["subtype"].size() == 1);
}
