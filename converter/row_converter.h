// RowConverter: converts one source row (MySQL text-protocol values, raw
// bytes) into one line of PostgreSQL COPY text, by the per-column conversion
// chains compiled from the schema plan when the table starts. A value a
// policy cannot accept rejects the whole row, with the column and the reason;
// a value a policy changes is counted.
//
// The hot path is one switch per value, writing into a caller-owned buffer:
// no allocation per value, no virtual call, no regex compiled per row.
// One RowConverter per table stream; not thread-safe.
#ifndef MY2PG_CONVERTER_ROW_CONVERTER_H_
#define MY2PG_CONVERTER_ROW_CONVERTER_H_

#include <date/tz.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "converter/conversion_stats.h"
#include "converter/parent_keys.h"
#include "converter/text_cleanup.h"
#include "converter/text_encoder.h"
#include "mapper/schema_plan.h"

namespace my2pg {

// One field as read from MySQL: bytes, or null.
struct SourceValue {
  const char* data = nullptr;
  size_t size = 0;
  bool is_null = true;
  std::string_view view() const { return std::string_view(data, size); }
};

// The reason of an orphan's rejection: "orphan: no team.id = '3'", or for a
// key of several columns "orphan: no orders.(tenant_id, id) = ('1', '5')".
// "values" are the key's COPY text fields.
std::string OrphanReason(const std::string& parent_description, const std::vector<std::string_view>& values);

// Why a row was rejected.
struct RowRejection {
  int column = -1;  // index into the target table's columns
  std::string reason;
};

class RowConverter {
 public:
  // Compiles the conversion of every column of "table". Throws Error(kRules)
  // for a conversion my2pg cannot do (unknown charset, ...). With
  // "allow_binary" false, always COPY text.
  RowConverter(const SchemaPlan& plan, const TargetTable& table, bool allow_binary = true);

  // Appends the COPY line for "values" (one per target column, in target
  // order) to "out", newline included, and returns true. On rejection, "out"
  // is left as it was, "*rejection" says why and false is returned.
  bool Convert(const SourceValue* values, std::string& out, TableStats& stats,
               RowRejection* rejection);

  // Checks the values of target column "column_name" against the keys of its
  // parent table, as the rules' orphan policy says ("reject" or "null").
  // "keys" must stay unchanged while this converter is used.
  void CheckParentKeys(const std::string& column_name, std::shared_ptr<const ParentKeys> keys,
                       Policy orphans, const std::string& parent_description);

  size_t column_count() const { return columns_.size(); }

  // True if Convert() writes PostgreSQL's binary COPY format (every column of
  // the table has a binary form), false for COPY text. The writer must start
  // COPY in the same format.
  bool binary() const { return binary_; }

 private:
  enum class Conversion {
    kPassThrough,  // integers, decimals, doubles: MySQL's text is PostgreSQL's
    kIntegerInRange,  // an integer into a narrower target type: checked
    kNumber,       // a number fitted to the target's type (numeric_text.h)
    kFloat,        // a FLOAT, read as the double of its exact value
    kIntToBool, kBitToBool, kBitString, kYear,
    kDate, kDateTime, kDateTimeUtc, kTime,
    kText, kBytea, kEnum, kSetArray,
    kTextToBool,  // 'Y'/'N', 'oui'/'non', 'true'/'false' ... into boolean
    kTextToNumber,  // text a rule retypes to a number: decoded, cleaned, fitted
    kTextToDate,    // text a rule retypes to a date or timestamp: decoded, cleaned, checked
    kJson,        // validated, then written as text
    kGeometry,    // MySQL's SRID + WKB into PostGIS hex EWKB
  };
  struct Column {
    Conversion conversion = Conversion::kText;
    const TargetColumn* target = nullptr;
    TextEncoder encoder;  // plain UTF-8 when "plain_text", else COPY-escaped
    std::unique_ptr<TextEncoder> raw_encoder;  // binary mode, kText: the value's UTF-8, unescaped
    bool plain_text = false;  // decoded, then repaired/cleaned/validated, then escaped
    bool repair_mojibake = false;
    std::unique_ptr<TextCleanup> cleanup;
    const date::time_zone* zone = nullptr;  // kDateTime: local times in this zone
    // Stretches of local time with one UTC offset, as the zone lookups found
    // them, sorted: a lookup in the zone (which allocates) runs once per
    // stretch, not once per value.
    struct Stretch {
      date::local_seconds begin, end;
      std::chrono::seconds offset;
    };
    std::vector<Stretch> stretches;
    int bit_width = 0;
    __int128 min = 0, max = 0;  // kIntegerInRange bounds
    int precision = 0, scale = 0;  // a numeric(p,s) target; precision 0: unconstrained
    size_t max_characters = 0;     // a varchar(n)/char(n) target; 0: no limit
    int fraction_digits = 6;       // a time or timestamp target's fractional seconds
    bool jsonb = false;            // jsonb refuses what json accepts (\u0000)
    // What zero and invalid dates become, as this column's COPY text
    // (resolved from the policies once: a sentinel's meaning depends on the
    // target type and the column's time zone).
    std::string zero_date, invalid_date;
    std::vector<std::string> labels;  // enum and set members
    std::shared_ptr<const ParentKeys> parent_keys;  // null: no orphan check
    bool orphans_to_null = false;
    std::string parent_description;  // "customer.id", for reasons
  };

  static Conversion ChooseConversion(const SourceColumn& source, const TargetColumn& target);
  static Column CompileColumn(const SourceColumn& source, const TargetColumn& target, Conversion conversion);
  bool ColumnsHaveBinaryForm() const;
  // Binary COPY: plain text columns get an encoder that does not COPY-escape.
  void PrepareBinaryText(const SourceTable& source_table);

  // How a number of "source" becomes a value of "target".
  static Conversion NumberConversion(const SourceColumn& source, const TargetColumn& target);

  // Each returns false (with "reason") to reject; may append "\\N" for NULL.
  bool ConvertValue(Column& column, const SourceValue& value, std::string& out,
                    ColumnChanges& changes, std::string* reason);
  // Records the rejection at "column" and undoes the row: "out" back to
  // "row_start", and the changes its columns counted.
  void Reject(const SourceValue* values, size_t column, std::string& out, size_t row_start,
              TableStats& stats, RowRejection* rejection);
  // True if "field" (COPY text) names a parent row that does not exist.
  bool IsOrphan(const Column& column, std::string_view field) const;
  // kNumber: "text" (a number) fitted to the target type.
  // The conversions ConvertValue's switch hands its less common cases to.
  // Each appends the COPY text, or returns false with "reason".
  bool ConvertFloat(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                    std::string* reason);
  bool ConvertTime(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                   std::string* reason);
  bool ConvertDecodedText(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                          std::string* reason);
  bool ConvertTextToBool(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                         std::string* reason);
  bool ConvertBytea(const Column& column, std::string_view text, std::string& out, std::string* reason);
  bool ConvertGeometry(const Column& column, std::string_view text, std::string& out, std::string* reason);
  bool ConvertEnum(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                   std::string* reason);
  bool ConvertSetArray(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                       std::string* reason);
  bool ConvertNumber(const Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                     std::string* reason);
  // Checks what PostgreSQL would refuse in the finished field (COPY text, or
  // the unescaped value when "escaped" is false): length in characters, size.
  bool FieldFits(const Column& column, std::string_view field, bool escaped, std::string* reason) const;
  bool ConvertDate(Column& column, std::string_view text, bool with_time, std::string& out,
                   ColumnChanges& changes, std::string* reason);
  // Local date-time "text" in column.zone, written as UTC.
  bool ConvertToUtc(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                    std::string* reason);
  // Decodes "text" into scratch_ (UTF-8, unescaped), then repairs and cleans it.
  enum class Decoded { kText, kNull, kReject };
  Decoded DecodeText(Column& column, std::string_view text, ColumnChanges& changes, std::string* reason);
  // Decodes into scratch_, then repairs, cleans and validates it; appends the
  // escaped result (or NULL) to "out".
  bool ConvertPlainText(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                        std::string* reason);

  // The binary form of one field, from its COPY text "field" (not NULL).
  bool AppendBinaryField(const Column& column, std::string_view field, std::string& out, std::string* reason);

  std::vector<Column> columns_;
  bool binary_ = false;
  std::string field_;  // binary mode: a field's text form
  std::string scratch_;
  std::string scratch2_;
  std::string number_;  // a number between two fitting steps
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_ROW_CONVERTER_H_
