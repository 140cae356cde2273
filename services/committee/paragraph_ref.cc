#include "services/committee/paragraph_ref.h"

#include "services/committee/meeting.h"
#include "services/common/personal_identity.h"
#include "services/common/step_recorder.h"

namespace sparbar::committee {
namespace {

// What StepRecorder::Load needs to read a meeting's stream.
struct MeetingReader {
  using Payload = committee::Payload;
  static constexpr std::string_view kNoun = "committee meeting";
  static constexpr std::string_view kModule = "committee";
  Result<Payload> Parse(std::string_view type, std::string_view bytes) const { return committee::Parse(type, bytes); }
};

}  // namespace

std::string ParagraphText(const v1::delegation::CommitteeParagraph& ref) {
  return std::string(kStreamPrefix) + ref.meeting_id() + " § " + std::to_string(ref.paragraph());
}

Result<ParagraphRef> CheckParagraph(EventStore& store, const v1::delegation::CommitteeParagraph& ref,
                                    const char* field) {
  const std::string f(field);
  if (Status s = ValidateStreamId(ref.meeting_id(), f + ".meeting_id"); !s.ok()) return s;
  if (ref.paragraph() == 0) return Status::InvalidArgument(f + ".paragraph is required: the § number");
  const std::string stream = std::string(kStreamPrefix) + ref.meeting_id();
  const MeetingReader reader;
  auto stored = StepRecorder<MeetingReader>(&store, &reader).Load(stream);
  if (!stored.ok()) {
    return Status(stored.status().code(), f + ": " + stored.status().message());
  }
  MeetingState meeting;
  for (const Payload& p : stored->events) meeting = Evolve(std::move(meeting), p);
  if (!meeting.Held()) return Status::InvalidArgument(f + ".meeting_id names no meeting recorded as held");
  if (!meeting.paragraphs.count(ref.paragraph())) {
    return Status::InvalidArgument(f + ".paragraph: § " + std::to_string(ref.paragraph()) +
                                   " is not recorded for the meeting " + ref.meeting_id());
  }
  return ParagraphRef{stream, ref.paragraph(), meeting.held_on};
}

}  // namespace sparbar::committee
