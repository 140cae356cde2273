#include "services/access/own_reads.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <iterator>

namespace sparbar::access {

namespace v1a = ::sparbar::v1::access;

Status RecordOwnAccesses(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                         const std::vector<OwnAccess>& accesses, std::optional<EventStore::Deadline> deadline) {
  if (accesses.empty()) return Status::Ok();
  std::string roles;
  for (const auto& r : caller.roles) roles += (roles.empty() ? "" : ",") + r;
  const TimestampMicros now = NowMicros();
  std::vector<ProposedEvent> events;
  for (const OwnAccess& a : accesses) {
    v1a::AccessRecorded e;
    e.set_user_hsa_id(caller.actor);
    const std::string& role = a.role.empty() ? roles : a.role;
    e.set_role(role.empty() ? "ej angiven" : role.substr(0, 200));
    e.set_unit(a.unit.empty() ? std::string(kOwnSource) : a.unit);
    e.set_action(v1a::ACTION_READ);
    e.mutable_subject()->set_personal_identity_number(a.subject);
    e.set_record_ref(a.record_ref);
    e.set_source_system(std::string(kOwnSource));
    e.set_source_event_id("read-" + Uuid::Random().ToString());
    *e.mutable_accessed_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now);
    e.set_purpose(a.purpose);
    e.set_emergency_reason(a.emergency_reason);
    e.set_outcome(a.outcome);
    if (Status s = CheckAccess(e, now, limits); !s.ok()) {
      return Status::FailedPrecondition("this read cannot be recorded in the access log (" + s.message() +
                                        "), so nothing is returned");
    }
    ProposedEvent p;
    p.id = EventIdOf(e);
    p.type = EventType();
    p.content_type = std::string(kContentType);
    p.payload = Serialize(e);
    events.push_back(std::move(p));
  }
  // In appends of at most the batch limit (a review can list more people than one append takes).
  const size_t chunk = std::max<size_t>(1, limits.max_batch_events);
  for (size_t start = 0; start < events.size(); start += chunk) {
    std::vector<ProposedEvent> part(std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(start)),
                                    std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(
                                                                                 std::min(events.size(), start + chunk))));
    auto appended = store.Append(std::string(kStreamPrefix) + std::string(kOwnSource), ExpectedRevision::Any(),
                                 std::move(part), caller.actor, deadline);
    if (!appended.ok()) {
      return Status(appended.status().code(), "this read could not be recorded in the access log, so nothing is "
                                              "returned: " + appended.status().message());
    }
  }
  return Status::Ok();
}

Status RecordOwnReads(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                      const std::string& method, const std::vector<std::string>& subjects,
                      std::optional<EventStore::Deadline> deadline) {
  std::vector<OwnAccess> accesses;
  accesses.reserve(subjects.size());
  for (const std::string& subject : subjects) {
    if (subject.empty()) continue;  // a disposed person's data (gallrad): it names no one
    OwnAccess a;
    a.subject = subject;
    a.record_ref = method;
    accesses.push_back(std::move(a));
  }
  return RecordOwnAccesses(store, limits, caller, accesses, deadline);
}

}  // namespace sparbar::access
