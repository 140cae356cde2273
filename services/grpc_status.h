// ToGrpc: how a sparbar::Status leaves the server.
//
// Each Code maps to the gRPC code of the same name; the message is passed on
// unchanged (Status messages never contain personal data, see status.h).
#pragma once

#include <grpcpp/support/status.h>

#include "eventstore/status.h"

namespace sparbar::services {

grpc::StatusCode ToGrpcCode(Code code);
grpc::Status ToGrpc(const Status& status);

}  // namespace sparbar::services
