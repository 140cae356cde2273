#include "services/vault/sealing_store.h"

namespace sparbar::vault {
namespace {

class OpeningSubscription final : public Subscription {
 public:
  OpeningSubscription(std::unique_ptr<Subscription> inner, const PersonalFields* fields)
      : inner_(std::move(inner)), fields_(fields) {}

  Result<SubscriptionBatch> Next(std::chrono::milliseconds timeout) override {
    auto batch = inner_->Next(timeout);
    if (!batch.ok()) return batch;
    for (EventRecord& e : batch->events) {
      if (Status s = fields_->Open(e); !s.ok()) return s;
    }
    return batch;
  }

 private:
  std::unique_ptr<Subscription> inner_;
  const PersonalFields* fields_;
};

}  // namespace

Status SealingStore::OpenAll(std::vector<EventRecord>& events) const {
  if (!open_reads_) return Status::Ok();
  for (EventRecord& e : events) {
    if (Status s = fields_->Open(e); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<AppendResult> SealingStore::Append(const std::string& stream, ExpectedRevision expected,
                                          std::vector<ProposedEvent> events, const std::string& actor,
                                          std::optional<Deadline> deadline) {
  if (Status s = fields_->Seal(stream, events); !s.ok()) return s;
  return log_->Append(stream, expected, std::move(events), actor, deadline);
}

void SealingStore::AppendAsync(const std::string& stream, ExpectedRevision expected, std::vector<ProposedEvent> events,
                               const std::string& actor, std::optional<Deadline> deadline, AppendCallback done) {
  if (Status s = fields_->Seal(stream, events); !s.ok()) {
    done(s);
    return;
  }
  log_->AppendAsync(stream, expected, std::move(events), actor, deadline, std::move(done));
}

Result<StreamPage> SealingStore::ReadStream(const std::string& stream, const ReadStreamOptions& options) {
  auto page = log_->ReadStream(stream, options);
  if (page.ok()) {
    if (Status s = OpenAll(page->events); !s.ok()) return s;
  }
  return page;
}

Result<AllPage> SealingStore::ReadAll(const ReadAllOptions& options) {
  auto page = log_->ReadAll(options);
  if (page.ok()) {
    if (Status s = OpenAll(page->events); !s.ok()) return s;
  }
  return page;
}

Result<PrefixPage> SealingStore::ReadStreamsWithPrefix(const ReadPrefixOptions& options) {
  auto page = log_->ReadStreamsWithPrefix(options);
  if (page.ok()) {
    if (Status s = OpenAll(page->events); !s.ok()) return s;
  }
  return page;
}

Result<EventRecord> SealingStore::ReadEvent(uint64_t position) {
  auto event = log_->ReadEvent(position);
  if (event.ok() && open_reads_) {
    if (Status s = fields_->Open(*event); !s.ok()) return s;
  }
  return event;
}

Result<std::vector<EventRecord>> SealingStore::ReadEvents(const std::vector<uint64_t>& positions) {
  auto events = log_->ReadEvents(positions);
  if (events.ok()) {
    if (Status s = OpenAll(*events); !s.ok()) return s;
  }
  return events;
}

Result<std::unique_ptr<Subscription>> SealingStore::SubscribeAll(const ReadAllOptions& from) {
  auto sub = log_->SubscribeAll(from);
  if (!sub.ok() || !open_reads_) return sub;
  return std::unique_ptr<Subscription>(std::make_unique<OpeningSubscription>(std::move(*sub), fields_));
}

Result<std::unique_ptr<Subscription>> SealingStore::SubscribeStream(const std::string& stream, uint64_t from_revision) {
  auto sub = log_->SubscribeStream(stream, from_revision);
  if (!sub.ok() || !open_reads_) return sub;
  return std::unique_ptr<Subscription>(std::make_unique<OpeningSubscription>(std::move(*sub), fields_));
}

}  // namespace sparbar::vault
