#include "common/suggest.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

TEST(Suggest, FindsTheLikelyTypo) {
  std::vector<std::string> tables = {"client", "chambre", "reservation"};
  EXPECT_EQ(ClosestName("clinet", tables), "client");
  EXPECT_EQ(ClosestName("Reservations", tables), "reservation");
  EXPECT_EQ(ClosestName("paiement", tables), "");
  EXPECT_EQ(DidYouMean("chambres", tables), " (did you mean 'chambre'?)");
  EXPECT_EQ(DidYouMean("x", tables), "");
}

}  // namespace
}  // namespace my2pg
