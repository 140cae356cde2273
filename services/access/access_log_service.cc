#include "services/access/access_log_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "services/access/access_index.h"
#include "services/access/log_extract.h"
#include "services/access/review_report.h"
#include "services/access/own_reads.h"
#include "services/access/reviewer.h"
#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "services/grpc_status.h"

namespace sparbar::access {
namespace {

namespace v1a = ::sparbar::v1::access;

Status InBatch(const std::string& what, const Status& s) { return Status(s.code(), what + ": " + s.message()); }

constexpr uint32_t kDefaultPageSize = 100, kMaxPageSize = 1000;

// A page token: the log size the listing reads, its period, and where the
// next page starts. It holds no personal data (no key of the person).
struct PageToken {
  uint64_t as_of = 0;
  int64_t from = 0, to = 0;
  std::string resume;  // 32 hex digits
};

std::string TokenText(const PageToken& t) {
  return std::to_string(t.as_of) + "." + std::to_string(t.from) + "." + std::to_string(t.to) + "." + t.resume;
}

Result<PageToken> ParseToken(const std::string& text) {
  PageToken t;
  char resume[33] = {0};
  unsigned long long as_of = 0;
  long long from = 0, to = 0;
  if (std::sscanf(text.c_str(), "%llu.%lld.%lld.%32s", &as_of, &from, &to, resume) != 4 ||
      text != std::to_string(as_of) + "." + std::to_string(from) + "." + std::to_string(to) + "." + resume) {
    return Status::InvalidArgument("page_token is malformed");
  }
  t.as_of = as_of;
  t.from = from;
  t.to = to;
  t.resume = resume;
  return t;
}

Result<int64_t> Micros(const google::protobuf::Timestamp& t, const char* field) {
  if (t.seconds() < 0 || t.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999'999'999) {
    return Status::InvalidArgument(std::string(field) + " is not a valid timestamp after 1970");
  }
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(t);
}

// A request's period [from, to] in microseconds: both required, valid, in order.
template <class Request>
Result<std::pair<int64_t, int64_t>> PeriodOf(const Request& request, const char* what) {
  if (!request.has_from() || !request.has_to()) {
    return Status::InvalidArgument(std::string("from and to are required: ") + what);
  }
  auto from = Micros(request.from(), "from");
  if (!from.ok()) return from.status();
  auto to = Micros(request.to(), "to");
  if (!to.ok()) return to.status();
  if (*to < *from) return Status::InvalidArgument("to must not be before from");
  return std::make_pair(*from, *to);
}

}  // namespace

AccessLogService::AccessLogService(EventStore* store, AccessLimits limits, const projections::ProjectionRunner* index,
                                   const SubjectKey* subject_key, const services::CallerResolver* callers,
                                   services::CallGate* gate)
    : store_(store), limits_(limits), index_(index), subject_key_(subject_key), callers_(callers), gate_(gate) {}

Result<v1a::BatchResult> AccessLogService::RecordBatch(v1a::IngestBatch& batch, const std::string& what,
                                                       const std::string& actor,
                                                       const grpc::ServerContext& context) {
  const size_t n = static_cast<size_t>(batch.events_size());
  if (n == 0) return Status::InvalidArgument(what + " has no events");
  if (n > limits_.max_batch_events) {
    return Status::ResourceExhausted(what + " has " + std::to_string(n) + " events, over the limit of " +
                                     std::to_string(limits_.max_batch_events) + " per batch");
  }
  const TimestampMicros now = NowMicros();
  std::set<std::string> source_ids;
  std::vector<Uuid> ids;
  std::vector<std::string> payloads;
  ids.reserve(n);
  payloads.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    v1a::AccessRecorded& e = *batch.mutable_events(static_cast<int>(i));
    const std::string event = what + ", event " + std::to_string(i);
    if (Status s = CheckAccess(e, now, limits_); !s.ok()) return InBatch(event, s);
    if (e.source_system() == kOwnSource) {
      return Status::InvalidArgument(event + ": source_system \"sparbar\" is reserved for Spårbar's own reads");
    }
    if (e.source_system() != batch.events(0).source_system()) {
      return Status::InvalidArgument(event + ": a batch holds one source system's events (event 0 is from " +
                                     batch.events(0).source_system() + ")");
    }
    if (!source_ids.insert(e.source_event_id()).second) {
      return Status::InvalidArgument(event + ": its source_event_id appears earlier in the batch");
    }
    ids.push_back(EventIdOf(e));
    payloads.push_back(Serialize(e));
  }
  const std::string stream = StreamOf(batch.events(0));
  v1a::BatchResult result;
  result.set_batch_id(batch.batch_id());
  result.set_events(static_cast<uint32_t>(n));
  // Twice at most: an event of the batch may be recorded by a concurrent call in between.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto found = store_->FindEventIds(ids);
    if (!found.ok()) return found.status();
    // The events recorded before, read in one batch and compared.
    std::vector<size_t> known;
    std::vector<uint64_t> known_at;
    std::vector<ProposedEvent> fresh;
    for (size_t i = 0; i < n; ++i) {
      if ((*found)[i]) {
        known.push_back(i);
        known_at.push_back(*(*found)[i]);
        continue;
      }
      ProposedEvent p;
      p.id = ids[i];
      p.type = EventType();
      p.content_type = std::string(kContentType);
      p.payload = payloads[i];
      fresh.push_back(std::move(p));
    }
    auto stored = store_->ReadEvents(known_at);
    if (!stored.ok()) return stored.status();
    result.clear_conflicting();
    for (size_t k = 0; k < known.size(); ++k) {
      const EventRecord& rec = (*stored)[k];
      if (rec.stream != stream || rec.type != EventType() || rec.payload != payloads[known[k]]) {
        if (batch.skip_conflicting()) {
          result.add_conflicting(static_cast<uint32_t>(known[k]));
          continue;
        }
        return Status::AlreadyExists(what + ", event " + std::to_string(known[k]) +
                                     ": its source_event_id was recorded with other content (position " +
                                     std::to_string(known_at[k]) + ")");
      }
    }
    const auto duplicates = static_cast<uint32_t>(known.size() - static_cast<size_t>(result.conflicting_size()));
    result.set_duplicates(duplicates);
    result.set_recorded(static_cast<uint32_t>(fresh.size()));
    if (fresh.empty()) return result;
    auto appended =
        store_->Append(stream, ExpectedRevision::Any(), std::move(fresh), actor, services::SteadyDeadline(context));
    if (appended.ok() && appended->duplicate) {
      // The same events were being committed by an earlier call (a retry
      // during a slow sync): they are recorded, but not by this batch.
      result.set_duplicates(static_cast<uint32_t>(n - static_cast<size_t>(result.conflicting_size())));
      result.set_recorded(0);
      return result;
    }
    if (appended.ok()) {
      result.set_first_position(appended->first_position);
      result.set_last_position(appended->last_position);
      return result;
    }
    if (appended.status().code() != Code::kAlreadyExists) return InBatch(what, appended.status());
  }
  return Status::Aborted(what + ": its events were being recorded by another call at the same time; send it again");
}

grpc::Status AccessLogService::Ingest(grpc::ServerContext* context, grpc::ServerReader<v1a::IngestBatch>* reader,
                                      v1a::IngestResponse* response) {
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  v1a::IngestBatch batch;
  size_t index = 0;
  while (reader->Read(&batch)) {
    std::string what = "batch " + std::to_string(index);
    if (!batch.batch_id().empty()) {
      const Status id = TextField(batch.batch_id(), "batch_id", 128, false);
      if (!id.ok() || ContainsPersonalIdentity(batch.batch_id(), StockholmDate(NowMicros()))) {
        return services::ToGrpc(Status::InvalidArgument(
            what + ": batch_id must be at most 128 bytes and hold no personal data"));
      }
      what += " (" + batch.batch_id() + ")";
    }
    auto result = RecordBatch(batch, what, caller->actor, *context);
    if (!result.ok()) {
      const std::string before = index == 0   ? ""
                                 : index == 1 ? "; the batch before it is recorded"
                                              : "; the " + std::to_string(index) + " batches before it are recorded";
      return services::Answer("AccessLog.Ingest",
                              Status(result.status().code(), result.status().message() + before +
                                                                 ", nothing of this one"));
    }
    response->set_recorded(response->recorded() + result->recorded());
    response->set_duplicates(response->duplicates() + result->duplicates());
    *response->add_batches() = std::move(result.value());
    ++index;
  }
  return grpc::Status::OK;
}

grpc::Status AccessLogService::ListAccesses(grpc::ServerContext* context, const v1a::ListAccessesRequest* request,
                                            v1a::ListAccessesResponse* response) {
  constexpr const char* kMethod = "AccessLog.ListAccesses";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = ResolveReviewer(*callers_, *context, "listing accesses");
  if (!caller.ok()) return services::ToGrpc(caller.status());
  IndexBy by = IndexBy::kUser;
  std::string who;
  std::vector<std::string> queried_subject;
  switch (request->who_case()) {
    case v1a::ListAccessesRequest::kUserHsaId: who = request->user_hsa_id(); break;
    case v1a::ListAccessesRequest::kUnit:
      by = IndexBy::kUnit;
      who = request->unit();
      break;
    case v1a::ListAccessesRequest::kPersonalIdentityNumber: {
      auto person = ParsePersonalIdentity(request->personal_identity_number(), StockholmDate(NowMicros()),
                                          "personal_identity_number");
      if (!person.ok()) return services::ToGrpc(person.status());
      by = IndexBy::kSubject;
      who = subject_key_->Of(person->number);
      queried_subject.push_back(person->number);
      break;
    }
    case v1a::ListAccessesRequest::WHO_NOT_SET:
      return services::ToGrpc(Status::InvalidArgument("one of user_hsa_id, personal_identity_number or unit is required"));
  }
  if (who.empty()) return services::ToGrpc(Status::InvalidArgument("the user or unit to list is empty"));
  auto period = PeriodOf(*request, "the period to list");
  if (!period.ok()) return services::ToGrpc(period.status());
  const int64_t* from = &period->first;
  const int64_t* to = &period->second;
  if (request->page_size() > kMaxPageSize) {
    return services::ToGrpc(Status::InvalidArgument("page_size must be at most " + std::to_string(kMaxPageSize)));
  }
  std::set<int> actions;
  for (int a : request->actions()) {
    if (a == v1a::ACTION_UNSPECIFIED || !v1a::Action_IsValid(a)) {
      return services::ToGrpc(Status::InvalidArgument("actions holds an unknown action"));
    }
    actions.insert(a);
  }
  // A first page reads every write made before the call (waiting for the
  // index to reach it); the next pages read the same log size, so that what
  // is recorded meanwhile (this listing's own reads among it) neither shifts
  // nor lengthens the listing.
  uint64_t size = store_->Size();
  std::string resume;
  if (!request->page_token().empty()) {
    auto token = ParseToken(request->page_token());
    if (!token.ok()) return services::ToGrpc(token.status());
    if (token->from != *from || token->to != *to || token->as_of > size) {
      return services::ToGrpc(Status::InvalidArgument("page_token belongs to another query"));
    }
    size = token->as_of;
    resume = token->resume;
  }
  const auto deadline =
      services::SteadyDeadline(*context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  if (Status s = index_->WaitFor(size, deadline); !s.ok()) return services::Answer(kMethod, s);
  const size_t limit = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  auto page = ScanIndex(*index_, by, who, *from, *to, limit, resume, size);
  if (!page.ok()) return services::Answer(kMethod, page.status());
  auto events = store_->ReadEvents(page->positions);
  if (!events.ok()) return services::Answer(kMethod, events.status());
  v1a::ListAccessesResponse answer;
  std::set<std::string> subjects(queried_subject.begin(), queried_subject.end());
  for (const EventRecord& e : *events) {
    v1a::RecordedAccess* r = answer.add_accesses();
    if (!r->mutable_access()->ParseFromString(e.payload)) {
      return services::Answer(kMethod, Status::DataLoss("the access event at position " +
                                                        std::to_string(e.position) + " does not parse"));
    }
    if (!actions.empty() && !actions.count(r->access().action())) {
      answer.mutable_accesses()->RemoveLast();
      continue;
    }
    r->set_position(e.position);
    *r->mutable_recorded_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(e.recorded_at);
    subjects.insert(r->access().subject().personal_identity_number());
  }
  if (!page->resume_after.empty()) answer.set_next_page_token(TokenText({size, *from, *to, page->resume_after}));
  answer.set_as_of_position(size);
  if (Status s = RecordOwnReads(*store_, limits_, *caller, kMethod, {subjects.begin(), subjects.end()},
                                services::SteadyDeadline(*context));
      !s.ok()) {
    return services::Answer(kMethod, s);
  }
  *response = std::move(answer);
  return grpc::Status::OK;
}

grpc::Status AccessLogService::LogExtract(grpc::ServerContext* context, const v1a::LogExtractRequest* request,
                                          v1a::LogExtractResponse* response) {
  constexpr const char* kMethod = "AccessLog.LogExtract";
  constexpr size_t kMaxAccesses = 100000, kPage = 10000;
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = ResolveReviewer(*callers_, *context, "a log extract");
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto person = ParsePersonalIdentity(request->personal_identity_number(), StockholmDate(NowMicros()),
                                      "personal_identity_number");
  if (!person.ok()) return services::ToGrpc(person.status());
  auto period = PeriodOf(*request, "the period of the extract");
  if (!period.ok()) return services::ToGrpc(period.status());
  const int64_t* from = &period->first;
  const int64_t* to = &period->second;
  if (!v1a::ExtractFormat_IsValid(request->format())) {
    return services::ToGrpc(Status::InvalidArgument("format must be HTML or CSV"));
  }
  const uint64_t size = store_->Size();
  const auto deadline =
      services::SteadyDeadline(*context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  if (Status s = index_->WaitFor(size, deadline); !s.ok()) return services::Answer(kMethod, s);
  ExtractInput input;
  input.personal_identity_number = person->number;
  input.from = SwedishTime(*from);
  input.to = SwedishTime(*to);
  input.as_of_position = size;
  const std::string who = subject_key_->Of(person->number);
  std::string resume;
  while (true) {
    auto page = ScanIndex(*index_, IndexBy::kSubject, who, *from, *to, kPage, resume, size);
    if (!page.ok()) return services::Answer(kMethod, page.status());
    if (input.accesses.size() + page->positions.size() > kMaxAccesses) {
      return services::ToGrpc(Status::ResourceExhausted(
          "the period holds more than " + std::to_string(kMaxAccesses) + " accesses; ask for a shorter one"));
    }
    auto events = store_->ReadEvents(page->positions);
    if (!events.ok()) return services::Answer(kMethod, events.status());
    for (const EventRecord& e : *events) {
      v1a::RecordedAccess& r = input.accesses.emplace_back();
      if (!r.mutable_access()->ParseFromString(e.payload)) {
        return services::Answer(kMethod, Status::DataLoss("the access event at position " +
                                                          std::to_string(e.position) + " does not parse"));
      }
      r.set_position(e.position);
      *r.mutable_recorded_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(e.recorded_at);
    }
    if (page->resume_after.empty()) break;
    resume = page->resume_after;
  }
  if (Status s = RecordOwnReads(*store_, limits_, *caller, kMethod, {person->number},
                                services::SteadyDeadline(*context));
      !s.ok()) {
    return services::Answer(kMethod, s);
  }
  response->set_document(RenderLogExtract(input, request->format()));
  response->set_accesses(input.accesses.size());
  response->set_as_of_position(size);
  return grpc::Status::OK;
}

}  // namespace sparbar::access
