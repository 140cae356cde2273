#include "services/authz/protected_identities.h"

#include "services/access/review_context.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::services {
namespace {

namespace lr = ::sparbar::v1::logreview;

std::string SubjectPrefix(const std::string& subject) { return std::string("p\x01", 2) + subject + '\x01'; }

}  // namespace

uint32_t ProtectedIdentitiesProjection::version() const { return 1u + (key_->fingerprint() << 4); }

std::string ProtectedIdentitiesProjection::StreamPrefix() const { return std::string(access::kPersonsStream); }

bool ProtectedIdentitiesProjection::Wants(const EventRecord& event) const {
  return event.stream == access::kPersonsStream &&
         event.type == lr::PersonContextRecorded::descriptor()->full_name();
}

Status ProtectedIdentitiesProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  lr::PersonContextRecorded person;
  // What LogReview.RecordPerson stores is normalized and dated; anything
  // else (the raw API) says nothing about anyone and is passed over.
  if (!person.ParseFromString(event.payload) || !access::IsStoredPnr(person.subject().personal_identity_number())) {
    return Status::Ok();
  }
  const auto from = CivilDate::TryParse(person.effective_date());
  if (!from) return Status::Ok();
  return state.Put(SubjectPrefix(key_->Of(person.subject().personal_identity_number())) + from->ToString(),
                   person.protected_identity() ? "1" : "0");
}

Result<bool> ProtectedOn(const projections::ProjectionRunner& runner, const std::string& subject,
                         const CivilDate& day) {
  const std::string prefix = SubjectPrefix(subject);
  auto facts = runner.Scan(prefix);
  if (!facts.ok()) return facts.status();
  const std::string last_day = day.ToString();
  bool protected_identity = false;
  for (const auto& [key, value] : *facts) {  // in date order
    if (key.substr(prefix.size()) > last_day) break;
    protected_identity = value == "1";
  }
  return protected_identity;
}

}  // namespace sparbar::services
