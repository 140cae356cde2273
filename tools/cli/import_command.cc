// sparbar import accesses: a legacy system's access-log export (CSV) taken
// into the access log through AccessLog.Ingest, in batches, with a progress
// bar and a report of the lines rejected. Each line is checked as the server
// checks it (services/access/access_event.h) before it is sent; a rejected
// line is reported by its number and the rule it broke, never its content.
// Lines already recorded (the same source event id and content) are counted,
// not written again, so an interrupted import can be run again. A line whose
// source event id was recorded before with other content is rejected, the
// rest of its batch recorded (IngestBatch.skip_conflicting).
#include <google/protobuf/util/time_util.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "services/access/access_event.h"
#include "services/decisions/report_text.h"
#include "tools/cli/commands.h"
#include "tools/cli/csv_reader.h"
#include "tools/cli/progress.h"

namespace sparbar::cli {
namespace {

namespace ac = sparbar::v1::access;

const std::vector<std::string> kColumns = {"source_event_id", "accessed_at", "user_hsa_id",      "role",
                                           "unit",            "action",      "personnummer",     "record_ref",
                                           "purpose",         "emergency_reason", "consent_ref", "outcome"};
const std::map<std::string, ac::Action> kActions = {
    {"read", ac::ACTION_READ},   {"create", ac::ACTION_CREATE}, {"update", ac::ACTION_UPDATE},
    {"print", ac::ACTION_PRINT}, {"copy", ac::ACTION_COPY},     {"export", ac::ACTION_EXPORT},
    {"disclose", ac::ACTION_DISCLOSE}};
const std::map<std::string, ac::Purpose> kPurposes = {{"normal", ac::PURPOSE_NORMAL_WORK},
                                                      {"nodatkomst", ac::PURPOSE_NODATKOMST},
                                                      {"nödåtkomst", ac::PURPOSE_NODATKOMST},
                                                      {"consent", ac::PURPOSE_CONSENT}};
const std::map<std::string, ac::Outcome> kOutcomes = {{"allowed", ac::OUTCOME_ALLOWED}, {"denied", ac::OUTCOME_DENIED}};

struct ImportOptions {
  std::string csv;
  std::string source_system;
  int batch_size = 1000;
  std::string rejects;  // empty: stderr only
};

// A line of the export as an access event, or why not (never the line's content).
Result<ac::AccessRecorded> EventOf(const std::vector<std::string>& fields, const std::map<std::string, size_t>& at,
                                   const std::string& source_system) {
  auto get = [&](const char* column) -> const std::string& { return fields[at.at(column)]; };
  ac::AccessRecorded e;
  e.set_source_system(source_system);
  e.set_source_event_id(get("source_event_id"));
  e.set_user_hsa_id(get("user_hsa_id"));
  e.set_role(get("role"));
  e.set_unit(get("unit"));
  e.mutable_subject()->set_personal_identity_number(get("personnummer"));
  e.set_record_ref(get("record_ref"));
  e.set_emergency_reason(get("emergency_reason"));
  e.set_consent_ref(get("consent_ref"));
  if (!google::protobuf::util::TimeUtil::FromString(get("accessed_at"), e.mutable_accessed_at())) {
    return Status::InvalidArgument("accessed_at must be a time like 2025-03-04T09:15:00+01:00 (RFC 3339)");
  }
  auto action = kActions.find(get("action"));
  if (action == kActions.end()) {
    return Status::InvalidArgument("action must be read, create, update, print, copy, export or disclose");
  }
  e.set_action(action->second);
  auto purpose = kPurposes.find(get("purpose"));
  if (purpose == kPurposes.end()) return Status::InvalidArgument("purpose must be normal, nodatkomst or consent");
  e.set_purpose(purpose->second);
  auto outcome = kOutcomes.find(get("outcome"));
  if (outcome == kOutcomes.end()) return Status::InvalidArgument("outcome must be allowed or denied");
  e.set_outcome(outcome->second);
  if (Status s = access::CheckAccess(e, NowMicros(), access::AccessLimits{}); !s.ok()) return s;
  return e;
}

int RunImport(const ImportOptions& o, const ConnectionOptions& conn) {
  std::ifstream in(o.csv, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << o.csv << "\n";
    return kExitUsage;
  }
  std::error_code size_error;
  const uint64_t total_bytes = std::filesystem::file_size(o.csv, size_error);
  CsvReader csv(in);
  std::vector<std::string> fields;
  if (!csv.Next(&fields)) {
    std::cerr << "error: " << o.csv << " has no header line\n";
    return kExitUsage;
  }
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!at.emplace(fields[i], i).second) {
      std::cerr << "error: the header names the column \"" << fields[i] << "\" twice\n";
      return kExitUsage;
    }
  }
  for (const auto& column : kColumns) {
    if (!at.count(column)) {
      std::cerr << "error: the header has no column \"" << column << "\"; the columns are";
      for (const auto& c : kColumns) std::cerr << " " << c;
      std::cerr << "\n";
      return kExitUsage;
    }
  }
  std::ofstream rejects;
  if (!o.rejects.empty()) {
    rejects.open(o.rejects, std::ios::trunc);
    if (!rejects) {
      std::cerr << "error: cannot write " << o.rejects << "\n";
      return kExitUsage;
    }
    rejects << "line,reason\r\n";
  }

  Client client(conn);
  ac::IngestResponse response;
  auto context = client.NewContext();
  context->set_deadline(std::chrono::system_clock::time_point::max());  // as long as the file takes
  auto writer = client.access_log().Ingest(context.get(), &response);
  ProgressBar progress("importing " + o.csv);
  uint64_t lines = 0, rejected = 0, sent = 0;
  bool server_ended = false;
  ac::IngestBatch batch;
  std::map<std::string, uint64_t> in_batch;  // source_event_id -> line, within the batch being filled
  std::vector<uint64_t> batch_lines;          // the line of each event of the batch being filled
  std::vector<std::vector<uint64_t>> sent_lines;  // those of each batch sent, in order
  auto reject = [&](uint64_t line, const std::string& reason) {
    ++rejected;
    if (rejected <= 20) std::cerr << "line " << line << ": " << reason << "\n";
    if (rejects.is_open()) rejects << line << "," << decisions::CsvField(reason) << "\r\n";
  };
  auto flush = [&] {
    if (batch.events_size() == 0) return true;
    batch.set_batch_id("lines-to-" + std::to_string(csv.line()));
    batch.set_skip_conflicting(true);
    sent += static_cast<uint64_t>(batch.events_size());
    const bool ok = writer->Write(batch);
    batch.Clear();
    in_batch.clear();
    sent_lines.push_back(std::move(batch_lines));
    batch_lines.clear();
    return ok;
  };
  while (csv.Next(&fields)) {
    progress.Update(csv.bytes_read(), total_bytes);
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    ++lines;
    if (fields.size() != at.size()) {
      reject(csv.line(), std::to_string(fields.size()) + " fields where the header has " + std::to_string(at.size()));
      continue;
    }
    auto event = EventOf(fields, at, o.source_system);
    if (!event.ok()) {
      reject(csv.line(), event.status().message());
      continue;
    }
    if (auto seen = in_batch.find(event->source_event_id()); seen != in_batch.end()) {
      reject(csv.line(), "source_event_id repeats line " + std::to_string(seen->second));
      continue;
    }
    in_batch.emplace(event->source_event_id(), csv.line());
    batch_lines.push_back(csv.line());
    *batch.add_events() = std::move(event.value());
    if (batch.events_size() >= o.batch_size && !flush()) {
      server_ended = true;
      break;
    }
  }
  if (!csv.error().empty()) reject(csv.line(), csv.error());
  if (!server_ended && !flush()) server_ended = true;
  progress.Finish();
  writer->WritesDone();
  const grpc::Status st = writer->Finish();
  if (st.ok()) {
    for (int b = 0; b < response.batches_size() && static_cast<size_t>(b) < sent_lines.size(); ++b) {
      for (uint32_t k : response.batches(b).conflicting()) {
        if (k < sent_lines[static_cast<size_t>(b)].size()) {
          reject(sent_lines[static_cast<size_t>(b)][k], "source_event_id was recorded before with other content");
        }
      }
    }
    std::cerr << lines << " lines: " << response.recorded() << " recorded, " << response.duplicates()
              << " already recorded, " << rejected << " rejected"
              << (rejects.is_open() ? " (listed in " + o.rejects + ")" : "") << "\n";
  } else {
    std::cerr << lines << " lines read, " << sent << " events sent, " << rejected << " rejected\n";
  }
  if (!st.ok()) {
    // A failed call carries no answer: the status says which batch stopped it.
    std::cerr << "the server stopped the import; the batches before the one named below are recorded. Run it "
              << "again once the cause is fixed: what was recorded is not written twice\n";
    return ReportRpcError(st);
  }
  return rejected == 0 ? kExitOk : kExitFailed;
}

}  // namespace

void AddImportCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* import = app.add_subcommand("import", "Take exports of other systems into the log");
  import->require_subcommand(1);
  auto o = std::make_shared<ImportOptions>();
  CLI::App* accesses = import->add_subcommand(
      "accesses",
      "An access-log export (CSV with a header naming the columns source_event_id, accessed_at (RFC 3339),\n"
      "user_hsa_id, role, unit, action (read|create|update|print|copy|export|disclose), personnummer,\n"
      "record_ref, purpose (normal|nodatkomst|consent), emergency_reason, consent_ref, outcome\n"
      "(allowed|denied)) taken into the access log. Bad lines are reported by number and skipped; exit\n"
      "status 1 if any was. Lines recorded before are not written again.");
  accesses->add_option("--csv", o->csv, "The export")->required();
  accesses->add_option("--source-system", o->source_system, "The system the export comes from (names its stream)")
      ->required();
  accesses->add_option("--batch-size", o->batch_size, "Events per batch")->capture_default_str()->check(
      CLI::Range(1, 10000));
  accesses->add_option("--rejects", o->rejects, "Also write the rejected lines' numbers and reasons to this CSV file");
  accesses->callback([o, conn, exit_code] { *exit_code = RunImport(*o, *conn); });
}

}  // namespace sparbar::cli
