#include "pg_load.h"

#include "access_batches.h"

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

namespace sparbar::bench {
namespace {

namespace ac = sparbar::v1::access;
using Clock = std::chrono::steady_clock;

// One connection; every failure throws with PostgreSQL's own message.
class Conn {
 public:
  explicit Conn(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(c_);
      PQfinish(c_);
      throw std::runtime_error("PostgreSQL connection: " + why);
    }
  }
  ~Conn() { PQfinish(c_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  PGconn* get() const { return c_; }

  void Exec(const std::string& sql) { Check(PQexec(c_, sql.c_str()), sql); }

  // Runs a result-returning statement; returns the result (caller PQclear's).
  PGresult* Query(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Fail(r, sql);
    return r;
  }

  // Starts COPY ... FROM STDIN.
  void BeginCopy(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) Fail(r, sql);
    PQclear(r);
  }

  void Prepare(const char* name, const std::string& sql, int params) {
    Check(PQprepare(c_, name, sql.c_str(), params, nullptr), sql);
  }

  // Executes a prepared statement; text parameters unless `formats` says.
  int RunPrepared(const char* name, const std::vector<const char*>& values, const std::vector<int>& lengths,
                  const std::vector<int>& formats) {
    PGresult* r = PQexecPrepared(c_, name, static_cast<int>(values.size()), values.data(), lengths.data(),
                                 formats.data(), 0);
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Fail(r, name);
    const int rows = PQntuples(r);
    PQclear(r);
    return rows;
  }

 private:
  void Check(PGresult* r, const std::string& what) {
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Fail(r, what);
    PQclear(r);
  }
  [[noreturn]] void Fail(PGresult* r, const std::string& what) {
    const std::string why = PQresultErrorMessage(r);
    PQclear(r);
    throw std::runtime_error("PostgreSQL (" + what.substr(0, 60) + "): " + why);
  }

  PGconn* c_;
};

std::string TimestampText(int64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+00", &utc);
  return buf;
}

// COPY text format: the bench's values hold no tabs, newlines or backslashes.
void AppendCopyRow(const ac::AccessRecorded& e, std::string& out) {
  auto field = [&](const std::string& v) {
    out += v;
    out += '\t';
  };
  field(e.user_hsa_id());
  field(e.role());
  field(e.unit());
  field(std::to_string(static_cast<int>(e.action())));
  field(e.subject().personal_identity_number());
  field(e.record_ref());
  field(e.source_system());
  field(e.source_event_id());
  field(std::to_string(static_cast<int>(e.purpose())));
  field(std::to_string(static_cast<int>(e.outcome())));
  out += TimestampText(e.accessed_at().seconds());
  out += '\n';
}

// Starts `clients` threads running body(client, latencies); returns the
// merged latencies and the elapsed seconds. A thread's exception is rethrown
// here; `*failed` is set as it happens, so that the others stop waiting.
template <typename Body>
Latencies RunThreads(int clients, const Body& body, double* elapsed, std::atomic<bool>* failed) {
  std::vector<Latencies> per(static_cast<size_t>(clients));
  std::vector<std::exception_ptr> errors(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      try {
        body(t, per[static_cast<size_t>(t)]);
      } catch (...) {
        errors[static_cast<size_t>(t)] = std::current_exception();
        failed->store(true);
      }
    });
  }
  for (auto& th : threads) th.join();
  *elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  Latencies all;
  for (auto& l : per) all.Merge(l);
  return all;
}

constexpr char kAccessColumns[] =
    "id, user_hsa_id, role, unit, action, person, record_ref, source_system, source_event_id, purpose, outcome, "
    "accessed_at";

}  // namespace

void CreatePgSchema(const std::string& conninfo) {
  Conn c(conninfo);
  c.Exec(
      "CREATE TABLE streams (stream text PRIMARY KEY, revision bigint NOT NULL);"
      "CREATE TABLE events ("
      "  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
      "  stream text NOT NULL, revision bigint NOT NULL,"
      "  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,"
      "  type text NOT NULL, payload bytea NOT NULL,"
      "  created_at timestamptz NOT NULL DEFAULT now(),"
      "  UNIQUE (stream, revision));"
      "CREATE TABLE access_events ("
      "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
      "  user_hsa_id text NOT NULL, role text NOT NULL, unit text NOT NULL, action smallint NOT NULL,"
      "  person text NOT NULL, record_ref text NOT NULL,"
      "  source_system text NOT NULL, source_event_id text NOT NULL,"
      "  purpose smallint NOT NULL, outcome smallint NOT NULL, accessed_at timestamptz NOT NULL,"
      "  recorded_at timestamptz NOT NULL DEFAULT now(),"
      "  UNIQUE (source_system, source_event_id));"
      "CREATE INDEX access_by_user ON access_events (user_hsa_id, accessed_at);"
      "CREATE INDEX access_by_person ON access_events (person, accessed_at);");
}

Row MeasurePgAppends(const AppendLoadOptions& o) {
  // One statement, one transaction: bump the stream's revision (its row lock
  // serializes concurrent appends to it) and insert the events after it.
  const std::string sql =
      "WITH s AS (INSERT INTO streams AS s (stream, revision) VALUES ($1, $3::bigint - 1) "
      "ON CONFLICT (stream) DO UPDATE SET revision = s.revision + $3::bigint RETURNING revision) "
      "INSERT INTO events (stream, revision, type, payload) "
      "SELECT $1, s.revision - $3::bigint + 1 + g, 'bench.event', substring($2::bytea FROM g * $4::int + 1 FOR $4::int) "
      "FROM s, generate_series(0, $3::int - 1) AS g";
  const StreamPicker picker(o.streams, o.distribution);
  std::atomic<uint64_t> ok{0};
  std::atomic<int> ready{0};
  std::atomic<bool> failed{false};
  double elapsed = 0;
  Clock::time_point start;
  Latencies latencies = RunThreads(
      o.clients,
      [&](int t, Latencies& lat) {
        Conn c(o.address);
        c.Prepare("append", sql, 4);
        std::mt19937_64 rng(o.seed * 1000 + static_cast<uint64_t>(t));
        std::string payload(o.payload_bytes * static_cast<size_t>(o.events_per_append), 'x');
        for (auto& ch : payload) ch = static_cast<char>('a' + rng() % 26);
        const std::string n = std::to_string(o.events_per_append), size = std::to_string(o.payload_bytes);
        // The clock starts once every client is connected.
        if (++ready == o.clients) start = Clock::now();
        while (ready.load() < o.clients && !failed.load()) std::this_thread::yield();
        const auto end = Clock::now() + std::chrono::duration<double>(o.seconds);
        while (Clock::now() < end && !failed.load()) {
          const std::string stream = "bench-" + std::to_string(picker.Pick(rng));
          const auto t0 = Clock::now();
          c.RunPrepared("append", {stream.c_str(), payload.data(), n.c_str(), size.c_str()},
                        {0, static_cast<int>(payload.size()), 0, 0}, {0, 1, 0, 0});
          lat.Add(Clock::now() - t0);
          ++ok;
        }
      },
      &elapsed, &failed);
  elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return MakeRow(std::string("PostgreSQL durable appends, ") + NameOf(o.distribution) + " streams", o.clients,
                 o.events_per_append, ok.load(), 0, elapsed, latencies);
}

Row MeasurePgAccessIngest(const std::string& conninfo, std::vector<std::vector<ac::IngestBatch>>& work,
                          int batches_per_call, uint64_t target_events) {
  const int clients = static_cast<int>(work.size());
  std::atomic<uint64_t> recorded{0}, calls{0};
  std::atomic<int> ready{0};
  std::atomic<bool> failed{false};
  double elapsed = 0;
  Clock::time_point start;
  Latencies latencies = RunThreads(
      clients,
      [&](int t, Latencies& lat) {
        Conn c(conninfo);
        auto& batches = work[static_cast<size_t>(t)];
        uint64_t next_id = 0, k = 0;
        const uint64_t share = ClientShare(target_events, work.size());
        std::string buffer;
        if (++ready == clients) start = Clock::now();
        while (ready.load() < clients && !failed.load()) std::this_thread::yield();
        while (next_id < share && !failed.load()) {
          buffer.clear();
          uint64_t rows = 0;
          for (int b = 0; b < batches_per_call; ++b, ++k) {
            ac::IngestBatch& batch = batches[k % batches.size()];
            StampBatch(batch, next_id);
            for (const auto& e : batch.events()) AppendCopyRow(e, buffer);
            rows += static_cast<uint64_t>(batch.events_size());
          }
          const auto t0 = Clock::now();
          c.BeginCopy(
              "COPY access_events (user_hsa_id, role, unit, action, person, record_ref, source_system, "
              "source_event_id, purpose, outcome, accessed_at) FROM STDIN");
          if (PQputCopyData(c.get(), buffer.data(), static_cast<int>(buffer.size())) != 1 ||
              PQputCopyEnd(c.get(), nullptr) != 1) {
            throw std::runtime_error(std::string("PostgreSQL COPY: ") + PQerrorMessage(c.get()));
          }
          for (PGresult* r; (r = PQgetResult(c.get())) != nullptr;) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
              const std::string why = PQresultErrorMessage(r);
              PQclear(r);
              throw std::runtime_error("PostgreSQL COPY: " + why);
            }
            PQclear(r);
          }
          lat.Add(Clock::now() - t0);
          recorded += rows;
          ++calls;
          if (t == 0 && calls.load() % 250 == 0) {
            std::fprintf(stderr, "\r  PostgreSQL: %llu of %llu access events",
                         static_cast<unsigned long long>(recorded.load()),
                         static_cast<unsigned long long>(target_events));
          }
        }
      },
      &elapsed, &failed);
  std::fprintf(stderr, "\n");
  elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return MakeRow("PostgreSQL access-event ingest (COPY)", clients,
                 static_cast<int>(recorded.load() / std::max<uint64_t>(1, calls.load())), calls.load(), 0, elapsed,
                 latencies);
}

double PgVacuumAnalyze(const std::string& conninfo) {
  Conn c(conninfo);
  const auto t0 = Clock::now();
  c.Exec("VACUUM ANALYZE");
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

Latencies MeasurePgAccessQueries(const std::string& conninfo, PgAccessQuery query,
                                 const std::vector<std::string>& keys, int64_t from, int64_t to,
                                 bool record_reads, uint64_t* rows_returned) {
  Conn c(conninfo);
  const std::string column = query == PgAccessQuery::kByUser ? "user_hsa_id" : "person";
  const std::string select = std::string("SELECT ") + kAccessColumns + " FROM access_events WHERE " + column +
                             " = $1 AND accessed_at >= $2 AND accessed_at < $3 ORDER BY accessed_at";
  // The reads recorded as Spårbar records them, by the reviewer, in the same
  // transaction as the answer: one access event per person returned by a
  // user's listing, and one for the person whose extract it is (even when
  // it is empty).
  const std::string recorded =
      "WITH q AS (" + select +
      "), logged AS (INSERT INTO access_events (user_hsa_id, role, unit, action, person, record_ref, "
      "source_system, source_event_id, purpose, outcome, accessed_at) "
      "SELECT 'bench-granskare', 'loggranskare', 'it', 1, person, 'access-log', 'pg-bench', "
      "gen_random_uuid()::text, 5, 1, now() FROM (" +
      (query == PgAccessQuery::kByUser ? std::string("SELECT DISTINCT person FROM q")
                                       : std::string("SELECT $1::text AS person")) +
      ") d RETURNING 1) SELECT * FROM q";
  c.Prepare("q", record_reads ? recorded : select, 3);
  const std::string f = TimestampText(from), t = TimestampText(to);
  Latencies lat;
  uint64_t rows = 0;
  for (const auto& key : keys) {
    const auto t0 = Clock::now();
    rows += static_cast<uint64_t>(c.RunPrepared("q", {key.c_str(), f.c_str(), t.c_str()}, {0, 0, 0}, {0, 0, 0}));
    lat.Add(Clock::now() - t0);
  }
  if (rows_returned) *rows_returned = rows;
  return lat;
}

double MeasurePgCatchUp(const std::string& conninfo, uint64_t* rows) {
  Conn c(conninfo);
  c.Prepare("page", std::string("SELECT ") + kAccessColumns + " FROM access_events WHERE id > $1 ORDER BY id LIMIT 1000",
            1);
  uint64_t n = 0;
  std::string after = "0";
  const auto t0 = Clock::now();
  for (;;) {
    const char* values[] = {after.c_str()};
    PGresult* r = PQexecPrepared(c.get(), "page", 1, values, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string why = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("PostgreSQL catch-up: " + why);
    }
    const int got = PQntuples(r);
    if (got > 0) after = PQgetvalue(r, got - 1, 0);
    PQclear(r);
    n += static_cast<uint64_t>(got);
    if (got < 1000) break;
  }
  *rows = n;
  return static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - t0).count();
}

double PgReindexAccess(const std::string& conninfo) {
  Conn c(conninfo);
  const auto t0 = Clock::now();
  c.Exec("REINDEX INDEX access_by_user; REINDEX INDEX access_by_person");
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void PgAccessSize(const std::string& conninfo, uint64_t* rows, uint64_t* bytes) {
  Conn c(conninfo);
  PGresult* r = c.Query("SELECT count(*), pg_total_relation_size('access_events') FROM access_events");
  *rows = std::stoull(PQgetvalue(r, 0, 0));
  *bytes = std::stoull(PQgetvalue(r, 0, 1));
  PQclear(r);
}

}  // namespace sparbar::bench
