#include "services/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "projections/runner.h"
#include "services/common/atomic_file.h"
#include "services/audit_service.h"
#include "services/backup_service.h"
#include "services/authz/authorizing_resolver.h"
#include "services/authz/call_registry.h"
#include "services/authz/method_catalogue.h"
#include "services/authz/person_access.h"
#include "services/authz/policy.h"
#include "services/authz/protected_identities.h"
#include "services/certificate_caller.h"
#include "services/identities.h"
#include "services/tls_files.h"
#include "services/transport_poller.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/decisions/case_facts_projection.h"
#include "services/decisions/decisions_service.h"
#include "services/decisions/reports_service.h"
#include "services/decisions/insats_catalogue.h"
#include "services/complaints/complaints_service.h"
#include "services/complaints/reports_service.h"
#include "services/complaints/rules.h"
#include "services/deviations/deviations_service.h"
#include "services/access_rights/access_rights_service.h"
#include "services/access_rights/reports_service.h"
#include "services/access_rights/rules.h"
#include "services/committee/committee_service.h"
#include "services/committee/reports_service.h"
#include "services/committee/rules.h"
#include "services/delegation/delegation_service.h"
#include "services/delegation/reports_service.h"
#include "services/statements/reports_service.h"
#include "services/statements/statements_service.h"
#include "services/gallring/gallring_service.h"
#include "services/gallring/rules.h"
#include "services/incidents/incidents_service.h"
#include "services/incidents/reports_service.h"
#include "services/incidents/rules.h"
#include "services/access/access_index.h"
#include "services/access/access_log_service.h"
#include "services/access/log_review_service.h"
#include "services/deviations/deadlines.h"
#include "services/deviations/reports_service.h"
#include "services/deviations/taxonomy.h"
#include "services/eventstore_service.h"
#include "services/metrics/call_metrics.h"
#include "services/metrics/http_exporter.h"
#include "services/metrics/registry.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"
#include "services/vault/personal_fields.h"
#include "services/vault/sealing_store.h"

namespace sparbar::services {
namespace {

constexpr std::chrono::milliseconds kShutdownGrace{5000};
// Room for everything in a response besides event payloads.
constexpr size_t kMessageOverhead = 64 << 10;

struct HostPort {
  std::string host;  // without brackets
  bool ipv6 = false;
  int port = 0;
};

Result<HostPort> ParseListen(std::string_view listen) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("listen address \"" + std::string(listen) + "\" " + why +
                                   "; expected host:port, e.g. 127.0.0.1:50051 or [::1]:0");
  };
  HostPort hp;
  std::string_view port;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string_view::npos) return bad("has no closing ]");
    hp.host = std::string(listen.substr(1, close - 1));
    hp.ipv6 = true;
    std::string_view rest = listen.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return bad("has no port");
    port = rest.substr(1);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("has no port");
    hp.host = std::string(listen.substr(0, colon));
    if (hp.host.find(':') != std::string::npos) return bad("has an IPv6 host without [ ]");
    port = listen.substr(colon + 1);
  }
  if (hp.host.empty()) return bad("has no host");
  if (port.empty() || port.size() > 5) return bad("has no valid port");
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), hp.port);
  if (ec != std::errc() || end != port.data() + port.size() || hp.port < 0 || hp.port > 65535) {
    return bad("has no valid port");
  }
  return hp;
}

bool IsLoopbackHost(const HostPort& hp) {
  if (hp.ipv6) return hp.host == "::1";
  if (hp.host == "localhost") return true;
  // Dotted-quad IPv4 in 127.0.0.0/8.
  int octets[4];
  std::string_view s = hp.host;
  for (int i = 0; i < 4; ++i) {
    size_t dot = i < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos || dot == 0 || dot > 3) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + dot, octets[i]);
    if (ec != std::errc() || end != s.data() + dot || octets[i] > 255) return false;
    s = i < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return octets[0] == 127;
}

std::string FormatAddress(const HostPort& hp, int port) {
  return (hp.ipv6 ? "[" + hp.host + "]" : hp.host) + ":" + std::to_string(port);
}

// The key vault's directory: --vault, else <data>/vault.
std::string VaultDir(const ServerOptions& o) {
  return o.vault_dir.empty() ? o.store.data_dir + "/vault" : o.vault_dir;
}

// The master keys: --master-keys, else SPARBAR_MASTER_KEYS, else (development
// only) a key of its own kept in the data directory.
Result<vault::MasterKeys> LoadMasterKeys(const ServerOptions& o, bool tls) {
  if (!o.master_keys.empty()) return vault::MasterKeys::LoadFile(o.master_keys);
  auto from_environment = vault::MasterKeys::FromEnvironment();
  if (from_environment.status().code() != Code::kNotFound) return from_environment;
  if (tls) {
    return Status::FailedPrecondition(
        "per-person encryption needs its master keys: give --master-keys FILE or set " +
        std::string(vault::kMasterKeysVariable) + " (\"<id>:<64 hex digits>\", see docs/gallring.md); keep them "
        "outside the data directory and its backups");
  }
  const std::string path = o.store.data_dir + "/keys/dev-master.keys";
  spdlog::warn("development mode: the master key that wraps the people's data keys is kept in {}; "
               "production keeps it apart (--master-keys or {})", path, vault::kMasterKeysVariable);
  return vault::MasterKeys::LoadOrCreateFile(path);
}

}  // namespace

// The log's and the projections' gauges, read at each scrape.
void Server::AddLogMetrics(Server& s) {
  metrics::Registry& r = *s.metrics_;
  r.Describe("sparbar_log_events", "gauge", "events in the log (the Merkle tree's size)");
  r.Describe("sparbar_log_appends_total", "counter", "appends acknowledged since start, duplicates included");
  r.Describe("sparbar_log_events_written_total", "counter", "events written since start");
  r.Describe("sparbar_log_synced_writes_total", "counter", "synced RocksDB write batches since start (group commits)");
  r.Describe("sparbar_log_events_per_synced_write", "gauge", "mean group-commit batch since start, in events");
  r.Describe("sparbar_log_group_commit_events", "histogram", "events per synced write of appended events");
  r.Describe("sparbar_log_running_compactions", "gauge", "RocksDB compactions of the log running now");
  r.Describe("sparbar_log_pending_compaction_bytes", "gauge",
             "bytes of the log RocksDB estimates are still to be compacted");
  r.Describe("sparbar_data_directory_bytes", "gauge", "bytes in the data directory, read models and vault included");
  r.Describe("sparbar_projection_lag_events", "gauge", "events in the log that a projection has not yet applied");
  r.Describe("sparbar_projection_running_compactions", "gauge", "RocksDB compactions of a projection's state running now");
  r.Describe("sparbar_projection_pending_compaction_bytes", "gauge",
             "bytes of a projection's state RocksDB estimates are still to be compacted");
  r.AddCollector([&s](const metrics::Registry::Sample& sample) {
    const uint64_t size = s.store_->Size();
    const StoreStats stats = s.store_->Stats();
    sample("sparbar_log_events", "", static_cast<double>(size));
    sample("sparbar_log_appends_total", "", static_cast<double>(stats.appends));
    sample("sparbar_log_events_written_total", "", static_cast<double>(stats.events_written));
    sample("sparbar_log_synced_writes_total", "", static_cast<double>(stats.synced_writes));
    sample("sparbar_log_events_per_synced_write", "",
           stats.synced_writes ? static_cast<double>(stats.events_written) / static_cast<double>(stats.synced_writes)
                               : 0.0);
    uint64_t cumulative = 0;
    for (size_t b = 0; b < StoreStats::kBatchSizeBuckets; ++b) {
      cumulative += stats.batch_sizes[b];
      const uint64_t bound = StoreStats::kBatchSizeBounds[b];
      sample("sparbar_log_group_commit_events_bucket",
             metrics::Labels({{"le", bound == UINT64_MAX ? "+Inf" : std::to_string(bound)}}),
             static_cast<double>(cumulative));
    }
    sample("sparbar_log_group_commit_events_count", "", static_cast<double>(cumulative));
    sample("sparbar_log_group_commit_events_sum", "", static_cast<double>(stats.events_written));
    sample("sparbar_log_running_compactions", "", static_cast<double>(stats.running_compactions));
    sample("sparbar_log_pending_compaction_bytes", "", static_cast<double>(stats.pending_compaction_bytes));
    uint64_t bytes = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(s.options_.store.data_dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) bytes += it->file_size(ec);
    }
    sample("sparbar_data_directory_bytes", "", static_cast<double>(bytes));
    for (const projections::ProjectionRunner* p :
         {s.case_facts_.get(), s.access_index_.get(), s.review_cases_.get(), s.protected_ids_.get()}) {
      if (p == nullptr) continue;
      const uint64_t at = p->position();
      const auto labels = metrics::Labels({{"projection", p->projection().name()}});
      sample("sparbar_projection_lag_events", labels, static_cast<double>(size > at ? size - at : 0));
      const projections::VersionedState::Compactions c = p->Compactions();
      sample("sparbar_projection_running_compactions", labels, static_cast<double>(c.running));
      sample("sparbar_projection_pending_compaction_bytes", labels, static_cast<double>(c.pending_bytes));
    }
  });
}

namespace {

// Every service behind the access policy: all but gRPC's health and
// reflection services.
const std::vector<std::string>& PolicedServices() {
  static const std::vector<std::string> services = {
      "sparbar.v1.EventStore",
      "sparbar.v1.Audit",
      "sparbar.v1.decisions.Decisions",
      "sparbar.v1.decisions.DecisionReports",
      "sparbar.v1.deviations.Deviations",
      "sparbar.v1.deviations.DeviationReports",
      "sparbar.v1.complaints.Complaints",
      "sparbar.v1.complaints.ComplaintReports",
      "sparbar.v1.incidents.Incidents",
      "sparbar.v1.incidents.IncidentReports",
      "sparbar.v1.accessrights.AccessRights",
      "sparbar.v1.accessrights.AccessRightReports",
      "sparbar.v1.committee.Committee",
      "sparbar.v1.committee.CommitteeReports",
      "sparbar.v1.delegation.Delegation",
      "sparbar.v1.delegation.DelegationReports",
      "sparbar.v1.statements.Statements",
      "sparbar.v1.statements.StatementReports",
      "sparbar.v1.access.AccessLog",
      "sparbar.v1.logreview.LogReview",
      "sparbar.v1.gallring.Gallring",
      "sparbar.v1.Backup",
  };
  return services;
}

struct Transport {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::optional<Identities> identities;  // with mutual TLS
};

// Plaintext credentials in development mode; with mutual TLS the server's
// key pair, the client CA (a client certificate is required and verified),
// and the identities.
Result<Transport> LoadTls(const ServerOptions& options) {
  if (options.tls_cert.empty()) return Transport{grpc::InsecureServerCredentials(), std::nullopt};
  if (options.identities.empty()) {
    return Status::InvalidArgument("mutual TLS needs --identities: the file of who may call, with roles and units");
  }
  if (options.policy.empty()) {
    return Status::InvalidArgument("mutual TLS needs --policy: the file of which roles may call which method "
                                   "(e.g. config/atkomstpolicy.json)");
  }
  auto files = LoadTlsFiles(options.tls_cert, options.tls_key, options.tls_client_ca);
  if (!files.ok()) return files.status();
  auto identities = Identities::LoadFile(options.identities, options.store.limits);
  if (!identities.ok()) return identities.status();
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = std::move(files->client_ca_pem);
  ssl.pem_key_cert_pairs.push_back({std::move(files->key_pem), std::move(files->cert_chain_pem)});
  return Transport{grpc::SslServerCredentials(ssl), std::move(identities.value())};
}

}  // namespace

Status CheckListenAddress(std::string_view listen, bool dev_plaintext, bool tls) {
  auto hp = ParseListen(listen);
  if (!hp.ok()) return hp.status();
  if (tls && dev_plaintext) {
    return Status::InvalidArgument("--dev (plaintext) and mutual TLS (--tls-cert, --tls-key, --tls-client-ca) "
                                   "exclude each other; choose one");
  }
  if (tls) return Status::Ok();
  if (!dev_plaintext) {
    return Status::FailedPrecondition(
        "no transport: give --tls-cert, --tls-key and --tls-client-ca (and --identities) for mutual TLS, "
        "or pass --dev for plaintext on a loopback address (127.0.0.1, localhost or [::1]) during development");
  }
  if (!IsLoopbackHost(hp.value())) {
    return Status::FailedPrecondition(
        "refusing to serve plaintext on \"" + std::string(listen) +
        "\", which is not a loopback address; --dev allows plaintext only on 127.0.0.0/8, "
        "localhost or [::1]; other addresses need mutual TLS (--tls-cert, --tls-key, --tls-client-ca)");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  const int tls_files = !options.tls_cert.empty() + !options.tls_key.empty() + !options.tls_client_ca.empty();
  if (tls_files != 0 && tls_files != 3) {
    return Status::InvalidArgument("mutual TLS needs all of --tls-cert, --tls-key and --tls-client-ca");
  }
  SPARBAR_RETURN_IF_ERROR(CheckListenAddress(options.listen, options.dev_plaintext, tls_files == 3));
  // The TLS material and the identities are read before the store is touched.
  auto tls = LoadTls(options);
  if (!tls.ok()) return tls.status();
  // So are the methods' logging rules and the access policy, which must
  // cover every method and declare every role the identities hold.
  auto methods = MethodCatalogue::Of(PolicedServices());
  if (!methods.ok()) return methods.status();
  std::unique_ptr<AccessPolicy> policy;
  if (!options.policy.empty()) {
    auto loaded = AccessPolicy::LoadFile(options.policy);
    if (!loaded.ok()) return loaded.status();
    if (Status s = loaded->Covers(methods->methods()); !s.ok()) return Status(s.code(), options.policy + ": " + s.message());
    if (tls->identities) {
      Status declared = Status::Ok();
      tls->identities->ForEach([&](const Identity& identity) {
        if (declared.ok()) declared = loaded->Declares(identity.roles, "the identity " + identity.id);
      });
      if (!declared.ok()) return Status(declared.code(), options.identities + ": " + declared.message());
    }
    policy = std::make_unique<AccessPolicy>(std::move(loaded.value()));
  }
  const HostPort hp = ParseListen(options.listen).value();
  if (options.max_message_bytes > static_cast<size_t>(INT_MAX)) {
    return Status::InvalidArgument("max message size " + std::to_string(options.max_message_bytes) +
                                   " bytes is larger than gRPC allows (" + std::to_string(INT_MAX) + ")");
  }
  if (options.max_message_bytes < options.store.limits.max_payload_bytes + kMessageOverhead) {
    return Status::InvalidArgument(
        "max message size " + std::to_string(options.max_message_bytes) +
        " bytes leaves no room for an event with the largest allowed payload (" +
        std::to_string(options.store.limits.max_payload_bytes) + " bytes); it must be at least " +
        std::to_string(options.store.limits.max_payload_bytes + kMessageOverhead));
  }
  if (!options.port_file.empty()) {
    ::unlink(options.port_file.c_str());  // a stale port must never be mistaken for ours
  }

  std::optional<HostPort> metrics_at;
  if (!options.metrics_listen.empty()) {
    auto mhp = ParseListen(options.metrics_listen);
    if (!mhp.ok()) return Status(mhp.status().code(), "--metrics-listen: " + mhp.status().message());
    if (!IsLoopbackHost(mhp.value())) {
      return Status::InvalidArgument("--metrics-listen " + options.metrics_listen +
                                     " is not a loopback address: the metrics are served on 127.0.0.0/8, localhost "
                                     "or [::1] only");
    }
    metrics_at = mhp.value();
    if (!options.metrics_port_file.empty()) ::unlink(options.metrics_port_file.c_str());  // never a stale port
  }
  // The master keys too: with TLS, none given is refused here.
  auto master_keys = LoadMasterKeys(options, tls_files == 3);
  if (!master_keys.ok()) return master_keys.status();

  std::unique_ptr<Server> s(new Server());
  s->options_ = options;
  s->policy_ = std::move(policy);
  s->methods_ = std::make_unique<MethodCatalogue>(std::move(methods.value()));
  auto store = EventStore::Open(options.store);
  if (!store.ok()) return store.status();
  s->store_ = std::move(store.value());
  // Per-person encryption: the modules see the log through a store that
  // seals personal data on append and opens it on read (services/vault/).
  auto subject_key = access::SubjectKey::LoadOrCreate(options.store.data_dir + "/keys/access-index.key");
  if (!subject_key.ok()) {
    s->store_->Close();
    return subject_key.status();
  }
  s->subject_key_ = std::make_unique<access::SubjectKey>(std::move(subject_key.value()));
  auto key_vault = vault::KeyVault::Open(VaultDir(options), std::move(master_keys.value()));
  if (!key_vault.ok()) {
    s->store_->Close();
    return key_vault.status();
  }
  s->vault_ = std::move(key_vault.value());
  s->personal_fields_ = std::make_unique<vault::PersonalFields>(s->vault_.get(), s->subject_key_.get(), s->store_.get());
  s->opened_ = std::make_unique<vault::SealingStore>(s->store_.get(), s->personal_fields_.get(), /*open_reads=*/true);
  s->log_api_ = std::make_unique<vault::SealingStore>(s->store_.get(), s->personal_fields_.get(), /*open_reads=*/false);

  auto catalogue = decisions::InsatsCatalogue::LoadFile(options.insats_catalogue);
  if (!catalogue.ok()) {
    s->store_->Close();
    return Status(catalogue.status().code(),
                  catalogue.status().message() + " (pass --insats-catalogue PATH to name the catalogue)");
  }
  s->catalogue_ = std::make_unique<decisions::InsatsCatalogue>(std::move(catalogue.value()));
  auto taxonomy = deviations::DeviationTaxonomy::LoadFile(options.deviation_taxonomy);
  if (!taxonomy.ok()) {
    s->store_->Close();
    return Status(taxonomy.status().code(),
                  taxonomy.status().message() + " (pass --deviation-taxonomy PATH to name the taxonomy)");
  }
  s->taxonomy_ = std::make_unique<deviations::DeviationTaxonomy>(std::move(taxonomy.value()));
  auto deadlines = deviations::DeadlineRules::LoadFile(options.deadline_rules);
  if (!deadlines.ok()) {
    s->store_->Close();
    return Status(deadlines.status().code(),
                  deadlines.status().message() + " (pass --deadline-rules PATH to name the deadline rules)");
  }
  s->deadlines_ = std::make_unique<deviations::DeadlineRules>(std::move(deadlines.value()));
  auto complaint_rules = complaints::ComplaintRules::LoadFile(options.complaint_rules);
  if (!complaint_rules.ok()) {
    s->store_->Close();
    return Status(complaint_rules.status().code(),
                  complaint_rules.status().message() + " (pass --complaint-rules PATH to name the complaint rules)");
  }
  s->complaint_rules_ = std::make_unique<complaints::ComplaintRules>(std::move(complaint_rules.value()));
  auto incident_rules = incidents::IncidentRules::LoadFile(options.incident_rules);
  if (!incident_rules.ok()) {
    s->store_->Close();
    return Status(incident_rules.status().code(),
                  incident_rules.status().message() + " (pass --incident-rules PATH to name the incident rules)");
  }
  s->incident_rules_ = std::make_unique<incidents::IncidentRules>(std::move(incident_rules.value()));
  auto access_right_rules = access_rights::AccessRightRules::LoadFile(options.access_right_rules);
  if (!access_right_rules.ok()) {
    s->store_->Close();
    return Status(access_right_rules.status().code(),
                  access_right_rules.status().message() +
                      " (pass --access-right-rules PATH to name the access right rules)");
  }
  s->access_right_rules_ =
      std::make_unique<access_rights::AccessRightRules>(std::move(access_right_rules.value()));
  auto committee_rules = committee::CommitteeRules::LoadFile(options.committee_rules);
  if (!committee_rules.ok()) {
    s->store_->Close();
    return Status(committee_rules.status().code(),
                  committee_rules.status().message() + " (pass --committee-rules PATH to name the committee rules)");
  }
  s->committee_rules_ = std::make_unique<committee::CommitteeRules>(std::move(committee_rules.value()));
  auto retention_rules = gallring::RetentionRules::LoadFile(options.retention_rules);
  if (!retention_rules.ok()) {
    s->store_->Close();
    return Status(retention_rules.status().code(),
                  retention_rules.status().message() + " (pass --retention-rules PATH to name the retention rules)");
  }
  s->retention_rules_ = std::make_unique<gallring::RetentionRules>(std::move(retention_rules.value()));
  auto facts_projection = std::make_unique<decisions::CaseFactsProjection>(s->store_.get(), s->catalogue_.get());
  const decisions::CaseFactsProjection* latest_facts = facts_projection.get();  // owned by the runner
  auto case_facts = projections::ProjectionRunner::Open(s->store_.get(), std::move(facts_projection),
                                                        options.store.data_dir + "/projections/decisions-case-facts");
  if (!case_facts.ok()) {
    s->store_->Close();
    return case_facts.status();
  }
  s->case_facts_ = std::move(case_facts.value());
  // Restoring the in-memory table folds the log up to the projection's
  // position: seconds at a million cases (docs/benchmarks.md), so say so
  // before and after.
  spdlog::info("projection {}: restoring its in-memory table at position {} of {}",
               s->case_facts_->projection().name(), s->case_facts_->position(), s->store_->Size());
  const auto restore_started = std::chrono::steady_clock::now();
  if (Status started = s->case_facts_->Start(); !started.ok()) {
    s->store_->Close();
    return started;
  }
  spdlog::info("projection {}: restored in {:.1f} s; following the log",
               s->case_facts_->projection().name(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - restore_started).count());

  const size_t response_budget = options.max_message_bytes - kMessageOverhead;
  if (tls->identities) {
    s->identities_ = std::make_unique<Identities>(std::move(*tls->identities));
    s->identify_ = std::make_unique<CertificateCallerResolver>(s->identities_.get(), options.store.limits);
  } else {
    s->identify_ = std::make_unique<DevCallerResolver>(options.store.limits);
  }
  s->calls_ = std::make_unique<CallRegistry>();
  s->callers_ = std::make_unique<AuthorizingResolver>(s->identify_.get(), s->calls_.get(), s->methods_.get(),
                                                      s->policy_.get(), s->opened_.get());
  s->gate_ = std::make_unique<CallGate>();
  s->audit_service_ = std::make_unique<AuditService>(s->store_.get(), s->policy_ ? s->callers_.get() : nullptr,
                                                     s->gate_.get());
  s->decisions_service_ = std::make_unique<decisions::DecisionsService>(s->opened_.get(), s->catalogue_.get(),
                                                                        s->callers_.get(), s->gate_.get());
  s->reports_service_ = std::make_unique<decisions::ReportsService>(
      s->opened_.get(), s->case_facts_.get(), latest_facts, s->catalogue_.get(), s->callers_.get(), s->gate_.get());
  s->deviations_service_ = std::make_unique<deviations::DeviationsService>(s->opened_.get(), s->taxonomy_.get(),
                                                                           s->callers_.get(), s->gate_.get());
  s->deviation_reports_service_ = std::make_unique<deviations::ReportsService>(
      s->opened_.get(), s->taxonomy_.get(), s->deadlines_.get(), s->callers_.get(), s->gate_.get());
  s->complaints_service_ = std::make_unique<complaints::ComplaintsService>(
      s->opened_.get(), s->complaint_rules_.get(), s->callers_.get(), s->gate_.get());
  s->complaint_reports_service_ = std::make_unique<complaints::ReportsService>(
      s->opened_.get(), s->complaint_rules_.get(), s->callers_.get(), s->gate_.get());
  s->incidents_service_ = std::make_unique<incidents::IncidentsService>(s->opened_.get(), s->incident_rules_.get(),
                                                                        s->callers_.get(), s->gate_.get());
  s->incident_reports_service_ = std::make_unique<incidents::ReportsService>(
      s->opened_.get(), s->incident_rules_.get(), s->callers_.get(), s->gate_.get());
  s->access_rights_service_ = std::make_unique<access_rights::AccessRightsService>(
      s->opened_.get(), s->access_right_rules_.get(), s->callers_.get(), s->gate_.get());
  s->access_right_reports_service_ = std::make_unique<access_rights::ReportsService>(
      s->opened_.get(), s->access_right_rules_.get(), s->callers_.get(), s->gate_.get());
  s->committee_service_ = std::make_unique<committee::CommitteeService>(s->opened_.get(), s->committee_rules_.get(),
                                                                        s->callers_.get(), s->gate_.get());
  s->committee_reports_service_ = std::make_unique<committee::ReportsService>(
      s->opened_.get(), s->committee_rules_.get(), s->callers_.get(), s->gate_.get());
  s->delegation_service_ =
      std::make_unique<delegation::DelegationService>(s->opened_.get(), s->callers_.get(), s->gate_.get());
  s->delegation_reports_service_ = std::make_unique<delegation::ReportsService>(
      s->opened_.get(), s->committee_rules_.get(), s->callers_.get(), s->gate_.get());
  s->statements_service_ = std::make_unique<statements::StatementsService>(
      s->opened_.get(), s->committee_rules_.get(), s->callers_.get(), s->gate_.get());
  s->statement_reports_service_ =
      std::make_unique<statements::ReportsService>(s->opened_.get(), s->callers_.get(), s->gate_.get());
  auto access_index = projections::ProjectionRunner::Open(
      s->opened_.get(), std::make_unique<access::AccessIndexProjection>(s->subject_key_.get()),
      options.store.data_dir + "/projections/access-index");
  if (!access_index.ok()) {
    s->case_facts_->Stop();
    s->store_->Close();
    return access_index.status();
  }
  s->access_index_ = std::move(access_index.value());
  if (Status started = s->access_index_->Start(); !started.ok()) {
    s->case_facts_->Stop();
    s->store_->Close();
    return started;
  }
  // Restoring folds the case streams up to the projection's position again.
  auto review_cases = projections::ProjectionRunner::Open(
      s->opened_.get(), std::make_unique<access::ReviewCasesProjection>(s->opened_.get(), s->subject_key_.get()),
      options.store.data_dir + "/projections/loggkontroll-cases");
  if (review_cases.ok()) s->review_cases_ = std::move(review_cases.value());
  Status cases_started = review_cases.ok() ? s->review_cases_->Start() : review_cases.status();
  if (!cases_started.ok()) {
    s->access_index_->Stop();
    s->case_facts_->Stop();
    s->store_->Close();
    return cases_started;
  }
  auto protected_ids = projections::ProjectionRunner::Open(
      s->opened_.get(), std::make_unique<ProtectedIdentitiesProjection>(s->subject_key_.get()),
      options.store.data_dir + "/projections/protected-identities");
  if (protected_ids.ok()) s->protected_ids_ = std::move(protected_ids.value());
  Status protected_started = protected_ids.ok() ? s->protected_ids_->Start() : protected_ids.status();
  if (!protected_started.ok()) {
    s->review_cases_->Stop();
    s->access_index_->Stop();
    s->case_facts_->Stop();
    s->store_->Close();
    return protected_started;
  }
  access::AccessLimits access_limits;
  access_limits.max_clock_skew = std::chrono::seconds(options.access_clock_skew_seconds);
  access_limits.max_batch_events = options.access_max_batch_events;
  s->gallring_service_ = std::make_unique<gallring::GallringService>(
      s->opened_.get(), s->retention_rules_.get(), s->subject_key_.get(), s->vault_.get(), s->callers_.get(),
      s->gate_.get());
  s->backup_service_ = std::make_unique<BackupService>(s->store_.get(), s->vault_.get(), VaultDir(options),
                                                       s->callers_.get(), s->gate_.get());
  s->persons_ = std::make_unique<PersonAccess>(s->opened_.get(), s->policy_.get(), s->subject_key_.get(),
                                               s->review_cases_.get(), s->protected_ids_.get(), access_limits);
  s->eventstore_service_ = std::make_unique<EventStoreService>(s->log_api_.get(), s->callers_.get(), s->persons_.get(),
                                                               s->gate_.get(), response_budget);
  s->access_log_service_ = std::make_unique<access::AccessLogService>(
      s->opened_.get(), access_limits, s->access_index_.get(), s->subject_key_.get(), s->callers_.get(),
      s->gate_.get());
  s->log_review_service_ = std::make_unique<access::LogReviewService>(
      s->opened_.get(), access_limits, s->access_index_.get(), s->review_cases_.get(), s->subject_key_.get(),
      s->callers_.get(), s->gate_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(options.listen, tls->credentials, &selected_port);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(s->calls_->MakeFactory());
  if (!options.metrics_listen.empty()) {
    s->metrics_ = std::make_unique<metrics::Registry>();
    interceptors.push_back(metrics::CallMetricsFactory(s->metrics_.get()));
    AddLogMetrics(*s);
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  // Keep enough polling threads alive for the sync-API methods: by default
  // gRPC's sync server tears a thread down after each call and creates a new
  // one for the next, which costs more than a short call under concurrency.
  // (Append uses the callback API and holds no thread while it waits.)
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 256);
  builder.RegisterService(s->eventstore_service_.get());
  builder.RegisterService(s->audit_service_.get());
  builder.RegisterService(s->decisions_service_.get());
  builder.RegisterService(s->reports_service_.get());
  builder.RegisterService(s->deviations_service_.get());
  builder.RegisterService(s->deviation_reports_service_.get());
  builder.RegisterService(s->complaints_service_.get());
  builder.RegisterService(s->complaint_reports_service_.get());
  builder.RegisterService(s->incidents_service_.get());
  builder.RegisterService(s->incident_reports_service_.get());
  builder.RegisterService(s->access_rights_service_.get());
  builder.RegisterService(s->access_right_reports_service_.get());
  builder.RegisterService(s->committee_service_.get());
  builder.RegisterService(s->committee_reports_service_.get());
  builder.RegisterService(s->delegation_service_.get());
  builder.RegisterService(s->delegation_reports_service_.get());
  builder.RegisterService(s->statements_service_.get());
  builder.RegisterService(s->statement_reports_service_.get());
  builder.RegisterService(s->access_log_service_.get());
  builder.RegisterService(s->log_review_service_.get());
  builder.RegisterService(s->gallring_service_.get());
  builder.RegisterService(s->backup_service_.get());
  s->transport_poller_ = std::make_unique<TransportPoller>(builder);
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || selected_port == 0) {
    s->server_.reset();
    s->store_->Close();
    return Status::Unavailable("cannot listen on " + options.listen +
                               " (is the address in use, or not an address of this host?)");
  }
  s->transport_poller_->Start();
  s->port_ = selected_port;
  s->address_ = FormatAddress(hp, selected_port);

  if (s->metrics_) {
    auto exporter = metrics::HttpExporter::Start(s->metrics_.get(), metrics_at->host, metrics_at->port);
    if (exporter.ok() && !options.metrics_port_file.empty()) {
      Status written = WriteFileAtomically(options.metrics_port_file, std::to_string((*exporter)->port()) + "\n");
      if (!written.ok()) exporter = written;
    }
    if (!exporter.ok()) {
      s->Shutdown();
      return exporter.status();
    }
    s->metrics_exporter_ = std::move(exporter.value());
    spdlog::info("metrics at http://{}/metrics", FormatAddress(*metrics_at, s->metrics_exporter_->port()));
  }
  if (!options.port_file.empty()) {
    Status written = WriteFileAtomically(options.port_file, std::to_string(selected_port) + "\n");
    if (!written.ok()) {
      s->Shutdown();
      return written;
    }
  }

  spdlog::info("sparbar-server listening on {} ({}; {})", s->address_,
               s->identities_ ? "mutual TLS" : "plaintext, development mode",
               s->policy_ ? "access policy " + options.policy : std::string("no access policy: every caller may call every method"));
  spdlog::info("data directory {}; log size {} events; origin {}", options.store.data_dir,
               s->store_->Size(), s->store_->origin());
  spdlog::info("checkpoint verifier key {}", s->store_->signer().VerifierKey());
  return s;
}

Server::~Server() { Shutdown(); }

constexpr auto kStatusFlushGrace = std::chrono::milliseconds(500);

void Server::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    if (metrics_exporter_) metrics_exporter_->Stop();  // its collectors read the store and the projections
    if (server_) {
      spdlog::info("shutting down: ending subscriptions, letting calls in flight finish");
      if (auto* health = server_->GetHealthCheckService()) health->Shutdown();
      gate_->Stop();
      if (!gate_->WaitIdle(kShutdownGrace)) {
        spdlog::warn("{} calls still running after {} s; cancelling them", gate_->inside(),
                     kShutdownGrace.count() / 1000);
      }
      // Every handler has returned (or is being cancelled). Give the statuses
      // they returned a moment to reach their clients, then cancel whatever is
      // left; idle client connections are not calls and do not delay this.
      server_->Shutdown(std::chrono::system_clock::now() + kStatusFlushGrace);
      server_->Wait();
      transport_poller_->Stop();
    }
    if (case_facts_) case_facts_->Stop();
    if (access_index_) access_index_->Stop();
    if (review_cases_) review_cases_->Stop();
    if (protected_ids_) protected_ids_->Stop();
    if (store_) {
      store_->Close();
      const StoreStats stats = store_->Stats();
      spdlog::info("store closed; log size {} events; this run: {} appends, {} events in {} synced writes, {} checkpoints",
                   store_->Size(), stats.appends, stats.events_written, stats.synced_writes,
                   stats.checkpoints);
    }
  });
}

}  // namespace sparbar::services
