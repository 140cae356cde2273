// sparbar-server: serves the Spårbar event store over gRPC.
//
// Blocks SIGTERM and SIGINT in every thread before starting, waits for one of
// them in main, then shuts down gracefully (see services/server.h). Exit code
// 0 after a clean shutdown; 1 with a one-line error when startup fails.

#include <CLI/CLI.hpp>
#include <absl/synchronization/mutex.h>
#include <signal.h>

#include <filesystem>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>

#include "services/server.h"

int main(int argc, char** argv) {
  // Debian's Abseil checks every mutex acquisition for lock-order cycles; gRPC
  // takes many per call. The check costs a few percent of the server's CPU and
  // guards nothing of ours, so it is off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  sparbar::services::ServerOptions options;
  CLI::App app{"Spårbar server: a tamper-evident event store over gRPC"};
  app.add_option("--listen", options.listen, "Address to listen on, host:port (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--data", options.store.data_dir, "Data directory (created if missing)")->required();
  app.add_flag("--dev", options.dev_plaintext,
               "Development mode: plaintext, allowed only on a loopback address; callers name "
               "themselves in x-sparbar-actor metadata (roles in x-sparbar-roles, units in x-sparbar-units-bin)");
  app.add_option("--tls-cert", options.tls_cert, "Mutual TLS: PEM file of the server's certificate chain");
  app.add_option("--tls-key", options.tls_key, "Mutual TLS: PEM file of the server's private key");
  app.add_option("--tls-client-ca", options.tls_client_ca,
                 "Mutual TLS: PEM file of the CA that signs client certificates (one is required)");
  app.add_option("--identities", options.identities,
                 "Mutual TLS: JSON file of who may call (the HSA-id or common name of their certificate), "
                 "with roles and units (config/identiteter.example.json)");
  app.add_option("--policy", options.policy,
                 "JSON file of which roles may call which method and who reaches a person's records "
                 "(config/atkomstpolicy.json); required with mutual TLS, optional with --dev");
  app.add_option("--vault", options.vault_dir,
                 "Directory of the key vault, the people's data keys (default <data>/vault); "
                 "back it up apart from the data directory (docs/gallring.md)");
  app.add_option("--master-keys", options.master_keys,
                 "File of the master keys that wrap the data keys, \"<id>:<64 hex digits>\" per line, the current "
                 "first (else SPARBAR_MASTER_KEYS; required with mutual TLS; --dev makes one in <data>/keys)");
  app.add_option("--metrics-listen", options.metrics_listen,
                 "Serve Prometheus metrics at http://HOST:PORT/metrics, on a loopback address (port 0: any free one)");
  app.add_option("--metrics-port-file", options.metrics_port_file,
                 "Write the metrics port actually bound to this file once they are served");
  app.add_option("--port-file", options.port_file,
                 "Write the port actually bound to this file once the server is ready");
  app.add_option("--origin", options.store.origin, "The log's name in signed checkpoints")
      ->capture_default_str();
  app.add_option("--signing-key", options.store.signing_key_path,
                 "PEM file of the Ed25519 checkpoint signing key (default: <data>/log-signing-key.pem, "
                 "created on first start)");
  size_t cache_mb = options.store.cache_bytes >> 20;
  app.add_option("--cache-mb", cache_mb,
                 "Block cache of the log, in MiB: what reads of events by position (listings, extracts) hit "
                 "before the disk")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1} << 20));
  app.add_option("--checkpoint-every", options.store.checkpoint_every_events,
                 "Sign a checkpoint at least every N events")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--checkpoint-interval-ms", options.store.checkpoint_interval_ms,
                 "Sign a checkpoint at least this often while the log grows")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-payload-bytes", options.store.limits.max_payload_bytes,
                 "Largest event payload accepted")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-message-bytes", options.max_message_bytes,
                 "Largest gRPC message received or sent")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  // The configuration shipped in the source tree: ./config, else beside build/.
  auto shipped = [](std::string& path, const char* name) {
    if (std::filesystem::exists(path)) return;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto beside = exe.parent_path().parent_path() / "config" / name;
    if (!ec && std::filesystem::exists(beside)) path = beside.string();
  };
  shipped(options.insats_catalogue, "insatser.json");
  shipped(options.deviation_taxonomy, "avvikelse-taxonomi.json");
  shipped(options.deadline_rules, "frister.json");
  shipped(options.complaint_rules, "klagomal.json");
  shipped(options.incident_rules, "personuppgiftsincidenter.json");
  shipped(options.access_right_rules, "behorigheter.json");
  shipped(options.committee_rules, "namnd.json");
  shipped(options.retention_rules, "gallring.json");
  app.add_option("--insats-catalogue", options.insats_catalogue,
                 "JSON file of the insatser and lagrum decisions may name, versioned by date")
      ->capture_default_str();
  app.add_option("--deviation-taxonomy", options.deviation_taxonomy,
                 "JSON file of the areas and action types deviations (avvikelser) may name, versioned by date")
      ->capture_default_str();
  app.add_option("--access-clock-skew", options.access_clock_skew_seconds,
                 "Seconds an access event may be stamped in the future (the source system's clock running ahead)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  app.add_option("--access-max-batch", options.access_max_batch_events, "Access events in one AccessLog.Ingest batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--deadline-rules", options.deadline_rules,
                 "JSON file of the deadlines (frister) of the deviation, lex Sarah, lex Maria and follow-up steps")
      ->capture_default_str();
  app.add_option("--complaint-rules", options.complaint_rules,
                 "JSON file of the complaints' (synpunkter och klagomål) answer deadlines, reminders, areas and "
                 "action types")
      ->capture_default_str();
  app.add_option("--incident-rules", options.incident_rules,
                 "JSON file of the personal data incidents' deadlines in hours, kinds and categories")
      ->capture_default_str();
  app.add_option("--access-right-rules", options.access_right_rules,
                 "JSON file of the access rights' (behörigheter) deadlines and mandatory trainings")
      ->capture_default_str();
  app.add_option("--committee-rules", options.committee_rules,
                 "JSON file of the days to attest a committee protocol and to post its notice (anslag), to report\n"
                 "a delegation decision to the committee, and to answer a request for a statement (yttrande)")
      ->capture_default_str();
  app.add_option("--retention-rules", options.retention_rules,
                 "JSON file of the retention rules of people's files (gallring): years after the last entry, "
                 "research exemptions")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.store.cache_bytes = cache_mb << 20;

  auto logger = spdlog::stderr_color_mt("sparbar-server");
  spdlog::set_default_logger(logger);

  // Every thread started from here on inherits the mask, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (int err = pthread_sigmask(SIG_BLOCK, &signals, nullptr); err != 0) {
    std::fprintf(stderr, "sparbar-server: cannot block signals: %s\n", std::strerror(err));
    return 1;
  }

  auto server = sparbar::services::Server::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "sparbar-server: %s\n", server.status().ToString().c_str());
    return 1;
  }

  int signal_number = 0;
  if (int err = sigwait(&signals, &signal_number); err != 0) {
    spdlog::error("sigwait failed: {}", std::strerror(err));
  } else {
    spdlog::info("received {}", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  server.value()->Shutdown();
  server.value().reset();
  spdlog::info("stopped cleanly");
  return 0;
}
