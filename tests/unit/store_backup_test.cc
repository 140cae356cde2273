// EventStore::Backup: a backup directory appears whole or not at all, and
// two backups racing for one directory never remove each other's files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "eventstore/log_verifier.h"
#include "store_test_util.h"

namespace sparbar {
namespace {

namespace fs = std::filesystem;
using testing::MakeEvents;
using testing::OpenStore;
using testing::TempDir;
using testing::TestOptions;

// Entries of `parent` other than the named ones (a staging directory left behind).
std::vector<std::string> Others(const fs::path& parent, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(parent)) {
    const std::string name = entry.path().filename().string();
    if (std::find(names.begin(), names.end(), name) == names.end()) out.push_back(name);
  }
  return out;
}

TEST_CASE("a backup written while others race for the same directory is the one that stays, whole",
          "[store][backup]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  REQUIRE(store->Append("case-1", ExpectedRevision::Any(), MakeEvents(40), "tester", std::nullopt).ok());
  const fs::path parent = dir.path() / "backups";
  constexpr int kRounds = 6, kThreads = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string target = (parent / ("b" + std::to_string(round))).string();
    std::atomic<int> go{0};
    std::vector<Result<uint64_t>> results(kThreads, Status::Internal("not run"));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ++go;
        while (go.load() < kThreads) std::this_thread::yield();
        results[static_cast<size_t>(t)] = store->Backup(target);
      });
    }
    for (auto& t : threads) t.join();
    int written = 0;
    for (const auto& r : results) {
      if (r.ok()) {
        ++written;
        CHECK(r.value() == 40);
      } else {
        CHECK(r.status().code() == Code::kAlreadyExists);
      }
    }
    INFO("round " << round);
    CHECK(written == 1);
    // What a reported success wrote is there, and verifies.
    auto report = VerifyDataDir(target, "", nullptr);
    REQUIRE(report.ok());
    CHECK(report->ok);
    CHECK(report->events_checked == 40);
  }
  std::vector<std::string> names;
  for (int round = 0; round < kRounds; ++round) names.push_back("b" + std::to_string(round));
  CHECK(Others(parent, names).empty());
}

TEST_CASE("a backup into a directory that exists writes nothing there", "[store][backup]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  REQUIRE(store->Append("case-1", ExpectedRevision::Any(), MakeEvents(3), "tester", std::nullopt).ok());
  const fs::path target = dir.path() / "taken";
  fs::create_directories(target);
  auto r = store->Backup(target.string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kAlreadyExists);
  CHECK(fs::is_empty(target));
  CHECK(Others(dir.path(), {"data", "taken"}).empty());
}

}  // namespace
}  // namespace sparbar
