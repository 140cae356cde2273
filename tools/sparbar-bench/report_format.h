// Numbers as the benchmarks' Markdown tables print them, and the sizes and
// times they report.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <utility>
#include <vector>
#include <string>

namespace sparbar::bench {

// 12.345 with `decimals` 1 -> "12.3".
inline std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// 1234567 -> "1,234,567".
inline std::string Grouped(double v) {
  std::string digits = Fixed(v, 0), out;
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

// Seconds from `t0` to now.
inline double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The bytes of every regular file under `dir`.
inline uint64_t DirBytes(const std::string& dir) {
  uint64_t bytes = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (f.is_regular_file()) bytes += f.file_size();
  }
  return bytes;
}

// DirBytes(dir) by what holds the bytes in a Spårbar data directory: the
// log's table files, its write-ahead log, each read model under
// projections/, the key vault, and the rest, in that order (parts with no
// bytes left out).
inline std::vector<std::pair<std::string, uint64_t>> DataDirBytesByPart(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, uint64_t> models;
  uint64_t tables = 0, wal = 0, vault = 0, rest = 0;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    const fs::path rel = fs::relative(f.path(), dir);
    const std::string top = rel.begin()->string();
    const uint64_t size = f.file_size();
    if (top == "projections" && std::distance(rel.begin(), rel.end()) > 2) {
      models[std::next(rel.begin())->string()] += size;
    } else if (top == "vault") {
      vault += size;
    } else if (rel.has_parent_path()) {
      rest += size;
    } else if (rel.extension() == ".sst") {
      tables += size;
    } else if (rel.extension() == ".log") {
      wal += size;
    } else {
      rest += size;
    }
  }
  std::vector<std::pair<std::string, uint64_t>> parts = {{"the log's table files", tables},
                                                          {"the log's write-ahead log", wal}};
  for (const auto& [name, bytes] : models) parts.emplace_back("read model " + name, bytes);
  parts.emplace_back("the key vault", vault);
  parts.emplace_back("the rest", rest);
  std::erase_if(parts, [](const auto& p) { return p.second == 0; });
  return parts;
}

}  // namespace sparbar::bench
