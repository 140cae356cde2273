#include "services/access/review.h"

#include <algorithm>

#include "services/access/review_rules.h"
#include "services/access/review_sample.h"
#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"

namespace sparbar::access::review {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "loggkontroll");
}

namespace {

constexpr size_t kMaxTargets = 1000, kMaxScope = 200;

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kNone: return "not opened";
    case Phase::kOpened: return "opened, its users not yet drawn";
    case Phase::kSampled: return "under review";
    case Phase::kConcluded: return "concluded";
  }
  return "?";
}

Status Rule(const ReviewState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the review is " + PhaseName(s.phase) + ")");
}

// Identifiers of users, units and systems: short, printable, no personnummer.
Status Identifiers(const google::protobuf::RepeatedPtrField<std::string>& ids, const char* field,
                   const CivilDate& today) {
  if (static_cast<size_t>(ids.size()) > (std::string_view(field) == "target_users" ? kMaxTargets : kMaxScope)) {
    return Status::InvalidArgument(std::string(field) + " has too many entries");
  }
  for (const std::string& id : ids) {
    SPARBAR_TRY(TextField(id, field, kMaxShortText, true));
    if (ContainsPersonalIdentity(id, today)) {
      return Status::InvalidArgument(std::string(field) + " must not hold a personnummer");
    }
  }
  return Status::Ok();
}

// A free text of the review: the report is handed on, so it names people
// by their reference in the report, never by personnummer.
Status FreeText(const std::string& text, const char* field, bool required, const CivilDate& today) {
  SPARBAR_TRY(TextField(text, field, kMaxLongText, required));
  if (ContainsPersonalIdentity(text, today)) {
    return Status::InvalidArgument(std::string(field) +
                                   " must not hold a personnummer; name the person by the report's reference (p-…)");
  }
  return Status::Ok();
}

struct Decider {
  const ReviewState& s;
  const DecideContext& c;

  Result<Payload> operator()(lr::ReviewOpened m) const {
    if (s.phase != Phase::kNone) return Status::AlreadyExists("the review is opened already");
    SPARBAR_TRY_ASSIGN(from, DateField(m.from_date(), "from_date", c.today));
    SPARBAR_TRY_ASSIGN(to, DateField(m.to_date(), "to_date", c.today));
    if (to < from) return Status::InvalidArgument("to_date must not be before from_date");
    if (to.DaysSinceEpoch() - from.DaysSinceEpoch() > 366) {
      return Status::InvalidArgument("a review covers at most 366 days");
    }
    SPARBAR_TRY(Identifiers(m.units(), "units", c.today));
    SPARBAR_TRY(Identifiers(m.source_systems(), "source_systems", c.today));
    SPARBAR_TRY(Identifiers(m.target_users(), "target_users", c.today));
    switch (m.kind()) {
      case lr::REVIEW_KIND_QUARTERLY_RANDOM:
        if (!m.target_users().empty()) {
          return Status::InvalidArgument("a random review draws its users: target_users is for a targeted one");
        }
        SPARBAR_TRY(FreeText(m.reason(), "reason", false, c.today));
        break;
      case lr::REVIEW_KIND_TARGETED:
        SPARBAR_TRY(FreeText(m.reason(), "reason (the suspicion a targeted review follows)", true, c.today));
        if (m.target_users().empty()) return Status::InvalidArgument("a targeted review needs target_users");
        break;
      default: return Status::InvalidArgument("kind must be quarterly random or targeted");
    }
    SPARBAR_TRY_ASSIGN(rules, CompleteRules(m.rules()));
    *m.mutable_rules() = std::move(rules);
    m.set_from_date(from.ToString());
    m.set_to_date(to.ToString());
    m.set_reviewer(c.actor);
    m.set_opened_date(c.today.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(lr::SampleDrawn m) const {
    if (s.phase != Phase::kOpened) return Rule(s, "a review's users are drawn once");
    const bool targeted = s.opened.kind() == lr::REVIEW_KIND_TARGETED;
    if (m.method() != (targeted ? "targeted" : kSampleMethod)) {
      return Status::InvalidArgument("the sample's method does not fit the review's kind");
    }
    m.set_drawn_date(c.today.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(lr::FindingRecorded m) const {
    if (s.phase != Phase::kSampled) return Rule(s, "findings are recorded while the review is under review");
    if (!c.reviewed || !c.reviewed->count(m.access_position())) {
      return Status::InvalidArgument("access_position " + std::to_string(m.access_position()) +
                                     " is not one of the review's accesses");
    }
    if (m.finding() == lr::FINDING_UNSPECIFIED || !lr::Finding_IsValid(m.finding())) {
      return Status::InvalidArgument("finding must be no remark, needs explanation or suspected misuse");
    }
    SPARBAR_TRY(FreeText(m.note(), "note", m.finding() != lr::FINDING_NO_REMARK, c.today));
    m.set_reviewer(c.actor);
    m.set_recorded_date(c.today.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(lr::MisuseInvestigationOpened m) const {
    if (s.phase != Phase::kSampled && s.phase != Phase::kConcluded) {
      return Rule(s, "a misuse investigation is opened from a finding");
    }
    auto f = s.findings.find(m.access_position());
    if (f == s.findings.end() || f->second.finding() != lr::FINDING_SUSPECTED_MISUSE) {
      return Status::FailedPrecondition("a misuse investigation needs a finding of suspected misuse on access " +
                                        std::to_string(m.access_position()));
    }
    if (s.investigations.count(m.access_position())) {
      return Status::AlreadyExists("a misuse investigation is open for access " +
                                   std::to_string(m.access_position()) + " already: " +
                                   s.investigations.at(m.access_position()));
    }
    SPARBAR_TRY(FreeText(m.reason(), "reason", true, c.today));
    SPARBAR_TRY(ValidateStreamId(m.investigation_id(), "investigation_id"));
    m.set_opened_date(c.today.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(lr::ReviewConcluded m) const {
    if (s.phase != Phase::kSampled) return Rule(s, "a review is concluded once, after its users are drawn");
    if (!c.flagged) return Status::FailedPrecondition("the review's flagged accesses are not known");
    size_t missing = 0;
    for (uint64_t p : *c.flagged) missing += s.findings.count(p) ? 0 : 1;
    if (missing > 0) {
      return Status::FailedPrecondition(std::to_string(missing) +
                                        " flagged accesses have no finding yet; record one for each first");
    }
    SPARBAR_TRY(FreeText(m.summary(), "summary", true, c.today));
    m.set_reviewer(c.actor);
    m.set_concluded_date(c.today.ToString());
    return Payload(std::move(m));
  }
};

}  // namespace

std::vector<std::string> TargetUsers(const lr::ReviewOpened& opened) {
  std::vector<std::string> users(opened.target_users().begin(), opened.target_users().end());
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

Result<Payload> Decide(const ReviewState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit(Decider{state, context}, proposed);
}

ReviewState Evolve(ReviewState s, const Payload& event) {
  std::visit(
      [&s](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, lr::ReviewOpened>) {
          s.phase = Phase::kOpened;
          s.opened = m;
        } else if constexpr (std::is_same_v<T, lr::SampleDrawn>) {
          s.phase = Phase::kSampled;
          s.sample = m;
        } else if constexpr (std::is_same_v<T, lr::FindingRecorded>) {
          s.findings[m.access_position()] = m;
        } else if constexpr (std::is_same_v<T, lr::MisuseInvestigationOpened>) {
          s.investigations[m.access_position()] = m.investigation_id();
        } else if constexpr (std::is_same_v<T, lr::ReviewConcluded>) {
          s.phase = Phase::kConcluded;
          s.concluded = m;
        }
      },
      event);
  return s;
}

}  // namespace sparbar::access::review
