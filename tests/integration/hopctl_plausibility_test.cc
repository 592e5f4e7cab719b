// Implausible input (issue 10, point 5), tried through hopctl against a real hopd as a careless
// user or an attacker would: a child born in 2099, a guardian born in 2020, consent validity
// from 1969 or until 9999, a withdrawal by someone who is no guardian or without the signed
// form, names with control characters or bidirectional overrides. Each is refused with
// INVALID_ARGUMENT naming the field, and the node's state is unchanged; text is stored in NFC.
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBornIn2099[] = "69912310002";
constexpr char kBornIn2020[] = "52003130007";
constexpr char kRlo[] = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE
constexpr char kEsc[] = "\x1B";          // the start of every terminal escape sequence

const std::string kUntil = hop::testing::DateFromToday(365);

class PlausibilityTest : public HopctlTest {
 protected:
  // The node's cases, consents, directory and users, as the staff API shows them.
  std::string State() {
    return Must("kati", {"--json", "case", "list"}) + Must("kati", {"--json", "consent", "list"}) +
           Must("kati", {"--json", "directory", "search"}) +
           Must("admin", {"--json", "user", "list"});
  }
  // Expects INVALID_ARGUMENT whose message names `field` and contains `detail`.
  void Refused(const std::string& user, const std::vector<std::string>& args,
               const std::string& field, const std::string& detail) {
    const std::string err = MustFail(user, args, "INVALID_ARGUMENT");
    EXPECT_THAT(err, HasSubstr(field + ": ")) << err;
    EXPECT_THAT(err, HasSubstr(detail)) << err;
  }
  std::vector<std::string> Grant(const std::string& child, const std::string& guardian) {
    return {"consent", "grant", "--child",    child,        "--guardian", guardian,
            "--to",    "0171",  "--scope",    "summary",    "--purpose",  "support",
            "--until", kUntil,  "--evidence", "DHS-2026-17"};
  }
};

TEST_F(PlausibilityTest, ImplausibleCasesAreRefusedAndChangeNothing) {
  AddCast();
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  const std::string before = State();
  const std::vector<std::string> open = {"case",     "open",   "--level", "school", "--institution",
                                         school_id_, "--need", "reading", "--child"};
  auto with = [&](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  Refused("opetaja", with(open, {kBornIn2099, "--name", "Tulevik"}), "child.isikukood",
          "is 2099-12-31, after today");
  Refused("opetaja", with(open, {kChild2, "--name", std::string("Mari") + kRlo + "gpj.exe"}),
          "child.name", "character 5 is U+202E");
  Refused("opetaja", with(open, {kChild2, "--name", std::string("Mari") + kEsc + "[2J"}),
          "child.name", "character 5 is U+001B");
  Refused("opetaja", with(open, {kChild2, "--name", "Mari\nMaasikas"}), "child.name",
          "character 5 is U+000A");
  Refused("kati", {"case", "note", id, std::string("called ") + kEsc + "]0;pwned\a"}, "text",
          "character 8 is U+001B");
  Refused("kati", {"case", "close", id, "--reason", std::string("moved") + "\xC2\x9B" + "2J"},
          "reason", "character 6 is U+009B");
  Refused("kati", {"case", "list", "--child", kBornIn2099}, "child_isikukood", "2099-12-31");
  Refused("kati", {"lookup", "--child", kBornIn2099, "--purpose", "new pupil"}, "child_isikukood",
          "2099-12-31");
  Refused("kati", {"query", "--child", kBornIn2099, "--purpose", "new pupil"}, "child_isikukood",
          "2099-12-31");
  EXPECT_EQ(State(), before) << "a refusal changed the node's state";

  // What is accepted is stored composed (NFC); notes keep their line breaks.
  auto created = MustJson<hop::v1::Case>(
      "opetaja", with(open, {kChild2, "--name", "To\xCC\x83nu Ta\xCC\x88ht"}));
  EXPECT_EQ(created.child().name(), "T\xC3\xB5nu T\xC3\xA4ht");
  Must("kati", {"case", "note", created.id(), "mother called\nmeeting on Friday"});
  auto noted = MustJson<hop::v1::Case>("kati", {"case", "get", created.id()});
  ASSERT_EQ(noted.notes_size(), 1);
  EXPECT_EQ(noted.notes(0).text(), "mother called\nmeeting on Friday");
}

TEST_F(PlausibilityTest, ImplausibleConsentsAndWithdrawalsAreRefusedAndChangeNothing) {
  AddCast();
  OpenCase(kChild, "Mati Maasikas");  // born 2015-05-05: 18 on 2033-05-05
  Must("kati", Grant(kChild, kGuardian1));
  const std::string before = State();

  Refused("kati", Grant(kBornIn2099, kGuardian1), "child_isikukood", "is 2099-12-31, after today");
  Refused("kati", Grant(kChild, kBornIn2020), "granted_by", "born 2020-03-13");
  Refused("kati", Grant(kChild, kChild), "granted_by", "the child's own isikukood");
  std::vector<std::string> from_1969 = Grant(kChild, kGuardian1);
  from_1969.insert(from_1969.end(), {"--from", "1969-07-20"});
  Refused("kati", from_1969, "valid_from", "before the child's birth");
  std::vector<std::string> until_9999 = Grant(kChild, kGuardian1);
  until_9999[until_9999.size() - 3] = "9999-12-31";
  Refused("kati", until_9999, "valid_until", "after the child's 18th birthday on 2033-05-05");
  std::vector<std::string> four_years = Grant(kChild, kGuardian1);
  four_years[four_years.size() - 3] = hop::testing::DateFromToday(4 * 365 + 1);
  Refused("kati", four_years, "valid_until", "more than 3 years after valid_from");
  std::vector<std::string> bidi_purpose = Grant(kChild, kGuardian1);
  bidi_purpose[11] = std::string("support") + kRlo;
  Refused("kati", bidi_purpose, "purpose", "character 8 is U+202E");

  const std::vector<std::string> withdraw = {"consent", "withdraw", "--child", kChild,
                                             "--guardian"};
  auto w = [&](std::vector<std::string> more) {
    std::vector<std::string> args = withdraw;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  Refused("kati", w({kBornIn2020, "--evidence", "F-1"}), "withdrawn_by", "born 2020-03-13");
  Refused("kati", w({"37605030291", "--evidence", "F-1"}), "withdrawn_by", "check digit");
  Refused("kati", w({kChild, "--evidence", "F-1"}), "withdrawn_by", "the child's own isikukood");
  Refused("kati", w({kGuardian2, "--evidence", ""}), "evidence_ref", "is empty");
  Refused("kati", w({kGuardian2, "--evidence", std::string("F-1") + kRlo}), "evidence_ref",
          "U+202E");
  // Without --evidence hopctl itself refuses (a usage error, exit 2), and --help teaches it.
  const hop::testing::CommandResult no_evidence = Run("kati", w({kGuardian2}));
  EXPECT_EQ(no_evidence.exit_code, 2) << no_evidence.err;
  EXPECT_THAT(no_evidence.err, HasSubstr("--evidence"));
  const std::string help = Must("kati", {"consent", "withdraw", "--help"});
  EXPECT_THAT(help, HasSubstr("--evidence REF"));
  EXPECT_THAT(help, HasSubstr("signed withdrawal form"));
  EXPECT_THAT(help, HasSubstr("18 or older"));
  EXPECT_EQ(State(), before) << "a refusal changed the node's state";

  // The guardian and the signed form are recorded on the consent and in the audit log (which
  // names the guardian by a keyed pseudonym, never the isikukood).
  Must("kati", w({kGuardian2, "--evidence", "DHS-2026-31"}));
  auto all = MustJson<hop::v1::ListConsentsResponse>("kati", {"consent", "list"});
  ASSERT_EQ(all.consents_size(), 1);
  EXPECT_EQ(all.consents(0).withdrawn_by(), kGuardian2);
  EXPECT_EQ(all.consents(0).withdrawal_evidence_ref(), "DHS-2026-31");
  const std::string report = Must("kati", {"audit", "subject", "--child", kChild});
  EXPECT_THAT(report, ContainsRegex("withdrawal by guardian p[0-9a-f]{32}, signed form "
                                    "DHS-2026-31"));
  EXPECT_THAT(report, Not(HasSubstr(kGuardian2)));
}

TEST_F(PlausibilityTest, DirectoryAndUserTextIsCleanOrRefused) {
  AddCast();
  const std::string before = State();
  Refused("juht",
          {"directory", "institution", "add", "--name", std::string("Kool") + kEsc + "]0;x\a",
           "--kind", "school", "--ownership", "municipal", "--municipality", "0793"},
          "institution.name", "character 5 is U+001B");
  Refused("juht",
          {"directory", "contact", "add", "--institution", school_id_, "--name",
           std::string("Helle") + kRlo + "ko", "--role", "HEVKO", "--email", "h@kool.example.ee"},
          "contact.name", "character 6 is U+202E");
  Refused(
      "juht",
      {"directory", "contact", "add", "--institution", school_id_, "--name", "Helle", "--role",
       "HEVKO", "--email", "h@kool.example.ee", "--topic", std::string("speech") + "\xE2\x81\xA6"},
      "contact.topics[0]", "the value given is not a topic code");
  Refused("admin",
          {"user", "add", "malle", "--role", "case-manager", "--name", std::string("Malle") + kRlo},
          "user.name", "character 6 is U+202E");
  EXPECT_EQ(State(), before) << "a refusal changed the node's state";

  auto contact = MustJson<hop::v1::Contact>(
      "juht", {"directory", "contact", "add", "--institution", school_id_, "--name",
               "Jo\xCC\x83"
               "e Ko\xCC\x83"
               "rts",
               "--role", "HEVKO", "--email", "j@kool.example.ee", "--topic", "speech"});
  EXPECT_EQ(contact.name(),
            "J\xC3\xB5"
            "e K\xC3\xB5rts");
}

}  // namespace
}  // namespace hop::integration
