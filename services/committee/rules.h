// The committee module's configuration (config/namnd.json): the days within
// which a meeting's protocol is attested, the attestation's notice posted,
// how long the notice stays up, when a delegation decision should have been
// reported to the committee, and how long an authority's request for a
// statement gives when it names no due date. Nothing compiled in.
//
// - attest_within_days (14): from the meeting to the attestation.
// - notice_within_days (2): from the attestation to the posting
//   (Kommunallag 8 kap. 12 §); a later posting is recorded and flagged.
// - notice_min_days (21): the least time the notice stays up
//   (three weeks for laglighetsprövning, Kommunallag 13 kap. 5 §).
// - delegation_report_within_days (60): from a delegation decision to the
//   meeting it is reported to; a later report is flagged.
// - statement_answer_days ({"ivo", "jo", "patientnamnden", "other"}: 28
//   each): a request's due date when the authority gave none.
// Days are whole numbers from 0 to 3650 (1 to 3650 for the answer days).
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
  int delegation_report_within_days() const { return delegation_report_within_days_; }
  // `authority` is "ivo", "jo", "patientnamnden" or "other".
  int StatementAnswerDays(std::string_view authority) const;

 private:
  int attest_within_days_ = 14, notice_within_days_ = 2, notice_min_days_ = 21;
  int delegation_report_within_days_ = 60;
  int answer_ivo_ = 28, answer_jo_ = 28, answer_patientnamnden_ = 28, answer_other_ = 28;
};

}  // namespace sparbar::committee
