// Fuzzes the catalog snapshot reader (mapper/catalog_json.h) on any bytes.
// Asserts:
// - ReadCatalogJson either returns a catalog or throws Error(kRules) with a
//   message; no other exception, no crash;
// - what it returns round-trips: written and read again, it writes the same
//   JSON;
// - the built-in defaults map it or refuse it with Error(kRules), and a
//   mapped plan renders its DDL (plan, explain and check-rules all start so).
#include <cstdint>
#include <string>

#include "common/error.h"
#include "mapper/catalog_json.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceCatalog catalog;
  try {
    catalog = ReadCatalogJson(text, "fuzz.catalog.json");
  } catch (const Error& e) {
    FUZZ_CHECK(e.category() == ErrorCategory::kRules && std::string(e.what()).size() > 0, e.what());
    return 0;
  }
  std::string written = WriteCatalogJson(catalog);
  SourceCatalog back;
  try {
    back = ReadCatalogJson(written, "written.catalog.json");
  } catch (const Error& e) {
    FUZZ_CHECK(false, std::string("a written snapshot does not read back: ") + e.what());
  }
  FUZZ_CHECK(WriteCatalogJson(back) == written, "the snapshot changes when read back: " + Printable(written));

  SchemaPlan plan;
  try {
    plan = MapCatalog(catalog, DefaultRules());
  } catch (const Error& e) {
    FUZZ_CHECK(e.category() == ErrorCategory::kRules && std::string(e.what()).size() > 0, e.what());
    return 0;
  }
  FUZZ_CHECK(!RenderScript(plan, BuildDdl(plan)).empty(), "no DDL");
  return 0;
}
