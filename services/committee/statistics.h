// The committee module's report figures as pure functions of the meetings'
// folded states (meeting.h) and the rules (rules.h), so that a report
// computed again from the same log position is the same report.
//
// CommitteeStatistics counts the meetings held within [from, to] and their
// paragraphs, diarienummer forms, reservations and protocol notes,
// paragraphs attested at once, and whether each protocol was attested and
// its notice posted within the configured days (a step taken after the
// period still counts for its meeting). BuildDue lists the protocols
// awaiting attestation or their notice on a day.
#pragma once

#include <string>

#include "services/committee/rules.h"
#include "services/committee/view.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/committee_service.pb.h"

namespace sparbar::committee {

namespace rpb = ::sparbar::v1::committee;

rpb::CommitteeStatistics CommitteeStatistics(const MeetingsView& view, const CommitteeRules& rules,
                                             const CivilDate& from, const CivilDate& to);

// For meetings held by `on` of `body` (empty: every body), by due date then stream.
rpb::DueResponse BuildDue(const MeetingsView& view, const CommitteeRules& rules, const CivilDate& on,
                          const std::string& body);

}  // namespace sparbar::committee
