// HttpExporter: serves the registry's metrics at GET /metrics over plain
// HTTP (cpp-httplib), on the address it is given, which the server has
// checked is loopback (IsLoopbackHost, services/server.cc); port 0 picks a
// free one. A thread of its own; Stop() (and the
// destructor) ends it. Anything but /metrics is 404.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "eventstore/status.h"
#include "services/metrics/registry.h"

namespace httplib {
class Server;
}

namespace sparbar::metrics {

class HttpExporter {
 public:
  // `host` without brackets; Unavailable when it cannot bind.
  static Result<std::unique_ptr<HttpExporter>> Start(const Registry* registry, const std::string& host, int port);
  ~HttpExporter();
  int port() const { return port_; }
  void Stop();

 private:
  HttpExporter() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace sparbar::metrics
