// Kalix's Q1 2024 ej verkställda report (seed 002, L631–L716) as test data:
// the 26 printed rows, and each row as the events a case officer would have
// recorded, decided through the decisions decider.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "services/decisions/decider.h"

namespace sparbar::decisions::testing {

struct KalixRow {
  int line;               // in seed 002
  const char* sex;        // "kvinna", "man", "barn"
  const char* insats;     // catalogue code
  const char* lagrum;
  const char* reason;     // reason code, "" when the row gives none
  const char* decided;
  const char* interrupted;  // "" when none
  const char* executed;     // "" when none
  const char* closed;       // "" when none
};

// The 26 rows of the "Sammanställning" table, L673–L703, in printed order.
inline const KalixRow kRows[] = {
    {673, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "tackat_nej", "2022-06-02", "", "2024-02-01", ""},
    {674, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "tackat_nej", "2023-05-25", "", "2024-03-04", ""},
    {675, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-12-15", "", "", ""},
    {676, "man", "sarskilt_boende", "4 kap. 1 § SoL", "tackat_nej", "2023-09-22", "", "", ""},
    {677, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-12-20", "", "", ""},
    {678, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-12-18", "", "", ""},
    {679, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-06-08", "", "2024-03-12", ""},
    {680, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-09-20", "", "2024-02-12", ""},
    {681, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-12-19", "", "2024-02-16", ""},
    {682, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "sarskilda_onskemal", "2023-09-05", "", "", ""},
    {683, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2022-04-07", "", "2024-02-28", ""},
    {684, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-11-28", "", "", ""},
    {685, "barn", "korttidsvistelse", "9 § 6 LSS", "arbetsmiljo", "2021-09-01", "2023-07-23", "", ""},
    {686, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-12-06", "", "2024-03-29", ""},
    {688, "man", "daglig_verksamhet", "9 § 10 LSS", "ohalsa", "2020-03-27", "2023-11-01", "", ""},
    {689, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2024-01-22", "", "", ""},
    {690, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2024-01-24", "", "", ""},
    {691, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-10-20", "", "2024-03-05", ""},
    {692, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-10-04", "", "2024-03-14", ""},
    {693, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-10-19", "", "2024-03-06", ""},
    {694, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "tackat_nej", "2023-06-02", "", "", "2024-04-22"},
    {696, "man", "daglig_verksamhet", "9 § 10 LSS", "medverkar_inte", "2021-02-23", "2024-01-01", "", ""},
    {697, "kvinna", "bostad_vuxna", "9 § 9 LSS", "sarskilda_onskemal", "2022-11-28", "", "", ""},
    {698, "man", "sarskilt_boende", "4 kap. 1 § SoL", "saknar_plats", "2023-11-22", "", "2024-04-24", ""},
    {699, "kvinna", "sarskilt_boende", "4 kap. 1 § SoL", "tackat_nej", "2023-10-20", "", "", ""},
    // L700: "Verkställt 2024-03-22" after an interruption: executed again, i.e. resumed. The row
    // prints no reason; an interruption needs one, so it is entered as "ej_angiven" (not stated).
    {700, "barn", "oppenvard", "4 kap. 1 § SoL", "ej_angiven", "2022-11-07", "2023-10-13", "2024-03-22", ""},
};

inline const InsatsCatalogue& Catalogue() {
  static const InsatsCatalogue c = InsatsCatalogue::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/insatser.json").value();
  return c;
}

inline std::string DaysFrom(const char* date, int days) {
  return CivilDate::FromDays(CivilDate::Parse(date, "d").value().DaysSinceEpoch() + days).ToString();
}

// The row as the events a case officer would have recorded, each through the
// decider; the case's state after them in *state when asked.
inline std::vector<Payload> KalixEvents(const KalixRow& r, CaseState* state = nullptr) {
  const DecideContext context{CivilDate{2024, 5, 22}, &Catalogue()};  // the committee meeting
  CaseState s;
  std::vector<Payload> events;
  auto step = [&](Payload p) {
    auto e = Decide(s, p, context);
    INFO("L" << r.line << " " << TypeOf(p) << ": " << e.status().ToString());
    REQUIRE(e.ok());
    events.push_back(*e);
    s = Evolve(std::move(s), *e);
  };
  const bool child = std::string(r.sex) == "barn";
  pb::ApplicationReceived app;
  // Synthetic numbers with valid check digits: born 1912 (adult) or 2012 (child).
  app.mutable_subject()->set_personal_identity_number(child ? "20121212-1212" : "19121212-1212");
  // The source gives no sex for children; the report counts them as barn either way.
  app.mutable_subject()->set_sex(std::string(r.sex) == "kvinna" ? pb::SEX_KVINNA : pb::SEX_MAN);
  app.set_received_date(DaysFrom(r.decided, -30));
  app.set_unit("kalix-socialforvaltningen");
  step(app);
  pb::InvestigationOpened inv;
  inv.set_opened_date(DaysFrom(r.decided, -20));
  inv.set_case_officer("handlaggare");
  step(inv);
  pb::DecisionMade d;
  d.set_outcome(pb::OUTCOME_BIFALL);
  d.set_insats(r.insats);
  d.set_lagrum(r.lagrum);
  d.set_reasons("Behovet kan inte tillgodoses på annat sätt.");
  d.set_decision_maker("handlaggare");
  d.set_delegation_point("3.1");
  d.set_decision_date(r.decided);
  step(d);
  const bool interrupted = *r.interrupted != '\0';
  if (interrupted) {
    pb::Executed ex;  // executed soon after the decision, before the interruption
    ex.set_start_date(DaysFrom(r.decided, 14));
    step(ex);
    pb::Interrupted in;
    in.set_interrupted_date(r.interrupted);
    in.set_reason(r.reason);
    step(in);
    if (*r.executed) {
      pb::Resumed re;
      re.set_resumed_date(r.executed);
      step(re);
    }
  } else {
    if (*r.reason) {
      pb::DelayReasonNoted why;
      why.set_noted_date(DaysFrom(r.decided, 7));
      why.set_reason_code(r.reason);
      step(why);
    }
    if (*r.executed) {
      pb::Executed ex;
      ex.set_start_date(r.executed);
      step(ex);
    }
    if (*r.closed) {
      pb::ClosedUnexecuted cl;
      cl.set_closed_date(r.closed);
      cl.set_reason(pb::END_REASON_OWN_REQUEST);
      step(cl);
    }
  }
  if (state) *state = std::move(s);
  return events;
}

inline std::string KalixCaseId(const KalixRow& r) { return "beslut-kalix-L" + std::to_string(r.line); }

}  // namespace sparbar::decisions::testing
