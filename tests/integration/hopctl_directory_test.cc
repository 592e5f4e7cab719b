// hopctl directory institution|contact add|update and search against a real hopd.
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DirectoryTest : public HopctlTest {
 protected:
  void SetUp() override {
    HopctlTest::SetUp();
    if (HasFatalFailure()) return;
    AddCast();
    if (HasFatalFailure()) return;
    auto town = MustJson<hop::v1::Institution>(
        "kati", {"directory", "institution", "add", "--name", "Tartu Linnavalitsus", "--kind",
                 "municipality", "--ownership", "municipal", "--municipality", "0793"});
    town_id_ = town.id();
    auto hevko = MustJson<hop::v1::Contact>(
        "juht", {"directory", "contact", "add", "--institution", school_id_, "--name",
                 "Helle Hevko", "--role", "HEVKO", "--phone", "+372 5550 0001", "--email",
                 "helle@kool.example.ee", "--age-level", "school", "--topic", "learning-support"});
    hevko_id_ = hevko.id();
    Must("kati",
         {"directory", "contact", "add", "--institution", town_id_, "--name", "Lea Lastekaitse",
          "--role", "lastekaitsespetsialist", "--email", "lea@tartu.example.ee", "--age-level",
          "kindergarten,school", "--topic", "child-protection", "--topic", "family"});
  }
  std::string town_id_;
  std::string hevko_id_;
};

TEST_F(DirectoryTest, InstitutionAndContactAreShown) {
  const std::string out =
      Must("juht", {"directory", "institution", "add", "--name", "Tartu Rajaleidja", "--kind",
                    "rajaleidja", "--ownership", "state", "--municipality", "0793"});
  EXPECT_THAT(out, HasSubstr("institution:"));
  EXPECT_THAT(out, HasSubstr("Tartu Rajaleidja"));
  EXPECT_THAT(out, HasSubstr("rajaleidja"));
  EXPECT_THAT(out, HasSubstr("state"));
  auto contact = MustJson<hop::v1::Contact>(
      "juht",
      {"directory", "contact", "add", "--institution", school_id_, "--name", "Siim", "--role",
       "sotsiaalpedagoog", "--email", "siim@kool.example.ee", "--age-level", "school"});
  EXPECT_EQ(contact.municipality(), "0793");
  EXPECT_EQ(contact.age_levels_size(), 1);
}

TEST_F(DirectoryTest, SearchByMunicipality) {
  auto all = MustJson<hop::v1::SearchDirectoryResponse>(
      "opetaja", {"directory", "search", "--municipality", "0793"});
  EXPECT_EQ(all.contacts_size(), 2);
  EXPECT_GE(all.institutions_size(), 2);
  const std::string none = Must("opetaja", {"directory", "search", "--municipality", "0171"});
  EXPECT_THAT(none, HasSubstr("no contacts"));
  EXPECT_THAT(none, Not(HasSubstr("Helle Hevko")));
}

TEST_F(DirectoryTest, SearchByRoleAgeLevelAndTopic) {
  const std::string by_role = Must("koord", {"directory", "search", "--role", "hevko"});
  EXPECT_THAT(by_role, HasSubstr("Helle Hevko"));
  EXPECT_THAT(by_role, HasSubstr("CONTACT"));
  EXPECT_THAT(by_role, Not(HasSubstr("Lea Lastekaitse")));

  const std::string by_level = Must("kati", {"directory", "search", "--age-level", "kindergarten"});
  EXPECT_THAT(by_level, HasSubstr("Lea Lastekaitse"));
  EXPECT_THAT(by_level, HasSubstr("kindergarten, school"));
  EXPECT_THAT(by_level, Not(HasSubstr("Helle Hevko")));

  const std::string by_topic = Must("juht", {"directory", "search", "--topic", "PROTECT"});
  EXPECT_THAT(by_topic, HasSubstr("Lea Lastekaitse"));
  EXPECT_THAT(by_topic, Not(HasSubstr("Helle Hevko")));
}

TEST_F(DirectoryTest, UpdateReplacesTheContact) {
  Must("koord", {"directory", "contact", "update", "--id", hevko_id_, "--institution", school_id_,
                 "--name", "Helle Hevko", "--role", "HEVKO", "--phone", "+372 5550 9999",
                 "--age-level", "school", "--topic", "learning-support"});
  auto found = MustJson<hop::v1::SearchDirectoryResponse>(
      "opetaja", {"directory", "search", "--role", "HEVKO"});
  ASSERT_EQ(found.contacts_size(), 1);
  EXPECT_EQ(found.contacts(0).id(), hevko_id_);
  EXPECT_EQ(found.contacts(0).phone(), "+372 5550 9999");
}

TEST_F(DirectoryTest, ContactNeedsPhoneOrEmail) {
  const std::string err = MustFail("juht",
                                   {"directory", "contact", "add", "--institution", school_id_,
                                    "--name", "Siim", "--role", "sotsiaalpedagoog"},
                                   "INVALID_ARGUMENT");
  EXPECT_THAT(err, HasSubstr("contact.phone"));
}

TEST_F(DirectoryTest, TeachersOnlySearch) {
  MustFail("opetaja",
           {"directory", "institution", "add", "--name", "X", "--kind", "other", "--ownership",
            "private", "--municipality", "0793"},
           "PERMISSION_DENIED");
  MustFail("opetaja",
           {"directory", "contact", "add", "--institution", school_id_, "--name", "X", "--role",
            "Y", "--email", "x@example.ee"},
           "PERMISSION_DENIED");
}

}  // namespace
}  // namespace hop::integration
