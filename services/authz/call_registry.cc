#include "services/authz/call_registry.h"

#include <google/protobuf/message.h>

#include <string_view>

namespace sparbar::services {

class RegisteringInterceptor final : public grpc::experimental::Interceptor {
 public:
  RegisteringInterceptor(CallRegistry* registry, grpc::experimental::ServerRpcInfo* info)
      : registry_(registry), context_(info->server_context()) {
    std::string_view method = info->method() != nullptr ? info->method() : "";
    if (!method.empty() && method.front() == '/') method.remove_prefix(1);
    // Only our own methods' requests are protobuf messages we know.
    own_ = method.substr(0, 11) == "sparbar.v1." &&
           (info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY ||
            info->type() == grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING);
    registry_->Begin(context_, this, std::string(method));
  }
  ~RegisteringInterceptor() override { registry_->End(context_, this); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (own_ && methods->QueryInterceptionHookPoint(
                    grpc::experimental::InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* message = methods->GetRecvMessage(); message != nullptr) {
        registry_->NoteRequest(context_, static_cast<const google::protobuf::Message*>(message));
      }
    }
    methods->Proceed();
  }

 private:
  CallRegistry* registry_;
  const grpc::ServerContextBase* context_;
  bool own_ = false;
};

grpc::experimental::Interceptor* CallRegistry::Factory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RegisteringInterceptor(registry_, info);
}

bool CallRegistry::Find(const grpc::ServerContextBase& context, Call* out) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(&context);
  if (it == calls_.end()) return false;
  *out = it->second.call;
  return true;
}

void CallRegistry::Begin(const grpc::ServerContextBase* context, const void* owner, std::string method) {
  std::lock_guard lock(mu_);
  calls_[context] = Entry{Call{std::move(method), nullptr}, owner};
}

void CallRegistry::NoteRequest(const grpc::ServerContextBase* context, const google::protobuf::Message* request) {
  std::lock_guard lock(mu_);
  auto it = calls_.find(context);
  if (it != calls_.end() && it->second.call.request == nullptr) it->second.call.request = request;
}

void CallRegistry::End(const grpc::ServerContextBase* context, const void* owner) {
  std::lock_guard lock(mu_);
  auto it = calls_.find(context);
  if (it != calls_.end() && it->second.owner == owner) calls_.erase(it);
}

}  // namespace sparbar::services
