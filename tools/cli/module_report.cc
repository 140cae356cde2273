#include "tools/cli/module_report.h"

namespace sparbar::cli {

namespace v = sparbar::v1::deviations;
namespace d = sparbar::v1::decisions;

const std::map<std::string, d::ReportFormat> kReportFormats = {
    {"csv", d::REPORT_FORMAT_CSV}, {"json", d::REPORT_FORMAT_JSON}, {"html", d::REPORT_FORMAT_HTML}};

void SetAsOf(const ModuleReportOptions& o, v::AsOf* as_of) {
  if (o.as_of_position >= 0) as_of->set_position(static_cast<uint64_t>(o.as_of_position));
  as_of->set_known_at(o.known_at);
}

v::StatisticsRequest StatisticsRequestOf(const ModuleReportOptions& o) {
  v::StatisticsRequest req;
  req.set_year(static_cast<uint32_t>(o.year));
  req.set_from(o.from);
  req.set_to(o.to);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  return req;
}

void AddAsOf(CLI::App* cmd, ModuleReportOptions* o) {
  auto* known = cmd->add_option("--known-at", o->known_at,
                                "YYYY-MM-DD: what the log knew at the end of that day in Sweden (default: everything)");
  cmd->add_option("--as-of-position", o->as_of_position,
                  "Compute from the log's first N events (a position a report named earlier)")
      ->check(CLI::NonNegativeNumber)
      ->excludes(known);
  cmd->add_option("--output", o->output, "Write to this file instead of stdout");
}

CLI::App* AddStatistics(CLI::App& report, const char* name, const char* help,
                        std::shared_ptr<ModuleReportOptions> o) {
  CLI::App* cmd = report.add_subcommand(name, help);
  auto* year = cmd->add_option("--year", o->year, "The calendar year, e.g. 2025")->check(CLI::Range(1800, 2999));
  auto* from = cmd->add_option("--from", o->from, "First day of the period, YYYY-MM-DD (with --to, instead of --year)");
  auto* to = cmd->add_option("--to", o->to, "Last day of the period, YYYY-MM-DD");
  from->needs(to)->excludes(year);
  to->needs(from)->excludes(year);
  AddFormatOption(cmd, &o->format, {"csv", "json", "html"});
  AddAsOf(cmd, o.get());
  return cmd;
}

}  // namespace sparbar::cli
