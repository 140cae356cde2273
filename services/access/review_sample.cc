#include "services/access/review_sample.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace sparbar::access {
namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> Rank(uint64_t seed, const std::string& user) {
  std::string input(8, '\0');
  for (int i = 0; i < 8; ++i) input[static_cast<size_t>(i)] = static_cast<char>(seed >> (56 - 8 * i));
  input += user;
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  return digest;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

std::vector<std::string> DrawSample(const std::vector<std::string>& population, uint64_t seed, size_t size) {
  const std::set<std::string> users(population.begin(), population.end());
  std::vector<std::pair<std::array<unsigned char, SHA256_DIGEST_LENGTH>, std::string>> ranked;
  ranked.reserve(users.size());
  for (const std::string& u : users) ranked.emplace_back(Rank(seed, u), u);
  const size_t n = std::min(size, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end());
  std::vector<std::string> sample;
  for (size_t i = 0; i < n; ++i) sample.push_back(std::move(ranked[i].second));
  return sample;
}

std::string PopulationDigest(const std::vector<std::string>& population) {
  const std::set<std::string> users(population.begin(), population.end());
  std::string all;
  for (const std::string& u : users) all += u + "\n";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(all.data()), all.size(), digest);
  return Hex(digest, sizeof digest);
}

}  // namespace sparbar::access
