#include "services/deviations/lex_sarah.h"

#include <algorithm>

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/deviations/payload.h"

namespace sparbar::deviations::lexsarah {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "lex Sarah");
}

bool IsSerious(pb::Level level) {
  return level == pb::LEVEL_ALLVARLIGT_MISSFORHALLANDE || level == pb::LEVEL_PATAGLIG_RISK_FOR_ALLVARLIGT_MISSFORHALLANDE;
}

const char* LevelName(pb::Level level) {
  switch (level) {
    case pb::LEVEL_ALLVARLIGT_MISSFORHALLANDE: return "allvarligt missförhållande";
    case pb::LEVEL_PATAGLIG_RISK_FOR_ALLVARLIGT_MISSFORHALLANDE: return "påtaglig risk för allvarligt missförhållande";
    case pb::LEVEL_MISSFORHALLANDE: return "missförhållande";
    case pb::LEVEL_PATAGLIG_RISK_FOR_MISSFORHALLANDE: return "påtaglig risk för missförhållande";
    case pb::LEVEL_INGET_MISSFORHALLANDE: return "inget missförhållande";
    default: return "";
  }
}

namespace {

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kNone: return "not reported";
    case Phase::kInvestigating: return "under investigation";
    case Phase::kDecided: return "decided";
    case Phase::kClosed: return "closed";
  }
  return "?";
}

Status Rule(const LexSarahState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the lex Sarah report is " + PhaseName(s.phase) + ")");
}

struct Decider {
  const LexSarahState& s;
  const DecideContext& c;

  Result<Payload> operator()(pb::LexSarahReported m) const {
    if (s.phase != Phase::kNone) return Rule(s, "a lex Sarah report is made once");
    SPARBAR_TRY_ASSIGN(reported, DateField(m.reported_date(), "reported_date", c.today));
    SPARBAR_TRY_ASSIGN(occurred, DateField(m.occurred_date(), "occurred_date", c.today));
    SPARBAR_TRY(NotBefore(reported, occurred, "reported_date", "occurred_date"));
    SPARBAR_TRY(TextField(m.unit(), "unit", kMaxShortText, true));
    SPARBAR_TRY(TextField(m.description(), "description", kMaxLongText, true));
    if (!m.from_deviation().empty()) {
      SPARBAR_TRY(ValidateStreamName(m.from_deviation(), deviations::kStreamPrefix, "from_deviation"));
    }
    m.set_reported_date(reported.ToString());
    m.set_occurred_date(occurred.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::SeverityDecided m) const {
    if (s.phase != Phase::kInvestigating) return Rule(s, "the severity is decided once, to end the investigation");
    std::string role;
    for (const auto& r : c.caller_roles) {
      if (r == kRoleSas || r == kRoleInvestigator) role = r;
    }
    if (role.empty()) {
      return Status::PermissionDenied(
          "only the socialt ansvarig samordnare (role \"sas\") or an appointed investigator (role "
          "\"utsedd-utredare\") decides a lex Sarah investigation's severity");
    }
    if (m.level() == pb::LEVEL_UNSPECIFIED || !pb::Level_IsValid(m.level())) {
      return Status::InvalidArgument("level must be one of the five levels of the scale");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.decided_date(), "decided_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.reported_on, "decided_date", "the report"));
    SPARBAR_TRY(TextField(m.reasons(), "reasons", kMaxLongText, true));
    m.set_decided_date(d.ToString());
    m.set_decided_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::IvoNotified m) const {
    if (s.phase != Phase::kDecided) {
      return Rule(s, "IVO is notified of a decided serious level, before the report closes");
    }
    if (!IsSerious(s.level)) {
      return Rule(s, std::string("IVO is notified of the two serious levels; this one is ") + LevelName(s.level));
    }
    if (s.notified_on) return Rule(s, "IVO has been notified already");
    SPARBAR_TRY_ASSIGN(d, DateField(m.notified_date(), "notified_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.decided_on, "notified_date", "the severity decision"));
    SPARBAR_TRY(TextField(m.ivo_reference(), "ivo_reference", kMaxShortText, true));
    m.set_notified_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::FollowUpOpened m) const {
    if (s.phase != Phase::kDecided) return Rule(s, "the follow-up case is opened once the severity is decided");
    if (!s.follow_up_stream.empty()) return Rule(s, "the follow-up case is open already (" + s.follow_up_stream + ")");
    SPARBAR_TRY_ASSIGN(d, DateField(m.opened_date(), "opened_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.decided_on, "opened_date", "the severity decision"));
    SPARBAR_TRY(ValidateStreamName(m.follow_up_stream(), kFollowUpPrefix, "follow_up_stream"));
    m.set_opened_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::LexSarahClosed m) const {
    if (s.phase != Phase::kDecided) return Rule(s, "only a decided, open lex Sarah report can be closed");
    if (IsSerious(s.level) && !s.notified_on) {
      return Rule(s, "a serious level must be notified to IVO before the report closes");
    }
    if (s.follow_up_stream.empty()) return Rule(s, "closing needs the follow-up case: open it first");
    if (!c.follow_up_has_progress) {
      return Rule(s, "closing needs documented progress in the follow-up case " + s.follow_up_stream);
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.follow_up_on, "closed_date", "the follow-up case"));
    SPARBAR_TRY(NotBefore(d, s.notified_on, "closed_date", "the notification of IVO"));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }
};

}  // namespace

Result<Payload> Decide(const LexSarahState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

LexSarahState Evolve(LexSarahState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::LexSarahReported>) {
          s.phase = Phase::kInvestigating;
          s.reported_on = CivilDate::TryParse(m.reported_date());
          s.unit = m.unit();
          s.from_deviation = m.from_deviation();
        } else if constexpr (std::is_same_v<T, pb::SeverityDecided>) {
          s.phase = Phase::kDecided;
          s.level = m.level();
          s.decided_on = CivilDate::TryParse(m.decided_date());
        } else if constexpr (std::is_same_v<T, pb::IvoNotified>) {
          s.notified_on = CivilDate::TryParse(m.notified_date());
        } else if constexpr (std::is_same_v<T, pb::FollowUpOpened>) {
          s.follow_up_stream = m.follow_up_stream();
          s.follow_up_on = CivilDate::TryParse(m.opened_date());
        } else if constexpr (std::is_same_v<T, pb::LexSarahClosed>) {
          s.phase = Phase::kClosed;
          s.closed_on = CivilDate::TryParse(m.closed_date());
        }
      },
      event);
  return s;
}

LexSarahState Fold(const std::vector<Payload>& events) {
  LexSarahState s;
  for (const auto& e : events) s = Evolve(std::move(s), e);
  return s;
}

LexSarahStatistics ComputeStatistics(const std::vector<LexSarahState>& reports, const CivilDate& from,
                                     const CivilDate& to) {
  auto within = [&](const std::optional<CivilDate>& d) { return d && !(*d < from) && !(to < *d); };
  LexSarahStatistics st;
  for (const LexSarahState& r : reports) {
    if (within(r.reported_on)) {
      ++st.reported;
      ++st.reported_by_unit[r.unit];
      st.undecided_at_end += !(r.decided_on && !(to < *r.decided_on));
    }
    if (within(r.decided_on)) ++st.decided_by_level[r.level];
    st.notified_to_ivo += within(r.notified_on);
    st.follow_ups_opened += within(r.follow_up_on);
  }
  return st;
}

}  // namespace sparbar::deviations::lexsarah
