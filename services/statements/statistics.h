// The statements module's report figures as pure functions of the folded
// requests (view.h), so that a report computed again from the same log
// position is the same report.
//
// StatementStatistics counts the requests received within [from, to], per
// authority, subject, authority and subject, and area. Of those, it counts
// what the log knows at the report's position, whenever it happened (a
// statement sent after the period counts): the statements sent and those
// sent by the (latest) due date, the requests closed and closed with
// criticism, and those the committee was informed of. The one figure
// judged on the period's last day is open_at_period_end: neither sent nor
// closed by then. BuildDue lists the requests awaiting a statement on a day.
#pragma once

#include "services/common/civil_date.h"
#include "services/statements/view.h"
#include "sparbar/v1/statements_service.pb.h"

namespace sparbar::statements {

namespace rpb = ::sparbar::v1::statements;

rpb::StatementStatistics StatementStatistics(const StatementsView& view, const CivilDate& from, const CivilDate& to);

// Requests received by `on` awaiting a statement then, of `authority`
// (unspecified: every one), by due date then stream.
rpb::DueResponse BuildDue(const StatementsView& view, const CivilDate& on, pb::Authority authority);

}  // namespace sparbar::statements
