// Yttrande: one authority's request for a statement as a decider over its
// stream ("yttrande-<id>"), in the pattern of services/committee/meeting.h.
//
// Lifecycle: requested (the authority, its reference, the subject, the due
// date: the authority's, or the received date plus the configured days) ->
// the due date extended, later each time -> the statement sent, adopted by
// the committee at a recorded meeting or decided by a delegate -> the
// matter closed by the authority (with its conclusion; criticism needs its
// text), or withdrawn; after the closing only the report to the committee.
// The committee may be informed of the request once, at a meeting held on
// or after its receipt, also after the closing. A
// statement sent after the due date is recorded and counted as late. Dates
// may not lie after today in Sweden (the due dates may), nor before the
// receipt. Texts naming anyone by personnummer are refused: the person is
// referred to through the case.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "eventstore/status.h"
#include "services/committee/rules.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/statements.pb.h"

namespace sparbar::statements {

namespace pb = ::sparbar::v1::statements;

using Payload = std::variant<pb::StatementRequested, pb::DueDateExtended, pb::StatementSent, pb::RequestReported,
                             pb::RequestClosed>;

inline constexpr std::string_view kStreamPrefix = "yttrande-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

// The authority's key in the rules and the reports ("ivo", "jo",
// "patientnamnden", "other") and its name ("IVO", "JO", "Patientnämnden",
// or the name the request gives).
std::string AuthorityKey(pb::Authority a);
std::string AuthorityName(const pb::StatementRequested& r);
// The subject's key ("ej_verkstallt_beslut") and name ("ej verkställt beslut").
std::string SubjectKey(pb::Subject s);
std::string SubjectName(pb::Subject s);

struct RequestState {
  std::optional<pb::StatementRequested> requested;
  CivilDate received_on, due_on;  // due_on: the latest due date
  int extensions = 0;
  std::optional<pb::StatementSent> sent;
  CivilDate sent_on;
  std::optional<pb::RequestReported> reported;
  std::optional<pb::RequestClosed> closed;
  CivilDate closed_on;

  bool Requested() const { return requested.has_value(); }
  // Received, and neither answered nor closed: a statement is awaited.
  bool Awaiting() const { return Requested() && !sent && !closed; }
  bool SentLate() const { return sent && due_on < sent_on; }
};

struct DecideContext {
  CivilDate today;  // in Sweden
  const committee::CommitteeRules* rules;
  // The date of the meeting a step names (adopted_in, reported_in), checked
  // by the service; nullopt when the step names none.
  std::optional<CivilDate> meeting_date;
};

Result<Payload> Decide(const RequestState& state, const Payload& proposed, const DecideContext& context);
RequestState Evolve(RequestState state, const Payload& event);

}  // namespace sparbar::statements
