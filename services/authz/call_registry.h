// CallRegistry: the gRPC method and request of each call in flight, for
// code that has only the call's ServerContext (the caller resolver). gRPC
// 1.51's ServerContext does not tell its method; a server interceptor
// (Factory, installed with ServerBuilder::experimental().SetInterceptorCreators)
// registers each call when it starts, notes its request once received, and
// forgets the call when gRPC destroys the call's interceptors.
//
// The request is noted only for sparbar.v1 methods (protobuf messages) and
// only for calls whose request arrives before the handler runs (unary and
// server-streaming). Thread-safe; must outlive the server.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace google::protobuf {
class Message;
}

namespace sparbar::services {

class CallRegistry {
 public:
  struct Call {
    std::string method;                                // "sparbar.v1.EventStore/ReadAll"
    const google::protobuf::Message* request = nullptr;  // valid while the call runs; may be null
  };

  // The call `context` belongs to; false when it is not registered.
  bool Find(const grpc::ServerContextBase& context, Call* out) const;

  class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
   public:
    explicit Factory(CallRegistry* registry) : registry_(registry) {}
    grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

   private:
    CallRegistry* registry_;
  };
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeFactory() {
    return std::make_unique<Factory>(this);
  }

 private:
  friend class RegisteringInterceptor;
  // `owner`: the interceptor that registered the call; End forgets the
  // call only for its owner, whatever order gRPC destroys things in.
  void Begin(const grpc::ServerContextBase* context, const void* owner, std::string method);
  void NoteRequest(const grpc::ServerContextBase* context, const google::protobuf::Message* request);
  void End(const grpc::ServerContextBase* context, const void* owner);

  struct Entry {
    Call call;
    const void* owner = nullptr;
  };
  mutable std::mutex mu_;
  std::unordered_map<const grpc::ServerContextBase*, Entry> calls_;
};

}  // namespace sparbar::services
