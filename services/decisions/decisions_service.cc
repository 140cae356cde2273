#include "services/decisions/decisions_service.h"

#include "services/decisions/case_facts_projection.h"
#include "services/decisions/decider.h"
#include "services/decisions/ej_verkstallda.h"
#include "services/grpc_status.h"

namespace sparbar::decisions {
namespace {

namespace v1d = ::sparbar::v1::decisions;
using services::Answer;
using services::ShuttingDown;
using services::ToGrpc;

constexpr size_t kMaxCaseId = 64;
constexpr auto kDefaultWait = std::chrono::seconds(10);

Status ValidateCaseId(const std::string& id) {
  if (id.empty() || id.size() > kMaxCaseId) {
    return Status::InvalidArgument("case_id must be 1 to " + std::to_string(kMaxCaseId) + " characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Status::InvalidArgument("case_id may hold only letters, digits, '-' and '_'");
  }
  return Status::Ok();
}

// The step asked for, without fields this server does not know (they would
// pass unchecked into the log and the read model).
Result<Payload> StepOf(const v1d::RecordRequest& r);

Result<Payload> KnownStepOf(const v1d::RecordRequest& r) {
  auto step = StepOf(r);
  if (step.ok()) std::visit([](auto& m) { m.DiscardUnknownFields(); }, step.value());
  return step;
}

Result<Payload> StepOf(const v1d::RecordRequest& r) {
  switch (r.step_case()) {
    case v1d::RecordRequest::kApplicationReceived: return Payload(r.application_received());
    case v1d::RecordRequest::kInvestigationOpened: return Payload(r.investigation_opened());
    case v1d::RecordRequest::kDecisionMade: return Payload(r.decision_made());
    case v1d::RecordRequest::kOfferMade: return Payload(r.offer_made());
    case v1d::RecordRequest::kOfferDeclined: return Payload(r.offer_declined());
    case v1d::RecordRequest::kDelayReasonNoted: return Payload(r.delay_reason_noted());
    case v1d::RecordRequest::kExecuted: return Payload(r.executed());
    case v1d::RecordRequest::kInterrupted: return Payload(r.interrupted());
    case v1d::RecordRequest::kResumed: return Payload(r.resumed());
    case v1d::RecordRequest::kEnded: return Payload(r.ended());
    case v1d::RecordRequest::kClosedUnexecuted: return Payload(r.closed_unexecuted());
    case v1d::RecordRequest::kCorrected: return Payload(r.corrected());
    case v1d::RecordRequest::kAnnotated: return Payload(r.annotated());
    case v1d::RecordRequest::STEP_NOT_SET: break;
  }
  return Status::InvalidArgument("step is required: one of the case's events");
}

// A case as stored: its records and their payloads, in revision order.
struct StoredCase {
  std::vector<EventRecord> records;
  std::vector<Payload> events;
};

Result<StoredCase> LoadCase(EventStore& store, const std::string& stream) {
  StoredCase c;
  ReadStreamOptions o;
  o.max_count = 1000;
  while (true) {
    auto page = store.ReadStream(stream, o);
    if (!page.ok()) {
      if (page.status().code() == Code::kNotFound) break;
      return page.status();
    }
    for (auto& e : page->events) {
      auto p = Parse(e.type, e.payload);
      if (!p.ok()) {
        return Status::FailedPrecondition("the case's stream holds an event (revision " + std::to_string(e.revision) +
                                          ") that is not a decisions event; the case cannot take new steps");
      }
      c.events.push_back(std::move(p.value()));
      c.records.push_back(std::move(e));
    }
    if (page->end_of_stream) break;
    o.from_revision = page->next_revision;
  }
  return c;
}

void SetCounts(const std::string& key, const SexCounts& c, v1d::EjVerkstalldaCounts* out) {
  out->set_key(key);
  out->set_men(c.men);
  out->set_women(c.women);
  out->set_other(c.other);
  out->set_children(c.children);
  out->set_total(c.total());
}

}  // namespace

DecisionsService::DecisionsService(EventStore* store, const projections::ProjectionRunner* case_facts,
                                   const InsatsCatalogue* catalogue, const services::CallerResolver* callers,
                                   services::CallGate* gate)
    : store_(store), case_facts_(case_facts), catalogue_(catalogue), callers_(callers), gate_(gate) {}

grpc::Status DecisionsService::Record(grpc::ServerContext* context, const v1d::RecordRequest* request,
                                      v1d::RecordResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (Status s = ValidateCaseId(request->case_id()); !s.ok()) return ToGrpc(s);
  auto step = KnownStepOf(*request);
  if (!step.ok()) return ToGrpc(step.status());
  Uuid id = Uuid::Random();
  if (!request->event_id().empty()) {
    auto parsed = Uuid::Parse(request->event_id());
    if (!parsed.ok()) return ToGrpc(Status::InvalidArgument("event_id must be a UUID"));
    id = *parsed;
  }

  const std::string stream = std::string(kStreamPrefix) + request->case_id();
  auto stored = LoadCase(*store_, stream);
  if (!stored.ok()) return Answer("Decisions.Record", stored.status());
  const uint64_t next_revision = stored->records.size();

  // A retry of a step already recorded (same event id, same caller, and the
  // same event once decided against the case as it was): answer it again,
  // write nothing. Any other reuse of the id is ALREADY_EXISTS.
  if (!request->event_id().empty()) {
    for (const auto& rec : stored->records) {
      if (rec.id != id) continue;
      const std::vector<Payload> before(stored->events.begin(), stored->events.begin() + rec.revision);
      auto redecided = Decide(Fold(before), *step, DecideContext{CivilDate::FromMicros(rec.recorded_at), catalogue_});
      if (rec.type != TypeOf(*step) || rec.metadata.actor != caller->actor || !redecided.ok() ||
          Serialize(*redecided) != rec.payload) {
        return ToGrpc(Status::AlreadyExists("event_id " + id.ToString() + " was used for another step of this case"));
      }
      response->set_position(rec.position);
      response->set_revision(rec.revision);
      response->set_duplicate(true);
      return grpc::Status::OK;
    }
  }
  if (request->has_expected_revision() && (next_revision == 0 || request->expected_revision() != next_revision - 1)) {
    return ToGrpc(Status::Aborted("the case is at revision " +
                                  (next_revision == 0 ? std::string("none (it has no events)")
                                                      : std::to_string(next_revision - 1)) +
                                  ", not " + std::to_string(request->expected_revision()) +
                                  "; read it again; nothing was written"));
  }
  auto event = Decide(Fold(stored->events), *step, DecideContext{CivilDate::FromMicros(NowMicros()), catalogue_});
  if (!event.ok()) return ToGrpc(event.status());

  ProposedEvent proposed;
  proposed.id = id;
  proposed.type = TypeOf(*event);
  proposed.content_type = std::string(kContentType);
  proposed.payload = Serialize(*event);
  // Expect the revision that was folded: a step decided on a stale case is refused.
  const ExpectedRevision expected =
      next_revision == 0 ? ExpectedRevision::NoStream() : ExpectedRevision::Exact(next_revision - 1);
  auto appended = store_->Append(stream, expected, {proposed}, caller->actor, services::SteadyDeadline(*context));
  if (!appended.ok()) {
    if (appended.status().code() == Code::kAborted) {
      return ToGrpc(Status::Aborted("the case changed while this step was decided; read it again and retry; "
                                    "nothing was written"));
    }
    return Answer("Decisions.Record", appended.status());
  }
  response->set_position(appended->first_position);
  response->set_revision(appended->first_revision);
  response->set_duplicate(appended->duplicate);
  return grpc::Status::OK;
}

grpc::Status DecisionsService::EjVerkstallda(grpc::ServerContext* context, const v1d::EjVerkstalldaRequest* request,
                                             v1d::EjVerkstalldaResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto options = QuarterOptions(request->quarter());
  if (!options.ok()) return ToGrpc(options.status());
  if (request->has_threshold_months()) {
    if (request->threshold_months() > 120) {
      return ToGrpc(Status::InvalidArgument("threshold_months must be at most 120"));
    }
    options->default_threshold_months = static_cast<int>(request->threshold_months());
  }
  uint64_t as_of = store_->Size();
  if (!request->known_at().empty()) {
    auto day = CivilDate::Parse(request->known_at(), "known_at");
    if (!day.ok()) return ToGrpc(day.status());
    const TimestampMicros end_of_day = (day->DaysSinceEpoch() + 1) * 86'400'000'000 - 1;
    auto position = projections::PositionAtRecordedTime(*store_, end_of_day);
    if (!position.ok()) return Answer("Decisions.EjVerkstallda", position.status());
    as_of = std::min(as_of, *position);
  }
  const auto deadline = services::SteadyDeadline(*context).value_or(std::chrono::steady_clock::now() + kDefaultWait);
  if (Status s = case_facts_->WaitFor(as_of, deadline); !s.ok()) {
    if (s.code() == Code::kDeadlineExceeded) {
      return ToGrpc(Status::Unavailable("the report's read model is still catching up with the log (" + s.message() +
                                        "); retry shortly"));
    }
    return Answer("Decisions.EjVerkstallda", s);
  }
  auto facts = CaseFactsAsOf(*case_facts_, as_of);
  if (!facts.ok()) return Answer("Decisions.EjVerkstallda", facts.status());
  const EjVerkstalldaReport report = ComputeEjVerkstallda(*facts, *options);

  response->set_period_start(report.options.period_start.ToString());
  response->set_period_end(report.options.period_end.ToString());
  response->set_threshold_months(report.options.default_threshold_months);
  response->set_as_of_position(as_of);
  for (const auto& r : report.rows) {
    auto* row = response->add_rows();
    row->set_case_id(r.case_id);
    row->set_interrupted(r.kind == EjVerkstalldaRow::Kind::kInterrupted);
    row->set_sex(r.sex);
    row->set_child(r.child);
    row->set_insats(r.insats);
    row->set_lagrum(r.lagrum);
    row->set_law(r.law);
    row->set_reason(r.reason);
    row->set_decision_date(r.decision_date.ToString());
    if (r.interrupted_date) row->set_interrupted_date(r.interrupted_date->ToString());
    row->set_days_waited(r.days_waited);
    if (r.executed_date) row->set_executed_date(r.executed_date->ToString());
    if (r.closed_date) row->set_closed_date(r.closed_date->ToString());
  }
  for (const auto& [key, counts] : report.by_lagrum) SetCounts(key, counts, response->add_by_lagrum());
  for (const auto& [key, counts] : report.by_law) SetCounts(key, counts, response->add_by_law());
  SetCounts("total", report.total, response->mutable_total());
  return grpc::Status::OK;
}

}  // namespace sparbar::decisions
