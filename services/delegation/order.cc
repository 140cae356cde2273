#include "services/delegation/order.h"

#include <set>

#include "services/committee/dnr.h"
#include "services/committee/paragraph_ref.h"
#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/text_fold.h"

namespace sparbar::delegation {

std::string TypeOf(const OrderPayload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const OrderPayload& payload) { return VariantSerialize(payload); }
Result<OrderPayload> ParseOrder(std::string_view type, std::string_view bytes) {
  return VariantParse<OrderPayload>(type, bytes, "delegation order");
}

std::string PointKey(std::string_view point) { return FoldedCode(point); }

const OrderVersion* OrderState::On(const CivilDate& day) const {
  const OrderVersion* found = nullptr;
  for (const OrderVersion& v : versions) {
    if (v.valid_from <= day) found = &v;
  }
  return found;
}

namespace {

using Points = google::protobuf::RepeatedPtrField<pb::DelegationPoint>;

struct Decider {
  const OrderState& s;
  const OrderContext& c;

  Status Short(const std::string& value, const char* field, bool required) const {
    return FreeTextField(value, field, kMaxShortText, required, c.today);
  }

  Status CheckPoints(Points* points) const {
    std::set<std::string> seen;
    for (pb::DelegationPoint& p : *points) {
      SPARBAR_TRY(Short(p.point(), "points.point", true));
      const std::string key = PointKey(p.point());
      if (key.empty()) return Status::InvalidArgument("points.point is required: the point's code, e.g. \"F 16.5\"");
      if (!seen.insert(key).second) {
        return Status::InvalidArgument("points: point " + p.point() + " is listed twice");
      }
      SPARBAR_TRY(FreeTextField(p.matter(), "points.matter", kMaxLongText, true, c.today));
      SPARBAR_TRY(Short(p.lagrum(), "points.lagrum", true));
      if (p.delegates().empty()) {
        return Status::InvalidArgument("points.delegates: point " + p.point() +
                                       " needs at least one delegate (a role or a body)");
      }
      for (const auto& d : p.delegates()) SPARBAR_TRY(Short(d, "points.delegates", true));
    }
    return Status::Ok();
  }

  // The fields every version has: its name, its date, the paragraph it rests on and its Dnr.
  template <class M>
  Status CheckVersion(M& m) const {
    SPARBAR_TRY(Short(m.version(), "version", true));
    for (const OrderVersion& v : s.versions) {
      if (v.version == m.version()) return Status::InvalidArgument("version " + m.version() + " is recorded already");
    }
    SPARBAR_TRY_ASSIGN(from, CivilDate::Parse(m.valid_from(), "valid_from"));
    if (s.Recorded() && !(s.versions.back().valid_from < from)) {
      return Status::InvalidArgument("valid_from " + from.ToString() + " must come after the latest version's (" +
                                     s.versions.back().version + ", in force from " +
                                     s.versions.back().valid_from.ToString() + ")");
    }
    std::optional<CivilDate> latest;
    for (const OrderVersion& v : s.versions) {
      if (auto it = c.latest_decision.find(v.version); it != c.latest_decision.end() && (!latest || *latest < it->second)) {
        latest = it->second;
      }
    }
    if (latest && !(*latest < from)) {
      return Status::FailedPrecondition("valid_from " + from.ToString() + ": a decision under the order was taken on " +
                                        latest->ToString() +
                                        ", checked against the version before; a new version takes effect after the "
                                        "latest decision recorded under the order");
    }
    if (committee::Given(m.decided_in())) {
      if (!c.decided_on) return Status::Internal("decided_in was not checked");
      if (from < *c.decided_on) {
        return Status::InvalidArgument("valid_from " + from.ToString() + " is before the committee decided it, " +
                                       c.decided_on->ToString());
      }
    }
    m.clear_dnr_canonical();
    if (!m.dnr().empty()) {
      SPARBAR_TRY_ASSIGN(dnr, committee::ParseDnr(m.dnr(), "dnr"));
      m.set_dnr_canonical(dnr.canonical);
    }
    return Status::Ok();
  }

  Result<OrderPayload> operator()(pb::OrderAdopted m) const {
    SPARBAR_TRY(CheckVersion(m));
    if (m.points().empty()) return Status::InvalidArgument("points: an adopted order needs at least one point");
    SPARBAR_TRY(CheckPoints(m.mutable_points()));
    return OrderPayload(std::move(m));
  }

  Result<OrderPayload> operator()(pb::OrderAmended m) const {
    if (!s.Recorded()) {
      return Status::FailedPrecondition("an amendment changes an order recorded before; record the order adopted first");
    }
    SPARBAR_TRY(CheckVersion(m));
    if (m.points().empty() && m.removed().empty()) {
      return Status::InvalidArgument("points or removed: an amendment adds, changes or removes at least one point");
    }
    SPARBAR_TRY(CheckPoints(m.mutable_points()));
    std::set<std::string> changed;
    for (const auto& p : m.points()) changed.insert(PointKey(p.point()));
    std::set<std::string> removed;
    for (const std::string& code : m.removed()) {
      SPARBAR_TRY(Short(code, "removed", true));
      const std::string key = PointKey(code);
      if (!s.versions.back().points.count(key)) {
        return Status::InvalidArgument("removed: point " + code + " is not in the latest version (" +
                                       s.versions.back().version + ")");
      }
      if (changed.count(key)) return Status::InvalidArgument("removed: point " + code + " is also listed in points");
      if (!removed.insert(key).second) return Status::InvalidArgument("removed: point " + code + " is listed twice");
    }
    return OrderPayload(std::move(m));
  }
};

template <class M>
OrderVersion VersionOf(const M& m) {
  OrderVersion v;
  v.version = m.version();
  v.valid_from = CivilDate::TryParse(m.valid_from()).value_or(CivilDate{});
  if (committee::Given(m.decided_in())) {
    v.decided_in = committee::ParagraphText(m.decided_in());
  }
  v.dnr = m.dnr();
  return v;
}

}  // namespace

Result<OrderPayload> DecideOrder(const OrderState& state, const OrderPayload& proposed, const OrderContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

OrderState EvolveOrder(OrderState s, const OrderPayload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        OrderVersion v = VersionOf(m);
        if constexpr (std::is_same_v<T, pb::OrderAmended>) {
          if (!s.versions.empty()) v.points = s.versions.back().points;
          for (const std::string& code : m.removed()) v.points.erase(PointKey(code));
        }
        for (const auto& p : m.points()) v.points[PointKey(p.point())] = p;
        s.versions.push_back(std::move(v));
      },
      event);
  return s;
}

}  // namespace sparbar::delegation
