#include "tools/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace sparbar::cli {
namespace {
constexpr int kBarWidth = 30;
}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_ || finished_) return;
  done_ = done;
  total_ = total;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw();
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  if (drawn_) {
    Draw();
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  finished_ = true;
}

void ProgressBar::Draw() {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  if (total_ > 0) {
    uint64_t shown = done_ > total_ ? total_ : done_;
    int filled = static_cast<int>(kBarWidth * shown / total_);
    char bar[kBarWidth + 1];
    for (int i = 0; i < kBarWidth; ++i) bar[i] = i < filled ? '#' : '-';
    bar[kBarWidth] = '\0';
    std::fprintf(stderr, "\r\033[K%s [%s] %3d%% %llu/%llu (%.0f/s)", label_.c_str(), bar,
                 static_cast<int>(100 * shown / total_), static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), rate);
  } else {
    std::fprintf(stderr, "\r\033[K%s %llu (%.0f/s)", label_.c_str(),
                 static_cast<unsigned long long>(done_), rate);
  }
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace sparbar::cli
