#include "services/committee/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::committee {

Result<MeetingsView> FoldMeetingsView(EventStore& store, uint64_t size, const std::function<Status()>& before_page) {
  MeetingsView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.meetings, view.unreadable, &committee::Parse,
                        &committee::Evolve, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::committee
