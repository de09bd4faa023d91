#include "rules/json_source.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <vector>

#include "common/error.h"

namespace my2pg {
namespace {

// Escapes a key as a JSON pointer token (RFC 6901).
std::string PointerToken(const char* key, size_t length) {
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    if (key[i] == '~') out += "~0";
    else if (key[i] == '/') out += "~1";
    else out += key[i];
  }
  return out;
}

// Forwards SAX events to the document while recording each value's offset.
class PositionHandler {
 public:
  PositionHandler(rapidjson::Document& document, rapidjson::StringStream& stream,
                  const std::string& text, std::map<std::string, size_t>& offsets)
      : document_(document), stream_(stream), text_(text), offsets_(offsets) {}

  // Scalar events fire after the value was read: find where it started.
  bool Null() { Value(WordStart()); return document_.Null(); }
  bool Bool(bool b) { Value(WordStart()); return document_.Bool(b); }
  bool Int(int i) { Value(WordStart()); return document_.Int(i); }
  bool Uint(unsigned u) { Value(WordStart()); return document_.Uint(u); }
  bool Int64(int64_t i) { Value(WordStart()); return document_.Int64(i); }
  bool Uint64(uint64_t u) { Value(WordStart()); return document_.Uint64(u); }
  bool Double(double d) { Value(WordStart()); return document_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    Value(WordStart()); return document_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    Value(StringStart()); return document_.String(s, n, copy);
  }
  bool StartObject() {
    Value(stream_.Tell() - 1);
    frames_.push_back({true, 0, ""});
    return document_.StartObject();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    frames_.back().key = PointerToken(s, n);
    return document_.Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    frames_.pop_back();
    return document_.EndObject(n);
  }
  bool StartArray() {
    Value(stream_.Tell() - 1);
    frames_.push_back({false, 0, ""});
    return document_.StartArray();
  }
  bool EndArray(rapidjson::SizeType n) {
    frames_.pop_back();
    return document_.EndArray(n);
  }

 private:
  struct Frame {
    bool object;
    size_t next_index;
    std::string key;
  };

  size_t WordStart() const {
    size_t i = stream_.Tell();
    while (i > 0 && std::strchr("0123456789+-.eEtrufalsn", text_[i - 1]) != nullptr) --i;
    return i;
  }
  // RapidJSON reports a string with Tell() at its opening quote.
  size_t StringStart() const { return stream_.Tell(); }

  // Records the pointer of the value starting at "offset".
  void Value(size_t offset) {
    std::string pointer;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      bool last = i + 1 == frames_.size();
      pointer += "/" + (f.object ? f.key : std::to_string(last ? f.next_index : f.next_index - 1));
    }
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().next_index;
    offsets_[pointer] = offset;
  }

  rapidjson::Document& document_;
  rapidjson::StringStream& stream_;
  const std::string& text_;
  std::map<std::string, size_t>& offsets_;
  std::vector<Frame> frames_;
};

}  // namespace

JsonSource::JsonSource(const std::string& text, std::string origin)
    : text_(text), origin_(std::move(origin)) {
  rapidjson::StringStream stream(text_.c_str());
  rapidjson::ParseResult result;
  // Populate() installs the parsed root value as the document.
  auto generate = [&](rapidjson::Document& document) {
    PositionHandler handler(document, stream, text_, offsets_);
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseCommentsFlag>(stream, handler);
    return !result.IsError();
  };
  document_.Populate(generate);
  if (result.IsError()) {
    throw Error(ErrorCategory::kRules, origin_ + ":" + LineColumn(result.Offset()) +
                                           ": invalid JSON: " +
                                           rapidjson::GetParseError_En(result.Code()));
  }
  // Anything but white space after the value is an error too.
  for (size_t i = stream.Tell(); i < text_.size(); ++i) {
    char c = text_[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      throw Error(ErrorCategory::kRules,
                  origin_ + ":" + LineColumn(i) + ": invalid JSON: text after the end of the document");
    }
  }
}

std::string JsonSource::LineColumn(size_t offset) const {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string JsonSource::Locate(const std::string& pointer) const {
  auto it = offsets_.find(pointer);
  return origin_ + ":" + (it == offsets_.end() ? std::string("1:1") : LineColumn(it->second));
}

void JsonSource::Fail(const std::string& pointer, const std::string& message) const {
  throw Error(ErrorCategory::kRules,
              Locate(pointer) + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
}

}  // namespace my2pg
