// Per-person encryption's building blocks (services/vault/): AES-256-GCM,
// the master keys, the key vault with rotation and destruction, and sealed
// fields that read as disposed once their person's key is gone, with no file
// of the vault holding the key afterwards.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <rocksdb/db.h>

#include "services/vault/aead.h"
#include "services/vault/field_cipher.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"
#include "support/temp_dir.h"

using namespace sparbar;
using namespace sparbar::vault;
using sparbar::testing::TempDir;

namespace {

constexpr char kOld[] = "2025:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
constexpr char kNew[] = "2026:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

MasterKeys Keys(const std::string& text) {
  auto k = MasterKeys::Parse(text);
  REQUIRE(k.ok());
  return std::move(k.value());
}

std::unique_ptr<KeyVault> OpenVault(const std::string& dir, const std::string& keys) {
  auto v = KeyVault::Open(dir, Keys(keys));
  INFO(v.status().message());
  REQUIRE(v.ok());
  return std::move(v.value());
}

// The files under `dir` that hold `bytes`.
std::vector<std::string> FilesHolding(const std::filesystem::path& dir, std::string_view bytes) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content.find(bytes) != std::string::npos) out.push_back(entry.path().filename().string());
  }
  return out;
}
bool AnyFileHolds(const std::filesystem::path& dir, std::string_view bytes) { return !FilesHolding(dir, bytes).empty(); }

std::string_view View(const Key256& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }

}  // namespace

TEST_CASE("AES-256-GCM seals and opens, and refuses another key, another use or a changed byte", "[vault]") {
  auto key = RandomKey();
  REQUIRE(key.ok());
  auto sealed = Seal(*key, "19121212-1212 Tolvan Tolvansson", "decisions.subject");
  REQUIRE(sealed.ok());
  CHECK(sealed->size() == kNonceBytes + 31 + kTagBytes);
  CHECK(sealed->find("Tolvan") == std::string::npos);
  auto opened = Open(*key, *sealed, "decisions.subject");
  REQUIRE(opened.ok());
  CHECK(*opened == "19121212-1212 Tolvan Tolvansson");
  CHECK(Seal(*key, "same", "u").value() != Seal(*key, "same", "u").value());  // a fresh nonce each time
  auto other = RandomKey();
  CHECK(Open(*other, *sealed, "decisions.subject").status().code() == Code::kDataLoss);
  CHECK(Open(*key, *sealed, "access.subject").status().code() == Code::kDataLoss);
  std::string changed = *sealed;
  changed[kNonceBytes + 3] ^= 1;
  CHECK(Open(*key, changed, "decisions.subject").status().code() == Code::kDataLoss);
  CHECK(Open(*key, sealed->substr(0, 20), "decisions.subject").status().code() == Code::kDataLoss);
  CHECK(Open(*key, Seal(*key, "", "").value(), "").value().empty());
}

TEST_CASE("master keys: the first is current, errors name the entry and never the key", "[vault]") {
  const MasterKeys keys = Keys(std::string(kNew) + "\n# the one before\n" + kOld + "\n");
  CHECK(keys.current_id() == "2026");
  CHECK(keys.Find("2025") != nullptr);
  CHECK(keys.Find("2024") == nullptr);
  CHECK(Keys(std::string(kOld) + "," + kNew).current_id() == "2025");
  auto error = [](const std::string& text) { return MasterKeys::Parse(text).status().message(); };
  CHECK_THAT(error(""), Catch::Contains("no master key"));
  CHECK_THAT(error("00112233"), Catch::Contains("entry 1 is not"));
  CHECK_THAT(error("Bad Id:" + std::string(64, 'a')), Catch::Contains("the id must be"));
  CHECK_THAT(error("k:abc"), Catch::Contains("64 hex digits"));
  CHECK_THAT(error("k:" + std::string(63, 'a') + "g"), Catch::Contains("64 hex digits"));
  CHECK_THAT(error("k:" + std::string(64, '0')), Catch::Contains("all zeros"));
  CHECK_THAT(error(std::string(kOld) + "\n" + kOld), Catch::Contains("given twice"));
  CHECK_THAT(error(std::string(kOld) + "\n" + "k:" + std::string(63, 'a') + "g"), !Catch::Contains("00112233"));
}

TEST_CASE("the key vault keeps one key per person, across a restart, and only with its master key", "[vault]") {
  TempDir dir;
  std::string id;
  Key256 key{};
  {
    auto v = OpenVault(dir.str(), kOld);
    auto a = v->KeyFor("pseudonym-a");
    REQUIRE(a.ok());
    CHECK(a->id.size() == kKeyIdBytes);
    auto again = v->KeyFor("pseudonym-a");
    CHECK(again->id == a->id);
    CHECK(again->key == a->key);
    auto b = v->KeyFor("pseudonym-b");
    CHECK(b->id != a->id);
    CHECK(b->key != a->key);
    CHECK(v->Count().value() == 2);
    id = a->id;
    key = a->key;
  }
  {
    auto v = OpenVault(dir.str(), kOld);
    CHECK(v->KeyFor("pseudonym-a")->key == key);
    CHECK(v->KeyById(id).value() == key);
    CHECK(v->KeyById(std::string(kKeyIdBytes, 'x')).status().code() == Code::kNotFound);
  }
  // Not without the master key the keys were wrapped with.
  auto wrong = KeyVault::Open(dir.str(), Keys(kNew));
  CHECK(wrong.status().code() == Code::kDataLoss);
  CHECK_THAT(wrong.status().message(), Catch::Contains("\"2025\", which is not given"));
  // The wrapped key is in the vault's files; the key itself never is.
  CHECK(AnyFileHolds(dir.path(), id));
  CHECK_FALSE(AnyFileHolds(dir.path(), View(key)));
}

TEST_CASE("master key rotation: keys wrapped with the old key are rewrapped with the new one", "[vault]") {
  TempDir dir;
  Key256 key{};
  {
    auto v = OpenVault(dir.str(), kOld);
    key = v->KeyFor("p")->key;
  }
  {
    auto v = OpenVault(dir.str(), std::string(kNew) + "," + kOld);  // the new one current, the old one kept
    CHECK(v->KeyFor("p")->key == key);
    CHECK(v->KeyFor("q").ok());  // wrapped with the new one
    CHECK(v->Rewrap().value() == 1);
    CHECK(v->Rewrap().value() == 0);
  }
  auto v = OpenVault(dir.str(), kNew);  // the old master key can go
  CHECK(v->KeyFor("p")->key == key);
}

TEST_CASE("a destroyed key: its fields read as disposed, and no file of the vault holds it after compaction",
          "[vault]") {
  TempDir dir;
  auto v = OpenVault(dir.str(), kOld);
  auto sealed = SealField(v->KeyFor("person-1").value(), "19121212-1212", "decisions.ApplicationReceived.subject",
                          "event-1");
  REQUIRE(sealed.ok());
  CHECK(IsSealed(*sealed));
  CHECK_FALSE(IsSealed("19121212-1212"));
  CHECK(sealed->find("1212") == std::string::npos);
  CHECK(OpenField(*v, *sealed, "decisions.ApplicationReceived.subject", "event-1").value() == "19121212-1212");
  CHECK(OpenField(*v, *sealed, "access.subject", "event-1").status().code() == Code::kDataLoss);
  // Moved into another event, it does not open either.
  CHECK(OpenField(*v, *sealed, "decisions.ApplicationReceived.subject", "event-2").status().code() == Code::kDataLoss);
  // Sealed again for the same event, the same bytes (a retried append).
  CHECK(SealField(v->KeyFor("person-1").value(), "19121212-1212", "decisions.ApplicationReceived.subject", "event-1")
            .value() == *sealed);
  auto other = SealField(v->KeyFor("person-2").value(), "19390312-5676", "decisions.ApplicationReceived.subject",
                         "event-2");
  REQUIRE(other.ok());
  const DataKey key = v->KeyFor("person-1").value();
  // The key's record as stored: its name and its wrapped bytes (read beside the open vault).
  const std::string record = std::string("k\x01", 2) + key.id;
  std::string wrapped;
  {
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir.str(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    REQUIRE(db->Get(rocksdb::ReadOptions(), record, &wrapped).ok());
  }
  REQUIRE(AnyFileHolds(dir.path(), record));  // the search can find them
  REQUIRE(AnyFileHolds(dir.path(), wrapped));

  auto destroyed = v->Destroy("person-1");
  REQUIRE(destroyed.ok());
  CHECK(*destroyed == key.id);
  const auto gone = OpenField(*v, *sealed, "decisions.ApplicationReceived.subject", "event-1");
  CHECK(gone.status().code() == Code::kNotFound);
  CHECK_THAT(gone.status().message(), Catch::Contains("disposed"));
  CHECK(OpenField(*v, *other, "decisions.ApplicationReceived.subject", "event-2").value() == "19390312-5676");
  CHECK(v->Destroy("person-1").status().code() == Code::kNotFound);
  // The id itself stays (as it does in the log), marking it destroyed; the key does not.
  const auto holding = FilesHolding(dir.path(), record);
  for (const auto& f : holding) UNSCOPED_INFO("holds the key's record: " << f);
  CHECK(holding.empty());
  CHECK(FilesHolding(dir.path(), wrapped).empty());
  CHECK(FilesHolding(dir.path(), View(key.key)).empty());
  CHECK(FilesHolding(dir.path(), std::string("p\x01person-1", 10)).empty());
  // New data about the person gets a new key; the old fields stay disposed.
  auto fresh = v->KeyFor("person-1");
  CHECK(fresh->id != key.id);
  v.reset();
  auto reopened = OpenVault(dir.str(), kOld);
  CHECK(OpenField(*reopened, *sealed, "decisions.ApplicationReceived.subject", "event-1").status().code() ==
        Code::kNotFound);
  CHECK(reopened->Count().value() == 2);
}
