// Server: the Spårbar gRPC server — the store plus the services that expose it.
//
// Start() opens the store and the key vault (with the master keys: given,
// or in development mode made in the data directory; with TLS, none given
// is refused before the store is touched), gives every module the log
// through a SealingStore that seals personal data on append and opens it
// on read (services/vault/; the log's own API serves it sealed), loads the
// insats catalogue, the deviation taxonomy, the deadline rules, the
// complaint rules, the incident rules, the access right rules and the
// committee rules, starts the decisions module's
// read model, registers the EventStore, Audit, Decisions, DecisionReports,
// Deviations, DeviationReports, Complaints, ComplaintReports, Incidents,
// IncidentReports, AccessRights, AccessRightReports, Committee,
// CommitteeReports, Delegation, DelegationReports, Statements,
// StatementReports, AccessLog, LogReview, Gallring and Backup services (every method
// behind the access policy when there is one, services/authz/),
// the standard health service (grpc.health.v1) and server reflection, keeps
// one thread polling the connections (transport_poller.h), and starts
// listening. It serves mutual TLS when tls_cert, tls_key and tls_client_ca
// are given (callers identified by their client certificates,
// certificate_caller.h), or plaintext when dev_plaintext is set AND the
// listen address is loopback (127.0.0.0/8, localhost, [::1]); anything else,
// and TLS files that do not load, are refused before the store is touched. Port 0 picks a free
// port; port() tells which, and `port_file` (when set) receives it, written to
// a temporary file and renamed into place once the server accepts calls.
//
// With metrics_listen, Prometheus metrics are served at GET /metrics: calls
// by method and status with their latency, the log's size and write
// counters, and each projection's lag (services/metrics/).
//
// Shutdown() is graceful and idempotent: health turns NOT_SERVING, new calls
// are UNAVAILABLE, subscriptions and verifications end, calls in flight get up
// to a few seconds to finish (an acknowledged append is durable), then the
// listener and every connection close and the store closes with a final
// checkpoint. Idle client connections do not delay it. The destructor calls it.
//
// Logs go through spdlog and never contain stream names, payloads or actors.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "eventstore/status.h"
#include "eventstore/store.h"

namespace grpc {
class Server;
}

namespace sparbar::decisions {
class DecisionsService;
class ReportsService;
class InsatsCatalogue;
}
namespace sparbar::access {
class AccessLogService;
class LogReviewService;
class SubjectKey;
}
namespace sparbar::deviations {
class DeadlineRules;
class DeviationsService;
class DeviationTaxonomy;
class ReportsService;
}
namespace sparbar::complaints {
class ComplaintRules;
class ComplaintsService;
class ReportsService;
}  // namespace sparbar::complaints
namespace sparbar::incidents {
class IncidentRules;
class IncidentsService;
class ReportsService;
}  // namespace sparbar::incidents
namespace sparbar::access_rights {
class AccessRightRules;
class AccessRightsService;
class ReportsService;
}  // namespace sparbar::access_rights
namespace sparbar::committee {
class CommitteeRules;
class CommitteeService;
class ReportsService;
}  // namespace sparbar::committee
namespace sparbar::delegation {
class DelegationService;
class ReportsService;
}  // namespace sparbar::delegation
namespace sparbar::statements {
class StatementsService;
class ReportsService;
}  // namespace sparbar::statements
namespace sparbar::gallring {
class GallringService;
class RetentionRules;
}  // namespace sparbar::gallring
namespace sparbar::projections {
class ProjectionRunner;
}
namespace sparbar::vault {
class KeyVault;
class PersonalFields;
}  // namespace sparbar::vault
namespace sparbar::metrics {
class Registry;
class HttpExporter;
}  // namespace sparbar::metrics

namespace sparbar::services {

class TransportPoller;
class Identities;
class AccessPolicy;
class CallRegistry;
class MethodCatalogue;
class PersonAccess;

class AuditService;
class BackupService;
class CallGate;
class CallerResolver;
class EventStoreService;

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  bool dev_plaintext = false;
  // Mutual TLS: the server's certificate chain and private key, and the CA
  // that signs the client certificates (PEM files). All three, or
  // dev_plaintext; a client without a certificate from that CA, or with an
  // expired one, is refused in the TLS handshake.
  std::string tls_cert, tls_key, tls_client_ca;
  // Who may call over mutual TLS, with their roles and units (JSON, see
  // services/identities.h). Required with TLS; unused in development mode.
  std::string identities;
  // Which roles may call which method, and who reaches a person's records
  // (JSON, see services/authz/policy.h). Required with TLS; in development
  // mode optional (without it no policy is enforced, but every read is
  // still recorded).
  std::string policy;
  // Per-person encryption (services/vault/): the key vault, a RocksDB
  // instance of its own (empty: <data>/vault), and the master keys that wrap
  // its keys: a file (see services/vault/master_keys.h), else the
  // environment variable SPARBAR_MASTER_KEYS. With neither, development mode
  // makes and keeps one in <data>/keys/dev-master.keys; mutual TLS refuses
  // to start.
  std::string vault_dir;
  std::string master_keys;
  std::string port_file;
  // Prometheus metrics over HTTP at GET /metrics (services/metrics/), on a
  // loopback host:port of their own (port 0: any free one, written to
  // metrics_port_file when set). Empty: no metrics.
  std::string metrics_listen;
  std::string metrics_port_file;
  size_t max_message_bytes = 32 << 20;
  // The insats catalogue of the decisions module (JSON, see
  // services/decisions/insats_catalogue.h).
  std::string insats_catalogue = "config/insatser.json";
  // The deviations module's areas and action types (JSON, see
  // services/deviations/taxonomy.h).
  std::string deviation_taxonomy = "config/avvikelse-taxonomi.json";
  // The deadlines (frister) of the deviations module's steps (JSON, see
  // services/deviations/deadlines.h).
  std::string deadline_rules = "config/frister.json";
  // The complaints module's deadlines, reminders, areas and action types
  // (JSON, see services/complaints/rules.h).
  std::string complaint_rules = "config/klagomal.json";
  // The personal data incidents' deadlines in hours, kinds and categories
  // (JSON, see services/incidents/rules.h).
  std::string incident_rules = "config/personuppgiftsincidenter.json";
  // The access rights' (behörigheter) deadlines and mandatory trainings
  // (JSON, see services/access_rights/rules.h).
  std::string access_right_rules = "config/behorigheter.json";
  // The committee's days to attest a protocol and post its notice, to
  // report a delegation decision, and to answer a request for a statement
  // that names no due date (JSON, see services/committee/rules.h).
  std::string committee_rules = "config/namnd.json";
  // The retention rules of people's files (gallring; JSON, see
  // services/gallring/rules.h).
  std::string retention_rules = "config/gallring.json";
  // How far in the future an access event may be stamped (the source's clock
  // may run ahead), and how many events one ingest batch may hold.
  int access_clock_skew_seconds = 300;
  size_t access_max_batch_events = 10000;
  StoreOptions store;
};

// Ok when the server may listen on `listen` with the given transport (mutual
// TLS when `tls`, else plaintext when `dev_plaintext`, on loopback only);
// else InvalidArgument (malformed address, or both transports asked for) or
// FailedPrecondition (plaintext refused, or no transport), with a message
// telling the operator what to do.
Status CheckListenAddress(std::string_view listen, bool dev_plaintext, bool tls);

class Server {
 public:
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound, and "host:port" with it.
  int port() const { return port_; }
  const std::string& address() const { return address_; }
  EventStore& store() { return *store_; }

  void Shutdown();

 private:
  Server() = default;
  static void AddLogMetrics(Server& s);  // the registry's gauges: the log, the data directory, the projections

  ServerOptions options_;
  std::unique_ptr<EventStore> store_;  // the log as stored
  std::unique_ptr<access::SubjectKey> subject_key_;
  std::unique_ptr<vault::KeyVault> vault_;
  std::unique_ptr<vault::PersonalFields> personal_fields_;
  std::unique_ptr<EventStore> opened_;   // seals appends, opens reads: what the modules use
  std::unique_ptr<EventStore> log_api_;  // seals appends, reads as stored: the log's own API and its proofs
  std::unique_ptr<Identities> identities_;  // with mutual TLS
  std::unique_ptr<AccessPolicy> policy_;
  std::unique_ptr<MethodCatalogue> methods_;
  std::unique_ptr<CallRegistry> calls_;
  std::unique_ptr<CallerResolver> identify_;  // who the caller is
  std::unique_ptr<CallerResolver> callers_;   // the same, with the access policy applied (authz/)
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<EventStoreService> eventstore_service_;
  std::unique_ptr<AuditService> audit_service_;
  std::unique_ptr<decisions::InsatsCatalogue> catalogue_;
  // Read models live under <data>/projections/<name>; stopped before the store closes.
  std::unique_ptr<projections::ProjectionRunner> case_facts_;
  std::unique_ptr<decisions::DecisionsService> decisions_service_;
  std::unique_ptr<deviations::DeviationTaxonomy> taxonomy_;
  std::unique_ptr<deviations::DeadlineRules> deadlines_;
  std::unique_ptr<deviations::DeviationsService> deviations_service_;
  std::unique_ptr<deviations::ReportsService> deviation_reports_service_;
  std::unique_ptr<complaints::ComplaintRules> complaint_rules_;
  std::unique_ptr<complaints::ComplaintsService> complaints_service_;
  std::unique_ptr<complaints::ReportsService> complaint_reports_service_;
  std::unique_ptr<incidents::IncidentRules> incident_rules_;
  std::unique_ptr<incidents::IncidentsService> incidents_service_;
  std::unique_ptr<incidents::ReportsService> incident_reports_service_;
  std::unique_ptr<access_rights::AccessRightRules> access_right_rules_;
  std::unique_ptr<access_rights::AccessRightsService> access_rights_service_;
  std::unique_ptr<access_rights::ReportsService> access_right_reports_service_;
  std::unique_ptr<committee::CommitteeRules> committee_rules_;
  std::unique_ptr<committee::CommitteeService> committee_service_;
  std::unique_ptr<committee::ReportsService> committee_reports_service_;
  std::unique_ptr<delegation::DelegationService> delegation_service_;
  std::unique_ptr<delegation::ReportsService> delegation_reports_service_;
  std::unique_ptr<statements::StatementsService> statements_service_;
  std::unique_ptr<statements::ReportsService> statement_reports_service_;
  std::unique_ptr<gallring::RetentionRules> retention_rules_;
  std::unique_ptr<gallring::GallringService> gallring_service_;
  std::unique_ptr<BackupService> backup_service_;
  std::unique_ptr<projections::ProjectionRunner> access_index_;
  std::unique_ptr<projections::ProjectionRunner> review_cases_;  // access::ReviewCasesProjection
  std::unique_ptr<projections::ProjectionRunner> protected_ids_;  // ProtectedIdentitiesProjection
  std::unique_ptr<PersonAccess> persons_;
  std::unique_ptr<access::AccessLogService> access_log_service_;
  std::unique_ptr<access::LogReviewService> log_review_service_;
  std::unique_ptr<decisions::ReportsService> reports_service_;
  std::unique_ptr<metrics::Registry> metrics_;
  std::unique_ptr<metrics::HttpExporter> metrics_exporter_;  // stopped first at shutdown
  // Declared before server_, so that it is destroyed after it (gRPC's order).
  std::unique_ptr<TransportPoller> transport_poller_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string address_;
  std::once_flag shutdown_once_;
};

}  // namespace sparbar::services
