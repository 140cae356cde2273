// Names compared as people read them: without case and without regard to
// runs of spaces. Case is folded for ASCII letters and for the Latin-1
// letters of UTF-8 (Å, Ä, Ö, É, Ü, ...), which Swedish role and body names
// use ("Äldreomsorgschef" is "äldreomsorgschef"); other text is kept as it is.
#pragma once

#include <string>
#include <string_view>

namespace sparbar {

// `text` lower-cased, each run of spaces and tabs as one space, none at either end.
std::string FoldedName(std::string_view text);
// `text` lower-cased, without any spaces or tabs ("F 16.5" and "f16.5" are "f16.5").
std::string FoldedCode(std::string_view text);

}  // namespace sparbar
