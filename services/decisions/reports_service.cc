#include "services/decisions/reports_service.h"

#include <openssl/sha.h>

#include <algorithm>

#include "eventstore/merkle/hash.h"
#include "services/common/swedish_time.h"
#include "services/decisions/case_facts_projection.h"
#include "services/decisions/ej_verkstallda.h"
#include "services/decisions/report_render.h"
#include "services/decisions/waiting.h"
#include "services/grpc_status.h"

namespace sparbar::decisions {
namespace {

namespace v1d = ::sparbar::v1::decisions;
using services::Answer;
using services::ShuttingDown;
using services::ToGrpc;

constexpr auto kDefaultWait = std::chrono::seconds(10);
constexpr uint32_t kMaxThresholdMonths = 120;
constexpr std::string_view kDefaultInsats = "sarskilt_boende";

std::string Sha256Hex(std::string_view bytes) {
  merkle::Hash digest;
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return merkle::ToHex(digest);
}

void SetCounts(const std::string& key, const SexCounts& c, v1d::EjVerkstalldaCounts* out) {
  out->set_key(key);
  out->set_men(c.men);
  out->set_women(c.women);
  out->set_other(c.other);
  out->set_children(c.children);
  out->set_total(c.total());
}

void FillReport(const EjVerkstalldaReport& report, uint64_t as_of, v1d::EjVerkstalldaResponse* response) {
  response->set_period_start(report.options.period_start.ToString());
  response->set_period_end(report.options.period_end.ToString());
  response->set_threshold_months(report.options.default_threshold_months);
  for (const auto& [lagrum, months] : report.options.threshold_months_by_lagrum) {  // a std::map: sorted
    auto* t = response->add_lagrum_thresholds();
    t->set_lagrum(lagrum);
    t->set_months(months);
  }
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
}

// The submission with this event id on the quarter's submission stream, if any.
using FoundSubmission = std::optional<std::pair<EventRecord, v1d::EjVerkstalldaSubmitted>>;

Result<FoundSubmission> FindSubmission(EventStore& store, const std::string& stream, const Uuid& id) {
  ReadStreamOptions o;
  o.max_count = 1000;
  while (true) {
    auto page = store.ReadStream(stream, o);
    if (!page.ok()) {
      if (page.status().code() == Code::kNotFound) return FoundSubmission();
      return page.status();
    }
    for (auto& e : page->events) {
      if (e.id != id) continue;
      v1d::EjVerkstalldaSubmitted submission;
      if (!submission.ParseFromString(e.payload)) {
        return Status::DataLoss("the submission at position " + std::to_string(e.position) + " cannot be parsed");
      }
      return FoundSubmission(std::pair(std::move(e), std::move(submission)));
    }
    if (page->end_of_stream) return FoundSubmission();
    o.from_revision = page->next_revision;
  }
}

// Whether a retried request asks for the submission that was recorded.
bool SameParameters(const v1d::EjVerkstalldaSubmitted& s, const v1d::SubmitEjVerkstalldaRequest& r,
                    const CivilDate& submitted) {
  const v1d::EjVerkstalldaRequest& report = r.report();
  const uint32_t threshold = report.has_threshold_months()
                                 ? report.threshold_months()
                                 : static_cast<uint32_t>(EjVerkstalldaOptions{}.default_threshold_months);
  if (s.recipient() != r.recipient() || s.submitted_date() != submitted.ToString() || s.format() != report.format() ||
      s.known_at() != report.known_at() || s.threshold_months() != threshold ||
      static_cast<size_t>(s.lagrum_thresholds_size()) != report.threshold_months_by_lagrum().size()) {
    return false;
  }
  for (const auto& t : s.lagrum_thresholds()) {
    auto it = report.threshold_months_by_lagrum().find(t.lagrum());
    if (it == report.threshold_months_by_lagrum().end() || it->second != t.months()) return false;
  }
  return true;
}

// The request that computes a submitted report again.
v1d::EjVerkstalldaRequest RequestOf(const v1d::EjVerkstalldaSubmitted& s) {
  v1d::EjVerkstalldaRequest r;
  r.set_quarter(s.quarter());
  r.set_threshold_months(s.threshold_months());
  for (const auto& t : s.lagrum_thresholds()) (*r.mutable_threshold_months_by_lagrum())[t.lagrum()] = t.months();
  r.set_format(s.format());
  return r;
}

}  // namespace

ReportsService::ReportsService(EventStore* store, const projections::ProjectionRunner* case_facts,
                               const CaseFactsProjection* latest, const InsatsCatalogue* catalogue,
                               const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), case_facts_(case_facts), latest_(latest), catalogue_(catalogue), callers_(callers),
      gate_(gate) {}

namespace {

// A read model that has not caught up in time is UNAVAILABLE: retry.
Status CatchingUp(const Status& s) {
  if (s.code() != Code::kDeadlineExceeded) return s;
  return Status::Unavailable("the report's read model is still catching up with the log (" + s.message() +
                             "); retry shortly");
}

}  // namespace

Result<std::vector<pb::CaseFacts>> ReportsService::CurrentFacts(const grpc::ServerContext& context,
                                                                const std::string& insats, uint64_t* position) const {
  // Every write made before the call, from memory.
  const uint64_t size = store_->Size();
  const auto deadline = services::SteadyDeadline(context).value_or(std::chrono::steady_clock::now() + kDefaultWait);
  if (Status s = case_facts_->WaitFor(size, deadline); !s.ok()) return CatchingUp(s);
  auto facts = latest_->LatestFacts(insats, size, deadline, position);
  if (!facts.ok()) return CatchingUp(facts.status());
  return facts;
}

Result<ReportFacts> ReportsService::FactsAsOf(uint64_t as_of, const grpc::ServerContext& context,
                                              uint64_t* position) const {
  *position = std::min(as_of, store_->Size());
  const auto deadline = services::SteadyDeadline(context).value_or(std::chrono::steady_clock::now() + kDefaultWait);
  if (Status s = case_facts_->WaitFor(*position, deadline); !s.ok()) return CatchingUp(s);
  // Folded from the log, about two seconds per million events: stop as
  // soon as nobody waits for the answer.
  const uint64_t at = *position;
  return CaseFactsAsOf(*case_facts_, at, [&context, at]() -> Status {
    if (!context.IsCancelled()) return Status::Ok();
    return Status::DeadlineExceeded("the call ended (its deadline passed, or it was cancelled) while the state as of "
                                    "position " + std::to_string(at) +
                                    " was being folded from the log; nothing was returned. An earlier state takes "
                                    "seconds per million events: give the call a longer deadline");
  });
}

Result<std::string> ReportsService::InsatsOf(const std::string& code) const {
  if (code.empty()) return std::string(kDefaultInsats);
  if (!catalogue_->KnowsInsats(code)) {
    return Status::InvalidArgument("insats \"" + code + "\" is in no version of the insats catalogue");
  }
  return code;
}

Result<v1d::EjVerkstalldaResponse> ReportsService::BuildEjVerkstallda(const v1d::EjVerkstalldaRequest& request,
                                                                      std::optional<uint64_t> as_of,
                                                                      const grpc::ServerContext& context,
                                                                      bool check_catalogue) const {
  auto options = QuarterOptions(request.quarter());
  if (!options.ok()) return options.status();
  if (request.has_threshold_months()) {
    if (request.threshold_months() > kMaxThresholdMonths) {
      return Status::InvalidArgument("threshold_months must be at most " + std::to_string(kMaxThresholdMonths));
    }
    options->default_threshold_months = static_cast<int>(request.threshold_months());
  }
  for (const auto& [lagrum, months] : request.threshold_months_by_lagrum()) {
    if (check_catalogue && !catalogue_->KnowsLagrum(lagrum)) {
      return Status::InvalidArgument("threshold_months_by_lagrum names lagrum \"" + lagrum +
                                     "\", which is in no version of the insats catalogue");
    }
    if (months > kMaxThresholdMonths) {
      return Status::InvalidArgument("threshold_months_by_lagrum[\"" + lagrum + "\"] must be at most " +
                                     std::to_string(kMaxThresholdMonths));
    }
    options->threshold_months_by_lagrum[lagrum] = static_cast<int>(months);
  }
  if (!as_of && !request.known_at().empty()) {
    auto day = CivilDate::Parse(request.known_at(), "known_at");
    if (!day.ok()) return day.status();
    const TimestampMicros end_of_day = EndOfStockholmDay(*day);
    auto position = projections::PositionAtRecordedTime(*store_, end_of_day);
    if (!position.ok()) return position.status();
    as_of = *position;
  }
  uint64_t position = 0;
  v1d::EjVerkstalldaResponse response;
  if (as_of) {
    // An earlier state: folded from the log.
    auto facts = FactsAsOf(*as_of, context, &position);
    if (!facts.ok()) return facts.status();
    FillReport(ComputeEjVerkstallda(*facts, *options), position, &response);
  } else {
    // The current state, with every write made before the call: from memory.
    const uint64_t size = store_->Size();
    const auto deadline = services::SteadyDeadline(context).value_or(std::chrono::steady_clock::now() + kDefaultWait);
    if (Status s = case_facts_->WaitFor(size, deadline); !s.ok()) return CatchingUp(s);
    auto report = latest_->ReportLatest(*options, size, deadline, &position);
    if (!report.ok()) return CatchingUp(report.status());
    FillReport(*report, position, &response);
  }
  if (request.format() != v1d::REPORT_FORMAT_UNSPECIFIED) {
    auto document = RenderEjVerkstallda(response, request.format());
    if (!document.ok()) return document.status();
    response.set_document(std::move(document.value()));
  }
  return response;
}

grpc::Status ReportsService::EjVerkstallda(grpc::ServerContext* context, const v1d::EjVerkstalldaRequest* request,
                                           v1d::EjVerkstalldaResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto report = BuildEjVerkstallda(*request, std::nullopt, *context);
  if (!report.ok()) return Answer("DecisionReports.EjVerkstallda", report.status());
  *response = std::move(report.value());
  return grpc::Status::OK;
}

grpc::Status ReportsService::SubmitEjVerkstallda(grpc::ServerContext* context,
                                                 const v1d::SubmitEjVerkstalldaRequest* request,
                                                 v1d::SubmitEjVerkstalldaResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  const v1d::EjVerkstalldaRequest& wanted = request->report();
  if (wanted.format() == v1d::REPORT_FORMAT_UNSPECIFIED) {
    return ToGrpc(Status::InvalidArgument("report.format is required: the format of the document that is sent"));
  }
  if (request->recipient() == v1d::RECIPIENT_UNSPECIFIED || !v1d::Recipient_IsValid(request->recipient())) {
    return ToGrpc(Status::InvalidArgument("recipient is required: IVO, REVISORER or KOMMUNFULLMAKTIGE"));
  }
  auto quarter = QuarterOptions(wanted.quarter());
  if (!quarter.ok()) return ToGrpc(quarter.status());
  auto submitted = CivilDate::Parse(request->submitted_date(), "submitted_date");
  if (!submitted.ok()) return ToGrpc(submitted.status());
  if (*submitted > StockholmDate(NowMicros())) {
    return ToGrpc(Status::InvalidArgument("submitted_date " + submitted->ToString() + " is in the future"));
  }
  if (*submitted <= quarter->period_end) {
    return ToGrpc(Status::InvalidArgument("submitted_date " + submitted->ToString() + " is not after the quarter's end (" +
                                          quarter->period_end.ToString() + ")"));
  }
  Uuid id = Uuid::Random();
  if (!request->event_id().empty()) {
    auto parsed = Uuid::Parse(request->event_id());
    if (!parsed.ok()) return ToGrpc(Status::InvalidArgument("event_id must be a UUID"));
    id = *parsed;
  }
  const std::string stream = std::string(kSubmissionStreamPrefix) + wanted.quarter();

  // A retry, by the same caller with the same parameters, of a submission
  // already recorded is answered with that submission and its document,
  // computed again from the position it recorded (and checked against the
  // recorded SHA-256). Any other reuse of the event id is ALREADY_EXISTS.
  auto answer_recorded = [&](const EventRecord& record, const v1d::EjVerkstalldaSubmitted& recorded) {
    if (record.metadata.actor != caller->actor || !SameParameters(recorded, *request, *submitted)) {
      return ToGrpc(Status::AlreadyExists("event_id " + id.ToString() + " was used for another submission (position " +
                                          std::to_string(record.position) + "); nothing was written"));
    }
    auto again = BuildEjVerkstallda(RequestOf(recorded), recorded.as_of_position(), *context, false);
    if (!again.ok()) return Answer("DecisionReports.SubmitEjVerkstallda", again.status());
    if (Sha256Hex(again->document()) != recorded.document_sha256()) {
      return ToGrpc(Status::FailedPrecondition(
          "the submission at position " + std::to_string(record.position) +
          " is recorded, but its document no longer reproduces (rendered by " + recorded.renderer() + ", now " +
          RendererName() + "); ReproduceSubmission shows the difference"));
    }
    response->set_position(record.position);
    *response->mutable_submission() = recorded;
    response->set_document(again->document());
    response->set_duplicate(true);
    return grpc::Status::OK;
  };
  auto earlier = FindSubmission(*store_, stream, id);
  if (!earlier.ok()) return Answer("DecisionReports.SubmitEjVerkstallda", earlier.status());
  if (earlier->has_value()) return answer_recorded((*earlier)->first, (*earlier)->second);

  auto report = BuildEjVerkstallda(wanted, std::nullopt, *context);
  if (!report.ok()) return Answer("DecisionReports.SubmitEjVerkstallda", report.status());
  v1d::EjVerkstalldaSubmitted submission;
  submission.set_quarter(wanted.quarter());
  submission.set_threshold_months(report->threshold_months());
  *submission.mutable_lagrum_thresholds() = report->lagrum_thresholds();
  submission.set_as_of_position(report->as_of_position());
  submission.set_format(wanted.format());
  submission.set_recipient(request->recipient());
  submission.set_submitted_date(submitted->ToString());
  submission.set_document_sha256(Sha256Hex(report->document()));
  submission.set_document_bytes(report->document().size());
  submission.set_renderer_version(kRendererVersion);
  submission.set_rows(static_cast<uint32_t>(report->rows_size()));
  submission.set_known_at(wanted.known_at());
  submission.set_renderer(RendererName());

  ProposedEvent event;
  event.id = id;
  event.type = v1d::EjVerkstalldaSubmitted::descriptor()->full_name();
  event.content_type = std::string(kContentType);
  event.payload = submission.SerializeAsString();
  auto appended = store_->Append(stream, ExpectedRevision::Any(), {event}, caller->actor,
                                 services::SteadyDeadline(*context));
  if (!appended.ok()) {
    if (appended.status().code() == Code::kAlreadyExists) {
      // The id arrived meanwhile, e.g. a retry overlapping the first attempt,
      // which reflected another log position: answer with what was recorded.
      auto recorded = FindSubmission(*store_, stream, id);
      if (recorded.ok() && recorded->has_value()) return answer_recorded((*recorded)->first, (*recorded)->second);
    }
    return Answer("DecisionReports.SubmitEjVerkstallda", appended.status());
  }
  response->set_position(appended->first_position);
  *response->mutable_submission() = std::move(submission);
  response->set_document(report->document());
  response->set_duplicate(appended->duplicate);
  return grpc::Status::OK;
}

grpc::Status ReportsService::ReproduceSubmission(grpc::ServerContext* context,
                                                 const v1d::ReproduceSubmissionRequest* request,
                                                 v1d::ReproduceSubmissionResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  const std::string at = "position " + std::to_string(request->position());
  auto record = store_->ReadEvent(request->position());
  if (!record.ok()) {
    if (record.status().code() == Code::kNotFound || record.status().code() == Code::kOutOfRange) {
      return ToGrpc(Status::NotFound("the log has no event at " + at));
    }
    return Answer("DecisionReports.ReproduceSubmission", record.status());
  }
  if (record->type != v1d::EjVerkstalldaSubmitted::descriptor()->full_name() ||
      !record->stream.starts_with(kSubmissionStreamPrefix)) {
    return ToGrpc(Status::NotFound("the event at " + at + " is not a report submission"));
  }
  v1d::EjVerkstalldaSubmitted submission;
  if (!submission.ParseFromString(record->payload)) {
    return Answer("DecisionReports.ReproduceSubmission",
                  Status::DataLoss("the submission at " + at + " cannot be parsed"));
  }
  auto again = BuildEjVerkstallda(RequestOf(submission), submission.as_of_position(), *context, false);
  if (!again.ok()) return Answer("DecisionReports.ReproduceSubmission", again.status());
  const std::string sha = Sha256Hex(again->document());
  *response->mutable_submission() = std::move(submission);
  response->set_document_sha256(sha);
  response->set_identical(sha == response->submission().document_sha256());
  response->set_document(std::move(*again->mutable_document()));
  response->set_submitted_by(record->metadata.actor);
  response->set_renderer(RendererName());
  return grpc::Status::OK;
}

grpc::Status ReportsService::NotExecutedAtMonthEnd(grpc::ServerContext* context,
                                                   const v1d::NotExecutedAtMonthEndRequest* request,
                                                   v1d::NotExecutedAtMonthEndResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  const std::string& month = request->month();
  const auto first = month.size() == 7 ? CivilDate::TryParse(month + "-01") : std::nullopt;
  if (!first) return ToGrpc(Status::InvalidArgument("month must be YYYY-MM, e.g. 2024-03"));
  auto insats = InsatsOf(request->insats());
  if (!insats.ok()) return ToGrpc(insats.status());
  uint64_t position = 0;
  auto facts = CurrentFacts(*context, *insats, &position);
  if (!facts.ok()) return Answer("DecisionReports.NotExecutedAtMonthEnd", facts.status());

  response->set_month_end(CivilDate{first->year, first->month, DaysInMonth(first->year, first->month)}.ToString());
  response->set_insats(*insats);
  response->set_as_of_position(position);
  for (const auto& r : decisions::NotExecutedAtMonthEnd(*facts, *insats, first->year, first->month)) {
    auto* row = response->add_rows();
    row->set_case_id(r.case_id);
    row->set_sex(r.sex);
    row->set_child(r.child);
    row->set_decision_date(r.decision_date.ToString());
    row->set_days_waited(r.days_waited);
    row->set_offers(static_cast<uint32_t>(r.offers));
    row->set_reason(r.reason);
  }
  return grpc::Status::OK;
}

grpc::Status ReportsService::DaysToFirstOffer(grpc::ServerContext* context,
                                              const v1d::DaysToFirstOfferRequest* request,
                                              v1d::DaysToFirstOfferResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  auto insats = InsatsOf(request->insats());
  if (!insats.ok()) return ToGrpc(insats.status());
  uint64_t position = 0;
  auto facts = CurrentFacts(*context, *insats, &position);
  if (!facts.ok()) return Answer("DecisionReports.DaysToFirstOffer", facts.status());

  response->set_insats(*insats);
  response->set_as_of_position(position);
  for (const auto& y : decisions::DaysToFirstOffer(*facts, *insats)) {
    auto* year = response->add_years();
    year->set_year(y.year);
    year->set_cases(static_cast<uint32_t>(y.cases));
    year->set_mean_days(y.mean_days);
    year->set_median_days(y.median_days);
    year->set_max_days(y.max_days);
  }
  return grpc::Status::OK;
}

}  // namespace sparbar::decisions
