// sparbar: the admin CLI for a Spårbar server and its data directory.
//
// Wires the subcommands (commands.h) into one CLI11 app with the global
// connection options. Exit status: 0 ok, 1 failed, 2 usage or I/O error.
#include <CLI/CLI.hpp>

#include <iostream>

#include "tools/cli/client.h"
#include "tools/cli/commands.h"

int main(int argc, char** argv) {
  using namespace sparbar::cli;

  CLI::App app{
      "sparbar: administer and audit a Spårbar event store.\n"
      "Commands that talk to a server use --server (env SPARBAR_SERVER, default "
      "127.0.0.1:50051)\nand name the caller with --actor (env SPARBAR_ACTOR, default "
      "the Unix user name), and its roles with --roles."};
  app.name("sparbar");
  app.require_subcommand(1);
  app.fallthrough();

  ConnectionOptions conn = DefaultConnectionOptions();
  app.add_option("--server", conn.server, "gRPC address host:port of the server")
      ->capture_default_str();
  app.add_option("--actor", conn.actor, "Caller identity sent as x-sparbar-actor metadata")
      ->capture_default_str();
  app.add_option("--roles", conn.roles,
                 "Roles sent as x-sparbar-roles metadata, comma-separated (env SPARBAR_ROLES), e.g. loggranskare");
  app.add_option("--units", conn.units,
                 "Units sent as x-sparbar-units-bin metadata, comma-separated (env SPARBAR_UNITS); development mode only");
  app.add_option("--nodatkomst", conn.nodatkomst,
                 "Nödåtkomst: the reason this read of a person's records is urgent; the access is allowed only to "
                 "the roles the access policy lets use it, and is recorded with the reason for loggkontroll");
  app.add_option("--timeout", conn.timeout_seconds, "Deadline of each call in seconds (0: none)")
      ->capture_default_str();
  auto* tls_ca = app.add_option("--tls-ca", conn.tls_ca,
                                "Mutual TLS: PEM file of the CA that signed the server's certificate "
                                "(env SPARBAR_TLS_CA)")
                     ->envname("SPARBAR_TLS_CA")
                     ->check(CLI::ExistingFile);
  auto* tls_cert = app.add_option("--tls-cert", conn.tls_cert,
                                  "Mutual TLS: PEM file of this client's certificate; the server takes the caller "
                                  "from it, not from --actor (env SPARBAR_TLS_CERT)")
                       ->envname("SPARBAR_TLS_CERT")
                       ->check(CLI::ExistingFile);
  auto* tls_key = app.add_option("--tls-key", conn.tls_key,
                                 "Mutual TLS: PEM file of this client's private key (env SPARBAR_TLS_KEY)")
                      ->envname("SPARBAR_TLS_KEY")
                      ->check(CLI::ExistingFile);
  tls_ca->needs(tls_cert)->needs(tls_key);
  tls_cert->needs(tls_ca)->needs(tls_key);
  tls_key->needs(tls_ca)->needs(tls_cert);

  int exit_code = kExitOk;
  AddVerifyCommand(app, &exit_code);
  AddAppendCommand(app, &conn, &exit_code);
  AddReadCommand(app, &conn, &exit_code);
  AddCheckpointCommands(app, &conn, &exit_code);
  AddProofCommand(app, &conn, &exit_code);
  AddReportCommand(app, &conn, &exit_code);
  AddImportCommand(app, &conn, &exit_code);
  AddAccessCommand(app, &conn, &exit_code);
  AddLogReviewCommand(app, &conn, &exit_code);
  AddGallringCommand(app, &conn, &exit_code);
  AddBackupCommands(app, &conn, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}
