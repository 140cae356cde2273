#include "services/access/review_evaluation.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <tuple>

#include "services/access/access_event.h"
#include "services/access/access_index.h"
#include "services/access/review_cases.h"
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
  Period p{*from, *to, StartOfStockholmDay(*from), EndOfStockholmDay(*to)};
  return p;
}

bool InScope(const google::protobuf::RepeatedPtrField<std::string>& scope, const std::string& value) {
  return scope.empty() || std::find(scope.begin(), scope.end(), value) != scope.end();
}

struct Found {
  int64_t at_us = 0;
  uint64_t position = 0;
  std::string value;
  auto operator<=>(const Found& o) const { return std::tie(at_us, position) <=> std::tie(o.at_us, o.position); }
  bool operator==(const Found& o) const { return at_us == o.at_us && position == o.position; }
};

// Every access of one user's or person's in [from_us, to_us], with the index's values.
Status ScanAll(const projections::ProjectionRunner& index, IndexBy by, const std::string& who, int64_t from_us,
               int64_t to_us, uint64_t as_of, std::vector<Found>& out) {
  std::string resume;
  while (true) {
    auto page = ScanIndex(index, by, who, std::max<int64_t>(from_us, 0), to_us, kPage, resume, as_of);
    if (!page.ok()) return page.status();
    for (size_t i = 0; i < page->positions.size(); ++i) {
      out.push_back({page->times[i], page->positions[i], std::move(page->values[i])});
    }
    if (page->resume_after.empty()) return Status::Ok();
    resume = page->resume_after;
  }
}

// A user key's value: subject key, unit, source system, role, purpose digit.
bool ParseUserValue(const std::string& value, ReviewedItem& item) {
  const size_t a = value.find('\x01'), b = value.find('\x01', a + 1), c = value.find('\x01', b + 1),
               d = value.find('\x01', c + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos || d == std::string::npos ||
      d + 2 != value.size() || value[d + 1] < '0' || value[d + 1] > '9') {
    return false;
  }
  item.subject = value.substr(0, a);
  item.unit = value.substr(a + 1, b - a - 1);
  item.source_system = value.substr(b + 1, c - b - 1);
  item.role = value.substr(c + 1, d - c - 1);
  item.purpose = static_cast<pb::Purpose>(value[d + 1] - '0');
  return true;
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

Result<std::map<uint64_t, v1::access::RecordedAccess>> ReadAccesses(EventStore& store,
                                                                    const std::vector<uint64_t>& positions) {
  std::map<uint64_t, v1::access::RecordedAccess> out;
  for (size_t start = 0; start < positions.size(); start += kPage) {
    const std::vector<uint64_t> part(positions.begin() + static_cast<std::ptrdiff_t>(start),
                                     positions.begin() + static_cast<std::ptrdiff_t>(std::min(positions.size(), start + kPage)));
    auto events = store.ReadEvents(part);
    if (!events.ok()) return events.status();
    for (const EventRecord& e : *events) {
      v1::access::RecordedAccess& r = out[e.position];
      if (!r.mutable_access()->ParseFromString(e.payload)) {
        return Status::DataLoss("the access event at position " + std::to_string(e.position) + " does not parse");
      }
      r.set_position(e.position);
      *r.mutable_recorded_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(e.recorded_at);
    }
  }
  return out;
}

Result<ReviewEvaluation> EvaluateReview(EventStore& store, const projections::ProjectionRunner& index,
                                        const ReviewCasesProjection& cases, const SubjectKey& key,
                                        const lr::ReviewOpened& review, const lr::SampleDrawn& sample,
                                        size_t max_accesses) {
  ReviewEvaluation ev;
  const auto too_many = [max_accesses] {
    return Status::ResourceExhausted("the review would hold more than " + std::to_string(max_accesses) +
                                     " accesses; draw fewer users or narrow the period or scope");
  };
  ev.as_of = sample.as_of_position();
  auto period = PeriodOf(review);
  if (!period.ok()) return period.status();
  auto context = FoldReviewContext(store, key, ev.as_of);
  if (!context.ok()) return context.status();

  // The sample's accesses, judged from the user index's values; then (random
  // reviews) those of others to people with skyddad identitet, read from the log.
  const std::set<std::string> sampled(sample.users().begin(), sample.users().end());
  std::set<uint64_t> seen;
  for (const std::string& user : sampled) {
    std::vector<Found> found;
    SPARBAR_RETURN_IF_ERROR(ScanAll(index, IndexBy::kUser, user, period->from_us, period->to_us, ev.as_of, found));
    for (Found& f : found) {
      ReviewedItem item;
      if (!ParseUserValue(f.value, item)) return Status::DataLoss("malformed access index value");
      seen.insert(f.position);
      if (!InScope(review.units(), item.unit) || !InScope(review.source_systems(), item.source_system)) continue;
      item.position = f.position;
      item.at_us = f.at_us;
      item.user = user;
      item.sampled_user = true;
      ev.items.push_back(std::move(item));
      if (ev.items.size() > max_accesses) return too_many();
    }
  }
  std::vector<Found> others;
  if (review.kind() == lr::REVIEW_KIND_QUARTERLY_RANDOM) {
    for (const std::string& subject : context->ProtectedDuring(period->from, period->to)) {
      std::vector<Found> found;
      SPARBAR_RETURN_IF_ERROR(
          ScanAll(index, IndexBy::kSubject, subject, period->from_us, period->to_us, ev.as_of, found));
      for (Found& f : found) {
        if (seen.insert(f.position).second) others.push_back(std::move(f));
      }
      // Read before the scope is known: bounded apart, so that memory stays bounded.
      if (others.size() > max_accesses) return too_many();
    }
  }
  for (size_t start = 0; start < others.size(); start += kPage) {
    std::vector<uint64_t> positions;
    for (size_t i = start; i < std::min(others.size(), start + kPage); ++i) positions.push_back(others[i].position);
    auto events = store.ReadEvents(positions);
    if (!events.ok()) return events.status();
    for (size_t i = 0; i < events->size(); ++i) {
      const EventRecord& e = (*events)[i];
      pb::AccessRecorded access;
      if (!access.ParseFromString(e.payload)) {
        return Status::DataLoss("the access event at position " + std::to_string(e.position) + " does not parse");
      }
      ReviewedItem item;
      item.source_system = e.stream.substr(kStreamPrefix.size());
      if (!InScope(review.units(), access.unit()) || !InScope(review.source_systems(), item.source_system)) continue;
      item.position = e.position;
      item.at_us = others[start + i].at_us;
      item.user = access.user_hsa_id();
      item.unit = access.unit();
      item.role = access.role();
      item.purpose = pb::Purpose_IsValid(access.purpose()) ? access.purpose() : pb::PURPOSE_UNSPECIFIED;
      // Disposed (gallrad): the access names no one.
      if (!access.subject().disposed()) item.subject = key.Of(access.subject().personal_identity_number());
      ev.items.push_back(std::move(item));
      if (ev.items.size() > max_accesses) return too_many();
    }
  }
  std::sort(ev.items.begin(), ev.items.end(), [](const ReviewedItem& a, const ReviewedItem& b) {
    return std::tie(a.at_us, a.position) < std::tie(b.at_us, b.position);
  });

  // Each user's accesses per day, in the period and the baseline window before it (all units and systems).
  std::map<std::string, UserVolume> volumes;
  // Whole Swedish days, across any change of clock.
  const int64_t baseline_from =
      EndOfStockholmDay(CivilDate::FromDays(period->from.DaysSinceEpoch() -
                                            static_cast<int64_t>(review.rules().baseline_days()) - 1)) + 1;
  for (const ReviewedItem& item : ev.items) {
    const std::string& user = item.user;
    if (volumes.count(user)) continue;
    std::vector<Found> times;
    SPARBAR_RETURN_IF_ERROR(ScanAll(index, IndexBy::kUser, user, baseline_from, period->to_us, ev.as_of, times));
    UserVolume& v = volumes[user];
    std::map<std::string, int64_t> before;
    int64_t before_total = 0;
    for (const Found& f : times) {
      const int64_t at = f.at_us;
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

  // The decisions cases of the people accessed, as the log stood.
  std::set<std::string> subjects;
  for (const ReviewedItem& item : ev.items) subjects.insert(item.subject);
  ReviewCasesProjection::AsOf known = cases.CasesAsOf(ev.as_of, subjects);
  context->cases = std::move(known.cases);
  ev.context_unreadable = context->unreadable + known.unreadable;

  for (ReviewedItem& item : ev.items) {
    JudgedAccess a{item.user,    item.unit,  item.source_system, item.role,
                   item.purpose, item.at_us, item.subject,       &volumes.at(item.user)};
    item.hits = Judge(a, *context, review.rules());
    ev.reviewed.insert(item.position);
    if (!item.hits.empty()) ev.flagged.insert(item.position);
    for (const Hit& h : item.hits) ++ev.per_rule[h.rule];
  }
  return ev;
}

}  // namespace sparbar::access
