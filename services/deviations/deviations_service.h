// DeviationsService: the gRPC face of the deviations module, thin by design.
//
// Each Record method: authenticate, validate the id, then StepRecorder (fold
// the stream, Decide, append at the folded revision). "Today" for date
// checks is the date in Sweden (services/common/swedish_time.h). Facts from
// another stream that a step depends on (a follow-up case's progress, a
// deviation's domain and severity) are read just before deciding.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/deviations/taxonomy.h"
#include "sparbar/v1/deviations_service.grpc.pb.h"

namespace sparbar::deviations {

class DeviationsService final : public v1::deviations::Deviations::Service {
 public:
  // All must outlive the service.
  DeviationsService(EventStore* store, const DeviationTaxonomy* taxonomy, const services::CallerResolver* callers,
                    services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::deviations::RecordRequest* request,
                      v1::deviations::RecordResponse* response) override;
  // In their own files: lex_sarah_service.cc, lex_maria_service.cc, follow_up_service.cc.
  grpc::Status RecordLexSarah(grpc::ServerContext* context, const v1::deviations::RecordLexSarahRequest* request,
                              v1::deviations::RecordResponse* response) override;
  grpc::Status RecordLexMaria(grpc::ServerContext* context, const v1::deviations::RecordLexMariaRequest* request,
                              v1::deviations::RecordResponse* response) override;
  grpc::Status RecordFollowUp(grpc::ServerContext* context, const v1::deviations::RecordFollowUpRequest* request,
                              v1::deviations::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const DeviationTaxonomy* const taxonomy_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::deviations
