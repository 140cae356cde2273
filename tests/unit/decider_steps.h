// Running a domain decider (Decide/Evolve) step by step in tests: every step
// must be accepted (DecideEach), or the last one refused (DecideRefused).
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "eventstore/status.h"

namespace sparbar::testing {

template <class State, class Payload, class Context>
struct DeciderFns {
  Result<Payload> (*decide)(const State&, const Payload&, const Context&);
  State (*evolve)(State, const Payload&);
  std::string (*type_of)(const Payload&);
};

template <class State, class Payload, class Context>
State DecideEach(const std::vector<Payload>& steps, const Context& c, const DeciderFns<State, Payload, Context>& f) {
  State s;
  for (const auto& p : steps) {
    auto e = f.decide(s, p, c);
    INFO(f.type_of(p) << ": " << e.status().ToString());
    REQUIRE(e.ok());
    s = f.evolve(std::move(s), *e);
  }
  return s;
}

template <class State, class Payload, class Context>
Status DecideRefused(const std::vector<Payload>& before, const Payload& step, const Context& c,
                     const DeciderFns<State, Payload, Context>& f) {
  const State s = DecideEach(before, c, f);
  auto e = f.decide(s, step, c);
  REQUIRE_FALSE(e.ok());
  return e.status();
}

// `s` is `code` with `text` in its message.
inline void CheckStatus(const Status& s, Code code, const std::string& text) {
  CHECK(s.code() == code);
  CHECK_THAT(s.message(), Catch::Contains(text));
}

}  // namespace sparbar::testing
