#include "frontend/script_input.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(ScriptInput, ShebangLineIsBlankedKeepingLineNumbers) {
  std::string text = "#!/usr/bin/env probecc\nint x;\n";
  blankShebang(text);
  EXPECT_EQ(text, "\nint x;\n");
  std::string noShebang = "int y; // #!\n";
  blankShebang(noShebang);
  EXPECT_EQ(noShebang, "int y; // #!\n");
}

TEST(ScriptInput, SnippetsJoinInOrderAndAreNamedForDiagnostics) {
  auto script = readScript("", {"int a;", "int b;"});
  ASSERT_TRUE(static_cast<bool>(script));
  EXPECT_EQ(script->name, "<-e>");
  EXPECT_EQ(script->text, "int a;\nint b;\n");
}

TEST(ScriptInput, MissingFileAndMissingProgramAreErrors) {
  auto missing = readScript("/nonexistent/probe.c", {});
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("/nonexistent/probe.c"), std::string::npos);
  auto none = readScript("", {});
  ASSERT_FALSE(static_cast<bool>(none));
  EXPECT_NE(llvm::toString(none.takeError()).find("-e"), std::string::npos);
  auto both = readScript("x.c", {"int a;"});
  EXPECT_FALSE(static_cast<bool>(both));
  llvm::consumeError(both.takeError());
}
