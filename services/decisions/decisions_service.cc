#include "services/decisions/decisions_service.h"

#include "services/decisions/case_facts_projection.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "services/decisions/decider.h"
#include "services/grpc_status.h"

namespace sparbar::decisions {
namespace {

namespace v1d = ::sparbar::v1::decisions;
using services::Answer;
using services::ShuttingDown;
using services::ToGrpc;

constexpr size_t kMaxCaseId = 64;

Status ValidateCaseId(const std::string& id) {
  if (id.empty() || id.size() > kMaxCaseId) {
    return Status::InvalidArgument("case_id must be 1 to " + std::to_string(kMaxCaseId) + " characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Status::InvalidArgument("case_id may hold only letters, digits, '-' and '_'");
  }
  // The case id names the case's stream and its read-model keys, which must
  // not carry personal data in clear text.
  if (ContainsPersonalIdentity(id, StockholmDate(NowMicros()))) {
    return Status::InvalidArgument(
        "case_id holds a personnummer or samordningsnummer; use the case number from the case system");
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

}  // namespace

DecisionsService::DecisionsService(EventStore* store, const InsatsCatalogue* catalogue,
                                   const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), catalogue_(catalogue), callers_(callers), gate_(gate) {}

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
      auto redecided = Decide(Fold(before), *step, DecideContext{StockholmDate(rec.recorded_at), catalogue_});
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
  auto event = Decide(Fold(stored->events), *step, DecideContext{StockholmDate(NowMicros()), catalogue_});
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

}  // namespace sparbar::decisions
