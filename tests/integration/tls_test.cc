// Mutual TLS with certificates the test makes itself (integration/pki_util.h):
// the caller comes from its client certificate (the HSA-id in serialNumber,
// else the common name) and its roles from the identities file, whatever
// the request's metadata claims; no certificate, one from another CA, an
// expired one, and one the identities do not name are refused and write
// nothing; the server refuses to start without a transport, or with TLS but
// no identities; the CLI calls with a client certificate.
#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/security/credentials.h>

#include "integration/client_util.h"
#include "integration/pki_util.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"
#include "support/test_pki.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

constexpr char kAnna[] = "SE2321000230-1A2B";  // loggranskare
constexpr char kErik[] = "SE2321000230-3C4D";  // handläggare, no log review

// Anna reviews logs at Midskogen, Erik handles cases; Procapita is a system named by its common name.
std::string Identities() {
  return std::string(R"({"id": ")") + kAnna + R"(", "roles": ["loggranskare"], "units": ["Midskogen"]},)" +
         R"({"id": ")" + kErik + R"(", "roles": ["handlaggare"]},)" +
         R"({"id": "procapita-integration", "certificate": "cn", "roles": ["integration"]})";
}

grpc::Status AppendOne(Client& c, const std::string& stream, const std::string& claimed_actor) {
  v1::AppendResponse out;
  return c.es->Append(Ctx(claimed_actor, std::chrono::seconds(10)).get(), MakeAppend(stream, {MakeEvent()}), &out);
}

}  // namespace

TEST_CASE("mutual TLS: the caller is its certificate's holder, with the roles the identities give",
          "[integration][tls]") {
  TempDir dir;
  Pki pki(dir, Identities());
  ServerProcess server((dir.path() / "data").string(), pki.ServerArgs(), "127.0.0.1:0", /*dev_plaintext=*/false);
  const Issued anna = pki.ca.Issue({{"CN", "Anna Lind"}, {"serialNumber", kAnna}});
  const Issued erik = pki.ca.Issue({{"CN", "Erik Berg"}, {"serialNumber", kErik}});
  const Issued integration = pki.ca.Issue({{"O", "Procapita"}, {"CN", "procapita-integration"}});

  // The actor recorded is the certificate's holder, not what the metadata claims.
  Client as_integration(server.address(), pki.As(&integration));
  REQUIRE(AppendOne(as_integration, "tls-test", kAnna).ok());
  const auto events = ReadWholeLog(as_integration);
  REQUIRE(events.size() == 1);
  CHECK(events[0].metadata().actor() == "procapita-integration");

  // Roles come from the identities: Anna may list accesses, Erik may not, whatever he claims.
  auto list = [&](const Issued& who) {
    auto stub = v1::access::AccessLog::NewStub(grpc::CreateChannel(server.address(), pki.As(&who)));
    v1::access::ListAccessesRequest req;
    req.set_user_hsa_id(kErik);
    *req.mutable_from() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1735689600);
    *req.mutable_to() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1743465600);
    v1::access::ListAccessesResponse resp;
    auto ctx = Ctx("x");
    ctx->AddMetadata("x-sparbar-roles", "loggranskare");
    return stub->ListAccesses(ctx.get(), req, &resp);
  };
  const grpc::Status anna_lists = list(anna);
  INFO(anna_lists.error_message());
  CHECK(anna_lists.ok());
  const grpc::Status erik_lists = list(erik);
  CHECK(erik_lists.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK_THAT(erik_lists.error_message(), Catch::Contains("loggranskare"));

  // The CLI presents a certificate the same way.
  WritePem(pki.Path("client.pem"), integration.cert_pem);
  WritePem(pki.Path("client.key"), integration.key_pem);
  const CliResult cli = RunCli({"--server", server.address(), "--tls-ca", pki.Path("ca.pem"), "--tls-cert",
                                pki.Path("client.pem"), "--tls-key", pki.Path("client.key"), "append", "--stream",
                                "tls-cli", "--type", "test.happened", "--data", "{}"});
  INFO(cli.err);
  CHECK(cli.exit_code == 0);
  CHECK(ReadWholeLog(as_integration).back().metadata().actor() == "procapita-integration");
  const CliResult half = RunCli({"--server", server.address(), "--tls-ca", pki.Path("ca.pem"), "append", "--stream",
                                 "tls-cli", "--type", "test.happened", "--data", "{}"});
  CHECK(half.exit_code != 0);  // a CA without the client's certificate and key is a usage error
  WritePem(pki.Path("empty.pem"), "");
  const CliResult empty_ca = RunCli({"--server", server.address(), "--tls-ca", pki.Path("empty.pem"), "--tls-cert",
                                     pki.Path("client.pem"), "--tls-key", pki.Path("client.key"), "append", "--stream",
                                     "tls-cli", "--type", "test.happened", "--data", "{}"});
  CHECK(empty_ca.exit_code == 2);  // never the system's CAs in its place
  CHECK_THAT(empty_ca.err, Catch::Contains("cannot read"));
}

TEST_CASE("mutual TLS refuses no certificate, another CA, an expired one and an unknown holder, writing nothing",
          "[integration][tls]") {
  TempDir dir;
  Pki pki(dir, Identities());
  ServerProcess server((dir.path() / "data").string(), pki.ServerArgs(), "127.0.0.1:0", /*dev_plaintext=*/false);
  const Issued integration = pki.ca.Issue({{"CN", "procapita-integration"}});
  Client as_integration(server.address(), pki.As(&integration));
  REQUIRE(AppendOne(as_integration, "tls-test", "").ok());
  const uint64_t before = FreshSize(as_integration);

  Client without(server.address(), pki.As(nullptr));
  CHECK(AppendOne(without, "tls-test", kAnna).error_code() == grpc::StatusCode::UNAVAILABLE);
  const Issued foreign = pki.other.Issue({{"serialNumber", kAnna}});
  Client as_foreign(server.address(), pki.As(&foreign));
  CHECK(AppendOne(as_foreign, "tls-test", kAnna).error_code() == grpc::StatusCode::UNAVAILABLE);
  const Issued expired = pki.ca.Issue({{"serialNumber", kAnna}}, -30, -1);
  Client as_expired(server.address(), pki.As(&expired));
  CHECK(AppendOne(as_expired, "tls-test", kAnna).error_code() == grpc::StatusCode::UNAVAILABLE);
  Client plaintext(server.address());
  CHECK(AppendOne(plaintext, "tls-test", kAnna).error_code() == grpc::StatusCode::UNAVAILABLE);
  const Issued stranger = pki.ca.Issue({{"CN", "Okänd"}, {"serialNumber", "SE2321000230-9Z9Z"}});
  Client as_stranger(server.address(), pki.As(&stranger));
  const grpc::Status st = AppendOne(as_stranger, "tls-test", kAnna);
  CHECK(st.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(st.error_message(),
             Catch::Contains("SE2321000230-9Z9Z (serialNumber) is not among the server's identities"));
  v1::PublicKey key;  // not even the Audit service
  CHECK(as_stranger.audit->GetPublicKey(Ctx("").get(), v1::GetPublicKeyRequest(), &key).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  // A common name shaped like Anna's HSA-id is not Anna.
  const Issued lookalike = pki.ca.Issue({{"CN", kAnna}});
  Client as_lookalike(server.address(), pki.As(&lookalike));
  const grpc::Status named_like = AppendOne(as_lookalike, "tls-test", kAnna);
  CHECK(named_like.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(named_like.error_message(), Catch::Contains("(common name) is not among the server's identities"));
  // A certificate for a server, not a client, is refused in the handshake.
  const Issued server_cert = pki.ca.Issue({{"serialNumber", kAnna}}, -1, 30, /*server=*/true);
  Client as_server_cert(server.address(), pki.As(&server_cert));
  CHECK(AppendOne(as_server_cert, "tls-test", "").error_code() == grpc::StatusCode::UNAVAILABLE);
  const Issued numbered = pki.ca.Issue({{"CN", "19121212-1212"}});  // a badly issued certificate
  Client as_numbered(server.address(), pki.As(&numbered));
  const grpc::Status pnr = AppendOne(as_numbered, "tls-test", "");
  CHECK(pnr.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(pnr.error_message(), !Catch::Contains("1212"));
  CHECK(FreshSize(as_integration) == before);  // not even a denial: none of them is anyone the server knows
}

TEST_CASE("the server refuses to start without a transport, with half of TLS, or with TLS but no identities, "
          "no access policy or no master keys",
          "[integration][tls]") {
  TempDir dir;
  Pki pki(dir, Identities());
  const std::string data = (dir.path() / "data").string();
  std::string log;
  CHECK(RunServerToExit({"--listen", "127.0.0.1:0", "--data", data}, &log) == 1);
  CHECK_THAT(log, Catch::Contains("no transport"));
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--data", data};
  const auto tls = pki.ServerArgs();
  args.insert(args.end(), tls.begin(), tls.begin() + 4);  // cert and key, no client CA
  CHECK(RunServerToExit(args, &log) == 1);
  CHECK_THAT(log, Catch::Contains("needs all of --tls-cert, --tls-key and --tls-client-ca"));
  args.insert(args.end(), tls.begin() + 4, tls.begin() + 6);  // the client CA, no identities
  CHECK(RunServerToExit(args, &log) == 1);
  CHECK_THAT(log, Catch::Contains("needs --identities"));
  args.insert(args.end(), tls.begin() + 6, tls.begin() + 8);  // the identities, no access policy
  CHECK(RunServerToExit(args, &log) == 1);
  CHECK_THAT(log, Catch::Contains("needs --policy"));
  args.insert(args.end(), tls.begin() + 8, tls.begin() + 10);  // the policy, no master keys
  CHECK(RunServerToExit(args, &log) == 1);
  CHECK_THAT(log, Catch::Contains("needs its master keys: give --master-keys FILE or set SPARBAR_MASTER_KEYS"));
  args.insert(args.end(), tls.begin() + 10, tls.end());
  args.push_back("--dev");
  CHECK(RunServerToExit(args, &log) == 1);
  CHECK_THAT(log, Catch::Contains("exclude each other"));
  // The certificate and the key swapped, and a key that belongs to another certificate.
  std::vector<std::string> swapped = {"--listen", "127.0.0.1:0", "--data", data, "--tls-cert", pki.Path("server.key"),
                                      "--tls-key", pki.Path("server.pem"), "--tls-client-ca", pki.Path("ca.pem"),
                                      "--identities", pki.Path("identities.json"), "--policy", Pki::ShippedPolicy()};
  CHECK(RunServerToExit(swapped, &log) == 1);
  CHECK_THAT(log, Catch::Contains("(--tls-cert) holds no PEM certificate"));
  const Issued other = pki.ca.Issue({{"CN", "other"}}, -1, 30, /*server=*/true);
  WritePem(pki.Path("other.key"), other.key_pem);
  std::vector<std::string> mismatched = swapped;
  mismatched[5] = pki.Path("server.pem");
  mismatched[7] = pki.Path("other.key");
  CHECK(RunServerToExit(mismatched, &log) == 1);
  CHECK_THAT(log, Catch::Contains("(--tls-key) is not the key of the certificate"));
  CHECK_FALSE(std::filesystem::exists(data));  // refused before the data directory was touched
}
