// Calendar dates and Swedish personal identity numbers.

#include <catch2/catch.hpp>

#include "services/common/civil_date.h"
#include "services/common/personal_identity.h"

using namespace sparbar;

namespace {
const CivilDate kToday{2026, 11, 23};
}

TEST_CASE("CivilDate parses real dates only, and counts days and months") {
  CHECK(CivilDate::Parse("2024-02-29", "d").value() == CivilDate{2024, 2, 29});
  CHECK(CivilDate::Parse("2023-02-29", "d").status().code() == Code::kInvalidArgument);
  CHECK(CivilDate::Parse("2024-2-29", "d").status().message().find("d must be a date YYYY-MM-DD") == 0);
  CHECK(!CivilDate::Parse("20240229", "d").ok());
  CHECK(!CivilDate::Parse("2024-13-01", "d").ok());
  CHECK(CivilDate::Parse("2024-13-01", "d").status().message() == "d must be a date YYYY-MM-DD, got \"2024-13-01\"");
  // A personnummer typed into a date field is not repeated in the message.
  CHECK(CivilDate::Parse("19121212-1212", "from").status().message() == "from must be a date YYYY-MM-DD");
  CHECK(CivilDate{1970, 1, 1}.DaysSinceEpoch() == 0);
  CHECK(CivilDate{2024, 3, 31}.DaysSinceEpoch() - CivilDate{2024, 1, 1}.DaysSinceEpoch() == 90);
  for (int64_t d : {-1000, 0, 19000, 20000, 25000}) CHECK(CivilDate::FromDays(d).DaysSinceEpoch() == d);
  CHECK(CivilDate{2023, 11, 30}.AddMonths(3) == CivilDate{2024, 2, 29});  // clamped, leap year
  CHECK(CivilDate{2023, 12, 15}.AddMonths(3) == CivilDate{2024, 3, 15});
  CHECK(CivilDate{2024, 1, 31}.AddMonths(-2) == CivilDate{2023, 11, 30});
  CHECK(CivilDate::FromMicros(0) == CivilDate{1970, 1, 1});
  CHECK(CivilDate::FromMicros(-1) == CivilDate{1969, 12, 31});
}

TEST_CASE("personnummer and samordningsnummer are validated and normalized") {
  // Skatteverket's published example and two more with correct check digits.
  auto a = ParsePersonalIdentity("19121212-1212", kToday, "pnr");
  REQUIRE(a.ok());
  CHECK(a->number == "191212121212");
  CHECK(a->birth_date == CivilDate{1912, 12, 12});
  CHECK(!a->samordningsnummer);

  auto b = ParsePersonalIdentity("811228-9874", kToday, "pnr");
  REQUIRE(b.ok());
  CHECK(b->number == "198112289874");

  auto s = ParsePersonalIdentity("701063-2391", kToday, "pnr");
  REQUIRE(s.ok());
  CHECK(s->samordningsnummer);
  CHECK(s->birth_date == CivilDate{1970, 10, 3});
  CHECK(s->number == "197010632391");

  // Two-digit years: the century in which the person is under 100, or '+'.
  CHECK(ParsePersonalIdentity("121212-1212", kToday, "pnr")->birth_date.year == 2012);
  CHECK(ParsePersonalIdentity("121212+1212", kToday, "pnr")->birth_date.year == 1912);
  CHECK(ParsePersonalIdentity("1212121212", kToday, "pnr")->number == "201212121212");
}

TEST_CASE("invalid identity numbers are refused without repeating them") {
  auto check = [](const char* text, const char* why) {
    auto r = ParsePersonalIdentity(text, kToday, "subject.personal_identity_number");
    REQUIRE(!r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message().find("subject.personal_identity_number") == 0);
    CHECK(r.status().message().find(why) != std::string::npos);
    CHECK(r.status().message().find(text) == std::string::npos);
  };
  check("19121212-1213", "check digit");
  check("19121312-1212", "date of birth does not exist");
  check("20991212-1212", "in the future");
  check("1912121-21212", "only digits");
  check("191212121", "10 or 12 digits");
  check("19121212+1212", "two-digit year");
  check("19121212-12a2", "only digits");
}

TEST_CASE("child status is being under 18 on a date") {
  auto id = ParsePersonalIdentity("121212-1212", kToday, "pnr").value();  // born 2012-12-12
  CHECK(id.ChildOn(CivilDate{2024, 1, 1}));
  CHECK(id.ChildOn(CivilDate{2030, 12, 11}));
  CHECK(!id.ChildOn(CivilDate{2030, 12, 12}));
}

TEST_CASE("an identifier that holds a personnummer or samordningsnummer is recognised in any form") {
  for (const char* with : {"19121212-1212", "191212121212", "121212-1212", "1212121212", "beslut-19121212-1212",
                           "case_811228-9874_x", "ärende7011289878", "701172-3710", "beslut-19121212_1212"}) {
    INFO(with);
    CHECK(ContainsPersonalIdentity(with, kToday));
  }
  for (const char* without : {"", "case-1", "2024-0001", "KF-2024-117", "19121212-1213", "1212121213",
                              "9191212121212",  // part of a longer run of digits
                              "19121212-12120", "701132-3710", "7011289874"}) {
    INFO(without);
    CHECK_FALSE(ContainsPersonalIdentity(without, kToday));
  }
}
