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
#include "services/grpc_status.h"
#include "services/deviations/decider.h"
#include "services/deviations/follow_up.h"
#include "services/deviations/lex_maria.h"
#include "services/deviations/lex_sarah.h"
#include "sparbar/v1/deviations_service.pb.h"

namespace sparbar::deviations {

template <class State, class Payload>
State FoldWith(State (*evolve)(State, const Payload&), const std::vector<Payload>& events) {
  State s;
  for (const auto& e : events) s = evolve(std::move(s), e);
  return s;
}

struct DeviationsModule {
  using Payload = deviations::Payload;
  static constexpr std::string_view kStreamPrefix = deviations::kStreamPrefix;
  static constexpr std::string_view kContentType = deviations::kContentType;
  static constexpr std::string_view kNoun = "deviation";
  static constexpr std::string_view kModule = "deviations";
  const DeviationTaxonomy* taxonomy;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return deviations::Parse(type, bytes); }
  std::string TypeOf(const Payload& p) const { return deviations::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return deviations::Serialize(p); }
  DeviationState Fold(const std::vector<Payload>& events) const { return deviations::Fold(events); }
  DecideContext ContextOn(const CivilDate& today) const { return DecideContext{today, taxonomy}; }
  Result<Payload> Decide(const DeviationState& s, const Payload& p, const DecideContext& c) const {
    return deviations::Decide(s, p, c);
  }
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
    return lexsarah::Decide(s, p, c);
  }
};

// Lex Maria, for one caller: a case opened from a deviation needs an HSL
// deviation of allvarlighetsgrad 3-4.
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
    const auto* opened = std::get_if<lexmaria::pb::LexMariaOpened>(&p);
    if (!decided.ok() || opened == nullptr || opened->from_deviation().empty()) return decided;
    const DeviationsModule deviations{taxonomy};
    auto stored = StepRecorder<DeviationsModule>(store, &deviations).Load(opened->from_deviation());
    if (!stored.ok()) return stored.status();
    if (stored->events.empty()) return Status::InvalidArgument("from_deviation names no recorded deviation");
    const DeviationState d = deviations.Fold(stored->events);
    if (!d.report || d.report->domain() != pb::DOMAIN_HSL || d.report->severity() < 3) {
      return Status::FailedPrecondition(
          "lex Maria takes up HSL deviations of allvarlighetsgrad 3 or 4; from_deviation is not one");
    }
    return decided;
  }
};

}  // namespace sparbar::deviations
