// The access benchmark's load, shared by the intake through the server
// (access_load.h) and RocksDB's own floor for the same writes
// (access_ceiling.h): people, users and batches of access events.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sparbar/v1/access_log_service.pb.h"

namespace sparbar::bench {

inline constexpr int64_t kQuarterStart = 1735686000;  // 2025-01-01 in Sweden
inline constexpr int64_t kQuarterEnd = kQuarterStart + 7'000'000;  // the events' times lie in [start, end)

// The HSA-id of the benchmark's user number `i`.
inline std::string BenchUserHsaId(size_t i) { return "SE2321000230-U" + std::to_string(i); }

// A valid personnummer born in 1930-2009 (the Luhn digit computed).
std::string Personnummer(std::mt19937_64& rng);

// One client's batches, prepared before the clock starts: `count` batches of
// `per_batch` events from source system "bench-<client>". Each user works at
// one of 40 units. Times and source event ids are stamped as they are sent
// (StampBatch).
std::vector<v1::access::IngestBatch> Batches(int client, int count, int per_batch,
                                             const std::vector<std::string>& people,
                                             const std::vector<std::string>& users, std::mt19937_64& rng);

// A source system sends its accesses in about the order they happened: one
// second apart per client, so that 10 million events from four clients span
// about a month of the quarter. `next_id` counts the client's events.
void StampBatch(v1::access::IngestBatch& batch, uint64_t& next_id);

// How many events each of `clients` sends of `target_events` in all: the
// same on every side a benchmark compares, so that each client's calls, and
// with them the events each side holds, are the same.
inline uint64_t ClientShare(uint64_t target_events, size_t clients) {
  return (target_events + clients - 1) / clients;
}

}  // namespace sparbar::bench
