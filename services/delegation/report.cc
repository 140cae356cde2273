#include "services/delegation/report.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "services/common/counts.h"

namespace sparbar::delegation {

Result<rpb::OrderInForceResponse> BuildOrderInForce(const DelegationView& view, const std::string& order_id,
                                                    const CivilDate& on) {
  auto it = view.orders.find(std::string(kOrderStreamPrefix) + order_id);
  if (it == view.orders.end() || !it->second.Recorded()) {
    return Status::NotFound("no delegation order " + order_id + " is recorded in the log's first " +
                            std::to_string(view.position) + " events");
  }
  const OrderState& order = it->second;
  const OrderVersion* v = order.On(on);
  if (v == nullptr) {
    return Status::NotFound("no version of the delegation order " + order_id + " is in force on " + on.ToString() +
                            " (the first takes effect " + order.versions.front().valid_from.ToString() + ")");
  }
  rpb::OrderInForceResponse r;
  r.set_order_id(order_id);
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  r.set_version(v->version);
  r.set_valid_from(v->valid_from.ToString());
  r.set_decided_in(v->decided_in);
  r.set_dnr(v->dnr);
  for (const auto& [key, point] : v->points) *r.add_points() = point;
  for (const OrderVersion& each : order.versions) r.add_versions(each.valid_from.ToString() + " " + each.version);
  return r;
}

rpb::DecisionsReport BuildDecisions(const DelegationView& view, const committee::CommitteeRules& rules,
                                    const CivilDate& from, const CivilDate& to, bool unreported_only,
                                    const std::string& order_id) {
  rpb::DecisionsReport r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  r.set_report_within_days(static_cast<uint32_t>(rules.delegation_report_within_days()));
  std::map<std::string, int64_t> points, roles, months;
  std::vector<std::tuple<CivilDate, std::string, rpb::DecisionRow>> rows;
  for (const auto& [stream, s] : view.decisions) {
    if (!s.Taken() || s.decided_on < from || to < s.decided_on) continue;
    const pb::DecisionTaken& t = *s.taken;
    if (!order_id.empty() && t.order_id() != order_id) continue;
    r.set_decisions(r.decisions() + 1);
    r.set_reported(r.reported() + s.Reported());
    r.set_reported_late(r.reported_late() + s.ReportedLate(rules));
    r.set_unreported(r.unreported() + !s.Reported());
    ++points[t.point()];
    ++roles[t.delegate_role()];
    ++months[s.decided_on.ToString().substr(0, 7)];
    if (unreported_only && s.Reported()) continue;
    rpb::DecisionRow row;
    row.set_stream(stream);
    row.set_order_id(t.order_id());
    row.set_point(t.point());
    row.set_decided_date(t.decided_date());
    row.set_delegate(t.delegate());
    row.set_delegate_role(t.delegate_role());
    row.set_matter(t.matter());
    row.set_case_reference(t.case_reference());
    row.set_outcome(t.outcome());
    row.set_order_version(t.order_version());
    row.set_lagrum(t.lagrum());
    row.set_reported_in(s.ReportedIn());
    if (s.Reported()) row.set_reported_date(s.reported_on.ToString());
    row.set_reported_late(s.ReportedLate(rules));
    rows.emplace_back(s.decided_on, stream, std::move(row));
  }
  for (const auto& [point, n] : points) AddCount(r.mutable_by_point(), point, point, n);
  for (const auto& [role, n] : roles) AddCount(r.mutable_by_delegate_role(), role, role, n);
  for (const auto& [month, n] : months) AddCount(r.mutable_by_month(), month, month, n);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [day, stream, row] : rows) *r.add_rows() = std::move(row);
  return r;
}

}  // namespace sparbar::delegation
