// Benchmark of per-person encryption's building blocks (issue 7): what
// sealing and opening a field costs once its person's key is cached, and
// what making a new person's key costs (a synced write to the vault).
// Measured in-process on a fresh vault, to set beside an append's cost.
#pragma once

#include <string>

namespace sparbar::bench {

struct VaultLoadOptions {
  std::string dir;         // a fresh directory for the vault
  int people = 10'000;     // distinct people (keys made)
  int fields = 200'000;    // fields sealed and opened, spread over them
  int field_bytes = 100;   // clear text per field
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureVault(const VaultLoadOptions& options);

}  // namespace sparbar::bench
