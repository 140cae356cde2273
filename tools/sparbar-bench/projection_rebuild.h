// Shared by the decisions benchmark and `compare`: a log of decisions cases
// appended in-process, and the time a projection takes to fold a whole log
// from position 0 (a rebuild).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "projections/projection.h"
#include "projections/runner.h"
#include "services/decisions/payload.h"

namespace sparbar::bench {

// Appends `cases` cases, each a stream "beslut-<i>" of the events
// `next_case()` returns, with many appends in flight. Throws on a failure.
void AppendDecisionCases(EventStore& store, int cases,
                         const std::function<std::vector<decisions::Payload>()>& next_case);

// Runs `projection` over `store` from position 0 with its state in `dir`
// until it has applied the whole log; returns the seconds it took. With
// `runner`, the runner is handed back still running.
double TimeRebuild(EventStore& store, std::unique_ptr<projections::Projection> projection, const std::string& dir,
                   std::unique_ptr<projections::ProjectionRunner>* runner = nullptr);

}  // namespace sparbar::bench
