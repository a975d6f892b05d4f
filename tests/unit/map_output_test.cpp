#include "output/text_renderer.h"
#include "program/map_names.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(MapOutput, UserNamesAndHistogramKinds) {
  EXPECT_EQ(userMapName("counts__map").name, "counts");
  EXPECT_EQ(userMapName("counts__map").kind, MapName::Kind::Table);
  EXPECT_EQ(userMapName("dist__hist").kind, MapName::Kind::Log2Histogram);
  EXPECT_EQ(userMapName("lat__lhist").kind, MapName::Kind::LinearHistogram);
  EXPECT_EQ(userMapName("libbpf_map").name, "libbpf_map");
}

TEST(MapOutput, Log2HistogramLooksLikeBccs) {
  // bpf_log2l: 0 and 1 → bucket 1, 2..3 → 2, 4..7 → 3
  const auto text = log2Histogram("dist", {0, 4, 0, 8});
  EXPECT_EQ(text,
            "dist:\n"
            "                   value : count    distribution\n"
            "         0 -> 1          : 4        |********************                    |\n"
            "         2 -> 3          : 0        |                                        |\n"
            "         4 -> 7          : 8        |****************************************|\n");
}

TEST(MapOutput, LinearHistogram) {
  const auto text = linearHistogram("lat", {{0, 1}, {5, 2}});
  EXPECT_NE(text.find("           0 : 1        |********************"), std::string::npos) << text;
  EXPECT_NE(text.find("           5 : 2        |****************************************|"), std::string::npos) << text;
}
