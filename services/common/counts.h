// Filling the Count lists of the module reports (sparbar.v1.deviations.Count):
// one (key, name, count) row, or the counts of configured codes in the
// configuration's order followed by any code counted but no longer
// configured (named by itself).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/common/code_list.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar {

using CountList = google::protobuf::RepeatedPtrField<v1::deviations::Count>;

inline void AddCount(CountList* list, const std::string& key, const std::string& name, int64_t count) {
  v1::deviations::Count* c = list->Add();
  c->set_key(key);
  c->set_name(name);
  c->set_count(count);
}

inline void AddCodeCounts(CountList* list, const std::map<std::string, int64_t>& counts,
                          const std::vector<NamedCode>& codes) {
  for (const NamedCode& c : codes) {
    if (auto it = counts.find(c.code); it != counts.end()) AddCount(list, c.code, c.name, it->second);
  }
  for (const auto& [code, n] : counts) {
    if (!NameOf(codes, code)) AddCount(list, code, code, n);
  }
}

}  // namespace sparbar
