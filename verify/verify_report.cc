#include "verify/verify_report.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(JsonWriter& w, const char* name) { w.Key(name); }
void String(JsonWriter& w, const std::string& value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void Strings(JsonWriter& w, const std::vector<std::string>& values) {
  w.StartArray();
  for (const auto& value : values) String(w, value);
  w.EndArray();
}

void WriteTable(JsonWriter& w, const TableVerification& table) {
  w.StartObject();
  Key(w, "table"); String(w, table.table);
  Key(w, "target"); String(w, table.target);
  Key(w, "status"); String(w, table.status);
  Key(w, "error"); String(w, table.error);
  Key(w, "method"); String(w, table.method);
  Key(w, "source_rows"); w.Int64(table.source_rows);
  Key(w, "target_rows"); w.Int64(table.target_rows);
  Key(w, "rejected_rows"); w.Int64(table.rejected_rows);
  Key(w, "rejects_known"); w.Bool(table.rejects_known);
  Key(w, "filtered_rows"); w.Int64(table.filtered_rows);
  Key(w, "mismatched_rows"); w.Int64(table.mismatched_rows);
  Key(w, "chunks"); w.Int(table.chunks);
  Key(w, "chunks_compared"); w.Int(table.chunks_compared);
  Key(w, "detail"); String(w, table.Detail());
  Key(w, "problems"); Strings(w, table.problems);
  Key(w, "notes"); Strings(w, table.notes);
  Key(w, "differences");
  w.StartArray();
  for (const ShownDifference& d : table.differences) {
    w.StartObject();
    Key(w, "kind"); String(w, d.kind);
    Key(w, "key"); String(w, d.key);
    Key(w, "source"); String(w, d.source);
    Key(w, "target"); String(w, d.target);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteDatabase(JsonWriter& w, const DatabaseVerification& database) {
  w.StartObject();
  Key(w, "database"); String(w, database.database);
  Key(w, "target_database"); String(w, database.target_database);
  Key(w, "status"); String(w, database.status);
  Key(w, "error"); String(w, database.error);
  Key(w, "seconds"); w.Double(database.seconds);
  Key(w, "tables");
  w.StartArray();
  for (const auto& table : database.tables) WriteTable(w, table);
  w.EndArray();
  w.EndObject();
}

std::string Get(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}
int64_t GetInt(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}
std::vector<std::string> GetStrings(const rapidjson::Value& object, const char* name) {
  std::vector<std::string> out;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& value : it->value.GetArray()) out.push_back(value.IsString() ? value.GetString() : "");
  return out;
}

// A field for people: NULL, a number as is, anything else quoted.
std::string ShowField(ColumnCanon canon, std::string_view field) {
  if (field == "\\N") return "NULL";
  std::string value = UnescapeCopyField(field);
  if (value.size() > 200) value = value.substr(0, 200) + "...";
  bool bare = canon == ColumnCanon::kInteger || canon == ColumnCanon::kNumeric || canon == ColumnCanon::kReal ||
              canon == ColumnCanon::kDouble || canon == ColumnCanon::kBoolean;
  return bare ? value : "'" + value + "'";
}

}  // namespace

std::string TableVerification::Detail() const {
  if (status == "failed") return error;
  std::string detail;
  for (const auto& problem : problems) detail += (detail.empty() ? "" : "; ") + problem;
  if (mismatched_rows > 0) {
    std::string keys;
    for (size_t i = 0; i < differences.size() && i < 5; ++i) {
      keys += (i > 0 ? ", " : "") + (differences[i].key.empty() ? differences[i].kind : differences[i].key);
    }
    detail += (detail.empty() ? "" : "; ") + std::to_string(mismatched_rows) + " row" +
              (mismatched_rows > 1 ? "s differ" : " differs") + (keys.empty() ? "" : ": " + keys);
  }
  return detail;
}

void DescribeDifference(const std::vector<std::string>& names, const std::vector<ColumnCanon>& canons,
                        const RowDifference& difference, ShownDifference& shown) {
  shown.kind = difference.kind == RowDifference::Kind::kChanged   ? "changed"
               : difference.kind == RowDifference::Kind::kMissing ? "missing"
                                                                  : "added";
  std::vector<std::string_view> source = SplitCopyLine(difference.source_line);
  std::vector<std::string_view> target = SplitCopyLine(difference.target_line);
  for (size_t c = 0; c < names.size(); ++c) {
    std::string_view s = c < source.size() ? source[c] : std::string_view();
    std::string_view t = c < target.size() ? target[c] : std::string_view();
    if (difference.kind == RowDifference::Kind::kChanged) {
      std::string a, b;
      AppendCanonical(canons[c], s, a);
      AppendCanonical(canons[c], t, b);
      if (a == b) continue;
    }
    if (!difference.source_line.empty()) {
      shown.source += (shown.source.empty() ? "" : ", ") + names[c] + "=" + ShowField(canons[c], s);
    }
    if (!difference.target_line.empty()) {
      shown.target += (shown.target.empty() ? "" : ", ") + names[c] + "=" + ShowField(canons[c], t);
    }
  }
}

std::string VerifyReportJson(const std::vector<DatabaseVerification>& databases, const std::string& mode,
                             uint64_t seed, double wall_seconds) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "format"); w.String("my2pg-verify/1");
  Key(w, "mode"); String(w, mode);
  if (mode == "sample") {
    Key(w, "seed"); w.Uint64(seed);
  }
  Key(w, "wall_seconds"); w.Double(wall_seconds);
  Key(w, "databases");
  w.StartArray();
  for (const auto& database : databases) WriteDatabase(w, database);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string DatabaseVerificationJson(const DatabaseVerification& database) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  WriteDatabase(w, database);
  return std::string(buffer.GetString(), buffer.GetSize());
}

DatabaseVerification DatabaseVerificationFromJson(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    throw Error(ErrorCategory::kInternal, "a verify worker's report is not JSON");
  }
  DatabaseVerification database;
  database.database = Get(document, "database");
  database.target_database = Get(document, "target_database");
  database.status = Get(document, "status");
  database.error = Get(document, "error");
  if (document.HasMember("seconds") && document["seconds"].IsNumber()) database.seconds = document["seconds"].GetDouble();
  if (document.HasMember("tables") && document["tables"].IsArray()) {
    for (const auto& t : document["tables"].GetArray()) {
      TableVerification table;
      table.table = Get(t, "table");
      table.target = Get(t, "target");
      table.status = Get(t, "status");
      table.error = Get(t, "error");
      table.method = Get(t, "method");
      table.source_rows = GetInt(t, "source_rows");
      table.target_rows = GetInt(t, "target_rows");
      table.rejected_rows = GetInt(t, "rejected_rows");
      table.rejects_known = !t.HasMember("rejects_known") || !t["rejects_known"].IsBool() || t["rejects_known"].GetBool();
      table.filtered_rows = GetInt(t, "filtered_rows");
      table.mismatched_rows = GetInt(t, "mismatched_rows");
      table.chunks = static_cast<int>(GetInt(t, "chunks"));
      table.chunks_compared = static_cast<int>(GetInt(t, "chunks_compared"));
      table.problems = GetStrings(t, "problems");
      table.notes = GetStrings(t, "notes");
      if (t.HasMember("differences") && t["differences"].IsArray()) {
        for (const auto& d : t["differences"].GetArray()) {
          table.differences.push_back({Get(d, "kind"), Get(d, "key"), Get(d, "source"), Get(d, "target")});
        }
      }
      database.tables.push_back(std::move(table));
    }
  }
  return database;
}

std::string VerifySummary(const std::vector<DatabaseVerification>& databases) {
  std::string out;
  int ok = 0, mismatch = 0, failed = 0;
  for (const auto& database : databases) {
    (database.status == "ok" ? ok : database.status == "mismatch" ? mismatch : failed)++;
    out += database.database + ": " + (database.status == "ok" ? "OK" : database.status == "mismatch" ? "DIFFERENT" : "FAILED");
    if (!database.error.empty()) out += " (" + database.error + ")";
    out += "\n";
    for (const auto& table : database.tables) {
      out += "  " + table.table + " -> " + table.target + ": " +
             (table.status == "ok" ? "OK" : table.status == "mismatch" ? "DIFFERENT" : "FAILED") + "  source " +
             std::to_string(table.source_rows) + " = target " + std::to_string(table.target_rows) + " + rejected " +
             (table.rejects_known ? std::to_string(table.rejected_rows) : "?") + " + filtered " +
             std::to_string(table.filtered_rows) + "; " + table.method + ", " + std::to_string(table.chunks_compared) +
             "/" + std::to_string(table.chunks) + " chunks\n";
      if (!table.error.empty()) out += "    error: " + table.error + "\n";
      for (const auto& problem : table.problems) out += "    " + problem + "\n";
      for (const auto& note : table.notes) out += "    note: " + note + "\n";
      for (const auto& d : table.differences) {
        out += "    " + d.kind + " " + (d.key.empty() ? "(no key)" : d.key) + ": source " +
               (d.source.empty() ? "-" : d.source) + " | target " + (d.target.empty() ? "-" : d.target) + "\n";
      }
      if (table.mismatched_rows > static_cast<int64_t>(table.differences.size())) {
        out += "    ... " + std::to_string(table.mismatched_rows - table.differences.size()) + " more differing rows\n";
      }
    }
  }
  out += "verify: " + std::to_string(databases.size()) + " database" + (databases.size() == 1 ? "" : "s") + ": " +
         std::to_string(ok) + " identical, " + std::to_string(mismatch) + " different, " + std::to_string(failed) +
         " could not be checked\n";
  return out;
}

}  // namespace my2pg
