// Synthetic decisions cases for the benchmarks, each decided through the
// decider: an application, an investigation, a favourable decision in
// 2022-2024, a delay reason, and for two cases in three an execution.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "services/decisions/decider.h"
#include "services/decisions/insats_catalogue.h"

namespace sparbar::bench {

// Two insatser, one under SoL and one under LSS, valid from 2000.
const decisions::InsatsCatalogue& BenchCatalogue();

// One case's events, for `personnummer` at `unit`.
std::vector<decisions::Payload> CaseEvents(std::mt19937_64& rng, const decisions::DecideContext& context,
                                           const std::string& personnummer, const std::string& unit);

}  // namespace sparbar::bench
