// Personal data sealed in the log (services/vault/personal_fields.h,
// sealing_store.h): what each event type seals and opens, that a retried
// append seals to the same bytes, what is refused, and what a destroyed key
// leaves: the events, their proofs, and fields that read as disposed.
#include <catch2/catch.hpp>

#include "services/access/subject_key.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"
#include "services/vault/personal_fields.h"
#include "services/vault/sealing_store.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/decisions.pb.h"
#include "sparbar/v1/log_review.pb.h"
#include "unit/store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;
namespace pa = sparbar::v1::access;
namespace pd = sparbar::v1::decisions;
namespace plr = sparbar::v1::logreview;

namespace {

constexpr char kTolvan[] = "191212121212";
constexpr char kSiv[] = "193903151235";

template <class M>
ProposedEvent EventOf(const M& m) {
  ProposedEvent e = MakeEvent(M::descriptor()->full_name(), m.SerializeAsString());
  e.content_type = "application/x-protobuf";
  return e;
}

template <class M>
M As(const std::string& payload) {
  M m;
  REQUIRE(m.ParseFromString(payload));
  return m;
}

pa::AccessRecorded Access(const std::string& pnr) {
  pa::AccessRecorded a;
  a.set_user_hsa_id("hsa-anna");
  a.set_unit("unit-1");
  a.mutable_subject()->set_personal_identity_number(pnr);
  return a;
}

pd::ApplicationReceived Application(const std::string& pnr) {
  pd::ApplicationReceived a;
  a.mutable_subject()->set_personal_identity_number(pnr);
  a.mutable_subject()->set_sex(pd::SEX_KVINNA);
  a.set_received_date("2024-01-10");
  a.set_unit("unit-1");
  return a;
}

struct Sealed {
  TempDir dir;
  std::unique_ptr<EventStore> log = OpenStore(TestOptions(dir));
  std::unique_ptr<vault::KeyVault> keys;
  access::SubjectKey pseudonyms = access::SubjectKey::FromBytes({7, 7, 7});
  std::unique_ptr<vault::PersonalFields> fields;
  std::unique_ptr<vault::SealingStore> opened, raw;

  Sealed() {
    auto master = vault::MasterKeys::Parse("t:" + std::string(64, 'a'));
    REQUIRE(master.ok());
    auto kv = vault::KeyVault::Open((dir.path() / "vault").string(), std::move(master.value()));
    REQUIRE(kv.ok());
    keys = std::move(kv.value());
    fields = std::make_unique<vault::PersonalFields>(keys.get(), &pseudonyms, log.get());
    opened = std::make_unique<vault::SealingStore>(log.get(), fields.get(), true);
    raw = std::make_unique<vault::SealingStore>(log.get(), fields.get(), false);
  }
  EventRecord Read(EventStore& s, const std::string& stream, uint64_t revision = 0) {
    ReadStreamOptions o;
    o.from_revision = revision;
    auto page = s.ReadStream(stream, o);
    REQUIRE(page.ok());
    REQUIRE(page->events.size() > 0);
    return page->events.front();
  }
};

}  // namespace

TEST_CASE("personal fields: sealed in the log, opened for the modules, each event type", "[vault][sealing]") {
  Sealed s;
  plr::PersonContextRecorded person;
  person.mutable_subject()->set_personal_identity_number(kSiv);
  person.set_surname("Svensson");
  plr::StaffMemberRecorded staff;
  staff.set_user_hsa_id("hsa-anna");
  staff.set_surname("Andersson");
  staff.mutable_own_identity()->set_personal_identity_number(kTolvan);
  plr::StaffMemberRecorded staff_unknown;
  staff_unknown.set_user_hsa_id("hsa-bo");
  staff_unknown.set_surname("Berg");
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(Application(kTolvan))}, "t", {}).ok());
  REQUIRE(s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {EventOf(person)}, "t", {}).ok());
  REQUIRE(s.opened->Append("loggkontext-personal", ExpectedRevision::Any(), {EventOf(staff), EventOf(staff_unknown)},
                           "t", {}).ok());
  CHECK(s.keys->Count().value() == 2);  // one key per person

  // As stored: no number, no surname of a person in any payload.
  auto all = s.raw->ReadAll({});
  REQUIRE(all.ok());
  REQUIRE(all->events.size() == 5);
  for (const auto& e : all->events) {
    CHECK(e.payload.find(kTolvan) == std::string::npos);
    CHECK(e.payload.find(kSiv) == std::string::npos);
    CHECK(e.payload.find("Svensson") == std::string::npos);
    CHECK(e.payload.find("Andersson") == std::string::npos);
  }
  CHECK(As<pa::AccessRecorded>(all->events[0].payload).subject().sealed().size() == 1 + 8 + 12 + 16);
  CHECK(As<plr::StaffMemberRecorded>(all->events[4].payload).surname() == "Berg");  // no number to key it: in clear

  // Opened: as appended.
  auto open = s.opened->ReadAll({});
  REQUIRE(open.ok());
  CHECK(As<pa::AccessRecorded>(open->events[0].payload).subject().personal_identity_number() == kTolvan);
  CHECK(As<pa::AccessRecorded>(open->events[0].payload).subject().sealed().empty());
  CHECK(As<pd::ApplicationReceived>(open->events[1].payload).subject().personal_identity_number() == kTolvan);
  CHECK(As<pd::ApplicationReceived>(open->events[1].payload).subject().sex() == pd::SEX_KVINNA);
  CHECK(As<plr::PersonContextRecorded>(open->events[2].payload).surname() == "Svensson");
  CHECK(As<plr::PersonContextRecorded>(open->events[2].payload).subject().personal_identity_number() == kSiv);
  CHECK(As<plr::StaffMemberRecorded>(open->events[3].payload).surname() == "Andersson");
  CHECK(As<plr::StaffMemberRecorded>(open->events[3].payload).own_identity().personal_identity_number() == kTolvan);
  // Single events and subscriptions open too.
  CHECK(As<pa::AccessRecorded>(s.opened->ReadEvent(0)->payload).subject().personal_identity_number() == kTolvan);
  auto sub = s.opened->SubscribeAll({});
  REQUIRE(sub.ok());
  auto batch = (*sub)->Next(std::chrono::milliseconds(100));
  REQUIRE(batch.ok());
  REQUIRE_FALSE(batch->events.empty());
  CHECK(As<pa::AccessRecorded>(batch->events[0].payload).subject().personal_identity_number() == kTolvan);
}

TEST_CASE("personal fields: a retry seals to the same bytes; a number alike in every event, a text per event",
          "[vault][sealing]") {
  Sealed s;
  ProposedEvent e = EventOf(Access(kTolvan));
  auto first = s.opened->Append("atkomst-x", ExpectedRevision::Any(), {e}, "t", {});
  REQUIRE(first.ok());
  auto retry = s.opened->Append("atkomst-x", ExpectedRevision::Any(), {e}, "t", {});
  INFO(retry.status().message());
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(retry->first_position == first->first_position);
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kSiv))}, "t", {}).ok());
  auto all = s.raw->ReadAll({});
  REQUIRE(all->events.size() == 3);
  const auto sealed = [&](size_t i) { return As<pa::AccessRecorded>(all->events[i].payload).subject().sealed(); };
  // The key only ever seals Tolvan's number: the same bytes in each event, as the key id already tells.
  CHECK(sealed(0) == sealed(1));
  CHECK(sealed(0) != sealed(2));
  // A text about the person is sealed for its event: the same surname, other bytes.
  plr::PersonContextRecorded person;
  person.mutable_subject()->set_personal_identity_number(kTolvan);
  person.set_surname("Tolvansson");
  REQUIRE(s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {EventOf(person), EventOf(person)}, "t",
                           {}).ok());
  const auto contexts = s.raw->ReadStream("loggkontext-personer", {});
  REQUIRE(contexts->events.size() == 2);
  CHECK(As<plr::PersonContextRecorded>(contexts->events[0].payload).sealed_surname() !=
        As<plr::PersonContextRecorded>(contexts->events[1].payload).sealed_surname());
  // Moved into another event, a sealed text does not open.
  EventRecord moved = contexts->events[1];
  auto m = As<plr::PersonContextRecorded>(moved.payload);
  m.set_sealed_surname(As<plr::PersonContextRecorded>(contexts->events[0].payload).sealed_surname());
  moved.payload = m.SerializeAsString();
  CHECK(s.fields->Open(moved).code() == Code::kDataLoss);
}

TEST_CASE("personal fields: refused input writes nothing", "[vault][sealing]") {
  Sealed s;
  auto unnormalized = s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access("19121212-1212"))}, "t", {});
  CHECK(unnormalized.status().code() == Code::kInvalidArgument);
  CHECK_THAT(unnormalized.status().message(), Catch::Contains("normalized to 12 digits"));
  CHECK_THAT(unnormalized.status().message(), !Catch::Contains("1212-1212"));
  pa::AccessRecorded smuggled = Access(kTolvan);
  smuggled.mutable_subject()->set_sealed("sv1-not-from-the-server-but-long-enough-to-pass-as-sealed");
  CHECK(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(smuggled)}, "t", {}).status().code() ==
        Code::kInvalidArgument);
  pa::AccessRecorded disposed = Access(kTolvan);
  disposed.mutable_subject()->set_disposed(true);
  CHECK(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(disposed)}, "t", {}).status().code() ==
        Code::kInvalidArgument);
  CHECK(s.log->Size() == 0);
  CHECK(s.keys->Count().value() == 0);
  // Events of other types pass untouched.
  ProposedEvent other = MakeEvent("test.event", "{\"personnummer\":\"kept as given\"}");
  REQUIRE(s.opened->Append("s", ExpectedRevision::Any(), {other}, "t", {}).ok());
  CHECK(s.raw->ReadEvent(0)->payload == other.payload);
}

TEST_CASE("personal fields: a correction's replacement application is sealed and opened", "[vault][sealing]") {
  Sealed s;
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(Application(kTolvan))}, "t", {}).ok());
  pd::Corrected fix;
  fix.set_target_revision(0);
  fix.set_reason("Fel person");
  REQUIRE(Application(kSiv).SerializeToString(fix.mutable_replacement_payload()));
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(fix)}, "t", {}).ok());
  const EventRecord stored = s.Read(*s.raw, "beslut-c1", 1);
  CHECK(stored.payload.find(kSiv) == std::string::npos);
  const auto opened = As<pd::Corrected>(s.Read(*s.opened, "beslut-c1", 1).payload);
  CHECK(opened.reason() == "Fel person");
  CHECK(As<pd::ApplicationReceived>(opened.replacement_payload()).subject().personal_identity_number() == kSiv);
  // A correction naming no event of the stream is refused.
  fix.set_target_revision(7);
  CHECK(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(fix)}, "t", {}).status().code() ==
        Code::kInvalidArgument);
}

TEST_CASE("personal fields: a destroyed key leaves the events and their proofs, and the fields read as disposed",
          "[vault][sealing]") {
  Sealed s;
  plr::PersonContextRecorded person;
  person.mutable_subject()->set_personal_identity_number(kTolvan);
  person.set_surname("Tolvansson");
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(),
                           {EventOf(Access(kTolvan)), EventOf(Access(kSiv))}, "t", {}).ok());
  REQUIRE(s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {EventOf(person)}, "t", {}).ok());
  auto before = s.raw->ReadAll({});
  REQUIRE(before.ok());
  auto checkpoint = s.log->IssueCheckpoint();
  REQUIRE(checkpoint.ok());

  auto destroyed = s.keys->DestroyAll({s.pseudonyms.Of(kTolvan), "no-such-person"});
  REQUIRE(destroyed.ok());
  CHECK(destroyed->size() == 1);

  // The stored events are what they were; the log verifies and proves them.
  auto after = s.raw->ReadAll({});
  REQUIRE(after->events.size() == before->events.size());
  for (size_t i = 0; i < after->events.size(); ++i) CHECK(after->events[i].payload == before->events[i].payload);
  auto report = s.log->Verify([](uint64_t, uint64_t) { return true; });
  INFO(report.status().message());
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->events_checked == 3);
  CHECK(s.log->InclusionProof(0, checkpoint->checkpoint.size).ok());

  auto open = s.opened->ReadAll({});
  REQUIRE(open.ok());
  const auto gone = As<pa::AccessRecorded>(open->events[0].payload);
  CHECK(gone.subject().disposed());
  CHECK(gone.subject().personal_identity_number().empty());
  CHECK(gone.subject().sealed().empty());
  CHECK(gone.user_hsa_id() == "hsa-anna");  // what is not the person's stays
  CHECK(As<pa::AccessRecorded>(open->events[1].payload).subject().personal_identity_number() == kSiv);
  const auto context = As<plr::PersonContextRecorded>(open->events[2].payload);
  CHECK(context.subject().disposed());
  CHECK(context.surname().empty());
  // New data about the person gets a new key.
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  CHECK(As<pa::AccessRecorded>(s.opened->ReadEvent(3)->payload).subject().personal_identity_number() == kTolvan);
}

TEST_CASE("personal fields: a changed ciphertext or tag byte is DataLoss, never a wrong person", "[vault][sealing]") {
  Sealed s;
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  EventRecord e = s.Read(*s.raw, "atkomst-x");
  auto a = As<pa::AccessRecorded>(e.payload);
  std::string sealed = a.subject().sealed();
  sealed[sealed.size() - 3] ^= 1;
  a.mutable_subject()->set_sealed(sealed);
  e.payload = a.SerializeAsString();
  CHECK(s.fields->Open(e).code() == Code::kDataLoss);
}

TEST_CASE("personal fields: a case's free text sealed with its person's key, disposed with it", "[vault][sealing]") {
  Sealed s;
  pd::DecisionMade decision;
  decision.set_outcome(pd::OUTCOME_AVSLAG);
  decision.set_reasons("Tolvan klarar sin vardag med stöd av sin dotter");
  pd::Annotated own_view;
  own_view.set_text("Jag behöver hjälp på nätterna");
  // The application and the decision in one append (a migrated case), the person's view later.
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(Application(kTolvan)), EventOf(decision)},
                           "t", {}).ok());
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(own_view)}, "t", {}).ok());
  pd::Corrected fix;
  fix.set_target_revision(1);
  fix.set_reason("Fel i motiveringen");
  decision.set_reasons("Tolvan klarar sin vardag");
  REQUIRE(decision.SerializeToString(fix.mutable_replacement_payload()));
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(fix)}, "t", {}).ok());
  // A case stream without an application keeps its text in clear: no person to key it with.
  REQUIRE(s.opened->Append("beslut-utan", ExpectedRevision::Any(), {EventOf(own_view)}, "t", {}).ok());

  for (uint64_t r = 1; r <= 3; ++r) {
    const std::string stored = s.Read(*s.raw, "beslut-c1", r).payload;
    CHECK(stored.find("Tolvan") == std::string::npos);
    CHECK(stored.find("nätterna") == std::string::npos);
    CHECK(stored.find("motiveringen") == std::string::npos);
  }
  CHECK(As<pd::Annotated>(s.Read(*s.raw, "beslut-utan").payload).text() == own_view.text());
  CHECK(As<pd::DecisionMade>(s.Read(*s.opened, "beslut-c1", 1).payload).reasons() ==
        "Tolvan klarar sin vardag med stöd av sin dotter");
  CHECK(As<pd::Annotated>(s.Read(*s.opened, "beslut-c1", 2).payload).text() == "Jag behöver hjälp på nätterna");
  const auto opened_fix = As<pd::Corrected>(s.Read(*s.opened, "beslut-c1", 3).payload);
  CHECK(opened_fix.reason() == "Fel i motiveringen");
  CHECK(As<pd::DecisionMade>(opened_fix.replacement_payload()).reasons() == "Tolvan klarar sin vardag");

  REQUIRE(s.keys->DestroyAll({s.pseudonyms.Of(kTolvan)}).ok());
  const auto gone = As<pd::DecisionMade>(s.Read(*s.opened, "beslut-c1", 1).payload);
  CHECK(gone.reasons().empty());
  CHECK(gone.outcome() == pd::OUTCOME_AVSLAG);  // what is not about the person stays
  CHECK(As<pd::Annotated>(s.Read(*s.opened, "beslut-c1", 2).payload).text().empty());
  auto more = s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(own_view)}, "t", {});
  CHECK(more.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(more.status().message(), Catch::Contains("disposed"));
}

TEST_CASE("personal fields: a person disposed of and seen again gets a new key, never the old one from a cache",
          "[vault][sealing]") {
  Sealed s;
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  CHECK(As<pa::AccessRecorded>(s.opened->ReadEvent(0)->payload).subject().personal_identity_number() == kTolvan);
  REQUIRE(s.keys->DestroyAll({s.pseudonyms.Of(kTolvan)}).ok());
  REQUIRE(s.opened->Append("atkomst-x", ExpectedRevision::Any(), {EventOf(Access(kTolvan))}, "t", {}).ok());
  CHECK(As<pa::AccessRecorded>(s.opened->ReadEvent(0)->payload).subject().disposed());
  const auto again = As<pa::AccessRecorded>(s.opened->ReadEvent(1)->payload);
  CHECK_FALSE(again.subject().disposed());
  CHECK(again.subject().personal_identity_number() == kTolvan);
  CHECK(As<pa::AccessRecorded>(s.raw->ReadEvent(0)->payload).subject().sealed() !=
        As<pa::AccessRecorded>(s.raw->ReadEvent(1)->payload).subject().sealed());
}

TEST_CASE("personal fields: what would keep personal data in clear, or reuse a nonce, is refused", "[vault][sealing]") {
  Sealed s;
  // A payload of a sealed type that does not parse as it.
  ProposedEvent junk = MakeEvent(pa::AccessRecorded::descriptor()->full_name(), "{\"personnummer\":\"191212121212\"}");
  auto refused = s.opened->Append("atkomst-x", ExpectedRevision::Any(), {junk}, "t", {});
  CHECK(refused.status().code() == Code::kInvalidArgument);
  CHECK_THAT(refused.status().message(), Catch::Contains("does not parse"));
  // A surname without its person.
  plr::PersonContextRecorded nameless;
  nameless.set_surname("Tolvansson");
  CHECK(s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {EventOf(nameless)}, "t", {})
            .status()
            .code() == Code::kInvalidArgument);
  // A correction of a correction: its reason and its replacement's would share a context.
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(Application(kTolvan))}, "t", {}).ok());
  pd::Corrected fix;
  fix.set_target_revision(0);
  fix.set_reason("Fel person");
  REQUIRE(Application(kSiv).SerializeToString(fix.mutable_replacement_payload()));
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(fix)}, "t", {}).ok());
  pd::Corrected of_fix;
  of_fix.set_target_revision(1);
  of_fix.set_reason("Fel igen");
  REQUIRE(fix.SerializeToString(of_fix.mutable_replacement_payload()));
  auto nested = s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(of_fix)}, "t", {});
  CHECK(nested.status().code() == Code::kInvalidArgument);
  CHECK_THAT(nested.status().message(), Catch::Contains("may not correct a correction"));
  CHECK(s.log->Size() == 2);
  // After the correction, the case's texts go under the corrected person's key.
  pd::Annotated view;
  view.set_text("Min syn");
  REQUIRE(s.opened->Append("beslut-c1", ExpectedRevision::Any(), {EventOf(view)}, "t", {}).ok());
  REQUIRE(s.keys->DestroyAll({s.pseudonyms.Of(kTolvan)}).ok());
  CHECK(As<pd::Annotated>(s.Read(*s.opened, "beslut-c1", 2).payload).text() == "Min syn");
  REQUIRE(s.keys->DestroyAll({s.pseudonyms.Of(kSiv)}).ok());
  CHECK(As<pd::Annotated>(s.Read(*s.opened, "beslut-c1", 2).payload).text().empty());
}

TEST_CASE("personal fields: a retried text seals to the same bytes", "[vault][sealing]") {
  Sealed s;
  plr::PersonContextRecorded person;
  person.mutable_subject()->set_personal_identity_number(kTolvan);
  person.set_surname("Tolvansson");
  const ProposedEvent e = EventOf(person);
  auto first = s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {e}, "t", {});
  REQUIRE(first.ok());
  auto retry = s.opened->Append("loggkontext-personer", ExpectedRevision::Any(), {e}, "t", {});
  INFO(retry.status().message());
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(s.log->Size() == 1);
}
