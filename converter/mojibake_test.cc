#include "converter/mojibake.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

struct MojibakeCase {
  const char* input;
  const char* expected;
  bool repaired;
};

const MojibakeCase kCases[] = {
    {"CafÃ©", "Café", true},
    {"ArrivÃ©e tardive â€” cafÃ© offert", "Arrivée tardive — café offert", true},
    {"Ã‰tÃ© Ã\u00A0 Ã‰vian", "Été à Évian", true},  // "à" is C3 A0: A0 is a no-break space
    {"ZoÃ« MÃ¼ller", "Zoë Müller", true},
    {"CafÃƒÂ©", "Café", true},          // encoded twice
    {"â‚¬ 10", "€ 10", true},
    {"Müller", "Müller", false},        // genuine latin1 text stays
    {"Øster", "Øster", false},
    {"Gonçalves", "Gonçalves", false},
    {"plain ascii", "plain ascii", false},
    {"😀 smile", "😀 smile", false},     // not representable in Windows-1252
    {"Ã", "Ã", false},                  // a lone lead byte is not UTF-8
    {"", "", false},
};

class MojibakeTest : public testing::TestWithParam<MojibakeCase> {};

TEST_P(MojibakeTest, RepairsOnlyMojibake) {
  std::string text = GetParam().input, scratch;
  EXPECT_EQ(RepairMojibake(text, scratch), GetParam().repaired) << GetParam().input;
  EXPECT_EQ(text, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Values, MojibakeTest, testing::ValuesIn(kCases));

}  // namespace
}  // namespace my2pg
