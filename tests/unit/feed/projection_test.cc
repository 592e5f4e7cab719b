// What a peer may see of a case: consent scope by scope, the child-protection legal basis,
// closing, expiry, withdrawal, and that free text never crosses.
#include "daemon/feed/projection.h"

#include <vector>

#include "gtest/gtest.h"

namespace hop::feed {
namespace {

constexpr int64_t kNow = 1795000000;
constexpr char kChild[] = "60001019906";

hop::v1::Case MakeCase() {
  hop::v1::Case c;
  c.set_id("0793-C000001");
  c.set_origin("0793");
  c.mutable_child()->set_isikukood(kChild);
  c.mutable_child()->set_name("Laps Lapsike");
  c.set_level(hop::v1::LEVEL_SCHOOL);
  c.set_stage(hop::v1::STAGE_III);
  c.set_status(hop::v1::CASE_OPEN);
  c.add_need_areas("reading");
  c.mutable_related()->set_registered_residence("0171");
  c.mutable_related()->add_actual_residences("0283");
  c.mutable_related()->set_institution_municipality("0793");
  hop::v1::Service* s = c.add_services();
  s->set_type("speech-therapy");
  s->set_provider("0171-I000003");
  s->set_municipality("0171");
  s->set_start_date("2026-09-01");
  s->set_transport_payment_note("taxi paid by 0793");
  s->set_outcome("improved");
  c.add_notes()->set_text("mother called on Friday");
  c.add_assessments()->set_conclusion("private assessment text");
  c.set_updated_at(kNow - 10);
  return c;
}

hop::v1::Consent MakeConsent(const std::string& id, std::vector<std::string> to,
                             std::vector<hop::v1::ConsentScope> scopes, int64_t until) {
  hop::v1::Consent k;
  k.set_id(id);
  k.set_child_isikukood(kChild);
  k.set_granted_by("49403136526");
  for (const auto& r : to) k.add_recipients(r);
  for (auto s : scopes) k.add_scopes(s);
  k.set_valid_from(kNow - 100);
  k.set_valid_until(until);
  return k;
}

hop::v1::ResponsibleContact Contact() {
  hop::v1::ResponsibleContact r;
  r.set_name("Tiina Tamm");
  r.set_role("case-manager");
  r.set_phone("+372 5555 0101");
  return r;
}

TEST(ProjectionTest, NoConsentNoSummary) {
  EXPECT_FALSE(ProjectCase(MakeCase(), {}, "0171", kNow, Contact()).has_value());
}

TEST(ProjectionTest, ConsentForOnePeerOnly) {
  std::vector<hop::v1::Consent> consents = {
      MakeConsent("0793-K000001", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow + 1000)};
  std::optional<hop::v1::CaseSummary> s =
      ProjectCase(MakeCase(), consents, "0171", kNow, Contact());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->basis(), hop::v1::SHARE_BASIS_CONSENT);
  EXPECT_EQ(s->stage(), hop::v1::STAGE_III);
  EXPECT_EQ(s->need_areas(0), "reading");
  EXPECT_EQ(s->consent_id(), "0793-K000001");
  EXPECT_EQ(s->expires_at(), kNow + 1000);
  EXPECT_TRUE(s->services().empty()) << "service history not consented";
  EXPECT_TRUE(s->responsible().name().empty()) << "contact not consented";
  EXPECT_FALSE(ProjectCase(MakeCase(), consents, "0283", kNow, Contact()).has_value());
}

TEST(ProjectionTest, EachScopeAddsItsPartAndTheEarliestExpiryWins) {
  std::vector<hop::v1::Consent> consents = {
      MakeConsent("K1", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow + 1000),
      MakeConsent("K2", {"0171", "0283"},
                  {hop::v1::SCOPE_RESPONSIBLE_CONTACT, hop::v1::SCOPE_SERVICE_HISTORY},
                  kNow + 500)};
  std::optional<hop::v1::CaseSummary> s =
      ProjectCase(MakeCase(), consents, "0171", kNow, Contact());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->responsible().name(), "Tiina Tamm");
  ASSERT_EQ(s->services_size(), 1);
  EXPECT_EQ(s->services(0).outcome(), "improved");
  EXPECT_EQ(s->expires_at(), kNow + 500);
  EXPECT_FALSE(ProjectCase(MakeCase(), consents, "0283", kNow, Contact()).has_value())
      << "contact and services without the case-summary scope show nothing";
}

TEST(ProjectionTest, FreeTextNeverCrosses) {
  std::vector<hop::v1::Consent> consents = {
      MakeConsent("K1", {"0171"},
                  {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_RESPONSIBLE_CONTACT,
                   hop::v1::SCOPE_SERVICE_HISTORY},
                  kNow + 1000)};
  const std::string wire =
      ProjectCase(MakeCase(), consents, "0171", kNow, Contact())->SerializeAsString();
  for (const char* secret : {"mother called", "private assessment", "taxi paid", "Laps Lapsike"}) {
    EXPECT_EQ(wire.find(secret), std::string::npos) << secret;
  }
}

TEST(ProjectionTest, OnlyCodesCrossEvenFromARecordStoredBeforeTheCodeLists) {
  std::vector<hop::v1::Consent> consents = {MakeConsent(
      "K1", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_SERVICE_HISTORY}, kNow + 1000)};
  hop::v1::Case legacy = MakeCase();
  legacy.add_need_areas("reading and writing, see the psychologist's letter");
  hop::v1::Service* old = legacy.add_services();
  old->set_type("therapy at Dr Kask's private practice");
  old->set_municipality("0171");
  old->set_start_date("2025-01-01");
  hop::v1::Service* half = legacy.add_services();
  half->set_type("psychology");
  half->set_provider("Dr Kask, Riia 12");
  half->set_outcome("better, mother satisfied");
  half->set_municipality("0171");
  half->set_start_date("2025-01-01");
  std::optional<hop::v1::CaseSummary> s = ProjectCase(legacy, consents, "0171", kNow, Contact());
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(s->need_areas_size(), 1);
  EXPECT_EQ(s->need_areas(0), "reading");
  ASSERT_EQ(s->services_size(), 2) << "the service without a code type is left out";
  EXPECT_EQ(s->services(1).type(), "psychology");
  EXPECT_EQ(s->services(1).provider(), "");
  EXPECT_EQ(s->services(1).outcome(), "");
  const std::string wire = s->SerializeAsString();
  for (const char* text : {"see the psychologist", "Dr Kask", "mother satisfied"}) {
    EXPECT_EQ(wire.find(text), std::string::npos) << text;
  }
}

TEST(ProjectionTest, WithdrawnExpiredNotYetValidAndClosedShowNothing) {
  hop::v1::Consent withdrawn =
      MakeConsent("K1", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow + 1000);
  withdrawn.set_withdrawn_at(kNow - 1);
  hop::v1::Consent expired =
      MakeConsent("K2", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow);  // until is exclusive
  hop::v1::Consent future = MakeConsent("K3", {"0171"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow + 1000);
  future.set_valid_from(kNow + 1);
  for (const hop::v1::Consent& k : {withdrawn, expired, future}) {
    std::vector<hop::v1::Consent> consents = {k};
    EXPECT_FALSE(ProjectCase(MakeCase(), consents, "0171", kNow, Contact()).has_value()) << k.id();
  }
  hop::v1::Case closed = MakeCase();
  closed.set_status(hop::v1::CASE_CLOSED);
  std::vector<hop::v1::Consent> valid = {future};
  valid[0].set_valid_from(kNow - 1);
  EXPECT_TRUE(ProjectCase(MakeCase(), valid, "0171", kNow, Contact()).has_value());
  EXPECT_FALSE(ProjectCase(closed, valid, "0171", kNow, Contact()).has_value());
}

TEST(ProjectionTest, ChildProtectionBasisSharesOnlyTheFactWithRelatedMunicipalities) {
  hop::v1::Case c = MakeCase();
  c.set_child_protection(true);
  std::vector<hop::v1::Consent> consents = {
      MakeConsent("K1", {"0171", "0432"},
                  {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_SERVICE_HISTORY}, kNow + 1000)};
  for (const char* related : {"0171", "0283"}) {
    std::optional<hop::v1::CaseSummary> s = ProjectCase(c, consents, related, kNow, Contact());
    ASSERT_TRUE(s.has_value()) << related;
    EXPECT_EQ(s->basis(), hop::v1::SHARE_BASIS_CHILD_PROTECTION);
    EXPECT_TRUE(s->child_protection());
    EXPECT_EQ(s->responsible().name(), "Tiina Tamm");
    EXPECT_TRUE(s->need_areas().empty());
    EXPECT_TRUE(s->services().empty());
    EXPECT_EQ(s->stage(), hop::v1::STAGE_UNSPECIFIED);
  }
  EXPECT_FALSE(ProjectCase(c, consents, "0432", kNow, Contact()).has_value())
      << "consent does not open a child-protection case to an unrelated municipality";
  c.mutable_related()->clear_actual_residences();  // the relation ended
  EXPECT_FALSE(ProjectCase(c, consents, "0283", kNow, Contact()).has_value());
}

TEST(ProjectionTest, NeverToItself) {
  std::vector<hop::v1::Consent> consents = {
      MakeConsent("K1", {"0793"}, {hop::v1::SCOPE_CASE_SUMMARY}, kNow + 1000)};
  EXPECT_FALSE(ProjectCase(MakeCase(), consents, "0793", kNow, Contact()).has_value());
}

}  // namespace
}  // namespace hop::feed
