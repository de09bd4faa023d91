#include "common/error.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

TEST(ErrorTest, TransientSqlStates) {
  for (const char* code : {"08000", "08006", "08001", "40001", "40P01", "53300", "57P01", "57P02", "57P03", "55P03"}) {
    EXPECT_TRUE(IsTransientSqlState(code)) << code;
  }
  for (const char* code : {"28P01", "28000", "42601", "23505", "23503", "22003", "42P07", "3D000", "", "08"}) {
    EXPECT_FALSE(IsTransientSqlState(code)) << code;
  }
}

TEST(ErrorTest, TransientMySqlErrors) {
  for (unsigned int code : {2002u, 2003u, 2006u, 2013u, 2055u, 1040u, 1053u, 1205u, 1213u, 1927u}) {
    EXPECT_TRUE(IsTransientMySqlError(code)) << code;
  }
  for (unsigned int code : {0u, 1045u, 1049u, 1064u, 1142u, 1146u}) EXPECT_FALSE(IsTransientMySqlError(code)) << code;
}

TEST(ErrorTest, CodesDecideRetry) {
  Error deadlock = Error(ErrorCategory::kTarget, "deadlock detected").WithSqlState("40P01");
  EXPECT_EQ(deadlock.server_code(), "40P01");
  EXPECT_TRUE(deadlock.retryable());
  Error password = Error(ErrorCategory::kTarget, "password authentication failed").WithSqlState("28P01");
  EXPECT_FALSE(password.retryable());
  Error lost = Error(ErrorCategory::kSource, "lost").WithMySqlError(2013);
  EXPECT_EQ(lost.server_code(), "2013");
  EXPECT_TRUE(lost.retryable());
  Error denied = Error(ErrorCategory::kSource, "denied").WithMySqlError(1045);
  EXPECT_FALSE(denied.retryable());
  Error none = Error(ErrorCategory::kSource, "x").WithMySqlError(0);
  EXPECT_EQ(none.server_code(), "");
  EXPECT_EQ(Error(ErrorCategory::kTarget, "m").WithDatabase("db").WithTable("t").Describe(), "db.t: m");
}

}  // namespace
}  // namespace my2pg
