// BinlogPosition: where a source snapshot stands in the server's binary log.
// The changes logged from there on are those the snapshot does not hold:
// what a binlog catch-up after the bulk copy applies. Each run records the
// position of its snapshot in the target (TargetState, my2pg.snapshot,
// by the run's epoch, which each chunk's state names).
#ifndef MY2PG_ADAPTERS_BINLOG_POSITION_H_
#define MY2PG_ADAPTERS_BINLOG_POSITION_H_

#include <cstdint>
#include <string>

#include "adapters/mysql_session.h"
#include "adapters/mysql_stream.h"

namespace my2pg {

struct BinlogPosition {
  std::string file;     // "binlog.000003"; "": not known
  int64_t position = 0;
  std::string gtid;     // the GTID position there; "" if the server has none
  std::string unknown;  // why it is not known ("binary log off", ...)

  bool known() const { return !file.empty(); }
  // "binlog.000003:1234 (gtid 0-1-77)", or "unknown: binary log off".
  std::string ToString() const;
};

// The position of the snapshot "stream" has just started (START
// TRANSACTION WITH CONSISTENT SNAPSHOT). MariaDB gives it exactly, for that
// session's snapshot (binlog_snapshot_file and _position, and
// BINLOG_GTID_POS for the GTID). Other servers: SHOW MASTER STATUS (SHOW
// BINARY LOG STATUS from 8.4) on "session", which is the snapshot's only
// while its tables are locked ("tables_locked"). A server that cannot say
// (binary log off, no privilege, no lock) gives an unknown position with
// the reason, not an error: the copy does not need it.
BinlogPosition ReadSnapshotPosition(MySqlStream& stream, MySqlSession& session, bool tables_locked);

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_BINLOG_POSITION_H_
