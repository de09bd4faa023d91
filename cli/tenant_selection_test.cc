#include "cli/tenant_selection.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "runtime/copy_tasks.h"

namespace my2pg {
namespace {

TEST(TenantSelection, LikeAndRegex) {
  EXPECT_TRUE(DatabaseNameMatches("client_%", "client_0001"));
  EXPECT_TRUE(DatabaseNameMatches("client_%", "clientX0001"));  // _ is any one character
  EXPECT_FALSE(DatabaseNameMatches("client\\_%", "clientX0001"));
  EXPECT_TRUE(DatabaseNameMatches("client\\_%", "client_0001"));
  EXPECT_TRUE(DatabaseNameMatches("%01", "client_0001"));
  EXPECT_FALSE(DatabaseNameMatches("client", "client_0001"));
  EXPECT_TRUE(DatabaseNameMatches("/^client_00[0-4]\\d$/", "client_0042"));
  EXPECT_FALSE(DatabaseNameMatches("/^client_00[0-4]\\d$/", "client_0052"));
  EXPECT_THROW(DatabaseNameMatches("/(/", "x"), Error);
}

TEST(TenantSelection, PatternsAndExcludes) {
  std::vector<std::string> all = {"client_0001", "client_0002", "client_test", "other"};
  EXPECT_EQ(SelectDatabases(all, {"client_%"}, {"%test"}),
            (std::vector<std::string>{"client_0001", "client_0002"}));
  EXPECT_EQ(SelectDatabases(all, {"other", "/2$/"}, {}), (std::vector<std::string>{"client_0002", "other"}));
}

TEST(TenantSelection, DatabasesFile) {
  auto tenants = ParseDatabasesFile("# fleet\nclient_0001\n\nclient_0002 timezone=America/Montreal  # QC\n", "f.txt");
  ASSERT_EQ(tenants.size(), 2u);
  EXPECT_EQ(tenants[0].database, "client_0001");
  EXPECT_EQ(tenants[0].timezone, "");
  EXPECT_EQ(tenants[1].timezone, "America/Montreal");
  auto error = [](const std::string& text) {
    try {
      ParseDatabasesFile(text, "f.txt");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error("a\nb tz=UTC\n"), "f.txt:2: unknown setting 'tz' (expected timezone=ZONE)");
  EXPECT_EQ(error("a timezone=Mars/Olympus\n"), "f.txt:1: unknown time zone 'Mars/Olympus'");
  EXPECT_EQ(error("a\na\n"), "f.txt:2: database 'a' is listed twice");
  EXPECT_EQ(error("a b\n"), "f.txt:1: expected key=value, got 'b'");
  EXPECT_EQ(error("# nothing\n"), "f.txt: lists no database");
}

TEST(TenantSelection, ChooseTenants) {
  std::vector<std::string> all = {"client_0001", "client_0002", "client_test"};
  auto chosen = ChooseTenants(all, {"client_%"}, {"%test"}, "", "");
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[1].database, "client_0002");
  chosen = ChooseTenants(all, {}, {}, "f.txt", "client_test timezone=UTC\n");
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0].timezone, "UTC");
  auto error = [&](const std::vector<std::string>& databases, const std::string& file, const std::string& text) {
    try {
      ChooseTenants(all, databases, {}, file, text);
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::kUsage);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error({}, "", ""), "give --databases or --databases-file");
  EXPECT_EQ(error({"nobody"}, "", ""), "no source database matches --databases");
  EXPECT_EQ(error({}, "f.txt", "client_0003\n"), "f.txt: no source database 'client_0003' (did you mean 'client_0001'?)");
}

TEST(CopyTasks, ChunkConditionsCoverEveryKey) {
  EXPECT_EQ(ChunkConditions("id", 1, 100, 4),
            (std::vector<std::string>{"`id` < 26", "`id` >= 26 AND `id` < 51", "`id` >= 51 AND `id` < 76",
                                      "`id` >= 76"}));
  EXPECT_EQ(ChunkConditions("id", 5, 5, 4), std::vector<std::string>{""});
  EXPECT_EQ(ChunkConditions("id", 1, 100, 1), std::vector<std::string>{""});
  auto wide = ChunkConditions("k", INT64_MIN, INT64_MAX, 2);
  EXPECT_EQ(wide, (std::vector<std::string>{"`k` < 0", "`k` >= 0"}));
}

}  // namespace
}  // namespace my2pg
