#include "projections/log_fold.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "projections/read_ahead.h"

namespace sparbar::projections {

Status FoldLogRange(EventStore& store, std::string_view stream_prefix, uint64_t end,
                    const std::function<Status(const EventRecord&)>& fold,
                    const std::function<Status()>& before_page) {
  end = std::min(end, store.Size());
  if (end == 0) return Status::Ok();
  ReadAllOptions from;
  from.stream_prefix = std::string(stream_prefix);
  auto subscribed = store.SubscribeAll(from);
  if (!subscribed.ok()) return subscribed.status();
  ReadAhead pages(std::move(subscribed.value()), 4, std::chrono::milliseconds(10));
  uint64_t reached = 0;
  while (reached < end) {
    if (before_page) {
      if (Status stop = before_page(); !stop.ok()) return stop;
    }
    auto batch = pages.Next(std::chrono::milliseconds(100));
    if (!batch.ok()) return batch.status();
    for (const EventRecord& e : batch->events) {
      if (e.position >= end) break;
      if (Status s = fold(e); !s.ok()) return s;
    }
    reached = std::max(reached, batch->next_position);
    pages.Recycle(std::move(batch.value()));
  }
  return Status::Ok();
}

}  // namespace sparbar::projections
