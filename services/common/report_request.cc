#include "services/common/report_request.h"

#include "projections/runner.h"
#include "services/common/swedish_time.h"

namespace sparbar {

Result<std::pair<CivilDate, CivilDate>> PeriodOf(const v1::deviations::StatisticsRequest& r) {
  const bool range = !r.from().empty() || !r.to().empty();
  if (r.year() != 0 && range) return Status::InvalidArgument("give year, or from and to, not both");
  if (r.year() != 0) {
    if (r.year() < 1800 || r.year() > 2999) return Status::InvalidArgument("year must be from 1800 to 2999");
    const int y = static_cast<int>(r.year());
    return std::pair{CivilDate{y, 1, 1}, CivilDate{y, 12, 31}};
  }
  if (!range) return Status::InvalidArgument("year is required (or from and to, YYYY-MM-DD)");
  auto from = CivilDate::Parse(r.from(), "from");
  if (!from.ok()) return from.status();
  auto to = CivilDate::Parse(r.to(), "to");
  if (!to.ok()) return to.status();
  if (*to < *from) return Status::InvalidArgument("to must not be before from");
  return std::pair{*from, *to};
}

Result<CivilDate> DateOrToday(const std::string& text, const char* field) {
  if (text.empty()) return StockholmDate(NowMicros());
  return CivilDate::Parse(text, field);
}

v1::deviations::AsOf JudgedOn(const std::string& on, v1::deviations::AsOf as_of) {
  if (!on.empty() && !as_of.has_position() && as_of.known_at().empty()) as_of.set_known_at(on);
  return as_of;
}

Result<uint64_t> PositionAsOf(EventStore& store, const v1::deviations::AsOf& as_of) {
  const uint64_t size = store.Size();
  if (as_of.has_position() && !as_of.known_at().empty()) {
    return Status::InvalidArgument("as_of: give position or known_at, not both");
  }
  if (as_of.has_position()) {
    if (as_of.position() > size) {
      return Status::OutOfRange("as_of.position " + std::to_string(as_of.position()) + " is beyond the log, which has " +
                                std::to_string(size) + " events");
    }
    return as_of.position();
  }
  if (as_of.known_at().empty()) return size;
  auto day = CivilDate::Parse(as_of.known_at(), "as_of.known_at");
  if (!day.ok()) return day.status();
  return projections::PositionAtRecordedTime(store, EndOfStockholmDay(*day));
}

std::function<Status()> StopWhenCallEnds(const grpc::ServerContext& context, uint64_t position, std::string what) {
  return [&context, position, what = std::move(what)]() -> Status {
    if (!context.IsCancelled()) return Status::Ok();
    return Status::DeadlineExceeded("the call ended (its deadline passed, or it was cancelled) while the " + what +
                                    " were being read from the log up to position " + std::to_string(position) +
                                    "; give the call a longer deadline");
  };
}

}  // namespace sparbar
