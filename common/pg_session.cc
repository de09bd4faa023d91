#include "common/pg_session.h"

#include <pqxx/pqxx>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

[[noreturn]] void Fail(const ConnectionUri& uri, const std::exception& e, const std::string& sql) {
  std::string message = TrimTrailingSpace(e.what());
  bool lost = dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
              dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr;
  bool transient = dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr ||
                   dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr;
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + message)
      .WithDatabase(uri.database)
      .WithSql(sql)
      .Retryable(lost || transient);
}

}  // namespace

PgSession::PgSession(const ConnectionUri& uri) : uri_(uri) {
  try {
    connection_ = std::make_unique<pqxx::connection>(uri.ToLibpqConninfo());
  } catch (const std::exception& e) {
    std::string message = TrimTrailingSpace(e.what());
    throw Error(ErrorCategory::kTarget, "cannot connect to " + uri.Redacted() + ": " + message)
        .Retryable(true)
        .Unreachable();
  }
}

PgSession::~PgSession() = default;

void PgSession::Execute(const std::string& sql) {
  try {
    pqxx::nontransaction work(*connection_);
    work.exec(sql);
  } catch (const std::exception& e) {
    Fail(uri_, e, sql);
  }
}

std::vector<std::vector<std::string>> PgSession::Query(const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  try {
    pqxx::nontransaction work(*connection_);
    pqxx::result result = work.exec(sql);
    for (const auto& row : result) {
      std::vector<std::string> values;
      for (const auto& field : row) values.push_back(field.is_null() ? "" : field.c_str());
      rows.push_back(std::move(values));
    }
  } catch (const std::exception& e) {
    Fail(uri_, e, sql);
  }
  return rows;
}

std::string PgSession::QueryValue(const std::string& sql) {
  auto rows = Query(sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

}  // namespace my2pg
