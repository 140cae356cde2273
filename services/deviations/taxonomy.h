// DeviationTaxonomy: the areas a deviation is filed under and the types of
// action taken on one, in versions that take effect on a date. Loaded from
// configuration (config/avvikelse-taxonomi.json), never compiled in:
// municipalities change their categories, and each deviation records the
// version it was filed under, so statistics across a change stay correct.
//
// Format: {"versions": [{"version": "2024-03", "valid_from": "2024-03-01",
//   "hsl_areas": [{"code": "fall", "name": "Fall"}, ...],
//   "social_areas": [{"code": "hot_och_vald", "name": "Hot och våld"}, ...],
//   "action_types": [{"code": "gruppsamtal", "name": "Gruppsamtal"}, ...]}, ...]}
// hsl_areas are for hälso- och sjukvård (HSL), social_areas for SoL and LSS.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "services/common/dated_versions.h"

namespace sparbar::deviations {

struct TaxonomyEntry {
  std::string code;
  std::string name;
};

struct TaxonomyVersion {
  std::string version;
  CivilDate valid_from;
  std::vector<TaxonomyEntry> hsl_areas, social_areas, action_types;
};

// Which list of a version a code is looked up in.
enum class TaxonomyList { kHslAreas, kSocialAreas, kActionTypes };

class DeviationTaxonomy {
 public:
  static Result<DeviationTaxonomy> FromJson(std::string_view json);
  static Result<DeviationTaxonomy> LoadFile(const std::string& path);

  // The version in force on `date`; InvalidArgument naming `field` before the first.
  Result<const TaxonomyVersion*> VersionOn(const CivilDate& date, std::string_view field) const;
  // The entry `code` of `list` in the version in force on `date`;
  // InvalidArgument naming `field` when that version has no such code.
  Result<const TaxonomyEntry*> Find(TaxonomyList list, std::string_view code, const CivilDate& date,
                                    std::string_view field) const;
  // The name of `code` in `list`, from the latest version that has it; the
  // code itself when none has (statistics name areas of every version).
  std::string NameOf(TaxonomyList list, const std::string& code) const;

 private:
  DatedVersions<TaxonomyVersion> versions_;
};

}  // namespace sparbar::deviations
