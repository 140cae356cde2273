// DeviationsService: the gRPC face of the deviations module, thin by design.
//
// Record: authenticate, validate the deviation id, then StepRecorder (fold
// the stream, Decide, append at the folded revision). "Today" for date
// checks is the date in Sweden (services/common/swedish_time.h).
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

 private:
  EventStore* const store_;
  const DeviationTaxonomy* const taxonomy_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::deviations
