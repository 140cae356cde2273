// The committee module's configuration (config/namnd.json): the days within
// which a meeting's protocol is attested, the attestation's notice posted,
// and how long the notice stays up. Nothing compiled in.
//
// - attest_within_days (14): from the meeting to the attestation.
// - notice_within_days (2): from the attestation to the posting
//   (Kommunallag 8 kap. 12 §); a later posting is recorded and flagged.
// - notice_min_days (21): the least time the notice stays up
//   (three weeks for laglighetsprövning, Kommunallag 13 kap. 5 §).
// Days are whole numbers from 0 to 3650.
#pragma once

#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::committee {

class CommitteeRules {
 public:
  static Result<CommitteeRules> FromJson(std::string_view json);
  static Result<CommitteeRules> LoadFile(const std::string& path);

  int attest_within_days() const { return attest_within_days_; }
  int notice_within_days() const { return notice_within_days_; }
  int notice_min_days() const { return notice_min_days_; }

 private:
  int attest_within_days_ = 14, notice_within_days_ = 2, notice_min_days_ = 21;
};

}  // namespace sparbar::committee
