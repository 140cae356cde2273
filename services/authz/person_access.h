// PersonAccess: whether a caller may open a named person's records, and the
// access event that says it did (or was refused), written durably before
// the answer (ARCHITECTURE.md invariant 6; DOMAIN.md §6-7).
//
// With an access policy, a caller reaches a person's records when
//  - the person has a decisions case open at one of the caller's units
//    (from the application until it ends, is closed or is refused), or
//  - one of its roles reaches anyone's records (person_records.any_person,
//    e.g. the auditor), or
//  - it gives a reason for nödåtkomst (request metadata
//    "x-sparbar-nodatkomst-bin", UTF-8, 1 to 500 bytes) and one of its roles
//    may use it (person_records.nodatkomst); the access is recorded with
//    purpose nödåtkomst and the reason, which loggkontroll flags (so is a
//    refused one; a reason given where the unit or role let the caller in
//    anyway is not recorded as nödåtkomst).
// A person with protected identity on the day (protected_identities.h) is
// refused to every caller without a role in person_records.protected_identity,
// whatever else holds. Without a policy (development mode), every caller is
// admitted; the access is still recorded.
//
// Admitted: one AccessRecorded with outcome allowed on "atkomst-sparbar"
// (record_ref: the method and the record, e.g.
// "sparbar.v1.EventStore/ReadStream beslut-c1"),
// then Ok. Refused: one with outcome denied, then PermissionDenied saying
// why (never naming the person). When the event cannot be written, the
// read fails with the store's error and nothing is returned.
#pragma once

#include <string>

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/access/access_event.h"
#include "services/access/subject_key.h"
#include "services/decisions/case_subject.h"
#include "services/authz/policy.h"
#include "services/caller.h"

namespace grpc {
class ServerContextBase;
}
namespace google::protobuf {
class Message;
}

namespace sparbar::services {

inline constexpr char kNodatkomstMetadataKey[] = "x-sparbar-nodatkomst-bin";

class PersonAccess {
 public:
  // `cases` runs an access::ReviewCasesProjection and `protected_ids` a
  // ProtectedIdentitiesProjection; all must outlive this. `policy` may be null.
  PersonAccess(EventStore* store, const AccessPolicy* policy, const access::SubjectKey* key,
               const projections::ProjectionRunner* cases, const projections::ProjectionRunner* protected_ids,
               access::AccessLimits limits)
      : store_(store), policy_(policy), key_(key), cases_(cases), protected_(protected_ids), limits_(limits) {}

  // `subject`: a normalized personnummer; `record_ref`: what is read (no
  // personal data), recorded after the method that read it.
  Status Admit(const Caller& caller, const grpc::ServerContextBase& context, const std::string& subject,
               const std::string& record_ref) const;

  // A read of records that are no one person's (a stream other than a
  // case's) is as much as a read of that part of the log: with a policy,
  // it needs a role that may call EventStore.ReadAll. Admitted: one
  // CallRecorded with the request's scope, then Ok; refused: one with
  // outcome denied, then PermissionDenied.
  Status AdmitUnnamed(const Caller& caller, const grpc::ServerContextBase& context,
                      const google::protobuf::Message* request) const;

  // The people a decisions case names through `through_revision`, read
  // with their personal data opened (the store given above).
  Result<decisions::CaseSubjects> SubjectsOfCase(const std::string& stream, uint64_t through_revision) const;

 private:
  EventStore* store_;
  const AccessPolicy* policy_;
  const access::SubjectKey* key_;
  const projections::ProjectionRunner* cases_;
  const projections::ProjectionRunner* protected_;
  access::AccessLimits limits_;
};

}  // namespace sparbar::services
