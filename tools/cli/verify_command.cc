// sparbar verify: offline verification of a data directory (log_verifier.h).
//
// Reads the RocksDB files directly (read-only, so it may run beside a live
// server), recomputes every leaf and tree node and checks every checkpoint.
#include <iostream>
#include <memory>
#include <string>

#include "eventstore/log_verifier.h"
#include "tools/cli/commands.h"
#include "tools/cli/progress.h"

namespace sparbar::cli {
namespace {

struct VerifyArgs {
  std::string data_dir;
  std::string public_key;
};

int RunVerify(const VerifyArgs& args) {
  if (args.public_key.empty()) {
    std::cerr << "note: checking signatures with the key recorded in the data directory; pass "
                 "--public-key to check them against a key you hold\n";
  }
  ProgressBar bar("verifying");
  auto report = VerifyDataDir(args.data_dir, args.public_key,
                              [&bar](uint64_t checked, uint64_t total) {
                                bar.Update(checked, total);
                                return true;
                              });
  bar.Finish();
  if (!report.ok()) {
    std::cerr << "error: cannot verify " << args.data_dir << ": " << report.status().ToString()
              << "\n";
    return kExitUsage;
  }
  const VerifyReport& r = *report;
  if (!r.ok) {
    if (r.bad_position) {
      std::cerr << "verification FAILED at position " << *r.bad_position << ": " << r.error << "\n";
    } else {
      std::cerr << "verification FAILED: " << r.error << "\n";
    }
    std::cerr << "(" << r.events_checked << " events and " << r.checkpoints_checked
              << " checkpoints verified before the failure)\n";
    return kExitFailed;
  }
  std::cout << "ok: " << r.events_checked << " events verified, " << r.checkpoints_checked
            << " checkpoints checked\n";
  return kExitOk;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* sub = app.add_subcommand(
      "verify",
      "Verify a data directory offline: recompute every event's leaf hash and every Merkle\n"
      "tree node, check the stream and id indexes, and check every stored checkpoint's root,\n"
      "signature and consistency with the previous one. Runs without a server and may run\n"
      "beside one. Exit 0 when everything verifies, 1 at the first mismatch (its position is\n"
      "printed), 2 when the directory cannot be read.");
  sub->add_option("--data", args->data_dir, "Data directory of the store")
      ->required()
      ->check(CLI::ExistingDirectory);
  sub->add_option("--public-key", args->public_key,
                  "Verifier key (name+hash+base64) to check checkpoint signatures with; default:\n"
                  "the key recorded in the data directory (trust on first use)");
  sub->callback([args, exit_code] { *exit_code = RunVerify(*args); });
}

}  // namespace sparbar::cli
