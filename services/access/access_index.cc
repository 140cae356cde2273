#include "services/access/access_index.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "services/access/access_event.h"

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

Status AccessIndexProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  pb::AccessRecorded access;
  if (!access.ParseFromString(event.payload)) {
    return Status::DataLoss("the access event at position " + std::to_string(event.position) + " does not parse");
  }
  const int64_t at = google::protobuf::util::TimeUtil::TimestampToMicroseconds(access.accessed_at());
  if (at < 0) return Status::Ok();  // not possible through the intake; raw appends are left out of the index
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
  std::string after = resume_after;
  if (after.empty()) {
    after = from_us <= 0 ? prefix : prefix + Hex16(static_cast<uint64_t>(from_us - 1)) + "ffffffffffffffff";
  } else if (after.compare(0, prefix.size(), prefix) != 0) {
    return Status::InvalidArgument("page_token belongs to another query");
  }
  auto rows = index.Scan(prefix, as_of, limit + 1, after);
  if (!rows.ok()) return rows.status();
  IndexPage page;
  for (const auto& [key, value] : *rows) {
    if (key.size() != prefix.size() + 32) return Status::DataLoss("malformed access index key");
    const uint64_t time = std::stoull(key.substr(prefix.size(), 16), nullptr, 16);
    if (time > static_cast<uint64_t>(to_us)) break;
    if (page.positions.size() == limit) {
      page.resume_after = (*rows)[limit - 1].first;
      break;
    }
    page.positions.push_back(std::stoull(key.substr(prefix.size() + 16), nullptr, 16));
  }
  return page;
}

}  // namespace sparbar::access
