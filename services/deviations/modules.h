// The deviations module's streams (deviations, lex Sarah, lex Maria,
// follow-up cases) as StepRecorder modules (services/common/step_recorder.h).
// Internal to services/deviations/*_service.cc.
#pragma once

#include <functional>
#include <string>

#include "services/call_gate.h"
#include "services/caller.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/deviations/back_link.h"
#include "services/grpc_status.h"

#include <spdlog/spdlog.h>
#include "services/deviations/decider.h"
#include "services/deviations/follow_up.h"
#include "services/deviations/lex_maria.h"
#include "services/deviations/lex_sarah.h"
#include "sparbar/v1/deviations_service.pb.h"

namespace sparbar::deviations {

struct DeviationsModule {
  using Payload = deviations::Payload;
  static constexpr std::string_view kStreamPrefix = deviations::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "deviation";
  static constexpr std::string_view kModule = "deviations";
  const DeviationTaxonomy* taxonomy;
  std::vector<std::string> roles;  // the caller's
  // When set, a LexMariaDeclined also reads whether a lex Maria case names
  // the deviation (`stream`) though its link back is not recorded yet.
  EventStore* store = nullptr;
  std::string stream;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return deviations::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return deviations::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return deviations::Serialize(p); }
  DeviationState Fold(const std::vector<Payload>& events) const { return deviations::Fold(events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, taxonomy, roles}; }
  Result<Payload> Decide(const DeviationState& s, const Payload& p, const DecideContext& c) const;
};

struct FollowUpModule {
  using Payload = followup::Payload;
  static constexpr std::string_view kStreamPrefix = followup::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "follow-up case";
  static constexpr std::string_view kModule = "follow-up case";

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return followup::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return followup::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return followup::Serialize(p); }
  followup::FollowUpState Fold(const std::vector<Payload>& events) const { return FoldWith(&followup::Evolve, events); }
  followup::DecideContext ContextOn(const CivilDate& today) const { return followup::DecideContext{today}; }
  Result<Payload> Decide(const followup::FollowUpState& s, const Payload& p, const followup::DecideContext& c) const {
    return followup::Decide(s, p, c);
  }
};

// Lex Sarah, for one caller: a closing reads the follow-up case's progress.
struct LexSarahModule {
  using Payload = lexsarah::Payload;
  static constexpr std::string_view kStreamPrefix = lexsarah::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "lex Sarah report";
  static constexpr std::string_view kModule = "lex Sarah";
  EventStore* store;
  const DeviationTaxonomy* taxonomy;
  std::vector<std::string> roles;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return lexsarah::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return lexsarah::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return lexsarah::Serialize(p); }
  lexsarah::LexSarahState Fold(const std::vector<Payload>& events) const { return lexsarah::Fold(events); }
  lexsarah::DecideContext ContextOn(const CivilDate& today) const { return lexsarah::DecideContext{today, roles, false}; }
  Result<Payload> Decide(const lexsarah::LexSarahState& s, const Payload& p, lexsarah::DecideContext c) const {
    if (std::holds_alternative<lexsarah::pb::LexSarahClosed>(p) && !s.follow_up_stream.empty()) {
      const FollowUpModule follow_up;
      auto stored = StepRecorder<FollowUpModule>(store, &follow_up).Load(s.follow_up_stream);
      if (!stored.ok()) return stored.status();
      c.follow_up_has_progress = follow_up.Fold(stored->events).HasProgress();
    }
    auto decided = lexsarah::Decide(s, p, c);  // checks the stream name before anything is read
    const auto* reported = decided.ok() ? std::get_if<lexsarah::pb::LexSarahReported>(&*decided) : nullptr;
    if (reported == nullptr || reported->from_deviation().empty()) return decided;
    if (Status linkable = CheckLinkable(store, taxonomy, reported->from_deviation(), pb::LINK_KIND_LEX_SARAH,
                                        reported->reported_date());
        !linkable.ok()) {
      return linkable;
    }
    return decided;
  }
};

// Lex Maria, for one caller: a case opened from a deviation needs an HSL
// deviation of allvarlighetsgrad 3-4 that can take the link back.
struct LexMariaModule {
  using Payload = lexmaria::Payload;
  static constexpr std::string_view kStreamPrefix = lexmaria::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "lex Maria case";
  static constexpr std::string_view kModule = "lex Maria";
  EventStore* store;
  const DeviationTaxonomy* taxonomy;
  std::vector<std::string> roles;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return lexmaria::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return lexmaria::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return lexmaria::Serialize(p); }
  lexmaria::LexMariaState Fold(const std::vector<Payload>& events) const { return FoldWith(&lexmaria::Evolve, events); }
  lexmaria::DecideContext ContextOn(const CivilDate& today) const { return lexmaria::DecideContext{today, roles}; }
  Result<Payload> Decide(const lexmaria::LexMariaState& s, const Payload& p, const lexmaria::DecideContext& c) const {
    auto decided = lexmaria::Decide(s, p, c);  // checks the stream name before anything is read
    const auto* opened = decided.ok() ? std::get_if<lexmaria::pb::LexMariaOpened>(&*decided) : nullptr;
    if (opened == nullptr || opened->from_deviation().empty()) return decided;
    if (Status linkable = CheckLinkable(store, taxonomy, opened->from_deviation(), pb::LINK_KIND_LEX_MARIA,
                                        opened->opened_date());
        !linkable.ok()) {
      return linkable;
    }
    return decided;
  }
};

inline Result<Payload> DeviationsModule::Decide(const DeviationState& s, const Payload& p,
                                                const DecideContext& c) const {
  auto decided = deviations::Decide(s, p, c);
  if (!decided.ok() || store == nullptr || !std::holds_alternative<pb::LexMariaDeclined>(p)) return decided;
  auto cases = LexMariaCasesNaming(store, stream);
  if (!cases.ok()) return cases.status();
  if (!cases->empty()) {
    return Status::FailedPrecondition("a lex Maria case (" + cases->front() + ") took the deviation up already");
  }
  return decided;
}

// After any step of a lex case (`Opening` is its first event): the link back
// from the deviation it was opened from, if any and not yet recorded
// (back_link.h). The step is written by then, so a failure is logged and
// the case's next step (or a retry) records the link; the reports and the
// deadlines read the link from either side meanwhile.
template <class M, class Opening>
void LinkBack(const char* method, EventStore* store, const DeviationTaxonomy* taxonomy, pb::LinkKind kind,
              const M& module, const std::string& stream, const std::string& actor,
              std::optional<EventStore::Deadline> deadline, std::string (*opened_on)(const Opening&)) {
  auto stored = StepRecorder<M>(store, &module).Load(stream);
  Status s = stored.status();
  if (stored.ok()) {
    const Opening* opening = stored->events.empty() ? nullptr : std::get_if<Opening>(&stored->events.front());
    if (opening == nullptr || opening->from_deviation().empty()) return;
    s = RecordBackLink(store, taxonomy, opening->from_deviation(), kind, stream, opened_on(*opening), actor, deadline);
  }
  if (!s.ok()) {
    spdlog::warn("{}: the link back to {} is not recorded yet ({}); the case's next step records it", method, stream,
                 s.ToString());
  }
}

}  // namespace sparbar::deviations
