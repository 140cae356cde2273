#include "services/statements/request.h"

#include "services/committee/dnr.h"
#include "services/committee/paragraph_ref.h"
#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"

namespace sparbar::statements {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "request for a statement");
}

std::string AuthorityKey(pb::Authority a) {
  switch (a) {
    case pb::AUTHORITY_IVO: return "ivo";
    case pb::AUTHORITY_JO: return "jo";
    case pb::AUTHORITY_PATIENTNAMNDEN: return "patientnamnden";
    default: return "other";
  }
}

std::string AuthorityName(const pb::StatementRequested& r) {
  switch (r.authority()) {
    case pb::AUTHORITY_IVO: return "IVO";
    case pb::AUTHORITY_JO: return "JO";
    case pb::AUTHORITY_PATIENTNAMNDEN: return "Patientnämnden";
    default: return r.authority_name().empty() ? "annan" : r.authority_name();
  }
}

std::string SubjectKey(pb::Subject s) {
  switch (s) {
    case pb::SUBJECT_INDIVIDUAL_CASE: return "enskilt_arende";
    case pb::SUBJECT_EJ_VERKSTALLT_BESLUT: return "ej_verkstallt_beslut";
    case pb::SUBJECT_COMPLAINT: return "klagomal";
    case pb::SUBJECT_TILLSYN: return "tillsyn";
    default: return "ovrigt";
  }
}

std::string SubjectName(pb::Subject s) {
  switch (s) {
    case pb::SUBJECT_INDIVIDUAL_CASE: return "enskilt ärende";
    case pb::SUBJECT_EJ_VERKSTALLT_BESLUT: return "ej verkställt beslut";
    case pb::SUBJECT_COMPLAINT: return "klagomål";
    case pb::SUBJECT_TILLSYN: return "tillsyn";
    default: return "övrigt";
  }
}

namespace {

const char* PhaseOf(const RequestState& s) {
  if (!s.Requested()) return "not received";
  if (s.closed) return "closed";
  if (s.sent) return "answered";
  return "awaiting a statement";
}

Status Rule(const RequestState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the request is " + PhaseOf(s) + ")");
}

struct Decider {
  const RequestState& s;
  const DecideContext& c;

  Status Short(const std::string& value, const char* field, bool required) const {
    return FreeTextField(value, field, kMaxShortText, required, c.today);
  }

  // A date not after today nor before the receipt.
  Result<CivilDate> Date(const std::string& text, const char* field) const {
    SPARBAR_TRY_ASSIGN(d, DateField(text, field, c.today));
    SPARBAR_TRY(NotBefore(d, s.received_on, field, "the receipt"));
    return d;
  }

  // The meeting a step names, when it names one: held on or after the receipt and not after `latest`.
  Status Meeting(const ::sparbar::v1::delegation::CommitteeParagraph& ref, const char* field, std::optional<CivilDate> latest) const {
    if (!committee::Given(ref)) return Status::Ok();
    if (!c.meeting_date) return Status::Internal(std::string(field) + " was not checked");
    if (*c.meeting_date < s.received_on) {
      return Status::InvalidArgument(std::string(field) + ": the meeting of " + c.meeting_date->ToString() +
                                     " was held before the request was received, " + s.received_on.ToString());
    }
    if (latest && *latest < *c.meeting_date) {
      return Status::InvalidArgument(std::string(field) + ": the meeting of " + c.meeting_date->ToString() +
                                     " was held after " + latest->ToString());
    }
    return Status::Ok();
  }

  Result<Payload> operator()(pb::StatementRequested m) const {
    if (s.Requested()) return Rule(s, "a request is received once");
    if (!pb::Authority_IsValid(m.authority()) || m.authority() == pb::AUTHORITY_UNSPECIFIED) {
      return Status::InvalidArgument("authority is required: AUTHORITY_IVO, AUTHORITY_JO, AUTHORITY_PATIENTNAMNDEN "
                                     "or AUTHORITY_OTHER");
    }
    SPARBAR_TRY(Short(m.authority_name(), "authority_name", m.authority() == pb::AUTHORITY_OTHER));
    SPARBAR_TRY(Short(m.authority_reference(), "authority_reference", false));
    SPARBAR_TRY_ASSIGN(received, DateField(m.received_date(), "received_date", c.today));
    if (!pb::Subject_IsValid(m.subject()) || m.subject() == pb::SUBJECT_UNSPECIFIED) {
      return Status::InvalidArgument("subject is required: SUBJECT_INDIVIDUAL_CASE, SUBJECT_EJ_VERKSTALLT_BESLUT, "
                                     "SUBJECT_COMPLAINT, SUBJECT_TILLSYN or SUBJECT_OTHER");
    }
    SPARBAR_TRY(Short(m.area(), "area", false));
    SPARBAR_TRY(Short(m.unit(), "unit", false));
    SPARBAR_TRY(Short(m.responsible(), "responsible", false));
    SPARBAR_TRY(Short(m.case_reference(), "case_reference", false));
    m.clear_dnr_canonical();
    if (!m.dnr().empty()) {
      SPARBAR_TRY_ASSIGN(dnr, committee::ParseDnr(m.dnr(), "dnr"));
      m.set_dnr_canonical(dnr.canonical);
    }
    m.set_due_date_defaulted(m.due_date().empty());
    if (m.due_date().empty()) {
      m.set_due_date(received.AddDays(c.rules->StatementAnswerDays(AuthorityKey(m.authority()))).ToString());
    } else {
      SPARBAR_TRY_ASSIGN(due, CivilDate::Parse(m.due_date(), "due_date"));
      SPARBAR_TRY(NotBefore(due, received, "due_date", "the receipt"));
    }
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::DueDateExtended m) const {
    if (!s.Awaiting()) return Rule(s, "the due date is extended while a statement is awaited");
    SPARBAR_TRY_ASSIGN(due, CivilDate::Parse(m.due_date(), "due_date"));
    if (!(s.due_on < due)) {
      return Status::InvalidArgument("due_date " + due.ToString() + " must come after the current one, " +
                                     s.due_on.ToString());
    }
    SPARBAR_TRY(Date(m.granted_date(), "granted_date").status());
    SPARBAR_TRY(FreeTextField(m.reason(), "reason", kMaxLongText, false, c.today));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::StatementSent m) const {
    if (!s.Awaiting()) return Rule(s, "a statement is sent once, while the request is open");
    SPARBAR_TRY_ASSIGN(sent, Date(m.sent_date(), "sent_date"));
    const bool adopted = committee::Given(m.adopted_in());
    if (adopted == !m.decided_by().empty()) {
      return Status::InvalidArgument(
          "name either adopted_in (the committee meeting that adopted the statement) or decided_by (the delegate)");
    }
    SPARBAR_TRY(Meeting(m.adopted_in(), "adopted_in", sent));
    SPARBAR_TRY(Short(m.decided_by(), "decided_by", false));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RequestReported m) const {
    if (!s.Requested()) return Rule(s, "the committee is informed of a request received");
    if (s.reported) return Rule(s, "the committee is informed of a request once");
    if (!committee::Given(m.reported_in())) {
      return Status::InvalidArgument("reported_in is required: the meeting and its paragraph");
    }
    SPARBAR_TRY(Meeting(m.reported_in(), "reported_in", std::nullopt));
    m.set_meeting_date(c.meeting_date->ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RequestClosed m) const {
    if (!s.Requested() || s.closed) return Rule(s, "a request received is closed once");
    SPARBAR_TRY_ASSIGN(closed, Date(m.closed_date(), "closed_date"));
    if (s.sent) SPARBAR_TRY(NotBefore(closed, s.sent_on, "closed_date", "the statement sent"));
    if (!pb::Conclusion_IsValid(m.conclusion()) || m.conclusion() == pb::CONCLUSION_UNSPECIFIED) {
      return Status::InvalidArgument("conclusion is required: CONCLUSION_NO_CRITICISM, CONCLUSION_CRITICISM, "
                                     "CONCLUSION_WITHDRAWN or CONCLUSION_OTHER");
    }
    const bool needs_text = m.conclusion() == pb::CONCLUSION_CRITICISM || m.conclusion() == pb::CONCLUSION_OTHER;
    SPARBAR_TRY(FreeTextField(m.text(), "text", kMaxLongText, needs_text, c.today));
    return Payload(std::move(m));
  }
};

}  // namespace

Result<Payload> Decide(const RequestState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

RequestState Evolve(RequestState s, const Payload& event) {
  auto date = [](const std::string& text) { return CivilDate::TryParse(text).value_or(CivilDate{}); };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::StatementRequested>) {
          s.requested = m;
          s.received_on = date(m.received_date());
          s.due_on = date(m.due_date());
        } else if constexpr (std::is_same_v<T, pb::DueDateExtended>) {
          s.due_on = date(m.due_date());
          ++s.extensions;
        } else if constexpr (std::is_same_v<T, pb::StatementSent>) {
          s.sent = m;
          s.sent_on = date(m.sent_date());
        } else if constexpr (std::is_same_v<T, pb::RequestReported>) {
          s.reported = m;
        } else if constexpr (std::is_same_v<T, pb::RequestClosed>) {
          s.closed = m;
          s.closed_on = date(m.closed_date());
        }
      },
      event);
  return s;
}

}  // namespace sparbar::statements
