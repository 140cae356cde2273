#include "services/deviations/decider.h"

#include <algorithm>
#include <set>

#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"
#include "services/deviations/lex_maria.h"
#include "services/deviations/lex_sarah.h"

namespace sparbar::deviations {

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kNone: return "not reported";
    case Phase::kReported: return "reported";
    case Phase::kClosedNotDeviation: return "closed as not a deviation";
    case Phase::kInvestigated: return "investigated";
    case Phase::kFollowedUp: return "followed up";
    case Phase::kClosed: return "closed";
  }
  return "?";
}

std::string_view LinkedStreamPrefix(pb::LinkKind kind) {
  return kind == pb::LINK_KIND_LEX_MARIA ? std::string_view("lexmaria-") : lexsarah::kStreamPrefix;
}

namespace {

Status Rule(const DeviationState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the deviation is " + PhaseName(s.phase) + ")");
}

bool IsHsl(const DeviationState& s) { return s.report && s.report->domain() == pb::DOMAIN_HSL; }

using lexmaria::kRoleMar;
using lexmaria::kRoleMas;

// One overload per proposed event; each returns the event to append.
struct Decider {
  const DeviationState& s;
  const DecideContext& c;

  Result<Payload> operator()(pb::DeviationReported m) const {
    if (s.phase != Phase::kNone) return Rule(s, "a deviation is reported once");
    SPARBAR_TRY_ASSIGN(reported, DateField(m.reported_date(), "reported_date", c.today));
    SPARBAR_TRY_ASSIGN(occurred, DateField(m.occurred_date(), "occurred_date", c.today));
    SPARBAR_TRY(NotBefore(reported, occurred, "reported_date", "occurred_date"));
    SPARBAR_TRY(TextField(m.unit(), "unit", kMaxShortText, true));
    SPARBAR_TRY(TextField(m.description(), "description", kMaxLongText, true));
    SPARBAR_TRY_ASSIGN(version, c.taxonomy->VersionOn(reported, "reported_date"));
    switch (m.domain()) {
      case pb::DOMAIN_HSL:
        SPARBAR_TRY(c.taxonomy->Find(TaxonomyList::kHslAreas, m.hsl_area(), reported, "hsl_area").status());
        if (m.severity() < 1 || m.severity() > 4) {
          return Status::InvalidArgument("severity must be an allvarlighetsgrad from 1 to 4 for an HSL deviation");
        }
        if (m.areas_size() > 0) return Status::InvalidArgument("areas are for SoL/LSS; an HSL deviation has hsl_area");
        break;
      case pb::DOMAIN_SOL:
      case pb::DOMAIN_LSS: {
        if (m.areas_size() == 0) return Status::InvalidArgument("areas needs at least one area for a SoL/LSS deviation");
        std::set<std::string> seen;
        for (const auto& area : m.areas()) {
          SPARBAR_TRY(c.taxonomy->Find(TaxonomyList::kSocialAreas, area, reported, "areas").status());
          if (!seen.insert(area).second) return Status::InvalidArgument("areas names \"" + area + "\" twice");
        }
        if (!m.hsl_area().empty()) return Status::InvalidArgument("hsl_area is for HSL; a SoL/LSS deviation has areas");
        if (m.severity() != 0) {
          return Status::InvalidArgument("severity (allvarlighetsgrad) is for HSL deviations; leave it 0 for SoL/LSS");
        }
        break;
      }
      default:
        return Status::InvalidArgument("domain must be HSL, SoL or LSS");
    }
    if (!::sparbar::v1::decisions::Sex_IsValid(m.sex())) {
      return Status::InvalidArgument("sex must be kvinna, man, annat or unspecified");
    }
    switch (m.direction()) {
      case pb::DIRECTION_INTERNAL:
        if (!m.counterparty().empty()) {
          return Status::InvalidArgument("counterparty is for external deviations (sent or received)");
        }
        break;
      case pb::DIRECTION_SENT:
      case pb::DIRECTION_RECEIVED:
        SPARBAR_TRY(TextField(m.counterparty(), "counterparty", kMaxShortText, true));
        break;
      default:
        return Status::InvalidArgument("direction must be internal, sent or received");
    }
    m.set_reported_date(reported.ToString());
    m.set_occurred_date(occurred.ToString());
    m.set_taxonomy_version(version->version);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ClosedAsNotDeviation m) const {
    if (s.phase != Phase::kReported) {
      return Rule(s, "a deviation is closed as not a deviation only after it is reported and before it is investigated");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.reported_on, "closed_date", "the report"));
    SPARBAR_TRY(TextField(m.reason(), "reason", kMaxLongText, true));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RootCausesDocumented m) const {
    if (s.phase != Phase::kReported && s.phase != Phase::kInvestigated && s.phase != Phase::kFollowedUp) {
      return Rule(s, "root causes are documented for an open deviation");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.documented_date(), "documented_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.reported_on, "documented_date", "the report"));
    if (m.root_causes_size() == 0) return Status::InvalidArgument("root_causes needs at least one cause");
    for (const auto& cause : m.root_causes()) SPARBAR_TRY(TextField(cause, "root_causes", kMaxLongText, true));
    m.set_documented_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ActionTaken m) const {
    if (s.phase != Phase::kInvestigated && s.phase != Phase::kFollowedUp) {
      return Rule(s, "actions follow the investigation: document the root causes first");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.action_date(), "action_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.investigated_on, "action_date", "the root causes documented"));
    SPARBAR_TRY(NotBefore(d, s.followed_up_on, "action_date", "the last follow-up"));
    SPARBAR_TRY(c.taxonomy->Find(TaxonomyList::kActionTypes, m.action_type(), d, "action_type").status());
    SPARBAR_TRY_ASSIGN(version, c.taxonomy->VersionOn(d, "action_date"));
    SPARBAR_TRY(TextField(m.content(), "content", kMaxLongText, true));
    m.set_action_date(d.ToString());
    m.set_taxonomy_version(version->version);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::FollowedUp m) const {
    if (s.phase != Phase::kInvestigated || s.actions_since_follow_up == 0) {
      return Rule(s, "a follow-up checks the effect of actions taken since the last one: take an action first");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.followed_up_date(), "followed_up_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.latest_action_on, "followed_up_date", "the latest action"));
    SPARBAR_TRY(TextField(m.effect(), "effect", kMaxLongText, true));
    m.set_followed_up_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::DeviationClosed m) const {
    if (s.phase == Phase::kReported || s.phase == Phase::kInvestigated) {
      return Rule(s, "closing requires a documented root cause and a follow-up of the actions' effect; to close "
                     "without investigation, record ClosedAsNotDeviation with a reason");
    }
    if (s.phase != Phase::kFollowedUp) return Rule(s, "only an open deviation can be closed");
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.followed_up_on, "closed_date", "the follow-up"));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::LinkedToCase m) const {
    if (s.phase == Phase::kNone) return Rule(s, "a link needs a reported deviation");
    switch (m.kind()) {
      case pb::LINK_KIND_LEX_MARIA:
        if (!IsHsl(s) || s.report->severity() < 3) {
          return Rule(s, "lex Maria takes up HSL deviations of allvarlighetsgrad 3 or 4");
        }
        break;
      case pb::LINK_KIND_LEX_SARAH:
        if (IsHsl(s)) return Rule(s, "lex Sarah takes up SoL/LSS deviations; an HSL deviation goes to lex Maria");
        break;
      default:
        return Status::InvalidArgument("kind must be lex Sarah or lex Maria");
    }
    SPARBAR_TRY(ValidateStreamName(m.case_stream(), LinkedStreamPrefix(m.kind()), "case_stream"));
    if (std::find(s.linked_cases.begin(), s.linked_cases.end(), m.case_stream()) != s.linked_cases.end()) {
      return Rule(s, "the deviation is linked to " + m.case_stream() + " already");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.linked_date(), "linked_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.reported_on, "linked_date", "the report"));
    m.set_linked_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::LexMariaDeclined m) const {
    if (s.phase == Phase::kNone) return Rule(s, "a lex Maria assessment needs a reported deviation");
    if (!s.OfferedForLexMaria()) {
      return Rule(s, "only HSL deviations of allvarlighetsgrad 3 or 4 are offered to MAS/MAR for lex Maria");
    }
    if (s.TakenUpByLexMaria()) return Rule(s, "a lex Maria case took the deviation up already");
    if (s.lex_maria_declined_on) return Rule(s, "MAS/MAR decided not to open lex Maria for this deviation already");
    std::string role;
    for (const auto& r : c.caller_roles) {
      if (r == kRoleMas || r == kRoleMar) role = r;
    }
    if (role.empty()) {
      return Status::PermissionDenied("only MAS (role \"mas\") or MAR (role \"mar\") decide not to open lex Maria");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.decided_date(), "decided_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.reported_on, "decided_date", "the report"));
    SPARBAR_TRY(TextField(m.reasons(), "reasons", kMaxLongText, true));
    m.set_decided_date(d.ToString());
    m.set_decided_in_role(role);
    return Payload(std::move(m));
  }
};

}  // namespace

bool DeviationState::OfferedForLexMaria() const {
  return report && report->domain() == pb::DOMAIN_HSL && report->severity() >= 3;
}

bool DeviationState::TakenUpByLexMaria() const {
  const std::string_view prefix = LinkedStreamPrefix(pb::LINK_KIND_LEX_MARIA);
  return std::any_of(linked_cases.begin(), linked_cases.end(),
                     [&](const std::string& c) { return c.starts_with(prefix); });
}

Result<Payload> Decide(const DeviationState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

DeviationState Evolve(DeviationState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::DeviationReported>) {
          s.phase = Phase::kReported;
          s.report = m;
          s.reported_on = CivilDate::TryParse(m.reported_date());
        } else if constexpr (std::is_same_v<T, pb::ClosedAsNotDeviation>) {
          s.phase = Phase::kClosedNotDeviation;
          s.closed_on = CivilDate::TryParse(m.closed_date());
        } else if constexpr (std::is_same_v<T, pb::RootCausesDocumented>) {
          if (s.phase == Phase::kReported) {
            s.phase = Phase::kInvestigated;
            s.investigated_on = CivilDate::TryParse(m.documented_date());
          }
        } else if constexpr (std::is_same_v<T, pb::ActionTaken>) {
          s.phase = Phase::kInvestigated;
          ++s.actions;
          ++s.actions_since_follow_up;
          const auto d = CivilDate::TryParse(m.action_date());
          if (d && (!s.latest_action_on || *s.latest_action_on < *d)) s.latest_action_on = d;
        } else if constexpr (std::is_same_v<T, pb::FollowedUp>) {
          s.phase = Phase::kFollowedUp;
          s.actions_since_follow_up = 0;
          s.followed_up_on = CivilDate::TryParse(m.followed_up_date());
        } else if constexpr (std::is_same_v<T, pb::DeviationClosed>) {
          s.phase = Phase::kClosed;
          s.closed_on = CivilDate::TryParse(m.closed_date());
        } else if constexpr (std::is_same_v<T, pb::LinkedToCase>) {
          s.linked_cases.push_back(m.case_stream());
        } else if constexpr (std::is_same_v<T, pb::LexMariaDeclined>) {
          s.lex_maria_declined_on = CivilDate::TryParse(m.decided_date());
        }
      },
      event);
  return s;
}

DeviationState Fold(const std::vector<Payload>& events) {
  DeviationState s;
  for (const auto& e : events) s = Evolve(std::move(s), e);
  return s;
}

}  // namespace sparbar::deviations
