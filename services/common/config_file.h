// Loading a module's JSON configuration file: `T::FromJson(text)` on the
// file's content. NotFound names the file when it cannot be read; any other
// error from FromJson is returned with the path in front.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "eventstore/status.h"

namespace sparbar {

// The same with `parse(text)` (a Result<T>) in place of T::FromJson.
template <class T, class Parse>
Result<T> LoadConfigFileWith(const std::string& path, const std::string& what, Parse parse) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the " + what + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Result<T> r = parse(text.str());
  if (!r.ok()) return Status(r.status().code(), path + ": " + r.status().message());
  return r;
}

template <class T>
Result<T> LoadConfigFile(const std::string& path, const std::string& what) {
  return LoadConfigFileWith<T>(path, what, [](const std::string& text) { return T::FromJson(text); });
}

}  // namespace sparbar
