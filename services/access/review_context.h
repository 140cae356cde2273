// ReviewContext: what the loggkontroll rules know besides the accesses,
// folded from the log as it stood at one size, so that a review's flags can
// be computed again exactly:
// - from the context streams ("loggkontext-", log_review.proto): each
//   person's skyddad identitet and surname over time, each staff member's
//   surname, units and own identity, each unit's working hours;
// - from the decisions cases ("beslut-"): when each person had a case open
//   at which unit (from the application to its end, closure or refusal),
//   kept by ReviewCasesProjection (review_cases.h);
// - from the access rights ("behorighet-", services/access_rights): which
//   rights each user held when (RightsRegister).
// People are keyed by SubjectKey::Of(personnummer) and surnames kept only as
// keyed hashes (SurnameHashes): the context holds no personal data in clear.
// An event that does not parse is left out and counted in `unreadable`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store.h"
#include "services/access_rights/register.h"
#include "services/access/subject_key.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::access {

namespace lr = ::sparbar::v1::logreview;
namespace pb = ::sparbar::v1::access;

inline constexpr std::string_view kContextStreamPrefix = "loggkontext-";
inline constexpr std::string_view kPersonsStream = "loggkontext-personer";
inline constexpr std::string_view kStaffStream = "loggkontext-personal";
inline constexpr std::string_view kHoursStream = "loggkontext-arbetstider";

// The keyed hashes of a surname's parts ("Andersson-Berg": two; particles
// such as "von" and "af" left out), compared case-insensitively (ASCII and
// Å, Ä, Ö, É, Ü); none for an empty surname.
std::set<std::string> SurnameHashes(const SubjectKey& key, std::string_view surname);

struct ReviewContext {
  struct PersonFact {
    CivilDate from;
    bool protected_identity = false;
    std::set<std::string> surname;  // keyed hashes
  };
  struct Staff {
    std::set<std::string> surname;  // keyed hashes
    std::string own_subject;        // subject key, when known
    std::set<std::string> units;
  };
  struct CaseSpan {
    std::string unit;
    CivilDate from;
    std::optional<CivilDate> to;  // nullopt: still open
  };

  std::map<std::string, std::vector<PersonFact>> persons;  // by subject key, by `from`
  std::map<std::string, Staff> staff;                      // by user
  std::map<std::string, std::set<std::string>> staff_by_subject;  // subject key -> users
  std::map<std::string, std::vector<lr::DaySpan>> hours;   // by unit
  std::map<std::string, std::vector<CaseSpan>> cases;      // by subject key
  access_rights::RightsRegister rights;
  uint64_t unreadable = 0;

  // What held for the person on `day` (nullptr: nothing recorded by then).
  const PersonFact* PersonOn(const std::string& subject, const CivilDate& day) const;
  // The people with skyddad identitet on some day of [from, to].
  std::vector<std::string> ProtectedDuring(const CivilDate& from, const CivilDate& to) const;
};

// Folds the context streams from events [0, size) of the log; `cases` is
// left for the caller (ReviewCasesProjection::CasesAsOf).
Result<ReviewContext> FoldReviewContext(EventStore& store, const SubjectKey& key, uint64_t size);

// Whether `n` is a personnummer as events hold it once checked: 12 digits.
bool IsStoredPnr(std::string_view n);

}  // namespace sparbar::access
