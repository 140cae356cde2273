#include "services/access_rights/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::access_rights {

Result<AccessRightsView> FoldAccessRightsView(EventStore& store, uint64_t size,
                                              const std::function<Status()>& before_page) {
  AccessRightsView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.rights, view.unreadable, &access_rights::Parse,
                        &access_rights::Evolve, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::access_rights
