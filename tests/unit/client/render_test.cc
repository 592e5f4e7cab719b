// Tests of the human renderings (client/render.h).
#include "client/render.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kT = 1714550400;  // 2024-05-01 08:00 UTC

hop::v1::Case SampleCase() {
  hop::v1::Case c;
  c.set_id("0793-C7");
  c.set_origin("0793");
  c.mutable_child()->set_isikukood("60001019906");
  c.mutable_child()->set_name("Mari Maasikas");
  c.set_level(hop::v1::LEVEL_SCHOOL);
  c.set_stage(hop::v1::STAGE_II);
  c.set_institution_id("0793-I1");
  c.set_responsible_user("koordinaator");
  c.set_status(hop::v1::CASE_CLOSED);
  c.set_closing_reason("goals reached");
  c.mutable_related()->set_registered_residence("0171");
  c.mutable_related()->add_actual_residences("0171");
  c.mutable_related()->add_actual_residences("0793");
  c.add_need_areas("speech");
  c.add_need_areas("reading");
  auto* item = c.add_action_plan();
  item->set_id("A1");
  item->set_description("therapy");
  item->set_due_date("2024-06-01");
  auto* service = c.add_services();
  service->set_type("speech-therapy");
  service->set_provider("0793-I000002");
  service->set_municipality("0793");
  service->set_start_date("2024-05-02");
  auto* assessment = c.add_assessments();
  assessment->set_date("2024-05-20");
  assessment->set_conclusion("better");
  assessment->set_by_user("kati");
  auto* open = c.add_history();
  open->set_to_stage(hop::v1::STAGE_I);
  open->set_by_user("opetaja");
  open->set_at(kT);
  open->set_reason("noticed");
  auto* up = c.add_history();
  up->set_from_stage(hop::v1::STAGE_I);
  up->set_to_stage(hop::v1::STAGE_II);
  up->set_by_user("opetaja");
  up->set_at(kT + 3600);
  up->set_reason("needs more");
  return c;
}

TEST(RenderTest, CaseShowsEveryPart) {
  const std::string text = RenderCase(SampleCase(), absl::UTCTimeZone());
  for (const char* part :
       {"case:",
        "0793-C7",
        "child:",
        "60001019906 Mari Maasikas",
        "level:",
        "school",
        "stage:",
        "II",
        "child-protection track: no",
        "institution:",
        "0793-I1",
        "responsible:",
        "koordinaator",
        "case manager:",
        "related municipalities:",
        "registered residence: 0171",
        "actual residence: 0171, 0793",
        "needs:",
        "speech (Kõne ja keel), reading (Lugemisraskused)",
        "action plan:",
        "A1: therapy (due 2024-06-01)",
        "services:",
        "speech-therapy (Logopeediline abi) by 0793-I000002 in 0793, 2024-05-02 to ongoing",
        "assessments:",
        "2024-05-20: better (by kati)",
        "notes:",
        "status:",
        "closed (goals reached)",
        "stage history:",
        "2024-05-01 08:00  opened at stage I  by opetaja: noticed",
        "2024-05-01 09:00  I -> II  by opetaja: needs more"}) {
    EXPECT_THAT(text, HasSubstr(part)) << text;
  }
}

// Issue 13: assignees, the institutions a case left (until when they read), and the history
// entries of assignments and institution changes.
TEST(RenderTest, CaseShowsAssigneesFormerInstitutionsAndTheirEvents) {
  hop::v1::Case c = SampleCase();
  hop::v1::Assignee* a = c.add_assignees();
  a->set_user_id("ode");
  a->set_task("school nurse: suicide risk");
  a->set_since(1714560000);  // 2024-05-01 10:40 UTC
  a->set_by_user("kati");
  hop::v1::FormerInstitution* f = c.add_former_institutions();
  f->set_institution_id("0793-I9");
  f->set_left_at(1714560000);
  f->set_read_until(1714560000 + 90 * 86400);
  hop::v1::StageChange* moved = c.add_history();
  moved->set_event(hop::v1::CASE_EVENT_INSTITUTION_CHANGED);
  moved->set_from_stage(hop::v1::STAGE_II);
  moved->set_to_stage(hop::v1::STAGE_II);
  moved->set_from_institution("0793-I9");
  moved->set_to_institution("0793-I1");
  moved->set_by_user("kati");
  moved->set_at(1714560000);
  moved->set_reason("changed school");
  const std::string text = RenderCase(c, absl::UTCTimeZone());
  for (const char* part : {"assignees:",
                           "  - ode: school nurse: suicide risk (since 2024-05-01 "
                           "10:40, by kati)",
                           "former institutions:",
                           "  - 0793-I9: left 2024-05-01 10:40; reads what it wrote until "
                           "2024-07-30 10:40",
                           "2024-05-01 10:40  institution 0793-I9 -> 0793-I1  by kati: changed "
                           "school"}) {
    EXPECT_THAT(text, HasSubstr(part)) << text;
  }
  EXPECT_THAT(RenderCase(SampleCase(), absl::UTCTimeZone()), Not(HasSubstr("assignees:")));
}

TEST(RenderTest, StageChangeToChildProtection) {
  hop::v1::StageChange change;
  change.set_from_stage(hop::v1::STAGE_II);
  change.set_to_stage(hop::v1::STAGE_II);
  change.set_to_child_protection(true);
  change.set_by_user("lks");
  change.set_at(kT);
  change.set_reason("danger");
  EXPECT_EQ(RenderStageChange(change, absl::UTCTimeZone()),
            "2024-05-01 08:00  stage II -> child-protection track  by lks: danger");
}

TEST(RenderTest, CaseTable) {
  const std::string text = RenderCaseTable({SampleCase()}, absl::UTCTimeZone());
  EXPECT_THAT(text, HasSubstr("CASE     CHILD        NAME"));
  EXPECT_THAT(text, HasSubstr("0793-C7  60001019906  Mari Maasikas  school  II"));
  EXPECT_EQ(RenderCaseTable({}, absl::UTCTimeZone()), "no cases\n");
}

TEST(RenderTest, Counts) {
  hop::v1::CountCasesResponse counts;
  auto* row = counts.add_counts();
  row->set_level(hop::v1::LEVEL_KINDERGARTEN);
  row->set_stage(hop::v1::STAGE_I);
  row->set_status(hop::v1::CASE_OPEN);
  row->set_count(3);
  counts.set_total(3);
  EXPECT_EQ(RenderCounts(counts),
            "LEVEL         STAGE  CP  STATUS  COUNT\n"
            "kindergarten  I      no  open    3\n"
            "total: 3\n");
  row->set_count(0);
  row->set_suppressed(true);
  counts.set_total(0);
  EXPECT_EQ(RenderCounts(counts),
            "LEVEL         STAGE  CP  STATUS  COUNT\n"
            "kindergarten  I      no  open    <5\n"
            "total: <5\n"
            "<5: fewer than 5 cases, or a count that would reveal one (suppressed)\n");
}

TEST(RenderTest, ConsentStates) {
  hop::v1::Consent c;
  c.set_valid_from(kT);
  c.set_valid_until(kT + 100);
  EXPECT_EQ(ConsentState(c, absl::FromUnixSeconds(kT - 1)), "not yet valid");
  EXPECT_EQ(ConsentState(c, absl::FromUnixSeconds(kT)), "active");
  EXPECT_EQ(ConsentState(c, absl::FromUnixSeconds(kT + 100)), "expired");
  c.set_withdrawn_at(kT + 10);
  EXPECT_EQ(ConsentState(c, absl::FromUnixSeconds(kT + 20)), "withdrawn");
}

TEST(RenderTest, ConsentTableAndBlock) {
  hop::v1::Consent c;
  c.set_id("0793-K1");
  c.set_child_isikukood("60001019906");
  c.set_granted_by("37605030299");
  c.add_recipients("0171");
  c.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
  c.add_scopes(hop::v1::SCOPE_RESPONSIBLE_CONTACT);
  c.set_valid_from(kT);
  c.set_valid_until(kT + 86400);
  const absl::Time now = absl::FromUnixSeconds(kT + 60);
  const std::string table = RenderConsentTable({c}, now, absl::UTCTimeZone());
  EXPECT_THAT(table, HasSubstr("CONSENT  CHILD"));
  EXPECT_THAT(table, HasSubstr("summary, contact"));
  EXPECT_THAT(table, HasSubstr("active"));
  const std::string block = RenderConsent(c, now, absl::UTCTimeZone());
  EXPECT_THAT(block, HasSubstr("valid until: 2024-05-02 08:00"));
  EXPECT_THAT(block, Not(HasSubstr("withdrawn:")));
}

TEST(RenderTest, DirectoryUsersNode) {
  hop::v1::SearchDirectoryResponse dir;
  auto* contact = dir.add_contacts();
  contact->set_id("0793-P1");
  contact->set_name("Kati Kask");
  contact->add_age_levels(hop::v1::LEVEL_SCHOOL);
  contact->add_topics("learning-support");
  const std::string text = RenderDirectory(dir, absl::UTCTimeZone());
  EXPECT_THAT(text, HasSubstr("Institutions:\nno institutions\n"));
  EXPECT_THAT(text, HasSubstr("Kati Kask"));
  EXPECT_THAT(text, HasSubstr("school"));
  EXPECT_THAT(text, HasSubstr("learning-support"));

  hop::v1::User user;
  user.set_user_id("kati");
  user.set_role(hop::v1::ROLE_CASE_MANAGER);
  EXPECT_THAT(RenderUserTable({user}, absl::UTCTimeZone()), HasSubstr("kati  -     case-manager"));

  hop::v1::NodeStatus status;
  status.set_municipality("0793");
  status.set_municipality_name("Tartu linn");
  status.set_now(kT);
  status.set_started_at(kT - 90000);
  status.set_node_cert_expires_at(kT + 10 * 86400);
  status.set_ca_cert_expires_at(kT - 2 * 86400);
  const std::string node_text = RenderNodeStatus(status, absl::UTCTimeZone());
  EXPECT_THAT(node_text, ::testing::ContainsRegex("municipality: +0793 \\(Tartu linn\\)"));
  EXPECT_THAT(node_text, HasSubstr("(up 1 d 1 h)"));
  EXPECT_THAT(node_text, HasSubstr("2024-05-11 08:00 (in 10 d 0 h)"));
  EXPECT_THAT(node_text, HasSubstr("(EXPIRED 2 d 0 h ago)"));
  EXPECT_THAT(node_text, ::testing::ContainsRegex("CRL next update: +-"));
}

TEST(RenderTest, FederationStatusShowsEveryNodeAndWhoDidNotAnswer) {
  hop::v1::FederationStatus report;
  hop::v1::FederationNodeStatus* up = report.add_nodes();
  up->set_municipality("0793");
  up->set_reachable(true);
  hop::v1::NodeStatus* s = up->mutable_status();
  s->set_version("0.1.0");
  s->set_now(kT);
  s->set_started_at(kT - 3600);
  s->set_node_cert_expires_at(kT + 20 * 86400);
  s->set_ca_cert_expires_at(kT + 3000 * 86400);
  s->add_peers()->mutable_checkpoint()->set_last_success(kT - 600);
  s->add_peers()->mutable_checkpoint()->set_last_success(kT - 40 * 3600);
  hop::v1::FederationNodeStatus* down = report.add_nodes();
  down->set_municipality("0171");
  down->set_address("hop-0171.example:7443");
  down->set_error("UNAVAILABLE: failed to connect");
  const std::string text =
      RenderFederationStatus(report, absl::FromUnixSeconds(kT), absl::UTCTimeZone());
  EXPECT_THAT(text, ::testing::ContainsRegex("0793 Tartu linn +up +0.1.0 +1 h 0 min"));
  EXPECT_THAT(text, HasSubstr("1/2")) << "one peer synced within 36 h";
  EXPECT_THAT(text, HasSubstr("20 d (SOON)"));
  EXPECT_THAT(text, HasSubstr("3000 d"));
  EXPECT_THAT(text, ::testing::ContainsRegex("0171 Elva vald +UNREACHABLE"));
  EXPECT_THAT(text, HasSubstr("1 of 2 nodes answered"));
  EXPECT_THAT(text, HasSubstr("0171 at hop-0171.example:7443: UNAVAILABLE: failed to connect"));
}

TEST(RenderTest, QueryAnswersNameEachPeersOutcome) {
  hop::v1::QueryPeersResponse r;
  hop::v1::PeerAnswer* answered = r.add_answers();
  answered->set_municipality("0793");
  answered->set_outcome(hop::v1::PEER_OUTCOME_ANSWERED);
  answered->set_latency_ms(12);
  hop::v1::CaseSummary* s = answered->add_summaries();
  s->set_case_id("0793-C000001");
  s->set_origin("0793");
  s->set_basis(hop::v1::SHARE_BASIS_CHILD_PROTECTION);
  s->set_child_protection(true);
  hop::v1::PeerAnswer* none = r.add_answers();
  none->set_municipality("0171");
  none->set_outcome(hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  hop::v1::PeerAnswer* down = r.add_answers();
  down->set_municipality("0283");
  down->set_outcome(hop::v1::PEER_OUTCOME_UNREACHABLE);
  down->set_detail("Connection refused");
  hop::v1::PeerAnswer* slow = r.add_answers();
  slow->set_municipality("0432");
  slow->set_outcome(hop::v1::PEER_OUTCOME_TIMED_OUT);
  const std::string text = RenderQueryAnswers(r, absl::UTCTimeZone());
  EXPECT_THAT(text, HasSubstr("0793 Tartu linn: answered: 1 case (12 ms)"));
  EXPECT_THAT(text, HasSubstr("0793-C000001"));
  EXPECT_THAT(text, HasSubstr("Child Protection Act"));
  EXPECT_THAT(text, HasSubstr("0171 Elva vald: no visible records"));
  EXPECT_THAT(text, HasSubstr("0283 Kambja vald: UNREACHABLE (0 ms) - Connection refused"));
  EXPECT_THAT(text, HasSubstr("0432 Luunja vald: TIMED OUT"));
}

TEST(RenderTest, InboxSaysWhoAskedFromWhereAndWhy) {
  EXPECT_THAT(RenderInbox({}, absl::UTCTimeZone()), HasSubstr("inbox empty"));
  hop::v1::InboxEntry e;
  e.set_id("0000000000000003");
  e.set_time(kT);
  e.set_case_id("0793-C000001");
  e.set_child_isikukood("60001019906");
  e.set_asker("spiffe://hop.tartumaa.ee/municipality/0171/staff/elle");
  e.set_asker_role("case-manager");
  e.set_asker_municipality("0171");
  e.set_purpose("moved to Elva");
  const std::string text = RenderInbox({e}, absl::UTCTimeZone());
  EXPECT_THAT(text, HasSubstr("0000000000000003  2024-05-01 08:00  NEW"));
  EXPECT_THAT(text, HasSubstr("case-manager elle of Elva vald (0171) asked about child "
                              "60001019906 (your case 0793-C000001)"));
  EXPECT_THAT(text, HasSubstr("purpose: moved to Elva"));
  e.set_acknowledged_at(kT + 60);
  EXPECT_THAT(RenderInbox({e}, absl::UTCTimeZone()), HasSubstr("seen"));
}

TEST(RenderTest, AccessReportIsPlainLanguage) {
  hop::v1::SubjectReportResponse r;
  hop::v1::AuditEntry* asked = r.add_entries();
  asked->set_time(kT);
  asked->set_actor("spiffe://hop.tartumaa.ee/municipality/0171/staff/elle");
  asked->set_actor_role("case-manager");
  asked->set_actor_municipality("0171");
  asked->set_action("Federation.Query: answered");
  asked->set_object("question from 0171");
  asked->set_purpose("moved to Elva");
  asked->set_outcome("ok; 1 summaries shared");
  hop::v1::AuditEntry* refused = r.add_entries();
  refused->set_time(kT + 1);
  refused->set_actor("spiffe://hop.tartumaa.ee/municipality/0793/staff/juht");
  refused->set_actor_role("network-leader");
  refused->set_actor_municipality("0793");
  refused->set_action("CaseWork.QueryPeers");
  refused->set_object("60001019906");
  refused->set_outcome("refused: role network-leader may not call it");
  hop::v1::AuditEntry* sync = r.add_entries();
  sync->set_actor_role("peer-node");
  sync->set_actor_municipality("0283");
  sync->set_action("Federation.Pull: feed served");
  const std::string text = RenderAccessReport("60001019906", r, absl::UTCTimeZone());
  EXPECT_THAT(text, HasSubstr("Access report for 60001019906: 3 accesses"));
  EXPECT_THAT(text, HasSubstr("case-manager elle of Elva vald (0171)"));
  EXPECT_THAT(text, HasSubstr("asked this node about the child (live query from another "
                              "municipality) [question from 0171]"));
  EXPECT_THAT(text, HasSubstr("purpose: moved to Elva"));
  EXPECT_THAT(text, HasSubstr("asked the other municipalities' nodes about the child (live "
                              "query)\n"))
      << "the object is the child itself: not repeated";
  EXPECT_THAT(text, HasSubstr("outcome: REFUSED (role network-leader may not call it)"));
  EXPECT_THAT(text, HasSubstr("the node of Kambja vald (0283)"));
  EXPECT_THAT(text, HasSubstr("sent to another municipality's node (sync)"));
}

}  // namespace
}  // namespace hop::client
