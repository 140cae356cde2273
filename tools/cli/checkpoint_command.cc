// sparbar checkpoint / sparbar public-key: the log's signed checkpoint and the
// key that verifies it, printed verbatim so they can be kept and compared later.
#include <iostream>
#include <memory>

#include "tools/cli/commands.h"

namespace sparbar::cli {
namespace {

int RunCheckpoint(bool fresh, const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::GetCheckpointRequest req;
  req.set_fresh(fresh);
  sparbar::v1::Checkpoint resp;
  auto ctx = client.NewContext();
  grpc::Status st = client.audit().GetCheckpoint(ctx.get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << resp.note() << std::flush;
  return kExitOk;
}

int RunPublicKey(const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::PublicKey resp;
  auto ctx = client.NewContext();
  grpc::Status st = client.audit().GetPublicKey(ctx.get(), sparbar::v1::GetPublicKeyRequest(), &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << resp.verifier_key() << "\n";
  return kExitOk;
}

}  // namespace

void AddCheckpointCommands(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  auto fresh = std::make_shared<bool>(false);
  CLI::App* cp = app.add_subcommand(
      "checkpoint",
      "Print the log's latest signed checkpoint (C2SP tlog-checkpoint signed note) verbatim.\n"
      "Keep it: a later `sparbar proof consistency --checkpoint FILE` proves the log was only\n"
      "appended to since.");
  cp->add_flag("--fresh", *fresh, "Have the server sign a checkpoint for the current size first");
  cp->callback([fresh, conn, exit_code] { *exit_code = RunCheckpoint(*fresh, *conn); });

  CLI::App* pk = app.add_subcommand(
      "public-key",
      "Print the log's verifier key (<name>+<key hash>+<base64 key>) used to check checkpoint\n"
      "signatures. Obtain it once through a channel you trust and pass it to --public-key.");
  pk->callback([conn, exit_code] { *exit_code = RunPublicKey(*conn); });
}

}  // namespace sparbar::cli
