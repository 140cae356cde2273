#include "services/deviations/follow_up.h"

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/deviations/lex_sarah.h"

namespace sparbar::deviations::followup {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "follow-up case");
}

namespace {

Status Rule(const FollowUpState& s, const std::string& rule) {
  const char* phase = !s.opened ? "not opened" : s.closed ? "closed" : "open";
  return Status::FailedPrecondition(rule + " (the follow-up case is " + phase + ")");
}

Status ActionId(const std::string& id) {
  SPARBAR_TRY(TextField(id, "action_id", 32, true));
  return ValidateStreamId(id, "action_id");  // the same characters, and no personnummer
}

struct Decider {
  const FollowUpState& s;
  const DecideContext& c;

  Result<Payload> operator()(pb::FollowUpCaseOpened m) const {
    if (s.opened) return Rule(s, "a follow-up case is opened once");
    SPARBAR_TRY_ASSIGN(d, DateField(m.opened_date(), "opened_date", c.today));
    const std::string_view origin = m.origin_stream();
    const std::string_view prefix = origin.starts_with("lexmaria-") ? "lexmaria-" : lexsarah::kStreamPrefix;
    SPARBAR_TRY(ValidateStreamName(m.origin_stream(), prefix, "origin_stream"));
    SPARBAR_TRY(TextField(m.responsible(), "responsible", kMaxShortText, true));
    m.set_opened_date(d.ToString());
    return Payload(std::move(m));
  }

  Status Open(const char* step) const {
    if (!s.opened || s.closed) return Rule(s, std::string(step) + " belongs to an open follow-up case");
    return Status::Ok();
  }

  Result<Payload> operator()(pb::ActionPlanned m) const {
    SPARBAR_TRY(Open("an action"));
    SPARBAR_TRY(ActionId(m.action_id()));
    if (s.actions.count(m.action_id())) return Rule(s, "the plan has an action " + m.action_id() + " already");
    SPARBAR_TRY(TextField(m.description(), "description", kMaxLongText, true));
    SPARBAR_TRY(TextField(m.owner(), "owner", kMaxShortText, true));
    auto due = CivilDate::Parse(m.due_date(), "due_date");  // may lie in the future
    if (!due.ok()) return due.status();
    SPARBAR_TRY(NotBefore(*due, s.opened_on, "due_date", "the opening of the case"));
    m.set_due_date(due->ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ProgressRecorded m) const {
    SPARBAR_TRY(Open("a progress entry"));
    SPARBAR_TRY_ASSIGN(d, DateField(m.recorded_date(), "recorded_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.opened_on, "recorded_date", "the opening of the case"));
    SPARBAR_TRY(TextField(m.text(), "text", kMaxLongText, true));
    if (!m.action_id().empty() && !s.actions.count(m.action_id())) {
      return Status::InvalidArgument("action_id names no action of the plan");
    }
    m.set_recorded_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ActionCompleted m) const {
    SPARBAR_TRY(Open("completing an action"));
    auto it = s.actions.find(m.action_id());
    if (it == s.actions.end()) return Status::InvalidArgument("action_id names no action of the plan");
    if (it->second) return Rule(s, "action " + m.action_id() + " is completed already");
    SPARBAR_TRY_ASSIGN(d, DateField(m.completed_date(), "completed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.opened_on, "completed_date", "the opening of the case"));
    m.set_completed_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::FollowUpCaseClosed m) const {
    SPARBAR_TRY(Open("closing"));
    if (s.actions.empty()) return Rule(s, "a follow-up case closes with its action plan: plan an action first");
    for (const auto& [id, done] : s.actions) {
      if (!done) return Rule(s, "action " + id + " of the plan is not completed");
    }
    if (!s.HasProgress()) return Rule(s, "closing needs documented progress: record a progress entry first");
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.last_progress_on, "closed_date", "the last progress entry"));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }
};

}  // namespace

Result<Payload> Decide(const FollowUpState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

FollowUpState Evolve(FollowUpState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::FollowUpCaseOpened>) {
          s.opened = true;
          s.opened_on = CivilDate::TryParse(m.opened_date());
          s.origin_stream = m.origin_stream();
        } else if constexpr (std::is_same_v<T, pb::ActionPlanned>) {
          s.actions.emplace(m.action_id(), false);
          if (const auto due = CivilDate::TryParse(m.due_date())) s.action_due.emplace(m.action_id(), *due);
        } else if constexpr (std::is_same_v<T, pb::ProgressRecorded>) {
          ++s.progress_entries;
          const auto d = CivilDate::TryParse(m.recorded_date());
          if (d && (!s.last_progress_on || *s.last_progress_on < *d)) s.last_progress_on = d;
        } else if constexpr (std::is_same_v<T, pb::ActionCompleted>) {
          s.actions[m.action_id()] = true;
          const auto d = CivilDate::TryParse(m.completed_date());
          if (d && (!s.last_completed_on || *s.last_completed_on < *d)) s.last_completed_on = d;
        } else if constexpr (std::is_same_v<T, pb::FollowUpCaseClosed>) {
          s.closed = true;
          s.closed_on = CivilDate::TryParse(m.closed_date());
        }
      },
      event);
  return s;
}

std::vector<std::string> StalePlans(const std::map<std::string, FollowUpState>& cases, const CivilDate& today,
                                    int max_days) {
  std::vector<std::string> stale;
  for (const auto& [stream, s] : cases) {
    if (!s.opened || s.closed) continue;
    const std::optional<CivilDate>& since = s.last_progress_on ? s.last_progress_on : s.opened_on;
    if (since && today.DaysSinceEpoch() - since->DaysSinceEpoch() > max_days) stale.push_back(stream);
  }
  return stale;
}

}  // namespace sparbar::deviations::followup
