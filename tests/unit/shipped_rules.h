// A module's rules file as shipped in config/, loaded once per test binary
// the way the server loads it (R::LoadFile); the test fails if it does not load.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace sparbar::testing {

// One file per rules type R: the first call's `file` (e.g. "namnd.json") is the one loaded.
template <class R>
const R& ShippedRules(const char* file) {
  static const R rules = [&] {
    auto r = R::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/" + file);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return std::move(r.value());
  }();
  return rules;
}

}  // namespace sparbar::testing
