// Yttranden: requests for statements from IVO, JO and Patientnämnden. Luleå's
// 2025 (seed 003 L5310-L5322): Patientnämnden asked for statements in 7
// individual cases (complaints made there instead), IVO in 2 individual
// cases (barn och unga, hälso- och sjukvård) and in 11 on ej verkställda
// gynnande beslut, JO in 1 (barn och unga). The seed gives no dates: the
// dates, due dates and answers here are the test's own.
#include <catch2/catch.hpp>

#include "services/statements/report_render.h"
#include "services/statements/request.h"
#include "services/statements/statistics.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::statements;

namespace {

const committee::CommitteeRules& Rules() { return testing::ShippedRules<committee::CommitteeRules>("namnd.json"); }

DecideContext Ctx(std::optional<CivilDate> meeting = std::nullopt) {
  return DecideContext{CivilDate{2026, 6, 30}, &Rules(), meeting};
}
const testing::DeciderFns<RequestState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::StatementRequested Requested(pb::Authority a, pb::Subject s, const std::string& received,
                                 const std::string& due = "") {
  pb::StatementRequested m;
  m.set_authority(a);
  m.set_authority_reference("3.5.1-35578/2025-" + received.substr(5, 2));
  m.set_received_date(received);
  m.set_due_date(due);
  m.set_subject(s);
  m.set_area(s == pb::SUBJECT_EJ_VERKSTALLT_BESLUT ? "äldreomsorg" : "barn och unga");
  m.set_unit("Individ- och familjeomsorgen");
  m.set_responsible("Eva Berg");
  m.set_case_reference("beslut-2025-0042");
  return m;
}

pb::StatementSent SentBy(const std::string& date) {
  pb::StatementSent m;
  m.set_sent_date(date);
  m.set_decided_by("Socialchef");
  return m;
}

pb::RequestClosed Closed(const std::string& date, pb::Conclusion c, const std::string& text = "") {
  pb::RequestClosed m;
  m.set_closed_date(date);
  m.set_conclusion(c);
  m.set_text(text);
  return m;
}

RequestState Run(const std::vector<Payload>& steps) { return testing::DecideEach(steps, Ctx(), kFns); }
Status Refused(const std::vector<Payload>& before, const Payload& step, DecideContext c = Ctx()) {
  return testing::DecideRefused(before, step, c, kFns);
}

}  // namespace

TEST_CASE("a request for a statement from receipt to closing, its due date defaulted or extended",
          "[statements]") {
  const auto ivo = Requested(pb::AUTHORITY_IVO, pb::SUBJECT_INDIVIDUAL_CASE, "2025-03-03");
  RequestState s = Run({ivo});
  CHECK(s.due_on == CivilDate{2025, 3, 31});  // 28 days, config/namnd.json
  CHECK(s.requested->due_date_defaulted());
  CHECK(s.Awaiting());
  pb::DueDateExtended later;
  later.set_due_date("2025-04-14");
  later.set_granted_date("2025-03-25");
  later.set_reason("Begärda handlingar tar tid att sammanställa");
  s = Run({ivo, later, SentBy("2025-04-11")});
  CHECK(s.due_on == CivilDate{2025, 4, 14});
  CHECK(s.extensions == 1);
  CHECK_FALSE(s.SentLate());
  CHECK_FALSE(s.Awaiting());
  s = Run({ivo, SentBy("2025-04-01"), Closed("2025-06-02", pb::CONCLUSION_CRITICISM, "Brister i dokumentationen")});
  CHECK(s.SentLate());
  CHECK(s.closed->conclusion() == pb::CONCLUSION_CRITICISM);
  const auto given = Run({Requested(pb::AUTHORITY_JO, pb::SUBJECT_INDIVIDUAL_CASE, "2025-05-05", "2025-06-30")});
  CHECK(given.due_on == CivilDate{2025, 6, 30});
  CHECK_FALSE(given.requested->due_date_defaulted());
  // Adopted by the committee at a meeting held between the receipt and the sending (A:1221).
  pb::StatementSent adopted;
  adopted.set_sent_date("2025-03-27");
  adopted.mutable_adopted_in()->set_meeting_id("sn-2025-03-26");
  adopted.mutable_adopted_in()->set_paragraph(40);
  CHECK(testing::DecideEach({ivo, Payload(adopted)}, Ctx(CivilDate{2025, 3, 26}), kFns).sent.has_value());
  // Sent on the due date is in time; the committee may be told after the closing.
  CHECK_FALSE(Run({ivo, SentBy("2025-03-31")}).SentLate());
  CHECK(Run({ivo, SentBy("2025-04-01")}).SentLate());
  pb::RequestReported reported;
  reported.mutable_reported_in()->set_meeting_id("sn-2025-04-23");
  reported.mutable_reported_in()->set_paragraph(52);
  const auto after_closing = testing::DecideEach(
      {ivo, Payload(SentBy("2025-03-31")), Payload(Closed("2025-04-10", pb::CONCLUSION_NO_CRITICISM)), Payload(reported)},
      Ctx(CivilDate{2025, 4, 23}), kFns);
  CHECK(after_closing.reported->meeting_date() == "2025-04-23");
}

TEST_CASE("a request's steps out of order and bad fields are refused", "[statements]") {
  using testing::CheckStatus;
  const auto ivo = Requested(pb::AUTHORITY_IVO, pb::SUBJECT_EJ_VERKSTALLT_BESLUT, "2025-03-03");
  CheckStatus(Refused({}, SentBy("2025-03-10")), Code::kFailedPrecondition, "the request is not received");
  CheckStatus(Refused({ivo}, ivo), Code::kFailedPrecondition, "received once");
  CheckStatus(Refused({ivo, SentBy("2025-03-10")}, SentBy("2025-03-11")), Code::kFailedPrecondition,
              "the request is answered");
  CheckStatus(Refused({ivo}, SentBy("2025-03-02")), Code::kInvalidArgument, "sent_date 2025-03-02 is before the receipt");
  pb::StatementSent neither = SentBy("2025-03-10");
  neither.clear_decided_by();
  CheckStatus(Refused({ivo}, neither), Code::kInvalidArgument, "name either adopted_in");
  pb::StatementSent early_meeting = SentBy("2025-03-10");
  early_meeting.clear_decided_by();
  early_meeting.mutable_adopted_in()->set_meeting_id("sn-2025-02-26");
  early_meeting.mutable_adopted_in()->set_paragraph(12);
  CheckStatus(Refused({ivo}, early_meeting, Ctx(CivilDate{2025, 2, 26})), Code::kInvalidArgument,
              "was held before the request was received");
  pb::StatementSent late_meeting = early_meeting;
  late_meeting.mutable_adopted_in()->set_meeting_id("sn-2025-04-23");
  CheckStatus(Refused({ivo}, late_meeting, Ctx(CivilDate{2025, 4, 23})), Code::kInvalidArgument,
              "was held after 2025-03-10");
  pb::DueDateExtended earlier;
  earlier.set_due_date("2025-03-20");
  earlier.set_granted_date("2025-03-10");
  CheckStatus(Refused({ivo}, earlier), Code::kInvalidArgument, "must come after the current one, 2025-03-31");
  CheckStatus(Refused({ivo}, Closed("2025-04-01", pb::CONCLUSION_CRITICISM)), Code::kInvalidArgument,
              "text is required");
  CheckStatus(Refused({ivo, SentBy("2025-03-20")}, Closed("2025-03-19", pb::CONCLUSION_NO_CRITICISM)),
              Code::kInvalidArgument, "before the statement sent");
  CheckStatus(Refused({ivo, Closed("2025-04-01", pb::CONCLUSION_WITHDRAWN)}, SentBy("2025-04-02")),
              Code::kFailedPrecondition, "the request is closed");
  pb::StatementRequested other = Requested(pb::AUTHORITY_OTHER, pb::SUBJECT_OTHER, "2025-03-03");
  CheckStatus(Refused({}, other), Code::kInvalidArgument, "authority_name is required");
  pb::StatementRequested no_subject = ivo;
  no_subject.set_subject(pb::SUBJECT_UNSPECIFIED);
  CheckStatus(Refused({}, no_subject), Code::kInvalidArgument, "subject is required");
  pb::StatementRequested before = ivo;
  before.set_due_date("2025-03-01");
  CheckStatus(Refused({}, before), Code::kInvalidArgument, "due_date 2025-03-01 is before the receipt");
  pb::StatementRequested named = ivo;
  named.set_case_reference("19121212-1212");
  const Status pnr = Refused({}, named);
  CheckStatus(pnr, Code::kInvalidArgument, "case_reference holds a personnummer");
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  pb::RequestReported reported;
  reported.mutable_reported_in()->set_meeting_id("sn-2025-03-26");
  reported.mutable_reported_in()->set_paragraph(41);
  const auto informed = testing::DecideEach({ivo, Payload(reported)}, Ctx(CivilDate{2025, 3, 26}), kFns);
  CHECK(informed.reported->meeting_date() == "2025-03-26");
  CheckStatus(testing::DecideRefused({ivo, Payload(reported)}, Payload(reported), Ctx(CivilDate{2025, 3, 26}), kFns),
              Code::kFailedPrecondition, "informed of a request once");
}

TEST_CASE("Luleå's 2025: 7 from Patientnämnden, 2 + 11 from IVO and 1 from JO (L5310-L5322)", "[statements]") {
  StatementsView view;
  view.position = 100;
  int n = 0;
  auto add = [&](const std::vector<Payload>& steps) { view.requests["yttrande-" + std::to_string(++n)] = Run(steps); };
  for (int i = 0; i < 7; ++i) {
    const auto r = Requested(pb::AUTHORITY_PATIENTNAMNDEN, pb::SUBJECT_COMPLAINT,
                             "2025-0" + std::to_string(2 + i) + "-10");
    add({r, SentBy("2025-0" + std::to_string(2 + i) + "-2" + std::to_string(i))});  // 10-16 days after
  }
  add({Requested(pb::AUTHORITY_IVO, pb::SUBJECT_INDIVIDUAL_CASE, "2025-04-01"), SentBy("2025-04-20"),
       Closed("2025-09-01", pb::CONCLUSION_CRITICISM, "Brister i handläggningen")});
  auto hsl = Requested(pb::AUTHORITY_IVO, pb::SUBJECT_INDIVIDUAL_CASE, "2025-10-01");
  hsl.set_area("hälso- och sjukvård");
  add({hsl, SentBy("2025-11-12")});  // 42 days: late
  for (int i = 0; i < 11; ++i) {
    const std::string month = (i < 9 ? "0" : "") + std::to_string(1 + i);
    auto evb = Requested(pb::AUTHORITY_IVO, pb::SUBJECT_EJ_VERKSTALLT_BESLUT, "2025-" + month + "-05");
    if (i < 10) {
      add({evb, SentBy("2025-" + month + "-25")});
    } else {
      add({evb});  // November's, still without a statement
    }
  }
  add({Requested(pb::AUTHORITY_JO, pb::SUBJECT_INDIVIDUAL_CASE, "2025-12-15", "2026-01-30")});
  add({Requested(pb::AUTHORITY_IVO, pb::SUBJECT_TILLSYN, "2024-06-01")});  // 2024: outside the period

  const auto r = StatementStatistics(view, CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
  CHECK(r.requests() == 21);
  CHECK(r.sent() == 19);
  CHECK(r.sent_by_due_date() == 18);
  CHECK(r.open_at_period_end() == 2);
  CHECK(r.closed() == 1);
  CHECK(r.closed_with_criticism() == 1);
  CHECK(r.reported_to_committee() == 0);
  std::map<std::string, int64_t> areas;
  for (const auto& c : r.by_area()) areas[c.key()] = c.count();
  CHECK(areas == std::map<std::string, int64_t>{{"barn och unga", 9}, {"hälso- och sjukvård", 1}, {"äldreomsorg", 11}});
  REQUIRE(r.by_authority_size() == 3);
  CHECK(r.by_authority(0).key() == "ivo");
  CHECK(r.by_authority(0).count() == 13);
  CHECK(r.by_authority(1).key() == "jo");
  CHECK(r.by_authority(1).count() == 1);
  CHECK(r.by_authority(2).name() == "Patientnämnden");
  CHECK(r.by_authority(2).count() == 7);
  std::map<std::string, int64_t> pairs;
  for (const auto& c : r.by_authority_subject()) pairs[c.key()] = c.count();
  CHECK(pairs == std::map<std::string, int64_t>{{"ivo/ej_verkstallt_beslut", 11},
                                                {"ivo/enskilt_arende", 2},
                                                {"jo/enskilt_arende", 1},
                                                {"patientnamnden/klagomal", 7}});
  auto csv = RenderStatistics(r, v1::decisions::REPORT_FORMAT_CSV);
  REQUIRE(csv.ok());
  CHECK_THAT(*csv, Catch::Contains("myndighet_amne,ivo/ej_verkstallt_beslut,IVO – ej verkställt beslut,11,52.4\r\n"));

  // Awaiting on 2025-12-20: November's ej verkställt (due 2025-12-03) and JO's (due 2026-01-30).
  const auto due = BuildDue(view, CivilDate{2025, 12, 20}, pb::AUTHORITY_UNSPECIFIED);
  REQUIRE(due.statements_size() == 3);  // and 2024's tillsyn, long overdue
  CHECK(due.statements(0).subject() == "tillsyn");
  CHECK(due.statements(1).due() == "2025-12-03");
  CHECK(due.statements(1).days_left() == -17);
  CHECK(due.statements(2).authority() == "JO");
  CHECK(due.statements(2).days_left() == 41);
  CHECK(BuildDue(view, CivilDate{2025, 12, 20}, pb::AUTHORITY_JO).statements_size() == 1);
  CHECK(BuildDue(view, CivilDate{2025, 12, 3}, pb::AUTHORITY_IVO).statements(1).days_left() == 0);  // due that day
  auto html = RenderStatistics(r, v1::decisions::REPORT_FORMAT_HTML);
  REQUIRE(html.ok());
  CHECK_THAT(*html, Catch::Contains("<tr><th>IVO – ej verkställt beslut</th><td>11</td><td>52,4 %</td></tr>"));
  auto due_csv = RenderDue(due, v1::decisions::REPORT_FORMAT_CSV);
  REQUIRE(due_csv.ok());
  CHECK_THAT(*due_csv, Catch::StartsWith("yttrande,myndighet,myndighetens_dnr,slag,mottagen,senast,dagar_kvar,ansvarig\r\n"));
}
