#include "services/authz/person_access.h"

#include <grpcpp/server_context.h>

#include <chrono>

#include "services/access/own_reads.h"
#include "services/access/review_cases.h"
#include "services/authz/call_log.h"
#include "services/authz/protected_identities.h"
#include "services/common/swedish_time.h"
#include "services/grpc_status.h"

namespace sparbar::services {
namespace {

constexpr size_t kMaxReason = 500;

bool ValidUtf8Text(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 1 && c < 0x20)) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// The nödåtkomst reason the caller gives, "" for none.
Result<std::string> NodatkomstReason(const grpc::ServerContextBase& context) {
  const auto& md = context.client_metadata();
  auto it = md.find(kNodatkomstMetadataKey);
  if (it == md.end()) return std::string();
  std::string reason(it->second.data(), it->second.size());
  if (reason.empty() || reason.size() > kMaxReason || !ValidUtf8Text(reason)) {
    return Status::InvalidArgument(std::string(kNodatkomstMetadataKey) +
                                   " metadata must be the reason for nödåtkomst: 1 to 500 bytes of UTF-8 text");
  }
  return reason;
}

}  // namespace

Status PersonAccess::Admit(const Caller& caller, const grpc::ServerContextBase& context, const std::string& subject,
                           const std::string& record_ref) const {
  auto reason = NodatkomstReason(context);
  if (!reason.ok()) return reason.status();
  const auto deadline = SteadyDeadline(context).value_or(std::chrono::steady_clock::now() + std::chrono::seconds(30));

  access::OwnAccess a;
  a.subject = subject;
  a.record_ref = caller.method.empty() ? record_ref : caller.method + " " + record_ref;
  a.role = caller.method_role == "*" ? "" : caller.method_role;
  a.unit = caller.units.empty() ? "" : caller.units.front();
  // Recorded as nödåtkomst when that is what let the caller in, or what it
  // asked for and was refused; a reason given where the caller's unit or
  // role let it in anyway is not an emergency access.
  auto as_nodatkomst = [&] {
    a.purpose = access::pb::PURPOSE_NODATKOMST;
    a.emergency_reason = *reason;
  };
  std::string refusal;
  if (policy_ != nullptr) {
    const std::string key = key_->Of(subject);
    const CivilDate today = StockholmDate(NowMicros());
    // The person's cases and protection as the log stands now.
    const uint64_t size = store_->Size();
    if (Status s = cases_->WaitFor(size, deadline); !s.ok()) return s;
    if (Status s = protected_->WaitFor(size, deadline); !s.ok()) return s;
    const auto& projection = static_cast<const access::ReviewCasesProjection&>(cases_->projection());
    const auto cases = projection.CasesAsOf(size, {key});
    std::string unit_with_case;
    if (auto it = cases.cases.find(key); it != cases.cases.end()) {
      for (const auto& span : it->second) {
        if (span.to && *span.to < today) continue;
        for (const auto& u : caller.units) {
          if (u == span.unit) unit_with_case = u;
        }
      }
    }
    auto is_protected = ProtectedOn(*protected_, key, today);
    if (!is_protected.ok()) return is_protected.status();
    const std::string any_person = policy_->AnyPersonRole(caller);
    const std::string nodatkomst = policy_->NodatkomstRole(caller);
    if (*is_protected && policy_->ProtectedIdentityRole(caller).empty()) {
      refusal = "the person has protected identity (skyddad identitet), which none of the caller's roles may see";
    } else if (!unit_with_case.empty()) {
      a.unit = unit_with_case;
    } else if (!any_person.empty()) {
      a.role = any_person;
    } else if (!reason->empty() && !nodatkomst.empty()) {
      a.role = nodatkomst;
      as_nodatkomst();
    } else if (!reason->empty()) {
      refusal = "the person has no case open at the caller's units, and none of the caller's roles may use "
                "nödåtkomst";
    } else {
      refusal = "the person has no case open at the caller's units (" +
                (caller.units.empty() ? std::string("none") : caller.units.front() +
                                                                  (caller.units.size() > 1 ? ", …" : "")) +
                ")" +
                (nodatkomst.empty() ? std::string()
                                    : std::string("; give a reason for nödåtkomst (") + kNodatkomstMetadataKey +
                                          ") if the need is urgent");
    }
  }
  if (policy_ == nullptr && !reason->empty()) as_nodatkomst();  // no policy: the caller's word is recorded
  if (!refusal.empty()) {
    a.outcome = access::pb::OUTCOME_DENIED;
    if (!reason->empty()) as_nodatkomst();
  }
  if (Status s = access::RecordOwnAccesses(*store_, limits_, caller, {a}, deadline); !s.ok()) return s;
  if (!refusal.empty()) return Status::PermissionDenied(refusal);
  return Status::Ok();
}

Status PersonAccess::AdmitUnnamed(const Caller& caller, const grpc::ServerContextBase& context,
                                  const google::protobuf::Message* request) const {
  constexpr char kReadAll[] = "sparbar.v1.EventStore/ReadAll";
  const auto deadline = SteadyDeadline(context);
  if (policy_ != nullptr && policy_->RoleFor(kReadAll, caller).empty()) {
    return RefuseCall(*store_, caller,
                      "a stream that is not one person's case is read as the log is: it needs a role that may call " +
                          std::string(kReadAll),
                      deadline);
  }
  return RecordScope(*store_, caller, request, deadline);
}

Result<decisions::CaseSubjects> PersonAccess::SubjectsOfCase(const std::string& stream,
                                                             uint64_t through_revision) const {
  return decisions::SubjectsOfCase(*store_, stream, through_revision);
}

}  // namespace sparbar::services
