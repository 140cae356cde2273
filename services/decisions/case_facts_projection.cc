#include "services/decisions/case_facts_projection.h"

#include <algorithm>
#include <string_view>

#include "services/decisions/case_history.h"

namespace sparbar::decisions {

bool CaseFactsProjection::Wants(const EventRecord& event) const {
  return event.stream.starts_with(kStreamPrefix);
}

Result<CaseFactsProjection::Case*> CaseFactsProjection::CaseOf(const std::string& stream, bool first,
                                                               projections::StateWriter& state) {
  auto [it, added] = cases_.try_emplace(stream);
  if (added) {
    it->second = std::make_unique<Case>();
    it->second->stream = stream;
  }
  Case& c = *it->second;
  if (added && !first) {
    auto entries = state.Scan(CaseHistoryPrefix(stream));
    Status folded = entries.status();
    if (folded.ok()) {
      CaseHistoryFolder folder([&](std::string_view, CaseState s) { c.state = std::move(s); });
      for (const auto& [key, entry] : *entries) {
        if (folded = folder.Add(key, entry); !folded.ok()) break;
      }
      folder.Finish();
    }
    if (!folded.ok()) {
      cases_.erase(it);
      return folded;
    }
  }
  return &c;
}

Status CaseFactsProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  auto payload = Parse(event.type, event.payload);
  if (!payload.ok()) {
    return state.Put("skipped/" + std::to_string(event.position), event.type.substr(0, 200));
  }
  auto c = CaseOf(event.stream, event.revision == 0, state);
  if (!c.ok()) return c.status();
  CaseState& s = (*c)->state;
  s.SkipTo(event.revision);  // foreign events before it were skipped
  // Stored and folded without personal data, so that memory, a restore and
  // a read as of a position all fold the same entries.
  std::optional<Payload> stripped = WithoutPersonalData(*payload, s);
  const std::string entry =
      stripped ? EncodeEntry(event.type, Serialize(*stripped)) : EncodeEntry(event.type, event.payload);
  if (Status put = state.Put(CaseHistoryKey(event.stream, event.revision), entry); !put.ok()) return put;
  s = Evolve(std::move(s), stripped ? std::move(*stripped) : std::move(*payload));
  // Staged for Committed only now that the event has applied in full.
  if (Case& staged = **c; staged.touched != batch_) {
    staged.touched = batch_;
    touched_.push_back(&staged);
  }
  return Status::Ok();
}

Status CaseFactsProjection::Restore(const ScanFn& scan, uint64_t position) {
  cases_.clear();  // the stored state may have been reset under them
  touched_.clear();
  ReportFacts restored;
  Status folded = FoldAllCases(
      [&](size_t limit, std::string_view after) { return scan(kHistoryPrefix, limit, after); },
      [&](std::string_view stream, CaseState s) { restored.Put(FactsOf(std::string(stream), s, *catalogue_)); });
  if (!folded.ok()) return folded;
  std::lock_guard<std::mutex> turn(turnstile_);
  std::unique_lock<std::shared_mutex> lock(latest_mu_);
  latest_ = std::move(restored);
  latest_position_ = position;
  latest_advanced_.notify_all();
  return Status::Ok();
}

void CaseFactsProjection::Committed(uint64_t position) {
  std::vector<pb::CaseFacts> facts;
  facts.reserve(touched_.size());
  for (const Case* c : touched_) facts.push_back(FactsOf(c->stream, c->state, *catalogue_));
  {
    std::lock_guard<std::mutex> turn(turnstile_);
    std::unique_lock<std::shared_mutex> lock(latest_mu_);
    for (size_t i = 0; i < facts.size(); ++i) touched_[i]->row = latest_.Put(facts[i], touched_[i]->row);
    latest_position_ = position;
    latest_advanced_.notify_all();
  }
  touched_.clear();
  Evict();
  ++batch_;
}

void CaseFactsProjection::Evict() {
  // Amortized: once a quarter over its size, keep the cache_cases most
  // recently touched (this batch's cases among them).
  if (cases_.size() <= cache_cases_ + cache_cases_ / 4) return;
  std::vector<uint64_t> touched;
  touched.reserve(cases_.size());
  for (const auto& [stream, c] : cases_) touched.push_back(c->touched);
  const size_t drop = cases_.size() - cache_cases_;
  std::nth_element(touched.begin(), touched.begin() + drop, touched.end());
  const uint64_t keep_from = std::min(touched[drop], batch_);
  absl::erase_if(cases_, [&](const auto& kv) { return kv.second->touched < keep_from; });
}

void CaseFactsProjection::Discarded() {
  // The batch's events are not stored, but the states hold them: start over
  // from the stored entries.
  cases_.clear();
  touched_.clear();
  ++batch_;
}

Result<EjVerkstalldaReport> CaseFactsProjection::ReportLatest(const EjVerkstalldaOptions& options, uint64_t at_least,
                                                              std::chrono::steady_clock::time_point deadline,
                                                              uint64_t* position) const {
  { std::lock_guard<std::mutex> turn(turnstile_); }  // behind any waiting writer
  std::shared_lock<std::shared_mutex> lock(latest_mu_);
  if (!latest_advanced_.wait_until(lock, deadline, [&] { return latest_position_ >= at_least; })) {
    return Status::DeadlineExceeded("projection " + name() + " holds the facts of " +
                                    std::to_string(latest_position_) + " events in memory, not yet " +
                                    std::to_string(at_least));
  }
  *position = latest_position_;
  return ComputeEjVerkstallda(latest_, options);
}

Result<std::vector<pb::CaseFacts>> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of,
                                                 const std::function<Status()>& before_page) {
  // One position for every page, even while the projection goes on.
  const uint64_t at = as_of.value_or(runner.position());
  const auto* projection = dynamic_cast<const CaseFactsProjection*>(&runner.projection());
  if (projection == nullptr) return Status::Internal("CaseFactsAsOf needs the case-facts projection's runner");
  std::vector<pb::CaseFacts> facts;
  Status folded = FoldAllCases(
      [&](size_t limit, std::string_view after) { return runner.Scan(kHistoryPrefix, at, limit, after); },
      [&](std::string_view stream, CaseState s) {
        facts.push_back(FactsOf(std::string(stream), s, projection->catalogue()));
      },
      before_page);
  if (!folded.ok()) return folded;
  return facts;
}

}  // namespace sparbar::decisions
