#include "decisions_load.h"

#include "report_format.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "async_appender.h"
#include "projection_rebuild.h"
#include "decision_cases.h"
#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/decisions/case_facts_projection.h"
#include "services/decisions/ej_verkstallda.h"

namespace sparbar::bench {
namespace {

using namespace sparbar::decisions;
using Clock = std::chrono::steady_clock;

// Follows the log and folds nothing.
class WantsNothing final : public projections::Projection {
 public:
  std::string name() const override { return "bench-wants-nothing"; }
  uint32_t version() const override { return 1; }
  bool Wants(const EventRecord&) const override { return false; }
  Status Apply(const EventRecord&, projections::StateWriter&) override { return Status::Ok(); }
};

}  // namespace

std::string MeasureDecisions(const DecisionsLoadOptions& o) {
  const InsatsCatalogue& catalogue = BenchCatalogue();
  const DecideContext context{CivilDate{2025, 12, 31}, &catalogue};
  const auto q1 = QuarterOptions("2024Q1").value();
  std::mt19937_64 rng(42);
  // Two people, one unit: the report counts decisions, not whose they are.
  auto case_events = [&] {
    const std::string pnr = rng() % 2 ? "19121212-1212" : "811228-9874";
    return CaseEvents(rng, context, pnr, "bench-unit");
  };
  std::ostringstream out;
  out << "| measurement | size | time | rate |\n|---|---:|---:|---:|\n";
  auto row = [&](const std::string& what, const std::string& size, double seconds, const std::string& rate) {
    char line[512];
    std::snprintf(line, sizeof line, "| %s | %s | %.3f s | %s |\n", what.c_str(), size.c_str(), seconds, rate.c_str());
    out << line;
    std::cerr << "  " << line;
  };

  // 1. The report over many decisions' facts, in memory.
  {
    std::vector<pb::CaseFacts> facts;
    facts.reserve(o.report_cases);
    for (int i = 0; i < o.report_cases; ++i) {
      CaseState s = Fold(case_events());
      facts.push_back(FactsOf("beslut-" + std::to_string(i), s, catalogue));
    }
    double best = 1e9;
    size_t rows = 0;
    for (int run = 0; run < 3; ++run) {
      const auto t0 = Clock::now();
      rows = ComputeEjVerkstallda(facts, q1).rows.size();
      best = std::min(best, SecondsSince(t0));
    }
    row("ej verkställda 2024Q1 over protobuf facts in memory, converted each time (best of 3; " +
            std::to_string(rows) + " rows)",
        std::to_string(o.report_cases) + " decisions", best,
        std::to_string(static_cast<long>(o.report_cases / best)) + " decisions/s");

    const auto t_load = Clock::now();
    ReportFacts compact;
    for (const auto& f : facts) compact.Put(f);
    const double load = SecondsSince(t_load);
    row("loading those facts into a compact ReportFacts table", std::to_string(o.report_cases) + " decisions", load,
        std::to_string(static_cast<long>(o.report_cases / load)) + " decisions/s");
    best = 1e9;
    for (int run = 0; run < 3; ++run) {
      const auto t0 = Clock::now();
      rows = ComputeEjVerkstallda(compact, q1).rows.size();
      best = std::min(best, SecondsSince(t0));
    }
    row("ej verkställda 2024Q1 over the compact table (best of 3; " + std::to_string(rows) + " rows)",
        std::to_string(o.report_cases) + " decisions", best,
        std::to_string(static_cast<long>(o.report_cases / best)) + " decisions/s");
  }

  // 2. Rebuild of the case-facts projection from position 0, and the report from it.
  StoreOptions so;
  so.data_dir = o.dir + "/store";
  so.checkpoint_every_events = 100000;
  auto store = EventStore::Open(so);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  {
    const auto t_load = Clock::now();
    AppendDecisionCases(**store, o.store_cases, case_events);
    std::cerr << "  appended " << o.store_cases << " cases in " << SecondsSince(t_load) << " s\n";
  }
  const uint64_t size = (*store)->Size();
  {
    // The engine's own floor: the same log followed by a projection that
    // folds nothing (every event read, decoded and passed over; positions
    // committed per page).
    const double read = TimeRebuild(**store, std::make_unique<WantsNothing>(), o.dir + "/idle");
    row("the same log followed by a projection that folds nothing (the engine's floor)",
        std::to_string(size) + " events", read, std::to_string(static_cast<long>(size / read)) + " events/s");
  }
  auto facts_projection = std::make_unique<CaseFactsProjection>(store->get(), &catalogue);
  const CaseFactsProjection* latest = facts_projection.get();
  std::unique_ptr<projections::ProjectionRunner> runner;
  const double rebuild = TimeRebuild(**store, std::move(facts_projection), o.dir + "/projection", &runner);
  row("rebuild of the case-facts projection from position 0", std::to_string(size) + " events", rebuild,
      std::to_string(static_cast<long>(size / rebuild)) + " events/s");
  {
    char line[256];
    std::snprintf(line, sizeof line, "\nThe projection's in-memory table of %d cases holds %.1f MB on the heap "
                  "(by its containers' capacities, allocator overhead not counted).\n\n",
                  o.store_cases, static_cast<double>(latest->ApproximateTableBytes()) / 1e6);
    out << line;
    std::cerr << line;
  }

  double best = 1e9;
  size_t rows = 0;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = Clock::now();
    uint64_t at = 0;
    auto report = latest->ReportLatest(q1, size, Clock::now() + std::chrono::minutes(1), &at);
    if (!report.ok()) throw std::runtime_error(report.status().ToString());
    rows = report->rows.size();
    best = std::min(best, SecondsSince(t0));
  }
  row("ej verkställda 2024Q1 from the projection's in-memory table, as served (best of 3; " + std::to_string(rows) +
          " rows)",
      std::to_string(o.store_cases) + " decisions", best,
      std::to_string(static_cast<long>(o.store_cases / best)) + " decisions/s");

  const auto t1 = Clock::now();
  auto facts = CaseFactsAsOf(*runner, size);
  if (!facts.ok()) throw std::runtime_error(facts.status().ToString());
  const auto report = ComputeEjVerkstallda(*facts, q1);
  const double from_projection = SecondsSince(t1);
  row("ej verkställda 2024Q1 as for an earlier position, the facts folded from the log (" +
          std::to_string(report.rows.size()) + " rows)",
      std::to_string(o.store_cases) + " decisions", from_projection,
      std::to_string(static_cast<long>(o.store_cases / from_projection)) + " decisions/s");
  // A restart: the projection restores its in-memory table by folding the
  // log up to its stored position before it serves.
  runner.reset();
  {
    auto again = projections::ProjectionRunner::Open(store->get(), std::make_unique<CaseFactsProjection>(store->get(), &catalogue),
                                                     o.dir + "/projection");
    if (!again.ok()) throw std::runtime_error(again.status().ToString());
    const auto t2 = Clock::now();
    if (Status s = (*again)->Start(); !s.ok()) throw std::runtime_error(s.ToString());
    const double restore = SecondsSince(t2);
    row("restart: the in-memory table restored by folding the log",
        std::to_string(size) + " events", restore, std::to_string(static_cast<long>(size / restore)) + " events/s");
  }
  (*store)->Close();
  return out.str();
}

}  // namespace sparbar::bench
