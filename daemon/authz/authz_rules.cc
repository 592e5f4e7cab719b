#include "daemon/authz/authz_rules.h"

#include <map>

namespace hop::authz {
namespace {

using hop::v1::Role;
constexpr Role kTeacher = hop::v1::ROLE_TEACHER;
constexpr Role kCoordinator = hop::v1::ROLE_INSTITUTION_COORDINATOR;
constexpr Role kCaseManager = hop::v1::ROLE_CASE_MANAGER;
constexpr Role kChildProtection = hop::v1::ROLE_CHILD_PROTECTION;
constexpr Role kNetworkLeader = hop::v1::ROLE_NETWORK_LEADER;
constexpr Role kAdmin = hop::v1::ROLE_ADMIN;
// Support specialists (issue 13): they work on the cases they are assigned to (access.h).
constexpr Role kNurse = hop::v1::ROLE_SCHOOL_NURSE;
constexpr Role kSocialPedagogue = hop::v1::ROLE_SOCIAL_PEDAGOGUE;
constexpr Role kSpecialPedagogue = hop::v1::ROLE_SPECIAL_PEDAGOGUE;
constexpr Role kSpeechTherapist = hop::v1::ROLE_SPEECH_THERAPIST;
constexpr Role kPsychologist = hop::v1::ROLE_PSYCHOLOGIST;

const std::map<std::string, MethodRule, std::less<>>& Rules() {
  static const auto* rules = [] {
    const MethodRule case_workers{{kTeacher, kCoordinator, kCaseManager, kChildProtection}};
    // Work on a case: the case workers and the support specialists (on their assigned cases;
    // the object-level rule is domain::AccessTo). Not: opening cases, consents, the
    // directory's writes, look-ups of other municipalities, counts.
    const MethodRule assigned_workers{{kTeacher, kCoordinator, kCaseManager, kChildProtection,
                                       kNurse, kSocialPedagogue, kSpecialPedagogue,
                                       kSpeechTherapist, kPsychologist}};
    const MethodRule coordinators_up{{kCoordinator, kCaseManager, kChildProtection}};
    const MethodRule all_staff{{kTeacher, kCoordinator, kCaseManager, kChildProtection,
                                kNetworkLeader, kNurse, kSocialPedagogue, kSpecialPedagogue,
                                kSpeechTherapist, kPsychologist}};
    const MethodRule admins{{kAdmin}};
    const std::string cw = "/hop.v1.CaseWork/";
    const std::string ad = "/hop.v1.Admin/";
    const std::string au = "/hop.v1.Audit/";
    const std::string fed = "/hop.v1.Federation/";
    const std::string health = "/grpc.health.v1.Health/";
    MethodRule peers;
    peers.peer_nodes = true;
    peers.port = Port::kFederation;
    MethodRule anyone;
    anyone.any_certificate = true;
    anyone.port = Port::kBoth;
    return new std::map<std::string, MethodRule, std::less<>>{
        {cw + "OpenCase", case_workers},
        {cw + "GetCase", assigned_workers},
        {cw + "ListCases", assigned_workers},
        {cw + "Escalate", assigned_workers},
        {cw + "MoveToChildProtection", assigned_workers},
        {cw + "Assign", coordinators_up},
        {cw + "AddNeeds", assigned_workers},
        {cw + "AddActionItem", assigned_workers},
        {cw + "AddService", assigned_workers},
        {cw + "AddAssessment", assigned_workers},
        {cw + "AddNote", assigned_workers},
        {cw + "SetRelatedMunicipalities", assigned_workers},
        {cw + "CloseCase", coordinators_up},
        {cw + "EndService", assigned_workers},
        {cw + "CompleteActionItem", assigned_workers},
        {cw + "ReopenCase", coordinators_up},
        {cw + "LeaveChildProtection", MethodRule{{kChildProtection}}},
        {cw + "ChangeInstitution", coordinators_up},
        {cw + "CountCases", MethodRule{{kNetworkLeader, kCaseManager, kChildProtection}}},
        {cw + "CountyFigures", MethodRule{{kNetworkLeader}}},
        {cw + "GrantConsent", coordinators_up},
        {cw + "WithdrawConsent", coordinators_up},
        {cw + "ListConsents", coordinators_up},
        {cw + "PutInstitution", MethodRule{{kNetworkLeader, kCaseManager}}},
        {cw + "PutContact", MethodRule{{kNetworkLeader, kCaseManager, kCoordinator}}},
        {cw + "RetireInstitution", MethodRule{{kNetworkLeader, kCaseManager}}},
        {cw + "RetireContact", MethodRule{{kNetworkLeader, kCaseManager, kCoordinator}}},
        {cw + "SearchDirectory", all_staff},
        {cw + "Lookup", MethodRule{{kCaseManager, kChildProtection}}},
        {cw + "QueryPeers", MethodRule{{kCaseManager, kChildProtection}}},
        {cw + "ListInbox", all_staff},
        {cw + "AckInbox", all_staff},
        {ad + "AddUser", admins},
        {ad + "RemoveUser", admins},
        {ad + "UpdateUser", admins},
        {ad + "ListUsers", admins},
        {ad + "GetNodeStatus",
         MethodRule{{kAdmin}, /*ops=*/true, /*any_staff=*/false, /*county_ops=*/true}},
        {ad + "SyncNow", MethodRule{{kAdmin}, /*ops=*/true}},
        {ad + "Backup", MethodRule{{kAdmin}, /*ops=*/true}},
        {ad + "WhoAmI", MethodRule{{}, /*ops=*/true, /*any_staff=*/true}},
        {au + "Verify", MethodRule{{kAdmin}, /*ops=*/true}},
        {au + "Subject", MethodRule{{kCaseManager, kChildProtection}}},
        {fed + "Pull", peers},
        {fed + "Query", peers},
        {fed + "Witness", peers},
        {fed + "Nudge", peers},
        {fed + "Receipts", peers},
        {fed + "Figures", peers},
        {health + "Check", anyone},
        {health + "Watch", anyone},
    };
  }();
  return *rules;
}

}  // namespace

const MethodRule* FindRule(absl::string_view full_method) {
  auto it = Rules().find(full_method);
  return it == Rules().end() ? nullptr : &it->second;
}

std::vector<std::string> RuledMethods() {
  std::vector<std::string> methods;
  for (const auto& [name, rule] : Rules()) methods.push_back(name);
  return methods;
}

}  // namespace hop::authz
