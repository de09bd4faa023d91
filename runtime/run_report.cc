#include "runtime/run_report.h"

#include "common/error.h"
#include "common/strings.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

namespace my2pg {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void String(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void Changes(Writer& w, const TableStats& stats) {
  w.Key("changed_values");
  w.StartObject();
  for (size_t c = 0; c < stats.columns.size(); ++c) {
    if (stats.columns[c].total() == 0) continue;
    w.Key(stats.column_names[c].c_str());
    w.StartObject();
    for (int k = 0; k < static_cast<int>(ChangeKind::kCount); ++k) {
      if (stats.columns[c].counts[k] == 0) continue;
      w.Key(ToString(static_cast<ChangeKind>(k)));
      w.Int64(stats.columns[c].counts[k]);
    }
    w.EndObject();
  }
  w.EndObject();
}



void WriteDatabase(Writer& w, const DatabaseReport& db) {
  w.StartObject();
  String(w, "database", db.database);
  String(w, "target_database", db.target_database);
  String(w, "status", ToString(db.status));
  if (!db.error.empty()) String(w, "error", db.error);
  w.Key("rows_read"); w.Int64(db.rows_read());
  w.Key("rows_written"); w.Int64(db.rows_written());
  w.Key("rows_rejected"); w.Int64(db.rows_rejected());
  w.Key("start_seconds"); w.Double(db.start_seconds);
  w.Key("phase_seconds");
  w.StartObject();
  w.Key("schema"); w.Double(db.schema_seconds);
  w.Key("copy"); w.Double(db.copy_seconds);
  w.Key("keys"); w.Double(db.keys_seconds);
  w.Key("constraints"); w.Double(db.constraints_seconds);
  w.EndObject();
  const BinlogPosition& binlog = db.binlog_position;
  if (binlog.known() || !binlog.unknown.empty()) {  // the snapshot was taken
    w.Key("binlog_position");
    w.StartObject();
    if (binlog.known()) {
      String(w, "file", binlog.file);
      w.Key("position"); w.Int64(binlog.position);
      if (!binlog.gtid.empty()) String(w, "gtid", binlog.gtid);
    } else {
      String(w, "unknown", binlog.unknown);
    }
    w.EndObject();
  }
  w.Key("warnings");
  w.StartArray();
  for (const auto& warning : db.warnings) w.String(warning.c_str());
  w.EndArray();
  w.Key("tables");
  w.StartArray();
  for (const TableReport& table : db.tables) {
    w.StartObject();
    String(w, "source", table.source_name);
    String(w, "target_schema", table.target_schema);
    String(w, "target", table.target_name);
    String(w, "status", ToString(table.status));
    if (!table.error.empty()) String(w, "error", table.error);
    w.Key("rows_read"); w.Int64(table.stats.rows_read);
    w.Key("rows_written"); w.Int64(table.stats.rows_written);
    w.Key("rows_rejected"); w.Int64(table.stats.rows_rejected);
    w.Key("copy_bytes"); w.Int64(table.stats.bytes_written);
    w.Key("copy_seconds"); w.Double(table.copy_seconds);
    w.Key("chunks"); w.Int(table.chunks);
    if (!table.reject_file.empty()) String(w, "reject_file", table.reject_file);
    Changes(w, table.stats);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string DatabaseReportJson(const DatabaseReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  WriteDatabase(w, report);
  return std::string(buffer.GetString(), buffer.GetSize());
}

DatabaseReport DatabaseReportFromJson(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsObject()) {
    throw Error(ErrorCategory::kInternal, "a worker's report is not valid JSON");
  }
  auto text = [](const rapidjson::Value& object, const char* key) {
    auto it = object.FindMember(key);
    return it == object.MemberEnd() || !it->value.IsString() ? std::string()
                                                             : std::string(it->value.GetString(), it->value.GetStringLength());
  };
  DatabaseReport report;
  report.database = text(d, "database");
  report.target_database = text(d, "target_database");
  report.status = ParseWorkStatus(text(d, "status"));
  report.error = text(d, "error");
  report.start_seconds = d["start_seconds"].GetDouble();
  const auto& phases = d["phase_seconds"];
  report.schema_seconds = phases["schema"].GetDouble();
  report.copy_seconds = phases["copy"].GetDouble();
  report.keys_seconds = phases["keys"].GetDouble();
  report.constraints_seconds = phases["constraints"].GetDouble();
  if (d.HasMember("binlog_position")) {
    const auto& binlog = d["binlog_position"];
    report.binlog_position.file = text(binlog, "file");
    report.binlog_position.gtid = text(binlog, "gtid");
    report.binlog_position.unknown = text(binlog, "unknown");
    if (binlog.HasMember("position")) report.binlog_position.position = binlog["position"].GetInt64();
  }
  for (const auto& warning : d["warnings"].GetArray()) report.warnings.push_back(warning.GetString());
  for (const auto& t : d["tables"].GetArray()) {
    TableReport table;
    table.source_name = text(t, "source");
    table.target_schema = text(t, "target_schema");
    table.target_name = text(t, "target");
    table.status = ParseWorkStatus(text(t, "status"));
    table.error = text(t, "error");
    table.reject_file = text(t, "reject_file");
    table.stats.rows_read = t["rows_read"].GetInt64();
    table.stats.rows_written = t["rows_written"].GetInt64();
    table.stats.rows_rejected = t["rows_rejected"].GetInt64();
    table.stats.bytes_written = t["copy_bytes"].GetInt64();
    table.copy_seconds = t["copy_seconds"].GetDouble();
    table.chunks = t["chunks"].GetInt();
    for (const auto& column : t["changed_values"].GetObject()) {
      table.stats.column_names.push_back(column.name.GetString());
      ColumnChanges changes;
      for (const auto& kind : column.value.GetObject()) {
        for (int k = 0; k < static_cast<int>(ChangeKind::kCount); ++k) {
          if (std::string(kind.name.GetString()) == ToString(static_cast<ChangeKind>(k))) {
            changes.counts[k] = kind.value.GetInt64();
          }
        }
      }
      table.stats.columns.push_back(changes);
    }
    report.tables.push_back(std::move(table));
  }
  return report;
}

std::string RunReportJson(const std::vector<DatabaseReport>& databases, double wall_seconds) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("format"); w.String("my2pg-report/1");
  w.Key("wall_seconds"); w.Double(wall_seconds);
  int failed = 0;
  for (const auto& db : databases) failed += db.status != WorkStatus::kDone;
  w.Key("databases_done"); w.Int(static_cast<int>(databases.size()) - failed);
  w.Key("databases_failed"); w.Int(failed);
  w.Key("databases");
  w.StartArray();
  for (const DatabaseReport& db : databases) WriteDatabase(w, db);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string RunSummary(const std::vector<DatabaseReport>& databases, double wall_seconds) {
  std::string out = Format("%-24s %-7s %12s %12s %9s %9s %8s\n", "database", "status", "rows read",
                           "rows written", "rejected", "changed", "seconds");
  int64_t read = 0, written = 0, rejected = 0, changed = 0;
  int failed = 0;
  for (const DatabaseReport& db : databases) {
    int64_t db_changed = 0;
    for (const auto& table : db.tables) db_changed += table.stats.changed_values();
    double seconds = db.schema_seconds + db.copy_seconds + db.keys_seconds + db.constraints_seconds;
    out += Format("%-24s %-7s %12lld %12lld %9lld %9lld %8.2f\n", db.database.c_str(), ToString(db.status),
                  static_cast<long long>(db.rows_read()), static_cast<long long>(db.rows_written()),
                  static_cast<long long>(db.rows_rejected()), static_cast<long long>(db_changed), seconds);
    read += db.rows_read();
    written += db.rows_written();
    rejected += db.rows_rejected();
    changed += db_changed;
    failed += db.status != WorkStatus::kDone;
  }
  bool interrupted = std::any_of(databases.begin(), databases.end(),
                                 [](const DatabaseReport& db) { return db.status == WorkStatus::kInterrupted; });
  out += Format("%-24s %-7s %12lld %12lld %9lld %9lld %8.2f\n", "total",
                interrupted ? "INTERRUPTED" : failed ? "FAILED" : "done",
                static_cast<long long>(read), static_cast<long long>(written),
                static_cast<long long>(rejected), static_cast<long long>(changed), wall_seconds);
  for (const DatabaseReport& db : databases) {
    if (!db.error.empty()) out += "error: " + db.database + ": " + db.error + "\n";
    for (const auto& table : db.tables) {
      if (!table.reject_file.empty()) {
        out += Format("rejects: %s.%s: %lld rows in %s\n", db.database.c_str(), table.source_name.c_str(),
                      static_cast<long long>(table.stats.rows_rejected), table.reject_file.c_str());
      }
    }
  }
  return out;
}

}  // namespace my2pg
