// InsatsCatalogue: the interventions (insatser) a decision can grant, with
// the legal bases (lagrum) each may be decided under, in versions that take
// effect on a date. Loaded from configuration (config/insatser.json), never
// compiled in: municipalities and the law change the list.
//
// Format: {"versions": [{"version": "2024-01", "valid_from": "2024-01-01",
//   "insatser": [{"code": "sarskilt_boende", "name": "Särskilt boende",
//   "law": "SoL", "lagrum": ["4 kap. 1 § SoL"]}, ...]}, ...]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "services/common/dated_versions.h"

namespace sparbar::decisions {

enum class Law { kSoL, kLSS };
const char* LawName(Law law);

struct Insats {
  std::string code;
  std::string name;
  Law law = Law::kSoL;
  std::vector<std::string> lagrum;
};

struct CatalogueVersion {
  std::string version;
  CivilDate valid_from;
  std::vector<Insats> insatser;
};

class InsatsCatalogue {
 public:
  static Result<InsatsCatalogue> FromJson(std::string_view json);
  static Result<InsatsCatalogue> LoadFile(const std::string& path);

  // The version in force on `date`; NotFound before the first one.
  Result<const CatalogueVersion*> VersionOn(const CivilDate& date) const;
  // The insats `code` in the version in force on `date`; InvalidArgument
  // naming `field` when it is not there.
  Result<const Insats*> Find(std::string_view code, const CivilDate& date, std::string_view field) const;
  // Whether any version has this insats code, or this lagrum.
  bool KnowsInsats(std::string_view code) const;
  bool KnowsLagrum(std::string_view lagrum) const;

 private:
  DatedVersions<CatalogueVersion> versions_;
};

}  // namespace sparbar::decisions
