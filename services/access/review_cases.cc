#include "services/access/review_cases.h"

#include <algorithm>
#include <mutex>

#include "services/common/fold_prefix.h"
#include "services/decisions/payload.h"

namespace sparbar::access {
namespace {

bool SameSpan(const std::optional<ReviewContext::CaseSpan>& a, const std::optional<ReviewContext::CaseSpan>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->unit == b->unit && a->from == b->from && a->to == b->to);
}

}  // namespace

std::string ReviewCasesProjection::StreamPrefix() const { return std::string(decisions::kStreamPrefix); }

bool ReviewCasesProjection::Wants(const EventRecord& event) const {
  return event.stream.starts_with(decisions::kStreamPrefix);
}

ReviewCasesProjection::Version ReviewCasesProjection::SpanOf(const decisions::CaseState& state,
                                                             uint64_t position) const {
  Version v;
  v.position = position;
  if (!state.application || !state.received) return v;
  const std::string& pnr = state.application->subject().personal_identity_number();
  if (!IsStoredPnr(pnr)) return v;
  // Open from the application until the case ends, is closed, or is refused.
  ReviewContext::CaseSpan span{state.application->unit(), *state.received, state.ended_on};
  if (!span.to && state.decision && !state.Favourable()) span.to = state.decided;
  v.subject = key_->Of(pnr);
  v.span = std::move(span);
  return v;
}

const ReviewCasesProjection::Version* ReviewCasesProjection::Latest(const std::string& stream) const {
  if (auto it = staged_latest_.find(stream); it != staged_latest_.end()) return &it->second;
  std::shared_lock<std::shared_mutex> lock(mu_);  // the runner's thread is the only writer
  auto it = versions_.find(stream);
  return it == versions_.end() || it->second.empty() ? nullptr : &it->second.back();
}

bool ReviewCasesProjection::Differs(const Version* last, const Version& next) {
  return last ? last->subject != next.subject || !SameSpan(last->span, next.span) : next.span.has_value();
}

void ReviewCasesProjection::StageIfChanged(const std::string& stream, Version next) {
  if (!Differs(Latest(stream), next)) return;
  staged_latest_[stream] = next;
  staged_versions_.emplace_back(stream, std::move(next));
}

Status ReviewCasesProjection::Apply(const EventRecord& event, projections::StateWriter&) {
  // The case as of this event: its stream read again up to it, skipping
  // what does not parse (each counted when it was applied).
  decisions::CaseState state;
  ReadStreamOptions o;
  o.max_count = 1000;
  while (o.from_revision <= event.revision) {
    auto page = store_->ReadStream(event.stream, o);
    if (!page.ok()) return page.status();
    for (const EventRecord& e : page->events) {
      if (e.revision > event.revision) break;
      auto payload = decisions::Parse(e.type, e.payload);
      if (payload.ok()) {
        state = decisions::Evolve(std::move(state), std::move(payload.value()));
      } else if (e.revision == event.revision) {
        staged_unreadable_.push_back(event.position);
        return Status::Ok();
      }
    }
    if (page->end_of_stream || page->events.empty()) break;
    o.from_revision = page->next_revision;
  }
  StageIfChanged(event.stream, SpanOf(state, event.position));
  return Status::Ok();
}

Status ReviewCasesProjection::Restore(const ScanFn&, uint64_t position) {
  Discarded();
  std::map<std::string, std::vector<Version>> versions;
  std::vector<uint64_t> unreadable;
  std::string stream;
  decisions::CaseState state;
  Status s = ForEachWithPrefix(*store_, decisions::kStreamPrefix, position, [&](const EventRecord& e) {
    if (e.stream != stream) {
      stream = e.stream;
      state = decisions::CaseState();
    }
    auto payload = decisions::Parse(e.type, e.payload);
    if (!payload.ok()) {
      unreadable.push_back(e.position);
      return;
    }
    state = decisions::Evolve(std::move(state), std::move(payload.value()));
    Version next = SpanOf(state, e.position);
    std::vector<Version>& mine = versions[e.stream];
    if (Differs(mine.empty() ? nullptr : &mine.back(), next)) mine.push_back(std::move(next));
  });
  if (!s.ok()) return s;
  std::sort(unreadable.begin(), unreadable.end());
  std::map<std::string, std::set<std::string>> streams_of;
  for (const auto& [stream, mine] : versions) {
    for (const Version& v : mine) {
      if (!v.subject.empty()) streams_of[v.subject].insert(stream);
    }
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  versions_ = std::move(versions);
  unreadable_ = std::move(unreadable);
  streams_of_ = std::move(streams_of);
  return Status::Ok();
}

void ReviewCasesProjection::Committed(uint64_t) {
  {
    std::unique_lock<std::shared_mutex> lock(mu_);
    for (auto& [stream, v] : staged_versions_) {
      if (!v.subject.empty()) streams_of_[v.subject].insert(stream);
      versions_[stream].push_back(std::move(v));
    }
    unreadable_.insert(unreadable_.end(), staged_unreadable_.begin(), staged_unreadable_.end());
  }
  Discarded();
}

void ReviewCasesProjection::Discarded() {
  staged_latest_.clear();
  staged_versions_.clear();
  staged_unreadable_.clear();
}

ReviewCasesProjection::AsOf ReviewCasesProjection::CasesAsOf(uint64_t as_of,
                                                             const std::set<std::string>& subjects) const {
  AsOf out;
  std::shared_lock<std::shared_mutex> lock(mu_);
  for (const std::string& subject : subjects) {
    auto streams = streams_of_.find(subject);
    if (streams == streams_of_.end()) continue;
    for (const std::string& stream : streams->second) {
      const std::vector<Version>& versions = versions_.at(stream);
      // The case's latest version made before `as_of`, if it was this person's then.
      auto after = std::partition_point(versions.begin(), versions.end(),
                                        [as_of](const Version& v) { return v.position < as_of; });
      if (after == versions.begin()) continue;
      const Version& v = *std::prev(after);
      if (v.span && v.subject == subject) out.cases[subject].push_back(*v.span);
    }
  }
  out.unreadable = static_cast<uint64_t>(
      std::lower_bound(unreadable_.begin(), unreadable_.end(), as_of) - unreadable_.begin());
  return out;
}

}  // namespace sparbar::access
