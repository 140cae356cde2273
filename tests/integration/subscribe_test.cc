// Subscribe through the real server: catch-up then live, with no gap and no
// duplicate while other clients append; stream targets; shutdown ends it.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

TEST_CASE("Subscribe delivers catch-up then live with no gap or duplicate during appends",
          "[integration][subscribe]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  for (int i = 0; i < 10; ++i) {
    std::vector<v1::EventData> batch;
    for (int k = 0; k < 5; ++k) batch.push_back(MakeEvent());
    REQUIRE(Append(c, MakeAppend("before-" + std::to_string(i % 3), batch)).ok());
  }
  constexpr uint64_t kBefore = 50;
  // The events appended, and the record of the subscription itself (a read
  // of the whole log, recorded with its scope before it starts).
  constexpr uint64_t kTotal = 50 + 4 * 60 + 1;

  grpc::ClientContext ctx;
  ctx.AddMetadata("x-sparbar-actor", "subscriber");
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubscribeRequest req;
  req.mutable_all()->set_from_position(0);
  auto reader = c.es->Subscribe(&ctx, req);

  // Four writers append 60 events each (in batches of 1..4) while the reader reads.
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      Client wc(server.address());
      int sent = 0;
      for (int b = 0; sent < 60; ++b) {
        int n = std::min(1 + (b + w) % 4, 60 - sent);
        std::vector<v1::EventData> batch;
        for (int k = 0; k < n; ++k) batch.push_back(MakeEvent());
        if (!Append(wc, MakeAppend("live-" + std::to_string(w), batch)).ok()) ++failures;
        sent += n;
      }
    });
  }

  std::vector<uint64_t> positions;
  int caught_up = 0, own_records = 0;
  size_t caught_up_at = 0;
  v1::SubscribeResponse msg;
  while (positions.size() < kTotal && reader->Read(&msg)) {
    for (const auto& e : msg.events()) {
      positions.push_back(e.position());
      if (IsOwnRecord(e)) ++own_records;
    }
    if (msg.caught_up()) {
      ++caught_up;
      caught_up_at = positions.size();
    }
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  REQUIRE(positions.size() == kTotal);
  for (uint64_t i = 0; i < kTotal; ++i) REQUIRE(positions[i] == i);
  CHECK(own_records == 1);
  CHECK(caught_up == 1);
  CHECK(caught_up_at >= kBefore);

  // Nothing more arrives: no duplicate after the last event.
  ctx.TryCancel();
  while (reader->Read(&msg)) CHECK(msg.events_size() == 0);
  reader->Finish();
}

TEST_CASE("Subscribe to one stream from a revision, and to a filtered log", "[integration][subscribe]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  for (int i = 0; i < 6; ++i) {
    REQUIRE(Append(c, MakeAppend("mine", {MakeEvent("mine.t")})).ok());
    REQUIRE(Append(c, MakeAppend("theirs", {MakeEvent("theirs.t")})).ok());
  }

  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-sparbar-actor", "subscriber");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubscribeRequest req;
    req.mutable_stream()->set_stream("mine");
    req.mutable_stream()->set_from_revision(2);
    auto reader = c.es->Subscribe(&ctx, req);
    std::vector<uint64_t> revisions;
    bool caught_up = false;
    v1::SubscribeResponse msg;
    while (!caught_up && reader->Read(&msg)) {
      for (const auto& e : msg.events()) {
        CHECK(e.stream() == "mine");
        revisions.push_back(e.revision());
      }
      caught_up = msg.caught_up();
    }
    CHECK(caught_up);
    CHECK(revisions == std::vector<uint64_t>{2, 3, 4, 5});
    // Live: appends to other streams are not delivered, ours are.
    REQUIRE(Append(c, MakeAppend("theirs", {MakeEvent()})).ok());
    REQUIRE(Append(c, MakeAppend("mine", {MakeEvent()})).ok());
    REQUIRE(reader->Read(&msg));
    REQUIRE(msg.events_size() == 1);
    CHECK(msg.events(0).stream() == "mine");
    CHECK(msg.events(0).revision() == 6);
    ctx.TryCancel();
    reader->Finish();
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-sparbar-actor", "subscriber");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubscribeRequest req;
    req.mutable_all()->set_stream_prefix("the");
    auto reader = c.es->Subscribe(&ctx, req);
    std::vector<uint64_t> positions;
    v1::SubscribeResponse msg;
    bool caught_up = false;
    while (!caught_up && reader->Read(&msg)) {
      for (const auto& e : msg.events()) {
        CHECK(e.stream() == "theirs");
        positions.push_back(e.position());
      }
      caught_up = msg.caught_up();
    }
    // 12 is the record of the first subscription; 13 the live append to "theirs".
    CHECK(positions == std::vector<uint64_t>{1, 3, 5, 7, 9, 11, 13});
    ctx.TryCancel();
    reader->Finish();
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-sparbar-actor", "subscriber");
    auto reader = c.es->Subscribe(&ctx, v1::SubscribeRequest());
    v1::SubscribeResponse msg;
    CHECK_FALSE(reader->Read(&msg));
    CHECK(reader->Finish().error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
}

TEST_CASE("shutting the server down ends live subscriptions cleanly", "[integration][subscribe][server]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()})).ok());

  grpc::ClientContext ctx;
  ctx.AddMetadata("x-sparbar-actor", "subscriber");
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubscribeRequest req;
  req.mutable_all();
  auto reader = c.es->Subscribe(&ctx, req);
  v1::SubscribeResponse msg;
  bool caught_up = false;
  while (!caught_up && reader->Read(&msg)) caught_up = msg.caught_up();
  REQUIRE(caught_up);

  const auto start = std::chrono::steady_clock::now();
  CHECK(server.Stop() == 0);
  INFO(server.Log());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  CHECK_FALSE(reader->Read(&msg));
  grpc::Status st = reader->Finish();
  CHECK(st.ok());
}
