// CleanText and ValidateReceivedText (daemon/domain/fields.h): control and bidirectional
// formatting characters refused with the field, the character and its position named; text
// stored in Unicode NFC; line breaks and tabs only in multi-line fields.
#include <string>

#include "daemon/domain/fields.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// U+XXXX as UTF-8.
std::string Utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string Hex(char32_t cp) {
  char buf[16];
  snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// `status` refuses character `cp` at 1-based character `position` of `field`.
void ExpectRefused(const absl::Status& status, absl::string_view field, char32_t cp, int position) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::string m(status.message());
  EXPECT_THAT(m, StartsWith(absl::StrCat(field, ": character ", position, " is ", Hex(cp))));
  EXPECT_THAT(m, HasSubstr("expected"));
}

TEST(CleanTextTest, PlainTextIsStoredAsGiven) {
  EXPECT_EQ(*CleanText("Mari Maasikas", "child.name"), "Mari Maasikas");
  EXPECT_EQ(*CleanText("Kõne- ja keeleravi, šõäöü", "service.type"), "Kõne- ja keeleravi, šõäöü");
  EXPECT_EQ(*CleanText("emoji \xF0\x9F\x98\x80 ok", "purpose"), "emoji \xF0\x9F\x98\x80 ok");
  // Arabic and Hebrew text is fine: only the invisible formatting characters are refused.
  EXPECT_TRUE(
      CleanText("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", "contact.name")
          .ok());
}

TEST(CleanTextTest, DecomposedInputIsStoredComposed) {
  // "Jõgeva Põhikool" typed with combining tildes (NFD) is stored with õ (NFC).
  const std::string nfd = "J" + std::string("o\xCC\x83") + "geva P" + "o\xCC\x83" + "hikool";
  absl::StatusOr<std::string> clean = CleanText(nfd, "institution.name");
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_EQ(*clean, "J\xC3\xB5geva P\xC3\xB5hikool");
  EXPECT_TRUE(ValidateReceivedText(*clean, "institution.name").ok());
  // Canonical singletons too: U+212B ANGSTROM SIGN becomes U+00C5.
  EXPECT_EQ(*CleanText("\xE2\x84\xAB", "contact.topics[0]"), "\xC3\x85");
  // Hangul jamo compose.
  EXPECT_EQ(*CleanText("\xE1\x84\x80\xE1\x85\xA1", "user.name"), "\xEA\xB0\x80");
}

TEST(CleanTextTest, EveryBidiFormattingCharacterIsRefusedWithItsPosition) {
  for (char32_t cp : {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                      0x2067, 0x2068, 0x2069}) {
    const std::string value = "Mari" + Utf8(cp) + "txt.exe";
    ExpectRefused(CleanText(value, "child.name").status(), "child.name", cp, 5);
    ExpectRefused(CleanText(value, "text", kText).status(), "text", cp, 5);
    ExpectRefused(ValidateReceivedText(value, "contact.name"), "contact.name", cp, 5);
    EXPECT_THAT(std::string(CleanText(value, "child.name").status().message()),
                HasSubstr("bidirectional formatting character"));
  }
  // Positions count characters, not bytes.
  ExpectRefused(CleanText("õõ" + Utf8(0x202E), "contact.role").status(), "contact.role", 0x202E, 3);
}

TEST(CleanTextTest, ControlCharactersAreRefused) {
  for (char32_t cp = 0; cp < 0x20; ++cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') continue;
    const std::string value = "ab" + Utf8(cp) + "c";
    ExpectRefused(CleanText(value, "child.name").status(), "child.name", cp, 3);
    ExpectRefused(CleanText(value, "text", kText).status(), "text", cp, 3);
  }
  ExpectRefused(CleanText("ab\x7F", "user.name").status(), "user.name", 0x7F, 3);  // DEL
  for (char32_t cp = 0x80; cp <= 0x9F; ++cp) {  // C1, e.g. U+009B (CSI)
    ExpectRefused(CleanText("x" + Utf8(cp), "text", kText).status(), "text", cp, 2);
  }
  // The terminal escape that clears the screen, as a careless paste or an attack.
  ExpectRefused(CleanText("Mari\x1B[2J", "child.name").status(), "child.name", 0x1B, 5);
  ExpectRefused(CleanText("a" + Utf8(0x2028), "reason", kText).status(), "reason", 0x2028, 2);
  ExpectRefused(CleanText("a" + Utf8(0x2029), "child.name").status(), "child.name", 0x2029, 2);
}

TEST(CleanTextTest, LineBreaksAndTabsOnlyInMultiLineFields) {
  // One-line fields (names, roles, topics, purposes): no tab, no line break.
  ExpectRefused(CleanText("Mari\nMaasikas", "child.name").status(), "child.name", '\n', 5);
  ExpectRefused(CleanText("Mari\tMaasikas", "child.name").status(), "child.name", '\t', 5);
  ExpectRefused(CleanText("Mari\r\nMaasikas", "child.name").status(), "child.name", '\r', 5);
  // Multi-line fields (notes, reasons): LF and tab kept, CR LF stored as LF, a lone CR refused.
  EXPECT_EQ(*CleanText("line 1\nline 2\n\tindented", "text", kText), "line 1\nline 2\n\tindented");
  EXPECT_EQ(*CleanText("line 1\r\nline 2\r\n", "text", kText), "line 1\nline 2\n");
  ExpectRefused(CleanText("over\rwrite", "text", kText).status(), "text", '\r', 5);
  ExpectRefused(CleanText("end\r", "text", kText).status(), "text", '\r', 4);
}

TEST(CleanTextTest, RequiredOptionalAndLength) {
  EXPECT_EQ(CleanText("", "child.name").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(CleanText(" \n", "text", kText).status().message()),
              StartsWith("text: is empty"));
  EXPECT_EQ(*CleanText("", "reason", kOptionalText), "");
  EXPECT_EQ(*CleanText("", "service.outcome", kOptionalLine), "");
  EXPECT_TRUE(CleanText(std::string(kMaxTextBytes, 'a'), "text", kText).ok());
  EXPECT_THAT(
      std::string(CleanText(std::string(kMaxTextBytes + 1, 'a'), "text", kText).status().message()),
      StartsWith("text: is 4097 bytes long"));
  EXPECT_THAT(std::string(CleanText("abc\xFF", "text", kText).status().message()),
              StartsWith("text: is not valid UTF-8 (at byte 3)"));
}

TEST(CleanTextTest, TheBoundHoldsAfterNormalising) {
  // U+0344 (2 bytes) becomes U+0308 U+0301 (4 bytes) in NFC.
  std::string value;
  for (int i = 0; i < 1500; ++i) value += "\xCD\x84";
  ASSERT_LE(value.size(), kMaxTextBytes);
  const absl::Status s = CleanText(value, "text", kText).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("in Unicode NFC"));
}

TEST(ValidateReceivedTextTest, AcceptsWhatANodeStoresAndNothingElse) {
  EXPECT_TRUE(ValidateReceivedText("", "contact.role").ok());
  EXPECT_TRUE(ValidateReceivedText("Tartu Kesklinna Kool", "institution.name").ok());
  EXPECT_TRUE(ValidateReceivedText("J\xC3\xB5geva", "institution.name").ok());
  const absl::Status nfd = ValidateReceivedText("Jo\xCC\x83geva", "institution.name");
  EXPECT_EQ(nfd.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(nfd.message()), StartsWith("institution.name: is not in Unicode NFC"));
  ExpectRefused(ValidateReceivedText("a\nb", "need_areas[0]"), "need_areas[0]", '\n', 2);
  EXPECT_THAT(std::string(ValidateReceivedText("\xC3", "contact.name").message()),
              HasSubstr("not valid UTF-8"));
  EXPECT_THAT(std::string(ValidateReceivedText("abcdef", "purpose", 5).message()),
              StartsWith("purpose: is 6 bytes long; expected at most 5 bytes"));
}

TEST(ValidateRequiredTextTest, RefusesWhatOneLineFieldsRefuse) {
  ExpectRefused(ValidateRequiredText("why\xE2\x80\xAE", "purpose"), "purpose", 0x202E, 4);
  ExpectRefused(ValidatePurpose("why\nnot", "purpose"), "purpose", '\n', 4);
  ExpectRefused(ValidateEmail("mari\xE2\x80\xAE@tartu.ee", "contact.email"), "contact.email",
                0x202E, 5);
}

}  // namespace
}  // namespace hop::domain
