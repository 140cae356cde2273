#include "eventstore/log_nodes.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "eventstore/keys.h"

namespace sparbar {
namespace {

std::string NodeName(uint8_t level, uint64_t index) {
  return "tree node (level " + std::to_string(level) + ", index " + std::to_string(index) + ")";
}

}  // namespace

Result<merkle::Hash> LogNodeReader::Node(uint8_t level, uint64_t index) {
  if (level >= db_.lowest_stored_level()) return Stored(level, index);
  return FromEvents(level, index);
}

Result<merkle::Hash> LogNodeReader::Stored(uint8_t level, uint64_t index) {
  std::string value;
  auto s = db_.db()->Get(ro_, db_.tree(), keys::Node(level, index), &value);
  if (s.IsNotFound()) return Status::DataLoss(NodeName(level, index) + " is missing");
  if (!s.ok()) return FromRocks(s, "reading " + NodeName(level, index));
  if (value.size() != 32) return Status::DataLoss(NodeName(level, index) + " has the wrong length");
  merkle::Hash h;
  std::memcpy(h.data(), value.data(), 32);
  return h;
}

Result<merkle::Hash> LogNodeReader::FromEvents(uint8_t level, uint64_t index) {
  // level < lowest_stored_level() <= LogDb::kMaxLowestStoredLevel, so this is
  // at most 128 leaves, and index << level cannot overflow for a real log.
  const uint64_t count = uint64_t{1} << level;
  if (index > (UINT64_MAX >> level) - 1) {
    return Status::InvalidArgument(NodeName(level, index) + " covers leaves past any log");
  }
  const uint64_t first = index << level;
  std::vector<merkle::Hash> hashes;
  hashes.reserve(count);
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(ro_, db_.events()));
  const std::string start = keys::Position(first);
  it->Seek(start);
  for (uint64_t k = 0; k < count; ++k, it->Next()) {
    const uint64_t pos = first + k;
    if (!it->Valid() || it->key().size() != 8 || GetBigEndian64(it->key().data()) != pos) {
      if (!it->status().ok()) return FromRocks(it->status(), "reading the events under " + NodeName(level, index));
      return Status::DataLoss("the event at position " + std::to_string(pos) + " is missing, so " +
                              NodeName(level, index) + " cannot be recomputed");
    }
    hashes.push_back(merkle::LeafHash(std::string_view(it->value().data(), it->value().size())));
  }
  // Fold pairwise, level by level, up to the node.
  for (uint64_t width = count; width > 1; width /= 2) {
    for (uint64_t j = 0; j < width / 2; ++j) hashes[j] = merkle::NodeHash(hashes[2 * j], hashes[2 * j + 1]);
  }
  return hashes[0];
}

}  // namespace sparbar
