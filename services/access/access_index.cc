#include "services/access/access_index.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "services/access/access_event.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

#include <algorithm>
#include <charconv>

namespace sparbar::access {
namespace {

constexpr uint32_t kLogicVersion = 7;  // 7: the role in the user key's value

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Prefix(IndexBy by, const std::string& who) {
  std::string p(1, static_cast<char>(by));
  p += who;
  p += '\x01';
  return p;
}

// Access times before 1970 are refused on intake, so the time is never negative.
std::string Key(IndexBy by, const std::string& who, int64_t time_us, uint64_t position) {
  return Prefix(by, who) + Hex16(static_cast<uint64_t>(time_us)) + Hex16(position);
}

}  // namespace

uint32_t AccessIndexProjection::version() const { return (key_->fingerprint() & 0xffffff00u) | kLogicVersion; }

std::string AccessIndexProjection::StreamPrefix() const { return std::string(kStreamPrefix); }

bool AccessIndexProjection::Wants(const EventRecord& event) const { return event.type == EventType(); }

namespace {

// Whether an identifier can be part of an index key: what the intake's
// checks guarantee, checked again because the raw EventStore API can append
// anything to an atkomst- stream. Pure: the century of a two-digit year is
// taken from the day the event was recorded.
bool Keyable(const std::string& id, const CivilDate& recorded_on) {
  if (id.empty() || id.size() > 200) return false;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return !ContainsPersonalIdentity(id, recorded_on);
}

}  // namespace

Status AccessIndexProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  // An event the intake would have refused (only possible through a raw
  // append) is left out of the index rather than stopping it: the log
  // cannot be changed, so stopping would be for good.
  pb::AccessRecorded access;
  if (!access.ParseFromString(event.payload)) return Status::Ok();
  const auto& ts = access.accessed_at();
  if (ts.seconds() < 0 || ts.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999'999'999) {
    return Status::Ok();
  }
  const int64_t at = google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts);
  const CivilDate recorded_on = StockholmDate(event.recorded_at);
  const std::string& pnr = access.subject().personal_identity_number();
  // A disposed person's access (gallrad) stays the user's and the unit's, and is no one's.
  const bool disposed = access.subject().disposed();
  if (!Keyable(access.user_hsa_id(), recorded_on) || !Keyable(access.unit(), recorded_on) ||
      (!disposed && (pnr.size() != 12 || pnr.find_first_not_of("0123456789") != std::string::npos))) {
    return Status::Ok();
  }
  // The source system is the stream's name; a raw append can name any stream.
  const std::string system = event.stream.substr(kStreamPrefix.size());
  // The event's own source system must be the stream's, and its role keyable:
  // reports print both.
  if (!Keyable(system, recorded_on) || access.source_system() != system || !Keyable(access.role(), recorded_on)) {
    return Status::Ok();
  }
  const std::string subject = disposed ? std::string() : key_->Of(pnr);
  const int purpose = access.purpose() >= 0 && access.purpose() <= 9 ? access.purpose() : 0;
  SPARBAR_RETURN_IF_ERROR(state.Put(Key(IndexBy::kUser, access.user_hsa_id(), at, event.position),
                                    subject + '\x01' + access.unit() + '\x01' + system + '\x01' +
                                        access.role() + '\x01' + static_cast<char>('0' + purpose)));
  SPARBAR_RETURN_IF_ERROR(state.Put(Key(IndexBy::kUnit, access.unit(), at, event.position), ""));
  if (!disposed) SPARBAR_RETURN_IF_ERROR(state.Put(Key(IndexBy::kSubject, subject, at, event.position), ""));
  const std::string day = StockholmDate(at).ToString();
  const std::string who = '\x01' + access.unit() + '\x01' + system + '\x01' + access.user_hsa_id();
  auto day_was_known = MarkActive(kActiveOnDay + day + who, state);
  if (!day_was_known.ok()) return day_was_known.status();
  // A day's key and its month's are marked together: a known day's month is known.
  if (*day_was_known) return Status::Ok();
  return MarkActive(kActiveInMonth + day.substr(0, 7) + who, state).status();
}

Result<bool> AccessIndexProjection::MarkActive(std::string key, projections::StateWriter& state) {
  if (active_known_.count(key) || active_staged_.count(key)) return true;
  auto stored = state.Get(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) SPARBAR_RETURN_IF_ERROR(state.Put(key, ""));
  active_staged_.insert(std::move(key));
  return false;
}

Status AccessIndexProjection::Restore(const ScanFn&, uint64_t) {
  active_known_.clear();
  active_staged_.clear();
  return Status::Ok();
}

void AccessIndexProjection::Committed(uint64_t) {
  // Bounded: past a million keys the set starts again, and the keys are
  // looked up in the state once more.
  if (active_known_.size() + active_staged_.size() > 1'000'000) active_known_.clear();
  active_known_.merge(active_staged_);
  active_staged_.clear();
}

void AccessIndexProjection::Discarded() { active_staged_.clear(); }

Result<IndexPage> ScanIndex(const projections::ProjectionRunner& index, IndexBy by, const std::string& who,
                            int64_t from_us, int64_t to_us, size_t limit, const std::string& resume_after,
                            uint64_t as_of) {
  const std::string prefix = Prefix(by, who);
  // A fresh scan starts after the last key a time before `from` can have; a
  // resumed one after the last key it returned.
  const std::string start =
      from_us <= 0 ? prefix : prefix + Hex16(static_cast<uint64_t>(from_us - 1)) + "ffffffffffffffff";
  std::string after = start;
  if (!resume_after.empty()) {
    if (resume_after.size() != 32 || resume_after.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Status::InvalidArgument("page_token is malformed");
    }
    after = std::max(start, prefix + resume_after);  // never before the period
  }
  auto rows = index.Scan(prefix, as_of, limit + 1, after);
  if (!rows.ok()) return rows.status();
  IndexPage page;
  for (const auto& [key, value] : *rows) {
    if (key.size() != prefix.size() + 32) return Status::DataLoss("malformed access index key");
    uint64_t time = 0, position = 0;
    const char* digits = key.data() + prefix.size();
    if (std::from_chars(digits, digits + 16, time, 16).ec != std::errc() ||
        std::from_chars(digits + 16, digits + 32, position, 16).ec != std::errc()) {
      return Status::DataLoss("malformed access index key");
    }
    if (time > static_cast<uint64_t>(to_us)) break;
    if (page.positions.size() == limit) {
      page.resume_after = (*rows)[limit - 1].first.substr(prefix.size());
      break;
    }
    page.positions.push_back(position);
    page.times.push_back(static_cast<int64_t>(time));
    page.values.push_back(value);
  }
  return page;
}

namespace {

// Appends who the keys starting with `prefix` name, from the first after
// `after`, up to the day `to` ("": to the prefix's end).
Status ScanActiveKeys(const projections::ProjectionRunner& index, const std::string& prefix, std::string after,
                      const std::string& to, uint64_t as_of, std::vector<ActiveUser>& out) {
  constexpr size_t kPage = 4096;
  while (true) {
    auto rows = index.Scan(prefix, as_of, kPage, after);
    if (!rows.ok()) return rows.status();
    for (const auto& [key, value] : *rows) {
      const size_t a = key.find('\x01'), b = key.find('\x01', a + 1), c = key.find('\x01', b + 1);
      if (a == std::string::npos || b == std::string::npos || c == std::string::npos) {
        return Status::DataLoss("malformed active-user key in the access index");
      }
      if (!to.empty() && key.compare(1, a - 1, to) > 0) return Status::Ok();
      ActiveUser u;
      u.unit = key.substr(a + 1, b - a - 1);
      u.source_system = key.substr(b + 1, c - b - 1);
      u.user = key.substr(c + 1);
      out.push_back(std::move(u));
    }
    if (rows->size() < kPage) return Status::Ok();
    after = rows->back().first;
  }
}

}  // namespace

Result<std::vector<ActiveUser>> ScanActive(const projections::ProjectionRunner& index, const std::string& from,
                                           const std::string& to, uint64_t as_of) {
  auto first = CivilDate::TryParse(from);
  auto last = CivilDate::TryParse(to);
  if (!first || !last) return Status::InvalidArgument("an active-user period needs two dates (YYYY-MM-DD)");
  std::vector<ActiveUser> out;
  // A month the period covers whole is read from its month keys, the days
  // of a month it covers in part from their day keys.
  for (CivilDate month{first->year, first->month, 1}; month <= *last; month = month.AddMonths(1)) {
    const CivilDate month_end{month.year, month.month, DaysInMonth(month.year, month.month)};
    const CivilDate from_day = std::max(month, *first), to_day = std::min(month_end, *last);
    if (from_day == month && to_day == month_end) {
      const std::string prefix = std::string(kActiveInMonth) + month.ToString().substr(0, 7) + '\x01';
      SPARBAR_RETURN_IF_ERROR(ScanActiveKeys(index, prefix, "", "", as_of, out));
    } else {
      // "a" and the first day sorts before every key of that day.
      SPARBAR_RETURN_IF_ERROR(ScanActiveKeys(index, std::string(kActiveOnDay), kActiveOnDay + from_day.ToString(),
                                             to_day.ToString(), as_of, out));
    }
  }
  return out;
}

}  // namespace sparbar::access
