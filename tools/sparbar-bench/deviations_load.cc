#include "deviations_load.h"

#include "report_format.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "async_appender.h"
#include "eventstore/store.h"
#include "services/deviations/decider.h"
#include "services/deviations/deadlines.h"
#include "services/deviations/module_view.h"
#include "services/deviations/report_build.h"
#include "services/deviations/report_render.h"

namespace sparbar::bench {
namespace {

using namespace sparbar::deviations;
using Clock = std::chrono::steady_clock;

const char* kTaxonomy = R"({"versions": [{"version": "bench", "valid_from": "2000-01-01",
  "hsl_areas": [{"code": "fall", "name": "Fall"}, {"code": "lakemedel", "name": "Läkemedel"}],
  "social_areas": [{"code": "hot_och_vald", "name": "Hot och våld"}, {"code": "bemotande", "name": "Bemötande"}],
  "action_types": [{"code": "gruppsamtal", "name": "Gruppsamtal"}]}]})";

template <class P>
ProposedEvent Proposed(const P& payload) {
  ProposedEvent e;
  e.id = Uuid::Random();
  e.type = TypeOf(payload);
  e.content_type = std::string(kContentType);
  e.payload = Serialize(payload);
  return e;
}

// One deviation's events in 2021-2025, decided step by step: one in ten
// closed as not a deviation, seven in ten investigated to closed, the rest
// open at some phase.
std::vector<ProposedEvent> DeviationEvents(std::mt19937_64& rng, const DecideContext& context) {
  const int64_t reported = CivilDate{2021, 1, 1}.DaysSinceEpoch() + static_cast<int64_t>(rng() % 1730);
  auto day = [](int64_t d) { return CivilDate::FromDays(d).ToString(); };
  pb::DeviationReported r;
  const bool hsl = rng() % 4 != 0;
  r.set_domain(hsl ? pb::DOMAIN_HSL : pb::DOMAIN_SOL);
  r.set_unit("enhet-" + std::to_string(rng() % 40));
  r.set_occurred_date(day(reported));
  r.set_reported_date(day(reported));
  if (hsl) {
    r.set_hsl_area(rng() % 2 ? "fall" : "lakemedel");
    r.set_severity(1 + static_cast<uint32_t>(rng() % 4));
  } else {
    r.add_areas("hot_och_vald");
    if (rng() % 5 == 0) r.add_areas("bemotande");
  }
  r.set_direction(pb::DIRECTION_INTERNAL);
  r.set_description("bench");
  std::vector<Payload> steps = {r};
  const int fate = static_cast<int>(rng() % 10);
  if (fate == 0) {
    pb::ClosedAsNotDeviation n;
    n.set_closed_date(day(reported + 3));
    n.set_reason("bench");
    steps.push_back(n);
  } else if (fate <= 8) {
    pb::RootCausesDocumented c;
    c.set_documented_date(day(reported + 10));
    c.add_root_causes("bench");
    pb::ActionTaken a;
    a.set_action_date(day(reported + 15));
    a.set_action_type("gruppsamtal");
    a.set_content("bench");
    pb::FollowedUp f;
    f.set_followed_up_date(day(reported + 60));
    f.set_effect("bench");
    pb::DeviationClosed x;
    x.set_closed_date(day(reported + 61));
    steps.insert(steps.end(), {c, a, f, x});
    if (fate == 8) steps.resize(3);  // open, awaiting its follow-up
  }
  DeviationState s;
  std::vector<ProposedEvent> events;
  for (const auto& p : steps) {
    auto e = Decide(s, p, context);
    if (!e.ok()) throw std::runtime_error("bench deviation refused: " + e.status().ToString());
    events.push_back(Proposed(*e));
    s = Evolve(std::move(s), *e);
  }
  return events;
}

}  // namespace

std::string MeasureDeviations(const DeviationsLoadOptions& o) {
  auto taxonomy = DeviationTaxonomy::FromJson(kTaxonomy).value();
  auto rules = DeadlineRules::LoadFile("config/frister.json");
  if (!rules.ok()) throw std::runtime_error(rules.status().ToString() + " (run from the source tree)");
  const DecideContext context{CivilDate{2025, 12, 31}, &taxonomy};
  std::mt19937_64 rng(7);
  std::ostringstream out;
  out << "| measurement | log | time (best of 5) | time (worst of 5) |\n|---|---:|---:|---:|\n";

  StoreOptions so;
  so.data_dir = o.dir + "/store";
  so.checkpoint_every_events = 100000;
  auto store = EventStore::Open(so);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  {
    AsyncAppender appender(store->get());
    const auto t0 = Clock::now();
    const std::string filler(200, 'x');
    // Other modules' events, five to a stream, with the deviations spread among them.
    const int other_streams = o.other_events / 5;
    const int every = std::max(1, other_streams / std::max(1, o.deviations));
    int made = 0;
    for (int i = 0; i < other_streams || made < o.deviations; ++i) {
      if (i < other_streams) {
        std::vector<ProposedEvent> events(5);
        for (auto& e : events) {
          e.id = Uuid::Random();
          e.type = "bench.Other";
          e.content_type = "application/octet-stream";
          e.payload = filler;
        }
        appender.Append("beslut-" + std::to_string(i), std::move(events));
      }
      if (made < o.deviations && (i % every == 0 || i >= other_streams)) {
        appender.Append("avvikelse-" + std::to_string(made++), DeviationEvents(rng, context));
      }
    }
    if (Status failed = appender.Finish(); !failed.ok()) throw std::runtime_error(failed.ToString());
    std::cerr << "  appended " << (*store)->Size() << " events in " << SecondsSince(t0) << " s\n";
  }
  const uint64_t size = (*store)->Size();
  const std::string log = std::to_string(size) + " events, " + std::to_string(o.deviations) + " deviations";
  auto measure = [&](const std::string& what, const std::function<size_t(const DeviationsView&)>& work) {
    double best = 1e9, worst = 0;
    size_t result = 0;
    for (int run = 0; run < 5; ++run) {
      const auto t0 = Clock::now();
      auto view = FoldDeviationsView(**store, size);
      if (!view.ok()) throw std::runtime_error(view.status().ToString());
      result = work(*view);
      const double s = SecondsSince(t0);
      best = std::min(best, s);
      worst = std::max(worst, s);
    }
    char line[512];
    std::snprintf(line, sizeof line, "| %s (%zu) | %s | %.3f s | %.3f s |\n", what.c_str(), result, log.c_str(), best,
                  worst);
    out << line;
    std::cerr << "  " << line;
  };
  measure("the module's streams folded from the log (deviations folded)",
          [](const DeviationsView& v) { return v.deviations.size(); });
  measure("avvikelser 2025 as served: fold, statistics, HTML (bytes)", [&](const DeviationsView& v) {
    const auto report = BuildAvvikelserReport(v, taxonomy, CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
    return RenderAvvikelser(report, sparbar::v1::decisions::REPORT_FORMAT_HTML).value().size();
  });
  measure("overdue on 2025-12-31 as served: fold, deadlines (steps overdue)", [&](const DeviationsView& v) {
    return static_cast<size_t>(BuildOverdue(v, *rules, CivilDate{2025, 12, 31}, "", "", false).steps_size());
  });
  (*store)->Close();
  return out.str();
}

}  // namespace sparbar::bench
