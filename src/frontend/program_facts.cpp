#include "frontend/program_facts.h"

#include <clang/Basic/LangOptions.h>
#include <clang/Basic/TokenKinds.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/StringRef.h>

#include "frontend/probe_plan.h"

namespace probecc {
namespace {

// The program's tokens as Clang's raw lexer gives them: comments dropped, a string one token.
std::vector<clang::Token> tokensOf(std::string_view text) {
  clang::LangOptions language;
  language.C11 = true;
  clang::Lexer lexer(clang::SourceLocation(), language, text.data(), text.data(), text.data() + text.size());
  std::vector<clang::Token> tokens;
  clang::Token token;
  while (!lexer.LexFromRawLexer(token)) tokens.push_back(token);
  if (token.isNot(clang::tok::eof)) tokens.push_back(token);
  return tokens;
}

std::string_view spelling(const clang::Token &token) {
  if (token.is(clang::tok::raw_identifier)) return std::string_view(token.getRawIdentifier());
  if (token.isLiteral()) return std::string_view(token.getLiteralData(), token.getLength());
  const char *punctuator = clang::tok::getPunctuatorSpelling(token.getKind());
  return punctuator ? punctuator : "";
}

// `#include "H"` or `#include <H>` starting at tokens[at]: H, or "".
std::string includedHeader(const std::vector<clang::Token> &tokens, size_t at) {
  if (at + 2 >= tokens.size() || !tokens[at].isAtStartOfLine() || tokens[at].isNot(clang::tok::hash) ||
      spelling(tokens[at + 1]) != "include")
    return "";
  const clang::Token &first = tokens[at + 2];
  if (first.is(clang::tok::string_literal)) {
    const std::string_view quoted = spelling(first);
    return std::string(quoted.substr(1, quoted.size() - 2));
  }
  if (first.isNot(clang::tok::less)) return "";
  std::string header;
  for (size_t i = at + 3; i < tokens.size() && !tokens[i].isAtStartOfLine() && tokens[i].isNot(clang::tok::greater); ++i)
    header += spelling(tokens[i]);
  return header;
}

// TRACEPOINT_PROBE ( CAT , EVENT ) at tokens[at].
std::optional<TracepointRef> macroTracepoint(const std::vector<clang::Token> &tokens, size_t at) {
  if (at + 5 >= tokens.size() || spelling(tokens[at]) != "TRACEPOINT_PROBE") return std::nullopt;
  const clang::tok::TokenKind shape[] = {clang::tok::l_paren, clang::tok::raw_identifier, clang::tok::comma,
                                         clang::tok::raw_identifier, clang::tok::r_paren};
  for (size_t i = 0; i < 5; ++i)
    if (tokens[at + 1 + i].isNot(shape[i])) return std::nullopt;
  return TracepointRef{std::string(spelling(tokens[at + 2])), std::string(spelling(tokens[at + 4]))};
}

// SEC("PREFIX...") at tokens[at]: a libbpf-style program's section, which names its probe kind.
bool sectionStartsWith(const std::vector<clang::Token> &tokens, size_t at, std::string_view prefix) {
  if (at + 2 >= tokens.size() || spelling(tokens[at]) != "SEC" || tokens[at + 1].isNot(clang::tok::l_paren) ||
      tokens[at + 2].isNot(clang::tok::string_literal))
    return false;
  return spelling(tokens[at + 2]).substr(1).starts_with(prefix);
}

std::optional<TracepointRef> nameTracepoint(std::string_view name) {
  constexpr std::string_view kPrefix = "tracepoint__";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  const auto target = tracepointFromBccName(name.substr(kPrefix.size()));
  if (!target) return std::nullopt;
  const auto slash = target->find('/');
  return TracepointRef{target->substr(0, slash), target->substr(slash + 1)};
}

}  // namespace

ProgramFacts readProgramFacts(std::string_view text) {
  ProgramFacts facts;
  const auto tokens = tokensOf(text);
  auto addTracepoint = [&](std::optional<TracepointRef> ref) {
    if (ref && std::find(facts.tracepoints.begin(), facts.tracepoints.end(), *ref) == facts.tracepoints.end())
      facts.tracepoints.push_back(std::move(*ref));
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (auto header = includedHeader(tokens, i); !header.empty()) facts.includes.push_back(std::move(header));
    if (tokens[i].isNot(clang::tok::raw_identifier)) continue;
    const std::string_view name = spelling(tokens[i]);
    facts.namesUsdt |= llvm::StringRef(name).contains_insensitive("usdt") || sectionStartsWith(tokens, i, "usdt");
    addTracepoint(nameTracepoint(name));
    addTracepoint(macroTracepoint(tokens, i));
  }
  return facts;
}

}  // namespace probecc
