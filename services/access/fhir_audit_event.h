// An access event as a FHIR R4 AuditEvent, following the IHE Basic Audit
// Log Patterns (BALP): the PatientRead / PatientCreate / PatientUpdate /
// PatientQuery profiles, with the person as the patient entity, so that
// audit tools that take FHIR can read Spårbar's access log.
//
//   type       audit-event-type "rest"; subtype restful-interaction read,
//              create, update or search-type (Spårbar's own queries)
//   action     R, C, U or E; print, copy, export and disclose are R with a
//              second subtype from Spårbar's code system naming the action
//   period     the access time; recorded: when the log recorded it
//   outcome    0 (allowed) or 4 (denied)
//   agent      the user (HSA-id, urn:oid:1.2.752.129.2.1.4.1), requestor,
//              with role and unit; the source system
//   entity     the patient (personnummer urn:oid:1.2.752.129.2.1.3.1, or
//              samordningsnummer urn:oid:1.2.752.129.2.1.3.3); the record
//   purposeOfEvent  ETREAT for nödåtkomst (with its reason as text),
//              the consent reference for consent
// The id is "sparbar-<log position>". Holds personal data (it is the
// exported access): write it only where the access log may go.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "sparbar/v1/access_log_service.pb.h"

namespace sparbar::access {

nlohmann::json AuditEventOf(const v1::access::RecordedAccess& recorded);

}  // namespace sparbar::access
