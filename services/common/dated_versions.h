// Configuration that changes on dates (an insats catalogue, a deviation
// taxonomy): versions, each in force from its valid_from until the next
// one's. V needs `std::string version` and `CivilDate valid_from`.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"

namespace sparbar {

template <class V>
class DatedVersions {
 public:
  DatedVersions() = default;

  // Sorted by date. InvalidArgument, naming `what` (e.g. "insats catalogue"),
  // when there is none, a name repeats, or two take effect on the same date.
  static Result<DatedVersions> From(std::vector<V> versions, std::string_view what) {
    auto bad = [&](const std::string& m) { return Status::InvalidArgument(std::string(what) + ", " + m); };
    if (versions.empty()) return bad("top level: needs at least one version");
    std::set<std::string> names;
    for (const V& v : versions) {
      if (!names.insert(v.version).second) return bad("version " + v.version + ": appears twice");
    }
    std::sort(versions.begin(), versions.end(), [](const V& a, const V& b) { return a.valid_from < b.valid_from; });
    for (size_t i = 1; i < versions.size(); ++i) {
      if (versions[i].valid_from == versions[i - 1].valid_from) {
        return bad("versions " + versions[i - 1].version + " and " + versions[i].version + ": take effect on the same date");
      }
    }
    DatedVersions d;
    d.versions_ = std::move(versions);
    return d;
  }

  // The version in force on `date`; NotFound before the first.
  Result<const V*> On(const CivilDate& date, std::string_view what) const {
    const V* found = nullptr;
    for (const V& v : versions_) {
      if (v.valid_from <= date) found = &v;
    }
    if (!found) {
      return Status::NotFound("no " + std::string(what) + " version is in force on " + date.ToString() +
                              " (the first takes effect " + versions_.front().valid_from.ToString() + ")");
    }
    return found;
  }

  const std::vector<V>& all() const { return versions_; }

 private:
  std::vector<V> versions_;  // by valid_from, ascending
};

}  // namespace sparbar
