#include "services/authz/method_catalogue.h"

#include <google/protobuf/descriptor.h>

namespace sparbar::services {

Result<MethodCatalogue> MethodCatalogue::Of(const std::vector<std::string>& services) {
  MethodCatalogue c;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) return Status::NotFound("the service " + name + " is not compiled into this server");
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* m = service->method(i);
      const std::string full = name + "/" + m->name();
      const v1::AccessLogging logging = m->options().GetExtension(v1::access_logging);
      if (logging == v1::ACCESS_LOGGING_UNSPECIFIED) {
        return Status::FailedPrecondition("the method " + full +
                                          " does not say what it records in the access log "
                                          "(option sparbar.v1.access_logging, proto/sparbar/v1/options.proto)");
      }
      c.logging_[full] = logging;
    }
  }
  return c;
}

std::vector<std::string> MethodCatalogue::methods() const {
  std::vector<std::string> out;
  out.reserve(logging_.size());
  for (const auto& [m, l] : logging_) out.push_back(m);
  return out;
}

v1::AccessLogging MethodCatalogue::LoggingOf(std::string_view method) const {
  auto it = logging_.find(method);
  return it == logging_.end() ? v1::ACCESS_LOGGING_UNSPECIFIED : it->second;
}

}  // namespace sparbar::services
