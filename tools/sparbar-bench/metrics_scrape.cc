#include "metrics_scrape.h"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sparbar::bench {

std::map<std::string, double> ScrapeMetrics(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  const auto res = client.Get("/metrics");
  if (!res || res->status != 200) {
    throw std::runtime_error("GET /metrics on port " + std::to_string(port) + " failed");
  }
  std::map<std::string, double> out;
  std::istringstream in(res->body);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[line.substr(0, space)] = std::strtod(line.c_str() + space + 1, nullptr);
  }
  return out;
}

int ReadMetricsPort(const std::string& port_file) {
  for (int i = 0; i < 300; ++i) {
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("no metrics port in " + port_file);
}

namespace {

std::vector<std::string> WithMetrics(const std::string& data, std::vector<std::string> extra) {
  std::filesystem::remove(data + ".metrics-port");  // never read a stale port
  extra.insert(extra.end(), {"--metrics-listen", "127.0.0.1:0", "--metrics-port-file", data + ".metrics-port"});
  return extra;
}

}  // namespace

MeteredServer::MeteredServer(const std::string& binary, const std::string& data, const std::vector<std::string>& extra)
    : server(binary, data, WithMetrics(data, extra)), metrics_port(ReadMetricsPort(data + ".metrics-port")) {}

}  // namespace sparbar::bench
