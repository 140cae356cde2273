// Loading a module's JSON configuration file: `T::FromJson(text)` on the
// file's content. NotFound names the file when it cannot be read; any other
// error from FromJson is returned with the path in front.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "eventstore/status.h"

namespace sparbar {

template <class T>
Result<T> LoadConfigFile(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the " + what + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto r = T::FromJson(text.str());
  if (!r.ok()) return Status(r.status().code(), path + ": " + r.status().message());
  return r;
}

}  // namespace sparbar
