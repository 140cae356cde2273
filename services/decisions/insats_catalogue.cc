#include "services/decisions/insats_catalogue.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <vector>
#include <sstream>

namespace sparbar::decisions {

const char* LawName(Law law) { return law == Law::kSoL ? "SoL" : "LSS"; }

Result<InsatsCatalogue> InsatsCatalogue::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the insats catalogue is not valid JSON");
  auto bad = [](const std::string& where, const std::string& what) {
    return Status::InvalidArgument("insats catalogue, " + where + ": " + what);
  };
  if (!doc.is_object() || !doc.contains("versions") || !doc["versions"].is_array() || doc["versions"].empty()) {
    return bad("top level", "needs a non-empty \"versions\" array");
  }
  std::vector<CatalogueVersion> versions;
  for (const auto& v : doc["versions"]) {
    CatalogueVersion cv;
    if (!v.is_object() || !v.value("version", nlohmann::json()).is_string()) {
      return bad("a version", "needs a \"version\" name");
    }
    cv.version = v["version"].get<std::string>();
    const std::string where = "version " + cv.version;
    if (!v.value("valid_from", nlohmann::json()).is_string()) return bad(where, "needs \"valid_from\"");
    auto from = CivilDate::Parse(v["valid_from"].get<std::string>(), where + " valid_from");
    if (!from.ok()) return from.status();
    cv.valid_from = *from;
    if (!v.value("insatser", nlohmann::json()).is_array()) return bad(where, "needs an \"insatser\" array");
    std::set<std::string> codes;
    for (const auto& i : v["insatser"]) {
      Insats insats;
      if (!i.is_object() || !i.value("code", nlohmann::json()).is_string() ||
          !i.value("name", nlohmann::json()).is_string() || !i.value("law", nlohmann::json()).is_string() ||
          !i.value("lagrum", nlohmann::json()).is_array() || i["lagrum"].empty()) {
        return bad(where, "each insats needs \"code\", \"name\", \"law\" and a non-empty \"lagrum\" array");
      }
      insats.code = i["code"].get<std::string>();
      insats.name = i["name"].get<std::string>();
      const std::string law = i["law"].get<std::string>();
      if (law == "SoL") insats.law = Law::kSoL;
      else if (law == "LSS") insats.law = Law::kLSS;
      else return bad(where + ", insats " + insats.code, "law must be \"SoL\" or \"LSS\"");
      if (insats.code.empty() || !codes.insert(insats.code).second) {
        return bad(where, "insats codes must be non-empty and unique (\"" + insats.code + "\")");
      }
      for (const auto& l : i["lagrum"]) {
        if (!l.is_string() || l.get<std::string>().empty()) return bad(where + ", insats " + insats.code, "lagrum must be non-empty strings");
        insats.lagrum.push_back(l.get<std::string>());
      }
      cv.insatser.push_back(std::move(insats));
    }
    versions.push_back(std::move(cv));
  }
  auto dated = DatedVersions<CatalogueVersion>::From(std::move(versions), "insats catalogue");
  if (!dated.ok()) return dated.status();
  InsatsCatalogue catalogue;
  catalogue.versions_ = std::move(dated.value());
  return catalogue;
}

Result<InsatsCatalogue> InsatsCatalogue::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the insats catalogue " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto c = FromJson(text.str());
  if (!c.ok()) return Status(c.status().code(), path + ": " + c.status().message());
  return c;
}

Result<const CatalogueVersion*> InsatsCatalogue::VersionOn(const CivilDate& date) const {
  return versions_.On(date, "insats catalogue");
}

Result<const Insats*> InsatsCatalogue::Find(std::string_view code, const CivilDate& date,
                                            std::string_view field) const {
  auto version = VersionOn(date);
  if (!version.ok()) return Status::InvalidArgument(std::string(field) + ": " + version.status().message());
  for (const auto& i : (*version)->insatser) {
    if (i.code == code) return &i;
  }
  return Status::InvalidArgument(std::string(field) + ": unknown insats \"" + std::string(code.substr(0, 64)) +
                                 "\" in catalogue version " + (*version)->version + " (in force on " +
                                 date.ToString() + ")");
}

bool InsatsCatalogue::KnowsInsats(std::string_view code) const {
  for (const auto& v : versions_.all()) {
    for (const auto& i : v.insatser) {
      if (i.code == code) return true;
    }
  }
  return false;
}

bool InsatsCatalogue::KnowsLagrum(std::string_view lagrum) const {
  for (const auto& v : versions_.all()) {
    for (const auto& i : v.insatser) {
      for (const auto& l : i.lagrum) {
        if (l == lagrum) return true;
      }
    }
  }
  return false;
}

}  // namespace sparbar::decisions
