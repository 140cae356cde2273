// sparbar-bench: benchmarks that are not pass/fail tests.
//
//   sparbar-bench append   durable appends over gRPC (1/16/64 clients, 1 and
//                          100 events per append, 256-byte events, 10,000
//                          uniform streams), beside RocksDB's own ceiling for
//                          the same bytes measured in the same run.
// Prints a Markdown table; --markdown FILE also writes it there.

#include <CLI/CLI.hpp>
#include <absl/synchronization/mutex.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <unistd.h>

#include "append_load.h"

#include "report_format.h"
#include "compare.h"
#include "compare_access.h"
#include "cpu_usage.h"
#include "access_batches.h"
#include "access_ceiling.h"
#include "access_ingest.h"
#include "access_load.h"
#include "decisions_load.h"
#include "deviations_load.h"
#include "reads_load.h"
#include "sealing_load.h"
#include "vault_load.h"
#include "rocksdb_ceiling.h"
#include "server_launcher.h"
#include "store_load.h"
#include "verify_floor.h"
#include "compression_choices.h"

using namespace sparbar::bench;

namespace {

std::string Table(const std::vector<Row>& rows) {
  auto cpu = [](double us) { return us < 0 ? std::string("–") : Fixed(us, 1); };
  std::ostringstream out;
  out << "| scenario | clients | events/op | events/s | ops/s | p50 µs | p99 µs | p99.9 µs | errors "
         "| server CPU µs/op | bench CPU µs/op |\n"
      << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : rows) {
    out << "| " << r.scenario << " | " << r.clients << " | " << r.events_per_op << " | "
        << Fixed(r.events_per_second, 0) << " | " << Fixed(r.ops_per_second, 0) << " | "
        << Fixed(r.p50_us, 0) << " | " << Fixed(r.p99_us, 0) << " | " << Fixed(r.p999_us, 0)
        << " | " << r.errors << " | " << cpu(r.server_cpu_us) << " | " << cpu(r.bench_cpu_us) << " |\n";
  }
  return out.str();
}

// Runs one measurement and adds the CPU it cost, per operation, to its row:
// this process's, and the server's when there is one (with the server's split
// by thread name into *server_threads, in µs per operation, when asked).
template <typename Measure>
Row Measured(const ServerLauncher* server, Measure&& measure,
             std::map<std::string, double>* server_threads = nullptr) {
  const CpuSample self0 = SampleCpu(getpid());
  const CpuSample server0 = server ? SampleCpu(server->pid()) : CpuSample{};
  Row row = measure();
  if (row.ops == 0) return row;
  auto per_op = [&](double cpu_seconds) { return cpu_seconds / static_cast<double>(row.ops) * 1e6; };
  row.bench_cpu_us = per_op(CpuSince(self0, SampleCpu(getpid())).total_seconds);
  if (server) {
    const CpuSample used = CpuSince(server0, SampleCpu(server->pid()));
    row.server_cpu_us = per_op(used.total_seconds);
    if (server_threads) {
      for (const auto& [name, seconds] : used.by_thread) (*server_threads)[name] = per_op(seconds);
    }
  }
  return row;
}

std::string DefaultServerBinary() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "sparbar-server";
  self[n] = 0;
  return (std::filesystem::path(self).parent_path() / "sparbar-server").string();
}

int RunAppend(double seconds, const std::vector<int>& clients, int channels, const std::string& work_dir,
              const std::string& server_binary, const std::string& markdown, bool ceiling,
              bool streams_only) {
  std::filesystem::create_directories(work_dir);
  const std::string run_dir = work_dir + "/run-" + std::to_string(getpid());
  std::filesystem::create_directories(run_dir);
  std::vector<Row> rows;
  auto progress = [](const Row& r) {
    std::cerr << "  " << r.scenario << ", " << r.clients << " clients, " << r.events_per_op
              << " events/op: " << Fixed(r.events_per_second, 0) << " events/s, p99 "
              << Fixed(r.p99_us, 0) << " µs\n";
  };

  Row single, batched;
  if (ceiling) {
    std::cerr << "RocksDB ceiling (" << seconds << " s each)\n";
    single = Measured(nullptr, [&] { return MeasureRocksDbCeiling({run_dir + "/rocksdb-single", 16, 1, 256, seconds}); });
    progress(single);
    rows.push_back(single);
    batched = Measured(nullptr, [&] { return MeasureRocksDbCeiling({run_dir + "/rocksdb-batch", 1, 100, 256, seconds}); });
    progress(batched);
    rows.push_back(batched);
  }

  std::cerr << "Spårbar over gRPC (" << seconds << " s each)\n";
  std::map<std::pair<int, int>, Row> spar;
  std::map<int, Row> streamed;  // clients -> row, 1 event per append over AppendStream
  Row rpc_ceiling;
  std::map<std::string, double> append_threads;  // server CPU µs per append by thread, most clients, 1 event
  std::map<std::string, double> stream_threads;  // the same over AppendStream
  std::map<int, Row> shared;  // clients -> row, 1 event per append, one stream per connection
  std::map<std::string, double> shared_threads;
  for (int per_append : {1, 100}) {
    if (streams_only && per_append != 1) break;
    // A fresh server and data directory per series, so each starts from an empty log.
    const std::string data = run_dir + "/sparbar-" + std::to_string(per_append);
    {
      ServerLauncher server(server_binary, data);
      for (int c : clients) {
        if (streams_only) break;
        Row r = Measured(
            &server, [&] { return MeasureAppends({server.address(), c, per_append, 256, 10000, seconds, 1, channels}); },
            c == clients.back() && per_append == 1 ? &append_threads : nullptr);
        progress(r);
        spar[{c, per_append}] = r;
        rows.push_back(r);
      }
      if (per_append == 1) {
        if (!streams_only) {
          rpc_ceiling = Measured(&server, [&] {
            return MeasureRpcCeiling({server.address(), clients.back(), 0, 0, 0, seconds, 1, channels});
          });
          progress(rpc_ceiling);
          rows.push_back(rpc_ceiling);
        }
        for (int c : clients) {
          Row r = Measured(
              &server,
              [&] { return MeasureStreamAppends({server.address(), c, 1, 256, 10000, seconds, 2, channels}, c); },
              c == clients.back() ? &stream_threads : nullptr);
          progress(r);
          streamed[c] = r;
          rows.push_back(r);
        }
        // The same clients on one stream per connection: what a client
        // library sharing a stream among its callers gets.
        for (int c : clients) {
          if (c <= channels) continue;
          Row r = Measured(
              &server,
              [&] {
                return MeasureStreamAppends({server.address(), c, 1, 256, 10000, seconds, 3, channels}, channels);
              },
              c == clients.back() ? &shared_threads : nullptr);
          progress(r);
          shared[c] = r;
          rows.push_back(r);
        }
      }
    }
    // The server's own count of appends and synced writes shows the group commit at work.
    std::ifstream log(data + ".log");
    for (std::string line; std::getline(log, line);) {
      if (line.find("synced writes") != std::string::npos) std::cerr << "  server: " << line << "\n";
    }
  }

  // The same 1-event load straight into the library, to separate the group
  // commit from the RPC layer's cost on the same two cores.
  Row in_process;
  if (!streams_only) {
    in_process = Measured(nullptr, [&] {
      return MeasureStoreAppends({run_dir + "/store-in-process", clients.back(), 1, 256, 10000, seconds});
    });
    progress(in_process);
    rows.push_back(in_process);
    // And one thread's appends of 100 events, beside RocksDB's synced batches
    // of 100: what the store adds per event, without gRPC.
    Row in_process_100 = Measured(nullptr, [&] {
      return MeasureStoreAppends({run_dir + "/store-in-process-100", 1, 100, 256, 10000, seconds});
    });
    progress(in_process_100);
    rows.push_back(in_process_100);
  }

  std::ostringstream out;
  out << Table(rows) << "\n";
  auto ratio = [&](const std::string& what, double a, double b) {
    out << "- " << what << ": " << Fixed(b > 0 ? a / b : 0, 2) << "×\n";
  };
  const int most = clients.back(), least = clients.front();
  if (ceiling && spar.count({most, 1})) {
    ratio(std::to_string(most) + " clients vs RocksDB synced single writes (16 threads), 1 event/append",
          spar[{most, 1}].events_per_second, single.events_per_second);
    ratio(std::to_string(most) + " threads in-process (no gRPC) vs RocksDB synced single writes (16 threads)",
          in_process.events_per_second, single.events_per_second);
  }
  if (spar.count({most, 1})) {
    ratio(std::to_string(most) + " clients' appends vs the bare gRPC ceiling (same clients, no storage work)",
          spar[{most, 1}].ops_per_second, rpc_ceiling.ops_per_second);
    if (ceiling) {
      ratio("bare gRPC ceiling vs RocksDB synced single writes (16 threads)",
            rpc_ceiling.ops_per_second, single.events_per_second);
    }
  }
  // What two cores can carry when all of the work shares them: an upper bound
  // on the rate, whatever the disk does.
  auto cpu_line = [&](const std::string& what, const Row& r, const std::map<std::string, double>& threads) {
    out << "- CPU per append at " << what << ": server " << Fixed(r.server_cpu_us, 1) << " µs (";
    const char* sep = "";
    for (const auto& [name, us] : threads) {
      if (us < 0.5) continue;
      out << sep << name << " " << Fixed(us, 1);
      sep = ", ";
    }
    out << "), bench clients " << Fixed(r.bench_cpu_us, 1) << " µs; two cores carry at most "
        << Fixed(2e6 / (r.server_cpu_us + r.bench_cpu_us), 0) << " appends/s at that cost\n";
  };
  if (!append_threads.empty()) {
    cpu_line(std::to_string(most) + " clients, 1 event", spar[{most, 1}], append_threads);
    out << "- CPU per bare gRPC call: server " << Fixed(rpc_ceiling.server_cpu_us, 1) << " µs, bench clients "
        << Fixed(rpc_ceiling.bench_cpu_us, 1) << " µs; two cores carry at most "
        << Fixed(2e6 / (rpc_ceiling.server_cpu_us + rpc_ceiling.bench_cpu_us), 0) << " calls/s\n";
  }
  if (spar.count({most, 1}) && spar.count({least, 1})) {
    ratio(std::to_string(most) + " clients vs " + std::to_string(least) + " client, 1 event/append",
          spar[{most, 1}].events_per_second, spar[{least, 1}].events_per_second);
  }
  if (ceiling && spar.count({most, 100})) {
    ratio(std::to_string(most) + " clients, 100 events/append vs RocksDB synced batches of 100",
          spar[{most, 100}].events_per_second, batched.events_per_second);
  }
  if (streamed.count(most)) {
    const Row& s = streamed[most];
    if (ceiling) {
      ratio(std::to_string(most) + " clients on AppendStream vs RocksDB synced single writes (16 threads), 1 event/append",
            s.events_per_second, single.events_per_second);
    }
    if (streamed.count(least)) {
      ratio(std::to_string(most) + " clients vs " + std::to_string(least) + " client, both on AppendStream",
            s.events_per_second, streamed[least].events_per_second);
    }
    if (spar.count({least, 1})) {
      ratio(std::to_string(most) + " clients on AppendStream vs " + std::to_string(least) + " client unary",
            s.events_per_second, spar[{least, 1}].events_per_second);
    }
    cpu_line(std::to_string(most) + " clients on AppendStream", s, stream_threads);
  }
  if (shared.count(most)) {
    const Row& s = shared[most];
    const std::string what = std::to_string(most) + " clients sharing " + std::to_string(channels) + " streams";
    if (ceiling) {
      ratio(what + " vs RocksDB synced single writes (16 threads), 1 event/append", s.events_per_second,
            single.events_per_second);
    }
    if (streamed.count(least)) {
      ratio(what + " vs " + std::to_string(least) + " client on AppendStream", s.events_per_second,
            streamed[least].events_per_second);
    }
    if (spar.count({least, 1})) {
      ratio(what + " vs " + std::to_string(least) + " client unary", s.events_per_second,
            spar[{least, 1}].events_per_second);
    }
    cpu_line(what, s, shared_threads);
  }
  std::cout << out.str();
  if (!markdown.empty()) {
    std::ofstream f(markdown);
    f << out.str();
  }
  std::filesystem::remove_all(run_dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // As in sparbar-server: Debian's Abseil checks every mutex acquisition for
  // lock-order cycles, which would make the load generator steal CPU from the
  // server it shares the machine with.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"Spårbar benchmarks (not tests: they measure, they do not pass or fail)"};
  app.require_subcommand(1);
  auto* append = app.add_subcommand("append", "durable appends over gRPC beside RocksDB's own ceiling");
  double seconds = 5;
  std::vector<int> clients = {1, 16, 64};
  std::string work_dir = "build/bench-data";
  std::string server_binary = DefaultServerBinary();
  std::string markdown;
  bool no_ceiling = false;
  bool streams_only = false;
  int channels = 8;
  append->add_flag("--no-ceiling", no_ceiling, "skip the RocksDB ceiling measurements");
  append->add_flag("--streams-only", streams_only,
                   "only the AppendStream rows, one event per append (for profiling them)");
  append->add_option("--seconds", seconds, "duration of each scenario")->capture_default_str();
  append->add_option("--clients", clients, "client counts, smallest first")->capture_default_str();
  append->add_option("--channels", channels, "TCP connections the clients share (one per application server)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  append->add_option("--dir", work_dir, "where data directories go (same disk as production)")
      ->capture_default_str();
  append->add_option("--server", server_binary, "the sparbar-server binary")->capture_default_str();
  append->add_option("--markdown", markdown, "also write the table to this file");
  auto* decisions = app.add_subcommand("decisions", "the ej verkställda report and its projection's rebuild");
  DecisionsLoadOptions decisions_options;
  decisions->add_option("--report-cases", decisions_options.report_cases, "decisions in the in-memory report")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  decisions->add_option("--store-cases", decisions_options.store_cases, "cases appended to the store for the rebuild")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  decisions->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  decisions->add_option("--markdown", markdown, "also write the table to this file");
  auto* deviations = app.add_subcommand("deviations", "the deviations reports, folded from the log per call");
  DeviationsLoadOptions deviations_options;
  deviations->add_option("--deviations", deviations_options.deviations, "deviations in the log")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  deviations->add_option("--other-events", deviations_options.other_events, "other streams' events among them")
      ->capture_default_str()
      ->check(CLI::Range(0, 100'000'000));
  deviations->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  deviations->add_option("--markdown", markdown, "also write the table to this file");
  auto* access = app.add_subcommand("access", "the access log's intake over AccessLog.Ingest");
  AccessLoadOptions access_options;
  access->add_option("--clients", access_options.clients, "clients, each a source system")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  access->add_option("--batch", access_options.batch_events, "events per batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  access->add_option("--seconds", access_options.seconds, "how long to send")->capture_default_str();
  access->add_option("--users", access_options.users, "distinct users the events spread over")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  access->add_option("--people", access_options.people, "distinct people whose data is accessed")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  access->add_option("--review-sample", access_options.review_sample, "users in each loggkontroll sample")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  access->add_option("--decision-cases", access_options.decision_cases,
                     "decisions cases recorded before the intake (a review reads them all)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));
  access->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  access->add_option("--server", server_binary, "the sparbar-server binary")->capture_default_str();
  access->add_option("--markdown", markdown, "also write the table to this file");
  auto* access_ceiling =
      app.add_subcommand("access-ceiling", "RocksDB alone writing what the access log's intake writes");
  AccessCeilingOptions ceiling_options;
  access_ceiling->add_option("--seconds", ceiling_options.seconds, "how long to write")->capture_default_str();
  access_ceiling->add_option("--users", ceiling_options.users, "distinct users")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  access_ceiling->add_option("--people", ceiling_options.people, "distinct people")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  access_ceiling->add_flag("!--log-only", ceiling_options.with_index, "the log's writes alone, no index");
  access_ceiling->add_flag("--minimal", ceiling_options.minimal,
                           "the minimal layout: only what PostgreSQL's access table keeps (access_ceiling.h)");
  access_ceiling->add_option("--sst-events", ceiling_options.sst_events,
                             "minimal layout: ingest the index as sorted table files of this many events' keys")
      ->capture_default_str();
  access_ceiling->add_option("--writers", ceiling_options.writers,
                             "minimal layout: threads writing the log, each its own synced batches")
      ->capture_default_str();
  access_ceiling->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  access_ceiling->add_option("--markdown", markdown, "also write the table to this file");
  auto* reads = app.add_subcommand("reads", "what recording every read costs: a person's case read, a refusal, "
                                            "a ReadAll page, beside a call that records nothing");
  ReadsLoadOptions reads_options;
  reads->add_option("--cases", reads_options.cases, "decisions cases at the unit")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  reads->add_option("--seconds", reads_options.seconds, "how long each scenario runs")->capture_default_str();
  reads->add_option("--policy", reads_options.policy, "the access policy file (default: the shipped one)");
  reads->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  reads->add_option("--server", server_binary, "the sparbar-server binary")->capture_default_str();
  reads->add_option("--markdown", markdown, "also write the table to this file");
  auto* vault = app.add_subcommand("vault", "per-person encryption: making a key, sealing and opening a field, "
                                            "destroying a key");
  VaultLoadOptions vault_options;
  vault->add_option("--people", vault_options.people, "distinct people")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  vault->add_option("--fields", vault_options.fields, "fields sealed and opened")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  vault->add_option("--field-bytes", vault_options.field_bytes, "clear text per field")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  vault->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  vault->add_option("--markdown", markdown, "also write the table to this file");
  auto* sealing = app.add_subcommand("sealing", "what per-person encryption adds to appends: the same appends "
                                                "into the store with and without sealing");
  SealingLoadOptions sealing_options;
  sealing->add_option("--people", sealing_options.people, "distinct people")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  sealing->add_option("--seconds", sealing_options.seconds, "per load, per round")->capture_default_str();
  sealing->add_option("--rounds", sealing_options.rounds, "rounds, plain and sealed alternating")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  sealing->add_option("--dir", work_dir, "where data directories go")->capture_default_str();
  sealing->add_option("--markdown", markdown, "also write the table to this file");
  auto* compare = app.add_subcommand(
      "compare", "every scenario of issue 8 against Spårbar and against a PostgreSQL 15 started for the run");
  CompareOptions compare_options;
  compare->add_option("--seconds", compare_options.seconds, "duration of each append scenario")->capture_default_str();
  compare->add_option("--clients", compare_options.clients, "append client counts, smallest first")
      ->capture_default_str();
  compare->add_option("--access-events", compare_options.access_events, "access events loaded into each side")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{10000}, uint64_t{100'000'000}));
  compare->add_option("--users", compare_options.users, "distinct users the access events spread over")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  compare->add_option("--people", compare_options.people, "distinct people")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  compare->add_option("--decision-cases", compare_options.decision_cases,
                      "decisions cases in the log the case-facts projection is rebuilt from")
      ->capture_default_str()
      ->check(CLI::Range(1000, 10'000'000));
  compare->add_option("--queries", compare_options.queries, "users' quarters and people's extracts timed, each")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  compare->add_option("--doc", compare_options.doc,
                      "Markdown file to write the table into, between <!-- compare:begin/end --> (empty: none)");
  compare->add_flag("--keep", compare_options.keep, "keep Spårbar's access data directory (for profiling)");
  compare->add_option("--dir", work_dir, "where data directories go (same disk as production)")
      ->capture_default_str();
  compare->add_option("--server", server_binary, "the sparbar-server binary")->capture_default_str();
  auto* catch_up = app.add_subcommand("catch-up", "a subscription from position 0 against a running server, "
                                                 "read until caught up");
  std::string catch_up_address;
  catch_up->add_option("--server-address", catch_up_address, "host:port of a running sparbar-server")->required();
  auto* user_quarters = app.add_subcommand(
      "user-quarters", "users' quarters listed against a running server holding `compare --keep`'s access log "
                       "(users SE2321000230-U0, U1, ...), every page, as compare times them");
  std::string quarters_address;
  int quarters_users = 50;
  user_quarters->add_option("--server-address", quarters_address, "host:port of a running sparbar-server")
      ->required();
  user_quarters->add_option("--users", quarters_users, "users listed, U0 upwards")->capture_default_str();
  auto* verify_floor = app.add_subcommand(
      "verify-floor", "what sparbar verify cannot skip, timed alone: the families it reads and the hashing");
  std::string floor_data;
  verify_floor->add_option("--data", floor_data, "data directory of a stopped server")->required();
  auto* compression = app.add_subcommand(
      "compression", "the log's events written again with each compression and block size, RocksDB alone: bytes, "
                     "scan and point-read cost (the events family's choice, docs/eventstore.md)");
  std::string compression_data;
  size_t compression_events = 300'000;
  compression->add_option("--data", compression_data, "data directory of a stopped server")->required();
  compression->add_option("--events", compression_events, "events taken from the start of the log")
      ->capture_default_str();
  compression->add_option("--dir", work_dir, "where the table files are written (and removed)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    if (*catch_up) {
      const CatchUpResult r = CatchUpFromZero(catch_up_address, true);
      std::printf("%llu events in %.2f s: %.0f events/s, %.1f MB/s\n", static_cast<unsigned long long>(r.events),
                  r.seconds, static_cast<double>(r.events) / r.seconds, static_cast<double>(r.bytes) / r.seconds / 1e6);
      return 0;
    }
    if (*user_quarters) {
      auto stub = sparbar::v1::access::AccessLog::NewStub(
          grpc::CreateChannel(quarters_address, grpc::InsecureChannelCredentials()));
      std::vector<std::string> users;
      for (int u = 0; u < quarters_users; ++u) users.push_back(BenchUserHsaId(static_cast<size_t>(u)));
      uint64_t rows = 0;
      Latencies lat = TimeUserQuarters(*stub, users, kQuarterStart, kQuarterEnd, &rows);
      std::printf("%d users, %llu rows: p50 %.1f ms, p99 %.1f ms\n", quarters_users,
                  static_cast<unsigned long long>(rows), lat.PercentileMicros(50) / 1e3, lat.PercentileMicros(99) / 1e3);
      return 0;
    }
    if (*verify_floor) {
      const VerifyFloor f = MeasureVerifyFloor(floor_data);
      std::printf("%llu events; CPU us per event: events %.3f, tree %.3f, indexes %.3f, hashing %.3f; "
                  "total %.3f: at most %.0f events/s on two cores\n",
                  static_cast<unsigned long long>(f.events), f.events_us, f.tree_us, f.indexes_us, f.hashing_us,
                  f.TotalUs(), f.TwoCoreEventsPerSecond());
      return 0;
    }
    if (*compression) {
      const auto choices = MeasureCompressionChoices(compression_data, work_dir, compression_events);
      std::printf("| events family | bytes per event | write, µs per event | scan, µs per event | point read, µs |\n"
                  "|---|---:|---:|---:|---:|\n");
      for (const auto& c : choices) {
        std::printf("| %s | %.1f | %.2f | %.3f | %.2f |\n", c.name.c_str(), c.bytes_per_event, c.write_us, c.scan_us,
                    c.point_read_us);
      }
      return 0;
    }
    if (*compare) {
      compare_options.dir = work_dir;
      compare_options.server_binary = server_binary;
      return RunCompare(compare_options);
    }
    if (*append) return RunAppend(seconds, clients, channels, work_dir, server_binary, markdown, !no_ceiling,
                                       streams_only);
    if (*decisions) {
      const std::string dir = work_dir + "/decisions-" + std::to_string(getpid());
      std::filesystem::create_directories(dir);
      std::cerr << "Decisions (" << decisions_options.report_cases << " decisions in memory, "
                << decisions_options.store_cases << " cases in the store)\n";
      decisions_options.dir = dir;
      const std::string table = MeasureDecisions(decisions_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(dir);
      return 0;
    }
    if (*access) {
      const std::string dir = work_dir + "/access-" + std::to_string(getpid());
      std::filesystem::create_directories(dir);
      std::cerr << "Access log intake (" << access_options.clients << " clients, " << access_options.batch_events
                << " events per batch, " << access_options.seconds << " s)\n";
      access_options.dir = dir;
      access_options.server_binary = server_binary;
      const std::string table = MeasureAccessIngest(access_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(dir);
      return 0;
    }
    if (*access_ceiling) {
      ceiling_options.dir = work_dir + "/access-ceiling-" + std::to_string(getpid());
      std::cerr << "RocksDB alone, the access log's writes (" << ceiling_options.seconds << " s)\n";
      const std::string table = MeasureAccessCeiling(ceiling_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(ceiling_options.dir);
      return 0;
    }
    if (*sealing) {
      sealing_options.dir = work_dir + "/sealing-" + std::to_string(getpid());
      std::cerr << "Appends with and without sealing (" << sealing_options.people << " people, "
                << sealing_options.rounds << " rounds of " << sealing_options.seconds << " s per load)\n";
      const std::string table = MeasureSealing(sealing_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(sealing_options.dir);
      return 0;
    }
    if (*vault) {
      vault_options.dir = work_dir + "/vault-" + std::to_string(getpid());
      std::cerr << "Key vault (" << vault_options.people << " people, " << vault_options.fields << " fields of "
                << vault_options.field_bytes << " bytes)\n";
      const std::string table = MeasureVault(vault_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(vault_options.dir);
      return 0;
    }
    if (*reads) {
      reads_options.dir = work_dir + "/reads-" + std::to_string(getpid());
      std::filesystem::create_directories(reads_options.dir);
      reads_options.server_binary = server_binary;
      if (reads_options.policy.empty()) {
        reads_options.policy =
            (std::filesystem::path(server_binary).parent_path().parent_path() / "config" / "atkomstpolicy.json").string();
      }
      std::cerr << "Reads and their records (" << reads_options.cases << " cases, " << reads_options.seconds
                << " s per scenario)\n";
      const std::string table = Table(MeasureReads(reads_options));
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(reads_options.dir);
      return 0;
    }
    if (*deviations) {
      const std::string dir = work_dir + "/deviations-" + std::to_string(getpid());
      std::filesystem::create_directories(dir);
      std::cerr << "Deviations (" << deviations_options.deviations << " deviations among "
                << deviations_options.other_events << " other events)\n";
      deviations_options.dir = dir;
      const std::string table = MeasureDeviations(deviations_options);
      std::cout << table;
      if (!markdown.empty()) std::ofstream(markdown) << table;
      std::filesystem::remove_all(dir);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "sparbar-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
