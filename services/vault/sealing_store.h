// SealingStore: the log as Spårbar's services see it, over the store itself.
// Every append goes through PersonalFields::Seal, so the log holds personal
// data only sealed with each person's key; with `open_reads`, every event
// read (pages, single events, subscriptions) comes back with its personal
// fields opened, or marked disposed once the key is destroyed. Without it,
// reads return the events as stored: the log API serves the sealed bytes
// that the Merkle tree and every proof are over.
//
// What concerns the log itself (size, checkpoints, proofs, Verify) passes
// through untouched. A read whose sealed field does not open is DataLoss.
#pragma once

#include <memory>

#include "eventstore/store.h"
#include "services/vault/personal_fields.h"

namespace sparbar::vault {

class SealingStore final : public EventStore {
 public:
  // Both must outlive this.
  SealingStore(EventStore* log, const PersonalFields* fields, bool open_reads)
      : log_(log), fields_(fields), open_reads_(open_reads) {}

  Result<AppendResult> Append(const std::string& stream, ExpectedRevision expected, std::vector<ProposedEvent> events,
                              const std::string& actor, std::optional<Deadline> deadline) override;
  void AppendAsync(const std::string& stream, ExpectedRevision expected, std::vector<ProposedEvent> events,
                   const std::string& actor, std::optional<Deadline> deadline, AppendCallback done) override;
  Result<StreamPage> ReadStream(const std::string& stream, const ReadStreamOptions& options) override;
  Result<AllPage> ReadAll(const ReadAllOptions& options) override;
  Result<PrefixPage> ReadStreamsWithPrefix(const ReadPrefixOptions& options) override;
  Result<EventRecord> ReadEvent(uint64_t position) override;
  Result<std::vector<EventRecord>> ReadEvents(const std::vector<uint64_t>& positions) override;
  Result<std::vector<std::optional<uint64_t>>> FindEventIds(const std::vector<Uuid>& ids) override {
    return log_->FindEventIds(ids);
  }
  Result<std::unique_ptr<Subscription>> SubscribeAll(const ReadAllOptions& from) override;
  Result<std::unique_ptr<Subscription>> SubscribeStream(const std::string& stream, uint64_t from_revision) override;

  uint64_t Size() const override { return log_->Size(); }
  StoreStats Stats() const override { return log_->Stats(); }
  Result<SignedCheckpoint> LatestCheckpoint() override { return log_->LatestCheckpoint(); }
  Result<SignedCheckpoint> IssueCheckpoint() override { return log_->IssueCheckpoint(); }
  Result<InclusionProofResult> InclusionProof(uint64_t position, uint64_t tree_size) override {
    return log_->InclusionProof(position, tree_size);
  }
  Result<ConsistencyProofResult> ConsistencyProof(uint64_t from_size, uint64_t to_size) override {
    return log_->ConsistencyProof(from_size, to_size);
  }
  Result<VerifyReport> Verify(const VerifyProgress& progress) override { return log_->Verify(progress); }
  Result<uint64_t> Backup(const std::string& dir) override { return log_->Backup(dir); }
  const checkpoint::Signer& signer() const override { return log_->signer(); }
  const std::string& origin() const override { return log_->origin(); }
  const std::string& data_dir() const override { return log_->data_dir(); }
  void Close() override { log_->Close(); }

 private:
  Status OpenAll(std::vector<EventRecord>& events) const;

  EventStore* log_;
  const PersonalFields* fields_;
  bool open_reads_;
};

}  // namespace sparbar::vault
