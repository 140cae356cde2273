#include "services/metrics/call_metrics.h"

#include <chrono>
#include <string>

#include "services/grpc_status.h"

namespace sparbar::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CallMetrics final : public grpc::experimental::Interceptor {
 public:
  CallMetrics(Registry* registry, grpc::experimental::ServerRpcInfo* info)
      : registry_(registry), method_(info->method() ? info->method() : ""),
        started_(std::chrono::steady_clock::now()) {
    if (!method_.empty() && method_.front() == '/') method_.erase(0, 1);  // "/pkg.Service/Method"
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const std::string labels = Labels({{"method", method_}, {"code", services::GrpcCodeName(methods->GetSendStatus().error_code())}});
      registry_->Count("sparbar_grpc_calls_total", labels);
      registry_->Observe("sparbar_grpc_call_seconds", Labels({{"method", method_}}),
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    }
    methods->Proceed();
  }

 private:
  Registry* registry_;
  std::string method_;
  std::chrono::steady_clock::time_point started_;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(Registry* registry) : registry_(registry) {
    registry_->Describe("sparbar_grpc_calls_total", "counter", "gRPC calls by method and final status code");
    registry_->Describe("sparbar_grpc_call_seconds", "histogram", "gRPC call latency by method, start to status");
  }
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new CallMetrics(registry_, info);
  }

 private:
  Registry* registry_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallMetricsFactory(Registry* registry) {
  return std::make_unique<Factory>(registry);
}

}  // namespace sparbar::metrics
