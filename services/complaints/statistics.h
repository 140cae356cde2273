// The complaints module's report figures as pure functions of the cases'
// folded states (case.h) and the rules (rules.h), so that a report computed
// again from the same log position is the same report.
//
// ComplaintsStatistics counts the cases received within [from, to], the
// way Luleå's quality report for 2025 does (seed 003 L5239-L5308): kinds,
// channels (the e-service apart), sex and kind of submitter, topic areas
// (a case can have several, so area counts are of cases per area), answer
// times in the standard and the extended deadline's days, actions, and the
// cases that also became deviations. Answer times count every answer the
// log holds, also one given after the period: a December case answered in
// January is answered late, not unanswered.
//
// BuildReminders lists the reminders due on a day (ReminderDue in case.h).
#pragma once

#include <string>

#include "services/common/civil_date.h"
#include "services/complaints/case.h"
#include "services/complaints/rules.h"
#include "services/complaints/view.h"
#include "sparbar/v1/complaints_service.pb.h"

namespace sparbar::complaints {

namespace rpb = ::sparbar::v1::complaints;

rpb::ComplaintStatistics ComplaintsStatistics(const ComplaintsView& view, const ComplaintRules& rules,
                                              const CivilDate& from, const CivilDate& to);

// The reminders due on `on` for the open cases, filtered by unit and
// responsible officer (empty: all), by due date then stream.
rpb::RemindersResponse BuildReminders(const ComplaintsView& view, const ComplaintRules& rules, const CivilDate& on,
                                      const std::string& unit, const std::string& responsible);

// Labels of the enums as the reports print them (Swedish).
const char* KindLabel(pb::Kind kind);
const char* ChannelLabel(pb::Channel channel);
const char* SubmitterLabel(pb::Submitter submitter);
const char* ReasonLabel(pb::ReminderReason reason);

}  // namespace sparbar::complaints
