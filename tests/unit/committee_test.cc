// The committee: diarienummer in every form of DOMAIN.md §9 and the Kalix
// protocols (seed notes kalix-protocols-000-002 §1.9, lulea-003 §2.1); a
// meeting's protocol from the meeting to the notice, with Kalix's figures
// (2024-05-22, §§ 80-97, attested 2024-06-03, anslag 2024-06-03 to
// 2024-06-25, § 88 attested at once; 2025-11-05, § 144 with two
// reservations); the statistics and the protocols due.

#include <catch2/catch.hpp>

#include "services/committee/dnr.h"
#include "services/committee/meeting.h"
#include "services/committee/statistics.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::committee;

namespace {

const CommitteeRules& Rules() { return testing::ShippedRules<CommitteeRules>("namnd.json"); }

DecideContext Ctx() { return DecideContext{CivilDate{2026, 6, 30}, &Rules()}; }
const testing::DeciderFns<MeetingState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::MeetingHeld Held(const std::string& date = "2024-05-22") {
  pb::MeetingHeld m;
  m.set_body("Socialnämnden");
  m.set_meeting_date(date);
  m.set_place("Förvaltningsbyggnaden, Sessionssalen");
  m.set_chair("Inga-Lis Samuelsson (C)");
  m.set_secretary("Ann-Kristin Andersson");
  m.add_attesters("Stefan Granström (C)");
  return m;
}

pb::ParagraphRecorded Paragraph(uint32_t number, const std::string& dnr, const std::string& title = "Ärende") {
  pb::ParagraphRecorded m;
  m.set_number(number);
  m.set_dnr(dnr);
  m.set_title(title);
  m.set_decision("Socialnämnden tar del av informationen.");
  m.add_basis("Tjänsteskrivelse, 2024-05-08");
  m.add_distribution("Socialförvaltningens ledningsgrupp");
  return m;
}

pb::ParagraphAttested AtOnce(uint32_t number, const std::string& date = "2024-05-22") {
  pb::ParagraphAttested m;
  m.set_paragraph(number);
  m.set_attested_date(date);
  m.add_attested_by("Inga-Lis Samuelsson (C)");
  m.add_attested_by("Stefan Granström (C)");
  return m;
}

pb::ProtocolAttested Attested(const std::string& date = "2024-06-03") {
  pb::ProtocolAttested m;
  m.set_attested_date(date);
  m.set_place("Socialförvaltningen");
  m.add_attested_by("Inga-Lis Samuelsson (C)");
  m.add_attested_by("Stefan Granström (C)");
  return m;
}

pb::NoticePosted Posted(const std::string& posted = "2024-06-03", const std::string& down = "2024-06-25") {
  pb::NoticePosted m;
  m.set_posted_date(posted);
  m.set_taken_down_date(down);
  m.set_storage_place("Socialförvaltningen");
  return m;
}

// Kalix's meeting of 2024-05-22 (seed 002 B:107-144): §§ 80-97, §§ 80-84 with plain numbers.
std::vector<Payload> KalixMay2024() {
  std::vector<Payload> steps = {Held()};
  const std::vector<std::string> plain = {"9869", "9805", "9806", "9807", "10031"};
  for (uint32_t n = 80; n <= 97; ++n) {
    std::string dnr;
    if (n <= 84) {
      dnr = plain[n - 80];
    } else if (n == 87 || n == 88) {
      dnr = "2024-0012" + std::to_string(n - 87) + " 04";  // the economy cases end in 04
    } else {
      dnr = "2024-00" + std::to_string(118 + n - 85) + " 70";
    }
    steps.push_back(Paragraph(n, dnr));
  }
  steps.push_back(AtOnce(88));  // Helårsprognos, B:335
  steps.push_back(Attested());
  steps.push_back(Posted());
  return steps;
}

MeetingState Run(const std::vector<Payload>& steps) { return testing::DecideEach(steps, Ctx(), kFns); }
Status Refused(const std::vector<Payload>& before, const Payload& step) {
  return testing::DecideRefused(before, step, Ctx(), kFns);
}

}  // namespace

TEST_CASE("every diarienummer form of DOMAIN.md §9 is read, and one case written two ways is one", "[committee]") {
  struct Case {
    const char* text;
    DnrForm form;
    int year;
    const char* serial;
    const char* klass;
    const char* canonical;
  };
  for (const Case& c : {
           Case{"DIASOC-2025-0134270", DnrForm::kPrefixed, 2025, "01342", "70", "DIASOC-2025-01342 70"},
           Case{"DIASOC-2025-01243 70", DnrForm::kPrefixed, 2025, "01243", "70", "DIASOC-2025-01243 70"},
           Case{"DIASOC-2025-0128704", DnrForm::kPrefixed, 2025, "01287", "04", "DIASOC-2025-01287 04"},
           Case{"2024-00118 70", DnrForm::kYearSerialClass, 2024, "00118", "70", "2024-00118 70"},
           Case{"2024-00120 04", DnrForm::kYearSerialClass, 2024, "00120", "04", "2024-00120 04"},
           Case{"2025/1804-2.5.1.1", DnrForm::kYearSlashClassPlan, 2025, "1804", "2.5.1.1", "2025/1804-2.5.1.1"},
           Case{"2020/203 - 3.9.0.1", DnrForm::kYearSlashClassPlan, 2020, "203", "3.9.0.1", "2020/203-3.9.0.1"},
           Case{"9869", DnrForm::kPlainNumber, 0, "9869", "", "9869"},
           Case{" 10031 ", DnrForm::kPlainNumber, 0, "10031", "", "10031"},
       }) {
    INFO(c.text);
    auto d = ParseDnr(c.text, "dnr");
    REQUIRE(d.ok());
    CHECK(d->form == c.form);
    CHECK(d->year == c.year);
    CHECK(d->serial == c.serial);
    CHECK(d->klass == c.klass);
    CHECK(d->canonical == c.canonical);
  }
  for (const char* bad : {"", "DIASOC", "DIASOC-2025-013427", "2024-00118", "2024-0118 70", "12345678", "191212121212",
                          "19121212-1212", "2025/1804", "2025/1804-2", "diasoc-2025-0134270", "Ju2025/01945"}) {
    INFO(bad);
    auto d = ParseDnr(bad, "dnr");
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Code::kInvalidArgument);
    CHECK_THAT(d.status().message(), Catch::Contains("dnr is not a diarienummer in a known form"));
    CHECK_THAT(d.status().message(), !Catch::Contains("1212"));  // a personnummer is never repeated
  }
}

TEST_CASE("Kalix's protocol of 2024-05-22: 18 paragraphs, § 88 at once, attested in 12 days, posted 22",
          "[committee]") {
  const MeetingState s = Run(KalixMay2024());
  CHECK(s.paragraphs.size() == 18);
  CHECK(s.paragraphs.at(80).recorded.dnr_canonical() == "9869");
  CHECK(s.paragraphs.at(85).recorded.dnr_canonical() == "2024-00118 70");
  CHECK(s.paragraphs.at(88).recorded.dnr_canonical() == "2024-00121 04");
  CHECK(s.paragraphs.at(88).attested_at_once);
  CHECK(*s.paragraphs.at(88).attested_on == CivilDate{2024, 5, 22});
  CHECK(*s.paragraphs.at(97).attested_on == CivilDate{2024, 6, 3});
  CHECK(s.AttestDue(Rules()) == CivilDate{2024, 6, 5});
  CHECK(*s.NoticeDue(Rules()) == CivilDate{2024, 6, 5});
  CHECK_FALSE(s.NoticeLate(Rules()));
  // The taken-down day defaults to three weeks after the posting.
  std::vector<Payload> steps = KalixMay2024();
  steps.back() = Posted("2024-06-10", "");
  const MeetingState late = Run(steps);
  CHECK(late.taken_down_on == CivilDate{2024, 7, 1});
  CHECK(late.NoticeLate(Rules()));
}

TEST_CASE("a protocol's steps out of order and bad fields are refused", "[committee]") {
  CHECK_THAT(Refused({}, Paragraph(80, "9869")).message(), Catch::Contains("belongs to a meeting held"));
  CHECK_THAT(Refused({Held()}, Held()).message(), Catch::Contains("held once"));
  CHECK_THAT(Refused({Held(), Paragraph(80, "9869")}, Paragraph(80, "9805")).message(),
             Catch::Contains("§ 80 is recorded already"));
  CHECK_THAT(Refused({Held()}, Paragraph(0, "")).message(), Catch::Contains("number is required"));
  CHECK_THAT(Refused({Held()}, Paragraph(81, "2024-118 70")).message(), Catch::Contains("dnr is not a diarienummer"));
  CHECK(Run({Held(), Paragraph(133, "")}).paragraphs.at(133).recorded.dnr_canonical().empty());  // upprop: no Dnr
  CHECK_THAT(Refused({Held()}, Attested()).message(), Catch::Contains("at least one paragraph"));
  const std::vector<Payload> attested = {Held(), Paragraph(80, "9869"), Attested()};
  CHECK_THAT(Refused(attested, Paragraph(81, "9805")).message(), Catch::Contains("protocol is not attested"));
  CHECK_THAT(Refused(attested, Attested()).message(), Catch::Contains("attested once"));
  pb::ReservationRecorded late;
  late.set_paragraph(80);
  late.set_member("Kristina Karlsson");
  CHECK_THAT(Refused(attested, late).message(), Catch::Contains("§ 80 is attested"));
  CHECK_THAT(Refused({Held(), Paragraph(80, "9869")}, Posted()).message(),
             Catch::Contains("once the protocol is attested"));
  CHECK_THAT(Refused(attested, Posted("2024-06-03", "2024-06-20")).message(), Catch::Contains("at least 21 days"));
  CHECK_THAT(Refused(attested, Posted("2024-06-01")).message(), Catch::Contains("posted_date 2024-06-01 is before"));
  pb::ProtocolAttested without_attester = Attested();
  without_attester.mutable_attested_by()->RemoveLast();
  CHECK_THAT(Refused({Held(), Paragraph(80, "9869")}, without_attester).message(),
             Catch::Contains("every attester elected at the meeting"));
  CHECK_THAT(Refused({Held(), Paragraph(80, "9869")}, Attested("2024-05-21")).message(),
             Catch::Contains("attested_date 2024-05-21 is before the meeting"));
  CHECK_THAT(Refused({Held(), Paragraph(80, "9869"), AtOnce(80, "2024-06-04")}, Attested()).message(),
             Catch::Contains("before § 80's own attestation"));
  pb::ParagraphRecorded named = Paragraph(90, "2024-00123 70");
  named.set_decision("Bistånd till 19121212-1212 beviljas");
  const Status pnr = Refused({Held()}, named);
  CHECK_THAT(pnr.message(), Catch::Contains("decision holds a personnummer"));
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  CHECK_THAT(Refused({}, Held("2026-07-01")).message(), Catch::Contains("meeting_date"));
}

TEST_CASE("reservations and protocol notes of § 144 (A:867-869) are counted apart", "[committee]") {
  std::vector<Payload> steps = {Held("2025-11-05"),
                                Paragraph(144, "DIASOC-2025-01243 70", "Remiss straffbarhetsålder")};
  for (const char* member : {"Christoffer Blombäck", "Kristina Karlsson"}) {
    pb::ReservationRecorded r;
    r.set_paragraph(144);
    r.set_member(member);
    r.set_party(std::string(member).front() == 'C' ? "M" : "SD");
    steps.push_back(r);
  }
  pb::ReservationRecorded note;
  note.set_paragraph(144);
  note.set_member("Maria Nilsson");
  note.set_protocol_note(true);
  CHECK_THAT(Refused(steps, note).message(), Catch::Contains("text is required"));
  note.set_text("Vill få antecknat att remissen kom sent.");
  steps.push_back(note);
  MeetingsView view;
  view.position = 10;
  view.meetings["sammantrade-a"] = Run(steps);
  view.meetings["sammantrade-b"] = Run(KalixMay2024());
  const auto st2025 = CommitteeStatistics(view, Rules(), CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
  CHECK(st2025.meetings() == 1);
  CHECK(st2025.reservations() == 2);
  CHECK(st2025.protocol_notes() == 1);
  CHECK(st2025.protocols_attested() == 0);
  const auto st2024 = CommitteeStatistics(view, Rules(), CivilDate{2024, 1, 1}, CivilDate{2024, 12, 31});
  CHECK(st2024.meetings() == 1);
  CHECK(st2024.paragraphs() == 18);
  CHECK(st2024.paragraphs_with_dnr() == 18);
  CHECK(st2024.paragraphs_attested_at_once() == 1);
  CHECK(st2024.attested_within_deadline() == 1);
  CHECK(st2024.notices_within_deadline() == 1);
  REQUIRE(st2024.dnr_by_form_size() == 2);
  CHECK(st2024.dnr_by_form(0).name() == "löpnummer");
  CHECK(st2024.dnr_by_form(0).count() == 5);
  CHECK(st2024.dnr_by_form(1).count() == 13);

  // 2025-11-05's protocol awaits attestation: due 2025-11-19.
  const auto due = BuildDue(view, Rules(), CivilDate{2025, 11, 25}, "");
  REQUIRE(due.steps_size() == 1);
  CHECK(due.steps(0).stream() == "sammantrade-a");
  CHECK(due.steps(0).awaits() == "justering");
  CHECK(due.steps(0).days_left() == -6);
  CHECK(BuildDue(view, Rules(), CivilDate{2025, 11, 4}, "").steps_size() == 0);  // before the meeting
  CHECK(BuildDue(view, Rules(), CivilDate{2025, 11, 25}, "Socialnämndens arbetsutskott").steps_size() == 0);
}

TEST_CASE("committee rules name what is wrong in the file", "[committee]") {
  CHECK(CommitteeRules::FromJson("{}").ok());
  auto bad = CommitteeRules::FromJson(R"({"notice_min_days": -3})");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("\"notice_min_days\""));
  CHECK_FALSE(CommitteeRules::FromJson("[]").ok());
}
