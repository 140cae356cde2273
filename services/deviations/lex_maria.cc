#include "services/deviations/lex_maria.h"

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/deviations/follow_up.h"
#include "services/deviations/payload.h"

namespace sparbar::deviations::lexmaria {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "lex Maria");
}

namespace {

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kNone: return "not opened";
    case Phase::kOpened: return "opened, not yet investigated";
    case Phase::kInvestigating: return "under investigation";
    case Phase::kInvestigated: return "investigated, not yet decided";
    case Phase::kReported: return "reported to IVO";
    case Phase::kNotReported: return "not reported to IVO";
    case Phase::kClosed: return "closed";
  }
  return "?";
}

Status Rule(const LexMariaState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the lex Maria case is " + PhaseName(s.phase) + ")");
}

// The MAS or MAR role the caller acts in; PermissionDenied without one.
Result<std::string> MasOrMar(const DecideContext& c, const char* step) {
  for (const auto& r : c.caller_roles) {
    if (r == kRoleMas || r == kRoleMar) return r;
  }
  return Status::PermissionDenied(std::string("only MAS (role \"mas\") or MAR (role \"mar\") ") + step);
}

struct Decider {
  const LexMariaState& s;
  const DecideContext& c;

  Result<Payload> operator()(pb::LexMariaOpened m) const {
    if (s.phase != Phase::kNone) return Rule(s, "a lex Maria case is opened once");
    SPARBAR_TRY_ASSIGN(d, DateField(m.opened_date(), "opened_date", c.today));
    SPARBAR_TRY(TextField(m.unit(), "unit", kMaxShortText, true));
    SPARBAR_TRY(TextField(m.description(), "description", kMaxLongText, true));
    if (!m.from_deviation().empty()) {
      SPARBAR_TRY(ValidateStreamName(m.from_deviation(), deviations::kStreamPrefix, "from_deviation"));
    }
    m.set_opened_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::InvestigationStarted m) const {
    SPARBAR_TRY_ASSIGN(role, MasOrMar(c, "start a lex Maria investigation"));
    if (s.phase != Phase::kOpened) return Rule(s, "the investigation is started once, after the case is opened");
    SPARBAR_TRY_ASSIGN(d, DateField(m.started_date(), "started_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.opened_on, "started_date", "the opening of the case"));
    m.set_started_date(d.ToString());
    m.set_decided_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::InvestigationCompleted m) const {
    if (s.phase != Phase::kInvestigating) return Rule(s, "only a started investigation is completed");
    SPARBAR_TRY_ASSIGN(d, DateField(m.completed_date(), "completed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.started_on, "completed_date", "the start of the investigation"));
    SPARBAR_TRY(TextField(m.findings(), "findings", kMaxLongText, true));
    m.set_completed_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ReportedToIvo m) const {
    SPARBAR_TRY_ASSIGN(role, MasOrMar(c, "report a lex Maria case to IVO"));
    if (s.phase != Phase::kInvestigated) return Rule(s, "IVO gets the report of a completed investigation, once");
    SPARBAR_TRY_ASSIGN(d, DateField(m.reported_date(), "reported_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.completed_on, "reported_date", "the completed investigation"));
    SPARBAR_TRY(TextField(m.ivo_reference(), "ivo_reference", kMaxShortText, true));
    m.set_reported_date(d.ToString());
    m.set_decided_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::NotReported m) const {
    SPARBAR_TRY_ASSIGN(role, MasOrMar(c, "decide not to report a lex Maria case to IVO"));
    if (s.phase != Phase::kInvestigated) {
      return Rule(s, "the decision not to report follows a completed investigation, once");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.decided_date(), "decided_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.completed_on, "decided_date", "the completed investigation"));
    SPARBAR_TRY(TextField(m.reasons(), "reasons", kMaxLongText, true));
    m.set_decided_date(d.ToString());
    m.set_decided_in_role(role);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::FollowUpOpened m) const {
    if (s.phase != Phase::kReported) return Rule(s, "a follow-up case is opened for a case reported to IVO");
    if (!s.follow_up_stream.empty()) return Rule(s, "the follow-up case is open already (" + s.follow_up_stream + ")");
    SPARBAR_TRY_ASSIGN(d, DateField(m.opened_date(), "opened_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.decided_on, "opened_date", "the report to IVO"));
    SPARBAR_TRY(ValidateStreamName(m.follow_up_stream(), followup::kStreamPrefix, "follow_up_stream"));
    m.set_opened_date(d.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::LexMariaClosed m) const {
    if (s.phase != Phase::kReported && s.phase != Phase::kNotReported) {
      return Rule(s, "a lex Maria case closes after the decision to report it to IVO or not");
    }
    if (s.phase == Phase::kReported && s.follow_up_stream.empty()) {
      return Rule(s, "a case reported to IVO closes with its follow-up case: open it first");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c.today));
    SPARBAR_TRY(NotBefore(d, s.decided_on, "closed_date", "the decision on reporting"));
    SPARBAR_TRY(NotBefore(d, s.follow_up_on, "closed_date", "the follow-up case"));
    m.set_closed_date(d.ToString());
    return Payload(std::move(m));
  }
};

}  // namespace

Result<Payload> Decide(const LexMariaState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

LexMariaState Evolve(LexMariaState s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::LexMariaOpened>) {
          s.phase = Phase::kOpened;
          s.opened_on = CivilDate::TryParse(m.opened_date());
          s.unit = m.unit();
          s.from_deviation = m.from_deviation();
        } else if constexpr (std::is_same_v<T, pb::InvestigationStarted>) {
          s.phase = Phase::kInvestigating;
          s.started_on = CivilDate::TryParse(m.started_date());
        } else if constexpr (std::is_same_v<T, pb::InvestigationCompleted>) {
          s.phase = Phase::kInvestigated;
          s.completed_on = CivilDate::TryParse(m.completed_date());
        } else if constexpr (std::is_same_v<T, pb::ReportedToIvo>) {
          s.phase = Phase::kReported;
          s.reported = true;
          s.decided_on = CivilDate::TryParse(m.reported_date());
        } else if constexpr (std::is_same_v<T, pb::NotReported>) {
          s.phase = Phase::kNotReported;
          s.decided_on = CivilDate::TryParse(m.decided_date());
        } else if constexpr (std::is_same_v<T, pb::FollowUpOpened>) {
          s.follow_up_stream = m.follow_up_stream();
          s.follow_up_on = CivilDate::TryParse(m.opened_date());
        } else if constexpr (std::is_same_v<T, pb::LexMariaClosed>) {
          s.phase = Phase::kClosed;
          s.closed_on = CivilDate::TryParse(m.closed_date());
        }
      },
      event);
  return s;
}

LexMariaStatistics ComputeStatistics(const std::vector<LexMariaState>& cases, const CivilDate& from,
                                     const CivilDate& to) {
  auto within = [&](const std::optional<CivilDate>& d) { return d && !(*d < from) && !(to < *d); };
  LexMariaStatistics st;
  for (const LexMariaState& c : cases) {
    if (within(c.opened_on)) {
      ++st.opened;
      st.from_deviation += !c.from_deviation.empty();
      st.open_at_end += !(c.closed_on && !(to < *c.closed_on));
      ++st.opened_by_unit[c.unit];
    }
    st.investigations_started += within(c.started_on);
    if (within(c.decided_on)) ++(c.reported ? st.reported_to_ivo : st.not_reported);
  }
  return st;
}

}  // namespace sparbar::deviations::lexmaria
