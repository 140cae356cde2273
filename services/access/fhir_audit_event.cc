#include "services/access/fhir_audit_event.h"

#include <google/protobuf/util/time_util.h>

#include <string>

namespace sparbar::access {
namespace {

namespace pb = ::sparbar::v1::access;
using nlohmann::json;
using google::protobuf::util::TimeUtil;

constexpr const char* kBalp = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";
constexpr const char* kActionSystem = "https://sparbar.se/fhir/CodeSystem/access-action";

json Coding(const char* system, const std::string& code, const std::string& display = "") {
  json c = {{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

struct Interaction {
  const char* profile;
  const char* subtype;
  const char* action;
};

Interaction InteractionOf(const pb::AccessRecorded& a) {
  if (a.source_system() == "sparbar") return {"PatientQuery", "search-type", "E"};
  switch (a.action()) {
    case pb::ACTION_CREATE: return {"PatientCreate", "create", "C"};
    case pb::ACTION_UPDATE: return {"PatientUpdate", "update", "U"};
    default: return {"PatientRead", "read", "R"};
  }
}

const char* ActionCode(pb::Action a) {
  switch (a) {
    case pb::ACTION_READ: return "read";
    case pb::ACTION_CREATE: return "create";
    case pb::ACTION_UPDATE: return "update";
    case pb::ACTION_PRINT: return "print";
    case pb::ACTION_COPY: return "copy";
    case pb::ACTION_EXPORT: return "export";
    case pb::ACTION_DISCLOSE: return "disclose";
    default: return "unspecified";
  }
}

// Samordningsnummer have 60 added to the day of birth.
const char* IdentitySystem(const std::string& number) {
  const bool coordination = number.size() == 12 && number[6] >= '6';
  return coordination ? "urn:oid:1.2.752.129.2.1.3.3" : "urn:oid:1.2.752.129.2.1.3.1";
}

}  // namespace

json AuditEventOf(const pb::RecordedAccess& recorded) {
  const pb::AccessRecorded& a = recorded.access();
  const Interaction i = InteractionOf(a);
  const std::string when = TimeUtil::ToString(a.accessed_at());
  json subtype = json::array({Coding("http://hl7.org/fhir/restful-interaction", i.subtype)});
  if (a.action() != pb::ACTION_READ && a.action() != pb::ACTION_CREATE && a.action() != pb::ACTION_UPDATE) {
    subtype.push_back(Coding(kActionSystem, ActionCode(a.action())));
  }
  json user = {
      {"type", {{"coding", json::array({Coding("http://terminology.hl7.org/CodeSystem/extra-security-role-type",
                                               "humanuser", "human user")})}}},
      {"who", {{"identifier", {{"system", "urn:oid:1.2.752.129.2.1.4.1"}, {"value", a.user_hsa_id()}}}}},
      {"requestor", true},
      {"role", json::array({{{"text", a.role()}}})},
      {"location", {{"identifier", {{"value", a.unit()}}}, {"display", a.unit()}}}};
  json source_agent = {
      {"type", {{"coding", json::array({Coding("http://dicom.nema.org/resources/ontology/DCM", "110153",
                                               "Source Role ID")})}}},
      {"who", {{"display", a.source_system()}}},
      {"requestor", false}};
  json entities = json::array({{
      {"what", a.subject().disposed()
                   ? json{{"display", "gallrad"}}  // the person's data is disposed of
                   : json{{"identifier", {{"system", IdentitySystem(a.subject().personal_identity_number())},
                                          {"value", a.subject().personal_identity_number()}}}}},
      {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person")},
      {"role", Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient")},
  }});
  if (!a.record_ref().empty()) {
    entities.push_back({
        {"what", {{"identifier", {{"value", a.record_ref()}}}}},
        {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object")},
        {"role", Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource")},
    });
  }
  json event = {
      {"resourceType", "AuditEvent"},
      {"id", "sparbar-" + std::to_string(recorded.position())},
      {"meta", {{"profile", json::array({std::string(kBalp) + i.profile})}}},
      {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation")},
      {"subtype", subtype},
      {"action", i.action},
      {"period", {{"start", when}, {"end", when}}},
      {"recorded", TimeUtil::ToString(recorded.recorded_at())},
      {"outcome", a.outcome() == pb::OUTCOME_DENIED ? "4" : "0"},
      {"agent", json::array({user, source_agent})},
      {"source",
       {{"observer", {{"display", a.source_system()}}},
        {"type", json::array({Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                                     "Application Server")})}}},
      {"entity", entities},
  };
  if (a.purpose() == pb::PURPOSE_NODATKOMST) {
    event["purposeOfEvent"] = json::array(
        {{{"coding", json::array({Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT",
                                         "Emergency Treatment")})},
          {"text", "nödåtkomst: " + a.emergency_reason()}}});
  } else if (a.purpose() == pb::PURPOSE_CONSENT) {
    event["purposeOfEvent"] = json::array({{{"text", "samtycke: " + a.consent_ref()}}});
  }
  return event;
}

}  // namespace sparbar::access
