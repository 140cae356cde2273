// What the report methods of the deviations, complaints and incidents
// modules read from a request, the same way in each: the period (a
// calendar year, or from and to), a day (today in Sweden by default), and
// the log position an AsOf names. Errors are InvalidArgument naming the field, or OutOfRange for
// a position beyond the log.
#pragma once

#include <grpcpp/server_context.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "eventstore/store.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar {

// The period of a statistics request: a calendar year, or from and to (both days included).
Result<std::pair<CivilDate, CivilDate>> PeriodOf(const v1::deviations::StatisticsRequest& request);

// A date of a request, or today in Sweden when empty.
Result<CivilDate> DateOrToday(const std::string& text, const char* field);

// A judgement on a past day `on` is made on what the log knew at its end,
// unless the request names another state: what was done later is not seen
// as done then.
v1::deviations::AsOf JudgedOn(const std::string& on, v1::deviations::AsOf as_of);

// The log size `as_of` names: its position, the size at the end of its
// known_at day in Sweden, or the whole log.
Result<uint64_t> PositionAsOf(EventStore& store, const v1::deviations::AsOf& as_of);

// A `before_page` callback for folding a module's streams up to `position`
// for a call: DeadlineExceeded, naming `what` was being read, once the call
// has ended (its deadline passed, or it was cancelled). It holds a
// reference to `context`: use it only within the call.
std::function<Status()> StopWhenCallEnds(const grpc::ServerContext& context, uint64_t position, std::string what);

}  // namespace sparbar
