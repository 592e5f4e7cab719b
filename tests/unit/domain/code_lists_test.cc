#include "daemon/domain/code_lists.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace hop::domain {
namespace {

constexpr CodeKind kAll[] = {CodeKind::kNeedArea, CodeKind::kServiceType, CodeKind::kOutcome,
                             CodeKind::kTopic};

TEST(CodeLists, TheBuiltInCountyListParsesWithBothLabelsForEveryCode) {
  absl::StatusOr<CodeLists> county = CodeLists::County();
  ASSERT_TRUE(county.ok()) << county.status();
  EXPECT_GE(county->version(), 1u);
  for (CodeKind kind : kAll) {
    EXPECT_FALSE(county->List(kind).empty()) << CodeKindName(kind);
    for (const hop::v1::Code& code : county->List(kind)) {
      EXPECT_FALSE(code.et().empty()) << code.code();
      EXPECT_FALSE(code.en().empty()) << code.code();
      EXPECT_TRUE(county->CheckKnown(kind, code.code(), "x").ok()) << code.code();
    }
  }
  EXPECT_EQ(county->Label(CodeKind::kNeedArea, "reading"), "Lugemisraskused");
  EXPECT_EQ(county->Label(CodeKind::kNeedArea, "reading", "en"), "Reading difficulties");
  EXPECT_EQ(county->Label(CodeKind::kOutcome, "no-such-code"), "no-such-code");
}

TEST(CodeLists, FreeTextIsRefusedNamingTheFieldAndAHint) {
  absl::StatusOr<CodeLists> county = CodeLists::County();
  ASSERT_TRUE(county.ok());
  absl::Status s =
      county->CheckNew(CodeKind::kNeedArea, "Reading and writing, see notes", "need_areas[1]");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("need_areas[1]"), std::string::npos) << s;
  EXPECT_NE(s.message().find("hopctl codes need-areas"), std::string::npos) << s;

  s = county->CheckNew(CodeKind::kServiceType, "logopeediline", "services[0].type");
  EXPECT_NE(s.message().find("did you mean \"speech-therapy\""), std::string::npos) << s;

  // A code of another list is not a code of this one.
  EXPECT_FALSE(county->CheckNew(CodeKind::kOutcome, "reading", "outcome").ok());
  // A very long value, or one with a control or bidirectional character, is not echoed.
  s = county->CheckNew(CodeKind::kTopic, std::string(5000, 'a'), "topics[0]");
  EXPECT_LT(s.message().size(), 300u) << s;
  s = county->CheckNew(CodeKind::kTopic, "speech\xE2\x80\xAE", "topics[0]");
  EXPECT_EQ(s.message().find("\xE2\x80\xAE"), std::string::npos) << s;
  EXPECT_NE(s.message().find("topics[0]: the value given is not a topic code"), std::string::npos)
      << s;
}

TEST(CodeLists, RetiredCodesStayKnownButAreNotOfferedForNewRecords) {
  absl::StatusOr<CodeLists> lists = CodeLists::Parse(
      R"pb(version: 2
           valid_from: "2027-01-01"
           need_areas { code: "reading" et: "Lugemine" en: "Reading" }
           need_areas { code: "dyslexia" et: "Düsleksia" en: "Dyslexia" retired: true }
           service_types { code: "speech-therapy" et: "Logopeediline abi" en: "Speech therapy" }
           outcomes { code: "improved" et: "Paranes" en: "Improved" }
           topics { code: "speech" et: "Kõne" en: "Speech" })pb",
      "test");
  ASSERT_TRUE(lists.ok()) << lists.status();
  EXPECT_TRUE(lists->CheckKnown(CodeKind::kNeedArea, "dyslexia", "need_areas[0]").ok());
  absl::Status s = lists->CheckNew(CodeKind::kNeedArea, "dyslexia", "need_areas[0]");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("retired"), std::string::npos) << s;
}

TEST(CodeLists, ABrokenListIsRefusedWithEveryProblemNamed) {
  absl::StatusOr<CodeLists> lists = CodeLists::Parse(
      R"pb(version: 0
           valid_from: "soon"
           need_areas { code: "Reading" et: "Lugemine" en: "Reading" }
           need_areas { code: "speech" et: "" en: "Speech" }
           need_areas { code: "speech" et: "Kõne" en: "Speech" }
           service_types { code: "x" et: "x" en: "x" })pb",
      "codes.textproto");
  ASSERT_FALSE(lists.ok());
  std::string m(lists.status().message());
  for (const char* expected :
       {"codes.textproto", "version", "valid_from", "need_areas \"Reading\"", "needs both labels",
        "twice", "service_types \"x\"", "outcomes: empty", "topics: empty"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << " in " << m;
  }
  absl::StatusOr<CodeLists> garbled = CodeLists::Parse("not a textproto {", "f");
  ASSERT_FALSE(garbled.ok());
  EXPECT_NE(garbled.status().message().find("1:5"), std::string::npos) << garbled.status();
}

}  // namespace
}  // namespace hop::domain
