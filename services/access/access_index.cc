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

constexpr uint32_t kLogicVersion = 1;

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
  if (!Keyable(access.user_hsa_id(), recorded_on) || !Keyable(access.unit(), recorded_on) || pnr.size() != 12 ||
      pnr.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Ok();
  }
  SPARBAR_RETURN_IF_ERROR(state.Put(Key(IndexBy::kUser, access.user_hsa_id(), at, event.position), ""));
  SPARBAR_RETURN_IF_ERROR(state.Put(Key(IndexBy::kUnit, access.unit(), at, event.position), ""));
  SPARBAR_RETURN_IF_ERROR(state.Put(
      Key(IndexBy::kSubject, key_->Of(access.subject().personal_identity_number()), at, event.position), ""));
  return Status::Ok();
}

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
  }
  return page;
}

}  // namespace sparbar::access
