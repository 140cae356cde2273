#include "decision_cases.h"

#include <stdexcept>

namespace sparbar::bench {

using namespace sparbar::decisions;

namespace {

const char* kCatalogue = R"({"versions": [{"version": "bench", "valid_from": "2000-01-01", "insatser": [
  {"code": "sarskilt_boende", "name": "Särskilt boende", "law": "SoL", "lagrum": ["4 kap. 1 § SoL"]},
  {"code": "daglig_verksamhet", "name": "Daglig verksamhet", "law": "LSS", "lagrum": ["9 § 10 LSS"]}]}]})";

}  // namespace

const InsatsCatalogue& BenchCatalogue() {
  static const InsatsCatalogue catalogue = InsatsCatalogue::FromJson(kCatalogue).value();
  return catalogue;
}

std::vector<Payload> CaseEvents(std::mt19937_64& rng, const DecideContext& context, const std::string& personnummer,
                                const std::string& unit) {
  const int64_t decided = CivilDate{2022, 1, 1}.DaysSinceEpoch() + static_cast<int64_t>(rng() % 900);
  auto day = [](int64_t d) { return CivilDate::FromDays(d).ToString(); };
  const bool lss = rng() % 5 == 0;
  pb::ApplicationReceived app;
  app.mutable_subject()->set_personal_identity_number(personnummer);
  app.mutable_subject()->set_sex(rng() % 2 ? pb::SEX_KVINNA : pb::SEX_MAN);
  app.set_received_date(day(decided - 30));
  app.set_unit(unit);
  pb::InvestigationOpened inv;
  inv.set_opened_date(day(decided - 20));
  inv.set_case_officer("bench");
  pb::DecisionMade dec;
  dec.set_outcome(pb::OUTCOME_BIFALL);
  dec.set_insats(lss ? "daglig_verksamhet" : "sarskilt_boende");
  dec.set_lagrum(lss ? "9 § 10 LSS" : "4 kap. 1 § SoL");
  dec.set_reasons("bench");
  dec.set_decision_maker("bench");
  dec.set_delegation_point("1");
  dec.set_decision_date(day(decided));
  pb::DelayReasonNoted why;
  why.set_noted_date(day(decided + 5));
  why.set_reason_code("saknar_plats");
  std::vector<Payload> proposals = {app, inv, dec, why};
  if (rng() % 3 != 0) {
    pb::Executed ex;
    ex.set_start_date(day(decided + 10 + static_cast<int64_t>(rng() % 200)));
    proposals.push_back(ex);
  }
  CaseState s;
  std::vector<Payload> events;
  for (const auto& p : proposals) {
    auto e = Decide(s, p, context);
    if (!e.ok()) throw std::runtime_error("bench case refused: " + e.status().ToString());
    events.push_back(*e);
    s = Evolve(std::move(s), *e);
  }
  return events;
}

}  // namespace sparbar::bench
