// Tamper evidence, end to end: a log written by the real server is changed
// behind the store's back, directly in RocksDB, and `sparbar verify` (the real
// CLI, run as a subprocess) must notice and name where. An auditor's side too:
// `sparbar proof` verifies against an honest server and fails once an event
// was changed under it.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "eventstore/keys.h"
#include "eventstore/log_db.h"
#include "integration/client_util.h"
#include "support/cli_process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#ifndef SPARBAR_CLI_BIN
#error "SPARBAR_CLI_BIN must name the sparbar CLI binary"
#endif

namespace sparbar::testing {
namespace {

constexpr int kEvents = 50;
constexpr uint64_t kTampered = 17;

// Starts a server on `data_dir`, appends kEvents events (over 5 streams, one
// per call), stops it gracefully (final checkpoint) and returns the log's
// verifier key as the server stated it while running.
std::string WriteLog(const std::string& data_dir) {
  ServerProcess server(data_dir);
  auto client_ptr = std::make_unique<Client>(server.address());
  Client& client = *client_ptr;
  for (int i = 0; i < kEvents; ++i) {
    v1::AppendResponse resp;
    auto req = MakeAppend("tamper-" + std::to_string(i % 5),
                          {MakeEvent("tamper.recorded", "{\"n\":" + std::to_string(i) +
                                                            ",\"text\":\"some payload\"}")});
    grpc::Status st = Append(client, req, &resp);
    REQUIRE(st.ok());
    REQUIRE(resp.first_position() == static_cast<uint64_t>(i));
  }
  v1::PublicKey key;
  REQUIRE(client.audit->GetPublicKey(Ctx().get(), v1::GetPublicKeyRequest(), &key).ok());
  // Disconnect first: with a client still connected, the server's graceful
  // shutdown waits out its whole grace period (5 s).
  client_ptr.reset();
  REQUIRE(server.Stop() == 0);
  return key.verifier_key();
}

// Opens the data directory's RocksDB directly, as an attacker with file access would.
// Flips one bit in the payload of the event at `position` (the payload is the
// last field of the canonical encoding, codec.h), leaving it well-formed.
void FlipPayloadBit(const std::string& data_dir, uint64_t position);

std::unique_ptr<LogDb> OpenBehindTheStoresBack(const std::string& data_dir) {
  auto db = LogDb::Open(data_dir, LogDb::Mode::kReadWrite);
  REQUIRE(db.ok());
  return std::move(db).value();
}

rocksdb::WriteOptions Synced() {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return wo;
}

void FlipPayloadBit(const std::string& data_dir, uint64_t position) {
  auto db = OpenBehindTheStoresBack(data_dir);
  std::string bytes;
  REQUIRE(db->db()->Get(rocksdb::ReadOptions(), db->events(), keys::Position(position), &bytes).ok());
  auto before = DecodeEvent(bytes);
  REQUIRE(before.ok());
  REQUIRE(!before->payload.empty());
  bytes.back() ^= 0x01;
  auto after = DecodeEvent(bytes);
  REQUIRE(after.ok());  // still well-formed: only the content changed
  REQUIRE(after->payload != before->payload);
  REQUIRE(db->db()->Put(Synced(), db->events(), keys::Position(position), bytes).ok());
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("sparbar verify detects changes made behind the store's back", "[tamper]") {
  TempDir data;
  const std::string vkey = WriteLog(data.str());
  REQUIRE_FALSE(vkey.empty());
  const std::vector<std::string> verify = {"verify", "--data", data.str(), "--public-key", vkey};

  SECTION("an untouched log verifies") {
    CliResult r = RunCli(verify);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::to_string(kEvents) + " events") != std::string::npos);
    // Also with the key recorded in the data directory.
    CliResult tofu = RunCli({"verify", "--data", data.str()});
    INFO("stdout: " << tofu.out << "\nstderr: " << tofu.err);
    CHECK(tofu.exit_code == 0);
  }

  SECTION("one flipped payload byte is found, within the 16 events under its stored node") {
    FlipPayloadBit(data.str(), kTampered);
    CliResult r = RunCli(verify);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    // The server's log stores its tree from level 4 up: the change is found
    // under node (4, 1), over positions 16 to 31, and named from its first.
    CHECK(r.err.find("verification FAILED at position 16:") != std::string::npos);
    CHECK(r.err.find("(positions 16 to 31)") != std::string::npos);
  }

  SECTION("deleting the last event (truncation) is found") {
    {
      auto db = OpenBehindTheStoresBack(data.str());
      const uint64_t last = kEvents - 1;
      std::string bytes;
      REQUIRE(db->db()->Get(rocksdb::ReadOptions(), db->events(), keys::Position(last), &bytes).ok());
      auto event = DecodeEvent(bytes);
      REQUIRE(event.ok());
      // A careful attacker removes the index entries too.
      rocksdb::WriteBatch batch;
      REQUIRE(batch.Delete(db->events(), keys::Position(last)).ok());
      REQUIRE(batch.Delete(db->streams(), keys::StreamRevision(event->stream, event->revision)).ok());
      REQUIRE(batch.Delete(db->ids(), event->id.raw()).ok());
      REQUIRE(db->db()->Write(Synced(), &batch).ok());
    }
    CliResult r = RunCli(verify);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("verification FAILED") != std::string::npos);
  }

  SECTION("changing a stored tree node alone is found") {
    // Node (level 5, index 0) covers leaves 0 to 31, and the stored nodes
    // (4, 0) and (4, 1) under it stay true; the events stay untouched.
    const std::string key = keys::Node(5, 0);
    {
      auto db = OpenBehindTheStoresBack(data.str());
      std::string node;
      REQUIRE(db->db()->Get(rocksdb::ReadOptions(), db->tree(), key, &node).ok());
      REQUIRE(node.size() == 32);
      node[0] ^= 0x80;
      REQUIRE(db->db()->Put(Synced(), db->tree(), key, node).ok());
    }
    CliResult r = RunCli(verify);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("verification FAILED") != std::string::npos);
    // The node is completed by leaf 31, so that is the position to blame.
    CHECK(r.err.find("position 31:") != std::string::npos);
  }

  SECTION("a data directory that does not exist is a usage error") {
    CliResult r = RunCli({"verify", "--data", data.str() + "/missing"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
  }
}

TEST_CASE("sparbar proof verifies an honest log and fails on a changed event", "[tamper][cli]") {
  TempDir data;
  const std::string vkey = WriteLog(data.str());
  TempDir files;
  const std::string old_note_path = (files.path() / "checkpoint.note").string();

  auto server = std::make_unique<ServerProcess>(data.str());
  // The CLI against whichever server is running now.
  auto cli = [&server](std::vector<std::string> args) {
    const std::vector<std::string> at = {"--server", server->address(), "--actor", "auditor"};
    args.insert(args.begin(), at.begin(), at.end());
    return RunCli(args);
  };

  // The key the auditor holds, and a checkpoint they keep.
  CliResult key = cli({"public-key"});
  REQUIRE(key.exit_code == 0);
  CHECK(key.out == vkey + "\n");
  CliResult note = cli({"checkpoint", "--fresh"});
  REQUIRE(note.exit_code == 0);
  REQUIRE(Contains(note.out, "\n" + std::to_string(kEvents) + "\n"));
  std::ofstream(old_note_path, std::ios::binary) << note.out;

  // The log grows through the CLI.
  for (int i = 0; i < 3; ++i) {
    CliResult a = cli({"append", "--stream", "tamper-cli", "--type", "tamper.cli", "--data", "{\"i\":1}"});
    INFO("stdout: " << a.out << "\nstderr: " << a.err);
    REQUIRE(a.exit_code == 0);
    CHECK(Contains(a.out, "\"first_position\":" + std::to_string(kEvents + i)));
    CHECK(Contains(a.out, "\"first_revision\":" + std::to_string(i)));
  }
  CliResult read = cli({"read", "all", "--from", std::to_string(kTampered), "--limit", "1"});
  REQUIRE(read.exit_code == 0);
  CHECK(Contains(read.out, "\"position\":" + std::to_string(kTampered) + ","));
  CHECK(std::count(read.out.begin(), read.out.end(), '\n') == 1);
  REQUIRE(cli({"checkpoint", "--fresh"}).exit_code == 0);

  SECTION("an honest log: inclusion and consistency proofs verify") {
    CliResult inc = cli({"proof", "inclusion", "--position", std::to_string(kTampered), "--public-key", vkey});
    INFO("inclusion stdout: " << inc.out << "\nstderr: " << inc.err);
    CHECK(inc.exit_code == 0);
    CHECK(Contains(inc.out, "verified"));
    CHECK(Contains(inc.out, "signed checkpoint"));
    CliResult con = cli({"proof", "consistency", "--checkpoint", old_note_path, "--public-key", vkey});
    INFO("consistency stdout: " << con.out << "\nstderr: " << con.err);
    CHECK(con.exit_code == 0);
    CHECK(Contains(con.out, "verified"));
  }

  SECTION("an event changed behind the store's back: its inclusion proof fails") {
    REQUIRE(server->Stop() == 0);
    FlipPayloadBit(data.str(), kTampered);
    server = std::make_unique<ServerProcess>(data.str());
    CliResult inc = cli({"proof", "inclusion", "--position", std::to_string(kTampered), "--public-key", vkey});
    INFO("inclusion stdout: " << inc.out << "\nstderr: " << inc.err);
    CHECK(inc.exit_code == 1);
    CHECK(Contains(inc.err, "proof does NOT verify"));
  }

  SECTION("a key the auditor does not hold is refused") {
    CliResult inc = cli({"proof", "inclusion", "--position", "0", "--public-key", "not-a-key"});
    CHECK(inc.exit_code == 2);
  }
}

}  // namespace sparbar::testing
