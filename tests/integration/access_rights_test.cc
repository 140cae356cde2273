// Behörigheter through the real server and CLI: rights ordered by the unit
// manager after the mandatory trainings (seed 003 L4001-L4003), granted by
// the specialist and never by the one who ordered them (L934-L937), narrowed
// and removed when the employee changes duties or leaves (L792-L795);
// counted back by `sparbar report behorigheter`, the steps due listed, the
// rights in force at an instant queried; and a targeted loggkontroll that
// flags the accesses made outside the rights the user held then. Bad input
// is refused with nothing written.
#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "integration/client_util.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "sparbar/v1/access_rights_service.grpc.pb.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;
using google::protobuf::util::TimeUtil;

namespace {

namespace ar = sparbar::v1::accessrights;
namespace ac = sparbar::v1::access;
namespace lr = sparbar::v1::logreview;

constexpr int64_t kDay = 86400;
constexpr int64_t k2025 = 1735718400;  // 2025-01-01 09:00 in Sweden (08:00 UTC)

google::protobuf::Timestamp At(int64_t seconds) { return TimeUtil::SecondsToTimestamp(seconds); }
std::string DateOf(int64_t seconds) { return TimeUtil::ToString(At(seconds)).substr(0, 10); }

struct Rights {
  explicit Rights(const std::string& address)
      : base(address),
        stub(ar::AccessRights::NewStub(base.channel)),
        reports(ar::AccessRightReports::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<ar::AccessRights::Stub> stub;
  std::unique_ptr<ar::AccessRightReports::Stub> reports;
  ar::RecordResponse out;

  grpc::Status Step(const std::string& id, const std::string& actor, const std::string& roles,
                    const std::function<void(ar::RecordRequest&)>& fill) {
    ar::RecordRequest r;
    r.set_right_id(id);
    fill(r);
    auto ctx = Ctx(actor);
    if (!roles.empty()) ctx->AddMetadata("x-sparbar-roles", roles);
    return stub->Record(ctx.get(), r, &out);
  }
  // As the unit manager.
  void Manager(const std::string& id, const std::function<void(ar::RecordRequest&)>& fill) {
    const grpc::Status st = Step(id, "chef-ifo", "enhetschef", fill);
    INFO(id << ": " << st.error_message());
    REQUIRE(st.ok());
  }
  // As the specialist.
  void Specialist(const std::string& id, const std::function<void(ar::RecordRequest&)>& fill) {
    const grpc::Status st = Step(id, "systemforvaltare-combine", "behorighetsadministrator", fill);
    INFO(id << ": " << st.error_message());
    REQUIRE(st.ok());
  }
};

ar::RightOrdered Order(const std::string& user, int64_t at, std::vector<std::string> units) {
  ar::RightOrdered m;
  m.set_ordered_date(DateOf(at));
  m.set_user(user);
  m.set_system("combine");
  m.set_role("handlaggare");
  for (const auto& u : units) m.add_units(u);
  m.set_justification("Handläggning inom individ- och familjeomsorgen");
  m.add_trainings("informationssakerhet");
  m.add_trainings("gdpr");
  return m;
}

void OrderAndGrant(Rights& c, const std::string& id, const std::string& user, int64_t at,
                   std::vector<std::string> units) {
  c.Manager(id, [&](auto& r) { *r.mutable_ordered() = Order(user, at, units); });
  c.Specialist(id, [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(at + kDay); });
}

void Remove(Rights& c, const std::string& id, int64_t ordered, int64_t removed) {
  c.Manager(id, [&](auto& r) {
    r.mutable_removal_ordered()->set_ordered_date(DateOf(ordered));
    r.mutable_removal_ordered()->set_reason(ar::CHANGE_REASON_LEFT);
  });
  c.Specialist(id, [&](auto& r) { *r.mutable_removed()->mutable_removed_at() = At(removed); });
}

CliResult Report(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", address, "report"});
  return RunCli(args);
}

ac::AccessRecorded Access(const std::string& id, const std::string& unit, int64_t at) {
  ac::AccessRecorded e;
  e.set_user_hsa_id("SE-anna");
  e.set_role("handlaggare");
  e.set_unit(unit);
  e.set_action(ac::ACTION_READ);
  e.mutable_subject()->set_personal_identity_number("191212121212");
  e.set_source_system("combine");
  e.set_source_event_id(id);
  *e.mutable_accessed_at() = At(at);
  e.set_purpose(ac::PURPOSE_NORMAL_WORK);
  e.set_outcome(ac::OUTCOME_ALLOWED);
  return e;
}

}  // namespace

TEST_CASE("Access rights from order to removal: recorded, refused, counted, due and in force",
          "[integration][accessrights]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Rights c(server.address());

  // Bad input and the wrong caller: the right status, nothing written.
  const uint64_t before = WrittenSize(c.base);
  ar::RightOrdered untrained = Order("SE-anna", k2025, {"ifo-barn"});
  untrained.clear_trainings();
  untrained.add_trainings("gdpr");
  grpc::Status st = c.Step("r1", "chef-ifo", "enhetschef", [&](auto& r) { *r.mutable_ordered() = untrained; });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("informationssakerhet"));
  st = c.Step("r1", "chef-ifo", "", [&](auto& r) { *r.mutable_ordered() = Order("SE-anna", k2025, {"ifo-barn"}); });
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  st = c.Step("r1", "chef-ifo", "enhetschef", [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025); });
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  st = c.Step("r1", "chef-ifo", "behorighetsadministrator",
              [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025); });
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);  // not ordered
  st =
      c.Step("r 1", "chef-ifo", "enhetschef", [&](auto& r) { *r.mutable_ordered() = Order("SE-anna", k2025, {"ifo-barn"}); });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  st = c.Step("r1", "chef-ifo", "enhetschef", [](auto&) {});
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(WrittenSize(c.base) == before);
  // The two refusals to the caller's role are recorded, each once, with why.
  std::vector<std::string> refusals;
  for (const auto& e : ReadWholeLog(c.base, 0, /*own_records=*/true)) {
    v1::access::CallRecorded call;
    if (e.stream() == "anrop-sparbar" && call.ParseFromString(e.payload()) &&
        call.outcome() == v1::access::OUTCOME_DENIED) {
      refusals.push_back(call.refusal());
    }
  }
  REQUIRE(refusals.size() == 2);
  CHECK_THAT(refusals[1], Catch::Contains("behorighetsadministrator"));

  // The one who ordered it does not grant it, even holding both roles.
  c.Manager("r1", [&](auto& r) { *r.mutable_ordered() = Order("SE-anna", k2025, {"ifo-barn", "ifo-vuxen"}); });
  st = c.Step("r1", "chef-ifo", "chef,behorighetsadministrator",
              [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025 + kDay); });
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  c.Specialist("r1", [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025 + kDay); });
  // Anna changes duties in May: narrowed to ifo-vuxen; she leaves in October.
  c.Manager("r1", [&](auto& r) {
    auto* n = r.mutable_narrowing_ordered();
    n->set_ordered_date(DateOf(k2025 + 120 * kDay));
    n->add_units("ifo-vuxen");
    n->set_reason(ar::CHANGE_REASON_CHANGED_DUTIES);
  });
  c.Specialist("r1", [&](auto& r) { *r.mutable_narrowed()->mutable_effective_at() = At(k2025 + 121 * kDay); });
  Remove(c, "r1", k2025 + 280 * kDay, k2025 + 290 * kDay);  // removed nine days after the last day: late

  // Eleven more of 2025, two removed in time and one withdrawn; one ordered in 2024.
  for (int i = 2; i <= 12; ++i) {
    OrderAndGrant(c, "r" + std::to_string(i), "SE-user-" + std::to_string(i), k2025 + i * 10 * kDay,
                  {i % 2 ? "ifo-barn" : "ifo-vuxen"});
  }
  Remove(c, "r2", k2025 + 200 * kDay, k2025 + 200 * kDay);
  Remove(c, "r3", k2025 + 210 * kDay, k2025 + 211 * kDay);
  c.Manager("r13", [&](auto& r) { *r.mutable_ordered() = Order("SE-user-13", k2025 + 300 * kDay, {"ifo-barn"}); });
  c.Manager("r13", [&](auto& r) {
    r.mutable_removal_ordered()->set_ordered_date(DateOf(k2025 + 301 * kDay));
    r.mutable_removal_ordered()->set_reason(ar::CHANGE_REASON_CHANGED_DUTIES);
  });
  OrderAndGrant(c, "r0", "SE-user-0", k2025 - 200 * kDay, {"ifo-barn"});
  c.Manager("r4", [&](auto& r) {
    r.mutable_reviewed()->set_reviewed_date(DateOf(k2025 + 330 * kDay));
    r.mutable_reviewed()->set_outcome(ar::REVIEW_OUTCOME_KEPT);
  });

  const CliResult json = Report(server.address(), {"behorigheter", "--year", "2025", "--format", "json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  const auto stats = nlohmann::json::parse(json.out);
  CHECK(stats["ordered"] == "13");
  CHECK(stats["granted"] == "12");
  CHECK(stats["granted_within_deadline"] == "12");
  CHECK(stats["withdrawn"] == "1");
  CHECK(stats["narrowed"] == "1");
  CHECK(stats["removed"] == "3");
  CHECK(stats["removed_late"] == "1");
  CHECK(stats["reviews"] == "1");
  CHECK(stats["in_force_at_end"] == "10");  // r0 and r4-r12
  CHECK(stats["users_at_end"] == "10");
  CHECK(stats["reviews_overdue_at_end"] == "1");  // r0, granted in June 2024
  REQUIRE(stats["ordered_by_year"].size() == 2);
  CHECK(stats["ordered_by_year"][0]["count"] == "1");
  const CliResult html = Report(server.address(), {"behorigheter", "--year", "2025", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK_THAT(html.out, Catch::Contains("Borttagna efter sista dagen"));

  // What is due on 2026-01-31: r0's review (overdue since 2025-06-16) and
  // those granted in January 2025 within 30 days (r4 was reviewed).
  const CliResult due =
      Report(server.address(), {"behorigheter-frister", "--on", "2026-01-31", "--within-days", "30", "--format", "csv",
                                "--as-of-position", std::to_string(FreshSize(c.base))});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  CHECK(due.out.rfind("behorighet,anvandare,system,vantar_pa,av,senast,dagar_kvar\r\n", 0) == 0);
  CHECK_THAT(due.out, Catch::Contains("behorighet-r0,SE-user-0,combine,kontroll,enhetschef,2025-06-16,-229"));
  CHECK_THAT(due.out, Catch::Contains("behorighet-r5,SE-user-5,combine,kontroll,enhetschef,2026-02-21,21"));
  CHECK_THAT(due.out, !Catch::Contains("behorighet-r4,"));
  CHECK(Report(server.address(), {"behorigheter-frister", "--within-days", "99999"}).exit_code != 0);

  // In force on 2025-03-01 and 2025-06-01: anna's two units, then one.
  ar::InForceRequest q;
  q.set_user("SE-anna");
  *q.mutable_at() = At(k2025 + 59 * kDay);
  ar::InForceResponse in_force;
  REQUIRE(c.stub->InForce(Ctx().get(), q, &in_force).ok());
  REQUIRE(in_force.rights_size() == 1);
  CHECK(in_force.rights(0).units_size() == 2);
  *q.mutable_at() = At(k2025 + 151 * kDay);
  REQUIRE(c.stub->InForce(Ctx().get(), q, &in_force).ok());
  REQUIRE(in_force.rights_size() == 1);
  CHECK(in_force.rights(0).units(0) == "ifo-vuxen");
  // After the removal in October: none of hers.
  const CliResult cli = Report(server.address(), {"behorigheter-i-kraft", "--user", "SE-anna", "--at",
                                                  "2025-12-01T12:00:00+01:00", "--format", "csv"});
  REQUIRE(cli.exit_code == 0);
  CHECK(cli.out == "behorighet,anvandare,system,roll,enheter,tilldelad_utc,nasta_kontroll,sista_dag\r\n");
  const CliResult unit =
      Report(server.address(), {"behorigheter-i-kraft", "--unit", "ifo-barn", "--at", "2025-12-01T12:00:00+01:00"});
  REQUIRE(unit.exit_code == 0);
  CHECK_THAT(unit.err, Catch::Contains("5 access rights in force"));  // r0, r5, r7, r9, r11
  CHECK(Report(server.address(), {"behorigheter-i-kraft", "--at", "yesterday"}).exit_code != 0);
}

TEST_CASE("Loggkontroll flags the accesses made outside the rights the user held then",
          "[integration][accessrights][logreview]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Rights c(server.address());
  auto access = ac::AccessLog::NewStub(c.base.channel);
  auto review = lr::LogReview::NewStub(c.base.channel);

  // Combine's rights are kept here from bo's grant in December 2024 on.
  c.Manager("bo", [&](auto& r) { *r.mutable_ordered() = Order("SE-bo", k2025 - 30 * kDay, {"ifo-barn"}); });
  c.Specialist("bo", [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025 - 29 * kDay); });
  // Anna: ifo-barn and ifo-vuxen from 2025-01-02, narrowed to ifo-vuxen from 2025-05-02.
  c.Manager("anna", [&](auto& r) { *r.mutable_ordered() = Order("SE-anna", k2025, {"ifo-barn", "ifo-vuxen"}); });
  c.Specialist("anna", [&](auto& r) { *r.mutable_granted()->mutable_granted_at() = At(k2025 + kDay); });
  c.Manager("anna", [&](auto& r) {
    r.mutable_narrowing_ordered()->set_ordered_date(DateOf(k2025 + 120 * kDay));
    r.mutable_narrowing_ordered()->add_units("ifo-vuxen");
    r.mutable_narrowing_ordered()->set_reason(ar::CHANGE_REASON_CHANGED_DUTIES);
  });
  c.Specialist("anna", [&](auto& r) { *r.mutable_narrowed()->mutable_effective_at() = At(k2025 + 121 * kDay); });

  ac::IngestBatch batch;
  *batch.add_events() = Access("b1", "ifo-barn", k2025 + 30 * kDay);    // held then
  *batch.add_events() = Access("b2", "ifo-barn", k2025 + 130 * kDay);   // after the narrowing
  *batch.add_events() = Access("b3", "ifo-vuxen", k2025 + 130 * kDay);  // kept
  *batch.add_events() = Access("b4", "ifo-vuxen", k2025);               // before the grant
  ac::IngestResponse ingested;
  {
    auto ctx = Ctx("combine-export");
    auto writer = access->Ingest(ctx.get(), &ingested);
    REQUIRE(writer->Write(batch));
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
  }
  const uint64_t first = ingested.batches(0).first_position();

  auto reviewer = [] {
    auto ctx = Ctx("granskare");
    ctx->AddMetadata("x-sparbar-roles", "loggranskare");
    return ctx;
  };
  lr::OpenReviewRequest open;
  open.set_review_id("anna-2025");
  open.set_from_date("2025-01-01");
  open.set_to_date("2025-12-31");
  open.set_kind(lr::REVIEW_KIND_TARGETED);
  open.set_reason("Misstanke om åtkomst utanför behörighet");
  open.add_target_users("SE-anna");
  open.mutable_rules()->set_outside_rights(true);
  lr::OpenReviewResponse opened;
  REQUIRE(review->OpenReview(reviewer().get(), open, &opened).ok());
  lr::DrawSampleRequest draw;
  draw.set_review_id("anna-2025");
  lr::DrawSampleResponse drawn;
  REQUIRE(review->DrawSample(reviewer().get(), draw, &drawn).ok());
  lr::ReviewRequest get;
  get.set_review_id("anna-2025");
  get.set_all_accesses(true);
  lr::ReviewView view;
  REQUIRE(review->GetReview(reviewer().get(), get, &view).ok());
  std::map<uint64_t, std::set<std::string>> flags;
  for (const auto& a : view.accesses()) {
    flags[a.position()];
    for (const auto& h : a.hits()) flags[a.position()].insert(h.rule());
  }
  REQUIRE(flags.size() == 4);
  CHECK(flags[first].empty());
  CHECK(flags[first + 1] == std::set<std::string>{"outside_rights"});
  CHECK(flags[first + 2].empty());
  CHECK(flags[first + 3] == std::set<std::string>{"outside_rights"});
  CHECK(view.flagged() == 2);
}
