#include "services/decisions/case_history.h"

#include "sparbar/v1/decisions_views.pb.h"

namespace sparbar::decisions {
namespace {

constexpr char kRevisionSeparator = '\x01';
// A truncated varint: no decisions message parses from it.
constexpr std::string_view kUnreadableReplacement = "\xff";

}  // namespace

std::string CaseHistoryPrefix(std::string_view stream) {
  std::string p;
  p.reserve(kHistoryPrefix.size() + stream.size() + 1);
  p.append(kHistoryPrefix).append(stream).push_back(kRevisionSeparator);
  return p;
}

std::string CaseHistoryKey(std::string_view stream, uint64_t revision) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = CaseHistoryPrefix(stream);
  const size_t at = key.size();
  key.resize(at + 16);
  for (int i = 15; i >= 0; --i, revision >>= 4) key[at + static_cast<size_t>(i)] = kHex[revision & 0xf];
  return key;
}

std::optional<Payload> WithoutPersonalData(const Payload& event, const CaseState& before) {
  if (const auto* app = std::get_if<pb::ApplicationReceived>(&event)) {
    pb::ApplicationReceived stripped = *app;
    stripped.mutable_subject()->clear_personal_identity_number();
    return Payload(std::move(stripped));
  }
  const auto* fix = std::get_if<pb::Corrected>(&event);
  if (!fix) return std::nullopt;
  // A correction carries a whole new event, an application's personnummer
  // included. Keep only what the fold reads of it: the replacement parsed as
  // its target's type, without the personnummer or unknown fields.
  pb::Corrected stripped = *fix;
  const std::optional<size_t> target = before.HistoryIndex(fix->target_revision());
  if (!target) {
    stripped.clear_replacement_payload();  // Evolve ignores it whatever it holds
    return Payload(std::move(stripped));
  }
  auto replacement = Parse(TypeOf(before.history[*target]), fix->replacement_payload());
  if (!replacement.ok()) {
    // Still unreadable, so that Evolve ignores it here as it does in the log.
    stripped.set_replacement_payload(std::string(kUnreadableReplacement));
    return Payload(std::move(stripped));
  }
  std::visit(
      [](auto& m) {
        m.DiscardUnknownFields();
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, pb::ApplicationReceived>) {
          m.mutable_subject()->clear_personal_identity_number();
        }
      },
      *replacement);
  stripped.set_replacement_payload(Serialize(*replacement));
  return Payload(std::move(stripped));
}

std::string EncodeEntry(std::string_view type, std::string_view payload) {
  // The wire form of StoredCaseEvent {1: type, 2: payload}, written
  // directly: both fields are length-delimited (wire type 2).
  auto varint = [](std::string& out, uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  };
  std::string out;
  out.reserve(type.size() + payload.size() + 12);
  out.push_back('\x0a');
  varint(out, type.size());
  out.append(type);
  out.push_back('\x12');
  varint(out, payload.size());
  out.append(payload);
  return out;
}

Result<Payload> DecodeEntry(std::string_view entry) {
  pb::StoredCaseEvent e;
  if (!e.ParseFromArray(entry.data(), static_cast<int>(entry.size()))) {
    return Status::DataLoss("malformed entry in the stored history of a case");
  }
  auto p = Parse(e.type(), e.payload());
  if (!p.ok()) return Status::DataLoss("malformed event in the stored history of a case");
  return p;
}

Status CaseHistoryFolder::Add(std::string_view key, std::string_view entry) {
  const size_t end = key.rfind(kRevisionSeparator);
  if (!key.starts_with(kHistoryPrefix) || end == std::string_view::npos || end < kHistoryPrefix.size()) {
    return Status::DataLoss("malformed key in the stored history of the cases");
  }
  auto event = DecodeEntry(entry);
  if (!event.ok()) return event.status();
  const std::string_view hex = key.substr(end + 1);
  uint64_t revision = 0;
  if (hex.size() != 16) return Status::DataLoss("malformed key in the stored history of the cases");
  for (char ch : hex) {
    const int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (digit < 0) return Status::DataLoss("malformed key in the stored history of the cases");
    revision = revision << 4 | static_cast<uint64_t>(digit);
  }
  const std::string_view stream = key.substr(kHistoryPrefix.size(), end - kHistoryPrefix.size());
  if (open_ && stream != stream_) Finish();
  if (!open_) {
    stream_.assign(stream);
    open_ = true;
  }
  state_.SkipTo(revision);  // skipped (foreign) events have no entry
  state_ = Evolve(std::move(state_), std::move(*event));
  return Status::Ok();
}

void CaseHistoryFolder::Finish() {
  if (!open_) return;
  on_case_(stream_, std::move(state_));
  state_ = CaseState();
  open_ = false;
}

Status FoldAllCases(const HistoryPageFn& scan, const CaseHistoryFolder::OnCase& on_case,
                    const std::function<Status()>& before_page) {
  constexpr size_t kPage = 65536;
  CaseHistoryFolder folder(on_case);
  std::string after;
  while (true) {
    if (before_page) {
      if (Status stop = before_page(); !stop.ok()) return stop;
    }
    auto page = scan(kPage, after);
    if (!page.ok()) return page.status();
    for (const auto& [key, entry] : *page) {
      if (Status s = folder.Add(key, entry); !s.ok()) return s;
    }
    if (page->size() < kPage) break;
    after = page->back().first;
  }
  folder.Finish();
  return Status::Ok();
}

}  // namespace sparbar::decisions
