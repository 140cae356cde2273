// EventStore.AppendStream through the real server: pipelined appends, alone or
// several to a request, are each answered once by correlation and land in the
// order sent; a failed append is answered with Append's status and the stream
// goes on; malformed requests; identity and shutdown.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

using Stream = grpc::ClientReaderWriter<v1::AppendStreamRequest, v1::AppendStreamResponse>;

v1::StreamedAppend Correlated(uint64_t correlation, v1::AppendRequest append) {
  v1::StreamedAppend a;
  a.set_correlation(correlation);
  *a.mutable_append() = std::move(append);
  return a;
}

// A request carrying one append.
v1::AppendStreamRequest Numbered(uint64_t correlation, v1::AppendRequest append) {
  v1::AppendStreamRequest req;
  *req.add_appends() = Correlated(correlation, std::move(append));
  return req;
}

// Reads one response, which must carry exactly one answer, and returns it.
v1::StreamedAnswer ReadOne(Stream& stream) {
  v1::AppendStreamResponse response;
  REQUIRE(stream.Read(&response));
  REQUIRE(response.answers_size() == 1);
  return response.answers(0);
}

struct Drained {
  std::map<uint64_t, v1::StreamedAnswer> answers;  // by correlation
  size_t responses = 0;
  grpc::Status status;  // how the stream ended
};

// Half-closes the stream (the server may have stopped reading already),
// collects every answer until the stream ends, and finishes it; fails the
// test on a correlation answered twice or a response without answers.
Drained DrainToEnd(Stream& stream) {
  stream.WritesDone();
  Drained d;
  v1::AppendStreamResponse response;
  while (stream.Read(&response)) {
    ++d.responses;
    REQUIRE(response.answers_size() > 0);
    for (const auto& answer : response.answers()) {
      INFO("correlation " << answer.correlation());
      REQUIRE(d.answers.count(answer.correlation()) == 0);
      d.answers[answer.correlation()] = answer;
    }
  }
  d.status = stream.Finish();
  return d;
}

// DrainToEnd for a stream that must end OK.
std::map<uint64_t, v1::StreamedAnswer> DrainAnswers(Stream& stream) {
  Drained d = DrainToEnd(stream);
  INFO(d.status.error_message());
  REQUIRE(d.status.ok());
  return std::move(d.answers);
}

}  // namespace

TEST_CASE("pipelined appends on one stream are each answered once and land in the order sent",
          "[integration][append][stream]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx("hsa-stream");
  auto stream = c.es->AppendStream(ctx.get());
  // 300 appends without waiting (more than the server's 256 in flight, so it
  // must pause reading and resume), alternating between two case streams with
  // exact expected revisions: any reordering would be an ABORTED answer.
  constexpr uint64_t kAppends = 300;
  std::vector<std::string> ids;
  for (uint64_t i = 0; i < kAppends; ++i) {
    const std::string name = i % 2 == 0 ? "case-even" : "case-odd";
    const uint64_t revision = i / 2;
    v1::EventData event = MakeEvent("test.numbered", "{\"i\":" + std::to_string(i) + "}");
    ids.push_back(event.id());
    REQUIRE(stream->Write(Numbered(
        1000 + i, MakeAppend(name, {event}, revision == 0 ? ExpectNoStream() : ExpectExact(revision - 1)))));
  }
  auto answers = DrainAnswers(*stream);
  REQUIRE(answers.size() == kAppends);
  for (uint64_t i = 0; i < kAppends; ++i) {
    INFO("append " << i);
    const auto& a = answers.at(1000 + i);
    REQUIRE(a.has_appended());
    CHECK(a.appended().first_revision() == i / 2);
    CHECK_FALSE(a.appended().duplicate());
  }

  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == kAppends);
  std::map<std::string, uint64_t> next_revision;
  for (const auto& e : log) {
    CHECK(e.metadata().actor() == "hsa-stream");
    CHECK(e.revision() == next_revision[e.stream()]++);
  }
  // Within each case stream, the events are in the order they were sent.
  for (uint64_t i = 0; i < kAppends; ++i) {
    const auto& a = answers.at(1000 + i);
    CHECK(log[a.appended().first_position()].id() == ids[i]);
  }
}

TEST_CASE("a failed append on a stream is answered with its status, written nowhere, and the stream goes on",
          "[integration][append][stream]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx();
  auto stream = c.es->AppendStream(ctx.get());
  const v1::EventData first = MakeEvent();
  REQUIRE(stream->Write(Numbered(1, MakeAppend("case-1", {first}, ExpectNoStream()))));
  REQUIRE(stream->Write(Numbered(2, MakeAppend("", {MakeEvent()}))));                      // no stream name
  REQUIRE(stream->Write(Numbered(3, MakeAppend("case-1", {MakeEvent()}, ExpectExact(7)))));  // wrong revision
  v1::AppendStreamRequest empty;
  empty.add_appends()->set_correlation(4);  // no append at all
  REQUIRE(stream->Write(empty));
  REQUIRE(stream->Write(Numbered(5, MakeAppend("case-2", {}))));  // no events
  v1::EventData reused = MakeEvent("test.other", "{\"other\":true}");
  reused.set_id(first.id());  // an id already used for other content
  REQUIRE(stream->Write(Numbered(6, MakeAppend("case-3", {reused}))));
  const v1::EventData last = MakeEvent();
  REQUIRE(stream->Write(Numbered(7, MakeAppend("case-1", {last}, ExpectExact(0)))));

  auto answers = DrainAnswers(*stream);
  REQUIRE(answers.size() == 7);
  auto code = [&](uint64_t n) {
    const auto& a = answers.at(n);
    return a.has_error() ? a.error().code() : 0;
  };
  CHECK(answers.at(1).has_appended());
  CHECK(code(2) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(answers.at(2).error().message().find("stream") != std::string::npos);
  CHECK(code(3) == grpc::StatusCode::ABORTED);
  CHECK(code(4) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(answers.at(4).error().message().find("no `append`") != std::string::npos);
  CHECK(code(5) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(code(6) == grpc::StatusCode::ALREADY_EXISTS);
  REQUIRE(answers.at(7).has_appended());
  CHECK(answers.at(7).appended().first_revision() == 1);

  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == 2);
  CHECK(log[0].id() == first.id());
  CHECK(log[1].id() == last.id());
  CHECK(FreshSize(c) == 3);  // and the record of that read
}

TEST_CASE("several appends in one request are each answered once and land in the order sent",
          "[integration][append][stream]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx("hsa-stream");
  auto stream = c.es->AppendStream(ctx.get());
  // Three requests of 100, 1 and 155 appends, alternating between two case
  // streams with exact expected revisions: appends are taken in order within
  // a request and across requests, or an answer is ABORTED.
  std::vector<std::string> ids;
  uint64_t i = 0;
  for (int size : {100, 1, 155}) {
    v1::AppendStreamRequest request;
    for (int k = 0; k < size; ++k, ++i) {
      const uint64_t revision = i / 2;
      v1::EventData event = MakeEvent("test.numbered", "{\"i\":" + std::to_string(i) + "}");
      ids.push_back(event.id());
      *request.add_appends() = Correlated(
          7000 + i, MakeAppend(i % 2 == 0 ? "case-even" : "case-odd", {event},
                               revision == 0 ? ExpectNoStream() : ExpectExact(revision - 1)));
    }
    REQUIRE(stream->Write(request));
  }
  const Drained drained = DrainToEnd(*stream);
  REQUIRE(drained.status.ok());
  const auto& answers = drained.answers;
  const size_t responses = drained.responses;
  REQUIRE(answers.size() == i);
  // Answers that queue while a response is written travel together: with
  // 256 appends answered in at most a few group commits, far fewer responses.
  CHECK(responses < answers.size());
  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == i);
  for (uint64_t k = 0; k < i; ++k) {
    INFO("append " << k);
    const auto& a = answers.at(7000 + k);
    REQUIRE(a.has_appended());
    CHECK(a.appended().first_revision() == k / 2);
    CHECK(log[a.appended().first_position()].id() == ids[k]);
  }
}

TEST_CASE("a request with more appends than allowed ends the stream INVALID_ARGUMENT and writes none of them",
          "[integration][append][stream]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx();
  auto stream = c.es->AppendStream(ctx.get());
  const v1::EventData first = MakeEvent();
  REQUIRE(stream->Write(Numbered(1, MakeAppend("case-1", {first}))));
  v1::AppendStreamRequest too_many;
  for (uint64_t k = 0; k < 257; ++k) {
    *too_many.add_appends() = Correlated(100 + k, MakeAppend("case-2", {MakeEvent()}));
  }
  REQUIRE(stream->Write(too_many));
  stream->Write(Numbered(2, MakeAppend("case-3", {MakeEvent()})));  // may fail: reading stopped
  const Drained drained = DrainToEnd(*stream);
  const auto& answers = drained.answers;
  const grpc::Status& ended = drained.status;
  CHECK(ended.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ended.error_message().find("at most 256") != std::string::npos);
  REQUIRE(answers.size() == 1);  // the append before it, and nothing of or after it
  CHECK(answers.at(1).has_appended());
  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == 1);
  CHECK(log[0].id() == first.id());
}

TEST_CASE("a request without appends ends the stream INVALID_ARGUMENT once what it took is answered",
          "[integration][append][stream]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx();
  auto stream = c.es->AppendStream(ctx.get());
  const v1::EventData first = MakeEvent();
  REQUIRE(stream->Write(Numbered(1, MakeAppend("case-1", {first}))));
  REQUIRE(stream->Write(v1::AppendStreamRequest()));
  stream->Write(Numbered(2, MakeAppend("case-1", {MakeEvent()})));  // may fail: reading stopped
  const Drained drained = DrainToEnd(*stream);
  const auto& answers = drained.answers;
  const grpc::Status& ended = drained.status;
  CHECK(ended.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ended.error_message().find("at least one append") != std::string::npos);
  REQUIRE(answers.size() == 1);
  CHECK(answers.at(1).has_appended());
  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == 1);
  CHECK(log[0].id() == first.id());
}

TEST_CASE("an append stream without x-sparbar-actor ends UNAUTHENTICATED and writes nothing",
          "[integration][append][stream][identity]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());

  auto ctx = Ctx("");
  auto stream = c.es->AppendStream(ctx.get());
  stream->Write(Numbered(1, MakeAppend("case-1", {MakeEvent()})));  // may fail: the call is over
  stream->WritesDone();
  v1::AppendStreamResponse answer;
  CHECK_FALSE(stream->Read(&answer));
  CHECK(stream->Finish().error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(ReadWholeLog(c).empty());
}

TEST_CASE("shutting the server down ends an open append stream, and every answered append is kept",
          "[integration][append][stream][server]") {
  TempDir data;
  std::vector<std::string> appended_ids;
  {
    ServerProcess server(data.str());
    Client c(server.address());
    auto ctx = Ctx("hsa-stream", std::chrono::seconds(60));
    auto stream = c.es->AppendStream(ctx.get());
    for (uint64_t i = 0; i < 20; ++i) {
      v1::EventData e = MakeEvent();
      REQUIRE(stream->Write(Numbered(i, MakeAppend("case-" + std::to_string(i), {e}))));
      const v1::StreamedAnswer answer = ReadOne(*stream);
      REQUIRE(answer.correlation() == i);
      REQUIRE(answer.has_appended());
      appended_ids.push_back(e.id());
    }
    // The stream stays open and idle: shutdown must not wait for the client.
    const auto start = std::chrono::steady_clock::now();
    CHECK(server.Stop() == 0);
    INFO(server.Log());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    v1::AppendStreamResponse answer;
    CHECK_FALSE(stream->Read(&answer));
    grpc::Status ended = stream->Finish();
    INFO(ended.error_message());
    CHECK(ended.error_code() == grpc::StatusCode::UNAVAILABLE);
  }
  ServerProcess again(data.str());
  Client c(again.address());
  const auto log = ReadWholeLog(c);
  REQUIRE(log.size() == appended_ids.size());
  for (size_t i = 0; i < log.size(); ++i) CHECK(log[i].id() == appended_ids[i]);
}

TEST_CASE("a client that cancels its append stream mid-flight leaves no call behind to hold up shutdown",
          "[integration][append][stream][server]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  for (int round = 0; round < 5; ++round) {
    auto ctx = Ctx("hsa-stream");
    auto stream = c.es->AppendStream(ctx.get());
    for (uint64_t i = 0; i < 200; ++i) {
      if (!stream->Write(Numbered(i, MakeAppend("case-" + std::to_string(i % 7), {MakeEvent()})))) break;
    }
    ctx->TryCancel();
    v1::AppendStreamResponse answer;
    while (stream->Read(&answer)) {
    }
    CHECK(stream->Finish().error_code() == grpc::StatusCode::CANCELLED);
  }
  const auto start = std::chrono::steady_clock::now();
  CHECK(server.Stop() == 0);
  INFO(server.Log());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  CHECK(server.Log().find("still running") == std::string::npos);  // no call outlived the grace period

  // Whatever the cancelled streams got into the log is whole and readable.
  ServerProcess again(data.str());
  Client after(again.address());
  CHECK(ReadWholeLog(after).size() == FreshSize(after));
}
