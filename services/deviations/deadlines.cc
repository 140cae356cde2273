#include "services/deviations/deadlines.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace sparbar::deviations {

const std::vector<DeadlineStep> kSteps = {
    {"avvikelse", "utredning", "root causes documented, or closed as not a deviation (from the report)"},
    {"avvikelse", "atgard", "an action taken (from the root causes)"},
    {"avvikelse", "uppfoljning", "the actions' effect followed up (from the latest action)"},
    {"avvikelse", "avslut", "closed (from the follow-up)"},
    {"avvikelse", "lex-maria-bedomning",
     "MAS/MAR open a lex Maria case or record why not, for allvarlighetsgrad 3-4 (from the report)"},
    {"lex-sarah", "beslut", "the severity decided (from the report)"},
    {"lex-sarah", "anmalan-ivo", "IVO notified of a serious level (from the decision)"},
    {"lex-sarah", "uppfoljningsarende", "the follow-up case opened (from the decision)"},
    {"lex-sarah", "avslut", "closed (from the follow-up case's opening)"},
    {"lex-maria", "utredning", "MAS/MAR's investigation started (from the opening)"},
    {"lex-maria", "utredning-klar", "the investigation completed (from its start)"},
    {"lex-maria", "anmalan-ivo", "reported to IVO, or the reasons not to (from the completion)"},
    {"lex-maria", "uppfoljningsarende", "the follow-up case opened (from the report to IVO)"},
    {"lex-maria", "avslut", "closed (from the follow-up case, or the decision not to report)"},
    {"uppfoljning", "atgardsplan", "an action planned (from the opening)"},
    {"uppfoljning", "atgard", "an action completed (from its own due date)"},
    {"uppfoljning", "avslut", "closed (from the last action completed)"},
};

namespace {

constexpr std::string_view kWhat = "deadline rules";
const std::set<std::string> kDomains = {"HSL", "SoL", "LSS"};

bool KnownStep(const std::string& workflow, const std::string& step) {
  return std::any_of(kSteps.begin(), kSteps.end(),
                     [&](const DeadlineStep& s) { return s.workflow == workflow && s.step == step; });
}

}  // namespace

Result<DeadlineRules> DeadlineRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the deadline rules are not valid JSON");
  auto bad = [](const std::string& where, const std::string& what) {
    return Status::InvalidArgument(std::string(kWhat) + ", " + where + ": " + what);
  };
  if (!doc.is_object() || !doc.value("rules", nlohmann::json()).is_array()) {
    return bad("top level", "needs a \"rules\" array");
  }
  DeadlineRules rules;
  if (doc.contains("stale_plan_days")) {
    const auto& d = doc["stale_plan_days"];
    if (!d.is_number_integer() || d.get<int64_t>() < 1 || d.get<int64_t>() > 3650) {
      return bad("top level", "\"stale_plan_days\" must be a whole number from 1 to 3650");
    }
    rules.stale_plan_days_ = d.get<int>();
  }
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& r : doc["rules"]) {
    if (!r.is_object() || !r.value("workflow", nlohmann::json()).is_string() ||
        !r.value("step", nlohmann::json()).is_string()) {
      return bad("a rule", "needs a \"workflow\" and a \"step\"");
    }
    DeadlineRule rule;
    rule.workflow = r["workflow"].get<std::string>();
    rule.step = r["step"].get<std::string>();
    const std::string where = "rule " + rule.workflow + "/" + rule.step;
    if (!KnownStep(rule.workflow, rule.step)) return bad(where, "no such step (see services/deviations/deadlines.h)");
    if (r.contains("domain")) {
      if (!r["domain"].is_string() || !kDomains.contains(r["domain"].get<std::string>())) {
        return bad(where, "\"domain\" must be HSL, SoL or LSS");
      }
      if (rule.workflow != "avvikelse") return bad(where, "only deviation (avvikelse) steps take a domain");
      rule.domain = r["domain"].get<std::string>();
    }
    if (!r.value("days", nlohmann::json()).is_number_integer() || r["days"].get<int64_t>() < 0 ||
        r["days"].get<int64_t>() > 3650) {
      return bad(where, "\"days\" must be a whole number from 0 to 3650");
    }
    rule.days = r["days"].get<int>();
    if (!r.value("role", nlohmann::json()).is_string() || r["role"].get<std::string>().empty()) {
      return bad(where, "needs the \"role\" that answers for the step");
    }
    rule.role = r["role"].get<std::string>();
    if (!seen.emplace(rule.workflow, rule.step, rule.domain).second) {
      return bad(where + (rule.domain.empty() ? "" : " (" + rule.domain + ")"), "appears twice");
    }
    rules.rules_.push_back(std::move(rule));
  }
  for (const DeadlineStep& s : kSteps) {
    if (!seen.contains({std::string(s.workflow), std::string(s.step), ""})) {
      return bad("step " + std::string(s.workflow) + "/" + std::string(s.step),
                 "has no rule without a domain; every step needs a due date");
    }
  }
  return rules;
}

Result<DeadlineRules> DeadlineRules::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the deadline rules " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto r = FromJson(text.str());
  if (!r.ok()) return Status(r.status().code(), path + ": " + r.status().message());
  return r;
}

const DeadlineRule& DeadlineRules::RuleFor(std::string_view workflow, std::string_view step,
                                           std::string_view domain) const {
  const DeadlineRule* general = nullptr;
  for (const DeadlineRule& r : rules_) {
    if (r.workflow != workflow || r.step != step) continue;
    if (!domain.empty() && r.domain == domain) return r;
    if (r.domain.empty()) general = &r;
  }
  return *general;  // FromJson made sure every step has one
}

std::vector<DueStep> DeadlineRules::Awaited(const DeviationsView& view) const {
  std::vector<DueStep> out;
  auto await = [&](const std::string& stream, std::string_view workflow, std::string_view step,
                   const std::string& unit, const std::optional<CivilDate>& since, std::string_view domain = {}) {
    if (!since) return;  // a date that did not parse (only possible from raw events)
    const DeadlineRule& rule = RuleFor(workflow, step, domain);
    out.push_back(DueStep{stream, std::string(workflow), std::string(step), unit, rule.role, "", *since,
                          CivilDate::FromDays(since->DaysSinceEpoch() + rule.days)});
  };
  std::set<std::string> in_lex_maria;  // deviations a lex Maria case names, whether or not the link back is written
  for (const auto& [stream, c] : view.lex_maria) {
    if (!c.from_deviation.empty()) in_lex_maria.insert(c.from_deviation);
  }
  for (const auto& [stream, d] : view.deviations) {
    if (!d.report) continue;
    if (d.OfferedForLexMaria() && d.phase != Phase::kClosedNotDeviation && !d.TakenUpByLexMaria() &&
        !d.lex_maria_declined_on && !in_lex_maria.contains(stream)) {
      await(stream, "avvikelse", "lex-maria-bedomning", d.report->unit(), d.reported_on, DomainName(d.report->domain()));
    }
    const std::string domain = DomainName(d.report->domain());
    const std::string& unit = d.report->unit();
    if (d.phase == Phase::kReported) {
      await(stream, "avvikelse", "utredning", unit, d.reported_on, domain);
    } else if (d.phase == Phase::kInvestigated && d.actions == 0) {
      await(stream, "avvikelse", "atgard", unit, d.investigated_on, domain);
    } else if (d.phase == Phase::kInvestigated) {
      await(stream, "avvikelse", "uppfoljning", unit, d.latest_action_on, domain);
    } else if (d.phase == Phase::kFollowedUp) {
      await(stream, "avvikelse", "avslut", unit, d.followed_up_on, domain);
    }
  }
  for (const auto& [stream, r] : view.lex_sarah) {
    if (r.phase == lexsarah::Phase::kInvestigating) {
      await(stream, "lex-sarah", "beslut", r.unit, r.reported_on);
    } else if (r.phase == lexsarah::Phase::kDecided) {
      const bool ivo_pending = lexsarah::IsSerious(r.level) && !r.notified_on;
      if (ivo_pending) await(stream, "lex-sarah", "anmalan-ivo", r.unit, r.decided_on);
      if (r.follow_up_stream.empty()) {
        await(stream, "lex-sarah", "uppfoljningsarende", r.unit, r.decided_on);
      } else if (!ivo_pending) {
        await(stream, "lex-sarah", "avslut", r.unit, r.follow_up_on);
      }
    }
  }
  for (const auto& [stream, c] : view.lex_maria) {
    using lexmaria::Phase;
    switch (c.phase) {
      case Phase::kOpened: await(stream, "lex-maria", "utredning", c.unit, c.opened_on); break;
      case Phase::kInvestigating: await(stream, "lex-maria", "utredning-klar", c.unit, c.started_on); break;
      case Phase::kInvestigated: await(stream, "lex-maria", "anmalan-ivo", c.unit, c.completed_on); break;
      case Phase::kReported:
        if (c.follow_up_stream.empty()) {
          await(stream, "lex-maria", "uppfoljningsarende", c.unit, c.decided_on);
        } else {
          await(stream, "lex-maria", "avslut", c.unit, c.follow_up_on);
        }
        break;
      case Phase::kNotReported: await(stream, "lex-maria", "avslut", c.unit, c.decided_on); break;
      case Phase::kNone:
      case Phase::kClosed: break;
    }
  }
  for (const auto& [stream, f] : view.follow_ups) {
    if (!f.opened || f.closed) continue;
    // The unit of the case it follows up.
    std::string unit;
    if (auto s = view.lex_sarah.find(f.origin_stream); s != view.lex_sarah.end()) unit = s->second.unit;
    if (auto m = view.lex_maria.find(f.origin_stream); m != view.lex_maria.end()) unit = m->second.unit;
    if (f.actions.empty()) {
      await(stream, "uppfoljning", "atgardsplan", unit, f.opened_on);
      continue;
    }
    bool all_done = true;
    for (const auto& [action, done] : f.actions) {
      if (done) continue;
      all_done = false;
      auto due = f.action_due.find(action);
      if (due == f.action_due.end()) continue;
      const DeadlineRule& rule = RuleFor("uppfoljning", "atgard", "");
      out.push_back(DueStep{stream, "uppfoljning", "atgard", unit, rule.role, action, due->second,
                            CivilDate::FromDays(due->second.DaysSinceEpoch() + rule.days)});
    }
    if (all_done) await(stream, "uppfoljning", "avslut", unit, f.last_completed_on);
  }
  std::sort(out.begin(), out.end(), [](const DueStep& a, const DueStep& b) {
    return std::tie(a.due, a.stream, a.step, a.action_id) < std::tie(b.due, b.stream, b.step, b.action_id);
  });
  return out;
}

}  // namespace sparbar::deviations
