// CallMetrics: a gRPC server interceptor that counts every call by method
// and final status code, and times it from its start to its status
// (sparbar_grpc_calls_total, sparbar_grpc_call_seconds). Appends, reads and
// subscriptions are all calls, so this gives them by outcome without code
// in the services. Install its factory with ServerBuilder::experimental().
// SetInterceptorCreators; the registry must outlive the server.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "services/metrics/registry.h"

namespace sparbar::metrics {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallMetricsFactory(Registry* registry);

}  // namespace sparbar::metrics
