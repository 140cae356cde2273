// AccessLog.Ingest through the real server: batches recorded atomically and
// durably with their positions, a re-sent batch written once, a bad batch
// ending the call with nothing of it written, and the limits.
#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include <fstream>

#include "integration/client_util.h"
#include "integration/sealed_util.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;
using google::protobuf::util::TimeUtil;

namespace {

namespace ac = sparbar::v1::access;

ac::AccessRecorded Access(const std::string& source_event_id, const std::string& system = "procapita") {
  ac::AccessRecorded e;
  e.set_user_hsa_id("SE2321000230-1A2B");
  e.set_role("sjukskoterska");
  e.set_unit("hemsjukvarden-ost");
  e.set_action(ac::ACTION_READ);
  e.mutable_subject()->set_personal_identity_number("19121212-1212");
  e.set_record_ref("journal/991");
  e.set_source_system(system);
  e.set_source_event_id(source_event_id);
  *e.mutable_accessed_at() = TimeUtil::SecondsToTimestamp(1741076100);  // 2025-03-04 09:15 in Sweden
  e.set_purpose(ac::PURPOSE_NORMAL_WORK);
  e.set_outcome(ac::OUTCOME_ALLOWED);
  return e;
}

ac::IngestBatch Batch(const std::string& id, int first, int count) {
  ac::IngestBatch b;
  b.set_batch_id(id);
  for (int i = first; i < first + count; ++i) *b.add_events() = Access("log-" + std::to_string(i));
  return b;
}

struct Ingested {
  grpc::Status status;
  ac::IngestResponse response;
};

Ingested Ingest(ac::AccessLog::Stub& stub, const std::vector<ac::IngestBatch>& batches,
                const std::string& actor = "procapita-export") {
  Ingested out;
  auto ctx = Ctx(actor);
  auto writer = stub.Ingest(ctx.get(), &out.response);
  for (const auto& b : batches) {
    if (!writer->Write(b)) break;  // the server ended the call
  }
  writer->WritesDone();
  out.status = writer->Finish();
  return out;
}

}  // namespace

TEST_CASE("AccessLog.Ingest records batches once, and a bad batch writes nothing of itself",
          "[integration][access]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string(), {"--access-max-batch", "100"});
  Client c(server.address());
  auto stub = ac::AccessLog::NewStub(c.channel);

  Ingested first = Ingest(*stub, {Batch("b1", 0, 3), Batch("b2", 3, 2)});
  INFO(first.status.error_message());
  REQUIRE(first.status.ok());
  REQUIRE(first.response.batches_size() == 2);
  CHECK(first.response.batches(0).batch_id() == "b1");
  CHECK(first.response.batches(0).recorded() == 3);
  CHECK(first.response.batches(0).first_position() == 0);
  CHECK(first.response.batches(0).last_position() == 2);
  CHECK(first.response.batches(1).first_position() == 3);
  CHECK(first.response.recorded() == 5);
  CHECK(WrittenSize(c) == 5);

  // Sent again, and a batch overlapping the first: only the new event is written.
  Ingested again = Ingest(*stub, {Batch("b1", 0, 3), Batch("b3", 4, 3)});
  REQUIRE(again.status.ok());
  CHECK(again.response.batches(0).recorded() == 0);
  CHECK(again.response.batches(0).duplicates() == 3);
  CHECK(again.response.batches(1).recorded() == 2);
  CHECK(again.response.batches(1).duplicates() == 1);
  CHECK(again.response.batches(1).first_position() == 6);  // after the record of the read above
  CHECK(WrittenSize(c) == 7);

  // A good batch, then one whose third event has no user: the call ends naming it.
  ac::IngestBatch bad = Batch("b5", 20, 3);
  bad.mutable_events(2)->clear_user_hsa_id();
  Ingested partly = Ingest(*stub, {Batch("b4", 10, 2), bad, Batch("b6", 30, 2)});
  CHECK(partly.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(partly.status.error_message() ==
        "batch 1 (b5), event 2: user_hsa_id is required; the batch before it is recorded, nothing of this one");
  CHECK(WrittenSize(c) == 9);

  // The same source event id with other content.
  ac::IngestBatch changed = Batch("b7", 0, 1);
  changed.mutable_events(0)->set_action(ac::ACTION_PRINT);
  Ingested conflict = Ingest(*stub, {changed});
  CHECK(conflict.status.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(conflict.status.error_message() ==
        "batch 0 (b7), event 0: its source_event_id was recorded with other content (position 0), nothing of this one");
  CHECK(WrittenSize(c) == 9);
  // Unless the batch skips such events: the changed one is listed and left
  // out, the one recorded before counted, the new one recorded.
  ac::IngestBatch skipping = Batch("b7", 0, 2);
  skipping.mutable_events(0)->set_action(ac::ACTION_PRINT);
  *skipping.add_events() = Access("log-60");
  skipping.set_skip_conflicting(true);
  Ingested skipped = Ingest(*stub, {skipping});
  REQUIRE(skipped.status.ok());
  REQUIRE(skipped.response.batches_size() == 1);
  CHECK(std::vector<uint32_t>(skipped.response.batches(0).conflicting().begin(),
                              skipped.response.batches(0).conflicting().end()) == std::vector<uint32_t>{0});
  CHECK(skipped.response.batches(0).duplicates() == 1);
  CHECK(skipped.response.batches(0).recorded() == 1);
  CHECK(skipped.response.batches(0).first_position() == 13);  // four reads above recorded
  CHECK(WrittenSize(c) == 10);

  // One source system per batch; an id once per batch; the size limit; an empty batch.
  ac::IngestBatch mixed = Batch("b8", 40, 2);
  *mixed.add_events() = Access("log-42", "treserva");
  CHECK(Ingest(*stub, {mixed}).status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Ingest(*stub, {[] {
          ac::IngestBatch b;
          *b.add_events() = Access("x", "sparbar");
          return b;
        }()})
            .status.error_message()
            .find("\"sparbar\" is reserved") != std::string::npos);
  ac::IngestBatch twice = Batch("b9", 50, 2);
  *twice.add_events() = Access("log-50");
  CHECK(Ingest(*stub, {twice}).status.error_message().find("event 2: its source_event_id appears earlier") !=
        std::string::npos);
  CHECK(Ingest(*stub, {Batch("big", 100, 101)}).status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(Ingest(*stub, {Batch("empty", 0, 0)}).status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Ingest(*stub, {Batch("x", 61, 1)}, "").status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(WrittenSize(c) == 10);

  // The events are on the source system's stream, recorded by the caller.
  v1::ReadStreamRequest read;
  read.set_stream("atkomst-procapita");
  read.set_max_count(100);
  v1::ReadStreamResponse events;
  REQUIRE(c.es->ReadStream(Ctx().get(), read, &events).ok());
  REQUIRE(events.events_size() == 10);
  CHECK(events.events(0).type() == "sparbar.v1.access.AccessRecorded");
  CHECK(events.events(0).metadata().actor() == "procapita-export");
  // The log holds the person sealed with their key; the modules read it opened.
  ac::AccessRecorded stored;
  REQUIRE(stored.ParseFromString(events.events(0).payload()));
  CHECK(stored.subject().personal_identity_number().empty());
  CHECK(stored.subject().sealed().size() > 12);
  CHECK(events.events(0).payload().find("191212121212") == std::string::npos);
  ac::AccessRecorded opened;
  REQUIRE(opened.ParseFromString(OpenPersonalData((dir.path() / "data").string(), events.events(0)).payload()));
  CHECK(opened.subject().personal_identity_number() == "191212121212");
  CHECK(opened.subject().sealed().empty());
}

TEST_CASE("sparbar import accesses takes in a CSV export, reports the bad lines by number, and runs again safely",
          "[integration][access]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  const std::string csv = (dir.path() / "export.csv").string();
  const std::string rejects = (dir.path() / "rejects.csv").string();
  {
    std::ofstream out(csv, std::ios::binary);
    // With the byte order mark a spreadsheet writes, and a blank line at the end.
    out << "\xEF\xBB\xBF" << "source_event_id,accessed_at,user_hsa_id,role,unit,action,personnummer,record_ref,purpose,"
           "emergency_reason,consent_ref,outcome\r\n"
        << "e1,2025-03-04T09:15:00+01:00,SE2321000230-1A2B,ssk,hemsjukvard,read,19121212-1212,journal/1,normal,,,allowed\r\n"
        << "e2,2025-03-04T09:16:00+01:00,SE2321000230-1A2B,ssk,hemsjukvard,print,19121212-1212,\"journal/1, bilaga\",normal,,,allowed\r\n"
        << "e3,2025-03-04T23:40:00+01:00,SE2321000230-9Z9Z,ssk,hemsjukvard,read,19121212-1212,journal/1,nodatkomst,"
           "\"Akut läge, \"\"medvetslös\"\"\",,allowed\r\n"
        << "e4,2025-03-05T08:00:00Z,SE2321000230-1A2B,ssk,hemsjukvard,read,19121212-1213,journal/2,normal,,,allowed\r\n"
        << "e5,2025-03-05T08:01:00Z,SE2321000230-1A2B,ssk,hemsjukvard,read\r\n"
        << "e6,yesterday,SE2321000230-1A2B,ssk,hemsjukvard,read,19121212-1212,journal/2,normal,,,allowed\r\n"
        << "e7,2025-03-05T08:02:00Z,SE2321000230-1A2B,ssk,hemsjukvard,delete,19121212-1212,journal/2,normal,,,allowed\r\n"
        << "e8,2025-03-05T08:03:00Z,SE2321000230-1A2B,ssk,hemsjukvard,update,19121212-1212,journal/2,normal,,,denied\n"
        << "\r\n";
  }
  const std::vector<std::string> args = {"--server",      server.address(), "import",     "accesses", "--csv", csv,
                                         "--source-system", "procapita",      "--batch-size", "2",      "--rejects",
                                         rejects};
  CliResult first = RunCli(args);
  INFO(first.err);
  CHECK(first.exit_code == 1);  // lines were rejected
  CHECK(first.err.find("8 lines: 4 recorded, 0 already recorded, 4 rejected") != std::string::npos);
  CHECK(first.err.find("line 5: subject.personal_identity_number") != std::string::npos);
  CHECK(first.err.find("line 6: 6 fields where the header has 12") != std::string::npos);
  CHECK(first.err.find("line 7: accessed_at must be a time") != std::string::npos);
  CHECK(first.err.find("line 8: action must be") != std::string::npos);
  const std::string listed = Slurp(rejects);
  CHECK(listed.find("line,reason\r\n5,") == 0);
  CHECK(listed.find("1213") == std::string::npos);  // the bad personnummer is not repeated
  CHECK(first.err.find("1213") == std::string::npos);

  Client c(server.address());
  CHECK(WrittenSize(c) == 4);
  v1::ReadStreamRequest read;
  read.set_stream("atkomst-procapita");
  v1::ReadStreamResponse events;
  REQUIRE(c.es->ReadStream(Ctx().get(), read, &events).ok());
  REQUIRE(events.events_size() == 4);
  ac::AccessRecorded e3;
  REQUIRE(e3.ParseFromString(events.events(2).payload()));
  CHECK(e3.emergency_reason() == "Akut läge, \"medvetslös\"");
  CHECK(e3.purpose() == ac::PURPOSE_NODATKOMST);
  ac::AccessRecorded e2;
  REQUIRE(e2.ParseFromString(events.events(1).payload()));
  CHECK(e2.record_ref() == "journal/1, bilaga");

  // Run again: nothing new is written.
  CliResult again = RunCli(args);
  CHECK(again.err.find("8 lines: 0 recorded, 4 already recorded, 4 rejected") != std::string::npos);
  CHECK(WrittenSize(c) == 4);

  // The export changed: line 3 (e2) now names another record, and a line was
  // added. The changed line is rejected by number, the rest taken in.
  {
    std::string text = Slurp(csv);
    const std::string from = "\"journal/1, bilaga\"";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), "journal/3");
    text += "e9,2025-03-05T08:04:00Z,SE2321000230-1A2B,ssk,hemsjukvard,read,19121212-1212,journal/2,normal,,,allowed\r\n";
    std::ofstream(csv, std::ios::binary | std::ios::trunc) << text;
  }
  CliResult changed = RunCli(args);
  INFO(changed.err);
  CHECK(changed.exit_code == 1);
  CHECK(changed.err.find("9 lines: 1 recorded, 3 already recorded, 5 rejected") != std::string::npos);
  CHECK(changed.err.find("line 3: source_event_id was recorded before with other content") != std::string::npos);
  CHECK(Slurp(rejects).find("\r\n3,source_event_id was recorded before with other content\r\n") != std::string::npos);
  CHECK(WrittenSize(c) == 5);

  CliResult missing = RunCli({"--server", server.address(), "import", "accesses", "--csv",
                              (dir.path() / "none.csv").string(), "--source-system", "procapita"});
  CHECK(missing.exit_code == 2);
}

TEST_CASE("AccessLog.ListAccesses lists a user's, a person's and a unit's accesses by period, in pages, and is "
          "itself logged",
          "[integration][access]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Client c(server.address());
  auto stub = ac::AccessLog::NewStub(c.channel);
  const int64_t t0 = 1741076100;  // 2025-03-04 09:15 in Sweden
  auto access = [&](const std::string& id, const std::string& user, const std::string& unit, const std::string& pnr,
                    int64_t at, ac::Action action) {
    ac::AccessRecorded e = Access(id);
    e.set_user_hsa_id(user);
    e.set_unit(unit);
    e.mutable_subject()->set_personal_identity_number(pnr);
    *e.mutable_accessed_at() = TimeUtil::SecondsToTimestamp(at);
    e.set_action(action);
    return e;
  };
  ac::IngestBatch batch;
  *batch.add_events() = access("a1", "SE-anna", "hemtjanst-norr", "19121212-1212", t0, ac::ACTION_READ);
  *batch.add_events() = access("a2", "SE-anna", "hemtjanst-norr", "19121212-1212", t0 + 60, ac::ACTION_READ);
  *batch.add_events() = access("a3", "SE-bo", "hemtjanst-syd", "19390312-5676", t0 + 120, ac::ACTION_READ);
  *batch.add_events() = access("a4", "SE-anna", "hemtjanst-syd", "19390312-5676", t0 + 180, ac::ACTION_UPDATE);
  REQUIRE(Ingest(*stub, {batch}).status.ok());
  const uint64_t ingested = FreshSize(c);  // no read since the ingest: the log holds just what was written

  auto list = [&](const std::function<void(ac::ListAccessesRequest&)>& fill, ac::ListAccessesResponse* out) {
    ac::ListAccessesRequest r;
    *r.mutable_from() = TimeUtil::SecondsToTimestamp(t0);
    *r.mutable_to() = TimeUtil::SecondsToTimestamp(t0 + 3600);
    fill(r);
    auto ctx = Ctx("granskare");
    ctx->AddMetadata("x-sparbar-roles", "loggranskare");
    return stub->ListAccesses(ctx.get(), r, out);
  };
  auto ids = [](const ac::ListAccessesResponse& r) {
    std::vector<std::string> out;
    for (const auto& a : r.accesses()) out.push_back(a.access().source_event_id());
    return out;
  };
  ac::ListAccessesResponse r;
  REQUIRE(list([](auto& q) { q.set_user_hsa_id("SE-anna"); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a1", "a2", "a4"});
  CHECK(r.next_page_token().empty());
  CHECK(r.as_of_position() == ingested);

  // In pages of two.
  REQUIRE(list([](auto& q) { q.set_user_hsa_id("SE-anna"); q.set_page_size(2); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a1", "a2"});
  const std::string token = r.next_page_token();
  REQUIRE_FALSE(token.empty());
  REQUIRE(list([&](auto& q) { q.set_user_hsa_id("SE-anna"); q.set_page_size(2); q.set_page_token(token); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a4"});
  CHECK(r.next_page_token().empty());

  // One person, in another form of the same personnummer; one unit; the period's ends; an action.
  REQUIRE(list([](auto& q) { q.set_personal_identity_number("191212121212"); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a1", "a2"});
  REQUIRE(list([](auto& q) { q.set_unit("hemtjanst-syd"); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a3", "a4"});
  REQUIRE(list([&](auto& q) {
            q.set_user_hsa_id("SE-anna");
            *q.mutable_from() = TimeUtil::SecondsToTimestamp(t0 + 60);
            *q.mutable_to() = TimeUtil::SecondsToTimestamp(t0 + 60);
          },
          &r)
              .ok());
  CHECK(ids(r) == std::vector<std::string>{"a2"});
  REQUIRE(list([](auto& q) { q.set_user_hsa_id("SE-anna"); q.add_actions(ac::ACTION_UPDATE); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"a4"});

  // Every query that returned someone's data is in the access log, under the one who asked.
  v1::ReadStreamRequest read;
  read.set_stream("atkomst-sparbar");
  read.set_max_count(100);
  v1::ReadStreamResponse own;
  REQUIRE(c.es->ReadStream(Ctx().get(), read, &own).ok());
  CHECK(own.events_size() == 8);  // 2 + 1 + 1 + 1 + 1 + 1 + 1 persons in the seven answers above
  ac::AccessRecorded logged;
  REQUIRE(logged.ParseFromString(own.events(0).payload()));
  CHECK(logged.user_hsa_id() == "granskare");
  CHECK(logged.record_ref() == "AccessLog.ListAccesses");
  // The index takes them too: the reviewer's reads are reviewable.
  REQUIRE(list([](auto& q) {
            q.set_user_hsa_id("granskare");
            // (whole seconds: the reviewer's reads were in this second or before)
            *q.mutable_to() = TimeUtil::SecondsToTimestamp(TimeUtil::GetCurrentTime().seconds() + 1);
          },
          &r)
              .ok());
  CHECK(r.accesses_size() == 8);

  // Bad input: a clear status, nothing written.
  const uint64_t before = WrittenSize(c);
  CHECK(list([](auto&) {}, &r).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(list([](auto& q) { q.set_personal_identity_number("19121212-1213"); }, &r).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status backwards = list([&](auto& q) {
    q.set_user_hsa_id("SE-anna");
    *q.mutable_to() = TimeUtil::SecondsToTimestamp(t0 - 1);
  }, &r);
  CHECK(backwards.error_message() == "to must not be before from");
  CHECK(list([](auto& q) { q.set_user_hsa_id("SE-anna"); q.set_page_token("zz"); }, &r).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  // A token holds its period: another period with it is refused.
  grpc::Status moved = list([&](auto& q) {
    q.set_user_hsa_id("SE-anna");
    q.set_page_token(token);
    *q.mutable_from() = TimeUtil::SecondsToTimestamp(t0 - 3600);
  }, &r);
  CHECK(moved.error_message() == "page_token belongs to another query");
  {
    ac::ListAccessesRequest q;
    q.set_user_hsa_id("SE-anna");
    *q.mutable_from() = TimeUtil::SecondsToTimestamp(t0);
    *q.mutable_to() = TimeUtil::SecondsToTimestamp(t0 + 3600);
    CHECK(stub->ListAccesses(Ctx("granskare").get(), q, &r).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  CHECK(WrittenSize(c) == before);

  // An access event that does not parse, appended raw to an atkomst- stream,
  // is refused: the log takes no personal data it cannot seal. The index goes on.
  const grpc::Status raw =
      Append(c, MakeAppend("atkomst-raw", {MakeEvent("sparbar.v1.access.AccessRecorded", "\xff\xff not protobuf")},
                           ExpectAny()));
  CHECK(raw.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(raw.error_message(), Catch::Contains("does not parse"));
  REQUIRE(Ingest(*stub, {Batch("after-raw", 90, 1)}).status.ok());
  REQUIRE(list([](auto& q) { q.set_unit("hemsjukvarden-ost"); }, &r).ok());
  CHECK(ids(r) == std::vector<std::string>{"log-90"});
}
