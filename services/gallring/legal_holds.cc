#include "services/gallring/legal_holds.h"

#include "services/common/fold_prefix.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"
#include "sparbar/v1/gallring.pb.h"

namespace sparbar::gallring {
namespace {

namespace pg = sparbar::v1::gallring;

template <class M>
ProposedEvent EventOf(const M& m) {
  ProposedEvent e;
  e.id = Uuid::Random();
  e.type = M::descriptor()->full_name();
  e.content_type = "application/x-protobuf";
  e.payload = m.SerializeAsString();
  return e;
}

Status CheckReason(const std::string& reason) {
  if (reason.empty()) return Status::InvalidArgument("reason is required: why the hold is placed or released");
  if (reason.size() > 500) return Status::InvalidArgument("reason is longer than 500 bytes");
  if (ContainsPersonalIdentity(reason, StockholmDate(NowMicros()))) {
    return Status::InvalidArgument("reason holds a personnummer; name the person in personal_identity_number only");
  }
  return Status::Ok();
}

}  // namespace

Result<std::set<std::string>> HeldPseudonyms(EventStore& store, const access::SubjectKey& key,
                                             uint64_t below_position) {
  std::set<std::string> held;
  std::string stream, pseudonym;
  auto finish = [&] {
    if (!pseudonym.empty()) held.insert(pseudonym);
    pseudonym.clear();
  };
  Status read = ForEachWithPrefix(store, kHoldStreamPrefix, below_position, [&](const EventRecord& e) {
    if (e.stream != stream) {
      finish();
      stream = e.stream;
    }
    pg::LegalHoldPlaced placed;
    if (e.type == pg::LegalHoldPlaced::descriptor()->full_name() && placed.ParseFromString(e.payload) &&
        !placed.subject().disposed() && !placed.subject().personal_identity_number().empty()) {
      pseudonym = key.Of(placed.subject().personal_identity_number());
    } else if (e.type == pg::LegalHoldReleased::descriptor()->full_name()) {
      pseudonym.clear();
    }
  });
  if (!read.ok()) return read;
  finish();
  return held;
}

Result<uint64_t> PlaceHold(EventStore& store, const std::string& hold_id, const std::string& number,
                           const std::string& reason, const std::string& actor,
                           std::optional<EventStore::Deadline> deadline) {
  SPARBAR_RETURN_IF_ERROR(ValidateStreamId(hold_id, "hold_id"));
  SPARBAR_RETURN_IF_ERROR(CheckReason(reason));
  pg::LegalHoldPlaced placed;
  placed.mutable_subject()->set_personal_identity_number(number);
  placed.set_reason(reason);
  placed.set_placed_date(StockholmDate(NowMicros()).ToString());
  auto appended = store.Append(kHoldStreamPrefix + hold_id, ExpectedRevision::NoStream(), {EventOf(placed)}, actor,
                               deadline);
  if (!appended.ok()) {
    if (appended.status().code() == Code::kAborted) {  // the stream exists: the id is taken
      return Status::AlreadyExists("hold_id " + hold_id + " is used already; name a new hold");
    }
    return appended.status();
  }
  return appended->first_position;
}

Result<uint64_t> ReleaseHold(EventStore& store, const std::string& hold_id, const std::string& reason,
                             const std::string& actor, std::optional<EventStore::Deadline> deadline) {
  SPARBAR_RETURN_IF_ERROR(ValidateStreamId(hold_id, "hold_id"));
  SPARBAR_RETURN_IF_ERROR(CheckReason(reason));
  ReadStreamOptions last;
  last.backwards = true;
  last.from_end = true;
  last.max_count = 1;
  auto page = store.ReadStream(kHoldStreamPrefix + hold_id, last);
  if (page.status().code() == Code::kNotFound || (page.ok() && page->events.empty())) {
    return Status::NotFound("no hold " + hold_id);
  }
  if (!page.ok()) return page.status();
  if (page->events.front().type == pg::LegalHoldReleased::descriptor()->full_name()) {
    return Status::FailedPrecondition("hold " + hold_id + " is released already");
  }
  pg::LegalHoldReleased released;
  released.set_reason(reason);
  released.set_released_date(StockholmDate(NowMicros()).ToString());
  auto appended = store.Append(kHoldStreamPrefix + hold_id, ExpectedRevision::Exact(page->events.front().revision),
                               {EventOf(released)}, actor, deadline);
  if (!appended.ok()) return appended.status();
  return appended->first_position;
}

}  // namespace sparbar::gallring
