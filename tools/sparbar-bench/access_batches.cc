#include "access_batches.h"

#include <cstdio>

#include "services/common/personal_identity.h"

namespace sparbar::bench {

namespace ac = sparbar::v1::access;

std::string Personnummer(std::mt19937_64& rng) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d%02d%02d%03d", 1930 + static_cast<int>(rng() % 80),
                1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28), static_cast<int>(rng() % 1000));
  const std::string s(digits);
  return s + std::to_string(LuhnCheckDigit(s.substr(2)));
}

std::vector<ac::IngestBatch> Batches(int client, int count, int per_batch, const std::vector<std::string>& people,
                                     const std::vector<std::string>& users, std::mt19937_64& rng) {
  std::vector<ac::IngestBatch> out(static_cast<size_t>(count));
  int64_t n = 0;
  for (auto& b : out) {
    b.set_batch_id("c" + std::to_string(client) + "-" + std::to_string(n));
    for (int i = 0; i < per_batch; ++i, ++n) {
      ac::AccessRecorded* e = b.add_events();
      const size_t user = rng() % users.size();
      e->set_user_hsa_id(users[user]);
      e->set_role("handlaggare");
      e->set_unit("enhet-" + std::to_string(user % 40));
      e->set_action(rng() % 10 == 0 ? ac::ACTION_UPDATE : ac::ACTION_READ);
      e->mutable_subject()->set_personal_identity_number(people[rng() % people.size()]);
      e->set_record_ref("journal/" + std::to_string(rng() % 100000));
      e->set_source_system("bench-" + std::to_string(client));
      e->set_source_event_id(std::to_string(n));
      e->set_purpose(ac::PURPOSE_NORMAL_WORK);
      e->set_outcome(ac::OUTCOME_ALLOWED);
    }
  }
  return out;
}

void StampBatch(ac::IngestBatch& batch, uint64_t& next_id) {
  for (auto& e : *batch.mutable_events()) {
    e.mutable_accessed_at()->set_seconds(kQuarterStart + static_cast<int64_t>(next_id % (kQuarterEnd - kQuarterStart)));
    e.set_source_event_id(std::to_string(next_id++));
  }
}

}  // namespace sparbar::bench
