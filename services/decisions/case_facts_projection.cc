#include "services/decisions/case_facts_projection.h"

#include <string_view>

namespace sparbar::decisions {

bool CaseFactsProjection::Wants(const EventRecord& event) const {
  return event.stream.starts_with(kStreamPrefix);
}

Status CaseFactsProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  auto change = fold_.Prepare(event);
  if (!change.ok()) return change.status();
  if (!*change) return state.Put("skipped/" + std::to_string(event.position), event.type.substr(0, 200));
  staged_.push_back(std::move(**change));
  return Status::Ok();
}

Status CaseFactsProjection::Restore(const ScanFn&, uint64_t position) {
  staged_.clear();
  ReportFacts restored;
  if (Status folded = fold_.FoldLog(position, restored); !folded.ok()) return folded;
  std::lock_guard<std::mutex> turn(turnstile_);
  std::unique_lock<std::shared_mutex> lock(latest_mu_);
  latest_ = std::move(restored);
  latest_position_ = position;
  latest_advanced_.notify_all();
  return Status::Ok();
}

void CaseFactsProjection::Committed(uint64_t position) {
  {
    std::lock_guard<std::mutex> turn(turnstile_);
    std::unique_lock<std::shared_mutex> lock(latest_mu_);
    for (FactsChange& change : staged_) fold_.Apply(std::move(change), latest_);
    latest_position_ = position;
    latest_advanced_.notify_all();
  }
  staged_.clear();
}

void CaseFactsProjection::Discarded() { staged_.clear(); }

Result<std::shared_lock<std::shared_mutex>> CaseFactsProjection::ReadLatest(
    uint64_t at_least, std::chrono::steady_clock::time_point deadline, uint64_t* position) const {
  { std::lock_guard<std::mutex> turn(turnstile_); }  // behind any waiting writer
  std::shared_lock<std::shared_mutex> lock(latest_mu_);
  if (!latest_advanced_.wait_until(lock, deadline, [&] { return latest_position_ >= at_least; })) {
    return Status::DeadlineExceeded("projection " + name() + " holds the facts of " +
                                    std::to_string(latest_position_) + " events in memory, not yet " +
                                    std::to_string(at_least));
  }
  *position = latest_position_;
  return lock;
}

Result<EjVerkstalldaReport> CaseFactsProjection::ReportLatest(const EjVerkstalldaOptions& options, uint64_t at_least,
                                                              std::chrono::steady_clock::time_point deadline,
                                                              uint64_t* position) const {
  auto lock = ReadLatest(at_least, deadline, position);
  if (!lock.ok()) return lock.status();
  return ComputeEjVerkstallda(latest_, options);
}

size_t CaseFactsProjection::ApproximateTableBytes() const {
  { std::lock_guard<std::mutex> turn(turnstile_); }
  std::shared_lock<std::shared_mutex> lock(latest_mu_);
  return latest_.ApproximateBytes();
}

Result<std::vector<pb::CaseFacts>> CaseFactsProjection::LatestFacts(std::string_view insats, uint64_t at_least,
                                                                    std::chrono::steady_clock::time_point deadline,
                                                                    uint64_t* position) const {
  auto lock = ReadLatest(at_least, deadline, position);
  if (!lock.ok()) return lock.status();
  return latest_.ToProtos(insats);
}

Result<ReportFacts> CaseFactsProjection::FactsAsOf(uint64_t as_of, const std::function<Status()>& before_page) const {
  ReportFacts table;
  if (Status folded = fold_.FoldLog(as_of, table, before_page); !folded.ok()) return folded;
  return table;
}

Result<ReportFacts> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of,
                                                 const std::function<Status()>& before_page) {
  if (Status h = runner.health(); !h.ok()) return h;
  const auto* projection = dynamic_cast<const CaseFactsProjection*>(&runner.projection());
  if (projection == nullptr) return Status::Internal("CaseFactsAsOf needs the case-facts projection's runner");
  const uint64_t at = as_of.value_or(runner.position());
  if (at > runner.position()) {
    return Status::OutOfRange("projection " + projection->name() + " has applied " +
                              std::to_string(runner.position()) + " events, fewer than the " + std::to_string(at) +
                              " asked for; wait for it first");
  }
  return projection->FactsAsOf(at, before_page);
}

}  // namespace sparbar::decisions
