// sparbar read stream|all: prints events as JSON lines (event_json.h), paging
// through the server's pages until the end or --limit.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "tools/cli/commands.h"
#include "tools/cli/event_json.h"

namespace sparbar::cli {
namespace {

constexpr uint64_t kMaxPage = 1000;  // the server's cap

struct ReadStreamArgs {
  std::string stream;
  uint64_t from = 0;
  bool backwards = false;
  bool from_end = false;
  uint64_t limit = 0;  // 0: no limit
};

struct ReadAllArgs {
  uint64_t from = 0;
  std::string prefix;
  std::vector<std::string> types;
  uint64_t limit = 0;
};

uint32_t PageSize(uint64_t limit, uint64_t printed) {
  if (limit == 0) return kMaxPage;
  return static_cast<uint32_t>(std::min<uint64_t>(kMaxPage, limit - printed));
}

int RunReadStream(const ReadStreamArgs& args, const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::ReadStreamRequest req;
  req.set_stream(args.stream);
  req.set_from_revision(args.from);
  req.set_backwards(args.backwards);
  req.set_from_end(args.from_end);
  uint64_t printed = 0;
  while (args.limit == 0 || printed < args.limit) {
    req.set_max_count(PageSize(args.limit, printed));
    sparbar::v1::ReadStreamResponse resp;
    auto ctx = client.NewContext();
    grpc::Status st = client.events().ReadStream(ctx.get(), req, &resp);
    if (!st.ok()) return ReportRpcError(st);
    for (const auto& e : resp.events()) {
      if (args.limit != 0 && printed >= args.limit) break;
      std::cout << EventToJson(e).dump() << "\n";
      ++printed;
    }
    if (resp.end_of_stream() || resp.events().empty()) break;
    req.set_from_revision(resp.next_revision());
    req.set_from_end(false);
  }
  std::cout.flush();
  return kExitOk;
}

int RunReadAll(const ReadAllArgs& args, const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::ReadAllRequest req;
  req.set_from_position(args.from);
  req.set_stream_prefix(args.prefix);
  for (const auto& t : args.types) req.add_event_types(t);
  uint64_t printed = 0;
  while (args.limit == 0 || printed < args.limit) {
    req.set_max_count(PageSize(args.limit, printed));
    sparbar::v1::ReadAllResponse resp;
    auto ctx = client.NewContext();
    grpc::Status st = client.events().ReadAll(ctx.get(), req, &resp);
    if (!st.ok()) return ReportRpcError(st);
    for (const auto& e : resp.events()) {
      if (args.limit != 0 && printed >= args.limit) break;
      std::cout << EventToJson(e).dump() << "\n";
      ++printed;
    }
    // With filters a page may be empty yet not the end: always continue from
    // next_position, and stop only at the end of the log (or if it stalls).
    if (resp.end_of_log() || resp.next_position() <= req.from_position()) break;
    req.set_from_position(resp.next_position());
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

void AddReadCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* read = app.add_subcommand("read", "Read events as JSON lines, one per event.\n"
                                              "Payloads are UTF-8 text when valid, otherwise base64\n"
                                              "(\"payload_encoding\": \"base64\").");
  read->require_subcommand(1);
  read->fallthrough();

  auto s = std::make_shared<ReadStreamArgs>();
  CLI::App* stream = read->add_subcommand("stream", "Read one stream in revision order");
  stream->add_option("stream", s->stream, "Stream name")->required();
  stream->add_option("--from", s->from, "First revision to read")->capture_default_str();
  stream->add_flag("--backwards", s->backwards, "Read towards revision 0");
  stream->add_flag("--from-end", s->from_end, "Start at the stream's last event (with --backwards)");
  stream->add_option("--limit", s->limit, "Print at most N events (0: all)")->capture_default_str();
  stream->callback([s, conn, exit_code] { *exit_code = RunReadStream(*s, *conn); });

  auto a = std::make_shared<ReadAllArgs>();
  CLI::App* all = read->add_subcommand("all", "Read the whole log in position order");
  all->add_option("--from", a->from, "First position to read")->capture_default_str();
  all->add_option("--prefix", a->prefix, "Only streams whose name starts with X");
  all->add_option("--type", a->types, "Only events of this type (repeatable)");
  all->add_option("--limit", a->limit, "Print at most N events (0: all)")->capture_default_str();
  all->callback([a, conn, exit_code] { *exit_code = RunReadAll(*a, *conn); });
}

}  // namespace sparbar::cli
