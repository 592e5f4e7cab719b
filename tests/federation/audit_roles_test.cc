// Role-correct access reports (issue 11, "role-correct reports"), with real hopd processes: a
// child's case at Tartu linn 0793 is opened and read by a case manager, then moved onto the
// child-protection track; the fact of the case goes to the related municipality Elva 0171
// under the child-protection basis, where a child-protection specialist looks it up (a receipt
// back to 0793). Every role of the code then asks 0793 for the child's access report:
//  - case managers see the case work they may see and nothing that reveals child-protection
//    involvement (the move, the copy served under the child-protection basis, the
//    child-protection specialist's look-up, any act of a child-protection specialist), and
//    nothing says that entries were left out;
//  - child-protection specialists see everything, those entries marked child_protection;
//  - admins, ops certificates, teachers, coordinators, network leaders and support specialists
//    (even one assigned to the case) are refused.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hop/v1/records.pb.h"
#include "tests/federation/receipts_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMove[] = "CaseWork.MoveToChildProtection";
constexpr char kServedCp[] = "Federation.Pull: feed served (child-protection basis)";
constexpr char kLanded[] = "Federation.Receipts: look-up of a held copy";

class AuditRolesTest : public ReceiptsFederation {};

bool Has(const std::vector<hop::v1::AuditEntry>& entries, const std::string& action) {
  for (const hop::v1::AuditEntry& e : entries) {
    if (e.action() == action) return true;
  }
  return false;
}

TEST_F(AuditRolesTest, EveryRoleSeesOnlyWhatItsRoleMaySee) {
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "get", case_id});
  Ok("0793", "tiina", {"case", "relate", case_id, "--registered", "0171"});
  Ok("0793", "kaie", {"case", "protect", case_id, "--reason", "child in danger"});
  EXPECT_EQ(Sync("0171")["0793"].records_held(), 2u) << "the school and the fact of the case";
  EXPECT_EQ(Lookup("0171", "elle").held_size(), 0) << "a case manager cannot see the CP basis";
  ASSERT_EQ(Lookup("0171", "kadri").held_size(), 1);

  std::vector<hop::v1::AuditEntry> specialist;
  ASSERT_TRUE(Eventually(std::chrono::seconds(30), [&] {
    specialist = Report("0793", "kaie");
    return Has(specialist, kLanded);
  })) << "kadri's look-up never reached the owner";

  // The child-protection specialist: everything, child-protection entries marked.
  for (const std::string& action : {std::string(kMove), std::string(kServedCp),
                                    std::string(kLanded), std::string("CaseWork.OpenCase")}) {
    EXPECT_TRUE(Has(specialist, action)) << action;
  }
  for (const hop::v1::AuditEntry& e : specialist) {
    if (e.action() == kMove || e.action() == kServedCp || e.action() == kLanded ||
        e.actor_role() == "child-protection") {
      EXPECT_TRUE(e.child_protection()) << e.action() << " by " << e.actor();
    }
  }
  const std::vector<hop::v1::AuditEntry> landed = WithAction(specialist, kLanded);
  EXPECT_EQ(landed[0].actor(), "spiffe://hop.tartumaa.ee/municipality/0171/staff/kadri");
  EXPECT_EQ(landed[0].actor_role(), "child-protection");

  // The case manager: the case work before the move, nothing revealing child protection.
  const std::vector<hop::v1::AuditEntry> manager = Report("0793", "tiina");
  EXPECT_TRUE(Has(manager, "CaseWork.OpenCase"));
  EXPECT_TRUE(Has(manager, "CaseWork.GetCase"));
  for (const hop::v1::AuditEntry& e : manager) {
    EXPECT_FALSE(e.child_protection()) << e.action();
    EXPECT_NE(e.actor_role(), "child-protection") << e.action();
    EXPECT_NE(e.action(), kMove);
    EXPECT_NE(e.action(), kServedCp);
    EXPECT_NE(e.action(), kLanded);
  }
  EXPECT_LT(manager.size(), specialist.size());
  // The inbox tells the specialist, not the case manager, of the look-up.
  EXPECT_EQ(Inbox("0793", "kaie", "lookup").size(), 1u);
  EXPECT_TRUE(Inbox("0793", "tiina", "lookup").empty());
  const std::string text = Ok("0793", "tiina", {"audit", "subject", "--child", kChild});
  EXPECT_THAT(text, Not(HasSubstr("child-protection")));
  EXPECT_THAT(text, Not(HasSubstr("Child Protection")));
  EXPECT_THAT(text, Not(HasSubstr("kadri")));
  EXPECT_THAT(text, Not(HasSubstr("left out")));

  // Everyone else is refused, and the refusal is the same whatever the child.
  const std::vector<std::string> args = {"audit", "subject", "--child", kChild};
  std::map<hop::v1::Role, std::string> walked = {{hop::v1::ROLE_CASE_MANAGER, "tiina"},
                                                 {hop::v1::ROLE_CHILD_PROTECTION, "kaie"}};
  for (const auto& [role, user] : std::vector<std::pair<hop::v1::Role, std::string>>{
           {hop::v1::ROLE_ADMIN, "admin"},
           {hop::v1::ROLE_TEACHER, "mari"},
           {hop::v1::ROLE_INSTITUTION_COORDINATOR, "koidu"},
           {hop::v1::ROLE_NETWORK_LEADER, "juht"}}) {
    EXPECT_THAT(Refused("0793", user, args), HasSubstr("PERMISSION_DENIED")) << user;
    walked[role] = user;
  }
  // The school's support specialists (issue 13), one assigned to the child's case: working on
  // a case is not reading the family's access report.
  for (const auto& [role, user] : std::vector<std::pair<hop::v1::Role, std::string>>{
           {hop::v1::ROLE_SCHOOL_NURSE, "school-nurse"},
           {hop::v1::ROLE_SOCIAL_PEDAGOGUE, "social-pedagogue"},
           {hop::v1::ROLE_SPECIAL_PEDAGOGUE, "special-pedagogue"},
           {hop::v1::ROLE_SPEECH_THERAPIST, "speech-therapist"},
           {hop::v1::ROLE_PSYCHOLOGIST, "psychologist"}}) {
    const std::string id = "sp-" + user.substr(0, 6);
    Ok("0793", "admin",
       {"user", "add", id, "--role", user, "--name", user, "--institution", school_});
    EXPECT_THAT(Refused("0793", id, args), HasSubstr("PERMISSION_DENIED")) << user;
    walked[role] = id;
  }
  Ok("0793", "kaie", {"case", "assign", case_id, "--add-assignee", "sp-school:suicide risk"});
  EXPECT_THAT(Refused("0793", "sp-school", args), HasSubstr("PERMISSION_DENIED"));
  const CommandResult ops = nodes_.at("0793")->HopctlWith(nodes_.at("0793")->Ops("ops1"), args);
  EXPECT_EQ(ops.exit_code, 1) << ops.out << ops.err;
  EXPECT_EQ(ops.out, "");
  EXPECT_THAT(ops.err, HasSubstr("PERMISSION_DENIED"));
  // The walk covers every role the code knows.
  const google::protobuf::EnumDescriptor* roles = hop::v1::Role_descriptor();
  for (int i = 0; i < roles->value_count(); ++i) {
    const auto role = static_cast<hop::v1::Role>(roles->value(i)->number());
    if (role == hop::v1::ROLE_UNSPECIFIED) continue;
    EXPECT_EQ(walked.count(role), 1u) << "role not walked: " << roles->value(i)->name();
  }
}

}  // namespace
}  // namespace hop
