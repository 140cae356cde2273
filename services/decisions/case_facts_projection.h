// CaseFactsProjection: the read model behind the decisions reports. For each
// case stream ("beslut-…") it keeps the case's effective history without the
// personnummer ("history/<stream>") and the facts derived from it
// ("facts/<stream>", a CaseFacts message).
//
// An event on a case stream that is not a valid decisions event (possible
// through the raw EventStore API) does not stop the projection: it is
// recorded under "skipped/<position>" with its type, and changes nothing else.
#pragma once

#include <optional>
#include <vector>

#include "projections/runner.h"
#include "services/decisions/case_facts.h"

namespace sparbar::decisions {

class CaseFactsProjection final : public projections::Projection {
 public:
  // The catalogue must outlive the projection.
  explicit CaseFactsProjection(const InsatsCatalogue* catalogue) : catalogue_(catalogue) {}

  std::string name() const override { return "decisions-case-facts"; }
  uint32_t version() const override { return 1; }
  bool Wants(const EventRecord& event) const override;
  Status Apply(const EventRecord& event, projections::StateWriter& state) override;

 private:
  const InsatsCatalogue* catalogue_;
};

// Every case's facts as of a log size (nullopt: as far as the projection has got).
Result<std::vector<pb::CaseFacts>> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of = std::nullopt);

}  // namespace sparbar::decisions
