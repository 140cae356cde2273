#include "services/delegation/decision.h"

#include "services/committee/paragraph_ref.h"
#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/common/text_fold.h"

namespace sparbar::delegation {

std::string TypeOf(const DecisionPayload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const DecisionPayload& payload) { return VariantSerialize(payload); }
Result<DecisionPayload> ParseDecision(std::string_view type, std::string_view bytes) {
  return VariantParse<DecisionPayload>(type, bytes, "delegation decision");
}

std::string DecisionState::ReportedIn() const { return reported ? committee::ParagraphText(reported->reported_in()) : ""; }

bool DecisionState::ReportedLate(const committee::CommitteeRules& rules) const {
  return reported && reported_on.DaysSinceEpoch() - decided_on.DaysSinceEpoch() > rules.delegation_report_within_days();
}

namespace {

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " or ") + i;
  return out;
}

struct Decider {
  const DecisionState& s;
  const DecisionContext& c;

  Status Short(const std::string& value, const char* field, bool required) const {
    return FreeTextField(value, field, kMaxShortText, required, c.today);
  }

  Result<DecisionPayload> operator()(pb::DecisionTaken m) const {
    if (s.Taken()) return Status::FailedPrecondition("a delegation decision is taken once");
    SPARBAR_TRY(ValidateStreamId(m.order_id(), "order_id"));
    SPARBAR_TRY_ASSIGN(day, DateField(m.decided_date(), "decided_date", c.today));
    SPARBAR_TRY(Short(m.point(), "point", true));
    SPARBAR_TRY(Short(m.delegate(), "delegate", true));
    SPARBAR_TRY(Short(m.delegate_role(), "delegate_role", true));
    SPARBAR_TRY(FreeTextField(m.matter(), "matter", kMaxLongText, true, c.today));
    SPARBAR_TRY(Short(m.case_reference(), "case_reference", false));
    SPARBAR_TRY(Short(m.outcome(), "outcome", false));
    if (c.order == nullptr) return Status::Internal("the delegation order was not read");
    if (!c.order->Recorded()) {
      return Status::InvalidArgument("order_id names no recorded delegation order (delegationsordning-" + m.order_id() +
                                     ")");
    }
    const OrderVersion* version = c.order->On(day);
    if (version == nullptr) {
      return Status::FailedPrecondition("no version of the delegation order " + m.order_id() + " is in force on " +
                                        day.ToString() + " (the first takes effect " +
                                        c.order->versions.front().valid_from.ToString() + ")");
    }
    auto point = version->points.find(PointKey(m.point()));
    if (point == version->points.end()) {
      return Status::FailedPrecondition("point " + m.point() + " is not in the delegation order in force on " +
                                        day.ToString() + " (version " + version->version + ")");
    }
    const pb::DelegationPoint& p = point->second;
    const std::string* delegated = nullptr;
    for (const auto& d : p.delegates()) {
      if (FoldedName(d) == FoldedName(m.delegate_role())) delegated = &d;
    }
    if (delegated == nullptr) {
      return Status::FailedPrecondition("point " + p.point() + " is delegated to " + Joined(p.delegates()) + ", not " +
                                        m.delegate_role() + " (version " + version->version + ")");
    }
    m.set_point(p.point());  // the order's spelling, so that reports count one point once
    m.set_delegate_role(*delegated);
    m.set_order_version(version->version);
    m.set_point_matter(p.matter());
    m.set_lagrum(p.lagrum());
    return DecisionPayload(std::move(m));
  }

  Result<DecisionPayload> operator()(pb::DecisionReported m) const {
    if (!s.Taken()) return Status::FailedPrecondition("a decision is reported to the committee once it is taken");
    if (s.Reported()) {
      return Status::FailedPrecondition("the decision is reported to the committee already, in " + s.ReportedIn());
    }
    if (!c.meeting_date) return Status::Internal("reported_in was not checked");
    if (*c.meeting_date < s.decided_on) {
      return Status::InvalidArgument("reported_in: the meeting of " + c.meeting_date->ToString() +
                                     " was held before the decision of " + s.decided_on.ToString());
    }
    m.set_meeting_date(c.meeting_date->ToString());
    return DecisionPayload(std::move(m));
  }
};

}  // namespace

Result<DecisionPayload> DecideDecision(const DecisionState& state, const DecisionPayload& proposed,
                                       const DecisionContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

DecisionState EvolveDecision(DecisionState s, const DecisionPayload& event) {
  auto date = [](const std::string& text) { return CivilDate::TryParse(text).value_or(CivilDate{}); };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::DecisionTaken>) {
          s.taken = m;
          s.decided_on = date(m.decided_date());
        } else {
          s.reported = m;
          s.reported_on = date(m.meeting_date());
        }
      },
      event);
  return s;
}

}  // namespace sparbar::delegation
