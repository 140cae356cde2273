#include "tools/cli/report_output.h"

#include <fstream>
#include <iostream>

namespace sparbar::cli {

bool WriteOutput(const std::string& path, std::string_view bytes) {
  if (path.empty()) {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

void AddFormatOption(CLI::App* cmd, std::string* format, const std::vector<std::string>& choices) {
  std::string names;
  for (const auto& c : choices) names += (names.empty() ? "" : ", ") + c;
  cmd->add_option("--format", *format, names)->check(CLI::IsMember(choices))->capture_default_str();
}

}  // namespace sparbar::cli
