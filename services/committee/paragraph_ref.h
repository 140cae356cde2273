// A paragraph of a committee meeting recorded in Spårbar, as other modules
// refer to it: the committee decision a delegation order's version rests
// on, the meeting a delegation decision or a request for a statement was
// reported to, the meeting that adopted a statement. The meeting's stream
// ("sammantrade-<meeting_id>") must hold a meeting held, and the paragraph
// must be recorded in it. Errors are InvalidArgument naming `field`.
#pragma once

#include <string>

#include "eventstore/store.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/delegation.pb.h"

namespace sparbar::committee {

struct ParagraphRef {
  std::string stream;  // "sammantrade-<meeting_id>"
  uint32_t paragraph = 0;
  CivilDate meeting_date;

};

// "sammantrade-<meeting_id> § N", as reports print a reference.
std::string ParagraphText(const v1::delegation::CommitteeParagraph& ref);

// Whether `ref` names anything at all (a meeting id or a paragraph number).
inline bool Given(const v1::delegation::CommitteeParagraph& ref) {
  return !ref.meeting_id().empty() || ref.paragraph() != 0;
}

// Reads the meeting `ref` names from `store` and checks the paragraph.
Result<ParagraphRef> CheckParagraph(EventStore& store, const v1::delegation::CommitteeParagraph& ref,
                                    const char* field);

}  // namespace sparbar::committee
