// Client: the CLI's connection to a Spårbar server.
//
// One channel per process. Every call gets a context carrying the caller's
// identity as the `x-sparbar-actor` metadata entry (development mode) and a
// deadline. gRPC failures are reported the same way by every command:
// "error: <CODE>: <message>" on stderr, exit status 1.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "sparbar/v1/access_rights_service.grpc.pb.h"
#include "sparbar/v1/audit.grpc.pb.h"
#include "sparbar/v1/committee_service.grpc.pb.h"
#include "sparbar/v1/complaints_service.grpc.pb.h"
#include "sparbar/v1/decisions_reports_service.grpc.pb.h"
#include "sparbar/v1/delegation_service.grpc.pb.h"
#include "sparbar/v1/deviations_reports_service.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"
#include "sparbar/v1/backup_service.grpc.pb.h"
#include "sparbar/v1/gallring_service.grpc.pb.h"
#include "sparbar/v1/incidents_service.grpc.pb.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"
#include "sparbar/v1/statements_service.grpc.pb.h"

namespace sparbar::cli {

// Options shared by every command that talks to a server.
struct ConnectionOptions {
  std::string server;  // host:port
  std::string actor;
  std::string roles;  // comma-separated, sent as x-sparbar-roles when set
  std::string units;  // comma-separated, sent as x-sparbar-units-bin when set
  // Nödåtkomst: the reason, sent as x-sparbar-nodatkomst-bin when set.
  std::string nodatkomst;
  int timeout_seconds = 30;
  // Mutual TLS (all three, else plaintext): PEM files of the CA that signed
  // the server's certificate, and of this client's certificate and key.
  std::string tls_ca, tls_cert, tls_key;
};

// Defaults from the environment: SPARBAR_SERVER (else 127.0.0.1:50051) and
// SPARBAR_ACTOR (else the Unix user name), SPARBAR_ROLES and SPARBAR_UNITS (else none),
// SPARBAR_TLS_CA, SPARBAR_TLS_CERT and SPARBAR_TLS_KEY (else plaintext).
ConnectionOptions DefaultConnectionOptions();

class Client {
 public:
  // Exits with status 2 (usage) when a TLS file cannot be read or is empty.
  explicit Client(const ConnectionOptions& options);

  // A fresh context for one call: actor metadata and deadline set.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  sparbar::v1::EventStore::Stub& events() { return *events_; }
  sparbar::v1::Audit::Stub& audit() { return *audit_; }
  sparbar::v1::decisions::DecisionReports::Stub& reports() { return *reports_; }
  sparbar::v1::deviations::DeviationReports::Stub& deviation_reports() { return *deviation_reports_; }
  sparbar::v1::complaints::ComplaintReports::Stub& complaint_reports() { return *complaint_reports_; }
  sparbar::v1::incidents::IncidentReports::Stub& incident_reports() { return *incident_reports_; }
  sparbar::v1::accessrights::AccessRights::Stub& access_rights() { return *access_rights_; }
  sparbar::v1::accessrights::AccessRightReports::Stub& access_right_reports() { return *access_right_reports_; }
  sparbar::v1::committee::CommitteeReports::Stub& committee_reports() { return *committee_reports_; }
  sparbar::v1::delegation::DelegationReports::Stub& delegation_reports() { return *delegation_reports_; }
  sparbar::v1::statements::StatementReports::Stub& statement_reports() { return *statement_reports_; }
  sparbar::v1::access::AccessLog::Stub& access_log() { return *access_log_; }
  sparbar::v1::logreview::LogReview::Stub& log_review() { return *log_review_; }
  sparbar::v1::gallring::Gallring::Stub& gallring() { return *gallring_; }
  sparbar::v1::Backup::Stub& backup() { return *backup_; }
  const ConnectionOptions& options() const { return options_; }

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<sparbar::v1::EventStore::Stub> events_;
  std::unique_ptr<sparbar::v1::Audit::Stub> audit_;
  std::unique_ptr<sparbar::v1::decisions::DecisionReports::Stub> reports_;
  std::unique_ptr<sparbar::v1::deviations::DeviationReports::Stub> deviation_reports_;
  std::unique_ptr<sparbar::v1::complaints::ComplaintReports::Stub> complaint_reports_;
  std::unique_ptr<sparbar::v1::incidents::IncidentReports::Stub> incident_reports_;
  std::unique_ptr<sparbar::v1::accessrights::AccessRights::Stub> access_rights_;
  std::unique_ptr<sparbar::v1::accessrights::AccessRightReports::Stub> access_right_reports_;
  std::unique_ptr<sparbar::v1::committee::CommitteeReports::Stub> committee_reports_;
  std::unique_ptr<sparbar::v1::delegation::DelegationReports::Stub> delegation_reports_;
  std::unique_ptr<sparbar::v1::statements::StatementReports::Stub> statement_reports_;
  std::unique_ptr<sparbar::v1::access::AccessLog::Stub> access_log_;
  std::unique_ptr<sparbar::v1::logreview::LogReview::Stub> log_review_;
  std::unique_ptr<sparbar::v1::gallring::Gallring::Stub> gallring_;
  std::unique_ptr<sparbar::v1::Backup::Stub> backup_;
};


// Prints "error: <CODE>: <message>" to stderr and returns the exit status (1).
int ReportRpcError(const grpc::Status& status);

}  // namespace sparbar::cli
