// Staged directories (eventstore/staged_dir.h): publishing never replaces
// or mixes into a directory that exists.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "eventstore/staged_dir.h"
#include "support/temp_dir.h"

namespace sparbar {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_CASE("a staged directory is published under its name, beside which it was staged", "[staged_dir]") {
  TempDir dir;
  const std::string target = (dir.path() / "backup-1").string();
  const std::string staging = StagingDirFor(target);
  CHECK(fs::path(staging).parent_path() == dir.path());
  CHECK(fs::path(staging).filename().string().rfind("backup-1.partial-", 0) == 0);
  CHECK(StagingDirFor(target) != staging);  // each writer its own
  CHECK(StagingDirFor(target + "/").rfind(target + ".partial-", 0) == 0);
  WriteFile(fs::path(staging) / "CURRENT", "one");
  REQUIRE(PublishDir(staging, target).ok());
  CHECK(ReadFile(fs::path(target) / "CURRENT") == "one");
  CHECK_FALSE(fs::exists(staging));
}

TEST_CASE("publishing onto a directory that exists changes neither, and says AlreadyExists", "[staged_dir]") {
  TempDir dir;
  const fs::path target = dir.path() / "backup-1";
  WriteFile(target / "CURRENT", "first");
  const std::string staging = StagingDirFor(target.string());
  WriteFile(fs::path(staging) / "CURRENT", "second");
  Status s = PublishDir(staging, target.string());
  CHECK(s.code() == Code::kAlreadyExists);
  CHECK(ReadFile(target / "CURRENT") == "first");
  CHECK(ReadFile(fs::path(staging) / "CURRENT") == "second");  // left for the caller
  RemoveStaging(staging);
  CHECK_FALSE(fs::exists(staging));
  CHECK(ReadFile(target / "CURRENT") == "first");

  // An empty directory in the way is refused too: it was someone's.
  const fs::path empty = dir.path() / "empty";
  fs::create_directories(empty);
  const std::string other = StagingDirFor(empty.string());
  WriteFile(fs::path(other) / "CURRENT", "third");
  CHECK(PublishDir(other, empty.string()).code() == Code::kAlreadyExists);
  CHECK(fs::is_empty(empty));
}

}  // namespace
}  // namespace sparbar
