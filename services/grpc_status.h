// How a sparbar::Status leaves the server, and what every service shares
// about answering.
//
// Each Code maps to the gRPC code of the same name; the message is passed on
// unchanged (Status messages never contain personal data, see status.h).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <optional>

#include "eventstore/status.h"

namespace sparbar::services {

grpc::StatusCode ToGrpcCode(Code code);
// The code's name as gRPC spells it ("NOT_FOUND"), for messages and metrics.
const char* GrpcCodeName(grpc::StatusCode code);
grpc::Status ToGrpc(const Status& status);

// ToGrpc, logging server-side failures (INTERNAL, DATA_LOSS, UNAVAILABLE) with
// the method's name; the client's own mistakes are not worth a log line.
grpc::Status Answer(const char* method, const Status& status);

// UNAVAILABLE for a call that arrives once shutdown has begun.
grpc::Status ShuttingDown();

// The call's deadline on the steady clock, when the client set one.
std::optional<std::chrono::steady_clock::time_point> SteadyDeadline(const grpc::ServerContextBase& context);

}  // namespace sparbar::services
