// ReadStream and ReadAll through the real server: directions, paging, filters,
// page-size defaults and caps.
#include <catch2/catch.hpp>

#include <map>

#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

std::vector<v1::RecordedEvent> ReadStreamPaged(Client& c, const std::string& stream, uint32_t page,
                                               bool backwards, bool from_end, uint64_t from,
                                               int* pages) {
  std::vector<v1::RecordedEvent> out;
  v1::ReadStreamRequest req;
  req.set_stream(stream);
  req.set_max_count(page);
  req.set_backwards(backwards);
  req.set_from_end(from_end);
  req.set_from_revision(from);
  *pages = 0;
  while (true) {
    v1::ReadStreamResponse resp;
    grpc::Status st = c.es->ReadStream(Ctx().get(), req, &resp);
    REQUIRE(st.ok());
    ++*pages;
    REQUIRE(static_cast<uint32_t>(resp.events_size()) <= page);
    for (auto& e : *resp.mutable_events()) out.push_back(e);
    if (resp.end_of_stream()) return out;
    REQUIRE(resp.events_size() > 0);
    req.set_from_end(false);
    req.set_from_revision(resp.next_revision());
    REQUIRE(*pages < 1000);
  }
}

}  // namespace

TEST_CASE("ReadStream pages forwards and backwards", "[integration][read]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  // 25 events in "case-a", interleaved with events of "case-b" and "case-ab".
  for (int i = 0; i < 5; ++i) {
    std::vector<v1::EventData> batch;
    for (int k = 0; k < 5; ++k) batch.push_back(MakeEvent("e", std::to_string(i * 5 + k)));
    REQUIRE(Append(c, MakeAppend("case-a", batch)).ok());
    REQUIRE(Append(c, MakeAppend("case-b", {MakeEvent()})).ok());
    REQUIRE(Append(c, MakeAppend("case-ab", {MakeEvent()})).ok());
  }

  int pages = 0;
  auto fwd = ReadStreamPaged(c, "case-a", 10, false, false, 0, &pages);
  REQUIRE(fwd.size() == 25);
  CHECK(pages == 3);
  uint64_t last_pos = 0;
  for (size_t i = 0; i < fwd.size(); ++i) {
    CHECK(fwd[i].stream() == "case-a");
    CHECK(fwd[i].revision() == i);
    CHECK(fwd[i].payload() == std::to_string(i));
    if (i > 0) CHECK(fwd[i].position() > last_pos);
    last_pos = fwd[i].position();
  }

  auto back = ReadStreamPaged(c, "case-a", 10, true, true, 0, &pages);
  REQUIRE(back.size() == 25);
  CHECK(pages == 3);
  for (size_t i = 0; i < back.size(); ++i) CHECK(back[i].revision() == 24 - i);

  auto back_from_7 = ReadStreamPaged(c, "case-a", 3, true, false, 7, &pages);
  REQUIRE(back_from_7.size() == 8);
  CHECK(back_from_7.front().revision() == 7);
  CHECK(back_from_7.back().revision() == 0);

  auto fwd_from_20 = ReadStreamPaged(c, "case-a", 100, false, false, 20, &pages);
  REQUIRE(fwd_from_20.size() == 5);
  CHECK(fwd_from_20.front().revision() == 20);
  CHECK(pages == 1);

  // Reading past the end of an existing stream is an empty last page.
  v1::ReadStreamRequest past;
  past.set_stream("case-b");
  past.set_from_revision(5);
  v1::ReadStreamResponse resp;
  REQUIRE(c.es->ReadStream(Ctx().get(), past, &resp).ok());
  CHECK(resp.events_size() == 0);
  CHECK(resp.end_of_stream());

  v1::ReadStreamRequest missing;
  missing.set_stream("no-such-stream");
  grpc::Status st = c.es->ReadStream(Ctx().get(), missing, &resp);
  CHECK(st.error_code() == grpc::StatusCode::NOT_FOUND);

  v1::ReadStreamRequest bad;
  bad.set_stream("");
  CHECK(c.es->ReadStream(Ctx().get(), bad, &resp).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("ReadAll pages through the log with stream-prefix and type filters", "[integration][read]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  const std::vector<std::string> streams = {"order-1", "order-2", "person-1", "orderx", "order-3"};
  const std::vector<std::string> types = {"created", "changed", "closed"};
  for (int i = 0; i < 60; ++i) {
    REQUIRE(Append(c, MakeAppend(streams[i % streams.size()], {MakeEvent(types[i % types.size()])})).ok());
  }
  const auto all = ReadWholeLog(c, 7);
  REQUIRE(all.size() == 60);
  for (size_t i = 0; i < all.size(); ++i) CHECK(all[i].position() == i);

  struct Filter {
    std::string prefix;
    std::vector<std::string> types;
  };
  for (const Filter& f : {Filter{"order-", {}}, Filter{"", {"changed"}}, Filter{"order-", {"created", "closed"}},
                          Filter{"nobody", {}}, Filter{"", {}}}) {
    INFO("prefix '" << f.prefix << "', " << f.types.size() << " types");
    std::vector<uint64_t> want;
    for (const auto& e : all) {
      bool type_ok = f.types.empty() || std::find(f.types.begin(), f.types.end(), e.type()) != f.types.end();
      if (e.stream().rfind(f.prefix, 0) == 0 && type_ok) want.push_back(e.position());
    }
    std::vector<uint64_t> got;
    v1::ReadAllRequest req;
    req.set_max_count(4);
    req.set_stream_prefix(f.prefix);
    for (const auto& t : f.types) req.add_event_types(t);
    for (int pages = 0;; ++pages) {
      REQUIRE(pages < 100);
      v1::ReadAllResponse resp;
      REQUIRE(c.es->ReadAll(Ctx().get(), req, &resp).ok());
      CHECK(resp.events_size() <= 4);
      for (const auto& e : resp.events()) {
        if (IsOwnRecord(e)) continue;  // each page read is recorded, behind the 60 written
        REQUIRE(e.position() < all.size());
        got.push_back(e.position());
        CHECK(e.SerializeAsString() == all[e.position()].SerializeAsString());
      }
      CHECK(resp.next_position() >= req.from_position());
      if (resp.end_of_log()) {
        // The end of the log as it stood: the events written and the records of the reads so far.
        CHECK(resp.next_position() > 60);
        CHECK(resp.next_position() <= FreshSize(c));
        break;
      }
      req.set_from_position(resp.next_position());
    }
    CHECK(got == want);
  }

  // From the end: an empty page that says so (the record of this read
  // comes first, so a read filtered to the written streams finds nothing).
  v1::ReadAllRequest at_end;
  const uint64_t end = FreshSize(c);
  at_end.set_from_position(end);
  at_end.set_stream_prefix("order");
  v1::ReadAllResponse resp;
  REQUIRE(c.es->ReadAll(Ctx().get(), at_end, &resp).ok());
  CHECK(resp.events_size() == 0);
  CHECK(resp.end_of_log());
  CHECK(resp.next_position() == end + 1);
}

TEST_CASE("page size: 0 means 100, more than 1000 is capped at 1000", "[integration][read]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  std::vector<v1::EventData> events;
  for (int i = 0; i < 1100; ++i) events.push_back(MakeEvent("bulk", ""));
  REQUIRE(Append(c, MakeAppend("bulk", events)).ok());

  v1::ReadAllRequest req;
  v1::ReadAllResponse resp;
  REQUIRE(c.es->ReadAll(Ctx().get(), req, &resp).ok());
  CHECK(resp.events_size() == 100);
  CHECK(resp.next_position() == 100);
  CHECK_FALSE(resp.end_of_log());

  req.set_max_count(5000);
  resp.Clear();
  REQUIRE(c.es->ReadAll(Ctx().get(), req, &resp).ok());
  CHECK(resp.events_size() == 1000);
  CHECK_FALSE(resp.end_of_log());

  v1::ReadStreamRequest rs;
  rs.set_stream("bulk");
  v1::ReadStreamResponse page;
  REQUIRE(c.es->ReadStream(Ctx().get(), rs, &page).ok());
  CHECK(page.events_size() == 100);
  CHECK(page.next_revision() == 100);
  rs.set_max_count(100000);
  page.Clear();
  REQUIRE(c.es->ReadStream(Ctx().get(), rs, &page).ok());
  CHECK(page.events_size() == 1000);
  CHECK_FALSE(page.end_of_stream());
}

TEST_CASE("a page is cut short to fit the max message size, and continues where it stopped",
          "[integration][read]") {
  TempDir data;
  // Room for about 5 events of 20 kB per response (budget = max message - 64 KiB).
  ServerProcess server(data.str(), {"--max-payload-bytes", "20000", "--max-message-bytes", "170000"});
  Client c(server.address());
  for (int i = 0; i < 4; ++i) {
    std::vector<v1::EventData> batch;
    for (int k = 0; k < 5; ++k) batch.push_back(MakeEvent("big", std::string(20000, 'a' + k)));
    REQUIRE(Append(c, MakeAppend("big", batch)).ok());
  }
  v1::ReadAllRequest req;
  req.set_max_count(1000);
  v1::ReadAllResponse resp;
  REQUIRE(c.es->ReadAll(Ctx().get(), req, &resp).ok());
  CHECK(resp.events_size() >= 1);
  CHECK(resp.events_size() < 20);
  CHECK_FALSE(resp.end_of_log());
  CHECK(resp.next_position() == static_cast<uint64_t>(resp.events_size()));
  CHECK(ReadWholeLog(c, 1000).size() == 20);

  int pages = 0;
  auto fwd = ReadStreamPaged(c, "big", 1000, false, false, 0, &pages);
  CHECK(fwd.size() == 20);
  CHECK(pages > 1);
  auto back = ReadStreamPaged(c, "big", 1000, true, true, 0, &pages);
  REQUIRE(back.size() == 20);
  for (size_t i = 0; i < back.size(); ++i) CHECK(back[i].revision() == 19 - i);
}
