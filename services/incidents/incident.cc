#include "services/incidents/incident.h"

#include <algorithm>
#include <set>

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::incidents {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "personal data incident");
}

namespace {

constexpr int64_t kMicrosPerHour = 3600LL * 1000000;

const char* PhaseOf(const IncidentState& s) {
  if (!s.Reported()) return "not reported";
  if (s.Closed()) return "closed";
  if (s.Assessed()) return "assessed";
  return "reported";
}

Status Rule(const IncidentState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the incident is " + PhaseOf(s) + ")");
}

// The role the caller acts in; PermissionDenied without it.
Result<std::string> DataProtectionRole(const DecideContext& c, const char* step) {
  if (std::find(c.roles.begin(), c.roles.end(), kRoleDataProtection) != c.roles.end()) {
    return std::string(kRoleDataProtection);
  }
  return Status::PermissionDenied(std::string("only the data-protection coordinator (role \"dataskyddssamordnare\") ") +
                                  step);
}

struct Decider {
  const IncidentState& s;
  const DecideContext& c;

  // A required instant, not after the end of today in Sweden and not before `earliest`.
  Result<TimestampMicros> Instant(bool present, const google::protobuf::Timestamp& t, const char* field,
                                  std::optional<TimestampMicros> earliest = std::nullopt,
                                  const char* earlier_step = "") const {
    if (!present) return Status::InvalidArgument(std::string(field) + " is required");
    if (!ValidInstant(t)) {
      return Status::InvalidArgument(std::string(field) + " is not a valid instant after 1970");
    }
    const TimestampMicros at = MicrosOf(t);
    if (at > EndOfStockholmDay(c.today)) {
      return Status::InvalidArgument(std::string(field) + " lies after today (" + c.today.ToString() + " in Sweden)");
    }
    if (earliest && at < *earliest) {
      return Status::InvalidArgument(std::string(field) + " lies before " + earlier_step);
    }
    return at;
  }

  Status Open(const char* step) const {
    if (!s.Reported() || s.Closed()) return Rule(s, std::string(step) + " belongs to a reported incident that is not closed");
    return Status::Ok();
  }

  Result<Payload> operator()(pb::IncidentReported m) const {
    if (s.Reported()) return Rule(s, "an incident is reported once");
    SPARBAR_TRY_ASSIGN(discovered, Instant(m.has_discovered_at(), m.discovered_at(), "discovered_at"));
    SPARBAR_TRY(Instant(m.has_reported_at(), m.reported_at(), "reported_at", discovered, "the discovery").status());
    SPARBAR_TRY(TextField(m.unit(), "unit", kMaxShortText, true));
    SPARBAR_TRY(NoPersonalIdentity(m.unit(), "unit", c.today));
    if (!NameOf(c.rules->kinds(), m.kind())) {
      return Status::InvalidArgument("kind: " + QuotedForError(m.kind(), c.today) +
                                     " is not a kind of config/personuppgiftsincidenter.json");
    }
    std::set<std::string> seen;
    for (const auto& category : m.categories()) {
      if (!NameOf(c.rules->categories(), category)) {
        return Status::InvalidArgument("categories: " + QuotedForError(category, c.today) +
                                       " is not a category of config/personuppgiftsincidenter.json");
      }
      if (!seen.insert(category).second) return Status::InvalidArgument("categories names \"" + category + "\" twice");
    }
    SPARBAR_TRY(FreeTextField(m.system(), "system", kMaxShortText, false, c.today));
    SPARBAR_TRY(TextField(m.responsible(), "responsible", kMaxShortText, true));
    SPARBAR_TRY(NoPersonalIdentity(m.responsible(), "responsible", c.today));
    SPARBAR_TRY(FreeTextField(m.description(), "description", kMaxLongText, true, c.today));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::IncidentAssessed m) const {
    SPARBAR_TRY(Open("an assessment"));
    SPARBAR_TRY_ASSIGN(role, DataProtectionRole(c, "assesses an incident"));
    if (s.Assessed()) return Rule(s, "an incident is assessed once");
    SPARBAR_TRY_ASSIGN(assessed, Instant(m.has_assessed_at(), m.assessed_at(), "assessed_at", s.reported_at,
                                         "the report"));
    if (m.has_aware_at()) {
      SPARBAR_TRY_ASSIGN(aware, Instant(true, m.aware_at(), "aware_at", s.discovered_at, "the discovery"));
      if (aware > assessed) return Status::InvalidArgument("aware_at lies after the assessment");
    } else {
      *m.mutable_aware_at() = s.reported->reported_at();  // aware from the report on
    }
    if (m.risk() == pb::RISK_UNSPECIFIED || !pb::Risk_IsValid(m.risk())) {
      return Status::InvalidArgument("risk must be unlikely, likely or high");
    }
    if (!m.notify_imy()) {
      if (m.risk() != pb::RISK_UNLIKELY) {
        return Status::InvalidArgument(
            "notify_imy: an incident likely to result in a risk to the people concerned is notified to IMY "
            "(GDPR art. 33); only an unlikely risk may go unnotified");
      }
      SPARBAR_TRY(FreeTextField(m.reasons(), "reasons", kMaxLongText, true, c.today));
    } else {
      SPARBAR_TRY(FreeTextField(m.reasons(), "reasons", kMaxLongText, false, c.today));
    }
    m.set_assessed_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ImyNotified m) const {
    SPARBAR_TRY(Open("notifying IMY"));
    SPARBAR_TRY_ASSIGN(role, DataProtectionRole(c, "notifies IMY"));
    if (!s.Assessed()) return Rule(s, "the incident is assessed before IMY is notified");
    if (!s.assessment->notify_imy()) return Rule(s, "the assessment was not to notify IMY");
    if (s.notified_at) return Rule(s, "IMY is notified once");
    SPARBAR_TRY_ASSIGN(notified, Instant(m.has_notified_at(), m.notified_at(), "notified_at",
                                         std::max(s.assessed_at, s.aware_at), "the assessment and the awareness"));
    SPARBAR_TRY(TextField(m.imy_reference(), "imy_reference", kMaxShortText, true));
    SPARBAR_TRY(NoPersonalIdentity(m.imy_reference(), "imy_reference", c.today));
    if (notified > *s.ImyDue(*c.rules)) {
      if (m.delay_reasons().empty()) {
        return Status::InvalidArgument("delay_reasons: IMY is notified after " +
                                       std::to_string(c.rules->imy_within_hours()) +
                                       " hours of awareness, so the reasons for the delay are required");
      }
    }
    SPARBAR_TRY(FreeTextField(m.delay_reasons(), "delay_reasons", kMaxLongText, false, c.today));
    m.set_notified_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::IncidentActionTaken m) const {
    SPARBAR_TRY(Open("an action"));
    SPARBAR_TRY(Instant(m.has_taken_at(), m.taken_at(), "taken_at", s.discovered_at, "the discovery").status());
    SPARBAR_TRY(FreeTextField(m.description(), "description", kMaxLongText, true, c.today));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::IncidentClosed m) const {
    SPARBAR_TRY(Open("closing"));
    if (!s.Assessed()) return Rule(s, "the data-protection coordinator assesses the incident before it closes");
    if (s.assessment->notify_imy() && !s.notified_at) {
      return Rule(s, "the assessment was to notify IMY: record the notification before closing");
    }
    const TimestampMicros after = std::max({s.assessed_at, s.notified_at.value_or(0), s.last_action_at});
    SPARBAR_TRY(Instant(m.has_closed_at(), m.closed_at(), "closed_at", after,
                        "the assessment, the notification or the last action")
                    .status());
    return Payload(std::move(m));
  }
};

}  // namespace

bool IncidentState::ReportedLate(const IncidentRules& rules) const {
  return Reported() && reported_at - discovered_at > rules.report_within_hours() * kMicrosPerHour;
}

std::optional<TimestampMicros> IncidentState::ImyDue(const IncidentRules& rules) const {
  if (!Reported()) return std::nullopt;
  return aware_at + rules.imy_within_hours() * kMicrosPerHour;
}

Result<Payload> Decide(const IncidentState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

IncidentState Evolve(IncidentState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::IncidentReported>) {
          s.reported = m;
          s.discovered_at = MicrosOf(m.discovered_at());
          s.reported_at = MicrosOf(m.reported_at());
          s.aware_at = s.reported_at;
        } else if constexpr (std::is_same_v<T, pb::IncidentAssessed>) {
          s.assessment = m;
          s.assessed_at = MicrosOf(m.assessed_at());
          if (m.has_aware_at()) s.aware_at = MicrosOf(m.aware_at());  // recorded by Decide; else the report's
        } else if constexpr (std::is_same_v<T, pb::ImyNotified>) {
          s.notified_at = MicrosOf(m.notified_at());
        } else if constexpr (std::is_same_v<T, pb::IncidentActionTaken>) {
          ++s.actions;
          s.last_action_at = std::max(s.last_action_at, MicrosOf(m.taken_at()));
        } else if constexpr (std::is_same_v<T, pb::IncidentClosed>) {
          s.closed_at = MicrosOf(m.closed_at());
        }
      },
      event);
  return s;
}

}  // namespace sparbar::incidents
