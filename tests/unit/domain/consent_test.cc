#include "daemon/domain/consent.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kChild[] = "61604150239";  // born 2016-04-15
constexpr char kGuardian[] = "37605030299";
constexpr char kOtherGuardian[] = "49403136526";
constexpr int64_t kFrom = 1'749'000'000;  // 11.6 days before kNow
constexpr int64_t kUntil = 1'800'000'000;
constexpr int64_t kNow = 1'750'000'000;

hop::v1::Consent MakeConsent() {
  hop::v1::Consent c;
  c.set_id("0793-K1");
  c.set_origin("0793");
  c.set_child_isikukood(kChild);
  c.set_granted_by(kGuardian);
  c.add_recipients("0171");
  c.add_recipients("0663");
  c.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
  c.add_scopes(hop::v1::SCOPE_RESPONSIBLE_CONTACT);
  c.set_purpose("school transfer from Tartu to Elva");
  c.set_valid_from(kFrom);
  c.set_valid_until(kUntil);
  return c;
}

TEST(ConsentActiveTest, WindowIsHalfOpen) {
  const hop::v1::Consent c = MakeConsent();
  EXPECT_FALSE(ConsentActiveAt(c, kFrom - 1));
  EXPECT_TRUE(ConsentActiveAt(c, kFrom));  // valid_from inclusive
  EXPECT_TRUE(ConsentActiveAt(c, kNow));
  EXPECT_TRUE(ConsentActiveAt(c, kUntil - 1));
  EXPECT_FALSE(ConsentActiveAt(c, kUntil));  // valid_until exclusive
  EXPECT_FALSE(ConsentActiveAt(c, kUntil + 1));
}

TEST(ConsentActiveTest, WithdrawnAtTIsNoLongerActive) {
  hop::v1::Consent c = MakeConsent();
  c.set_withdrawn_at(kNow);
  c.set_withdrawn_by(kOtherGuardian);
  EXPECT_TRUE(ConsentActiveAt(c, kNow - 1));
  EXPECT_FALSE(ConsentActiveAt(c, kNow));
  EXPECT_FALSE(ConsentActiveAt(c, kNow + 1));
  EXPECT_TRUE(ConsentActiveAt(c, kFrom));
}

TEST(ConsentActiveTest, WithdrawnBeforeStartIsNeverActive) {
  hop::v1::Consent c = MakeConsent();
  c.set_withdrawn_at(kFrom - 10);
  EXPECT_FALSE(ConsentActiveAt(c, kFrom));
  EXPECT_FALSE(ConsentActiveAt(c, kNow));
}

TEST(ConsentActiveTest, EmptyConsentIsNeverActive) {
  const hop::v1::Consent c;
  EXPECT_FALSE(ConsentActiveAt(c, 0));
  EXPECT_FALSE(ConsentActiveAt(c, kNow));
}

TEST(ConsentCoversTest, RecipientScopeAndTime) {
  const hop::v1::Consent c = MakeConsent();
  EXPECT_TRUE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kNow));
  EXPECT_TRUE(ConsentCovers(c, "0663", hop::v1::SCOPE_RESPONSIBLE_CONTACT, kNow));
  EXPECT_TRUE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kFrom));
  // Recipient not named.
  EXPECT_FALSE(ConsentCovers(c, "0283", hop::v1::SCOPE_CASE_SUMMARY, kNow));
  EXPECT_FALSE(ConsentCovers(c, "", hop::v1::SCOPE_CASE_SUMMARY, kNow));
  EXPECT_FALSE(ConsentCovers(c, "171", hop::v1::SCOPE_CASE_SUMMARY, kNow));
  // Scope not included.
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_SERVICE_HISTORY, kNow));
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_SCHOOL_READINESS_CARD, kNow));
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_UNSPECIFIED, kNow));
  // Outside the window.
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kFrom - 1));
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kUntil));
}

TEST(ConsentCoversTest, UnspecifiedScopeIsNeverCovered) {
  hop::v1::Consent c = MakeConsent();
  c.add_scopes(hop::v1::SCOPE_UNSPECIFIED);
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_UNSPECIFIED, kNow));
}

TEST(ConsentCoversTest, WithdrawnCoversNothingFromThen) {
  hop::v1::Consent c = MakeConsent();
  c.set_withdrawn_at(kNow);
  EXPECT_TRUE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kNow - 1));
  EXPECT_FALSE(ConsentCovers(c, "0171", hop::v1::SCOPE_CASE_SUMMARY, kNow));
}

// ValidateConsent: a valid consent passes; each broken field is named first in the message.
TEST(ValidateConsentTest, ValidConsentPasses) {
  EXPECT_TRUE(ValidateConsent(MakeConsent(), "0793", kNow).ok());
  // valid_from may lie up to 30 days (by default) in the past.
  EXPECT_TRUE(ValidateConsent(MakeConsent(), "0793", kFrom + 30 * 86400).ok());
}

struct BrokenCase {
  const char* name;
  void (*breaker)(hop::v1::Consent*);
  const char* prefix;  // the message must start with this
};

const BrokenCase kBroken[] = {
    {"empty child", [](hop::v1::Consent* c) { c->clear_child_isikukood(); }, "child_isikukood: "},
    {"bad child check digit", [](hop::v1::Consent* c) { c->set_child_isikukood("61604150231"); },
     "child_isikukood: check digit is 1, expected 9"},
    {"empty guardian", [](hop::v1::Consent* c) { c->clear_granted_by(); }, "granted_by: "},
    {"bad guardian", [](hop::v1::Consent* c) { c->set_granted_by("37605030291"); },
     "granted_by: check digit is 1, expected 9"},
    {"guardian is child", [](hop::v1::Consent* c) { c->set_granted_by(kChild); },
     "granted_by: is the child's own isikukood"},
    {"no recipients", [](hop::v1::Consent* c) { c->clear_recipients(); }, "recipients: is empty"},
    {"unknown recipient", [](hop::v1::Consent* c) { c->set_recipients(1, "9999"); },
     "recipients[1]: unknown municipality code \"9999\""},
    {"padless recipient", [](hop::v1::Consent* c) { c->set_recipients(0, "171"); },
     "recipients[0]: unknown municipality code \"171\"; expected a 4-digit EHAK code such as "
     "0171"},
    {"duplicate recipient", [](hop::v1::Consent* c) { c->add_recipients("0171"); },
     "recipients[2]: duplicate municipality code 0171 (also recipients[0])"},
    {"own municipality", [](hop::v1::Consent* c) { c->set_recipients(1, "0793"); },
     "recipients[1]: 0793 is this node's own municipality"},
    {"no scopes", [](hop::v1::Consent* c) { c->clear_scopes(); }, "scopes: is empty; expected"},
    {"unspecified scope", [](hop::v1::Consent* c) { c->add_scopes(hop::v1::SCOPE_UNSPECIFIED); },
     "scopes[2]: is unspecified; expected"},
    {"unknown scope",
     [](hop::v1::Consent* c) { c->set_scopes(0, static_cast<hop::v1::ConsentScope>(99)); },
     "scopes[0]: 99 is not a consent scope; expected"},
    {"empty purpose", [](hop::v1::Consent* c) { c->clear_purpose(); }, "purpose: is empty"},
    {"blank purpose", [](hop::v1::Consent* c) { c->set_purpose(" \t "); }, "purpose: is empty"},
    {"long purpose", [](hop::v1::Consent* c) { c->set_purpose(std::string(5000, 'p')); },
     "purpose: is 5000 bytes long"},
    {"until equals from", [](hop::v1::Consent* c) { c->set_valid_until(kFrom); },
     "valid_until: 1749000000 (2025-06-04T01:20:00Z) is not after valid_from 1749000000"},
    {"until before from", [](hop::v1::Consent* c) { c->set_valid_until(kFrom - 1); },
     "valid_until: 1748999999 "},
    {"until equals now", [](hop::v1::Consent* c) { c->set_valid_until(kNow); },
     "valid_until: 1750000000 (2025-06-15T15:06:40Z) is not in the future"},
    {"until in the past", [](hop::v1::Consent* c) { c->set_valid_until(kNow - 1); },
     "valid_until: 1749999999 "},
};

TEST(ValidateConsentTest, EveryErrorNamesItsField) {
  for (const BrokenCase& b : kBroken) {
    hop::v1::Consent c = MakeConsent();
    b.breaker(&c);
    absl::Status s = ValidateConsent(c, "0793", kNow);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << b.name;
    EXPECT_THAT(std::string(s.message()), StartsWith(b.prefix)) << b.name;
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected")) << b.name;
  }
}

TEST(ValidateConsentTest, ErrorsDoNotEchoPersonalCodes) {
  hop::v1::Consent c = MakeConsent();
  c.set_granted_by(kChild);
  EXPECT_THAT(std::string(ValidateConsent(c, "0793", kNow).message()),
              ::testing::Not(HasSubstr(kChild)));
}

TEST(WithdrawalAppliesTest, SameChildNotYetWithdrawnAndNamedRecipient) {
  const hop::v1::Consent c = MakeConsent();
  const std::vector<std::string> none;
  EXPECT_TRUE(WithdrawalApplies(c, kChild, none));  // empty = all recipients
  EXPECT_TRUE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0171"}));
  EXPECT_TRUE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0283", "0663"}));
  EXPECT_FALSE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0283"}));
  EXPECT_FALSE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0283", "0793"}));
  EXPECT_FALSE(WithdrawalApplies(c, "49403136526", none));  // another child
  EXPECT_FALSE(WithdrawalApplies(c, "", none));
}

TEST(WithdrawalAppliesTest, AlreadyWithdrawnDoesNotApplyAgain) {
  hop::v1::Consent c = MakeConsent();
  c.set_withdrawn_at(kNow);
  c.set_withdrawn_by(kGuardian);
  EXPECT_FALSE(WithdrawalApplies(c, kChild, std::vector<std::string>{}));
  EXPECT_FALSE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0171"}));
}

TEST(WithdrawalAppliesTest, AnyGuardianMayWithdraw) {
  // The rule does not look at who granted: the other guardian's withdrawal applies too.
  const hop::v1::Consent c = MakeConsent();
  EXPECT_EQ(c.granted_by(), kGuardian);
  EXPECT_TRUE(WithdrawalApplies(c, kChild, std::vector<std::string>{"0663"}));
}

}  // namespace
}  // namespace hop::domain
