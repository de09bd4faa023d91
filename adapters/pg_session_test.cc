#include "adapters/pg_session.h"

#include <gtest/gtest.h>

#include <pqxx/except>

#include "common/error.h"

namespace my2pg {
namespace {

// libpqxx 6.4 throws these without the server's SQLSTATE: the class says it.
TEST(SqlStateOf, RestoresTheStateLibpqxxDrops) {
  EXPECT_EQ(SqlStateOf(pqxx::deadlock_detected("deadlock detected")), "40P01");
  EXPECT_EQ(SqlStateOf(pqxx::serialization_failure("could not serialize")), "40001");
  EXPECT_EQ(SqlStateOf(pqxx::insufficient_privilege("must be a member of the role")), "42501");
  EXPECT_EQ(SqlStateOf(pqxx::unique_violation("duplicate key")), "23505");
  EXPECT_EQ(SqlStateOf(pqxx::undefined_table("relation does not exist")), "42P01");
  EXPECT_EQ(SqlStateOf(pqxx::too_many_connections("too many clients")), "53300");
  EXPECT_EQ(SqlStateOf(pqxx::data_exception("invalid input")), "22000");
}

TEST(SqlStateOf, KeepsTheStateItWasGiven) {
  EXPECT_EQ(SqlStateOf(pqxx::sql_error("object in use", "DROP DATABASE d", "55006")), "55006");
  EXPECT_EQ(SqlStateOf(pqxx::insufficient_privilege("denied", "", "42501")), "42501");
}

TEST(SqlStateOf, NothingForOtherExceptions) {
  EXPECT_EQ(SqlStateOf(pqxx::broken_connection("gone")), "");
  EXPECT_EQ(SqlStateOf(std::runtime_error("other")), "");
}

// What the state decides: a deadlock and a serialization failure are
// retried, a refused privilege is not.
TEST(SqlStateOf, DecidesWhatIsRetried) {
  EXPECT_TRUE(IsTransientSqlState(SqlStateOf(pqxx::deadlock_detected("x"))));
  EXPECT_TRUE(IsTransientSqlState(SqlStateOf(pqxx::serialization_failure("x"))));
  EXPECT_FALSE(IsTransientSqlState(SqlStateOf(pqxx::insufficient_privilege("x"))));
}

}  // namespace
}  // namespace my2pg
