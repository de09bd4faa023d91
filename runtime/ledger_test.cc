// The ledger's pure parts: run ids, totals, rate and ETA, the status as JSON
// and text. Claims, leases and fencing run against PostgreSQL in
// tests/integration/ledger_integration_test.cc.
#include "runtime/ledger.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

std::vector<TenantSpec> Tenants(std::initializer_list<const char*> names) {
  std::vector<TenantSpec> tenants;
  for (const char* name : names) tenants.push_back({name, "", false});
  return tenants;
}

TEST(Ledger, DefaultRunIdDependsOnWhatIsMigratedNotOnSecrets) {
  ConnectionUri source = ConnectionUri::Parse("mysql://app:secret@db1:3306");
  ConnectionUri target = ConnectionUri::Parse("postgresql://pg@pg1/{db}");
  std::string id = DefaultRunId(source, target, Tenants({"a", "b"}));
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.substr(0, 4), "run-");
  // The same work spelled otherwise: no password, default port written out.
  EXPECT_EQ(DefaultRunId(ConnectionUri::Parse("mysql://app@db1"), ConnectionUri::Parse("postgresql://pg:x@pg1:5432/{db}"),
                         Tenants({"a", "b"})),
            id);
  EXPECT_NE(DefaultRunId(source, target, Tenants({"a"})), id);
  EXPECT_NE(DefaultRunId(source, target, Tenants({"b", "a"})), id);
  EXPECT_NE(DefaultRunId(ConnectionUri::Parse("mysql://app@db2"), target, Tenants({"a", "b"})), id);
  EXPECT_NE(DefaultRunId(source, ConnectionUri::Parse("postgresql://pg@pg1/new_{db}"), Tenants({"a", "b"})), id);
  std::vector<TenantSpec> zoned = Tenants({"a", "b"});
  zoned[1].timezone = "Europe/Paris";
  EXPECT_NE(DefaultRunId(source, target, zoned), id);
}

TEST(Ledger, DefaultLedgerIsMy2pgOnTheTargetServer) {
  ConnectionUri ledger = DefaultLedgerUri(ConnectionUri::Parse("postgresql://pg:pw@pg1:5433/t_{db}?sslmode=require"));
  EXPECT_EQ(ledger.Redacted(), "postgresql://pg:***@pg1:5433/my2pg?sslmode=require");
}

LedgerDatabase Database(const char* name, WorkStatus status, int64_t estimate, int64_t read) {
  LedgerDatabase database;
  database.database = name;
  database.target_database = std::string("t_") + name;
  database.status = status;
  database.rows_estimate = estimate;
  database.rows_read = read;
  return database;
}

RunStatus SampleRun() {
  RunStatus run;
  run.run_id = "run-1";
  run.source = "mysql://app@db1";
  run.target = "postgresql://pg@pg1/t_{db}";
  run.created_at = "2026-11-22T09:00:00Z";
  run.elapsed_seconds = 10;
  run.databases = {Database("a", WorkStatus::kDone, 900, 1000), Database("b", WorkStatus::kRunning, 1000, 400),
                   Database("c", WorkStatus::kPending, 2000, 0), Database("d", WorkStatus::kFailed, 100, 0)};
  run.databases[1].claimed_by = "h2:42";
  run.databases[1].attempts = 2;
  run.databases[1].epoch = 2;
  run.databases[1].lease_left = 25;
  run.databases[3].claimed_by = "h1:7";
  run.databases[3].attempts = 1;
  run.databases[3].epoch = 1;
  run.databases[3].error = "table x failed: boom";
  return run;
}

TEST(Ledger, TotalsCountStatesRateAndEta) {
  RunTotals totals = TotalsOf(SampleRun());
  EXPECT_EQ(totals.done, 1);
  EXPECT_EQ(totals.running, 1);
  EXPECT_EQ(totals.pending, 1);
  EXPECT_EQ(totals.failed, 1);
  EXPECT_EQ(totals.interrupted, 0);
  EXPECT_EQ(totals.rows_read, 1400);
  EXPECT_EQ(totals.rows_estimate, 4000);
  EXPECT_DOUBLE_EQ(totals.rows_per_second, 140);
  // Left: 600 of b, 2000 of c, at 140 rows/s.
  ASSERT_TRUE(totals.eta_seconds.has_value());
  EXPECT_DOUBLE_EQ(*totals.eta_seconds, 2600.0 / 140);
}

TEST(Ledger, EtaUnknownBeforeAnyRowAndZeroWhenSettled) {
  RunStatus run = SampleRun();
  run.elapsed_seconds = 0;
  for (LedgerDatabase& database : run.databases) database.rows_read = 0;
  EXPECT_FALSE(TotalsOf(run).eta_seconds.has_value());
  run = SampleRun();
  run.databases[1].status = WorkStatus::kDone;
  run.databases[2].status = WorkStatus::kDone;
  ASSERT_TRUE(TotalsOf(run).eta_seconds.has_value());
  EXPECT_EQ(*TotalsOf(run).eta_seconds, 0);
}

TEST(Ledger, StatusText) {
  EXPECT_EQ(StatusText(SampleRun()),
            "run run-1 (created 2026-11-22T09:00:00Z)\n"
            "  source mysql://app@db1\n"
            "  target postgresql://pg@pg1/t_{db}\n"
            "databases: 4 total, 1 done, 1 running, 1 failed, 1 pending\n"
            "rows: 1400 read of about 4000, 140 rows/s, ETA 19 s\n"
            "  running  b on h2:42: 400 of about 1000 rows, lease 25 s left\n"
            "  failed   d (attempt 1 on h1:7): table x failed: boom\n");
}

TEST(Ledger, StatusJson) {
  RunStatus run = SampleRun();
  run.databases.resize(2);
  EXPECT_EQ(StatusJson(run),
            R"({
    "format": "my2pg-status/1",
    "run": "run-1",
    "source": "mysql://app@db1",
    "target": "postgresql://pg@pg1/t_{db}",
    "created_at": "2026-11-22T09:00:00Z",
    "elapsed_seconds": 10.0,
    "databases": {
        "total": 2,
        "done": 1,
        "running": 1,
        "failed": 0,
        "pending": 0,
        "interrupted": 0
    },
    "rows_read": 1400,
    "rows_estimate": 1900,
    "rows_per_second": 140.0,
    "eta_seconds": 4.285714285714286,
    "database_list": [
        {
            "database": "a",
            "target_database": "t_a",
            "status": "done",
            "attempts": 0,
            "epoch": 0,
            "claimed_by": "",
            "rows_estimate": 900,
            "rows_read": 1000,
            "rows_written": 0,
            "rows_rejected": 0,
            "seconds": 0.0,
            "error": ""
        },
        {
            "database": "b",
            "target_database": "t_b",
            "status": "running",
            "attempts": 2,
            "epoch": 2,
            "claimed_by": "h2:42",
            "rows_estimate": 1000,
            "rows_read": 400,
            "rows_written": 0,
            "rows_rejected": 0,
            "seconds": 0.0,
            "lease_seconds_left": 25.0,
            "error": ""
        }
    ]
}
)");
}

}  // namespace
}  // namespace my2pg
