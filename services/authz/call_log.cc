#include "services/authz/call_log.h"

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::services {
namespace {

constexpr size_t kMaxScope = 2000;

// `text` cut to at most `max` bytes, not inside a UTF-8 sequence.
std::string CutUtf8(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "…";
}

// Appends one CallRecorded for `caller`'s call of caller.method, with
// `scope` (ScopeOf the request, or empty). A failure keeps its code; its
// message says the call was not recorded.
Status RecordCall(EventStore& store, const Caller& caller, const std::string& scope, v1::access::Outcome outcome,
                  const std::string& refusal, std::optional<EventStore::Deadline> deadline) {
  v1::access::CallRecorded e;
  e.set_user(caller.actor);
  for (const auto& r : caller.roles) e.add_roles(r);
  for (const auto& u : caller.units) e.add_units(u);
  e.set_method(caller.method);
  e.set_scope(scope);
  *e.mutable_called_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(NowMicros());
  e.set_outcome(outcome);
  e.set_refusal(refusal);
  ProposedEvent p;
  p.id = Uuid::Random();
  p.type = CallRecordedType();
  p.content_type = "application/x-protobuf";
  e.SerializeToString(&p.payload);
  std::vector<ProposedEvent> events;
  events.push_back(std::move(p));
  auto appended = store.Append(std::string(kCallLogStream), ExpectedRevision::Any(), std::move(events), caller.actor,
                               deadline);
  if (!appended.ok()) {
    return Status(appended.status().code(),
                  "this call could not be recorded in the log: " + appended.status().message());
  }
  return Status::Ok();
}

}  // namespace

const std::string& CallRecordedType() {
  static const std::string type = v1::access::CallRecorded::descriptor()->full_name();
  return type;
}

std::string ScopeOf(const google::protobuf::Message* request) {
  if (request == nullptr) return "(the request is not known)";
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*request, &json, options).ok()) {
    return "(the request could not be written as JSON)";
  }
  if (ContainsPersonalIdentity(json, StockholmDate(NowMicros()))) {
    return "(the request holds a personnummer and is recorded without its fields)";
  }
  return CutUtf8(std::move(json), kMaxScope);
}

Status RefuseCall(EventStore& store, const Caller& caller, const std::string& refusal,
                  std::optional<EventStore::Deadline> deadline) {
  if (Status s = RecordCall(store, caller, "", v1::access::OUTCOME_DENIED, refusal, deadline); !s.ok()) {
    return Status(s.code(), "the call is refused (" + refusal + "), and " + s.message());
  }
  return Status::PermissionDenied(refusal);
}

Status RecordScope(EventStore& store, const Caller& caller, const google::protobuf::Message* request,
                   std::optional<EventStore::Deadline> deadline) {
  if (Status s = RecordCall(store, caller, ScopeOf(request), v1::access::OUTCOME_ALLOWED, "", deadline); !s.ok()) {
    return Status(s.code(), s.message() + ", so nothing is returned");
  }
  return Status::Ok();
}

}  // namespace sparbar::services
