// ReadAhead: a subscription read a few batches ahead on its own thread.

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "projections/read_ahead.h"

using namespace sparbar;
using namespace sparbar::projections;

namespace {

// Gives `batches` batches of one event each (positions 0, 1, ...), with an
// empty one between them, then fails.
class ScriptedSubscription final : public Subscription {
 public:
  ScriptedSubscription(int batches, std::atomic<int>* calls) : batches_(batches), calls_(calls) {}
  Result<SubscriptionBatch> Next(std::chrono::milliseconds) override {
    const int call = (*calls_)++;
    if (call % 2 == 1) return SubscriptionBatch{};  // nothing new this time
    const int n = call / 2;
    if (n >= batches_) return Status::DataLoss("scripted failure after " + std::to_string(batches_) + " batches");
    SubscriptionBatch b;
    b.events.emplace_back().position = static_cast<uint64_t>(n);
    return b;
  }

 private:
  int batches_;
  std::atomic<int>* calls_;
};

}  // namespace

TEST_CASE("read-ahead gives every batch once and in order, then the subscription's error, again and again") {
  std::atomic<int> calls{0};
  ReadAhead reader(std::make_unique<ScriptedSubscription>(50, &calls), 3, std::chrono::milliseconds(10));
  uint64_t expected = 0;
  while (expected < 50) {
    auto b = reader.Next(std::chrono::seconds(10));
    REQUIRE(b.ok());
    REQUIRE(b->events.size() == 1);  // empty batches are not passed on
    CHECK(b->events[0].position == expected);
    ++expected;
  }
  for (int i = 0; i < 2; ++i) {
    auto failed = reader.Next(std::chrono::seconds(10));
    REQUIRE(!failed.ok());
    CHECK(failed.status().code() == Code::kDataLoss);
  }
}

TEST_CASE("read-ahead stays at most its depth ahead of the reader, and stops when destroyed") {
  std::atomic<int> calls{0};
  {
    ReadAhead reader(std::make_unique<ScriptedSubscription>(1000, &calls), 2, std::chrono::milliseconds(10));
    auto first = reader.Next(std::chrono::seconds(10));
    REQUIRE(first.ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // Taken: one batch; waiting: at most two more, and one more being read.
    CHECK(calls.load() <= 2 * 4);
  }
  const int after = calls.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(calls.load() == after);  // the thread is gone
}
