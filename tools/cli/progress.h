// ProgressBar: a one-line progress bar on stderr for long-running commands.
//
// Draws only when stderr is a terminal (isatty); otherwise every call is a
// no-op, so piped or logged output stays clean. Redraws at most ~10 times a
// second. Not thread-safe: use from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sparbar::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // Finish()es
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  bool enabled() const { return enabled_; }
  // `done` of `total` units; total 0 means unknown.
  void Update(uint64_t done, uint64_t total);
  // Draws the final state and ends the line. Idempotent.
  void Finish();

 private:
  void Draw();

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  bool finished_ = false;
  uint64_t done_ = 0;
  uint64_t total_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace sparbar::cli
