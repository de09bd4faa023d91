// Fuzzes the rules loader (rules/rules.h LoadRulesText) and check-rules
// (mapper/check_rules.h) on any bytes. Asserts:
// - loading either succeeds or throws Error(kRules) with a message; no other
//   exception (a std::out_of_range from a stoi, ...), no crash;
// - loaded rules check against two catalogs (tests/golden/*.catalog.json)
//   without an exception, each problem with a message; rules that check
//   clean map both catalogs, and the DDL renders.
#include <rapidjson/document.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "mapper/catalog_json.h"
#include "mapper/check_rules.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"
#include "tests/fuzz/fuzz_util.h"

namespace my2pg {
namespace {

const std::vector<SourceCatalog>& Catalogs() {
  static const std::vector<SourceCatalog> kCatalogs = [] {
    std::vector<SourceCatalog> catalogs;
    for (const char* name : {"hotel", "all_types"}) {
      std::string path = std::string(MY2PG_SOURCE_DIR) + "/tests/golden/" + name + ".catalog.json";
      std::ifstream in(path, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      catalogs.push_back(ReadCatalogJson(text.str(), path));
    }
    return catalogs;
  }();
  return kCatalogs;
}

// True if the rules extend a file: the fuzzer must not read files it names
// ("/dev/zero"). "defaults" and "none" are built in.
bool ExtendsAFile(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return false;
  auto extends = document.FindMember("extends");
  if (extends == document.MemberEnd() || !extends->value.IsString()) return false;
  std::string base = extends->value.GetString();
  return base != "defaults" && base != "none";
}

}  // namespace
}  // namespace my2pg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  std::string text(reinterpret_cast<const char*>(data), size);
  if (ExtendsAFile(text)) return 0;
  const std::vector<SourceCatalog>& catalogs = Catalogs();
  Rules rules;
  try {
    rules = LoadRulesText(text, "fuzz.json");
  } catch (const Error& e) {
    FUZZ_CHECK(e.category() == ErrorCategory::kRules && std::string(e.what()).size() > 0, e.what());
    return 0;
  }
  for (const SourceCatalog& catalog : catalogs) {
    RuleProblems problems = CheckRules(rules, "fuzz.json", catalog);
    for (const std::string& problem : problems.errors) FUZZ_CHECK(!problem.empty(), "an empty error");
    for (const std::string& problem : problems.warnings) FUZZ_CHECK(!problem.empty(), "an empty warning");
    if (!problems.errors.empty()) continue;
    SchemaPlan plan = MapCatalog(catalog, rules);  // CheckRules found no error: must map
    FUZZ_CHECK(!RenderScript(plan, BuildDdl(plan)).empty(), "no DDL");
  }
  return 0;
}
