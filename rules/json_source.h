// JsonSource: a parsed JSON text that remembers where each value starts, so
// that errors found after parsing (unknown key, wrong type) can still name
// file:line:column, not only the JSON pointer.
#ifndef MY2PG_RULES_JSON_SOURCE_H_
#define MY2PG_RULES_JSON_SOURCE_H_

#include <rapidjson/document.h>

#include <map>
#include <string>

namespace my2pg {

class JsonSource {
 public:
  // Parses "text"; throws Error(kRules) "origin:line:col: message" on bad JSON.
  JsonSource(const std::string& text, std::string origin);

  const rapidjson::Document& document() const { return document_; }
  const std::string& origin() const { return origin_; }
  // "origin:line:column" of the value at "pointer" ("/types/3/match").
  std::string Locate(const std::string& pointer) const;
  // Throws Error(kRules): "origin:line:col: pointer: message".
  [[noreturn]] void Fail(const std::string& pointer, const std::string& message) const;

 private:
  std::string LineColumn(size_t offset) const;

  std::string text_;
  std::string origin_;
  rapidjson::Document document_;
  std::map<std::string, size_t> offsets_;  // JSON pointer -> byte offset
};

}  // namespace my2pg

#endif  // MY2PG_RULES_JSON_SOURCE_H_
