#include "tools/cli/client.h"
#include "tools/cli/commands.h"
#include "services/grpc_status.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>

namespace sparbar::cli {
namespace {

std::string UnixUserName() {
  if (const struct passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "uid-" + std::to_string(geteuid());
}

// The file's bytes. An unreadable or empty file ends the CLI with a usage
// error: gRPC would take empty root certificates to mean the system's CAs.
std::string ReadTlsFile(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    std::cerr << "error: cannot read " << path << " (" << flag << ")\n";
    std::exit(kExitUsage);
  }
  return text.str();
}

// Mutual TLS when the TLS files are given, else plaintext (development mode, loopback).
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const ConnectionOptions& o) {
  if (o.tls_ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadTlsFile(o.tls_ca, "--tls-ca");
  ssl.pem_cert_chain = ReadTlsFile(o.tls_cert, "--tls-cert");
  ssl.pem_private_key = ReadTlsFile(o.tls_key, "--tls-key");
  return grpc::SslCredentials(ssl);
}

}  // namespace

ConnectionOptions DefaultConnectionOptions() {
  ConnectionOptions o;
  const char* server = std::getenv("SPARBAR_SERVER");
  o.server = (server != nullptr && *server != '\0') ? server : "127.0.0.1:50051";
  const char* actor = std::getenv("SPARBAR_ACTOR");
  o.actor = (actor != nullptr && *actor != '\0') ? actor : UnixUserName();
  if (const char* roles = std::getenv("SPARBAR_ROLES"); roles != nullptr) o.roles = roles;
  if (const char* units = std::getenv("SPARBAR_UNITS"); units != nullptr) o.units = units;
  return o;
}

Client::Client(const ConnectionOptions& options) : options_(options) {
  // Reports and reviews can be large: take what the server may send (32 MiB by default) and more.
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  channel_ = grpc::CreateCustomChannel(options_.server, ChannelCredentialsFor(options_), args);
  events_ = sparbar::v1::EventStore::NewStub(channel_);
  audit_ = sparbar::v1::Audit::NewStub(channel_);
  reports_ = sparbar::v1::decisions::DecisionReports::NewStub(channel_);
  deviation_reports_ = sparbar::v1::deviations::DeviationReports::NewStub(channel_);
  complaint_reports_ = sparbar::v1::complaints::ComplaintReports::NewStub(channel_);
  incident_reports_ = sparbar::v1::incidents::IncidentReports::NewStub(channel_);
  access_rights_ = sparbar::v1::accessrights::AccessRights::NewStub(channel_);
  access_right_reports_ = sparbar::v1::accessrights::AccessRightReports::NewStub(channel_);
  committee_reports_ = sparbar::v1::committee::CommitteeReports::NewStub(channel_);
  delegation_reports_ = sparbar::v1::delegation::DelegationReports::NewStub(channel_);
  statement_reports_ = sparbar::v1::statements::StatementReports::NewStub(channel_);
  access_log_ = sparbar::v1::access::AccessLog::NewStub(channel_);
  log_review_ = sparbar::v1::logreview::LogReview::NewStub(channel_);
  gallring_ = sparbar::v1::gallring::Gallring::NewStub(channel_);
  backup_ = sparbar::v1::Backup::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-sparbar-actor", options_.actor);
  if (!options_.roles.empty()) ctx->AddMetadata("x-sparbar-roles", options_.roles);
  if (!options_.units.empty()) ctx->AddMetadata("x-sparbar-units-bin", options_.units);
  if (!options_.nodatkomst.empty()) ctx->AddMetadata("x-sparbar-nodatkomst-bin", options_.nodatkomst);
  if (options_.timeout_seconds > 0) {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(options_.timeout_seconds));
  }
  return ctx;
}

int ReportRpcError(const grpc::Status& status) {
  std::cerr << "error: " << services::GrpcCodeName(status.error_code()) << ": " << status.error_message()
            << "\n";
  return 1;
}

}  // namespace sparbar::cli
