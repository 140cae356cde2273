#include "services/complaints/case.h"

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/deviations/payload.h"

namespace sparbar::complaints {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "complaints");
}

namespace {

namespace dpb = ::sparbar::v1::deviations;

const char* PhaseOf(const ComplaintState& s) {
  if (!s.Received()) return "not received";
  if (s.Closed()) return "closed";
  if (s.answered_on) return "answered";
  return "open";
}

Status Rule(const ComplaintState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the case is " + PhaseOf(s) + ")");
}

CivilDate Plus(const CivilDate& d, int days) { return CivilDate::FromDays(d.DaysSinceEpoch() + days); }

struct Decider {
  const ComplaintState& s;
  const DecideContext& c;

  // A step of a received case that is not closed, dated `date` (not before receipt, not after today).
  Result<CivilDate> OpenStep(const char* step, const std::string& date, const char* field) const {
    if (!s.Received() || s.Closed()) return Rule(s, std::string(step) + " belongs to a received case that is not closed");
    SPARBAR_TRY_ASSIGN(d, DateField(date, field, c.today));
    SPARBAR_TRY(NotBefore(d, s.received_on, field, "the receipt"));
    return d;
  }

  Result<Payload> operator()(pb::ComplaintReceived m) const {
    if (s.Received()) return Rule(s, "a case is received once");
    SPARBAR_TRY_ASSIGN(d, DateField(m.received_date(), "received_date", c.today));
    if (m.channel() == pb::CHANNEL_UNSPECIFIED || !pb::Channel_IsValid(m.channel())) {
      return Status::InvalidArgument("channel must be e-service, email, phone, letter or visit");
    }
    if (!pb::Submitter_IsValid(m.submitter())) return Status::InvalidArgument("submitter is not a known kind");
    if (!pb::Kind_IsValid(m.kind())) return Status::InvalidArgument("kind is not a known kind");
    if (!::sparbar::v1::decisions::Sex_IsValid(m.sex())) {
      return Status::InvalidArgument("sex must be kvinna, man, annat or unspecified (not stated)");
    }
    if (m.domain() == dpb::DOMAIN_UNSPECIFIED || !dpb::Domain_IsValid(m.domain())) {
      return Status::InvalidArgument("domain must be HSL, SoL or LSS (it chooses the answer deadline)");
    }
    SPARBAR_TRY(TextField(m.unit(), "unit", kMaxShortText, true));
    SPARBAR_TRY(NoPersonalIdentity(m.unit(), "unit", c.today));
    std::set<std::string> seen;
    for (const auto& area : m.areas()) {
      if (!c.rules->AreaName(area)) {
        return Status::InvalidArgument("areas: " + QuotedForError(area, c.today) + " is not an area of config/klagomal.json");
      }
      if (!seen.insert(area).second) return Status::InvalidArgument("areas names \"" + area + "\" twice");
    }
    SPARBAR_TRY(FreeTextField(m.summary(), "summary", kMaxLongText, false, c.today));
    m.set_received_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ComplaintAssigned m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("an assignment", m.assigned_date(), "assigned_date"));
    if (s.answered_on) return Rule(s, "an answered case is not assigned again");
    SPARBAR_TRY(TextField(m.responsible(), "responsible", kMaxShortText, true));
    SPARBAR_TRY(NoPersonalIdentity(m.responsible(), "responsible", c.today));
    m.set_assigned_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::InvestigationExtended m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("a larger investigation", m.decided_date(), "decided_date"));
    if (s.answered_on) return Rule(s, "a larger investigation is decided before the answer");
    if (s.Extended()) return Rule(s, "a larger investigation is decided once");
    if (const auto due = s.AnswerDue(*c.rules); due && *due < d) {
      return Rule(s, "a larger investigation is decided within the answer's deadline, by " + due->ToString());
    }
    SPARBAR_TRY(FreeTextField(m.reason(), "reason", kMaxLongText, true, c.today));
    m.set_decided_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ComplaintAnswered m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("an answer", m.answered_date(), "answered_date"));
    if (s.answered_on) return Rule(s, "a case is answered once");
    if (s.responsible.empty()) return Rule(s, "the responsible officer answers: assign the case first");
    SPARBAR_TRY(NotBefore(d, s.assigned_on, "answered_date", "the assignment"));
    SPARBAR_TRY(NotBefore(d, s.extended_on, "answered_date", "the decision on a larger investigation"));
    SPARBAR_TRY(FreeTextField(m.summary(), "summary", kMaxLongText, false, c.today));
    m.set_answered_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ComplaintActionRecorded m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("an action", m.action_date(), "action_date"));
    if (!c.rules->ActionName(m.action_type())) {
      return Status::InvalidArgument("action_type: " + QuotedForError(m.action_type(), c.today) +
                                     " is not an action type of config/klagomal.json");
    }
    SPARBAR_TRY(FreeTextField(m.content(), "content", kMaxLongText, true, c.today));
    m.set_action_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ConvertedToDeviation m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("a deviation", m.converted_date(), "converted_date"));
    SPARBAR_TRY(ValidateStreamName(m.deviation_stream(), deviations::kStreamPrefix, "deviation_stream"));
    if (s.deviations.contains(m.deviation_stream())) {
      return Rule(s, "the case names " + m.deviation_stream() + " already");
    }
    m.set_converted_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ReminderSent m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("a reminder", m.sent_date(), "sent_date"));
    if (m.reason() == pb::REMINDER_REASON_UNSPECIFIED || !pb::ReminderReason_IsValid(m.reason())) {
      return Status::InvalidArgument("reason must be not answered or answered not closed");
    }
    const auto due = ReminderDue(s, *c.rules, d);
    if (!due || *due != m.reason()) {
      const bool answered = s.answered_on.has_value();
      if (m.reason() == pb::REMINDER_REASON_NOT_ANSWERED && answered) return Rule(s, "the case is answered already");
      if (m.reason() == pb::REMINDER_REASON_ANSWERED_NOT_CLOSED && !answered) return Rule(s, "the case is not answered");
      const auto by = answered ? s.CloseDue(*c.rules) : s.AnswerDue(*c.rules);
      return Rule(s, std::string("no reminder is due on ") + d.ToString() + ": " +
                         (answered ? "closing" : "the answer") + " is due " + (by ? by->ToString() : "later"));
    }
    const auto& last = m.reason() == pb::REMINDER_REASON_NOT_ANSWERED ? s.reminded_not_answered : s.reminded_not_closed;
    if (last && d.DaysSinceEpoch() - last->DaysSinceEpoch() < c.rules->remind_again_days()) {
      return Rule(s, "a reminder for the same reason went out on " + last->ToString() + "; the next is due " +
                         std::to_string(c.rules->remind_again_days()) + " days after it");
    }
    m.set_sent_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ComplaintClosed m) const {
    SPARBAR_TRY_ASSIGN(d, OpenStep("closing", m.closed_date(), "closed_date"));
    if (!s.answered_on) {
      return Rule(s, "every case is answered before it closes, also when the submitter wants no answer");
    }
    SPARBAR_TRY(NotBefore(d, s.answered_on, "closed_date", "the answer"));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }
};

void Later(std::optional<CivilDate>& last, const std::string& text) {
  const auto d = CivilDate::TryParse(text);
  if (d && (!last || *last < *d)) last = d;
}

}  // namespace

std::optional<CivilDate> ComplaintState::AnswerDue(const ComplaintRules& rules) const {
  if (!received || !received_on) return std::nullopt;
  return Plus(*received_on, rules.AnswerDays(received->domain(), Extended()));
}

std::optional<CivilDate> ComplaintState::CloseDue(const ComplaintRules& rules) const {
  if (!answered_on) return std::nullopt;
  return Plus(*answered_on, rules.close_after_answer_days());
}

std::optional<pb::ReminderReason> ReminderDue(const ComplaintState& s, const ComplaintRules& rules,
                                              const CivilDate& on) {
  if (!s.Received() || s.Closed()) return std::nullopt;
  if (!s.answered_on) {
    const auto due = s.AnswerDue(rules);
    if (due && *due < on) return pb::REMINDER_REASON_NOT_ANSWERED;
    return std::nullopt;
  }
  const auto due = s.CloseDue(rules);
  if (due && *due < on) return pb::REMINDER_REASON_ANSWERED_NOT_CLOSED;
  return std::nullopt;
}

Result<Payload> Decide(const ComplaintState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

ComplaintState Evolve(ComplaintState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::ComplaintReceived>) {
          s.received = m;
          s.received_on = CivilDate::TryParse(m.received_date());
        } else if constexpr (std::is_same_v<T, pb::ComplaintAssigned>) {
          s.responsible = m.responsible();
          s.assigned_on = CivilDate::TryParse(m.assigned_date());
        } else if constexpr (std::is_same_v<T, pb::InvestigationExtended>) {
          s.extended_on = CivilDate::TryParse(m.decided_date());
        } else if constexpr (std::is_same_v<T, pb::ComplaintAnswered>) {
          s.answered_on = CivilDate::TryParse(m.answered_date());
        } else if constexpr (std::is_same_v<T, pb::ComplaintActionRecorded>) {
          ++s.actions;
          s.action_types.insert(m.action_type());
        } else if constexpr (std::is_same_v<T, pb::ConvertedToDeviation>) {
          s.deviations.insert(m.deviation_stream());
        } else if constexpr (std::is_same_v<T, pb::ReminderSent>) {
          Later(m.reason() == pb::REMINDER_REASON_NOT_ANSWERED ? s.reminded_not_answered : s.reminded_not_closed,
                m.sent_date());
        } else if constexpr (std::is_same_v<T, pb::ComplaintClosed>) {
          s.closed_on = CivilDate::TryParse(m.closed_date());
        }
      },
      event);
  return s;
}

}  // namespace sparbar::complaints
