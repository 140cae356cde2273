#include "eventstore/checkpoint/note.h"

#include <cassert>
#include <cstdio>
#include <vector>

#include "eventstore/merkle/base64.h"

namespace sparbar::checkpoint {
namespace {

constexpr std::string_view kSigPrefix = "\xe2\x80\x94 ";  // U+2014 EM DASH, space
constexpr size_t kMaxNoteSize = 1 << 20;
constexpr size_t kMaxSignatures = 100;

Status Malformed(const std::string& what) { return Status::InvalidArgument("malformed checkpoint note: " + what); }

// True when `s` is valid UTF-8 (shortest forms, no surrogates).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

// Control characters other than newline.
bool HasControl(std::string_view s) {
  for (char ch : s) {
    const uint8_t c = static_cast<uint8_t>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

struct SignatureLine {
  std::string_view name;
  uint32_t key_hash = 0;
  std::string signature;  // without the key hash
};

struct SplitNote {
  std::string_view text;  // the signed body, ending in '\n'
  std::vector<SignatureLine> signatures;
};

Result<SplitNote> Split(std::string_view note) {
  if (note.size() > kMaxNoteSize) return Malformed("larger than " + std::to_string(kMaxNoteSize) + " bytes");
  if (!ValidUtf8(note)) return Malformed("not valid UTF-8");
  if (HasControl(note)) return Malformed("contains a control character");
  const size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) return Malformed("no blank line before the signatures");
  SplitNote out;
  out.text = note.substr(0, blank + 1);
  std::string_view sigs = note.substr(blank + 2);
  if (sigs.empty()) return Malformed("no signature lines");
  if (sigs.back() != '\n') return Malformed("does not end with a newline");
  while (!sigs.empty()) {
    const size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (out.signatures.size() == kMaxSignatures) return Malformed("more than 100 signatures");
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) return Malformed("signature line does not start with an em dash");
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) return Malformed("signature line has no signature");
    SignatureLine sig;
    sig.name = line.substr(0, space);
    if (!ValidateKeyName(sig.name).ok()) return Malformed("signature line has an invalid key name");
    Result<std::string> bytes = merkle::Base64Decode(line.substr(space + 1));
    if (!bytes.ok()) return Malformed("signature is not base64: " + bytes.status().message());
    if (bytes->size() < 5) return Malformed("signature is too short");
    const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>((*bytes)[k])); };
    sig.key_hash = (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
    sig.signature = bytes->substr(4);
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

Result<uint64_t> ParseSize(std::string_view s) {
  if (s.empty()) return Malformed("tree size is empty");
  if (s.size() > 1 && s[0] == '0') return Malformed("tree size has a leading zero");
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return Malformed("tree size is not a decimal number");
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return Malformed("tree size does not fit in 64 bits");
    v = v * 10 + d;
  }
  return v;
}

// Parses the signed text: origin, size, root, then optional extension lines.
Result<Checkpoint> ParseBody(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return Malformed("body does not end with a newline");
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) return Malformed("body has fewer than 3 lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (Status s = ValidateOrigin(c.origin); !s.ok()) return Malformed(s.message());
  Result<uint64_t> size = ParseSize(lines[1]);
  if (!size.ok()) return size.status();
  c.size = *size;
  Result<merkle::Hash> root = merkle::HashFromBase64(lines[2]);
  if (!root.ok()) return Malformed("root hash: " + root.status().message());
  c.root = *root;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Malformed("body has an empty extension line");
  }
  return c;
}

}  // namespace

Status ValidateOrigin(std::string_view origin) {
  if (origin.empty()) return Status::InvalidArgument("checkpoint origin is empty");
  if (!ValidUtf8(origin)) return Status::InvalidArgument("checkpoint origin is not valid UTF-8");
  if (HasControl(origin) || origin.find('\n') != std::string_view::npos) {
    return Status::InvalidArgument("checkpoint origin contains a control character");
  }
  return Status::Ok();
}

std::string CheckpointBody(const Checkpoint& c) {
  assert(ValidateOrigin(c.origin).ok());
  std::string body = c.origin;
  body.push_back('\n');
  body.append(std::to_string(c.size));
  body.push_back('\n');
  body.append(merkle::ToBase64(c.root));
  body.push_back('\n');
  return body;
}

std::string SignCheckpoint(const Checkpoint& c, const Signer& signer) {
  const std::string body = CheckpointBody(c);
  const uint32_t h = signer.key_hash();
  std::string sig;
  sig.push_back(static_cast<char>(h >> 24));
  sig.push_back(static_cast<char>(h >> 16));
  sig.push_back(static_cast<char>(h >> 8));
  sig.push_back(static_cast<char>(h));
  sig.append(signer.Sign(body));

  std::string note = body;
  note.push_back('\n');
  note.append(kSigPrefix);
  note.append(signer.key_name());
  note.push_back(' ');
  note.append(merkle::Base64Encode(sig));
  note.push_back('\n');
  return note;
}

Result<Checkpoint> OpenCheckpoint(std::string_view note, const Verifier& verifier) {
  Result<SplitNote> split = Split(note);
  if (!split.ok()) return Status::DataLoss(split.status().message());
  const SignatureLine* match = nullptr;
  for (const SignatureLine& sig : split->signatures) {
    if (sig.name != verifier.key_name() || sig.key_hash != verifier.key_hash()) continue;
    if (match != nullptr) return Status::DataLoss("checkpoint has two signatures by " + verifier.key_name());
    match = &sig;
  }
  if (match == nullptr) {
    char hash[9];
    std::snprintf(hash, sizeof(hash), "%08x", verifier.key_hash());
    return Status::DataLoss("checkpoint has no signature by key " + verifier.key_name() + "+" + hash);
  }
  if (!verifier.Verify(split->text, match->signature)) {
    return Status::DataLoss("checkpoint signature does not verify");
  }
  Result<Checkpoint> c = ParseBody(split->text);
  if (!c.ok()) return Status::DataLoss(c.status().message());
  return c;
}

Result<Checkpoint> ParseCheckpointUnverified(std::string_view note) {
  Result<SplitNote> split = Split(note);
  if (!split.ok()) return split.status();
  return ParseBody(split->text);
}

}  // namespace sparbar::checkpoint
