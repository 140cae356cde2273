// The delegation module's two stream kinds for StepRecorder
// (services/common/step_recorder.h): the order's versions and a decision
// taken under it. Their Decide reads what a step refers to in other
// streams before the pure decider runs: the committee paragraph a version
// rests on or a decision was reported to, the order a decision names, and
// the latest decisions recorded under the order a new version changes (a
// read of every decision: versions are few).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "services/committee/paragraph_ref.h"
#include "services/common/decide_checks.h"
#include "services/common/fold_prefix.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"
#include "services/delegation/decision.h"
#include "services/delegation/order.h"

namespace sparbar::delegation {

// The latest day of a decision taken under `order_id`, per version of the
// order it was checked against, among all recorded.
inline Result<std::map<std::string, CivilDate>> LatestDecisionDays(EventStore& store, const std::string& order_id) {
  std::map<std::string, DecisionState> decisions;
  uint64_t unreadable = 0;
  if (Status s = FoldPrefix(store, kDecisionStreamPrefix, store.Size(), decisions, unreadable, &ParseDecision,
                            &EvolveDecision, nullptr);
      !s.ok()) {
    return s;
  }
  std::map<std::string, CivilDate> latest;
  for (const auto& [stream, d] : decisions) {
    if (!d.Taken() || d.taken->order_id() != order_id) continue;
    auto [it, added] = latest.emplace(d.taken->order_version(), d.decided_on);
    if (!added && it->second < d.decided_on) it->second = d.decided_on;
  }
  return latest;
}

struct OrderModule {
  using Payload = OrderPayload;
  static constexpr std::string_view kStreamPrefix = kOrderStreamPrefix;
  static constexpr std::string_view kContentType = delegation::kContentType;
  static constexpr std::string_view kNoun = "delegation order";
  static constexpr std::string_view kModule = "delegation order";
  EventStore* store;
  std::string order_id;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return ParseOrder(type, bytes); }
  std::string TypeOf(const Payload& p) const { return delegation::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return delegation::Serialize(p); }
  OrderState Fold(const std::vector<Payload>& events) const { return FoldWith(&EvolveOrder, events); }
  OrderContext ContextOn(const CivilDate& today) const { return OrderContext{today, std::nullopt, {}}; }
  Result<Payload> Decide(const OrderState& s, const Payload& p, OrderContext c) const {
    const auto& decided_in = std::visit([](const auto& m) -> const pb::CommitteeParagraph& { return m.decided_in(); }, p);
    if (committee::Given(decided_in)) {
      SPARBAR_TRY_ASSIGN(ref, committee::CheckParagraph(*store, decided_in, "decided_in"));
      c.decided_on = ref.meeting_date;
    }
    SPARBAR_TRY_ASSIGN(latest, LatestDecisionDays(*store, order_id));
    c.latest_decision = std::move(latest);
    return DecideOrder(s, p, c);
  }
};

// Reads an order's stream and folds it (an empty state when it has no events).
inline Result<OrderState> LoadOrder(EventStore& store, const std::string& order_id) {
  const OrderModule module{&store, order_id};
  auto stored = StepRecorder<OrderModule>(&store, &module).Load(std::string(kOrderStreamPrefix) + order_id);
  if (!stored.ok()) return stored.status();
  return module.Fold(stored->events);
}

struct DecisionModule {
  using Payload = DecisionPayload;
  static constexpr std::string_view kStreamPrefix = kDecisionStreamPrefix;
  static constexpr std::string_view kContentType = delegation::kContentType;
  static constexpr std::string_view kNoun = "delegation decision";
  static constexpr std::string_view kModule = "delegation decision";
  EventStore* store;

  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return ParseDecision(type, bytes); }
  std::string TypeOf(const Payload& p) const { return delegation::TypeOf(p); }
  std::string Serialize(const Payload& p) const { return delegation::Serialize(p); }
  DecisionState Fold(const std::vector<Payload>& events) const { return FoldWith(&EvolveDecision, events); }
  DecisionContext ContextOn(const CivilDate& today) const { return DecisionContext{today, nullptr, std::nullopt}; }
  Result<Payload> Decide(const DecisionState& s, const Payload& p, DecisionContext c) const {
    OrderState order;
    if (const auto* taken = std::get_if<pb::DecisionTaken>(&p); taken && !s.Taken()) {
      if (Status valid = ValidateStreamId(taken->order_id(), "order_id"); !valid.ok()) return valid;
      SPARBAR_TRY_ASSIGN(loaded, LoadOrder(*store, taken->order_id()));
      order = std::move(loaded);
    }
    c.order = &order;
    if (const auto* reported = std::get_if<pb::DecisionReported>(&p); reported && s.Taken() && !s.Reported()) {
      SPARBAR_TRY_ASSIGN(ref, committee::CheckParagraph(*store, reported->reported_in(), "reported_in"));
      c.meeting_date = ref.meeting_date;
    }
    return DecideDecision(s, p, c);
  }
};

}  // namespace sparbar::delegation
