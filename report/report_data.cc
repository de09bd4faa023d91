#include "report/report_data.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "common/error.h"

namespace my2pg {
namespace {

// A JSON object with the pointer it sits at, for errors that say where.
class Node {
 public:
  Node(const rapidjson::Value& value, std::string pointer, const std::string& file)
      : value_(value), pointer_(std::move(pointer)), file_(file) {}

  [[noreturn]] void Fail(const std::string& key, const char* expected) const {
    throw Error(ErrorCategory::kUsage, file_ + ": " + pointer_ + "/" + key + ": expected " + expected);
  }

  const rapidjson::Value* Find(const char* key) const {
    auto it = value_.FindMember(key);
    return it == value_.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
  }

  std::string Text(const char* key) const {
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return "";
    if (!v->IsString()) Fail(key, "a string");
    return std::string(v->GetString(), v->GetStringLength());
  }

  int64_t Integer(const char* key, int64_t missing = 0) const {
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return missing;
    if (!v->IsInt64()) Fail(key, "an integer");
    return v->GetInt64();
  }

  double Number(const char* key, double missing = 0) const {
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return missing;
    if (!v->IsNumber()) Fail(key, "a number");
    return v->GetDouble();
  }

  // The objects of an array member (none if it is missing).
  std::vector<Node> Objects(const char* key) const {
    std::vector<Node> out;
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return out;
    if (!v->IsArray()) Fail(key, "an array");
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      std::string pointer = pointer_ + "/" + key + "/" + std::to_string(i);
      if (!(*v)[i].IsObject()) {
        throw Error(ErrorCategory::kUsage, file_ + ": " + pointer + ": expected an object");
      }
      out.emplace_back((*v)[i], pointer, file_);
    }
    return out;
  }

  std::vector<std::string> Texts(const char* key) const {
    std::vector<std::string> out;
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return out;
    if (!v->IsArray()) Fail(key, "an array of strings");
    for (const auto& item : v->GetArray()) {
      if (!item.IsString()) Fail(key, "an array of strings");
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  }

  Node Object(const char* key) const {
    const rapidjson::Value* v = Find(key);
    if (v == nullptr) return Node(kEmpty, pointer_ + "/" + key, file_);
    if (!v->IsObject()) Fail(key, "an object");
    return Node(*v, pointer_ + "/" + key, file_);
  }

  const rapidjson::Value& value() const { return value_; }
  const std::string& pointer() const { return pointer_; }

 private:
  static const rapidjson::Value kEmpty;
  const rapidjson::Value& value_;
  std::string pointer_;
  const std::string& file_;
};

const rapidjson::Value Node::kEmpty(rapidjson::kObjectType);

// Parses "json" and checks its "format" member.
void ParseDocument(rapidjson::Document& document, const std::string& json, const std::string& file_name,
                   const char* format, const char* what) {
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError()) {
    throw Error(ErrorCategory::kUsage, file_name + ": not JSON (" +
                                           rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                                           std::to_string(document.GetErrorOffset()) + ")");
  }
  auto it = document.IsObject() ? document.FindMember("format") : document.MemberEnd();
  if (!document.IsObject() || it == document.MemberEnd() || !it->value.IsString() ||
      std::string(it->value.GetString()) != format) {
    throw Error(ErrorCategory::kUsage, file_name + ": not " + what + " (expected \"format\": \"" + format + "\")");
  }
}

// What databases and tables both report: their outcome and row counts.
template <typename Unit>
void ReadOutcome(const Node& node, Unit& unit) {
  unit.status = node.Text("status");
  unit.error = node.Text("error");
  unit.rows_read = node.Integer("rows_read");
  unit.rows_written = node.Integer("rows_written");
  unit.rows_rejected = node.Integer("rows_rejected");
}

}  // namespace

int64_t ReportTable::changed_values() const {
  int64_t total = 0;
  for (const auto& change : changes) total += change.values;
  return total;
}

const char* ToString(ReportPhase phase) {
  switch (phase) {
    case ReportPhase::kSchema: return "schema";
    case ReportPhase::kCopy: return "copy";
    case ReportPhase::kKeys: return "keys";
    case ReportPhase::kConstraints: return "constraints";
    case ReportPhase::kCount: break;
  }
  return "?";
}

double ReportDatabase::seconds() const {
  double total = 0;
  for (double phase : phase_seconds) total += phase;
  return total;
}

int64_t ReportDatabase::changed_values() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.changed_values();
  return total;
}

int ReportDatabase::failed_tables() const {
  int failed = 0;
  for (const auto& table : tables) failed += table.status == "failed";
  return failed;
}

RunData ParseRunReport(const std::string& json, const std::string& file_name) {
  rapidjson::Document document;
  ParseDocument(document, json, file_name, "my2pg-report/1", "a my2pg run report");
  Node root(document, "", file_name);
  RunData run;
  run.wall_seconds = root.Number("wall_seconds");
  for (const Node& d : root.Objects("databases")) {
    ReportDatabase db;
    db.database = d.Text("database");
    db.target_database = d.Text("target_database");
    ReadOutcome(d, db);
    db.start_seconds = d.Number("start_seconds", -1);
    Node phases = d.Object("phase_seconds");
    for (int p = 0; p < static_cast<int>(ReportPhase::kCount); ++p) {
      db.phase_seconds[p] = phases.Number(ToString(static_cast<ReportPhase>(p)));
    }
    db.warnings = d.Texts("warnings");
    Node binlog = d.Object("binlog_position");
    const std::string file = binlog.Text("file"), gtid = binlog.Text("gtid"), unknown = binlog.Text("unknown");
    if (!file.empty()) {
      db.binlog_position = file + ":" + std::to_string(binlog.Integer("position")) +
                           (gtid.empty() ? "" : " (gtid " + gtid + ")");
    } else if (!unknown.empty()) {
      db.binlog_position = "unknown: " + unknown;
    }
    for (const Node& t : d.Objects("tables")) {
      ReportTable table;
      table.source = t.Text("source");
      table.target_schema = t.Text("target_schema");
      table.target = t.Text("target");
      ReadOutcome(t, table);
      table.copy_bytes = t.Integer("copy_bytes");
      table.copy_seconds = t.Number("copy_seconds");
      table.chunks = static_cast<int>(t.Integer("chunks", 1));
      table.reject_file = t.Text("reject_file");
      Node changed = t.Object("changed_values");
      for (const auto& column : changed.value().GetObject()) {
        std::string column_name(column.name.GetString(), column.name.GetStringLength());
        if (!column.value.IsObject()) changed.Fail(column_name, "an object of counts");
        Node kinds(column.value, changed.pointer() + "/" + column_name, file_name);
        for (const auto& kind : column.value.GetObject()) {
          std::string kind_name(kind.name.GetString(), kind.name.GetStringLength());
          table.changes.push_back({column_name, kind_name, kinds.Integer(kind_name.c_str())});
        }
      }
      db.tables.push_back(std::move(table));
    }
    run.databases.push_back(std::move(db));
  }
  return run;
}

VerifyData ParseVerifyReport(const std::string& json, const std::string& file_name) {
  rapidjson::Document document;
  ParseDocument(document, json, file_name, "my2pg-verify/1", "a my2pg verify report");
  Node root(document, "", file_name);
  VerifyData verify;
  for (const Node& d : root.Objects("databases")) {
    VerifyDatabase db;
    db.database = d.Text("database");
    db.status = d.Text("status");
    db.error = d.Text("error");
    for (const Node& t : d.Objects("tables")) {
      VerifyTable table;
      table.table = t.Text("table");
      table.status = t.Text("status");
      table.source_rows = t.Integer("source_rows", -1);
      table.target_rows = t.Integer("target_rows", -1);
      table.mismatched_rows = t.Integer("mismatched_rows", -1);
      table.detail = t.Text("detail");
      db.tables.push_back(std::move(table));
    }
    verify.databases.push_back(std::move(db));
  }
  return verify;
}

std::string ReasonPattern(const std::string& reason) {
  // The converter quotes values as '...' (at most 64 bytes, control bytes as
  // '?', so a quote inside a value ends the quote early: the pattern is then
  // coarser, never wrong about the count).
  std::string out;
  size_t i = 0;
  while (i < reason.size()) {
    size_t open = reason.find('\'', i);
    if (open == std::string::npos) break;
    size_t close = reason.find('\'', open + 1);
    if (close == std::string::npos) break;
    out.append(reason, i, open - i);
    out += "'\xE2\x80\xA6'";  // '…'
    i = close + 1;
  }
  out.append(reason, i, std::string::npos);
  return out;
}

RejectSummary ReadRejects(const RunData& run, const std::string& reject_dir) {
  RejectSummary summary;
  using Key = std::tuple<std::string, std::string, std::string>;  // table, column, pattern
  std::map<Key, RejectGroup> groups;
  std::map<Key, std::set<std::string>> databases;
  for (const ReportDatabase& db : run.databases) {
    for (const ReportTable& table : db.tables) {
      if (table.rows_rejected == 0 && table.reject_file.empty()) continue;
      // migrate's default place if the report names no file.
      std::string path = table.reject_file.empty() ? "rejects/" + db.database + "/" + table.source + ".rejects.jsonl"
                                                   : table.reject_file;
      if (!reject_dir.empty()) {
        path = (std::filesystem::path(reject_dir) / db.database / std::filesystem::path(path).filename()).string();
      }
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        summary.problems.push_back(path + ": not found");
        summary.rows_not_read += table.rows_rejected;
        continue;
      }
      int64_t lines = 0, bad = 0;
      std::string line;
      while (lines < kMaxRejectLinesPerFile && std::getline(in, line)) {
        ++lines;
        rapidjson::Document row;
        row.Parse(line.c_str(), line.size());
        auto text = [&row](const char* key) {
          auto it = row.FindMember(key);
          return it == row.MemberEnd() || !it->value.IsString()
                     ? std::string()
                     : std::string(it->value.GetString(), it->value.GetStringLength());
        };
        if (row.HasParseError() || !row.IsObject()) {
          ++bad;
          continue;
        }
        std::string reason = text("reason");
        Key key{table.source, text("column"), ReasonPattern(reason)};
        RejectGroup& group = groups[key];
        ++group.rows;
        databases[key].insert(db.database);
        if (static_cast<int>(group.samples.size()) < kRejectSamplesPerGroup) {
          std::string row_key;
          auto key_member = row.FindMember("key");
          if (key_member != row.MemberEnd()) {
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            key_member->value.Accept(writer);
            row_key.assign(buffer.GetString(), buffer.GetSize());
          }
          group.samples.push_back({db.database, row_key, text("value"), reason});
        }
      }
      if (bad > 0) summary.problems.push_back(path + ": " + std::to_string(bad) + " lines are not JSON");
      if (lines == kMaxRejectLinesPerFile && in.peek() != EOF) {
        summary.problems.push_back(path + ": only the first " + std::to_string(kMaxRejectLinesPerFile) +
                                   " rows read");
      }
      summary.rows_not_read += std::max<int64_t>(0, table.rows_rejected - (lines - bad));
    }
  }
  for (auto& [key, group] : groups) {
    std::tie(group.table, group.column, group.reason) = key;
    group.databases = static_cast<int>(databases[key].size());
    summary.groups.push_back(std::move(group));
  }
  std::stable_sort(summary.groups.begin(), summary.groups.end(),
                   [](const RejectGroup& a, const RejectGroup& b) { return a.rows > b.rows; });
  return summary;
}

}  // namespace my2pg
