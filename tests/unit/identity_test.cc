// Who a mutual-TLS caller is: the identities file (services/identities.h)
// and the id a client certificate names (services/certificate_caller.h),
// with certificates made by the test (support/test_pki.h).
#include <catch2/catch.hpp>

#include "services/certificate_caller.h"
#include "services/identities.h"
#include "support/test_pki.h"
#include "unit/decider_steps.h"

using namespace sparbar;
using namespace sparbar::services;

TEST_CASE("the identities file gives each certificate holder roles and units, and names what is wrong",
          "[identity]") {
  auto ok = Identities::FromJson(R"({"identities": [
      {"id": "SE2321000230-1A2B", "name": "Anna Lind", "roles": ["loggranskare", "handlaggare"], "units": ["Midskogen"]},
      {"id": "procapita-integration", "certificate": "cn", "roles": ["integration"]}]})");
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());
  CHECK(ok->size() == 2);
  const Identity* anna = ok->Find(CertificateField::kSerialNumber, "SE2321000230-1A2B");
  REQUIRE(anna != nullptr);
  CHECK(anna->roles == std::vector<std::string>{"loggranskare", "handlaggare"});
  CHECK(anna->units == std::vector<std::string>{"Midskogen"});
  CHECK(ok->Find(CertificateField::kCommonName, "procapita-integration")->units.empty());
  CHECK(ok->Find(CertificateField::kSerialNumber, "SE2321000230-9Z9Z") == nullptr);
  // A common name never passes for an HSA-id, nor the other way round.
  CHECK(ok->Find(CertificateField::kCommonName, "SE2321000230-1A2B") == nullptr);
  CHECK(ok->Find(CertificateField::kSerialNumber, "procapita-integration") == nullptr);

  using testing::CheckStatus;
  CheckStatus(Identities::FromJson(R"({"identities": [{"id": "a"}, {"id": "a"}]})").status(), Code::kInvalidArgument,
              "identities[1], \"id\" a is named twice");
  CheckStatus(Identities::FromJson(R"({"identities": [{"name": "x"}]})").status(), Code::kInvalidArgument,
              "identities[0], needs an \"id\"");
  CheckStatus(Identities::FromJson(R"({"identities": [{"id": "a", "roles": ["Loggranskare"]}]})").status(),
              Code::kInvalidArgument, "\"roles\" holds something that is not roles");
  CheckStatus(Identities::FromJson(R"({"identities": [{"id": "a", "units": [""]}]})").status(),
              Code::kInvalidArgument, "\"units\" holds something");
  CheckStatus(Identities::FromJson(R"({"people": []})").status(), Code::kInvalidArgument, "a list \"identities\"");
  CheckStatus(Identities::FromJson(R"({"identities": [{"id": "a", "certificate": "email"}]})").status(),
              Code::kInvalidArgument, "\"certificate\" must be");
  const Status pnr = Identities::FromJson(R"({"identities": [{"id": "191212121212"}]})").status();
  CheckStatus(pnr, Code::kInvalidArgument, "\"id\" holds a personnummer");
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  CHECK(Identities::FromJson(R"({"identities": [{"id": "a"}, {"id": "a", "certificate": "cn"}]})").ok());
  CheckStatus(Identities::FromJson("{").status(), Code::kInvalidArgument, "not valid JSON");
  CHECK(Identities::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/identiteter.example.json").ok());
}

TEST_CASE("a client certificate names its holder by the HSA-id in serialNumber, else by its common name",
          "[identity]") {
  sparbar::testing::TestCa ca("Spårbar test CA");
  auto both = CertificateId(ca.Issue({{"CN", "Anna Lind"}, {"serialNumber", "SE2321000230-1A2B"}}).cert_pem);
  REQUIRE(both.ok());
  CHECK(both->field == CertificateField::kSerialNumber);
  CHECK(both->id == "SE2321000230-1A2B");
  auto cn = CertificateId(ca.Issue({{"O", "Luleå kommun"}, {"CN", "procapita-integration"}}).cert_pem);
  REQUIRE(cn.ok());
  CHECK(cn->field == CertificateField::kCommonName);
  CHECK(cn->id == "procapita-integration");
  auto none = CertificateId(ca.Issue({{"O", "Luleå kommun"}}).cert_pem);
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.status().message(), Catch::Contains("neither a serialNumber (HSA-id) nor a common name"));
  auto two = CertificateId(
      ca.Issue({{"serialNumber", "SE2321000230-1A2B"}, {"serialNumber", "SE2321000230-3C4D"}}).cert_pem);
  REQUIRE_FALSE(two.ok());
  CHECK_THAT(two.status().message(), Catch::Contains("more than one serialNumber"));
  auto two_cn = CertificateId(ca.Issue({{"CN", "a"}, {"CN", "b"}}).cert_pem);
  REQUIRE_FALSE(two_cn.ok());
  CHECK_THAT(two_cn.status().message(), Catch::Contains("more than one common name"));
  CHECK_FALSE(CertificateId("not a certificate").ok());
}

TEST_CASE("a certificate's name is read once and remembered by its bytes, failures never", "[identity]") {
  sparbar::testing::TestCa ca("Spårbar test CA");
  const std::string anna = ca.Issue({{"serialNumber", "SE2321000230-1A2B"}}).cert_pem;
  const std::string system = ca.Issue({{"CN", "procapita-integration"}}).cert_pem;
  CertificateNames names(/*capacity=*/1);  // every new certificate forgets the one before
  for (int round = 0; round < 2; ++round) {
    auto a = names.Of(anna);
    REQUIRE(a.ok());
    CHECK(a->id == "SE2321000230-1A2B");
    CHECK(a->field == CertificateField::kSerialNumber);
    CHECK(names.Of(anna)->id == "SE2321000230-1A2B");  // from memory
    auto s = names.Of(system);
    REQUIRE(s.ok());
    CHECK(s->id == "procapita-integration");
    CHECK(s->field == CertificateField::kCommonName);
    CHECK_FALSE(names.Of("not a certificate").ok());
  }
}
