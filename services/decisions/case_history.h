// CaseHistory: how the case-facts projection stores a case's events, one
// state entry per event, written once and never rewritten.
//
//   "history/<stream>\x01<revision, 16 hex digits>" -> StoredCaseEvent
//
// An entry is the event as the log holds it, minus personal data: the
// personnummer of an application, and in a correction the replacement is
// kept only as the fold reads it (parsed as its target's type, without the
// personnummer or unknown fields). Stream names hold no control characters, so "\x01" ends the stream
// name and a case's entries sort by revision. Folding a case's entries in
// order through Evolve gives the same state as folding its log events.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/decisions/decider.h"

namespace sparbar::decisions {

inline constexpr std::string_view kHistoryPrefix = "history/";

// The prefix of one case's entries, and the key of one of them.
std::string CaseHistoryPrefix(std::string_view stream);
std::string CaseHistoryKey(std::string_view stream, uint64_t revision);

// `event` without personal data, given the case's state before it. Nullopt
// when the event holds none, so that its log bytes can be stored as they are.
// A correction always comes back rewritten; folded, it has the same effect as
// the original.
std::optional<Payload> WithoutPersonalData(const Payload& event, const CaseState& before);

// A stored entry from an event's type and payload bytes, and back.
std::string EncodeEntry(std::string_view type, std::string_view payload);
Result<Payload> DecodeEntry(std::string_view entry);

// Folds the cases of a scan of kHistoryPrefix: feed it the (key, entry)
// pairs in key order, a page at a time if need be; it calls `on_case` with
// each case's stream and state once all of that case's entries are in, in
// stream order (the last case on Finish). DataLoss for a malformed key or entry.
class CaseHistoryFolder {
 public:
  using OnCase = std::function<void(std::string_view stream, CaseState state)>;
  explicit CaseHistoryFolder(OnCase on_case) : on_case_(std::move(on_case)) {}
  Status Add(std::string_view key, std::string_view entry);
  void Finish();

 private:
  OnCase on_case_;
  std::string stream_;
  CaseState state_;
  bool open_ = false;
};

// Reads every case's stored history in pages through `scan(limit, after)`
// and folds it with a CaseHistoryFolder. `before_page`, when given, is asked
// before each page is read; a status other than Ok stops the fold with it
// (a caller that has gone, a deadline that has passed).
using HistoryPageFn =
    std::function<Result<std::vector<std::pair<std::string, std::string>>>(size_t limit, std::string_view after)>;
Status FoldAllCases(const HistoryPageFn& scan, const CaseHistoryFolder::OnCase& on_case,
                    const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::decisions
