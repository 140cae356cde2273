// sparbar append: appends one event to a stream and prints where it landed.
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "eventstore/event.h"
#include "tools/cli/commands.h"

namespace sparbar::cli {
namespace {

struct AppendArgs {
  std::string stream;
  std::string type;
  std::string expected = "any";
  std::string content_type = "application/json";
  std::string data;
  bool has_data = false;
  std::string file;  // empty or "-": stdin
  std::string id;
  std::string correlation_id;
  std::string causation_id;
};

// any | no-stream | exists | <revision>
bool ParseExpected(const std::string& text, sparbar::v1::ExpectedRevision* out) {
  if (text == "any") {
    out->mutable_any();
  } else if (text == "no-stream") {
    out->mutable_no_stream();
  } else if (text == "exists") {
    out->mutable_stream_exists();
  } else {
    uint64_t rev = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rev);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return false;
    out->set_exact(rev);
  }
  return true;
}

bool ReadPayload(const AppendArgs& args, std::string* payload) {
  if (args.has_data) {
    *payload = args.data;
    return true;
  }
  if (args.file.empty() || args.file == "-") {
    if (args.file.empty() && isatty(STDIN_FILENO) == 1) {
      std::cerr << "error: give the payload with --data or --file, or pipe it on stdin\n";
      return false;
    }
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    *payload = ss.str();
    return !std::cin.bad();
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot open " << args.file << "\n";
    return false;
  }
  payload->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::cerr << "error: cannot read " << args.file << "\n";
    return false;
  }
  return true;
}

int RunAppend(const AppendArgs& args, const ConnectionOptions& conn) {
  sparbar::v1::AppendRequest req;
  req.set_stream(args.stream);
  if (!ParseExpected(args.expected, req.mutable_expected())) {
    std::cerr << "error: --expected must be any, no-stream, exists or a revision number\n";
    return kExitUsage;
  }
  sparbar::v1::EventData* ev = req.add_events();
  if (args.id.empty()) {
    ev->set_id(Uuid::Random().ToString());
  } else {
    auto id = Uuid::Parse(args.id);
    if (!id.ok()) {
      std::cerr << "error: --id: " << id.status().message() << "\n";
      return kExitUsage;
    }
    ev->set_id(id->ToString());
  }
  ev->set_type(args.type);
  ev->set_content_type(args.content_type);
  ev->set_correlation_id(args.correlation_id);
  ev->set_causation_id(args.causation_id);
  std::string payload;
  if (!ReadPayload(args, &payload)) return kExitUsage;
  if (args.content_type == "application/json" && !nlohmann::json::accept(payload)) {
    std::cerr << "error: the payload is not valid JSON; pass --content-type for other data\n";
    return kExitUsage;
  }
  ev->set_payload(std::move(payload));

  Client client(conn);
  sparbar::v1::AppendResponse resp;
  auto ctx = client.NewContext();
  grpc::Status st = client.events().Append(ctx.get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);

  nlohmann::json out;
  out["stream"] = args.stream;
  out["id"] = ev->id();
  out["first_position"] = resp.first_position();
  out["last_position"] = resp.last_position();
  out["first_revision"] = resp.first_revision();
  out["last_revision"] = resp.last_revision();
  out["duplicate"] = resp.duplicate();
  out["log_size"] = resp.log_size();
  std::cout << out.dump() << "\n";
  return kExitOk;
}

}  // namespace

void AddAppendCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  auto args = std::make_shared<AppendArgs>();
  CLI::App* sub = app.add_subcommand(
      "append",
      "Append one event to a stream. The payload comes from --data, --file, or stdin\n"
      "(--file - or no payload option). Prints the event's position and revision as one\n"
      "JSON line. Retrying with the same --id is idempotent (\"duplicate\": true).");
  sub->add_option("--stream", args->stream, "Stream to append to")->required();
  sub->add_option("--type", args->type, "Event type, e.g. beslut.fattat")->required();
  sub->add_option("--expected", args->expected,
                  "Expected stream state: any, no-stream, exists, or the revision of the\n"
                  "stream's last event")
      ->capture_default_str();
  sub->add_option("--content-type", args->content_type,
                  "Media type of the payload (application/json payloads are checked locally)")
      ->capture_default_str();
  auto* data = sub->add_option("--data", args->data, "Payload given inline");
  auto* file = sub->add_option("--file", args->file, "Read the payload from PATH ('-': stdin)");
  data->excludes(file);
  sub->add_option("--id", args->id, "Event id (UUID); a random one when absent");
  sub->add_option("--correlation-id", args->correlation_id, "Correlation id to record");
  sub->add_option("--causation-id", args->causation_id, "Causation id to record");
  sub->callback([args, conn, exit_code, data] {
    args->has_data = data->count() > 0;
    *exit_code = RunAppend(*args, *conn);
  });
}

}  // namespace sparbar::cli
