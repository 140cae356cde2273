#include "services/deviations/taxonomy.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace sparbar::deviations {
namespace {

constexpr std::string_view kWhat = "deviation taxonomy";

const std::vector<TaxonomyEntry>& ListOf(const TaxonomyVersion& v, TaxonomyList list) {
  switch (list) {
    case TaxonomyList::kHslAreas: return v.hsl_areas;
    case TaxonomyList::kSocialAreas: return v.social_areas;
    case TaxonomyList::kActionTypes: break;
  }
  return v.action_types;
}

const char* ListName(TaxonomyList list) {
  switch (list) {
    case TaxonomyList::kHslAreas: return "HSL area";
    case TaxonomyList::kSocialAreas: return "SoL/LSS area";
    case TaxonomyList::kActionTypes: break;
  }
  return "action type";
}

}  // namespace

Result<DeviationTaxonomy> DeviationTaxonomy::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the deviation taxonomy is not valid JSON");
  auto bad = [](const std::string& where, const std::string& what) {
    return Status::InvalidArgument(std::string(kWhat) + ", " + where + ": " + what);
  };
  if (!doc.is_object() || !doc.contains("versions") || !doc["versions"].is_array() || doc["versions"].empty()) {
    return bad("top level", "needs a non-empty \"versions\" array");
  }
  std::vector<TaxonomyVersion> versions;
  for (const auto& v : doc["versions"]) {
    TaxonomyVersion tv;
    if (!v.is_object() || !v.value("version", nlohmann::json()).is_string()) {
      return bad("a version", "needs a \"version\" name");
    }
    tv.version = v["version"].get<std::string>();
    const std::string where = "version " + tv.version;
    if (!v.value("valid_from", nlohmann::json()).is_string()) return bad(where, "needs \"valid_from\"");
    auto from = CivilDate::Parse(v["valid_from"].get<std::string>(), where + " valid_from");
    if (!from.ok()) return from.status();
    tv.valid_from = *from;
    for (auto [key, list] : {std::pair{"hsl_areas", &tv.hsl_areas}, std::pair{"social_areas", &tv.social_areas},
                             std::pair{"action_types", &tv.action_types}}) {
      if (!v.value(key, nlohmann::json()).is_array() || v[key].empty()) {
        return bad(where, std::string("needs a non-empty \"") + key + "\" array");
      }
      std::set<std::string> codes;
      for (const auto& e : v[key]) {
        if (!e.is_object() || !e.value("code", nlohmann::json()).is_string() ||
            !e.value("name", nlohmann::json()).is_string()) {
          return bad(where + ", " + key, "each entry needs a \"code\" and a \"name\"");
        }
        TaxonomyEntry entry{e["code"].get<std::string>(), e["name"].get<std::string>()};
        if (entry.code.empty() || !codes.insert(entry.code).second) {
          return bad(where + ", " + key, "codes must be non-empty and unique (\"" + entry.code + "\")");
        }
        list->push_back(std::move(entry));
      }
    }
    versions.push_back(std::move(tv));
  }
  auto dated = DatedVersions<TaxonomyVersion>::From(std::move(versions), kWhat);
  if (!dated.ok()) return dated.status();
  DeviationTaxonomy taxonomy;
  taxonomy.versions_ = std::move(dated.value());
  return taxonomy;
}

Result<DeviationTaxonomy> DeviationTaxonomy::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the deviation taxonomy " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto t = FromJson(text.str());
  if (!t.ok()) return Status(t.status().code(), path + ": " + t.status().message());
  return t;
}

Result<const TaxonomyVersion*> DeviationTaxonomy::VersionOn(const CivilDate& date, std::string_view field) const {
  auto v = versions_.On(date, kWhat);
  if (!v.ok()) return Status::InvalidArgument(std::string(field) + ": " + v.status().message());
  return v;
}

Result<const TaxonomyEntry*> DeviationTaxonomy::Find(TaxonomyList list, std::string_view code, const CivilDate& date,
                                                     std::string_view field) const {
  auto version = VersionOn(date, field);
  if (!version.ok()) return version.status();
  for (const auto& e : ListOf(**version, list)) {
    if (e.code == code) return &e;
  }
  return Status::InvalidArgument(std::string(field) + ": unknown " + ListName(list) + " \"" +
                                 std::string(code.substr(0, 64)) + "\" in taxonomy version " + (*version)->version +
                                 " (in force on " + date.ToString() + ")");
}

std::string DeviationTaxonomy::NameOf(TaxonomyList list, const std::string& code) const {
  const auto& all = versions_.all();
  for (auto v = all.rbegin(); v != all.rend(); ++v) {
    for (const auto& e : ListOf(*v, list)) {
      if (e.code == code) return e.name;
    }
  }
  return code;
}

}  // namespace sparbar::deviations
