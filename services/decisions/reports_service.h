// ReportsService: the sparbar.v1.decisions.DecisionReports gRPC service.
//
// Every report is computed from the case-facts projection as of one log
// position: everything recorded so far (after waiting, within the call's
// deadline, for the projection to catch up: read-your-writes; the ej
// verkställda report then reads the projection's in-memory table), or what
// the log knew at the end of a day in Sweden (known_at; the stored state). Submitting the ej verkställda
// report appends an EjVerkstalldaSubmitted event (decisions_reports.proto)
// to "rapport-ej-verkstallda-<quarter>" holding that position, the
// parameters and the document's SHA-256; ReproduceSubmission computes the
// report again from those and compares. Bad input is INVALID_ARGUMENT naming
// the field, and nothing is written. Never logs report contents.
#pragma once

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/decisions/case_facts_projection.h"
#include "services/decisions/insats_catalogue.h"
#include "services/decisions/payload.h"
#include "sparbar/v1/decisions_reports_service.grpc.pb.h"
#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {

inline constexpr std::string_view kSubmissionStreamPrefix = "rapport-ej-verkstallda-";

class ReportsService final : public v1::decisions::DecisionReports::Service {
 public:
  // All must outlive the service.
  // `latest` is the projection `case_facts` runs, for reports on the current state.
  ReportsService(EventStore* store, const projections::ProjectionRunner* case_facts,
                 const CaseFactsProjection* latest, const InsatsCatalogue* catalogue,
                 const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status EjVerkstallda(grpc::ServerContext* context, const v1::decisions::EjVerkstalldaRequest* request,
                             v1::decisions::EjVerkstalldaResponse* response) override;
  grpc::Status SubmitEjVerkstallda(grpc::ServerContext* context,
                                   const v1::decisions::SubmitEjVerkstalldaRequest* request,
                                   v1::decisions::SubmitEjVerkstalldaResponse* response) override;
  grpc::Status ReproduceSubmission(grpc::ServerContext* context,
                                   const v1::decisions::ReproduceSubmissionRequest* request,
                                   v1::decisions::ReproduceSubmissionResponse* response) override;
  grpc::Status NotExecutedAtMonthEnd(grpc::ServerContext* context,
                                     const v1::decisions::NotExecutedAtMonthEndRequest* request,
                                     v1::decisions::NotExecutedAtMonthEndResponse* response) override;
  grpc::Status DaysToFirstOffer(grpc::ServerContext* context, const v1::decisions::DaysToFirstOfferRequest* request,
                                v1::decisions::DaysToFirstOfferResponse* response) override;

 private:
  // The ej verkställda report for `request` as of `as_of` (when absent: the
  // end of known_at, or the whole log), rendered when a format is asked for.
  // `check_catalogue` is false for a recorded submission's parameters, which
  // were checked when it was recorded (the catalogue may have changed since).
  Result<v1::decisions::EjVerkstalldaResponse> BuildEjVerkstallda(const v1::decisions::EjVerkstalldaRequest& request,
                                                                  std::optional<uint64_t> as_of,
                                                                  const grpc::ServerContext& context,
                                                                  bool check_catalogue = true) const;
  // The facts of every case decided on `insats` after every write made
  // before the call (from the in-memory table), and of every case as of log
  // size `as_of` (folded from the log), once the projection has reached it;
  // both set *position to the position used.
  Result<std::vector<pb::CaseFacts>> CurrentFacts(const grpc::ServerContext& context, const std::string& insats,
                                                  uint64_t* position) const;
  Result<ReportFacts> FactsAsOf(uint64_t as_of, const grpc::ServerContext& context, uint64_t* position) const;
  // An insats code from a request: särskilt boende when empty; InvalidArgument
  // when the catalogue has no such code.
  Result<std::string> InsatsOf(const std::string& code) const;

  EventStore* const store_;
  const projections::ProjectionRunner* const case_facts_;
  const CaseFactsProjection* const latest_;
  const InsatsCatalogue* const catalogue_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::decisions
