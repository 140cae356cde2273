// AccessIndexProjection: the access log's indexes, by user, by subject and
// by unit, each in time order (a projection, projections/projection.h).
//
// Keys: "u" user, "s" subject key, "n" unit, then 0x01, then the access
// time (16 hex digits, microseconds since the epoch) and the log position
// (16 hex digits). A user key's value holds what a review's rules read of
// the access, so that judging a user's accesses reads no events: the
// subject key, unit, source system and role, and the purpose as one digit,
// separated by 0x01. The other values are empty. The subject is keyed by
// SubjectKey::Of(personnummer), never the number itself. The key's
// fingerprint is part of the projection's version: another key rebuilds
// the index.
//
// Two more sets of keys list who was active where, for drawing a review's
// sample: "a" and the Swedish date of the access (YYYY-MM-DD), and "m" and
// its month (YYYY-MM), each followed by unit, source system and user,
// separated by 0x01. Each is written once (an in-memory set of the keys
// known spares a read per event). A quarter is read from three months'
// keys instead of some ninety days' (3,000 users active in four systems
// every day: about 36,000 keys instead of over a million).
//
// ScanIndex reads one user's, subject's or unit's accesses in [from, to],
// a page at a time, as positions in the log; ScanActive the users active in
// a period.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "projections/projection.h"
#include "projections/runner.h"
#include "services/access/subject_key.h"

namespace sparbar::access {

enum class IndexBy : char { kUser = 'u', kSubject = 's', kUnit = 'n' };
inline constexpr char kActiveOnDay[] = "a", kActiveInMonth[] = "m";

class AccessIndexProjection final : public projections::Projection {
 public:
  explicit AccessIndexProjection(const SubjectKey* key) : key_(key) {}  // must outlive it

  std::string name() const override { return "access-index"; }
  uint32_t version() const override;
  std::string StreamPrefix() const override;
  // Users, units, people and days: each group's keys come in time order.
  // Measured with people too (20 s intake, 3,000 users, 200,000 people):
  // 67,798 events/s against 49,549 without hints for people.
  std::string GroupedKeyStarts() const override { return "unas"; }
  bool Wants(const EventRecord& event) const override;
  Status Apply(const EventRecord& event, projections::StateWriter& state) override;
  Status Restore(const ScanFn& scan, uint64_t position) override;
  void Committed(uint64_t position) override;
  void Discarded() override;

 private:
  // Writes an active-user key unless it is stored; true when the in-memory
  // set knew it already.
  Result<bool> MarkActive(std::string key, projections::StateWriter& state);

  const SubjectKey* key_;
  // Active-user keys known to be stored, and those staged by the batch
  // being applied (the runner's thread alone touches them).
  std::unordered_set<std::string> active_known_, active_staged_;
};

struct IndexPage {
  std::vector<uint64_t> positions;  // in time order
  std::vector<int64_t> times;       // each one's access time (microseconds)
  std::vector<std::string> values;  // each key's value (see above)
  std::string resume_after;         // the last key's time and position (32 hex digits); empty on the last page
};

// `who` is the user id, the unit, or the subject key (SubjectKey::Of).
// `resume_after` empty: from the start of the period; else a page's
// resume_after (never before the period). At most `limit` positions, as the
// index was at log size `as_of`.
Result<IndexPage> ScanIndex(const projections::ProjectionRunner& index, IndexBy by, const std::string& who,
                            int64_t from_us, int64_t to_us, size_t limit, const std::string& resume_after,
                            uint64_t as_of);

// A user active at a unit in a source system.
struct ActiveUser {
  std::string unit, source_system, user;
};

// Who had accesses on the days [from, to] (YYYY-MM-DD, Swedish time), as
// the index was at log size `as_of`; one may be listed more than once.
Result<std::vector<ActiveUser>> ScanActive(const projections::ProjectionRunner& index, const std::string& from,
                                           const std::string& to, uint64_t as_of);

}  // namespace sparbar::access
