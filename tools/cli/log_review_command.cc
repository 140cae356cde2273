// sparbar loggkontroll open|sample|show|finding|investigate|conclude and
// sparbar report loggkontroll: a log review (loggkontroll) through a running
// server. Every command needs the role loggranskare (--roles).
//   open         a quarterly random or a targeted review of a period
//   sample       draws the review's users (a random sample, recorded with its seed)
//   verify-sample  draws the recorded sample again and checks it is the same
//   show         the reviewed accesses that are flagged, with why and the finding
//   finding      records the judgement of one reviewed access
//   investigate  opens a misuse investigation from a finding of suspected misuse
//   conclude     concludes the review with a summary
//   report loggkontroll  the review as HTML (with charts) or CSV
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "services/access/review_rules.h"
#include "tools/cli/commands.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace lr = ::sparbar::v1::logreview;

struct ReviewOptions {
  std::string review_id;
  std::string from, to, kind = "random", reason;
  std::vector<std::string> units, systems, targets, rules_off;
  uint32_t size = 0;
  uint64_t position = 0;
  std::string finding, note, summary;
  bool all = false;
  std::string format = "html", output;
};

const std::map<std::string, lr::Finding> kFindings = {{"no-remark", lr::FINDING_NO_REMARK},
                                                      {"needs-explanation", lr::FINDING_NEEDS_EXPLANATION},
                                                      {"suspected-misuse", lr::FINDING_SUSPECTED_MISUSE}};

int RunOpen(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::OpenReviewRequest req;
  req.set_review_id(o.review_id);
  req.set_from_date(o.from);
  req.set_to_date(o.to);
  for (const auto& u : o.units) req.add_units(u);
  for (const auto& s : o.systems) req.add_source_systems(s);
  for (const auto& t : o.targets) req.add_target_users(t);
  req.set_kind(o.kind == "targeted" ? lr::REVIEW_KIND_TARGETED : lr::REVIEW_KIND_QUARTERLY_RANDOM);
  req.set_reason(o.reason);
  if (!o.rules_off.empty()) {
    lr::RuleSettings* r = req.mutable_rules();
    const auto on = [&](const char* rule) {
      return std::find(o.rules_off.begin(), o.rules_off.end(), rule) == o.rules_off.end();
    };
    r->set_protected_identity(on("protected_identity"));
    r->set_no_open_case(on("no_open_case"));
    r->set_same_surname(on("same_surname"));
    r->set_outside_working_hours(on("outside_working_hours"));
    r->set_volume_above_baseline(on("volume_above_baseline"));
    r->set_nodatkomst(on("nodatkomst"));
    r->set_own_or_colleague(on("own_or_colleague"));
    r->set_outside_rights(on("outside_rights"));
  }
  Client client(conn);
  lr::OpenReviewResponse resp;
  grpc::Status st = client.log_review().OpenReview(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << resp.review_id() << "\n";
  std::cerr << "review " << resp.review_id() << " opened at log position " << resp.position() << "\n";
  return kExitOk;
}

int RunSample(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::DrawSampleRequest req;
  req.set_review_id(o.review_id);
  req.set_sample_size(o.size);
  Client client(conn);
  lr::DrawSampleResponse resp;
  grpc::Status st = client.log_review().DrawSample(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  const lr::SampleDrawn& s = resp.sample();
  for (const auto& u : s.users()) std::cout << u << "\n";
  std::cerr << s.users_size() << " of " << s.population() << " users drawn (" << s.method() << ", seed " << s.seed()
            << ", population SHA-256 " << s.population_digest() << "), reading the log as of position "
            << s.as_of_position() << "\n";
  return kExitOk;
}

int RunVerify(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::ReviewRequest req;
  req.set_review_id(o.review_id);
  Client client(conn);
  lr::VerifySampleResponse resp;
  grpc::Status st = client.log_review().VerifySample(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << (resp.matches() ? "the same sample" : "NOT the recorded sample") << ": " << resp.users_size()
            << " users of " << resp.population() << ", population SHA-256 " << resp.population_digest() << "\n";
  return resp.matches() ? kExitOk : kExitFailed;
}

int RunShow(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::ReviewRequest req;
  req.set_review_id(o.review_id);
  req.set_all_accesses(o.all);
  Client client(conn);
  lr::ReviewView view;
  std::vector<lr::ReviewedAccess> accesses;
  do {
    grpc::Status st = client.log_review().GetReview(client.NewContext().get(), req, &view);
    if (!st.ok()) return ReportRpcError(st);
    for (auto& a : *view.mutable_accesses()) accesses.push_back(std::move(a));
    req.set_page_token(view.next_page_token());
  } while (!view.next_page_token().empty());
  for (const auto& a : accesses) {
    std::cout << a.position() << "\t" << a.access().user_hsa_id() << "\t" << a.access().unit() << "\t"
              << (a.finding() == lr::FINDING_UNSPECIFIED ? "-" : lr::Finding_Name(a.finding()));
    for (const auto& h : a.hits()) std::cout << "\t" << h.rule() << ": " << h.explanation();
    std::cout << "\n";
  }
  std::cerr << view.reviewed() << " accesses reviewed, " << view.flagged() << " flagged, "
            << view.flagged_without_finding() << " of them without a finding"
            << (view.has_concluded() ? "; concluded" : "") << "\n";
  return kExitOk;
}

int RunFinding(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::RecordFindingRequest req;
  req.set_review_id(o.review_id);
  req.set_access_position(o.position);
  req.set_finding(kFindings.at(o.finding));
  req.set_note(o.note);
  Client client(conn);
  lr::StepResponse resp;
  grpc::Status st = client.log_review().RecordFinding(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cerr << "finding recorded at log position " << resp.position() << "\n";
  return kExitOk;
}

int RunInvestigate(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::OpenMisuseInvestigationRequest req;
  req.set_review_id(o.review_id);
  req.set_access_position(o.position);
  req.set_reason(o.reason);
  Client client(conn);
  lr::OpenMisuseInvestigationResponse resp;
  grpc::Status st = client.log_review().OpenMisuseInvestigation(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << resp.investigation_id() << "\n";
  std::cerr << "misuse investigation opened at log position " << resp.position() << "\n";
  return kExitOk;
}

int RunConclude(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::ConcludeReviewRequest req;
  req.set_review_id(o.review_id);
  req.set_summary(o.summary);
  Client client(conn);
  lr::StepResponse resp;
  grpc::Status st = client.log_review().ConcludeReview(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cerr << "review concluded at log position " << resp.position() << "\n";
  return kExitOk;
}

int RunReport(const ReviewOptions& o, const ConnectionOptions& conn) {
  lr::ReportRequest req;
  req.set_review_id(o.review_id);
  req.set_format(o.format == "csv" ? lr::REPORT_FORMAT_CSV : lr::REPORT_FORMAT_HTML);
  Client client(conn);
  lr::ReportResponse resp;
  grpc::Status st = client.log_review().Report(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  std::cerr << "review " << o.review_id << " as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

CLI::App* Sub(CLI::App* parent, const char* name, const char* help, ReviewOptions* o) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--review", o->review_id, "The review's id")->required();
  return cmd;
}

}  // namespace

void AddLogReviewCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* lk = app.add_subcommand("loggkontroll", "Log review of the access log; needs --roles loggranskare");
  lk->require_subcommand(1);
  auto o = std::make_shared<ReviewOptions>();

  CLI::App* open = lk->add_subcommand("open", "Opens a review of a period; prints its id");
  open->add_option("--review", o->review_id, "The review's id (default: one is made)");
  open->add_option("--from", o->from, "First day of the period, YYYY-MM-DD")->required();
  open->add_option("--to", o->to, "Last day of the period, YYYY-MM-DD")->required();
  open->add_option("--kind", o->kind, "random (quarterly) or targeted (on suspicion)")
      ->capture_default_str()
      ->check(CLI::IsMember({"random", "targeted"}));
  open->add_option("--reason", o->reason, "Why (required for a targeted review)");
  open->add_option("--unit", o->units, "Only accesses at this unit (repeatable)");
  open->add_option("--system", o->systems, "Only accesses from this source system (repeatable)");
  open->add_option("--target", o->targets, "A user a targeted review reviews (repeatable)");
  open->add_option("--rule-off", o->rules_off, "Switch a rule off (repeatable): protected_identity, no_open_case, "
                                               "same_surname, outside_working_hours, volume_above_baseline, "
                                               "nodatkomst, own_or_colleague, outside_rights")
      ->check(CLI::IsMember(access::RuleIds()));
  open->callback([o, conn, exit_code] { *exit_code = RunOpen(*o, *conn); });

  CLI::App* sample =
      Sub(lk, "sample", "Draws the review's users once with a seed the server draws; prints them", o.get());
  sample->add_option("--size", o->size, "Users to draw (random reviews)");
  sample->callback([o, conn, exit_code] { *exit_code = RunSample(*o, *conn); });

  CLI::App* verify = Sub(lk, "verify-sample",
                         "Draws the recorded sample again from its seed and the log; exit status 1 if it differs",
                         o.get());
  verify->callback([o, conn, exit_code] { *exit_code = RunVerify(*o, *conn); });

  CLI::App* show = Sub(lk, "show", "The flagged accesses (position, user, unit, finding, rules and why)", o.get());
  show->add_flag("--all", o->all, "Every reviewed access, flagged or not");
  show->callback([o, conn, exit_code] { *exit_code = RunShow(*o, *conn); });

  CLI::App* finding = Sub(lk, "finding", "Records the judgement of one reviewed access", o.get());
  finding->add_option("--position", o->position, "The access's log position")->required();
  finding->add_option("--finding", o->finding, "no-remark, needs-explanation or suspected-misuse")
      ->required()
      ->check(CLI::IsMember({"no-remark", "needs-explanation", "suspected-misuse"}));
  finding->add_option("--note", o->note, "Required unless no-remark");
  finding->callback([o, conn, exit_code] { *exit_code = RunFinding(*o, *conn); });

  CLI::App* investigate =
      Sub(lk, "investigate", "Opens a misuse investigation from a finding of suspected misuse", o.get());
  investigate->add_option("--position", o->position, "The access's log position")->required();
  investigate->add_option("--reason", o->reason, "Why")->required();
  investigate->callback([o, conn, exit_code] { *exit_code = RunInvestigate(*o, *conn); });

  CLI::App* conclude = Sub(lk, "conclude", "Concludes the review (every flagged access needs a finding)", o.get());
  conclude->add_option("--summary", o->summary, "The review's summary")->required();
  conclude->callback([o, conn, exit_code] { *exit_code = RunConclude(*o, *conn); });
}

void AddLogReviewReport(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto o = std::make_shared<ReviewOptions>();
  CLI::App* cmd = Sub(&report, "loggkontroll",
                      "A log review: what was sampled, what was flagged and why, the findings, with charts\n"
                      "(accesses per hour and per day, share flagged per rule). Needs --roles loggranskare.",
                      o.get());
  AddFormatOption(cmd, &o->format, {"html", "csv"});
  cmd->add_option("--output", o->output, "Write the document to this file instead of stdout");
  cmd->callback([o, conn, exit_code] { *exit_code = RunReport(*o, *conn); });
}

}  // namespace sparbar::cli
