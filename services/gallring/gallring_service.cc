#include "services/gallring/gallring_service.h"

#include <algorithm>

#include "services/common/report_request.h"
#include "services/common/swedish_time.h"
#include "services/common/personal_identity.h"
#include "services/gallring/disposal.h"
#include "services/gallring/legal_holds.h"
#include "services/gallring/person_files.h"
#include "services/gallring/plan.h"
#include "services/grpc_status.h"

namespace sparbar::gallring {

Result<GallringService::PlanAt> GallringService::PlanAsOf(const CivilDate& as_of) const {
  PlanAt out;
  out.size = store_->Size();
  auto gathered = GatherPersonFiles(*store_, *key_, out.size);
  if (!gathered.ok()) return gathered.status();
  out.files = std::move(gathered.value());
  auto plan = gallring::Plan(*rules_, out.files.files, as_of);
  if (!plan.ok()) return plan.status();
  out.plan = std::move(plan.value());
  return out;
}

grpc::Status GallringService::Plan(grpc::ServerContext* context, const v1::gallring::PlanRequest* request,
                                   v1::gallring::PlanResponse* response) {
  constexpr const char* kMethod = "Gallring.Plan";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto as_of = DateOrToday(request->as_of(), "as_of");
  if (!as_of.ok()) return services::ToGrpc(as_of.status());
  auto at = PlanAsOf(*as_of);
  if (!at.ok()) return services::Answer(kMethod, at.status());
  response->set_as_of(as_of->ToString());
  response->set_as_of_position(at->size);
  response->set_cases(at->files.cases);
  response->set_unnamed_cases(at->files.unnamed_cases);
  response->set_disposed_cases(at->files.disposed_cases);
  uint64_t to_dispose = 0;
  for (const PlanEntry& e : at->plan) {
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

grpc::Status GallringService::Run(grpc::ServerContext* context, const v1::gallring::RunRequest* request,
                                  v1::gallring::RunResponse* response) {
  constexpr const char* kMethod = "Gallring.Run";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto as_of = DateOrToday(request->as_of(), "as_of");
  if (!as_of.ok()) return services::ToGrpc(as_of.status());
  if (*as_of > StockholmDate(NowMicros())) {
    return services::ToGrpc(Status::InvalidArgument("as_of " + as_of->ToString() +
                                                    " is after today: only what is due now may be disposed of "
                                                    "(a later day is for Gallring.Plan)"));
  }
  std::lock_guard lock(run_mu_);
  auto at = PlanAsOf(*as_of);
  if (!at.ok()) return services::Answer(kMethod, at.status());
  const auto due = static_cast<uint64_t>(std::count_if(
      at->plan.begin(), at->plan.end(), [](const PlanEntry& e) { return e.verdict == Verdict::kDispose; }));
  if (due != request->expect_to_dispose()) {
    return services::ToGrpc(Status::FailedPrecondition(
        "the plan as of " + as_of->ToString() + " disposes of " + std::to_string(due) + " files, not the " +
        std::to_string(request->expect_to_dispose()) + " expected; review it again (sparbar gallring plan) and "
        "give the number it shows. Nothing was disposed of"));
  }
  auto done = Dispose(*store_, *vault_, at->files.files, at->plan, *as_of, caller->actor,
                      services::SteadyDeadline(*context));
  if (!done.ok()) return services::Answer(kMethod, done.status());
  response->set_as_of(as_of->ToString());
  response->set_as_of_position(at->size);
  response->set_disposed(done->disposed);
  if (done->first_position) response->set_first_position(*done->first_position);
  if (done->last_position) response->set_last_position(*done->last_position);
  return grpc::Status::OK;
}

grpc::Status GallringService::PlaceHold(grpc::ServerContext* context, const v1::gallring::PlaceHoldRequest* request,
                                        v1::gallring::HoldResponse* response) {
  constexpr const char* kMethod = "Gallring.PlaceHold";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto person = ParsePersonalIdentity(request->personal_identity_number(), StockholmDate(NowMicros()),
                                      "personal_identity_number");
  if (!person.ok()) return services::ToGrpc(person.status());
  std::lock_guard lock(run_mu_);  // not between a run's plan and its keys' destruction
  auto placed = gallring::PlaceHold(*store_, request->hold_id(), person->number, request->reason(), caller->actor,
                                    services::SteadyDeadline(*context));
  if (!placed.ok()) return services::Answer(kMethod, placed.status());
  response->set_position(*placed);
  return grpc::Status::OK;
}

grpc::Status GallringService::ReleaseHold(grpc::ServerContext* context, const v1::gallring::ReleaseHoldRequest* request,
                                          v1::gallring::HoldResponse* response) {
  constexpr const char* kMethod = "Gallring.ReleaseHold";
  const services::CallGate::Pass pass = gate_->Enter();
  if (!pass) return services::ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return services::ToGrpc(caller.status());
  auto released = gallring::ReleaseHold(*store_, request->hold_id(), request->reason(), caller->actor,
                                        services::SteadyDeadline(*context));
  if (!released.ok()) return services::Answer(kMethod, released.status());
  response->set_position(*released);
  return grpc::Status::OK;
}

}  // namespace sparbar::gallring
