#include "compare.h"

#include "report_format.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "access_batches.h"
#include "append_load.h"
#include "decision_cases.h"
#include "projection_rebuild.h"
#include "services/decisions/case_facts_projection.h"
#include "compare_access.h"
#include "metrics_scrape.h"
#include "pg_load.h"
#include "pg_server.h"

namespace sparbar::bench {
namespace {

std::string Millis(double us) { return us >= 10000 ? Fixed(us / 1000, 0) : Fixed(us / 1000, us >= 1000 ? 1 : 2); }

std::string Percentiles(Latencies& l) {
  if (l.count() == 0) return "–";
  return Millis(l.PercentileMicros(50)) + " / " + Millis(l.PercentileMicros(99)) + " / " +
         Millis(l.PercentileMicros(99.9));
}

std::string Percentiles(Row& r) {
  return Millis(r.p50_us) + " / " + Millis(r.p99_us) + " / " + Millis(r.p999_us);
}

// One row of the table. `advantage` is how many times better Spårbar is than
// the comparison (a rate divided by a rate, or a latency or size divided
// into one); `goal` is the target for it, or, for a row judged on its own
// figure, for `own`.
struct Line {
  std::string scenario;
  std::string spar, spar_latency;
  std::string other, other_latency;
  double advantage = 0;
  std::string target;
  bool met = false;
};

std::string Table(const std::vector<Line>& lines) {
  std::ostringstream out;
  out << "| scenario | Spårbar | p50 / p99 / p99.9 ms | PostgreSQL 15 (or the named reference) | p50 / p99 / p99.9 ms "
         "| Spårbar's advantage | target | met |\n"
      << "|---|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& l : lines) {
    out << "| " << l.scenario << " | " << l.spar << " | " << l.spar_latency << " | " << l.other << " | "
        << l.other_latency << " | " << (l.advantage < 0 ? std::string("–") : Fixed(l.advantage, 2) + "×") << " | "
        << l.target << " | "
        << (l.met ? "yes" : "**no**") << " |\n";
  }
  return out.str();
}

// `openssl speed sha256` at one block size, in bytes per second, one thread.
double OpensslSha256(int block_bytes) {
  const std::string cmd = "openssl speed -mr -seconds 3 -bytes " + std::to_string(block_bytes) + " sha256 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run openssl speed");
  char line[512];
  double bytes_per_s = 0;
  while (fgets(line, sizeof line, p)) {
    // "+F:<n>:sha256:<bytes per second>"
    if (std::string(line).rfind("+F:", 0) == 0) {
      const char* last = std::strrchr(line, ':');
      if (last) bytes_per_s = std::strtod(last + 1, nullptr);
    }
  }
  pclose(p);
  if (bytes_per_s <= 0) throw std::runtime_error("openssl speed printed no sha256 figure");
  return bytes_per_s;
}

std::string Today() {
  const time_t now = time(nullptr);
  tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &local);
  return buf;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

// Replaces what lies between the markers in `path`, or appends a section.
void WriteBetweenMarkers(const std::string& path, const std::string& text) {
  const std::string begin = "<!-- compare:begin -->", end = "<!-- compare:end -->";
  std::string doc;
  {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream all;
    all << in.rdbuf();
    doc = all.str();
  }
  const size_t b = doc.find(begin), e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) {
    doc += "\n## Spårbar and PostgreSQL side by side (`tools/bench compare`)\n\n" + begin + "\n" + text + end + "\n";
  } else {
    doc = doc.substr(0, b + begin.size()) + "\n" + text + doc.substr(e);
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << doc;
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

// Both get the same memory to cache data in: PostgreSQL's shared_buffers
// (pg_server.cc) and Spårbar's block cache.
constexpr int kCacheMb = 4096;

int RunCompare(const CompareOptions& o) {
  const std::string run = o.dir + "/compare-" + std::to_string(getpid());
  std::filesystem::create_directories(run);
  std::vector<Line> lines;
  std::vector<std::string> notes;
  auto progress = [](const Row& r) {
    std::cerr << "  " << r.scenario << ", " << r.clients << " clients, " << r.events_per_op
              << " events/op: " << Fixed(r.events_per_second, 0) << " events/s, p99 " << Fixed(r.p99_us, 0) << " µs\n";
  };

  std::cerr << "PostgreSQL 15 in " << run << "/pg\n";
  std::optional<PostgresServer> server(std::in_place, run + "/pg");
  const PostgresServer& pg = *server;
  CreatePgSchema(pg.conninfo());

  // 1. Durable appends, 256-byte events, 10,000 streams.
  {
    MeteredServer spar(o.server_binary, run + "/sparbar-appends", {"--cache-mb", std::to_string(kCacheMb)});
    struct Case {
      int clients;
      int per_append;
      StreamDistribution distribution;
      double goal;  // 0: no target for this row
    };
    std::vector<Case> cases;
    for (int c : o.clients) cases.push_back({c, 1, StreamDistribution::kUniform, c == o.clients.back() ? 3.0 : 0});
    cases.push_back({o.clients.back(), 1, StreamDistribution::kZipf, 3.0});
    for (int c : {1, 16}) cases.push_back({c, 100, StreamDistribution::kUniform, 2.0});
    uint32_t seed = 1;
    for (const Case& k : cases) {
      AppendLoadOptions load{spar.server.address(), k.clients, k.per_append, 256, 10000, o.seconds, seed, o.channels,
                             k.distribution};
      const auto before = spar.Scrape();
      Row s = MeasureAppends(load);
      const auto after = spar.Scrape();
      progress(s);
      load.address = pg.conninfo();
      Row p = MeasurePgAppends(load);
      progress(p);
      ++seed;
      const double syncs =
          after.at("sparbar_log_synced_writes_total") - before.at("sparbar_log_synced_writes_total");
      const double written =
          after.at("sparbar_log_events_written_total") - before.at("sparbar_log_events_written_total");
      const std::string what = std::to_string(k.per_append) + (k.per_append == 1 ? " event" : " events") +
                               " per append, " + NameOf(k.distribution) + " streams, " + std::to_string(k.clients) +
                               (k.clients == 1 ? " client" : " clients");
      notes.push_back("Durable appends, " + what + ": Spårbar wrote " + Grouped(written) + " events in " +
                      Grouped(syncs) + " synced writes (" + Fixed(syncs > 0 ? written / syncs : 0, 1) +
                      " events per group commit); errors: Spårbar " + std::to_string(s.errors) + ", PostgreSQL " +
                      std::to_string(p.errors) + ".");
      auto line = [&](const std::string& scenario, Row& spar_row) {
        Line l;
        l.scenario = scenario;
        l.spar = Grouped(spar_row.events_per_second) + " events/s";
        l.spar_latency = Percentiles(spar_row);
        l.other = Grouped(p.events_per_second) + " events/s";
        l.other_latency = Percentiles(p);
        l.advantage = p.events_per_second > 0 ? spar_row.events_per_second / p.events_per_second : 0;
        l.target = k.goal > 0 ? "≥ " + Fixed(k.goal, 0) + "×" : "–";
        l.met = k.goal == 0 || l.advantage >= k.goal;
        lines.push_back(l);
      };
      line("durable appends, " + what + " (Spårbar: unary Append)", s);
      // The same clients, each still waiting for its own durable answer,
      // over a few long-lived AppendStream calls shared by them, as a
      // client library pooling connections would send them.
      if (k.per_append == 1 && k.clients > o.channels) {
        load.address = spar.server.address();
        Row streamed = MeasureStreamAppends(load, o.channels);
        progress(streamed);
        line("durable appends, " + what + " (Spårbar: " + std::to_string(o.channels) +
                 " AppendStream calls shared by the clients)",
             streamed);
      }
    }
  }

  // 2. A projection rebuilt from position 0: the decisions case-facts
  // projection over a log of decisions cases, in-process.
  {
    std::cerr << "Spårbar decisions log: " << Grouped(o.decision_cases) << " cases\n";
    StoreOptions so;
    so.data_dir = run + "/decisions";
    so.checkpoint_every_events = 100000;
    auto store = EventStore::Open(so);
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    const decisions::DecideContext context{CivilDate{2025, 12, 31}, &BenchCatalogue()};
    std::mt19937_64 case_rng(42);
    AppendDecisionCases(**store, o.decision_cases, [&] {
      return CaseEvents(case_rng, context, case_rng() % 2 ? "19121212-1212" : "811228-9874", "bench-unit");
    });
    const uint64_t size = (*store)->Size();
    const double seconds = TimeRebuild(
        **store, std::make_unique<decisions::CaseFactsProjection>(store->get(), &BenchCatalogue()), run + "/facts");
    (*store)->Close();
    std::filesystem::remove_all(run + "/decisions");
    std::filesystem::remove_all(run + "/facts");
    Line l;
    l.scenario = "rebuild of a projection from position 0: the decisions case-facts projection over " +
                 Grouped(static_cast<double>(size)) + " events of " + Grouped(o.decision_cases) + " cases, in-process";
    l.spar = Grouped(static_cast<double>(size) / seconds) + " events/s";
    l.spar_latency = "–";
    l.other = "– (nothing to rebuild: PostgreSQL keeps no projections)";
    l.other_latency = "–";
    l.advantage = -1;
    l.target = "≥ 500,000 events/s";
    l.met = static_cast<double>(size) / seconds >= 500000;
    lines.push_back(l);
  }

  // 3. The access log: the same events, users and people on both sides.
  constexpr int kClients = 4, kBatch = 1000, kBatchesPerCall = 4, kTemplates = 20;
  std::mt19937_64 rng(5);
  std::vector<std::string> people(static_cast<size_t>(o.people)), users(static_cast<size_t>(o.users));
  for (auto& p : people) p = Personnummer(rng);
  for (size_t i = 0; i < users.size(); ++i) users[i] = BenchUserHsaId(i);
  std::vector<std::vector<v1::access::IngestBatch>> work(kClients);
  for (int c = 0; c < kClients; ++c) work[static_cast<size_t>(c)] = Batches(c, kTemplates, kBatch, people, users, rng);
  std::vector<std::string> query_users, query_people;
  for (int i = 0; i < o.queries; ++i) {
    query_users.push_back(users[rng() % users.size()]);
    query_people.push_back(people[rng() % people.size()]);
  }
  const int64_t from = kQuarterStart, to = kQuarterEnd;

  std::cerr << "Spårbar access log: " << Grouped(static_cast<double>(o.access_events)) << " events\n";
  SparbarAccessResult s = MeasureSparbarAccess({run, o.server_binary, o.access_events, kBatch, from, to, kCacheMb},
                                               work, query_users, query_people);
  if (o.keep) {
    const std::string kept = o.dir + "/compare-kept-sparbar-access";
    std::filesystem::remove_all(kept);
    std::filesystem::rename(run + "/sparbar-access", kept);
    std::cerr << "  kept Spårbar's access data directory in " << kept << "\n";
  }

  std::cerr << "PostgreSQL access log: " << Grouped(static_cast<double>(o.access_events)) << " events\n";
  Row pg_ingest = MeasurePgAccessIngest(pg.conninfo(), work, kBatchesPerCall, o.access_events);
  const double vacuum = PgVacuumAnalyze(pg.conninfo());
  uint64_t pg_rows = 0, pg_bytes = 0;
  PgAccessSize(pg.conninfo(), &pg_rows, &pg_bytes);
  uint64_t user_rows = 0, person_rows = 0, ignored = 0;
  std::cerr << "  PostgreSQL: the same queries, bare and with the reads recorded\n";
  Latencies pg_user = MeasurePgAccessQueries(pg.conninfo(), PgAccessQuery::kByUser, query_users, from, to, false,
                                             &user_rows);
  Latencies pg_person = MeasurePgAccessQueries(pg.conninfo(), PgAccessQuery::kByPerson, query_people, from, to, false,
                                               &person_rows);
  Latencies pg_user_logged = MeasurePgAccessQueries(pg.conninfo(), PgAccessQuery::kByUser, query_users, from, to,
                                                    true, &ignored);
  Latencies pg_person_logged = MeasurePgAccessQueries(pg.conninfo(), PgAccessQuery::kByPerson, query_people, from,
                                                      to, true, &ignored);
  uint64_t pg_caught_up = 0;
  std::cerr << "  PostgreSQL: catch-up by keyset pages, then REINDEX\n";
  const double pg_catch_up_first = MeasurePgCatchUp(pg.conninfo(), &pg_caught_up);
  const double pg_catch_up_second = MeasurePgCatchUp(pg.conninfo(), &pg_caught_up);
  const double pg_catch_up = std::max(pg_catch_up_first, pg_catch_up_second);
  uint64_t reindexed = 0, ignored_bytes = 0;
  PgAccessSize(pg.conninfo(), &reindexed, &ignored_bytes);
  const double reindex = PgReindexAccess(pg.conninfo());

  {
    Line l;
    l.scenario = "access-event ingest, " + std::to_string(kClients) + " clients, " +
                 std::to_string(kBatch * kBatchesPerCall) + " events per durable call, to " +
                 Grouped(static_cast<double>(s.recorded)) + " events";
    l.spar = Grouped(s.ingest.events_per_second) + " events/s";
    l.spar_latency = Percentiles(s.ingest);
    l.other = Grouped(pg_ingest.events_per_second) + " events/s (COPY)";
    l.other_latency = Percentiles(pg_ingest);
    l.advantage = s.ingest.events_per_second / pg_ingest.events_per_second;
    l.target = "≥ 2×";
    l.met = l.advantage >= 2;
    lines.push_back(l);
  }
  auto query_line = [&](const std::string& scenario, Latencies& spar, Latencies& other, const std::string& other_name,
                        bool judged) {
    Line l;
    l.scenario = scenario;
    l.spar = "p99 " + Millis(spar.PercentileMicros(99)) + " ms";
    l.spar_latency = Percentiles(spar);
    l.other = other_name + " p99 " + Millis(other.PercentileMicros(99)) + " ms";
    l.other_latency = Percentiles(other);
    l.advantage = other.PercentileMicros(99) / spar.PercentileMicros(99);
    l.target = judged ? "p99 ≤ PostgreSQL's" : "– (same work)";
    l.met = !judged || l.advantage >= 1;
    lines.push_back(l);
  };
  const std::string user_scenario = "a user's accesses over a quarter (" + Grouped(static_cast<double>(o.users)) +
                                    " users), every row, " + std::to_string(o.queries) + " users";
  const std::string person_scenario = "one person's log extract over the quarter (" +
                                      Grouped(static_cast<double>(o.people)) + " people), " +
                                      std::to_string(o.queries) + " people";
  query_line(user_scenario, s.user_quarter, pg_user, "(user, time) index:", true);
  query_line(user_scenario + "; PostgreSQL also records each person's read, as Spårbar does", s.user_quarter,
             pg_user_logged, "(user, time) index + durable insert:", false);
  query_line(person_scenario, s.person_extract, pg_person, "(person, time) index:", true);
  query_line(person_scenario + "; PostgreSQL also records the read, as Spårbar does", s.person_extract,
             pg_person_logged, "(person, time) index + durable insert:", false);
  // Each client sent the same share of the same events to both sides
  // (IngestAccessEvents), so the two must hold and return the same rows: a
  // check of Spårbar's indexes against PostgreSQL's, not only a timing.
  const bool same_answers = s.recorded == pg_rows && s.user_rows == user_rows && s.person_rows == person_rows;
  notes.push_back(std::string(same_answers ? "Same answers on both sides" : "**The answers differ**") +
                  ": access events recorded, Spårbar " + Grouped(static_cast<double>(s.recorded)) +
                  ", PostgreSQL " + Grouped(static_cast<double>(pg_rows)) + "; rows returned, Spårbar " +
                  Grouped(static_cast<double>(s.user_rows)) + " for the users and " +
                  Grouped(static_cast<double>(s.person_rows)) + " for the people, PostgreSQL " +
                  Grouped(static_cast<double>(user_rows)) + " and " + Grouped(static_cast<double>(person_rows)) +
                  ". PostgreSQL's VACUUM ANALYZE after its load took " + Fixed(vacuum, 1) + " s.");
  {
    const double rate = static_cast<double>(s.log_events) / s.rebuild_seconds;
    Line l;
    l.scenario = "rebuild of a projection from position 0: the access index over " +
                 Grouped(static_cast<double>(s.log_events)) + " events, server start included";
    l.spar = Grouped(rate) + " events/s";
    l.spar_latency = "–";
    l.other = "REINDEX of its two indexes: " + Grouped(static_cast<double>(reindexed) / reindex) + " rows/s";
    l.other_latency = "–";
    l.advantage = rate / (static_cast<double>(reindexed) / reindex);
    l.target = "≥ 500,000 events/s";
    l.met = rate >= 500000;
    lines.push_back(l);
  }
  {
    const double spar = static_cast<double>(s.bytes) / static_cast<double>(s.log_events);
    const double other = static_cast<double>(pg_bytes) / static_cast<double>(pg_rows);
    Line l;
    l.scenario = "bytes on disk per access event, indexes included";
    l.spar = Fixed(spar, 0) + " bytes (data directory)";
    l.spar_latency = "–";
    l.other = Fixed(other, 0) + " bytes (table, TOAST and indexes)";
    l.other_latency = "–";
    l.advantage = other / spar;
    l.target = "≤ 0.5× PostgreSQL (≥ 2×)";
    l.met = l.advantage >= 2;
    lines.push_back(l);
  }
  // Measured once: the verify row and the note on its floor use the same figure.
  const double verify_mean_bytes =
      static_cast<double>(s.verify_bytes) / static_cast<double>(std::max<uint64_t>(1, s.verify_events));
  const int block = static_cast<int>(std::lround(verify_mean_bytes));
  const double openssl = OpensslSha256(block);
  {
    const double spar = static_cast<double>(s.verify_bytes) / s.verify_seconds;
    Line l;
    l.scenario = "`sparbar verify` over " + Grouped(static_cast<double>(s.verify_events)) + " events of " +
                 std::to_string(block) + " stored bytes on average";
    l.spar = Fixed(spar / 1e6, 1) + " MB/s (" + Grouped(static_cast<double>(s.verify_events) / s.verify_seconds) +
             " events/s)";
    l.spar_latency = "–";
    l.other = "`openssl speed sha256 -bytes " + std::to_string(block) + "`: " + Fixed(openssl / 1e6, 1) + " MB/s";
    l.other_latency = "–";
    l.advantage = spar / openssl;
    l.target = "≥ 0.5× openssl";
    l.met = l.advantage >= 0.5;
    lines.push_back(l);
  }
  {
    Line l;
    l.scenario = "catch-up subscription from position 0 over " + Grouped(static_cast<double>(s.catch_up_events)) +
                 " events, the better of two warm runs (" + Grouped(s.catch_up_warm_events_per_s.at(0)) + " and " +
                 Grouped(s.catch_up_warm_events_per_s.at(1)) + " events/s; the first, cold: " +
                 Grouped(s.catch_up_cold_events_per_s) + ")";
    l.spar = Grouped(s.catch_up_events_per_s) + " events/s";
    l.spar_latency = "–";
    l.other = "keyset pages of 1,000 over " + Grouped(static_cast<double>(pg_caught_up)) + " rows, the better of " +
              Grouped(pg_catch_up_first) + " and " + Grouped(pg_catch_up_second) + ": " + Grouped(pg_catch_up) +
              " rows/s";
    l.other_latency = "–";
    l.advantage = s.catch_up_events_per_s / pg_catch_up;
    l.target = "≥ 1,000,000 events/s";
    l.met = s.catch_up_events_per_s >= 1e6;
    lines.push_back(l);
  }
  {
    const VerifyFloor& f = s.verify_floor;
    const double openssl_events = openssl / verify_mean_bytes;  // openssl's rate in events of this size
    notes.push_back("What verify cannot skip, timed alone on one thread each (verify_floor.h), in CPU µs per event: "
                    "reading the events " + Fixed(f.events_us, 3) + ", the tree's entries " + Fixed(f.tree_us, 3) +
                    ", the two indexes " + Fixed(f.indexes_us, 3) + ", SHA-256 of a leaf and an inner node " +
                    Fixed(f.hashing_us, 3) + "; " + Fixed(f.TotalUs(), 3) + " in all, so two cores verify at most " +
                    Grouped(f.TwoCoreEventsPerSecond()) + " events/s, " +
                    Fixed(f.TwoCoreEventsPerSecond() / openssl_events, 2) +
                    "× openssl's rate, against 0.5× asked. Verify ran at " +
                    Fixed(static_cast<double>(s.verify_events) / s.verify_seconds / f.TwoCoreEventsPerSecond(), 2) +
                    " of that.");
  }
  {
    std::string parts;
    int small = 0;  // parts under half a byte per event
    for (const auto& [what, bytes] : s.bytes_by_part) {
      const double per_event = static_cast<double>(bytes) / static_cast<double>(s.log_events);
      if (per_event < 0.5) {
        ++small;
        continue;
      }
      parts += (parts.empty() ? "" : ", ") + what + " " + Fixed(per_event, 0);
    }
    if (small > 0) parts += "; " + std::to_string(small) + " more under half a byte each";
    notes.push_back("Spårbar's bytes on disk per access event, by what holds them: " + parts + ".");
  }
  notes.push_back("Access intake: Spårbar wrote " + Fixed(s.events_per_synced_write, 0) +
                  " events per synced write (from its metrics); its access index caught up " +
                  Fixed(s.index_catch_up_s, 1) + " s after the intake ended, and the compactions of the log and the " +
                  "read models were done " + Fixed(s.compaction_settle_s, 1) +
                  " s later; the queries and the catch-up ran after that.");

  std::ostringstream out;
  out << "Run of " << Today() << ", " << sysconf(_SC_NPROCESSORS_ONLN) << " cores (" << CpuModel()
      << "); both data directories under `" << o.dir << "`. " << o.seconds << " s per append row, "
      << o.channels << " gRPC connections shared by Spårbar's clients, one connection per PostgreSQL client. "
      << "PostgreSQL 15 settings: " << PostgresServer::Settings() << ". Spårbar's servers: `--cache-mb " << kCacheMb
      << "`, the same memory for cached data as PostgreSQL's shared_buffers.\n\n"
      << Table(lines) << "\n";
  for (const auto& n : notes) out << "- " << n << "\n";
  std::cout << out.str();
  if (!o.doc.empty()) {
    WriteBetweenMarkers(o.doc, out.str());
    std::cerr << "written to " << o.doc << "\n";
  }
  server.reset();  // stopped before its directory goes
  std::filesystem::remove_all(run);
  if (!same_answers) {
    std::cerr << "compare: Spårbar and PostgreSQL were given the same access events but answered differently "
                 "(see the notes)\n";
    return 1;
  }
  return 0;
}

}  // namespace sparbar::bench
