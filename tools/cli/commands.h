// The sparbar CLI's subcommands. Each Add*Command registers one subcommand (and
// its --help text) on `app`; when it is chosen, its callback runs it and stores
// the process exit status in *exit_code:
//   0 success, 1 failure (verification failed, gRPC error, proof does not
//   verify), 2 usage or local I/O error.
// `conn` is filled by the global --server/--actor options before callbacks run
// and must outlive `app`.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/cli/client.h"

namespace sparbar::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

void AddVerifyCommand(CLI::App& app, int* exit_code);
void AddAppendCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddReadCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddCheckpointCommands(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddProofCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddReportCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddImportCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
// `sparbar access extract|export` (access_command.cc).
void AddAccessCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
// `sparbar loggkontroll ...` (log_review_command.cc).
void AddLogReviewCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
// `sparbar report loggkontroll` (log_review_command.cc).
void AddLogReviewReport(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// The waiting lists under `sparbar report` (waiting_command.cc).
void AddWaitingReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// The deviations module's reports under `sparbar report` (deviation_report_command.cc).
void AddDeviationReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar report klagomal|klagomal-paminnelser` (complaint_report_command.cc).
void AddComplaintReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar report personuppgiftsincidenter[-frister]` (incident_report_command.cc).
void AddIncidentReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar report behorigheter[-frister|-i-kraft]` (access_right_report_command.cc).
void AddAccessRightReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar report sammantraden[-frister]` (committee_report_command.cc).
void AddCommitteeReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar report delegationsordning|delegationsbeslut` (delegation_report_command.cc).
void AddDelegationReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);
// `sparbar gallring plan` (gallring_command.cc).
void AddGallringCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
void AddBackupCommands(CLI::App& app, const ConnectionOptions* conn, int* exit_code);
// `sparbar report yttranden[-frister]` (statement_report_command.cc).
void AddStatementReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code);

}  // namespace sparbar::cli
