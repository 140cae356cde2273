#include "services/metrics/http_exporter.h"

#include <httplib.h>

namespace sparbar::metrics {

Result<std::unique_ptr<HttpExporter>> HttpExporter::Start(const Registry* registry, const std::string& host, int port) {
  std::unique_ptr<HttpExporter> e(new HttpExporter());
  e->server_ = std::make_unique<httplib::Server>();
  e->server_->new_task_queue = [] { return new httplib::ThreadPool(1); };  // scrapes are rare: one thread
  e->server_->Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  e->port_ = port == 0 ? e->server_->bind_to_any_port(host) : (e->server_->bind_to_port(host, port) ? port : -1);
  if (e->port_ <= 0) {
    return Status::Unavailable("cannot serve the metrics on " + host + ":" + std::to_string(port) +
                               " (is the port in use?)");
  }
  httplib::Server* server = e->server_.get();
  e->thread_ = std::thread([server] { server->listen_after_bind(); });
  return e;
}

HttpExporter::~HttpExporter() { Stop(); }

void HttpExporter::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sparbar::metrics
