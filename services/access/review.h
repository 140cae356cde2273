// A loggkontroll review as a decider (the pattern of the domain modules,
// services/common/step_recorder.h), on the stream "loggkontroll-<id>":
// opened (period, scope, kind, rules) -> its users drawn once (SampleDrawn)
// -> findings on its reviewed accesses, misuse investigations opened from
// findings of suspected misuse -> concluded, once every flagged access has a
// finding. Which accesses the review holds and which are flagged is a fact
// of the access log (review_evaluation.h): the service passes them in.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::access::review {

namespace lr = ::sparbar::v1::logreview;

using Payload = std::variant<lr::ReviewOpened, lr::SampleDrawn, lr::FindingRecorded, lr::MisuseInvestigationOpened,
                             lr::ReviewConcluded>;

inline constexpr std::string_view kStreamPrefix = "loggkontroll-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

enum class Phase { kNone, kOpened, kSampled, kConcluded };

struct ReviewState {
  Phase phase = Phase::kNone;
  lr::ReviewOpened opened;
  lr::SampleDrawn sample;
  std::map<uint64_t, lr::FindingRecorded> findings;  // the latest per access position
  std::map<uint64_t, std::string> investigations;    // access position -> investigation id
  lr::ReviewConcluded concluded;
};

struct DecideContext {
  CivilDate today;
  std::string actor;
  // The review's accesses and the flagged ones (nullptr before the sample).
  const std::set<uint64_t>* reviewed = nullptr;
  const std::set<uint64_t>* flagged = nullptr;
};

// A targeted review's users, sorted, each once: its sample.
std::vector<std::string> TargetUsers(const lr::ReviewOpened& opened);

Result<Payload> Decide(const ReviewState& state, const Payload& proposed, const DecideContext& context);
ReviewState Evolve(ReviewState state, const Payload& event);

}  // namespace sparbar::access::review
