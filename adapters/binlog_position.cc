#include "adapters/binlog_position.h"

#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>

#include "common/error.h"
#include "common/identifier.h"

namespace my2pg {
namespace {

BinlogPosition Unknown(const std::string& why) {
  BinlogPosition position;
  position.unknown = why;
  return position;
}

BinlogPosition MariaDbSnapshotPosition(MySqlStream& stream) {
  auto status = [&stream](const char* name) {
    return stream.QueryValue(std::string("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                                         "WHERE VARIABLE_NAME = '") + name + "'");
  };
  BinlogPosition position;
  position.file = status("BINLOG_SNAPSHOT_FILE");
  if (position.file.empty()) {
    return Unknown(stream.QueryValue("SELECT @@log_bin") == "0" ? "binary log off" : "no binlog_snapshot_file");
  }
  position.position = std::stoll(status("BINLOG_SNAPSHOT_POSITION"));
  try {
    position.gtid = stream.QueryValue("SELECT BINLOG_GTID_POS(" + QuoteMySqlLiteral(position.file) + ", " +
                                      std::to_string(position.position) + ")");
  } catch (const Error&) {
    // The file and offset are known; a catch-up can start from them alone.
  }
  return position;
}

BinlogPosition MySqlMasterStatus(MySqlSession& session) {
  std::string failure;
  for (const char* statement : {"SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"}) {
    try {
      MySqlResult rows = session.Query(statement);
      if (!rows->next()) return Unknown("binary log off");
      BinlogPosition position;
      position.file = std::string(rows->getString("File"));
      position.position = rows->getInt64("Position");
      if (rows->getMetaData()->getColumnCount() >= 5) position.gtid = std::string(rows->getString(5));
      return position;
    } catch (const Error& e) {
      // MySQL 8.4 has only SHOW BINARY LOG STATUS, older ones only SHOW
      // MASTER STATUS: the failure that is not a syntax error
      // (ER_PARSE_ERROR) says why (a missing privilege).
      if (failure.empty() || e.server_code() != "1064") failure = e.what();
    }
  }
  return Unknown(failure);
}

}  // namespace

std::string BinlogPosition::ToString() const {
  if (!known()) return "unknown: " + unknown;
  return file + ":" + std::to_string(position) + (gtid.empty() ? "" : " (gtid " + gtid + ")");
}

BinlogPosition ReadSnapshotPosition(MySqlStream& stream, MySqlSession& session, bool tables_locked) {
  try {
    if (session.is_mariadb()) return MariaDbSnapshotPosition(stream);
    if (!tables_locked) return Unknown("the source was not locked (--no-lock, or no table): its snapshot has no known position");
    return MySqlMasterStatus(session);
  } catch (const std::exception& e) {  // Error, or a position that is not a number
    return Unknown(e.what());
  }
}

}  // namespace my2pg
