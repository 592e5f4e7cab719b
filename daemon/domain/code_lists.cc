#include "daemon/domain/code_lists.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace hop::domain {
namespace internal {
extern const char kCountyCodesTextproto[];
}  // namespace internal

namespace {

constexpr size_t kMaxCodeLength = 40;

int Index(CodeKind kind) { return static_cast<int>(kind); }

const char* ListName(CodeKind kind) {
  switch (kind) {
    case CodeKind::kNeedArea:
      return "need_areas";
    case CodeKind::kServiceType:
      return "service_types";
    case CodeKind::kOutcome:
      return "outcomes";
    case CodeKind::kTopic:
      return "topics";
  }
  return "?";
}

// The `hopctl codes` argument that lists `kind`.
const char* ListCommand(CodeKind kind) {
  switch (kind) {
    case CodeKind::kNeedArea:
      return "need-areas";
    case CodeKind::kServiceType:
      return "service-types";
    case CodeKind::kOutcome:
      return "outcomes";
    case CodeKind::kTopic:
      return "topics";
  }
  return "?";
}

}  // namespace

bool IsCodeShaped(absl::string_view code) {
  if (code.size() < 2 || code.size() > kMaxCodeLength) return false;
  if (!absl::ascii_islower(code[0])) return false;
  for (char c : code) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

bool IsDirectoryIdShaped(absl::string_view id) {
  if (id.size() < 12 || id.size() > 24 || id[4] != '-' || !absl::ascii_isupper(id[5])) {
    return false;
  }
  for (size_t i = 0; i < id.size(); ++i) {
    if (i != 4 && i != 5 && !absl::ascii_isdigit(id[i])) return false;
  }
  return true;
}

namespace {

bool ValidDate(absl::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(d[i])) return false;
  }
  return true;
}

const google::protobuf::RepeatedPtrField<hop::v1::Code>& Field(const hop::v1::CodeLists& l,
                                                               CodeKind kind) {
  switch (kind) {
    case CodeKind::kNeedArea:
      return l.need_areas();
    case CodeKind::kServiceType:
      return l.service_types();
    case CodeKind::kOutcome:
      return l.outcomes();
    case CodeKind::kTopic:
      break;
  }
  return l.topics();
}

// Keeps the parser's messages ("1:5: ...") for the error, instead of protobuf's own log.
class ParseErrors final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
  }
  std::vector<std::string> errors;
};

constexpr CodeKind kKinds[] = {CodeKind::kNeedArea, CodeKind::kServiceType, CodeKind::kOutcome,
                               CodeKind::kTopic};

}  // namespace

const char* CodeKindName(CodeKind kind) {
  switch (kind) {
    case CodeKind::kNeedArea:
      return "need area";
    case CodeKind::kServiceType:
      return "service type";
    case CodeKind::kOutcome:
      return "outcome";
    case CodeKind::kTopic:
      return "topic";
  }
  return "?";
}

CodeLists::CodeLists(hop::v1::CodeLists lists) : lists_(std::move(lists)) {
  for (CodeKind kind : kKinds) {
    for (const hop::v1::Code& code : Field(lists_, kind)) {
      index_[Index(kind)].emplace(code.code(), by_kind_[Index(kind)].size());
      by_kind_[Index(kind)].push_back(code);
    }
  }
}

absl::StatusOr<CodeLists> CodeLists::Parse(absl::string_view textproto, absl::string_view source) {
  hop::v1::CodeLists lists;
  ParseErrors errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(textproto), &lists)) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": not a hop.v1.CodeLists textproto: ", absl::StrJoin(errors.errors, "; ")));
  }
  std::vector<std::string> problems;
  if (lists.version() == 0) problems.push_back("version: must be 1 or more");
  if (!ValidDate(lists.valid_from())) problems.push_back("valid_from: expected YYYY-MM-DD");
  for (CodeKind kind : kKinds) {
    std::set<std::string> seen;
    for (const hop::v1::Code& code : Field(lists, kind)) {
      std::string where = absl::StrCat(ListName(kind), " \"", code.code(), "\"");
      if (!IsCodeShaped(code.code())) {
        problems.push_back(absl::StrCat(where, ": a code is 2 to ", kMaxCodeLength,
                                        " of a-z, 0-9 and '-', starting with a letter"));
      }
      if (!seen.insert(code.code()).second) problems.push_back(absl::StrCat(where, ": twice"));
      if (code.et().empty() || code.en().empty()) {
        problems.push_back(absl::StrCat(where, ": needs both labels (et and en)"));
      }
    }
    if (seen.empty()) problems.push_back(absl::StrCat(ListName(kind), ": empty"));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", absl::StrJoin(problems, "; ")));
  }
  return CodeLists(std::move(lists));
}

const CodeLists& CountyCodes() {
  static const CodeLists* const kCounty = [] {
    absl::StatusOr<CodeLists> lists = CodeLists::County();
    if (!lists.ok()) {
      std::fprintf(stderr, "hop: %s\n", std::string(lists.status().message()).c_str());
      std::abort();
    }
    return new CodeLists(*std::move(lists));
  }();
  return *kCounty;
}

absl::StatusOr<CodeLists> CodeLists::County() {
  absl::StatusOr<CodeLists> lists =
      Parse(internal::kCountyCodesTextproto, "built-in county_codes.textproto");
  if (!lists.ok()) return absl::InternalError(lists.status().message());
  return lists;
}

const hop::v1::Code* CodeLists::Find(CodeKind kind, absl::string_view code) const {
  auto it = index_[Index(kind)].find(code);
  return it == index_[Index(kind)].end() ? nullptr : &by_kind_[Index(kind)][it->second];
}

std::string CodeLists::Label(CodeKind kind, absl::string_view code,
                             absl::string_view language) const {
  const hop::v1::Code* found = Find(kind, code);
  if (found == nullptr) return std::string(code);
  return language == "en" ? found->en() : found->et();
}

const std::vector<hop::v1::Code>& CodeLists::List(CodeKind kind) const {
  return by_kind_[Index(kind)];
}

absl::Status CodeLists::CheckNew(CodeKind kind, absl::string_view code,
                                 absl::string_view field) const {
  return Check(kind, code, field, /*allow_retired=*/false);
}

absl::Status CodeLists::CheckKnown(CodeKind kind, absl::string_view code,
                                   absl::string_view field) const {
  return Check(kind, code, field, /*allow_retired=*/true);
}

absl::Status CodeLists::Check(CodeKind kind, absl::string_view code, absl::string_view field,
                              bool allow_retired) const {
  const hop::v1::Code* found = Find(kind, code);
  if (found != nullptr && (allow_retired || !found->retired())) return absl::OkStatus();
  // Echo the value only when it is short printable ASCII: never a control or bidirectional
  // formatting character into a terminal or a log.
  const bool echo =
      code.size() <= kMaxCodeLength &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  std::string head =
      absl::StrCat(field, ": ", echo ? absl::StrCat("\"", code, "\"") : "the value given", " is ",
                   found != nullptr ? "a retired " : "not a ", CodeKindName(kind),
                   " code of the county list (version ", version(), ")");
  // A hint: a current code whose code or label contains what was typed.
  std::string typed = absl::AsciiStrToLower(code);
  for (const hop::v1::Code& c : List(kind)) {
    if (c.retired() || typed.size() < 3 || typed.size() > kMaxCodeLength) continue;
    if (absl::StrContains(c.code(), typed) ||
        absl::StrContains(absl::AsciiStrToLower(c.et()), typed) ||
        absl::StrContains(absl::AsciiStrToLower(c.en()), typed)) {
      absl::StrAppend(&head, "; did you mean \"", c.code(), "\" (", c.et(), ")?");
      break;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(head, " `hopctl codes ", ListCommand(kind), "` lists them all"));
}

}  // namespace hop::domain
