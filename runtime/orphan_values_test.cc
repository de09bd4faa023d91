#include "runtime/orphan_values.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace my2pg {
namespace {

TEST(OrphanValues, ChildValuesLessTheParentsInSignedOrder) {
  OrphanValues orphans(64 << 20);
  constexpr int64_t kLowest = std::numeric_limits<int64_t>::min();
  constexpr int64_t kHighest = std::numeric_limits<int64_t>::max();
  for (int64_t value : {int64_t{3}, kHighest, int64_t{-5}, int64_t{0}, kLowest, int64_t{3}, int64_t{7}}) {
    orphans.AddChild(value);
  }
  orphans.RemoveParent(7);
  orphans.RemoveParent(8);  // a parent with no child: nothing to remove
  EXPECT_EQ(orphans.count(), 5u);
  EXPECT_EQ(orphans.AnyCondition("c.\"x\""),
            "c.\"x\"::bigint = ANY('{-9223372036854775808,-5,0,3,9223372036854775807}'::bigint[])");
  for (int64_t value : {kLowest, int64_t{-5}, int64_t{0}, int64_t{3}, kHighest}) orphans.RemoveParent(value);
  EXPECT_EQ(orphans.count(), 0u);
  EXPECT_FALSE(orphans.too_big());
}

// Sparse keys (a value every 2^32: one bitmap container each) pass a small
// cap at the 2^20th value: the bitmap is dropped, later values ignored.
TEST(OrphanValues, GivesUpPastItsCap) {
  OrphanValues orphans(1 << 20);
  for (int64_t i = 0; i < (int64_t{1} << 20); ++i) orphans.AddChild(i << 32);
  EXPECT_TRUE(orphans.too_big());
  EXPECT_EQ(orphans.count(), 0u);
  orphans.AddChild(1);
  EXPECT_EQ(orphans.count(), 0u);

  // Dense keys of the same count stay far under it.
  OrphanValues dense(1 << 20);
  for (int64_t i = 0; i < (int64_t{1} << 20); ++i) dense.AddChild(i);
  EXPECT_FALSE(dense.too_big());
  EXPECT_EQ(dense.count(), uint64_t{1} << 20);
}

}  // namespace
}  // namespace my2pg
