// The access policy file (services/authz/policy.h), the methods' logging
// options (method_catalogue.h) and the scope a bulk read is recorded with
// (call_log.h).
#include <catch2/catch.hpp>

#include "services/authz/call_log.h"
#include "services/authz/method_catalogue.h"
#include "services/authz/policy.h"
#include "services/caller.h"
#include "sparbar/v1/access_log_service.pb.h"
#include "sparbar/v1/access_rights_service.pb.h"
#include "sparbar/v1/audit.pb.h"
#include "sparbar/v1/backup_service.pb.h"
#include "sparbar/v1/committee_service.pb.h"
#include "sparbar/v1/complaints_service.pb.h"
#include "sparbar/v1/decisions_reports_service.pb.h"
#include "sparbar/v1/decisions_service.pb.h"
#include "sparbar/v1/delegation_service.pb.h"
#include "sparbar/v1/deviations_reports_service.pb.h"
#include "sparbar/v1/deviations_service.pb.h"
#include "sparbar/v1/eventstore.pb.h"
#include "sparbar/v1/gallring_service.pb.h"
#include "sparbar/v1/incidents_service.pb.h"
#include "sparbar/v1/log_review_service.pb.h"
#include "sparbar/v1/statements_service.pb.h"

using namespace sparbar;
using namespace sparbar::services;

namespace {

constexpr char kSmall[] = R"({
  "roles": {"handlaggare": "cases", "revisor": "audit", "integration": "systems"},
  "person_records": {"any_person": ["revisor", "integration"], "protected_identity": ["revisor", "integration"],
                     "nodatkomst": ["handlaggare"]},
  "methods": {
    "sparbar.v1.EventStore/ReadAll": ["revisor", "integration"],
    "sparbar.v1.EventStore/ReadStream": ["*"],
    "sparbar.v1.EventStore/Append": []
  }
})";

Caller With(std::vector<std::string> roles) {
  Caller c;
  c.actor = "SE2321000230-0001";
  c.roles = std::move(roles);
  return c;
}

std::string Error(std::string_view json) {
  auto p = AccessPolicy::FromJson(json);
  return p.ok() ? "" : p.status().message();
}

}  // namespace

TEST_CASE("the access policy: a role per method, any caller, no one, and the rules for a person's records",
          "[authz]") {
  auto p = AccessPolicy::FromJson(kSmall);
  REQUIRE(p.ok());
  CHECK(p->RoleFor("sparbar.v1.EventStore/ReadAll", With({"handlaggare", "integration"})) == "integration");
  CHECK(p->RoleFor("sparbar.v1.EventStore/ReadAll", With({"handlaggare"})).empty());
  CHECK(p->RoleFor("sparbar.v1.EventStore/ReadStream", With({})) == "*");
  CHECK(p->RoleFor("sparbar.v1.EventStore/Append", With({"revisor", "integration"})).empty());
  CHECK(p->RoleFor("sparbar.v1.EventStore/Subscribe", With({"revisor"})).empty());  // not named: no one
  CHECK(p->AnyPersonRole(With({"handlaggare", "revisor"})) == "revisor");
  CHECK(p->NodatkomstRole(With({"revisor"})).empty());
  CHECK(p->ProtectedIdentityRole(With({"revisor"})) == "revisor");
  CHECK(p->Declares({"handlaggare", "revisor"}, "x").ok());
  CHECK_THAT(p->Declares({"chef"}, "the identity X").message(), Catch::Contains("the identity X has the role \"chef\""));

  const Status covers = p->Covers({"sparbar.v1.EventStore/ReadAll", "sparbar.v1.EventStore/ReadStream",
                                   "sparbar.v1.EventStore/Append", "sparbar.v1.EventStore/Subscribe"});
  CHECK(covers.code() == Code::kFailedPrecondition);
  CHECK_THAT(covers.message(), Catch::Contains("gives no roles for sparbar.v1.EventStore/Subscribe"));
  const Status unknown = p->Covers({"sparbar.v1.EventStore/ReadAll", "sparbar.v1.EventStore/ReadStream"});
  CHECK_THAT(unknown.message(), Catch::Contains("does not serve: sparbar.v1.EventStore/Append"));
}

TEST_CASE("an access policy file with an undeclared role, a bad method name or a mixed \"*\" is refused, naming it",
          "[authz]") {
  CHECK_THAT(Error("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(Error(R"({"roles": {}})"), Catch::Contains("with \"roles\" and \"methods\""));
  CHECK_THAT(Error(R"({"roles": {"Chef": "x"}, "methods": {}})"), Catch::Contains("\"Chef\" is not a role name"));
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {"ReadAll": ["a"]}})"),
             Catch::Contains("\"ReadAll\" is not a method name"));
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {"s.S/M": ["b"]}})"),
             Catch::Contains("methods.s.S/M names the role \"b\", which \"roles\" does not declare"));
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {"s.S/M": ["*", "a"]}})"), Catch::Contains("must stand alone"));
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {}, "person_records": {"any_person": ["*"]}})"),
             Catch::Contains("person_records.any_person names the role \"*\""));
  // Whoever reads the raw log whole reads every person, protected or not.
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {"sparbar.v1.EventStore/ReadAll": ["a"]},
                      "person_records": {"any_person": ["a"]}})"),
             Catch::Contains("gives \"a\" the whole log"));
  CHECK_THAT(Error(R"({"roles": {"a": "x"}, "methods": {"sparbar.v1.EventStore/Subscribe": ["*"]}})"),
             Catch::Contains("gives \"*\" the whole log"));
  CHECK(Error(R"({"roles": {"a": "x"}, "methods": {"sparbar.v1.EventStore/ReadAll": ["a"]},
                 "person_records": {"any_person": ["a"], "protected_identity": ["a"]}})")
            .empty());
}

TEST_CASE("every method the server serves says what it logs, and the shipped policy names each one", "[authz]") {
  // The generated code of each service file, linked into this binary (the
  // server links it through its services; a test links only what it names).
  for (const google::protobuf::Descriptor* d :
       {v1::access::LogExtractRequest::descriptor(), v1::accessrights::RecordRequest::descriptor(),
        v1::committee::RecordRequest::descriptor(), v1::complaints::RecordRequest::descriptor(),
        v1::decisions::EjVerkstalldaRequest::descriptor(), v1::decisions::RecordRequest::descriptor(),
        v1::delegation::RecordOrderRequest::descriptor(), v1::deviations::AsOf::descriptor(),
        v1::deviations::RecordLexSarahRequest::descriptor(), v1::incidents::RecordRequest::descriptor(),
        v1::logreview::ContextResponse::descriptor(), v1::statements::RecordRequest::descriptor(),
        v1::AppendRequest::descriptor(), v1::GetCheckpointRequest::descriptor(),
        v1::gallring::PlanRequest::descriptor(), v1::CreateBackupRequest::descriptor()}) {
    REQUIRE(d != nullptr);
  }
  const std::vector<std::string> services = {
      "sparbar.v1.EventStore", "sparbar.v1.decisions.Decisions", "sparbar.v1.decisions.DecisionReports",
      "sparbar.v1.deviations.Deviations", "sparbar.v1.deviations.DeviationReports",
      "sparbar.v1.complaints.Complaints", "sparbar.v1.complaints.ComplaintReports",
      "sparbar.v1.incidents.Incidents", "sparbar.v1.incidents.IncidentReports",
      "sparbar.v1.accessrights.AccessRights", "sparbar.v1.accessrights.AccessRightReports",
      "sparbar.v1.committee.Committee", "sparbar.v1.committee.CommitteeReports",
      "sparbar.v1.delegation.Delegation", "sparbar.v1.delegation.DelegationReports",
      "sparbar.v1.statements.Statements", "sparbar.v1.statements.StatementReports",
      "sparbar.v1.access.AccessLog", "sparbar.v1.logreview.LogReview", "sparbar.v1.Audit",
      "sparbar.v1.gallring.Gallring", "sparbar.v1.Backup"};
  auto catalogue = MethodCatalogue::Of(services);
  INFO(catalogue.status().message());
  REQUIRE(catalogue.ok());
  CHECK(catalogue->LoggingOf("sparbar.v1.EventStore/ReadAll") == v1::ACCESS_LOGGING_SCOPE);
  CHECK(catalogue->LoggingOf("sparbar.v1.EventStore/ReadStream") == v1::ACCESS_LOGGING_PER_PERSON);
  CHECK(catalogue->LoggingOf("sparbar.v1.EventStore/Append") == v1::ACCESS_LOGGING_NONE);
  CHECK(catalogue->LoggingOf("sparbar.v1.access.AccessLog/LogExtract") == v1::ACCESS_LOGGING_PER_PERSON);
  CHECK(catalogue->LoggingOf("sparbar.v1.decisions.DecisionReports/EjVerkstallda") == v1::ACCESS_LOGGING_SCOPE);
  CHECK(MethodCatalogue::Of({"sparbar.v1.Nothing"}).status().code() == Code::kNotFound);

  auto shipped = AccessPolicy::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/atkomstpolicy.json");
  REQUIRE(shipped.ok());
  // Every method is in the policy.
  CHECK(catalogue->methods().size() == 64);
  const Status covered = shipped->Covers(catalogue->methods());
  INFO(covered.message());
  CHECK(covered.ok());
  // The roles of the issue: each declared.
  CHECK(shipped->Declares({"handlaggare", "enhetschef", "sas", "mas", "mar", "informationssakerhetssamordnare",
                           "dataskyddssamordnare", "registrator", "revisor", "integration", "loggranskare"},
                          "the issue")
            .ok());
}

TEST_CASE("a bulk read's scope is its request as JSON, cut short, and never a personnummer", "[authz]") {
  v1::ReadAllRequest read;
  read.set_stream_prefix("beslut-");
  read.set_max_count(10);
  CHECK(ScopeOf(&read) == R"({"max_count":10,"stream_prefix":"beslut-"})");
  v1::decisions::RecordRequest step;
  step.set_case_id("c1");
  step.mutable_application_received()->mutable_subject()->set_personal_identity_number("19121212-1212");
  CHECK(ScopeOf(&step) == "(the request holds a personnummer and is recorded without its fields)");
  v1::ReadAllRequest long_one;
  long_one.set_stream_prefix(std::string(3000, 'a'));
  const std::string cut = ScopeOf(&long_one);
  CHECK(cut.size() <= 2000 + 3);
  CHECK(cut.substr(cut.size() - 3) == "…");
  CHECK(ScopeOf(nullptr) == "(the request is not known)");
}
