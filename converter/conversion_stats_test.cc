#include "converter/conversion_stats.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

// The replay of removed rows counts by its own column order; what it counted
// is taken back by name, and the row counts stay.
TEST(TableStats, TakeBackChangesMatchesColumnsByName) {
  TableStats stats;
  stats.rows_written = 10;
  stats.column_names = {"hired", "mentor_id"};
  stats.columns.resize(2);
  stats.columns[0][ChangeKind::kZeroDateNulled] = 3;
  stats.columns[1][ChangeKind::kOrphanNulled] = 4;

  TableStats removed;
  removed.column_names = {"mentor_id", "hired", "active"};
  removed.columns.resize(3);
  removed.columns[0][ChangeKind::kOrphanNulled] = 1;
  removed.columns[1][ChangeKind::kZeroDateNulled] = 2;
  stats.TakeBackChanges(removed);

  EXPECT_EQ(stats.rows_written, 10);
  EXPECT_EQ(stats.columns[0][ChangeKind::kZeroDateNulled], 1);
  EXPECT_EQ(stats.columns[1][ChangeKind::kOrphanNulled], 3);
  EXPECT_EQ(stats.changed_values(), 4);
  // "active" counted nothing in the replay: no column added for it.
  EXPECT_EQ(stats.column_names, (std::vector<std::string>{"hired", "mentor_id"}));
}

}  // namespace
}  // namespace my2pg
