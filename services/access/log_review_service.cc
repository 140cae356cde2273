#include "services/access/log_review_service.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/rand.h>

#include <algorithm>
#include <set>

#include "services/access/own_reads.h"
#include "services/access/reviewer.h"
#include "services/access/review_report.h"
#include "services/access/review_rules.h"
#include "services/access/review_sample.h"
#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/common/swedish_time.h"
#include "services/grpc_status.h"

namespace sparbar::access {
namespace {

constexpr size_t kCacheEntries = 8;
constexpr uint32_t kDefaultReviewPage = 1000, kMaxReviewPage = 10000;
constexpr uint32_t kMaxSample = 10000;

// The review stream as a StepRecorder module, for one caller and evaluation.
struct ReviewModule {
  using Payload = review::Payload;
  static constexpr std::string_view kStreamPrefix = review::kStreamPrefix;
  static constexpr std::string_view kContentType = review::kContentType;
  static constexpr std::string_view kNoun = "review";
  static constexpr std::string_view kModule = "loggkontroll";
  std::string actor;
  const ReviewEvaluation* evaluation = nullptr;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return review::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return review::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return review::Serialize(p); }
  review::ReviewState Fold(const std::vector<Payload>& events) const {
    review::ReviewState s;
    for (const auto& e : events) s = review::Evolve(std::move(s), e);
    return s;
  }
  review::DecideContext ContextOn(const CivilDate& today) const {
    review::DecideContext c{today, actor};
    if (evaluation) {
      c.reviewed = &evaluation->reviewed;
      c.flagged = &evaluation->flagged;
    }
    return c;
  }
  Result<Payload> Decide(const review::ReviewState& s, const Payload& p, const review::DecideContext& c) const {
    return review::Decide(s, p, c);
  }
};

Status Identifier(const std::string& id, const char* field, bool required) {
  SPARBAR_TRY(TextField(id, field, kMaxShortText, required));
  if (ContainsPersonalIdentity(id, StockholmDate(NowMicros()))) {
    return Status::InvalidArgument(std::string(field) + " must not hold a personnummer");
  }
  return Status::Ok();
}

Status Person(sparbar::v1::access::AccessSubject* subject, const char* field, bool required) {
  if (subject->personal_identity_number().empty() && !required) return Status::Ok();
  auto person = ParsePersonalIdentity(subject->personal_identity_number(), StockholmDate(NowMicros()), field);
  if (!person.ok()) return person.status();
  subject->set_personal_identity_number(person->number);
  return Status::Ok();
}

Status Spans(const google::protobuf::RepeatedPtrField<lr::DaySpan>& spans) {
  for (const auto& s : spans) {
    if (s.weekday() < 1 || s.weekday() > 7 || s.start_minute() >= s.end_minute() || s.end_minute() > 1440) {
      return Status::InvalidArgument("spans: each needs a weekday 1-7 and minutes 0 <= start < end <= 1440");
    }
  }
  return Status::Ok();
}

// From the operating system's random source through OpenSSL: no one can
// choose or foresee it.
Result<uint64_t> RandomSeed() {
  uint64_t seed = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
    return Status::Unavailable("no random seed could be drawn; try again");
  }
  return seed;
}

}  // namespace

LogReviewService::LogReviewService(EventStore* store, AccessLimits limits, const projections::ProjectionRunner* index,
                                   const projections::ProjectionRunner* cases, const SubjectKey* subject_key,
                                   const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store),
      limits_(limits),
      index_(index),
      cases_(cases),
      subject_key_(subject_key),
      callers_(callers),
      gate_(gate) {}

const ReviewCasesProjection& LogReviewService::Cases() const {
  return static_cast<const ReviewCasesProjection&>(cases_->projection());
}

Result<services::Caller> LogReviewService::Reviewer(const grpc::ServerContext& context) const {
  return ResolveReviewer(*callers_, context, "loggkontroll");
}

Status LogReviewService::AppendContext(std::string_view stream, const google::protobuf::Message& event,
                                       const std::string& actor, const grpc::ServerContext& context,
                                       lr::ContextResponse* response) {
  ProposedEvent p;
  p.id = Uuid::Random();
  p.type = event.GetDescriptor()->full_name();
  p.content_type = std::string(review::kContentType);
  p.payload = event.SerializeAsString();
  auto appended = store_->Append(std::string(stream), ExpectedRevision::Any(), {std::move(p)}, actor,
                                 services::SteadyDeadline(context));
  if (!appended.ok()) return appended.status();
  response->set_position(appended->first_position);
  return Status::Ok();
}

grpc::Status LogReviewService::RecordPerson(grpc::ServerContext* context, const lr::PersonContextRecorded* request,
                                            lr::ContextResponse* response) {
  constexpr const char* kMethod = "LogReview.RecordPerson";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  lr::PersonContextRecorded e = *request;
  e.DiscardUnknownFields();
  if (Status s = Person(e.mutable_subject(), "subject.personal_identity_number", true); !s.ok()) {
    return services::ToGrpc(s);
  }
  if (Status s = TextField(e.surname(), "surname", kMaxShortText, false); !s.ok()) return services::ToGrpc(s);
  auto from = CivilDate::Parse(e.effective_date(), "effective_date");
  if (!from.ok()) return services::ToGrpc(from.status());
  e.set_effective_date(from->ToString());
  return services::Answer(kMethod, AppendContext(kPersonsStream, e, caller->actor, *context, response));
}

grpc::Status LogReviewService::RecordStaffMember(grpc::ServerContext* context, const lr::StaffMemberRecorded* request,
                                                 lr::ContextResponse* response) {
  constexpr const char* kMethod = "LogReview.RecordStaffMember";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  lr::StaffMemberRecorded e = *request;
  e.DiscardUnknownFields();
  Status s = Identifier(e.user_hsa_id(), "user_hsa_id", true);
  if (s.ok()) s = TextField(e.surname(), "surname", kMaxShortText, false);
  if (s.ok()) s = Person(e.mutable_own_identity(), "own_identity.personal_identity_number", false);
  if (s.ok() && e.units_size() > 200) s = Status::InvalidArgument("units has too many entries");
  for (const std::string& unit : e.units()) {
    if (s.ok()) s = Identifier(unit, "units", true);
  }
  if (!s.ok()) return services::ToGrpc(s);
  if (e.own_identity().personal_identity_number().empty()) e.clear_own_identity();
  return services::Answer(kMethod, AppendContext(kStaffStream, e, caller->actor, *context, response));
}

grpc::Status LogReviewService::SetWorkingHours(grpc::ServerContext* context, const lr::WorkingHoursSet* request,
                                               lr::ContextResponse* response) {
  constexpr const char* kMethod = "LogReview.SetWorkingHours";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  lr::WorkingHoursSet e = *request;
  e.DiscardUnknownFields();
  Status s = Identifier(e.unit(), "unit", true);
  if (s.ok()) s = Spans(e.spans());
  if (!s.ok()) return services::ToGrpc(s);
  return services::Answer(kMethod, AppendContext(kHoursStream, e, caller->actor, *context, response));
}

Result<LogReviewService::Loaded> LogReviewService::Load(const std::string& review_id,
                                                        const grpc::ServerContext& context) {
  SPARBAR_TRY(ValidateStreamId(review_id, "review_id"));
  const ReviewModule module;
  auto stored = StepRecorder<ReviewModule>(store_, &module).Load(std::string(review::kStreamPrefix) + review_id);
  if (!stored.ok()) return stored.status();
  if (stored->events.empty()) return Status::NotFound("no review " + review_id);
  Loaded loaded;
  loaded.state = module.Fold(stored->events);
  loaded.revision = stored->records.size() - 1;
  if (loaded.state.phase == review::Phase::kOpened || loaded.state.phase == review::Phase::kNone) return loaded;
  const uint64_t as_of = loaded.state.sample.as_of_position();
  const std::string key = review_id + "@" + std::to_string(as_of);
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->first != key) continue;
      loaded.evaluation = it->second;
      cache_.splice(cache_.begin(), cache_, it);
      return loaded;
    }
  }
  const auto deadline =
      services::SteadyDeadline(context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  SPARBAR_TRY(index_->WaitFor(as_of, deadline));
  SPARBAR_TRY(cases_->WaitFor(as_of, deadline));
  auto evaluation = EvaluateReview(*store_, *index_, Cases(), *subject_key_, loaded.state.opened, loaded.state.sample);
  if (!evaluation.ok()) return evaluation.status();
  loaded.evaluation = std::make_shared<const ReviewEvaluation>(std::move(evaluation.value()));
  Remember(key, loaded.evaluation);
  return loaded;
}

void LogReviewService::Remember(const std::string& key, std::shared_ptr<const ReviewEvaluation> evaluation) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  for (const auto& [k, v] : cache_) {
    if (k == key) return;
  }
  cache_.emplace_front(key, std::move(evaluation));
  if (cache_.size() > kCacheEntries) cache_.pop_back();
}

grpc::Status LogReviewService::VerifySample(grpc::ServerContext* context, const lr::ReviewRequest* request,
                                            lr::VerifySampleResponse* response) {
  constexpr const char* kMethod = "LogReview.VerifySample";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  if (Status s = ValidateStreamId(request->review_id(), "review_id"); !s.ok()) return services::ToGrpc(s);
  const ReviewModule module;
  auto stored =
      StepRecorder<ReviewModule>(store_, &module).Load(std::string(review::kStreamPrefix) + request->review_id());
  if (!stored.ok()) return services::Answer(kMethod, stored.status());
  const review::ReviewState state = module.Fold(stored->events);
  if (stored->events.empty()) return services::ToGrpc(Status::NotFound("no review " + request->review_id()));
  if (state.phase == review::Phase::kOpened) {
    return services::ToGrpc(Status::FailedPrecondition("the review's users are not drawn yet"));
  }
  const lr::SampleDrawn& recorded = state.sample;
  std::vector<std::string> population, users;
  if (recorded.method() == "targeted") {
    population = review::TargetUsers(state.opened);
    users = population;
  } else {
    const auto deadline =
        services::SteadyDeadline(*context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));
    if (Status s = index_->WaitFor(recorded.as_of_position(), deadline); !s.ok()) return services::Answer(kMethod, s);
    auto drawn = DrawPopulation(*index_, state.opened, recorded.as_of_position());
    if (!drawn.ok()) return services::Answer(kMethod, drawn.status());
    population = std::move(drawn.value());
    users = access::DrawSample(population, recorded.seed(), recorded.requested());
  }
  response->set_population(population.size());
  response->set_population_digest(PopulationDigest(population));
  response->set_matches(response->population_digest() == recorded.population_digest() &&
                        std::equal(users.begin(), users.end(), recorded.users().begin(), recorded.users().end()));
  for (auto& u : users) response->add_users(std::move(u));
  *response->mutable_recorded() = recorded;
  return grpc::Status::OK;
}

Result<uint64_t> LogReviewService::Record(const std::string& review_id, const Loaded& loaded,
                                          const review::Payload& step, const services::Caller& caller,
                                          const grpc::ServerContext& context) {
  const ReviewModule module{caller.actor, loaded.evaluation.get()};
  auto recorded = StepRecorder<ReviewModule>(store_, &module)
                      .Record(review_id, "", loaded.revision, step, caller.actor, services::SteadyDeadline(context));
  if (!recorded.ok()) return recorded.status();
  return recorded->position;
}

grpc::Status LogReviewService::OpenReview(grpc::ServerContext* context, const lr::OpenReviewRequest* request,
                                          lr::OpenReviewResponse* response) {
  constexpr const char* kMethod = "LogReview.OpenReview";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  const std::string id = request->review_id().empty() ? "lk-" + Uuid::Random().ToString() : request->review_id();
  if (Status s = ValidateStreamId(id, "review_id"); !s.ok()) return services::ToGrpc(s);
  lr::ReviewOpened opened;
  opened.set_from_date(request->from_date());
  opened.set_to_date(request->to_date());
  *opened.mutable_units() = request->units();
  *opened.mutable_source_systems() = request->source_systems();
  opened.set_kind(request->kind());
  opened.set_reason(request->reason());
  *opened.mutable_target_users() = request->target_users();
  *opened.mutable_rules() = request->has_rules() ? request->rules() : DefaultRules();
  const ReviewModule module{caller->actor};
  auto recorded = StepRecorder<ReviewModule>(store_, &module)
                      .Record(id, "", std::nullopt, review::Payload(std::move(opened)), caller->actor,
                              services::SteadyDeadline(*context));
  if (!recorded.ok()) return services::Answer(kMethod, recorded.status());
  response->set_review_id(id);
  response->set_position(recorded->position);
  return grpc::Status::OK;
}

grpc::Status LogReviewService::DrawSample(grpc::ServerContext* context, const lr::DrawSampleRequest* request,
                                          lr::DrawSampleResponse* response) {
  constexpr const char* kMethod = "LogReview.DrawSample";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto loaded = Load(request->review_id(), *context);
  if (!loaded.ok()) return services::Answer(kMethod, loaded.status());
  if (loaded->state.phase != review::Phase::kOpened) {
    return services::ToGrpc(Status::FailedPrecondition("the review's users are drawn already"));
  }
  const lr::ReviewOpened& opened = loaded->state.opened;
  lr::SampleDrawn sample;
  const uint64_t as_of = store_->Size();
  sample.set_as_of_position(as_of);
  const auto deadline =
      services::SteadyDeadline(*context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  if (Status s = index_->WaitFor(as_of, deadline); !s.ok()) return services::Answer(kMethod, s);
  if (Status s = cases_->WaitFor(as_of, deadline); !s.ok()) return services::Answer(kMethod, s);
  if (opened.kind() == lr::REVIEW_KIND_TARGETED) {
    if (request->sample_size() != 0) {
      return services::ToGrpc(Status::InvalidArgument("a targeted review reviews its target users: no sample_size"));
    }
    std::vector<std::string> targets = review::TargetUsers(opened);
    sample.set_method("targeted");
    sample.set_requested(static_cast<uint32_t>(targets.size()));
    sample.set_population(targets.size());
    sample.set_population_digest(PopulationDigest(targets));
    for (auto& u : targets) sample.add_users(std::move(u));
  } else {
    if (request->sample_size() == 0 || request->sample_size() > kMaxSample) {
      return services::ToGrpc(
          Status::InvalidArgument("sample_size must be 1 to " + std::to_string(kMaxSample) + " users"));
    }
    auto population = DrawPopulation(*index_, opened, as_of);
    if (!population.ok()) return services::Answer(kMethod, population.status());
    auto seed = RandomSeed();
    if (!seed.ok()) return services::Answer(kMethod, seed.status());
    sample.set_method(kSampleMethod);
    sample.set_seed(*seed);
    sample.set_requested(request->sample_size());
    sample.set_population(population->size());
    sample.set_population_digest(PopulationDigest(*population));
    for (auto& u : access::DrawSample(*population, *seed, request->sample_size())) sample.add_users(std::move(u));
  }
  // Evaluated before the draw is recorded: a review too large to hold is refused, not stuck.
  auto evaluation = EvaluateReview(*store_, *index_, Cases(), *subject_key_, opened, sample, kMaxReviewAccesses);
  if (!evaluation.ok()) return services::Answer(kMethod, evaluation.status());
  auto position = Record(request->review_id(), *loaded, review::Payload(sample), *caller, *context);
  if (!position.ok()) return services::Answer(kMethod, position.status());
  Remember(request->review_id() + "@" + std::to_string(as_of),
           std::make_shared<const ReviewEvaluation>(std::move(evaluation.value())));
  sample.set_drawn_date(StockholmDate(NowMicros()).ToString());
  *response->mutable_sample() = std::move(sample);
  response->set_position(*position);
  return grpc::Status::OK;
}

grpc::Status LogReviewService::GetReview(grpc::ServerContext* context, const lr::ReviewRequest* request,
                                         lr::ReviewView* response) {
  constexpr const char* kMethod = "LogReview.GetReview";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto loaded = Load(request->review_id(), *context);
  if (!loaded.ok()) return services::Answer(kMethod, loaded.status());
  const review::ReviewState& s = loaded->state;
  lr::ReviewView view;
  view.set_review_id(request->review_id());
  *view.mutable_opened() = s.opened;
  if (s.phase == review::Phase::kConcluded) *view.mutable_concluded() = s.concluded;
  std::set<std::string> subjects;
  if (loaded->evaluation) {
    const ReviewEvaluation& ev = *loaded->evaluation;
    *view.mutable_sample() = s.sample;
    view.set_reviewed(ev.items.size());
    // A page: the items from the token's index on (the evaluation is fixed, so indices are stable).
    size_t from = 0;
    if (!request->page_token().empty()) {
      const auto& t = request->page_token();
      if (t.size() > 12 || t.find_first_not_of("0123456789") != std::string::npos || std::stoull(t) > ev.items.size()) {
        return services::ToGrpc(Status::InvalidArgument("page_token is malformed"));
      }
      from = std::stoull(t);
    }
    if (request->page_size() > kMaxReviewPage) {
      return services::ToGrpc(Status::InvalidArgument("page_size must be at most " + std::to_string(kMaxReviewPage)));
    }
    const size_t limit = request->page_size() == 0 ? kDefaultReviewPage : request->page_size();
    std::vector<size_t> page;
    size_t next = from;
    for (; next < ev.items.size() && page.size() < limit; ++next) {
      if (!ev.items[next].hits.empty() || request->all_accesses()) page.push_back(next);
    }
    while (next < ev.items.size() && ev.items[next].hits.empty() && !request->all_accesses()) ++next;
    if (next < ev.items.size()) view.set_next_page_token(std::to_string(next));
    std::vector<uint64_t> shown;
    for (size_t i : page) shown.push_back(ev.items[i].position);
    auto details = ReadAccesses(*store_, shown);
    if (!details.ok()) return services::Answer(kMethod, details.status());
    for (size_t i : page) {
      const ReviewedItem& item = ev.items[i];
      lr::ReviewedAccess* a = view.add_accesses();
      const v1::access::RecordedAccess& detail = details->at(item.position);
      a->set_position(item.position);
      *a->mutable_access() = detail.access();
      *a->mutable_recorded_at() = detail.recorded_at();
      a->set_sampled_user(item.sampled_user);
      for (const Hit& h : item.hits) {
        lr::RuleHit* hit = a->add_hits();
        hit->set_rule(h.rule);
        hit->set_explanation(h.explanation);
      }
      if (auto f = s.findings.find(item.position); f != s.findings.end()) {
        a->set_finding(f->second.finding());
        a->set_finding_note(f->second.note());
      }
      if (auto inv = s.investigations.find(item.position); inv != s.investigations.end()) {
        a->set_investigation_id(inv->second);
      }
      subjects.insert(detail.access().subject().personal_identity_number());
    }
    for (const std::string& rule : RuleIds()) {
      lr::RuleCount* c = view.add_rule_counts();
      c->set_rule(rule);
      auto n = ev.per_rule.find(rule);
      c->set_flagged(n == ev.per_rule.end() ? 0 : n->second);
    }
    view.set_flagged(ev.flagged.size());
    uint64_t without = 0;
    for (uint64_t p : ev.flagged) without += s.findings.count(p) ? 0 : 1;
    view.set_flagged_without_finding(without);
  }
  if (Status st = RecordOwnReads(*store_, limits_, *caller, kMethod, {subjects.begin(), subjects.end()},
                                 services::SteadyDeadline(*context));
      !st.ok()) {
    return services::Answer(kMethod, st);
  }
  *response = std::move(view);
  return grpc::Status::OK;
}

Result<uint64_t> LogReviewService::Step(const std::string& review_id, const review::Payload& step,
                                        const grpc::ServerContext& context) {
  auto caller = Reviewer(context);
  if (!caller.ok()) return caller.status();
  auto loaded = Load(review_id, context);
  if (!loaded.ok()) return loaded.status();
  return Record(review_id, *loaded, step, *caller, context);
}

grpc::Status LogReviewService::RecordFinding(grpc::ServerContext* context, const lr::RecordFindingRequest* request,
                                             lr::StepResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  lr::FindingRecorded f;
  f.set_access_position(request->access_position());
  f.set_finding(request->finding());
  f.set_note(request->note());
  auto position = Step(request->review_id(), review::Payload(std::move(f)), *context);
  if (!position.ok()) return services::Answer("LogReview.RecordFinding", position.status());
  response->set_position(*position);
  return grpc::Status::OK;
}

grpc::Status LogReviewService::OpenMisuseInvestigation(grpc::ServerContext* context,
                                                       const lr::OpenMisuseInvestigationRequest* request,
                                                       lr::OpenMisuseInvestigationResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  lr::MisuseInvestigationOpened m;
  m.set_access_position(request->access_position());
  m.set_investigation_id("mu-" + Uuid::Random().ToString());
  m.set_reason(request->reason());
  const std::string id = m.investigation_id();
  auto position = Step(request->review_id(), review::Payload(std::move(m)), *context);
  if (!position.ok()) return services::Answer("LogReview.OpenMisuseInvestigation", position.status());
  response->set_investigation_id(id);
  response->set_position(*position);
  return grpc::Status::OK;
}

grpc::Status LogReviewService::ConcludeReview(grpc::ServerContext* context, const lr::ConcludeReviewRequest* request,
                                              lr::StepResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  lr::ReviewConcluded c;
  c.set_summary(request->summary());
  auto position = Step(request->review_id(), review::Payload(std::move(c)), *context);
  if (!position.ok()) return services::Answer("LogReview.ConcludeReview", position.status());
  response->set_position(*position);
  return grpc::Status::OK;
}

grpc::Status LogReviewService::Report(grpc::ServerContext* context, const lr::ReportRequest* request,
                                      lr::ReportResponse* response) {
  constexpr const char* kMethod = "LogReview.Report";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = Reviewer(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  if (!lr::ReportFormat_IsValid(request->format())) {
    return services::ToGrpc(Status::InvalidArgument("format must be HTML or CSV"));
  }
  auto loaded = Load(request->review_id(), *context);
  if (!loaded.ok()) return services::Answer(kMethod, loaded.status());
  if (!loaded->evaluation) {
    return services::ToGrpc(Status::FailedPrecondition("the review's users are not drawn yet: nothing to report"));
  }
  std::vector<uint64_t> positions;
  for (const ReviewedItem& item : loaded->evaluation->items) positions.push_back(item.position);
  auto details = ReadAccesses(*store_, positions);
  if (!details.ok()) return services::Answer(kMethod, details.status());
  const std::string document =
      RenderReviewReport(request->review_id(), loaded->state, *loaded->evaluation, *details, request->format());
  std::set<std::string> subjects;
  for (const auto& [position, detail] : *details) subjects.insert(detail.access().subject().personal_identity_number());
  if (Status st = RecordOwnReads(*store_, limits_, *caller, kMethod, {subjects.begin(), subjects.end()},
                                 services::SteadyDeadline(*context));
      !st.ok()) {
    return services::Answer(kMethod, st);
  }
  response->set_document(document);
  response->set_as_of_position(loaded->evaluation->as_of);
  return grpc::Status::OK;
}

}  // namespace sparbar::access
