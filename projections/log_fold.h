// FoldLogRange: hands the events at log positions [0, end) whose stream
// starts with a prefix to a fold function, in log order. The log is read and
// decoded on a second thread (ReadAhead) while the caller's thread folds.
//
// Contract: every matching event below `end` (clamped to the log's size) is
// passed exactly once. `before_page`, when given, is asked before each page;
// a status other than Ok from it or from `fold` stops the fold and is
// returned. Read errors are returned as they come.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "eventstore/store.h"

namespace sparbar::projections {

Status FoldLogRange(EventStore& store, std::string_view stream_prefix, uint64_t end,
                    const std::function<Status(const EventRecord&)>& fold,
                    const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::projections
