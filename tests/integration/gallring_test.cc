// Gallring.Plan and `sparbar gallring plan` against the real server: the
// files gathered from the decisions cases, judged by the shipped retention
// rules (config/gallring.json), people named by pseudonym only, and the call
// itself recorded with its scope.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>

#include "integration/client_util.h"
#include "integration/decisions_util.h"
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
