#include "services/common/text_fold.h"

namespace sparbar {
namespace {

// Appends `text` lower-cased; a space or tab becomes `space` (empty: dropped),
// never two in a row and never first.
std::string Fold(std::string_view text, std::string_view space) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += space;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      // U+00C0-U+00DE are the Latin-1 capitals (U+00D7 is the multiplication sign); the small letter is 0x20 on.
      const auto next = static_cast<unsigned char>(text[++i]);
      out += static_cast<char>(c);
      out += static_cast<char>(next >= 0x80 && next <= 0x9E && next != 0x97 ? next + 0x20 : next);
    } else {
      out += static_cast<char>(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string FoldedName(std::string_view text) { return Fold(text, " "); }
std::string FoldedCode(std::string_view text) { return Fold(text, ""); }

}  // namespace sparbar
