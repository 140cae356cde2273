#include "services/gallring/gallring_service.h"

#include "services/common/report_request.h"
#include "services/gallring/person_files.h"
#include "services/gallring/plan.h"
#include "services/grpc_status.h"

namespace sparbar::gallring {

grpc::Status GallringService::Plan(grpc::ServerContext* context, const v1::gallring::PlanRequest* request,
                                   v1::gallring::PlanResponse* response) {
  constexpr const char* kMethod = "Gallring.Plan";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto as_of = DateOrToday(request->as_of(), "as_of");
  if (!as_of.ok()) return services::ToGrpc(as_of.status());
  const uint64_t size = store_->Size();
  auto gathered = GatherPersonFiles(*store_, *key_, size);
  if (!gathered.ok()) return services::Answer(kMethod, gathered.status());
  auto plan = gallring::Plan(*rules_, gathered->files, *as_of);
  if (!plan.ok()) return services::Answer(kMethod, plan.status());
  response->set_as_of(as_of->ToString());
  response->set_as_of_position(size);
  response->set_cases(gathered->cases);
  response->set_unnamed_cases(gathered->unnamed_cases);
  uint64_t to_dispose = 0;
  for (const PlanEntry& e : *plan) {
    auto* out = response->add_entries();
    out->set_pseudonym(e.pseudonym);
    out->set_verdict(VerdictName(e.verdict));
    if (e.due) out->set_due(e.due->ToString());
    if (e.deadline) out->set_deadline(e.deadline->ToString());
    out->set_overdue(e.overdue);
    out->set_reason(e.reason);
    to_dispose += e.verdict == Verdict::kDispose;
  }
  response->set_to_dispose(to_dispose);
  return grpc::Status::OK;
}

}  // namespace sparbar::gallring
