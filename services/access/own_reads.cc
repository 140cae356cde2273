#include "services/access/own_reads.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <iterator>

namespace sparbar::access {

namespace v1a = ::sparbar::v1::access;

Status RecordOwnReads(EventStore& store, const AccessLimits& limits, const services::Caller& caller,
                      const std::string& method, const std::vector<std::string>& subjects,
                      std::optional<EventStore::Deadline> deadline) {
  if (subjects.empty()) return Status::Ok();
  std::string roles;
  for (const auto& r : caller.roles) roles += (roles.empty() ? "" : ",") + r;
  const TimestampMicros now = NowMicros();
  std::vector<ProposedEvent> events;
  for (const std::string& subject : subjects) {
    v1a::AccessRecorded e;
    e.set_user_hsa_id(caller.actor);
    e.set_role(roles.empty() ? "ej angiven" : roles.substr(0, 200));
    e.set_unit(std::string(kOwnSource));
    e.set_action(v1a::ACTION_READ);
    e.mutable_subject()->set_personal_identity_number(subject);
    e.set_record_ref(method);
    e.set_source_system(std::string(kOwnSource));
    e.set_source_event_id("read-" + Uuid::Random().ToString());
    *e.mutable_accessed_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now);
    e.set_purpose(v1a::PURPOSE_NORMAL_WORK);
    e.set_outcome(v1a::OUTCOME_ALLOWED);
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

}  // namespace sparbar::access
