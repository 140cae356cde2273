// Gallring.Plan and `sparbar gallring plan` against the real server: the
// files gathered from the decisions cases, judged by the shipped retention
// rules (config/gallring.json), people named by pseudonym only, and the call
// itself recorded with its scope. `sparbar gallring run`: what disposal
// leaves (issue 7, point 3), searched for in every file of the data directory.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <rocksdb/db.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <string>
#include <vector>

#include "integration/client_util.h"
#include "integration/decisions_util.h"
#include "services/access/subject_key.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

// The UTC date `days` from today, YYYY-MM-DD.
std::string UtcDate(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[11];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

}  // namespace

TEST_CASE("sparbar gallring plan: files due five years after their last entry, research days kept, no personnummer",
          "[integration][gallring]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("tolvan", "19121212-1212"), Investigation("tolvan")});
  RecordAll(c, {Application("forskning", "19390315-1235")});  // born on the 15th
  auto plan = [&](const std::string& as_of) {
    return RunCli({"--server", server.address(), "gallring", "plan", "--as-of", as_of, "--format", "json"});
  };

  // Recorded today: nothing is due for five years.
  CliResult now = plan(UtcDate(0));
  INFO(now.err);
  REQUIRE(now.exit_code == 0);
  auto doc = nlohmann::json::parse(now.out);
  REQUIRE(doc["entries"].size() == 2);
  CHECK(doc["to_dispose"] == "0");
  CHECK(doc["cases"] == "2");
  for (const auto& e : doc["entries"]) {
    CHECK((e["verdict"] == "ej_aktuell" || e["verdict"] == "forskningsundantag"));
  }
  // Six years on, Tolvan's file is due; the one born on the 15th is kept.
  CliResult later = plan(UtcDate(6 * 365 + 2));
  REQUIRE(later.exit_code == 0);
  doc = nlohmann::json::parse(later.out);
  REQUIRE(doc["entries"].size() == 2);
  CHECK(doc["to_dispose"] == "1");
  int disposed = 0, research = 0;
  for (const auto& e : doc["entries"]) {
    disposed += e["verdict"] == "gallras";
    research += e["verdict"] == "forskningsundantag";
    if (e["verdict"] == "gallras") CHECK_THAT(e["reason"].get<std::string>(), Catch::Contains("5 years after"));
  }
  CHECK(disposed == 1);
  CHECK(research == 1);
  CHECK(later.out.find("1212") == std::string::npos);
  CHECK(later.out.find("1235") == std::string::npos);
  CHECK_THAT(later.err, Catch::Contains("1 of 2 files to be disposed of"));
  CliResult csv = RunCli({"--server", server.address(), "gallring", "plan", "--as-of", UtcDate(6 * 365 + 2)});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("pseudonym,beslut,gallringsplikt,senast,forsenad,skal\r\n", 0) == 0);

  // A malformed day is refused, naming the field; each plan's call is recorded with its scope.
  CliResult bad = plan("2026-13-01");
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("INVALID_ARGUMENT"));
  CHECK_THAT(bad.err, Catch::Contains("as_of"));
  int recorded = 0;
  for (const auto& e : ReadWholeLog(c.base, 0, /*own_records=*/true)) {
    recorded += e.stream() == "anrop-sparbar" && e.payload().find("sparbar.v1.gallring.Gallring/Plan") != std::string::npos;
  }
  CHECK(recorded == 4);
}

namespace {

namespace ac = sparbar::v1::access;

// Every regular file under `root` whose bytes hold `needle`.
std::vector<std::string> FilesHolding(const std::filesystem::path& root, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) out.push_back(entry.path().string());
  }
  return out;
}

// Every key and value of every RocksDB instance under `root` (each
// projection's), with all its column families, holding `needle`: what a
// search of the files could miss in compressed blocks.
size_t EntriesHolding(const std::filesystem::path& root, const std::string& needle) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!std::filesystem::exists(entry.path() / "CURRENT")) continue;
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), entry.path().string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), entry.path().string(), families, &handles, &raw).ok());
    for (auto* h : handles) {
      std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), h));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        n += it->key().ToString().find(needle) != std::string::npos || it->value().ToString().find(needle) != std::string::npos;
      }
      raw->DestroyColumnFamilyHandle(h);
    }
    delete raw;
  }
  return n;
}

// A case migrated from an older system: its application, dated `received`,
// appended through the log's API with its original time, so that its last
// entry lies years back.
void AppendMigratedCase(Client& c, const std::string& case_id, const std::string& pnr, const std::string& received,
                        int64_t occurred_seconds) {
  d::ApplicationReceived a;
  a.mutable_subject()->set_personal_identity_number(pnr);
  a.mutable_subject()->set_sex(d::SEX_KVINNA);
  a.set_received_date(received);
  a.set_unit("unit-1");
  a.set_insats_applied("hemtjanst");
  v1::EventData e = MakeEvent("sparbar.v1.decisions.ApplicationReceived", a.SerializeAsString());
  e.set_content_type("application/x-protobuf");
  e.mutable_occurred_at()->set_seconds(occurred_seconds);
  v1::AppendResponse out;
  const grpc::Status st = Append(c, MakeAppend("beslut-" + case_id, {e}, ExpectNoStream()), &out);
  INFO(st.error_message());
  REQUIRE(st.ok());
}

std::vector<ac::RecordedAccess> AccessesOf(Client& c, const std::string& user) {
  auto stub = ac::AccessLog::NewStub(c.channel);
  ac::ListAccessesRequest req;
  req.set_user_hsa_id(user);
  req.mutable_from()->set_seconds(0);
  req.mutable_to()->set_seconds(std::time(nullptr) + 3600);
  auto ctx = Ctx();
  ctx->AddMetadata("x-sparbar-roles", "loggranskare");
  ac::ListAccessesResponse resp;
  const grpc::Status st = stub->ListAccesses(ctx.get(), req, &resp);
  INFO(st.error_message());
  REQUIRE(st.ok());
  return {resp.accesses().begin(), resp.accesses().end()};
}

}  // namespace

TEST_CASE("sparbar gallring run: the person's key destroyed, the events and every proof kept, reads show the data "
          "disposed, rebuilt projections and every file without a trace",
          "[integration][gallring]") {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::string tolvan = "191212121212";
  std::string pseudonym;
  std::string wrapped_key;  // the vault's stored record of Tolvan's key
  std::string case_before;  // the case's event as the log holds it
  {
    ServerProcess server(data);
    Client c(server.address());
    // Tolvan's case ended in 2018; Siv (born on the 15th) is kept for research.
    AppendMigratedCase(c, "tolvan-2018", tolvan, "2018-03-01", 1519862400);
    AppendMigratedCase(c, "siv-2018", "193903151235", "2018-03-01", 1519862400);
    // A caseworker reads Tolvan's case: the read is in the access log, naming Tolvan.
    v1::ReadStreamRequest read;
    read.set_stream("beslut-tolvan-2018");
    v1::ReadStreamResponse page;
    auto ctx = Ctx("hsa-anna");
    REQUIRE(c.es->ReadStream(ctx.get(), read, &page).ok());
    REQUIRE(page.events_size() == 1);
    case_before = page.events(0).SerializeAsString();
    CHECK(page.events(0).payload().find(tolvan) == std::string::npos);  // the log holds the number sealed
    auto before = AccessesOf(c, "hsa-anna");
    REQUIRE(before.size() == 1);
    CHECK(before[0].access().subject().personal_identity_number() == tolvan);
    CHECK_FALSE(before[0].access().subject().disposed());

    // The key as the vault stores it, found by the search before the run.
    auto subject_key = access::SubjectKey::LoadOrCreate(data + "/keys/access-index.key");
    REQUIRE(subject_key.ok());
    pseudonym = subject_key->Of(tolvan);
    {
      auto keys = vault::MasterKeys::LoadFile(data + "/keys/dev-master.keys");
      REQUIRE(keys.ok());
      auto kv = vault::KeyVault::OpenReadOnly(data + "/vault", std::move(keys.value()));
      REQUIRE(kv.ok());
      auto id = (*kv)->KeyIdOf(pseudonym);
      REQUIRE(id.ok());
      rocksdb::DB* raw = nullptr;
      REQUIRE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), data + "/vault", &raw).ok());
      std::unique_ptr<rocksdb::DB> db(raw);
      REQUIRE(db->Get(rocksdb::ReadOptions(), std::string("k\x01", 2) + *id, &wrapped_key).ok());
    }
    REQUIRE(wrapped_key.size() > 32);
    CHECK(server.Stop() == 0);
  }
  // The searches can find what they look for: the stored key in the vault's
  // files, Tolvan's pseudonym in the projections (flushed at the stop).
  REQUIRE_FALSE(FilesHolding(data, wrapped_key).empty());
  REQUIRE(EntriesHolding(data + "/projections", pseudonym) > 0);
  {
    ServerProcess server(data);
    Client c(server.address());
    v1::ReadStreamRequest read;
    read.set_stream("beslut-tolvan-2018");
    v1::ReadStreamResponse page;
    // The plan as of today disposes of Tolvan's file; a run expecting another number disposes of nothing.
    CliResult plan = RunCli({"--server", server.address(), "gallring", "plan", "--format", "json"});
    REQUIRE(plan.exit_code == 0);
    CHECK(nlohmann::json::parse(plan.out)["to_dispose"] == "1");
    CliResult wrong = RunCli({"--server", server.address(), "gallring", "run", "--expect", "2"});
    CHECK(wrong.exit_code == 1);
    CHECK_THAT(wrong.err, Catch::Contains("FAILED_PRECONDITION"));
    CHECK_THAT(wrong.err, Catch::Contains("disposes of 1 files, not the 2 expected"));
    CHECK(AccessesOf(c, "hsa-anna")[0].access().subject().personal_identity_number() == tolvan);
    CliResult future = RunCli({"--server", server.address(), "gallring", "run", "--expect", "1", "--as-of",
                               UtcDate(400)});
    CHECK(future.exit_code == 1);
    CHECK_THAT(future.err, Catch::Contains("after today"));

    const uint64_t size_before = FreshSize(c);
    CliResult run = RunCli({"--server", server.address(), "gallring", "run", "--expect", "1"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("1 files disposed of"));

    // One disposal event, holding no personal data; the case's event unchanged.
    std::vector<v1::RecordedEvent> disposals;
    for (const auto& e : ReadWholeLog(c)) {
      if (e.stream() == "gallring") disposals.push_back(e);
    }
    REQUIRE(disposals.size() == 1);
    CHECK(disposals[0].position() >= size_before);
    CHECK(disposals[0].type() == "sparbar.v1.gallring.PersonDisposed");
    CHECK(disposals[0].payload().find(pseudonym) == std::string::npos);
    CHECK(disposals[0].payload().find(tolvan) == std::string::npos);
    REQUIRE(c.es->ReadStream(Ctx("hsa-anna").get(), read, &page).ok());
    REQUIRE(page.events_size() == 1);
    CHECK(page.events(0).SerializeAsString() == case_before);

    // Reads show the data as disposed: the access stays the user's, and names no one.
    auto after = AccessesOf(c, "hsa-anna");
    REQUIRE(after.size() >= 1);
    CHECK(after[0].access().subject().disposed());
    CHECK(after[0].access().subject().personal_identity_number().empty());
    // The plan no longer sees the file; a second run disposes of nothing.
    plan = RunCli({"--server", server.address(), "gallring", "plan", "--format", "json"});
    REQUIRE(plan.exit_code == 0);
    auto doc = nlohmann::json::parse(plan.out);
    CHECK(doc["to_dispose"] == "0");
    CHECK(doc["disposed_cases"] == "1");
    CHECK(doc["entries"].size() == 1);  // Siv's, kept for research
    CHECK(server.Stop() == 0);
  }
  // Every proof still holds.
  CliResult verify = RunCli({"verify", "--data", data});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  // No file holds the destroyed key any more, and projections rebuilt from position 0 hold no trace of Tolvan.
  const auto holding = FilesHolding(data, wrapped_key);
  for (const auto& f : holding) UNSCOPED_INFO("holds the wrapped key: " << f);
  CHECK(holding.empty());
  std::filesystem::remove_all(data + "/projections");
  {
    ServerProcess server(data);
    Client c(server.address());
    auto rebuilt = AccessesOf(c, "hsa-anna");  // waits for the access index to catch up
    REQUIRE_FALSE(rebuilt.empty());
    CHECK(rebuilt[0].access().subject().disposed());
    CHECK(server.Stop() == 0);
  }
  CHECK(FilesHolding(data + "/projections", pseudonym).empty());
  CHECK(FilesHolding(data + "/projections", tolvan).empty());
  CHECK(EntriesHolding(data + "/projections", pseudonym) == 0);
  CHECK(EntriesHolding(data + "/projections", tolvan) == 0);
}

TEST_CASE("sparbar backup and restore: the log and the vault apart, a restored store verifies, and a disposal "
          "reaches the log's older backups through the vault's",
          "[integration][gallring][backup]") {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::string b = (dir.path() / "backups").string();
  {
    ServerProcess server(data);
    Client c(server.address());
    AppendMigratedCase(c, "tolvan-2018", "191212121212", "2018-03-01", 1519862400);
    DecisionsClient d(server.address());
    RecordAll(d, {Application("nu", "19500101-1237")});
    auto cli = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"--server", server.address()});
      return RunCli(args);
    };
    // The log's backup and the vault's, before the gallring run.
    CliResult first = cli({"backup", "--to", b + "/log-1", "--vault-to", b + "/vault-1"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::Contains("vault: 2 data keys"));
    CHECK(std::filesystem::exists(b + "/log-1/CURRENT"));
    CHECK(std::filesystem::exists(b + "/log-1/log-signing-key.pem"));
    CHECK_FALSE(std::filesystem::exists(b + "/log-1/vault"));  // no key in the log's backup
    CHECK_FALSE(std::filesystem::exists(b + "/log-1/keys"));
    CHECK(std::filesystem::exists(b + "/vault-1/vault/CURRENT"));
    CHECK(std::filesystem::exists(b + "/vault-1/keys/access-index.key"));
    // Refused, writing nothing: an existing directory, one inside the data, the vault's inside the log's.
    CliResult again = cli({"backup", "--to", b + "/log-1"});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Catch::Contains("ALREADY_EXISTS"));
    CliResult inside = cli({"backup", "--to", data + "/backup"});
    CHECK_THAT(inside.err, Catch::Contains("INVALID_ARGUMENT"));
    CHECK_FALSE(std::filesystem::exists(data + "/backup"));
    CliResult nested = cli({"backup", "--to", b + "/log-x", "--vault-to", b + "/log-x/vault"});
    CHECK_THAT(nested.err, Catch::Contains("INVALID_ARGUMENT"));
    CHECK_FALSE(std::filesystem::exists(b + "/log-x"));

    // The run disposes of Tolvan's file; the vault's backup made after it lacks Tolvan's key.
    CliResult run = cli({"gallring", "run", "--expect", "1"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CliResult second = cli({"backup", "--to", b + "/log-2", "--vault-to", b + "/vault-2"});
    REQUIRE(second.exit_code == 0);
    CHECK_THAT(second.out, Catch::Contains("vault: 1 data keys"));
    CHECK(server.Stop() == 0);
  }
  // The plan of a store restored from `log` with `vault`, as JSON.
  auto restored_plan = [&](const std::string& name, const std::string& log, const std::string& vault) {
    const std::string target = (dir.path() / name).string();
    std::vector<std::string> args = {"restore", "--from", b + "/" + log, "--data", target};
    if (!vault.empty()) args.insert(args.end(), {"--vault-from", b + "/" + vault});
    CliResult r = RunCli(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("verified"));
    ServerProcess server(target);
    CliResult plan = RunCli({"--server", server.address(), "gallring", "plan", "--format", "json"});
    REQUIRE(plan.exit_code == 0);
    CHECK(server.Stop() == 0);
    return nlohmann::json::parse(plan.out);
  };
  // The log's backup from before the run, with the vault's from after it:
  // Tolvan's data stays disposed; the other person's opens.
  auto after = restored_plan("restored-after", "log-1", "vault-2");
  CHECK(after["disposed_cases"] == "1");
  CHECK(after["entries"].size() == 1);
  CHECK(after["to_dispose"] == "0");
  // With the vault's backup from before the run Tolvan's data would open
  // again: why the procedure deletes the vault's backups older than a run.
  auto before = restored_plan("restored-before", "log-1", "vault-1");
  CHECK(before["disposed_cases"] == "0");
  CHECK(before["to_dispose"] == "1");
  // Without a vault, every person's data reads as disposed.
  auto no_vault = restored_plan("restored-bare", "log-2", "");
  CHECK(no_vault["disposed_cases"] == "2");
  // The vault named at its default place, inside the new data directory.
  const std::string named = (dir.path() / "restored-vault-named").string();
  CliResult named_vault = RunCli({"restore", "--from", b + "/log-1", "--vault-from", b + "/vault-2", "--data", named,
                                  "--vault", named + "/vault"});
  INFO(named_vault.err);
  CHECK(named_vault.exit_code == 0);
  CHECK(std::filesystem::exists(named + "/CURRENT"));
  CHECK(std::filesystem::exists(named + "/vault/CURRENT"));
  // The vault cannot be the data directory itself.
  const std::string same = (dir.path() / "restored-vault-same").string();
  CliResult same_dir = RunCli({"restore", "--from", b + "/log-1", "--vault-from", b + "/vault-2", "--data", same,
                               "--vault", same});
  CHECK(same_dir.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(same));
  // A restore refuses a directory that holds files.
  CliResult occupied = RunCli({"restore", "--from", b + "/log-1", "--data", data});
  CHECK(occupied.exit_code == 2);
  CHECK_THAT(occupied.err, Catch::Contains("new or empty directory"));
  // An empty directory made for the restore is taken. (Before the damage
  // below: the backups share their table files with the data by hard link.)
  const std::string made = (dir.path() / "restored-into-empty").string();
  std::filesystem::create_directories(made);
  CliResult into_empty = RunCli({"restore", "--from", b + "/log-1", "--data", made});
  INFO(into_empty.err);
  CHECK(into_empty.exit_code == 0);
  CHECK(std::filesystem::exists(made + "/CURRENT"));
  // So is one behind a symlink (or a mount point): filled in place, the link kept.
  const std::string disk = (dir.path() / "other-disk").string(), link = (dir.path() / "restored-link").string();
  std::filesystem::create_directories(disk);
  std::filesystem::create_directory_symlink(disk, link);
  CliResult through_link = RunCli({"restore", "--from", b + "/log-1", "--data", link});
  INFO(through_link.err);
  CHECK(through_link.exit_code == 0);
  CHECK(std::filesystem::is_symlink(link));
  CHECK(std::filesystem::exists(disk + "/CURRENT"));
  // A backup that was changed does not restore.
  const std::string broken = (dir.path() / "restored-broken").string();
  for (const auto& entry : std::filesystem::directory_iterator(b + "/log-2")) {
    if (entry.path().extension() == ".sst") std::filesystem::resize_file(entry.path(), 100);
  }
  CliResult bad = RunCli({"restore", "--from", b + "/log-2", "--data", broken});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("partial restore is removed"));
  CHECK_FALSE(std::filesystem::exists(broken));
  // Into an empty directory made for it: the directory is left as it was.
  const std::string waiting = (dir.path() / "restored-broken-into-empty").string();
  std::filesystem::create_directories(waiting);
  CliResult bad_into_empty = RunCli({"restore", "--from", b + "/log-2", "--data", waiting});
  CHECK(bad_into_empty.exit_code == 1);
  CHECK(std::filesystem::is_directory(waiting));
  CHECK(std::filesystem::is_empty(waiting));
  // Each was copied and verified beside its target, and nothing of it is left.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().find(".partial-") == std::string::npos);
  }
}

TEST_CASE("backups racing for one vault directory: one is written whole, the others are refused and remove "
          "nothing of it",
          "[integration][backup]") {
  TempDir dir;
  const std::string b = (dir.path() / "backups").string();
  ServerProcess server((dir.path() / "data").string());
  Client c(server.address());
  AppendMigratedCase(c, "tolvan-2018", "191212121212", "2018-03-01", 1519862400);
  constexpr int kRacers = 4;
  std::vector<std::future<CliResult>> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.push_back(std::async(std::launch::async, [&, i] {
      return RunCli({"--server", server.address(), "backup", "--to", b + "/log-" + std::to_string(i), "--vault-to",
                     b + "/vault"});
    }));
  }
  int written = 0;
  for (auto& r : racers) {
    const CliResult result = r.get();
    INFO(result.err);
    if (result.exit_code == 0) {
      ++written;
    } else {
      CHECK(result.exit_code == 1);
      CHECK_THAT(result.err, Catch::Contains("ALREADY_EXISTS"));
    }
  }
  CHECK(written == 1);
  // The one that was reported written is there, whole.
  CHECK(std::filesystem::exists(b + "/vault/vault/CURRENT"));
  CHECK(std::filesystem::exists(b + "/vault/keys/access-index.key"));
  auto keys = vault::MasterKeys::LoadFile(b + "/vault/keys/dev-master.keys");
  REQUIRE(keys.ok());
  auto vault = vault::KeyVault::OpenReadOnly(b + "/vault/vault", std::move(keys.value()));
  INFO(vault.status().message());
  REQUIRE(vault.ok());
  CHECK(vault.value()->Count().value() == 1);
  // No staging directory is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(b)) {
    CHECK(entry.path().filename().string().find(".partial-") == std::string::npos);
  }
  CHECK(server.Stop() == 0);
}

TEST_CASE("sparbar gallring hold and release: a file under a legal hold is spärrad and not disposed of",
          "[integration][gallring]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Client c(server.address());
  AppendMigratedCase(c, "tolvan-2018", "191212121212", "2018-03-01", 1519862400);
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address(), "gallring"});
    return RunCli(args);
  };
  auto plan = [&] {
    CliResult r = cli({"plan", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  };
  CHECK(plan()["to_dispose"] == "1");

  CliResult held = cli({"hold", "--id", "FN-2026-118", "--person", "19121212-1212", "--reason",
                        "överklagande till förvaltningsrätten"});
  INFO(held.err);
  REQUIRE(held.exit_code == 0);
  auto doc = plan();
  CHECK(doc["to_dispose"] == "0");
  REQUIRE(doc["entries"].size() == 1);
  CHECK(doc["entries"][0]["verdict"] == "spärrad");
  CliResult run = cli({"run", "--expect", "0"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("0 files disposed of"));
  // The hold's event names the person sealed, like every event.
  v1::ReadStreamRequest read;
  read.set_stream("gallring-sparr-FN-2026-118");
  v1::ReadStreamResponse page;
  REQUIRE(c.es->ReadStream(Ctx().get(), read, &page).ok());
  REQUIRE(page.events_size() == 1);
  CHECK(page.events(0).payload().find("191212121212") == std::string::npos);

  // Refused, writing nothing.
  const uint64_t before = WrittenSize(c);
  CHECK_THAT(cli({"hold", "--id", "FN-2026-118", "--person", "19121212-1212", "--reason", "igen"}).err,
             Catch::Contains("ALREADY_EXISTS"));
  CHECK_THAT(cli({"hold", "--id", "FN-2026-119", "--person", "19121212-1212", "--reason", "gäller 19121212-1212"}).err,
             Catch::Contains("reason holds a personnummer"));
  CHECK_THAT(cli({"hold", "--id", "FN 119", "--person", "19121212-1212", "--reason", "x"}).err,
             Catch::Contains("INVALID_ARGUMENT"));
  CHECK_THAT(cli({"release", "--id", "FN-2026-999", "--reason", "x"}).err, Catch::Contains("NOT_FOUND"));
  CHECK(WrittenSize(c) == before);

  CliResult released = cli({"release", "--id", "FN-2026-118", "--reason", "domen har vunnit laga kraft"});
  REQUIRE(released.exit_code == 0);
  CHECK(plan()["to_dispose"] == "1");
  CHECK_THAT(cli({"release", "--id", "FN-2026-118", "--reason", "igen"}).err, Catch::Contains("FAILED_PRECONDITION"));
}
