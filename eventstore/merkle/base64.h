// Base64 (RFC 4648 section 4, standard alphabet, with padding) for arbitrary
// bytes held in std::string.
//
// Encoding always pads. Decoding is strict: the input length must be a multiple
// of 4, only the standard alphabet is accepted (no whitespace, no URL-safe
// characters), '=' may appear only as the final one or two characters, and the
// unused bits of the last group must be zero, so every byte string has exactly
// one accepted encoding. Errors are InvalidArgument.
#pragma once

#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::merkle {

std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace sparbar::merkle
