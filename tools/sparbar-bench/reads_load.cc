#include "reads_load.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "server_launcher.h"
#include "sparbar/v1/audit.grpc.pb.h"
#include "sparbar/v1/decisions_service.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace d = sparbar::v1::decisions;

struct As {
  const char* actor;
  const char* roles;
  const char* units;
};
constexpr As kHandlaggare{"SE2321000230-0001", "handlaggare", "Midskogen"};
constexpr As kOtherUnit{"SE2321000230-0002", "handlaggare", "Hemtjänst Norr"};
constexpr As kRevisor{"SE2321000230-0004", "revisor", ""};

std::unique_ptr<grpc::ClientContext> Context(const As& who) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-sparbar-actor", who.actor);
  ctx->AddMetadata("x-sparbar-roles", who.roles);
  if (*who.units != '\0') ctx->AddMetadata("x-sparbar-units-bin", who.units);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

// A valid personnummer for case i (the Luhn digit computed), born 1940-1999.
std::string PersonOf(int i) {
  char digits[11];
  std::snprintf(digits, sizeof digits, "%02d%02d%02d%03d", 40 + i % 60, 1 + i % 12, 1 + i % 28, i % 1000);
  int sum = 0;
  for (int k = 0; k < 9; ++k) {
    int v = (digits[k] - '0') * (k % 2 == 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  return std::string("19") + digits + std::to_string((10 - sum % 10) % 10);
}

// `clients` threads, each calling `call(client, i)` in a loop for `seconds`.
Row Run(const std::string& scenario, int clients, double seconds,
        const std::function<bool(int client, int i)>& call) {
  std::vector<Latencies> latencies(clients);
  std::atomic<uint64_t> ok{0}, errors{0};
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; Clock::now() < end; ++i) {
        const auto start = Clock::now();
        if (call(c, i)) {
          latencies[c].Add(Clock::now() - start);
          ++ok;
        } else {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  Latencies all;
  for (auto& l : latencies) all.Merge(l);
  return MakeRow(scenario, clients, 1, ok.load(), errors.load(), elapsed, all);
}

}  // namespace

std::vector<Row> MeasureReads(const ReadsLoadOptions& o) {
  ServerLauncher server(o.server_binary, o.dir + "/data", {"--policy", o.policy});
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto decisions = d::Decisions::NewStub(channel);
  auto events = v1::EventStore::NewStub(channel);
  auto audit = v1::Audit::NewStub(channel);
  for (int i = 0; i < o.cases; ++i) {
    d::RecordRequest r;
    r.set_case_id("c" + std::to_string(i));
    auto* a = r.mutable_application_received();
    a->mutable_subject()->set_personal_identity_number(PersonOf(i));
    a->mutable_subject()->set_sex(d::SEX_KVINNA);
    a->set_received_date("2026-10-01");
    a->set_unit("Midskogen");
    d::RecordResponse out;
    const grpc::Status st = decisions->Record(Context(kHandlaggare).get(), r, &out);
    if (!st.ok()) throw std::runtime_error("recording case " + std::to_string(i) + ": " + st.error_message());
  }
  auto read_case = [&](const As& who, bool expect_ok) {
    return [&, expect_ok](int client, int i) {
      v1::ReadStreamRequest req;
      req.set_stream("beslut-c" + std::to_string((client * 7919 + i) % o.cases));
      v1::ReadStreamResponse resp;
      const grpc::Status st = events->ReadStream(Context(who).get(), req, &resp);
      return expect_ok ? st.ok() : st.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    };
  };
  std::vector<Row> rows;
  for (int clients : {1, 4}) {
    rows.push_back(Run("a person's case at the caller's unit: admitted, one access event", clients, o.seconds,
                       read_case(kHandlaggare, true)));
    std::cerr << "  " << rows.back().scenario << ", " << clients << " clients: p50 " << rows.back().p50_us << " µs\n";
    rows.push_back(Run("a person's case at another unit: refused, one denial", clients, o.seconds,
                       read_case(kOtherUnit, false)));
    rows.push_back(Run("ReadAll, a page of 100 events: one record of its scope", clients, o.seconds,
                       [&](int client, int i) {
                         v1::ReadAllRequest req;
                         req.set_from_position(static_cast<uint64_t>((client * 131 + i * 100) % o.cases));
                         req.set_max_count(100);
                         v1::ReadAllResponse resp;
                         return events->ReadAll(Context(kRevisor).get(), req, &resp).ok() &&
                                resp.events_size() == 100;
                       }));
    rows.push_back(Run("Audit.GetPublicKey: nothing recorded (the call's own cost)", clients, o.seconds,
                       [&](int, int) {
                         v1::PublicKey key;
                         return audit->GetPublicKey(Context(kRevisor).get(), v1::GetPublicKeyRequest(), &key).ok();
                       }));
  }
  return rows;
}

}  // namespace sparbar::bench
