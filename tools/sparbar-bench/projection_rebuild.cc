#include "projection_rebuild.h"

#include <chrono>
#include <iostream>
#include <stdexcept>

#include "async_appender.h"
#include "services/decisions/decider.h"

namespace sparbar::bench {

using Clock = std::chrono::steady_clock;

void AppendDecisionCases(EventStore& store, int cases,
                         const std::function<std::vector<decisions::Payload>()>& next_case) {
  AsyncAppender appender(&store);
  for (int i = 0; i < cases; ++i) {
    std::vector<ProposedEvent> events;
    for (const auto& p : next_case()) {
      ProposedEvent e;
      e.id = Uuid::Random();
      e.type = decisions::TypeOf(p);
      e.content_type = std::string(decisions::kContentType);
      e.payload = decisions::Serialize(p);
      events.push_back(std::move(e));
    }
    appender.Append("beslut-" + std::to_string(i), std::move(events));
    if ((i + 1) % 100000 == 0) std::cerr << "  appended " << (i + 1) << " cases\n";
  }
  if (Status failed = appender.Finish(); !failed.ok()) throw std::runtime_error(failed.ToString());
}

double TimeRebuild(EventStore& store, std::unique_ptr<projections::Projection> projection, const std::string& dir,
                   std::unique_ptr<projections::ProjectionRunner>* runner) {
  const uint64_t size = store.Size();
  auto opened = projections::ProjectionRunner::Open(&store, std::move(projection), dir);
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  const auto t0 = Clock::now();
  if (Status s = (*opened)->Start(); !s.ok()) throw std::runtime_error(s.ToString());
  if (Status s = (*opened)->WaitFor(size, Clock::now() + std::chrono::minutes(30)); !s.ok()) {
    throw std::runtime_error(s.ToString());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (runner) *runner = std::move(opened.value());
  return seconds;
}

}  // namespace sparbar::bench
