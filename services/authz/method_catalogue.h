// MethodCatalogue: every gRPC method the server serves, with what it
// records in the access log before it answers (the access_logging option,
// proto/sparbar/v1/options.proto), read from the services' descriptors.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "sparbar/v1/options.pb.h"

namespace sparbar::services {

class MethodCatalogue {
 public:
  // The methods of the services named (full names, "sparbar.v1.EventStore").
  // FailedPrecondition naming the method when one has no access_logging
  // option, NotFound when a service is not compiled in.
  static Result<MethodCatalogue> Of(const std::vector<std::string>& services);

  // "package.Service/Method", in name order.
  std::vector<std::string> methods() const;
  // UNSPECIFIED for a method not in the catalogue.
  v1::AccessLogging LoggingOf(std::string_view method) const;

 private:
  std::map<std::string, v1::AccessLogging, std::less<>> logging_;
};

}  // namespace sparbar::services
