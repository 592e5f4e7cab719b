#include "daemon/domain/municipalities.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(MunicipalitiesTest, SeventyNineUniqueFourDigitCodesSortedByCode) {
  absl::Span<const Municipality> all = AllMunicipalities();
  ASSERT_EQ(all.size(), 79u);
  std::set<absl::string_view> codes;
  for (size_t i = 0; i < all.size(); ++i) {
    const Municipality& m = all[i];
    EXPECT_EQ(m.code.size(), 4u) << m.code;
    for (char c : m.code) EXPECT_TRUE(absl::ascii_isdigit(static_cast<unsigned char>(c)));
    EXPECT_FALSE(m.name.empty()) << m.code;
    EXPECT_FALSE(m.county.empty()) << m.code;
    EXPECT_TRUE(codes.insert(m.code).second) << "duplicate " << m.code;
    if (i > 0) {
      EXPECT_LT(all[i - 1].code, m.code);
    }
  }
}

TEST(MunicipalitiesTest, FifteenCountiesWithTartumaaHoldingTheEightOfTheProgramme) {
  std::set<absl::string_view> counties;
  std::set<absl::string_view> tartumaa;
  for (const Municipality& m : AllMunicipalities()) {
    counties.insert(m.county);
    if (m.county == "Tartumaa") tartumaa.insert(m.code);
  }
  EXPECT_EQ(counties.size(), 15u);
  EXPECT_EQ(tartumaa, (std::set<absl::string_view>{"0171", "0283", "0291", "0432", "0528", "0586",
                                                   "0793", "0796"}));
}

TEST(MunicipalitiesTest, FindKnownCodes) {
  const Municipality* tartu = FindMunicipality("0793");
  ASSERT_NE(tartu, nullptr);
  EXPECT_EQ(tartu->name, "Tartu linn");
  EXPECT_EQ(tartu->county, "Tartumaa");
  const Municipality* rakvere = FindMunicipality("0663");
  ASSERT_NE(rakvere, nullptr);
  EXPECT_EQ(rakvere->name, "Rakvere linn");
  EXPECT_EQ(rakvere->county, "Lääne-Virumaa");
  const Municipality* first = FindMunicipality("0130");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->name, "Alutaguse vald");
  const Municipality* last = FindMunicipality("0928");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->name, "Väike-Maarja vald");
  for (const Municipality& m : AllMunicipalities()) EXPECT_EQ(FindMunicipality(m.code), &m);
}

TEST(MunicipalitiesTest, FindUnknownCodes) {
  for (const char* code : {"", "793", "07930", "0000", "9999", "0129", "0929", "0794", "079 3"}) {
    EXPECT_EQ(FindMunicipality(code), nullptr) << code;
  }
}

TEST(MunicipalitiesTest, ValidateKnownCode) {
  EXPECT_TRUE(ValidateMunicipalityCode("0793", "municipality").ok());
  EXPECT_TRUE(ValidateMunicipalityCode("0171", "peers[0].municipality").ok());
}

TEST(MunicipalitiesTest, LostLeadingZeroSuggestsPaddedCode) {
  absl::Status s = ValidateMunicipalityCode("793", "peers[2].municipality");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "peers[2].municipality: unknown municipality code \"793\"; expected a 4-digit EHAK "
            "code such as 0793 (Tartu linn)");
  EXPECT_THAT(std::string(ValidateMunicipalityCode("171", "m").message()),
              HasSubstr("such as 0171 (Elva"));
}

TEST(MunicipalitiesTest, UnknownCodeNamesField) {
  for (const char* code : {"0000", "9999", "07930", "abcd", "0794"}) {
    absl::Status s = ValidateMunicipalityCode(code, "recipients[1]");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_THAT(std::string(s.message()),
                StartsWith("recipients[1]: unknown municipality code \""));
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected a 4-digit EHAK code such as 0793"));
  }
}

TEST(MunicipalitiesTest, EmptyAndHostileCodes) {
  EXPECT_EQ(ValidateMunicipalityCode("", "municipality").message(),
            "municipality: is empty; expected a 4-digit EHAK code such as 0793 (Tartu linn)");
  absl::Status s = ValidateMunicipalityCode(std::string(1000, 'x') + "\n", "municipality");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(s.message().size(), 200u);
  EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("\n")));
}

}  // namespace
}  // namespace hop::domain
