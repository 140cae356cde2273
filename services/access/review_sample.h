// Drawing a loggkontroll sample (method "sha256-rank-v2": v2 because the
// server draws the seed, where v1's came from the caller): every user of
// the population is ranked by SHA-256 of the seed (8 bytes, big-endian)
// followed by the user id, and the `size` lowest ranks are the sample, in
// rank order.
// The draw depends on the seed and the set of users alone, not on their
// order or on any library's random generator, so anyone holding the seed and
// the log can draw it again; the population's digest shows it was the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparbar::access {

inline constexpr const char* kSampleMethod = "sha256-rank-v2";

// The sample of at most `size` users; `population` may be in any order and hold repeats.
std::vector<std::string> DrawSample(const std::vector<std::string>& population, uint64_t seed, size_t size);

// SHA-256 (hex) of the distinct users, sorted, each followed by "\n".
std::string PopulationDigest(const std::vector<std::string>& population);

}  // namespace sparbar::access
