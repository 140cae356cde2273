#include "services/decisions/case_facts_projection.h"

#include <string_view>
#include <unordered_set>

namespace sparbar::decisions {
namespace {

constexpr std::string_view kHistoryPrefix = "history/";
constexpr std::string_view kFactsPrefix = "facts/";

// What the projection may keep of an event: no personnummer, no replacement
// bytes (the replacement is already in place in the effective history).
Payload WithoutPersonalData(Payload p) {
  if (auto* app = std::get_if<pb::ApplicationReceived>(&p)) {
    app->mutable_subject()->clear_personal_identity_number();
  } else if (auto* fix = std::get_if<pb::Corrected>(&p)) {
    fix->clear_replacement_payload();
  }
  return p;
}

}  // namespace

bool CaseFactsProjection::Wants(const EventRecord& event) const {
  return event.stream.starts_with(kStreamPrefix);
}

Status CaseFactsProjection::Apply(const EventRecord& event, projections::StateWriter& state) {
  auto payload = Parse(event.type, event.payload);
  if (!payload.ok()) {
    return state.Put("skipped/" + std::to_string(event.position), event.type.substr(0, 200));
  }
  const std::string history_key = std::string(kHistoryPrefix) + event.stream;
  auto stored = state.Get(history_key);
  if (!stored.ok()) return stored.status();
  std::vector<Payload> history;
  if (stored->has_value()) {
    pb::StoredHistory h;
    if (!h.ParseFromString(**stored)) return Status::DataLoss("malformed stored history of a case");
    for (const auto& e : h.events()) {
      auto p = Parse(e.type(), e.payload());
      if (!p.ok()) return Status::DataLoss("malformed event in the stored history of a case");
      history.push_back(std::move(p.value()));
    }
  }
  CaseState s = Evolve(FromEffectiveHistory(std::move(history)), *payload);

  pb::StoredHistory out;
  for (auto& p : s.history) {
    p = WithoutPersonalData(std::move(p));
    auto* e = out.add_events();
    e->set_type(TypeOf(p));
    e->set_payload(Serialize(p));
  }
  if (Status put = state.Put(history_key, out.SerializeAsString()); !put.ok()) return put;
  pb::CaseFacts facts = FactsOf(event.stream, s, *catalogue_);
  if (Status put = state.Put(std::string(kFactsPrefix) + event.stream, facts.SerializeAsString()); !put.ok()) {
    return put;
  }
  staged_.push_back(std::move(facts));  // only once the event has applied in full
  return Status::Ok();
}

Status CaseFactsProjection::Restore(const ScanFn& scan, uint64_t position) {
  staged_.clear();
  auto entries = scan(kFactsPrefix);
  if (!entries.ok()) return entries.status();
  ReportFacts restored;
  for (const auto& [key, value] : *entries) {
    pb::CaseFacts f;
    if (!f.ParseFromString(value)) return Status::DataLoss("malformed case facts in projection " + name());
    restored.Put(f);
  }
  std::lock_guard<std::mutex> turn(turnstile_);
  std::unique_lock<std::shared_mutex> lock(latest_mu_);
  latest_ = std::move(restored);
  latest_position_ = position;
  latest_advanced_.notify_all();
  return Status::Ok();
}

void CaseFactsProjection::Committed(uint64_t position) {
  // Only a case's last facts in the batch count: a rebuild's batches hold
  // whole cases, so this puts each case once instead of once per event.
  std::unordered_set<std::string_view> seen;
  std::lock_guard<std::mutex> turn(turnstile_);
  std::unique_lock<std::shared_mutex> lock(latest_mu_);
  for (auto it = staged_.rbegin(); it != staged_.rend(); ++it) {
    if (seen.insert(it->case_id()).second) latest_.Put(*it);
  }
  latest_position_ = position;
  staged_.clear();
  latest_advanced_.notify_all();
}

void CaseFactsProjection::Discarded() { staged_.clear(); }

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
                                                 std::optional<uint64_t> as_of) {
  auto entries = runner.Scan(kFactsPrefix, as_of);
  if (!entries.ok()) return entries.status();
  std::vector<pb::CaseFacts> facts;
  facts.reserve(entries->size());
  for (const auto& [key, value] : *entries) {
    pb::CaseFacts f;
    if (!f.ParseFromString(value)) return Status::DataLoss("malformed case facts in projection " + runner.projection().name());
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace sparbar::decisions
