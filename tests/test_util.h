// Helpers shared by the unit and integration tests.
#ifndef MY2PG_TESTS_TEST_UTIL_H_
#define MY2PG_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace my2pg {

// "bytes" in lowercase hex, for readable failures on binary data.
inline std::string Hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// The file's text, or "" if it cannot be read (tests run from the source root).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares "actual" with a golden file; MY2PG_UPDATE_GOLDEN=1 rewrites the
// file instead (then review the diff before committing it).
inline void ExpectGolden(const std::string& actual, const std::string& golden_path) {
  if (std::getenv("MY2PG_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, ReadFile(golden_path)) << "golden file " << golden_path
                                           << " differs (MY2PG_UPDATE_GOLDEN=1 to accept)";
}

}  // namespace my2pg

#endif  // MY2PG_TESTS_TEST_UTIL_H_
