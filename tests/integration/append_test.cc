// Append through the real server: read-back, expected revisions, idempotency,
// identity, and bad input (a clear status, nothing written).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

// The events clients wrote (the server's own records of reads left out),
// after checking the whole log read back is gap-free and as long as the
// checkpoint signed right after says (which may count one more: the read's
// own record, when it came after the last page).
uint64_t LogSize(Client& c) {
  const auto all = ReadWholeLog(c, 0, /*own_records=*/true);
  for (size_t i = 0; i < all.size(); ++i) REQUIRE(all[i].position() == i);
  const uint64_t by_checkpoint = FreshSize(c);
  REQUIRE(by_checkpoint >= all.size());
  REQUIRE(by_checkpoint <= all.size() + 1);
  return static_cast<uint64_t>(std::count_if(all.begin(), all.end(), [](const auto& e) { return !IsOwnRecord(e); }));
}

}  // namespace

TEST_CASE("append then read back by stream and from the whole log", "[integration][append]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  std::vector<v1::EventData> events = {MakeEvent("beslut.fattat", "{\"a\":1}"),
                                       MakeEvent("beslut.andrat", std::string("\0\x01\xff", 3)),
                                       MakeEvent("beslut.upphavt", "")};
  events[0].set_correlation_id("corr-1");
  events[0].set_causation_id("cause-1");
  events[1].set_content_type("application/octet-stream");
  events[1].mutable_occurred_at()->set_seconds(1700000000);
  events[1].mutable_occurred_at()->set_nanos(123456000);
  events[2].mutable_occurred_at()->set_seconds(-1);  // 1969-12-31T23:59:59.5Z
  events[2].mutable_occurred_at()->set_nanos(500000000);
  const auto sent = events;

  v1::AppendResponse resp;
  grpc::Status st = Append(c, MakeAppend("case-1", events), &resp, "hsa-alice");
  REQUIRE(st.ok());
  CHECK(resp.first_position() == 0);
  CHECK(resp.last_position() == 2);
  CHECK(resp.first_revision() == 0);
  CHECK(resp.last_revision() == 2);
  CHECK_FALSE(resp.duplicate());
  CHECK(resp.log_size() == 3);

  v1::ReadStreamRequest rs;
  rs.set_stream("case-1");
  v1::ReadStreamResponse page;
  REQUIRE(c.es->ReadStream(Ctx().get(), rs, &page).ok());
  REQUIRE(page.events_size() == 3);
  CHECK(page.end_of_stream());
  for (int i = 0; i < 3; ++i) {
    const auto& e = page.events(i);
    INFO("event " << i);
    CHECK(e.id() == sent[i].id());
    CHECK(e.stream() == "case-1");
    CHECK(e.revision() == static_cast<uint64_t>(i));
    CHECK(e.position() == static_cast<uint64_t>(i));
    CHECK(e.type() == sent[i].type());
    CHECK(e.content_type() == sent[i].content_type());
    CHECK(e.payload() == sent[i].payload());
    CHECK(e.metadata().actor() == "hsa-alice");
    CHECK(e.recorded_at().seconds() > 1600000000);
    if (i > 0) CHECK(Micros(e.recorded_at()) >= Micros(page.events(i - 1).recorded_at()));
  }
  CHECK(page.events(0).metadata().correlation_id() == "corr-1");
  CHECK(page.events(0).metadata().causation_id() == "cause-1");
  CHECK(page.events(1).occurred_at().seconds() == 1700000000);
  CHECK(page.events(1).occurred_at().nanos() == 123456000);
  CHECK(page.events(2).occurred_at().seconds() == -1);
  CHECK(page.events(2).occurred_at().nanos() == 500000000);
  // Unset occurred_at defaults to recorded_at.
  CHECK(Micros(page.events(0).occurred_at()) == Micros(page.events(0).recorded_at()));

  auto all = ReadWholeLog(c);
  REQUIRE(all.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(all[i].SerializeAsString() == page.events(i).SerializeAsString());
}

TEST_CASE("every expected-revision mode, and a mismatch is ABORTED and writes nothing",
          "[integration][append]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto expect_aborted = [&](const std::string& stream, v1::ExpectedRevision expected) {
    const uint64_t before = LogSize(c);
    grpc::Status st = Append(c, MakeAppend(stream, {MakeEvent()}, expected));
    CHECK(st.error_code() == grpc::StatusCode::ABORTED);
    CHECK_FALSE(st.error_message().empty());
    CHECK(LogSize(c) == before);
  };

  v1::AppendResponse r;
  // no_stream on a new stream goes through; a second time it does not.
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()}, ExpectNoStream()), &r).ok());
  CHECK(r.first_revision() == 0);
  expect_aborted("s", ExpectNoStream());
  // stream_exists: not for a stream that does not exist.
  expect_aborted("missing", ExpectStreamExists());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent(), MakeEvent()}, ExpectStreamExists()), &r).ok());
  CHECK(r.first_revision() == 1);
  CHECK(r.last_revision() == 2);
  // exact: the revision of the stream's last event.
  expect_aborted("s", ExpectExact(1));
  expect_aborted("s", ExpectExact(3));
  expect_aborted("missing", ExpectExact(0));
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()}, ExpectExact(2)), &r).ok());
  CHECK(r.first_revision() == 3);
  // any, explicit and unset.
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()}, ExpectAny()), &r).ok());
  CHECK(r.first_revision() == 4);
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()}), &r).ok());
  CHECK(r.first_revision() == 5);
  REQUIRE(Append(c, MakeAppend("other", {MakeEvent()}), &r).ok());
  CHECK(r.first_revision() == 0);
  CHECK(r.first_position() + 1 == FreshSize(c));  // the newest event of the log
  CHECK(LogSize(c) == 7);
}

TEST_CASE("a retried append is idempotent, and an id reused for other content is ALREADY_EXISTS",
          "[integration][append]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  REQUIRE(Append(c, MakeAppend("warmup", {MakeEvent()})).ok());
  auto req = MakeAppend("case-9", {MakeEvent("a"), MakeEvent("b")}, ExpectNoStream());
  v1::AppendResponse first, again;
  REQUIRE(Append(c, req, &first).ok());
  CHECK_FALSE(first.duplicate());
  REQUIRE(Append(c, req, &again).ok());  // even with no_stream, a retry is recognised
  CHECK(again.duplicate());
  CHECK(again.first_position() == first.first_position());
  CHECK(again.last_position() == first.last_position());
  CHECK(again.first_revision() == first.first_revision());
  CHECK(again.last_revision() == first.last_revision());
  CHECK(LogSize(c) == 3);

  auto reused = req;
  reused.mutable_events(1)->set_payload("{\"different\":true}");
  grpc::Status st = Append(c, reused);
  CHECK(st.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK_FALSE(st.error_message().empty());

  auto elsewhere = MakeAppend("another-stream", {req.events(0)});
  CHECK(Append(c, elsewhere).error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(LogSize(c) == 3);
}

TEST_CASE("a call without x-sparbar-actor is UNAUTHENTICATED and writes nothing",
          "[integration][append][identity]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()})).ok());

  v1::AppendResponse resp;
  grpc::Status st = c.es->Append(Ctx("").get(), MakeAppend("s", {MakeEvent()}), &resp);
  CHECK(st.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(st.error_message(), Catch::Contains("x-sparbar-actor"));

  // Metadata present but empty is no better.
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-sparbar-actor", "");
    CHECK(c.es->Append(&ctx, MakeAppend("s", {MakeEvent()}), &resp).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  // Reads need an identity too.
  {
    v1::ReadAllResponse r;
    CHECK(c.es->ReadAll(Ctx("").get(), v1::ReadAllRequest(), &r).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
    v1::ReadStreamRequest rs;
    rs.set_stream("s");
    v1::ReadStreamResponse rr;
    CHECK(c.es->ReadStream(Ctx("").get(), rs, &rr).error_code() == grpc::StatusCode::UNAUTHENTICATED);
    v1::SubscribeRequest sr;
    sr.mutable_all();
    auto ctx = Ctx("");
    auto reader = c.es->Subscribe(ctx.get(), sr);
    v1::SubscribeResponse msg;
    CHECK_FALSE(reader->Read(&msg));
    CHECK(reader->Finish().error_code() == grpc::StatusCode::UNAUTHENTICATED);
  }
  CHECK(LogSize(c) == 1);
}

TEST_CASE("every appended event records the actor named by the caller", "[integration][identity]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent(), MakeEvent()}), nullptr, "SE2321000016-ALICE").ok());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()}), nullptr, "SE2321000016-BOB").ok());
  REQUIRE(Append(c, MakeAppend("t", {MakeEvent()}), nullptr, "system:intake").ok());
  auto all = ReadWholeLog(c);
  REQUIRE(all.size() == 4);
  CHECK(all[0].metadata().actor() == "SE2321000016-ALICE");
  CHECK(all[1].metadata().actor() == "SE2321000016-ALICE");
  CHECK(all[2].metadata().actor() == "SE2321000016-BOB");
  CHECK(all[3].metadata().actor() == "system:intake");
}

TEST_CASE("bad input gets a status naming the problem and writes nothing", "[integration][append]") {
  TempDir data;
  ServerProcess server(data.str(), {"--max-payload-bytes", "1024"});
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()})).ok());

  struct Case {
    const char* name;
    v1::AppendRequest request;
    grpc::StatusCode code;
    std::string mentions;
  };
  auto bad_id = MakeEvent();
  bad_id.set_id("not-a-uuid");
  auto bad_hex = MakeEvent();
  bad_hex.set_id("01234567-89ab-cdef-0123-4567zzzzzzzz");
  auto no_id = MakeEvent();
  no_id.set_id("");
  auto no_type = MakeEvent("");
  auto big = MakeEvent("big", std::string(1025, 'x'));
  auto far_future = MakeEvent();
  far_future.mutable_occurred_at()->set_seconds(253402300800LL);  // 10000-01-01
  auto bad_nanos = MakeEvent();
  bad_nanos.mutable_occurred_at()->set_nanos(-1);
  auto ctl_type = MakeEvent(std::string("a\tb"));
  auto dup = MakeEvent();

  std::vector<Case> cases = {
      {"empty stream name", MakeAppend("", {MakeEvent()}), grpc::StatusCode::INVALID_ARGUMENT, "stream name"},
      {"300-byte stream name", MakeAppend(std::string(300, 's'), {MakeEvent()}),
       grpc::StatusCode::INVALID_ARGUMENT, "stream name"},
      {"newline in stream name", MakeAppend("a\nb", {MakeEvent()}), grpc::StatusCode::INVALID_ARGUMENT,
       "stream name"},
      {"no events", MakeAppend("s", {}), grpc::StatusCode::INVALID_ARGUMENT, "no events"},
      {"bad uuid", MakeAppend("s", {MakeEvent(), bad_id}), grpc::StatusCode::INVALID_ARGUMENT,
       "events[1].id"},
      {"uuid with non-hex", MakeAppend("s", {bad_hex}), grpc::StatusCode::INVALID_ARGUMENT, "events[0].id"},
      {"no id", MakeAppend("s", {no_id}), grpc::StatusCode::INVALID_ARGUMENT, "events[0].id"},
      {"no type", MakeAppend("s", {no_type}), grpc::StatusCode::INVALID_ARGUMENT, "type"},
      {"control character in type", MakeAppend("s", {ctl_type}), grpc::StatusCode::INVALID_ARGUMENT,
       "type"},
      {"payload over --max-payload-bytes", MakeAppend("s", {MakeEvent(), big}),
       grpc::StatusCode::RESOURCE_EXHAUSTED, "payload"},
      {"occurred_at beyond year 9999", MakeAppend("s", {far_future}), grpc::StatusCode::INVALID_ARGUMENT,
       "events[0].occurred_at"},
      {"negative nanos", MakeAppend("s", {bad_nanos}), grpc::StatusCode::INVALID_ARGUMENT,
       "events[0].occurred_at"},
      {"one id twice in an append", MakeAppend("s", {dup, dup}), grpc::StatusCode::INVALID_ARGUMENT,
       "twice"},
  };
  for (const auto& k : cases) {
    INFO("case: " << k.name);
    grpc::Status st = Append(c, k.request);
    CHECK(st.error_code() == k.code);
    CHECK_THAT(st.error_message(), Catch::Contains(k.mentions));
  }
  CHECK(LogSize(c) == 1);
  // The payload limit is inclusive.
  CHECK(Append(c, MakeAppend("s", {MakeEvent("ok", std::string(1024, 'x'))})).ok());
  CHECK(LogSize(c) == 2);
}

TEST_CASE("a request larger than the server's max message size is RESOURCE_EXHAUSTED",
          "[integration][append]") {
  TempDir data;
  ServerProcess server(data.str(), {"--max-payload-bytes", "1024", "--max-message-bytes", "100000"});
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("s", {MakeEvent()})).ok());

  std::vector<v1::EventData> many;
  for (int i = 0; i < 150; ++i) many.push_back(MakeEvent("bulk", std::string(1000, 'p')));
  grpc::Status st = Append(c, MakeAppend("s", many));
  CHECK(st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  INFO(st.error_message());
  CHECK(ReadWholeLog(c).size() == 1);
  CHECK(FreshSize(c) == 2);  // and the record of that read
}

TEST_CASE("the server refuses a max message size too small for the payload limit",
          "[integration][server]") {
  TempDir data;
  std::string log;
  int code = RunServerToExit({"--dev", "--listen", "127.0.0.1:0", "--data", data.str(),
                              "--max-payload-bytes", "1048576", "--max-message-bytes", "1048576"},
                             &log);
  CHECK(code != 0);
  CHECK_THAT(log, Catch::Contains("max message size"));
}
