#include "access_load.h"

#include "report_format.h"

#include <grpcpp/grpcpp.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "access_batches.h"
#include "access_ingest.h"
#include "decision_cases.h"
#include "server_launcher.h"
#include "services/common/personal_identity.h"
#include "services/decisions/payload.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"

namespace sparbar::bench {
namespace {

namespace ac = sparbar::v1::access;
using Clock = std::chrono::steady_clock;
using google::protobuf::util::TimeUtil;

// `count` decisions cases, each a stream of its own appended whole, for the
// given people at the benchmark's 40 units; four clients.
void RecordDecisionCases(const std::string& address, int count, const std::vector<std::string>& people) {
  const auto t0 = Clock::now();
  const decisions::DecideContext context{CivilDate{2025, 12, 31}, &BenchCatalogue()};
  std::atomic<uint64_t> events{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(100 + static_cast<uint64_t>(t));
      auto stub = v1::EventStore::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
      for (int i = t; i < count && !failed; i += 4) {
        v1::AppendRequest req;
        req.set_stream(std::string(decisions::kStreamPrefix) + "bench-" + std::to_string(i));
        req.mutable_expected()->mutable_no_stream();
        for (const auto& p : CaseEvents(rng, context, people[rng() % people.size()], "enhet-" + std::to_string(rng() % 40))) {
          v1::EventData* e = req.add_events();
          e->set_id(Uuid::Random().ToString());
          e->set_type(decisions::TypeOf(p));
          e->set_content_type(std::string(decisions::kContentType));
          e->set_payload(decisions::Serialize(p));
        }
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-sparbar-actor", "bench");
        v1::AppendResponse resp;
        if (grpc::Status st = stub->Append(&ctx, req, &resp); !st.ok()) {
          std::cerr << "  decisions case " << i << ": " << st.error_message() << "\n";
          failed = true;
        }
        events += static_cast<uint64_t>(req.events_size());
      }
    });
  }
  for (auto& th : threads) th.join();
  if (failed) throw std::runtime_error("recording the decisions cases failed");
  std::cerr << "  recorded " << count << " decisions cases (" << events.load() << " events) in "
            << std::chrono::duration<double>(Clock::now() - t0).count() << " s\n";
}

}  // namespace

std::string MeasureAccessIngest(const AccessLoadOptions& o) {
  // Twenty batches per client, sent over and over with new source event ids.
  constexpr int kTemplates = 20;
  std::vector<std::vector<ac::IngestBatch>> work(static_cast<size_t>(o.clients));
  std::mt19937_64 rng(5);
  std::vector<std::string> people(static_cast<size_t>(o.people)), users(static_cast<size_t>(o.users));
  for (auto& p : people) p = Personnummer(rng);
  for (size_t i = 0; i < users.size(); ++i) users[i] = BenchUserHsaId(i);
  for (int c = 0; c < o.clients; ++c) {
    work[static_cast<size_t>(c)] = Batches(c, kTemplates, o.batch_events, people, users, rng);
  }
  std::vector<double> user_ms, subject_ms;  // one full quarter's listing each
  std::vector<double> user_first_ms;        // its first page of 1,000
  std::vector<double> extract_ms;           // one person's log extract (LogExtract, HTML)
  std::vector<double> draw_ms, evaluate_ms;  // loggkontroll
  uint64_t reviewed = 0, flagged = 0, population = 0;
  double catch_up_ms = 0;
  const std::string data = o.dir + "/data";
  uint64_t recorded = 0;
  double elapsed = 0;
  {
    ServerLauncher server(o.server_binary, data, {"--access-max-batch", std::to_string(o.batch_events)});
    if (o.decision_cases > 0) RecordDecisionCases(server.address(), o.decision_cases, people);
    const IngestResult ingest = IngestAccessEvents(server.address(), work, o.seconds, 0);
    recorded = ingest.recorded;
    elapsed = ingest.elapsed_seconds;

    // Queries: one user's and one person's accesses over the quarter the
    // events span, every page of 1,000, each answer logged as it is served.
    auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
    auto stub = ac::AccessLog::NewStub(channel);
    double first_page_ms = 0;
    int listing_deadline_s = 1800;  // the first waits for the index to catch up
    auto listing = [&](const std::function<void(ac::ListAccessesRequest&)>& who) {
      return ListAccessesPages(*stub, who, kQuarterStart, kQuarterEnd, listing_deadline_s,
                               &first_page_ms);
    };
    // The first query waits for the index to take in the whole intake.
    catch_up_ms = listing([&](auto& r) { r.set_user_hsa_id(users[0]); });
    listing_deadline_s = 30;
    for (int i = 0; i < 100; ++i) {
      const std::string& user = users[rng() % users.size()];
      const std::string& person = people[rng() % people.size()];
      user_ms.push_back(listing([&](auto& r) { r.set_user_hsa_id(user); }));
      user_first_ms.push_back(first_page_ms);
      subject_ms.push_back(listing([&](auto& r) { r.set_personal_identity_number(person); }));
      ac::LogExtractRequest extract;
      extract.set_personal_identity_number(people[rng() % people.size()]);
      *extract.mutable_from() = TimeUtil::SecondsToTimestamp(kQuarterStart);
      *extract.mutable_to() = TimeUtil::SecondsToTimestamp(kQuarterEnd);
      grpc::ClientContext ctx;
      AsReviewer(ctx);
      ac::LogExtractResponse resp;
      const auto e0 = Clock::now();
      if (grpc::Status st = stub->LogExtract(&ctx, extract, &resp); !st.ok()) {
        throw std::runtime_error("LogExtract: " + st.error_message());
      }
      extract_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - e0).count());
    }

    // Loggkontroll: a quarterly random review of the quarter the events
    // span, its sample drawn, then every rule evaluated over the sample's
    // accesses (GetReview, which also records its reads of every person).
    grpc::ChannelArguments large;
    large.SetMaxReceiveMessageSize(256 << 20);
    auto review = v1::logreview::LogReview::NewStub(
        grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), large));
    auto reviewer = [](grpc::ClientContext& ctx) { AsReviewer(ctx); };
    for (int i = 0; i < 5; ++i) {
      v1::logreview::OpenReviewRequest open;
      open.set_review_id("bench-" + std::to_string(i));
      open.set_from_date("2025-01-01");
      open.set_to_date("2025-03-31");
      open.set_kind(v1::logreview::REVIEW_KIND_QUARTERLY_RANDOM);
      grpc::ClientContext c1;
      reviewer(c1);
      v1::logreview::OpenReviewResponse opened;
      if (!review->OpenReview(&c1, open, &opened).ok()) throw std::runtime_error("OpenReview failed");
      const auto r0 = Clock::now();
      v1::logreview::DrawSampleRequest draw;
      draw.set_review_id(open.review_id());
      draw.set_sample_size(o.review_sample);
      grpc::ClientContext c2;
      reviewer(c2);
      c2.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
      v1::logreview::DrawSampleResponse drawn;
      if (grpc::Status st = review->DrawSample(&c2, draw, &drawn); !st.ok()) {
        throw std::runtime_error("DrawSample: " + st.error_message());
      }
      const auto r1 = Clock::now();
      v1::logreview::ReviewRequest get;
      get.set_review_id(open.review_id());
      grpc::ClientContext c3;
      reviewer(c3);
      c3.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
      v1::logreview::ReviewView view;
      if (grpc::Status st = review->GetReview(&c3, get, &view); !st.ok()) {
        throw std::runtime_error("GetReview: " + st.error_message());
      }
      const auto r2 = Clock::now();
      draw_ms.push_back(std::chrono::duration<double, std::milli>(r1 - r0).count());
      evaluate_ms.push_back(std::chrono::duration<double, std::milli>(r2 - r1).count());
      reviewed = view.reviewed();
      flagged = view.flagged();
      population = drawn.sample().population();
    }
  }  // the server stops: its memtables are flushed
  const uint64_t bytes = DirBytes(data);
  std::ostringstream out;
  char line[1024];
  std::snprintf(line, sizeof line,
                "| clients | events per batch | events recorded | seconds | events/s | data directory | bytes per event "
                "|\n|---:|---:|---:|---:|---:|---:|---:|\n| %d | %d | %llu | %.1f | %.0f | %.1f MB | %.0f |\n",
                o.clients, o.batch_events, static_cast<unsigned long long>(recorded), elapsed,
                static_cast<double>(recorded) / elapsed, static_cast<double>(bytes) / 1e6,
                static_cast<double>(bytes) / static_cast<double>(std::max<uint64_t>(1, recorded)));
  out << line;
  std::cerr << line;
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
  };
  std::snprintf(line, sizeof line,
                "\n| query (%llu events in the log) | listings | p50 | p99 |\n|---|---:|---:|---:|\n"
                "| one user's accesses over the quarter (%zu users), every page | %zu | %.1f ms | %.1f ms |\n"
                "| one person's accesses over the quarter (%zu people), every page | %zu | %.1f ms | %.1f ms |\n"
                "| its first page of up to 1,000 of a user's accesses | %zu | %.1f ms | %.1f ms |\n"
                "| one person's log extract over the quarter (LogExtract, HTML) | %zu | %.1f ms | %.1f ms |\n"
                "\nThe first query, which waited for the access index to take in the whole intake: %.0f ms.\n",
                static_cast<unsigned long long>(recorded), users.size(), user_ms.size(), pct(user_ms, 0.5),
                pct(user_ms, 0.99), people.size(), subject_ms.size(), pct(subject_ms, 0.5), pct(subject_ms, 0.99), user_first_ms.size(),
                pct(user_first_ms, 0.5), pct(user_first_ms, 0.99), extract_ms.size(), pct(extract_ms, 0.5),
                pct(extract_ms, 0.99), catch_up_ms);
  out << line;
  std::cerr << line;
  std::sort(draw_ms.begin(), draw_ms.end());
  std::sort(evaluate_ms.begin(), evaluate_ms.end());
  std::snprintf(line, sizeof line,
                "\n| loggkontroll of the quarter (5 reviews) | median | max |\n|---|---:|---:|\n"
                "| draw a sample of %d of %llu users and evaluate every rule over its %llu accesses (DrawSample; %d decisions cases in the log) | %.0f ms | %.0f ms |\n"
                "| GetReview: the first page of 1,000 of the %llu flagged accesses, each person's read recorded | %.0f ms | %.0f ms |\n",
                o.review_sample, static_cast<unsigned long long>(population), static_cast<unsigned long long>(reviewed),
                o.decision_cases, draw_ms[2], draw_ms.back(), static_cast<unsigned long long>(flagged), evaluate_ms[2],
                evaluate_ms.back());
  out << line;
  std::cerr << line;
  return out.str();
}

}  // namespace sparbar::bench
