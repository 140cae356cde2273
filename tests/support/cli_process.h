// RunCli: the real sparbar CLI binary (SPARBAR_CLI_BIN), run to completion
// with stdin from /dev/null, its exit code and output collected.
#pragma once

#include <string>
#include <vector>

namespace sparbar::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CliResult RunCli(const std::vector<std::string>& args);

// The whole content of a file ("" when it cannot be read).
std::string Slurp(const std::string& path);

}  // namespace sparbar::testing
