// Output shared by the report commands: the document to stdout or a file, and
// the --format option.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sparbar::cli {

// Writes `bytes` to `path` (empty: stdout), unchanged. False, with a message
// on stderr, when the file cannot be written.
bool WriteOutput(const std::string& path, std::string_view bytes);

// --format, one of `choices`; the default is *format.
void AddFormatOption(CLI::App* cmd, std::string* format, const std::vector<std::string>& choices);

}  // namespace sparbar::cli
