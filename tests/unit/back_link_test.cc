// The link back from a deviation to the lex case opened from it
// (services/deviations/back_link.h, modules.h) against a real store: a link
// that fails to be written is written by the case's next step, once; and MAS
// cannot decline lex Maria for a deviation a lex Maria case names, even
// before the link back is written.
#include <catch2/catch.hpp>

#include "services/deviations/modules.h"
#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::deviations;
using namespace sparbar::testing;

namespace {

const char* kTaxonomy = R"({"versions": [{"version": "t", "valid_from": "2020-01-01",
  "hsl_areas": [{"code": "fall", "name": "Fall"}], "social_areas": [{"code": "bemotande", "name": "Bemötande"}],
  "action_types": [{"code": "gruppsamtal", "name": "Gruppsamtal"}]}]})";

// A store whose appends to deviation streams fail while `fail` is set; all else goes to `inner`.
class FailingDeviationAppends final : public EventStore {
 public:
  explicit FailingDeviationAppends(EventStore* inner) : inner_(inner) {}
  bool fail = true;

  Result<AppendResult> Append(const std::string& stream, ExpectedRevision expected, std::vector<ProposedEvent> events,
                              const std::string& actor, std::optional<Deadline> deadline) override {
    if (fail && stream.starts_with(kStreamPrefix)) return Status::Unavailable("disk unavailable (test)");
    return inner_->Append(stream, expected, std::move(events), actor, deadline);
  }
  void AppendAsync(const std::string& s, ExpectedRevision e, std::vector<ProposedEvent> ev, const std::string& a,
                   std::optional<Deadline> d, AppendCallback done) override {
    inner_->AppendAsync(s, e, std::move(ev), a, d, std::move(done));
  }
  Result<StreamPage> ReadStream(const std::string& s, const ReadStreamOptions& o) override {
    return inner_->ReadStream(s, o);
  }
  Result<AllPage> ReadAll(const ReadAllOptions& o) override { return inner_->ReadAll(o); }
  Result<PrefixPage> ReadStreamsWithPrefix(const ReadPrefixOptions& o) override {
    return inner_->ReadStreamsWithPrefix(o);
  }
  Result<EventRecord> ReadEvent(uint64_t p) override { return inner_->ReadEvent(p); }
  Result<std::vector<EventRecord>> ReadEvents(const std::vector<uint64_t>& p) override {
    return inner_->ReadEvents(p);
  }
  Result<std::vector<std::optional<uint64_t>>> FindEventIds(const std::vector<Uuid>& ids) override {
    return inner_->FindEventIds(ids);
  }
  Result<std::unique_ptr<Subscription>> SubscribeAll(const ReadAllOptions& o) override {
    return inner_->SubscribeAll(o);
  }
  Result<std::unique_ptr<Subscription>> SubscribeStream(const std::string& s, uint64_t r) override {
    return inner_->SubscribeStream(s, r);
  }
  uint64_t Size() const override { return inner_->Size(); }
  StoreStats Stats() const override { return inner_->Stats(); }
  Result<SignedCheckpoint> LatestCheckpoint() override { return inner_->LatestCheckpoint(); }
  Result<SignedCheckpoint> IssueCheckpoint() override { return inner_->IssueCheckpoint(); }
  Result<InclusionProofResult> InclusionProof(uint64_t p, uint64_t t) override { return inner_->InclusionProof(p, t); }
  Result<ConsistencyProofResult> ConsistencyProof(uint64_t f, uint64_t t) override {
    return inner_->ConsistencyProof(f, t);
  }
  Result<VerifyReport> Verify(const VerifyProgress& p) override { return inner_->Verify(p); }
  Result<uint64_t> Backup(const std::string& dir) override { return inner_->Backup(dir); }
  const checkpoint::Signer& signer() const override { return inner_->signer(); }
  const std::string& origin() const override { return inner_->origin(); }
  const std::string& data_dir() const override { return inner_->data_dir(); }
  void Close() override { inner_->Close(); }

 private:
  EventStore* inner_;
};

pb::DeviationReported Hsl(uint32_t severity) {
  pb::DeviationReported m;
  m.set_domain(pb::DOMAIN_HSL);
  m.set_unit("Hemsjukvården");
  m.set_occurred_date("2025-03-02");
  m.set_reported_date("2025-03-03");
  m.set_hsl_area("fall");
  m.set_severity(severity);
  m.set_direction(pb::DIRECTION_INTERNAL);
  m.set_description("Fall med fraktur");
  return m;
}

lexmaria::pb::LexMariaOpened Opened(const std::string& from) {
  lexmaria::pb::LexMariaOpened m;
  m.set_opened_date("2025-03-04");
  m.set_unit("Hemsjukvården");
  m.set_description("Fall med fraktur");
  m.set_from_deviation(from);
  return m;
}

size_t LinksOf(EventStore& store, const DeviationTaxonomy& taxonomy, const std::string& stream) {
  const DeviationsModule module{&taxonomy};
  return StepRecorder<DeviationsModule>(&store, &module).Load(stream).value().events.size() - 1;
}

}  // namespace

TEST_CASE("a link back that could not be written is written by the case's next step, once", "[deviations][link]") {
  TempDir dir;
  auto real = OpenStore(TestOptions(dir));
  FailingDeviationAppends store(real.get());
  const auto taxonomy = DeviationTaxonomy::FromJson(kTaxonomy).value();
  const DeviationsModule deviations{&taxonomy};
  REQUIRE(StepRecorder<DeviationsModule>(real.get(), &deviations).Record("d1", "", std::nullopt, Hsl(3), "a", {}).ok());
  const LexMariaModule maria{&store, &taxonomy, {"mas"}};
  const StepRecorder<LexMariaModule> cases(&store, &maria);
  REQUIRE(cases.Record("m1", "", std::nullopt, Opened("avvikelse-d1"), "a", {}).ok());
  auto opened_on = [](const lexmaria::pb::LexMariaOpened& o) { return o.opened_date(); };
  auto link_back = [&] {
    LinkBack<LexMariaModule, lexmaria::pb::LexMariaOpened>("test", &store, &taxonomy, pb::LINK_KIND_LEX_MARIA, maria,
                                                           "lexmaria-m1", "a", std::nullopt, +opened_on);
  };
  link_back();  // the deviation's stream cannot be appended to: logged, nothing written
  CHECK(LinksOf(*real, taxonomy, "avvikelse-d1") == 0);
  CHECK(real->Size() == 2);

  store.fail = false;
  lexmaria::pb::InvestigationStarted started;
  started.set_started_date("2025-03-05");
  REQUIRE(cases.Record("m1", "", std::nullopt, started, "a", {}).ok());
  link_back();  // after the next step
  CHECK(LinksOf(*real, taxonomy, "avvikelse-d1") == 1);
  link_back();
  CHECK(LinksOf(*real, taxonomy, "avvikelse-d1") == 1);
  CHECK(real->Size() == 4);
}

TEST_CASE("MAS cannot decline lex Maria for a deviation a lex Maria case names, though its link is not written yet",
          "[deviations][link]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const auto taxonomy = DeviationTaxonomy::FromJson(kTaxonomy).value();
  const DeviationsModule plain{&taxonomy};
  REQUIRE(StepRecorder<DeviationsModule>(store.get(), &plain).Record("d1", "", std::nullopt, Hsl(4), "a", {}).ok());
  REQUIRE(StepRecorder<DeviationsModule>(store.get(), &plain).Record("d2", "", std::nullopt, Hsl(4), "a", {}).ok());
  const LexMariaModule maria{store.get(), &taxonomy, {"mas"}};
  REQUIRE(StepRecorder<LexMariaModule>(store.get(), &maria).Record("m1", "", std::nullopt, Opened("avvikelse-d1"),
                                                                     "a", {})
              .ok());  // no link back: LinkBack did not run
  pb::LexMariaDeclined declined;
  declined.set_decided_date("2025-03-06");
  declined.set_reasons("Ingen vårdskada");
  const DeviationsModule checking{&taxonomy, {"mas"}, store.get(), "avvikelse-d1"};
  auto refused = StepRecorder<DeviationsModule>(store.get(), &checking).Record("d1", "", std::nullopt, declined, "a", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kFailedPrecondition);
  CHECK(refused.status().message() == "a lex Maria case (lexmaria-m1) took the deviation up already");
  const DeviationsModule other{&taxonomy, {"mas"}, store.get(), "avvikelse-d2"};
  CHECK(StepRecorder<DeviationsModule>(store.get(), &other).Record("d2", "", std::nullopt, declined, "a", {}).ok());
  CHECK(store->Size() == 4);
}
