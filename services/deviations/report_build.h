// The deviations module's reports as messages (deviations_reports_service.proto),
// built from a DeviationsView: pure functions of the view and their
// parameters, so a report computed again from the same log position is the
// same report.
#pragma once

#include "services/common/civil_date.h"
#include "services/deviations/deadlines.h"
#include "services/deviations/module_view.h"
#include "services/deviations/taxonomy.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar::deviations {

namespace rpb = ::sparbar::v1::deviations;

// Deviations reported in [from, to], with the lex Sarah and lex Maria cases
// opened by `to` that took them up (linked from either side).
rpb::AvvikelserReport BuildAvvikelserReport(const DeviationsView& view, const DeviationTaxonomy& taxonomy,
                                            const CivilDate& from, const CivilDate& to);
rpb::LexSarahReport BuildLexSarahReport(const DeviationsView& view, const CivilDate& from, const CivilDate& to);
rpb::LexMariaReport BuildLexMariaReport(const DeviationsView& view, const CivilDate& from, const CivilDate& to);

// The steps awaited on `on` (only the overdue unless `all`), filtered by unit
// and role, with the overdue counted per unit and per role.
rpb::OverdueResponse BuildOverdue(const DeviationsView& view, const DeadlineRules& rules, const CivilDate& on,
                                  const std::string& unit, const std::string& role, bool all);

// Open follow-up cases with no progress entry in `days` days before `on`.
rpb::StalePlansResponse BuildStalePlans(const DeviationsView& view, const CivilDate& on, int days);

}  // namespace sparbar::deviations
