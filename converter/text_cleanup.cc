#include "converter/text_cleanup.h"

#include <re2/re2.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace my2pg {
namespace {

// ASCII white space and U+00A0 (no-break space), common in legacy text.
void Trim(std::string& text) {
  auto space_at_start = [&text](size_t i) -> size_t {
    if (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) return 1;
    if (i + 1 < text.size() && text[i] == '\xC2' && text[i + 1] == '\xA0') return 2;
    return 0;
  };
  size_t begin = 0;
  while (size_t n = space_at_start(begin)) begin += n;
  size_t end = text.size();
  while (end > begin) {
    char c = text[end - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      --end;
    } else if (end - begin >= 2 && text[end - 2] == '\xC2' && c == '\xA0') {
      end -= 2;
    } else {
      break;
    }
  }
  text = text.substr(begin, end - begin);
}

void ChangeCase(std::string& text, bool upper) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
  if (upper) unicode.toUpper(icu::Locale::getRoot()); else unicode.toLower(icu::Locale::getRoot());
  text.clear();
  unicode.toUTF8String(text);
}

}  // namespace

TextCleanup::Outcome TextCleanup::Apply(std::string& text) const {
  bool changed = false;
  for (const CleanupStep& step : steps_) {
    std::string before = text;
    switch (step.kind) {
      case CleanupStep::Kind::kTrim: Trim(text); break;
      case CleanupStep::Kind::kUpper: ChangeCase(text, true); break;
      case CleanupStep::Kind::kLower: ChangeCase(text, false); break;
      case CleanupStep::Kind::kReplace: RE2::GlobalReplace(&text, *step.pattern, step.replacement); break;
      case CleanupStep::Kind::kMap: {
        auto it = step.map.find(text);
        if (it != step.map.end()) text = it->second;
        break;
      }
      case CleanupStep::Kind::kNullIf:
        if (std::find(step.values.begin(), step.values.end(), text) != step.values.end()) return Outcome::kNull;
        break;
      case CleanupStep::Kind::kNullIfMatch:
        if (RE2::PartialMatch(text, *step.pattern)) return Outcome::kNull;
        break;
      case CleanupStep::Kind::kEmptyToNull:
        if (text.empty()) return Outcome::kNull;
        break;
    }
    changed = changed || text != before;
  }
  return changed ? Outcome::kChanged : Outcome::kUnchanged;
}

}  // namespace my2pg
