// ProtectedIdentitiesProjection: who has protected identity (skyddad
// identitet: sekretessmarkering, skyddad folkbokföring), from the person
// context the loggkontroll records (LogReview.RecordPerson, stream
// "loggkontext-personer", PersonContextRecorded), so that the access policy
// can keep such a person's records from roles not configured to see them.
//
// Stored state: "p" 0x01 <subject key> 0x01 <effective date YYYY-MM-DD> ->
// "1" (protected) or "0"; a later record for the same day replaces it. The
// subject is keyed by SubjectKey::Of(personnummer), never the number.
#pragma once

#include <string>

#include "projections/projection.h"
#include "projections/runner.h"
#include "services/access/subject_key.h"
#include "services/common/civil_date.h"

namespace sparbar::services {

class ProtectedIdentitiesProjection final : public projections::Projection {
 public:
  explicit ProtectedIdentitiesProjection(const access::SubjectKey* key) : key_(key) {}  // must outlive it

  std::string name() const override { return "protected-identities"; }
  // The key's fingerprint is part of the version: another key rebuilds the state.
  uint32_t version() const override;
  std::string StreamPrefix() const override;
  bool Wants(const EventRecord& event) const override;
  Status Apply(const EventRecord& event, projections::StateWriter& state) override;

 private:
  const access::SubjectKey* key_;
};

// Whether the person keyed `subject` has protected identity on `day`, as far
// as `runner` (running a ProtectedIdentitiesProjection) has read the log.
Result<bool> ProtectedOn(const projections::ProjectionRunner& runner, const std::string& subject,
                         const CivilDate& day);

}  // namespace sparbar::services
