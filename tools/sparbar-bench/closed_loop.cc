#include "closed_loop.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sparbar::bench {

ClosedLoopResult RunClosedLoop(int clients, double seconds, const StartCall& start) {
  struct Client {
    std::chrono::steady_clock::time_point sent;
    Latencies latencies;
    uint64_t ok = 0, errors = 0;
  };
  std::vector<Client> state(clients);
  std::atomic<bool> stop{false};
  int in_flight = clients;
  std::mutex done_mu;
  std::condition_variable done_cv;

  std::function<void(int)> send = [&](int c) {
    state[c].sent = std::chrono::steady_clock::now();
    start(c, [&, c](bool ok) {
      Client& client = state[c];
      client.latencies.Add(std::chrono::steady_clock::now() - client.sent);
      ++(ok ? client.ok : client.errors);
      // A client whose call failed stops: its error is counted, and a broken
      // connection or stream must not turn into a busy loop of failures.
      if (ok && !stop.load(std::memory_order_relaxed)) {
        send(c);
        return;
      }
      std::lock_guard<std::mutex> lk(done_mu);
      if (--in_flight == 0) done_cv.notify_all();
    });
  };
  const auto begin = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c) send(c);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  {
    std::unique_lock<std::mutex> lk(done_mu);
    done_cv.wait(lk, [&] { return in_flight == 0; });
  }
  ClosedLoopResult result;
  result.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  for (auto& c : state) {
    result.latencies.Merge(c.latencies);
    result.ok += c.ok;
    result.errors += c.errors;
  }
  return result;
}

}  // namespace sparbar::bench
