#include "vault_load.h"

#include "report_format.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "services/vault/field_cipher.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"

namespace sparbar::bench {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string MeasureVault(const VaultLoadOptions& o) {
  auto master = vault::MasterKeys::Parse("bench:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  auto v = vault::KeyVault::Open(o.dir, std::move(master.value()));
  if (!v.ok()) throw std::runtime_error(v.status().ToString());
  vault::KeyVault& kv = **v;
  std::ostringstream out;
  out << "| measurement | count | time | per operation |\n|---|---:|---:|---:|\n";
  auto row = [&](const std::string& what, int n, double seconds) {
    char line[256];
    std::snprintf(line, sizeof line, "| %s | %d | %.3f s | %.2f µs |\n", what.c_str(), n, seconds, seconds / n * 1e6);
    out << line;
    std::cerr << "  " << line;
  };
  auto pseudonym = [](int i) { return "person-" + std::to_string(i); };

  auto t0 = Clock::now();
  for (int i = 0; i < o.people; ++i) {
    if (!kv.KeyFor(pseudonym(i)).ok()) throw std::runtime_error("KeyFor failed");
  }
  row("a new person's data key: made, wrapped, stored (synced)", o.people, SecondsSince(t0));

  const std::string clear(static_cast<size_t>(o.field_bytes), 'x');
  std::vector<std::string> sealed;
  sealed.reserve(static_cast<size_t>(o.fields));
  t0 = Clock::now();
  for (int i = 0; i < o.fields; ++i) {
    auto key = kv.KeyFor(pseudonym(i % o.people));
    if (!key.ok()) throw std::runtime_error("KeyFor failed");
    auto s = vault::SealField(*key, clear, "bench.field", std::to_string(i));
    if (!s.ok()) throw std::runtime_error("SealField failed");
    sealed.push_back(std::move(s.value()));
  }
  row("seal a " + std::to_string(o.field_bytes) + "-byte field, key cached", o.fields, SecondsSince(t0));

  t0 = Clock::now();
  for (size_t i = 0; i < sealed.size(); ++i) {
    if (!vault::OpenField(kv, sealed[i], "bench.field", std::to_string(i)).ok()) {
      throw std::runtime_error("OpenField failed");
    }
  }
  row("open it again, key cached", o.fields, SecondsSince(t0));

  t0 = Clock::now();
  const int destroy = std::min(o.people, 100);
  for (int i = 0; i < destroy; ++i) {
    if (!kv.Destroy(pseudonym(i)).ok()) throw std::runtime_error("Destroy failed");
  }
  row("destroy a key (flush, compaction, MANIFEST rewrite, purge)", destroy, SecondsSince(t0));

  // As gallring run does: a year's people in one batch, one compaction.
  std::vector<std::string> batch;
  for (int i = destroy; i < std::min(o.people, destroy + 1000); ++i) batch.push_back(pseudonym(i));
  t0 = Clock::now();
  auto destroyed = kv.DestroyAll(batch);
  if (!destroyed.ok() || destroyed->size() != batch.size()) throw std::runtime_error("DestroyAll failed");
  row("destroy keys in one batch of " + std::to_string(batch.size()) + " (one compaction)",
      static_cast<int>(batch.size()), SecondsSince(t0));
  return out.str();
}

}  // namespace sparbar::bench
