// Helpers for integration tests of the decisions module: clients of the
// Decisions and DecisionReports services, and the steps of a simple case.
// Header-only; shared by tests/integration/decision*_test.cc.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "integration/client_util.h"
#include "sparbar/v1/decisions_reports_service.grpc.pb.h"
#include "sparbar/v1/decisions_service.grpc.pb.h"

namespace sparbar::testing {

namespace d = sparbar::v1::decisions;

struct DecisionsClient {
  explicit DecisionsClient(const std::string& address)
      : base(address), stub(d::Decisions::NewStub(base.channel)), reports(d::DecisionReports::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<d::Decisions::Stub> stub;
  std::unique_ptr<d::DecisionReports::Stub> reports;

  grpc::Status Record(const d::RecordRequest& r, d::RecordResponse* out = nullptr) {
    d::RecordResponse ignored;
    return stub->Record(Ctx().get(), r, out ? out : &ignored);
  }
};

inline d::RecordRequest Application(const std::string& case_id, const std::string& pnr = "19121212-1212") {
  d::RecordRequest r;
  r.set_case_id(case_id);
  auto* a = r.mutable_application_received();
  a->mutable_subject()->set_personal_identity_number(pnr);
  a->mutable_subject()->set_sex(d::SEX_MAN);
  a->set_received_date("2023-10-01");
  a->set_unit("unit-1");
  return r;
}

inline d::RecordRequest Investigation(const std::string& case_id) {
  d::RecordRequest r;
  r.set_case_id(case_id);
  r.mutable_investigation_opened()->set_opened_date("2023-10-05");
  r.mutable_investigation_opened()->set_case_officer("handlaggare");
  return r;
}

inline d::RecordRequest Decision(const std::string& case_id, d::Outcome outcome = d::OUTCOME_BIFALL) {
  d::RecordRequest r;
  r.set_case_id(case_id);
  auto* m = r.mutable_decision_made();
  m->set_outcome(outcome);
  m->set_insats("sarskilt_boende");
  m->set_lagrum("4 kap. 1 § SoL");
  m->set_reasons("Behov finns.");
  m->set_appeal_information_given(outcome == d::OUTCOME_AVSLAG);
  m->set_decision_maker("handlaggare");
  m->set_delegation_point("3.1");
  m->set_decision_date("2023-11-01");
  return r;
}

inline d::RecordRequest Execution(const std::string& case_id, const std::string& date) {
  d::RecordRequest r;
  r.set_case_id(case_id);
  r.mutable_executed()->set_start_date(date);
  return r;
}

inline void RecordAll(DecisionsClient& c, const std::vector<d::RecordRequest>& steps) {
  for (const auto& s : steps) {
    grpc::Status st = c.Record(s);
    INFO(s.ShortDebugString() << " → " << st.error_message());
    REQUIRE(st.ok());
  }
}


}  // namespace sparbar::testing
