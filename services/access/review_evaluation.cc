#include "services/access/review_evaluation.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "services/access/access_event.h"
#include "services/access/access_index.h"
#include "services/access/review_context.h"
#include "services/common/swedish_time.h"

namespace sparbar::access {
namespace {

constexpr size_t kPage = 10000;

struct Period {
  CivilDate from, to;
  int64_t from_us = 0, to_us = 0;
};

Result<Period> PeriodOf(const lr::ReviewOpened& review) {
  auto from = CivilDate::TryParse(review.from_date());
  auto to = CivilDate::TryParse(review.to_date());
  if (!from || !to) return Status::DataLoss("the review's period is not a pair of dates");
  Period p{*from, *to, EndOfStockholmDay(CivilDate::FromDays(from->DaysSinceEpoch() - 1)) + 1,
           EndOfStockholmDay(*to)};
  return p;
}

bool InScope(const google::protobuf::RepeatedPtrField<std::string>& scope, const std::string& value) {
  return scope.empty() || std::find(scope.begin(), scope.end(), value) != scope.end();
}

// Every (time, position) of one user's or person's accesses in [from_us, to_us].
Status ScanAll(const projections::ProjectionRunner& index, IndexBy by, const std::string& who, int64_t from_us,
               int64_t to_us, uint64_t as_of, std::vector<std::pair<int64_t, uint64_t>>& out) {
  std::string resume;
  while (true) {
    auto page = ScanIndex(index, by, who, std::max<int64_t>(from_us, 0), to_us, kPage, resume, as_of);
    if (!page.ok()) return page.status();
    for (size_t i = 0; i < page->positions.size(); ++i) out.emplace_back(page->times[i], page->positions[i]);
    if (page->resume_after.empty()) return Status::Ok();
    resume = page->resume_after;
  }
}

}  // namespace

Result<std::vector<std::string>> DrawPopulation(const projections::ProjectionRunner& index,
                                                const lr::ReviewOpened& review, uint64_t as_of) {
  auto active = ScanActive(index, review.from_date(), review.to_date(), as_of);
  if (!active.ok()) return active.status();
  std::set<std::string> users;
  for (const ActiveUser& a : *active) {
    if (InScope(review.units(), a.unit) && InScope(review.source_systems(), a.source_system)) users.insert(a.user);
  }
  return std::vector<std::string>(users.begin(), users.end());
}

Result<ReviewEvaluation> EvaluateReview(EventStore& store, const projections::ProjectionRunner& index,
                                        const SubjectKey& key, const lr::ReviewOpened& review,
                                        const lr::SampleDrawn& sample) {
  ReviewEvaluation ev;
  ev.as_of = sample.as_of_position();
  auto period = PeriodOf(review);
  if (!period.ok()) return period.status();
  auto context = FoldReviewContext(store, key, ev.as_of);
  if (!context.ok()) return context.status();
  ev.context_unreadable = context->unreadable;

  // The positions to review: the sample's accesses, then (random reviews)
  // those to people with skyddad identitet.
  std::vector<std::pair<int64_t, uint64_t>> found;
  const std::set<std::string> sampled(sample.users().begin(), sample.users().end());
  for (const std::string& user : sampled) {
    SPARBAR_RETURN_IF_ERROR(ScanAll(index, IndexBy::kUser, user, period->from_us, period->to_us, ev.as_of, found));
  }
  if (review.kind() == lr::REVIEW_KIND_QUARTERLY_RANDOM) {
    for (const std::string& subject : context->ProtectedDuring(period->from, period->to)) {
      SPARBAR_RETURN_IF_ERROR(
          ScanAll(index, IndexBy::kSubject, subject, period->from_us, period->to_us, ev.as_of, found));
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.size() > kMaxReviewAccesses) {
    return Status::ResourceExhausted("the review would hold " + std::to_string(found.size()) +
                                     " accesses, more than " + std::to_string(kMaxReviewAccesses) +
                                     "; draw fewer users or narrow the period or scope");
  }

  for (size_t start = 0; start < found.size(); start += kPage) {
    std::vector<uint64_t> positions;
    for (size_t i = start; i < std::min(found.size(), start + kPage); ++i) positions.push_back(found[i].second);
    auto events = store.ReadEvents(positions);
    if (!events.ok()) return events.status();
    for (size_t i = 0; i < events->size(); ++i) {
      const EventRecord& e = (*events)[i];
      ReviewedItem item;
      if (!item.access.ParseFromString(e.payload)) {
        return Status::DataLoss("the access event at position " + std::to_string(e.position) + " does not parse");
      }
      if (!InScope(review.units(), item.access.unit()) ||
          !InScope(review.source_systems(), e.stream.substr(kStreamPrefix.size()))) {
        continue;
      }
      item.position = e.position;
      item.at_us = found[start + i].first;
      item.recorded_at = e.recorded_at;
      item.subject = key.Of(item.access.subject().personal_identity_number());
      item.sampled_user = sampled.count(item.access.user_hsa_id()) > 0;
      ev.items.push_back(std::move(item));
    }
  }

  // Each user's accesses per day, in the period and the baseline window before it (all units and systems).
  std::map<std::string, UserVolume> volumes;
  // Whole Swedish days, across any change of clock.
  const int64_t baseline_from =
      EndOfStockholmDay(CivilDate::FromDays(period->from.DaysSinceEpoch() -
                                            static_cast<int64_t>(review.rules().baseline_days()) - 1)) + 1;
  for (const ReviewedItem& item : ev.items) {
    const std::string& user = item.access.user_hsa_id();
    if (volumes.count(user)) continue;
    std::vector<std::pair<int64_t, uint64_t>> times;
    SPARBAR_RETURN_IF_ERROR(ScanAll(index, IndexBy::kUser, user, baseline_from, period->to_us, ev.as_of, times));
    UserVolume& v = volumes[user];
    std::map<std::string, int64_t> before;
    int64_t before_total = 0;
    for (const auto& [at, position] : times) {
      const std::string day = StockholmDate(at).ToString();
      if (at < period->from_us) {
        ++before[day];
        ++before_total;
      } else {
        ++v.per_day[day];
      }
    }
    v.baseline_mean = before.empty() ? 0 : static_cast<double>(before_total) / static_cast<double>(before.size());
  }

  for (ReviewedItem& item : ev.items) {
    JudgedAccess a{&item.access, item.at_us, item.subject, &volumes.at(item.access.user_hsa_id())};
    item.hits = Judge(a, *context, review.rules());
    ev.reviewed.insert(item.position);
    if (!item.hits.empty()) ev.flagged.insert(item.position);
    for (const Hit& h : item.hits) ++ev.per_rule[h.rule];
  }
  return ev;
}

}  // namespace sparbar::access
