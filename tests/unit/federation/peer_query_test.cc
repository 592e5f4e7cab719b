// hop::federation::ReadAnswer and DescribeAnswers (daemon/federation/peer_query.h): how the
// asking node sorts one peer's raw answer to a live query. Whatever the peer sends, only its
// own case summaries (Puller::CheckEntry) of the child asked about are kept, and only those the
// asking staff member's role may see (domain::CanSeeHeldSummary); gRPC failures become timed
// out, unreachable or refused with the peer's reason. Pure functions: no network here.
#include "daemon/federation/peer_query.h"

#include <string>

#include "daemon/domain/access.h"
#include "daemon/domain/isikukood.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace hop::federation {
namespace {

using hop::v1::PeerAnswer;

constexpr char kPeer[] = "0793";          // Tartu linn
constexpr char kChild[] = "60001019906";  // valid (checked below)
constexpr char kOtherChild[] = "50001019916";

const domain::Actor kCaseManager{"tiina", hop::v1::ROLE_CASE_MANAGER, ""};
const domain::Actor kProtection{"peeter", hop::v1::ROLE_CHILD_PROTECTION, ""};
const domain::Actor kTeacher{"mari", hop::v1::ROLE_TEACHER, "0171-I000001"};

hop::v1::CaseSummary Summary(const std::string& case_id, const std::string& origin = kPeer,
                             const std::string& child = kChild,
                             hop::v1::ShareBasis basis = hop::v1::SHARE_BASIS_CONSENT) {
  hop::v1::CaseSummary s;
  s.set_case_id(case_id);
  s.set_origin(origin);
  s.set_child_isikukood(child);
  s.set_basis(basis);
  if (basis == hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
    s.set_child_protection(true);
  } else {
    s.set_level(hop::v1::LEVEL_SCHOOL);
    s.add_need_areas("reading");
    s.set_consent_id("0793-K000001");
  }
  s.set_updated_at(1795000000);
  return s;
}

hop::v1::ChildQueryAnswer Raw(std::initializer_list<hop::v1::CaseSummary> summaries) {
  hop::v1::ChildQueryAnswer raw;
  raw.set_origin(kPeer);
  for (const hop::v1::CaseSummary& s : summaries) *raw.add_summaries() = s;
  return raw;
}

PeerAnswer ReadOk(const hop::v1::ChildQueryAnswer& raw, const domain::Actor& actor = kCaseManager,
                  const std::string& child = kChild) {
  return ReadAnswer(kPeer, child, actor, grpc::Status::OK, raw);
}

TEST(PeerQueryReadAnswerTest, TestDataIsValid) {
  EXPECT_TRUE(domain::ValidateIsikukood(kChild).ok());
  EXPECT_TRUE(domain::ValidateIsikukood(kOtherChild).ok());
}

TEST(PeerQueryReadAnswerTest, ValidSummaryOfTheChildIsAnswered) {
  const hop::v1::CaseSummary s = Summary("0793-C000001");
  PeerAnswer a = ReadOk(Raw({s}));
  EXPECT_EQ(a.municipality(), kPeer);
  EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  ASSERT_EQ(a.summaries_size(), 1);
  EXPECT_EQ(a.summaries(0).SerializeAsString(), s.SerializeAsString()) << "kept as sent";
  EXPECT_EQ(a.detail(), "");
}

TEST(PeerQueryReadAnswerTest, SeveralValidSummariesAreAllKeptInOrder) {
  PeerAnswer a = ReadOk(Raw({Summary("0793-C000001"), Summary("0793-C000007")}));
  EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  ASSERT_EQ(a.summaries_size(), 2);
  EXPECT_EQ(a.summaries(0).case_id(), "0793-C000001");
  EXPECT_EQ(a.summaries(1).case_id(), "0793-C000007");
}

TEST(PeerQueryReadAnswerTest, NoSummariesIsNoVisibleRecords) {
  PeerAnswer a = ReadOk(Raw({}));
  EXPECT_EQ(a.municipality(), kPeer);
  EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  EXPECT_EQ(a.summaries_size(), 0);
  EXPECT_EQ(ReadOk(hop::v1::ChildQueryAnswer()).outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
}

TEST(PeerQueryReadAnswerTest, SummariesThePeerMayNotSendAreDropped) {
  struct Bad {
    const char* why;
    hop::v1::CaseSummary summary;
  };
  const Bad bad[] = {
      {"claims another origin", Summary("0793-C000002", "0171")},
      {"another municipality's case", Summary("0171-C000002", kPeer)},
      {"another municipality's case and origin", Summary("0171-C000002", "0171")},
      {"another child", Summary("0793-C000002", kPeer, kOtherChild)},
      {"invalid isikukood", Summary("0793-C000002", kPeer, "60001019907")},
      {"no isikukood", Summary("0793-C000002", kPeer, "")},
      {"no case id", Summary("", kPeer)},
      {"case id without the owner's code", Summary("C000002", kPeer)},
      {"case id of a code that starts like the peer's", Summary("07931-C000002", kPeer)},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.why);
    // Alone: nothing remains.
    PeerAnswer alone = ReadOk(Raw({b.summary}), kProtection);
    EXPECT_EQ(alone.outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
    EXPECT_EQ(alone.summaries_size(), 0);
    // Beside a good one: only the good one remains.
    PeerAnswer mixed = ReadOk(Raw({b.summary, Summary("0793-C000001")}), kProtection);
    EXPECT_EQ(mixed.outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
    ASSERT_EQ(mixed.summaries_size(), 1);
    EXPECT_EQ(mixed.summaries(0).case_id(), "0793-C000001");
  }
}

TEST(PeerQueryReadAnswerTest, TheAskedChildDecidesWhatIsKept) {
  const hop::v1::ChildQueryAnswer raw =
      Raw({Summary("0793-C000001", kPeer, kChild), Summary("0793-C000002", kPeer, kOtherChild)});
  PeerAnswer a = ReadOk(raw, kCaseManager, kOtherChild);
  ASSERT_EQ(a.summaries_size(), 1);
  EXPECT_EQ(a.summaries(0).case_id(), "0793-C000002");
}

TEST(PeerQueryReadAnswerTest, ChildProtectionBasisOnlyForChildProtection) {
  const hop::v1::CaseSummary cp =
      Summary("0793-C000003", kPeer, kChild, hop::v1::SHARE_BASIS_CHILD_PROTECTION);
  PeerAnswer seen = ReadOk(Raw({cp}), kProtection);
  EXPECT_EQ(seen.outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  ASSERT_EQ(seen.summaries_size(), 1);
  EXPECT_EQ(seen.summaries(0).case_id(), "0793-C000003");

  PeerAnswer hidden = ReadOk(Raw({cp}), kCaseManager);
  EXPECT_EQ(hidden.outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  EXPECT_EQ(hidden.summaries_size(), 0);

  // Beside a consent-based summary, the case manager gets only that one.
  PeerAnswer mixed = ReadOk(Raw({cp, Summary("0793-C000001")}), kCaseManager);
  EXPECT_EQ(mixed.outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  ASSERT_EQ(mixed.summaries_size(), 1);
  EXPECT_EQ(mixed.summaries(0).case_id(), "0793-C000001");
  EXPECT_EQ(ReadOk(Raw({cp, Summary("0793-C000001")}), kProtection).summaries_size(), 2);
}

TEST(PeerQueryReadAnswerTest, RolesWithoutHeldSummariesSeeNothing) {
  const hop::v1::ChildQueryAnswer raw =
      Raw({Summary("0793-C000001"),
           Summary("0793-C000003", kPeer, kChild, hop::v1::SHARE_BASIS_CHILD_PROTECTION)});
  for (const domain::Actor& actor :
       {kTeacher, domain::Actor{"juhan", hop::v1::ROLE_NETWORK_LEADER, ""},
        domain::Actor{"root", hop::v1::ROLE_ADMIN, ""}}) {
    SCOPED_TRACE(domain::RoleName(actor.role));
    PeerAnswer a = ReadOk(raw, actor);
    EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
    EXPECT_EQ(a.summaries_size(), 0);
  }
  // A summary without a basis is shown to nobody.
  EXPECT_EQ(ReadOk(Raw({Summary("0793-C000004", kPeer, kChild, hop::v1::SHARE_BASIS_UNSPECIFIED)}),
                   kProtection)
                .outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
}

TEST(PeerQueryReadAnswerTest, DeadlineExceededIsTimedOut) {
  PeerAnswer a = ReadAnswer(kPeer, kChild, kCaseManager,
                            grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"),
                            Raw({Summary("0793-C000001")}));
  EXPECT_EQ(a.municipality(), kPeer);
  EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_TIMED_OUT);
  EXPECT_EQ(a.summaries_size(), 0) << "a failed call's answer is not read";
  EXPECT_FALSE(a.detail().empty());
}

TEST(PeerQueryReadAnswerTest, UnavailableIsUnreachableWithTheMessage) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN}) {
    SCOPED_TRACE(static_cast<int>(code));
    PeerAnswer a = ReadAnswer(kPeer, kChild, kCaseManager,
                              grpc::Status(code, "failed to connect to all addresses"),
                              Raw({Summary("0793-C000001")}));
    EXPECT_EQ(a.municipality(), kPeer);
    EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_UNREACHABLE);
    EXPECT_EQ(a.detail(), "failed to connect to all addresses");
    EXPECT_EQ(a.summaries_size(), 0);
  }
}

TEST(PeerQueryReadAnswerTest, RefusalsCarryThePeersReason) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::PERMISSION_DENIED,
        grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::INVALID_ARGUMENT}) {
    SCOPED_TRACE(static_cast<int>(code));
    const std::string why = "queries from 0171: at most 30 per minute; try again in 2 s";
    PeerAnswer a = ReadAnswer(kPeer, kChild, kCaseManager, grpc::Status(code, why),
                              Raw({Summary("0793-C000001")}));
    EXPECT_EQ(a.municipality(), kPeer);
    EXPECT_EQ(a.outcome(), hop::v1::PEER_OUTCOME_REFUSED);
    EXPECT_EQ(a.detail(), why);
    EXPECT_EQ(a.summaries_size(), 0);
  }
}

TEST(PeerQueryDescribeAnswersTest, OnePartPerPeerInOrder) {
  hop::v1::QueryPeersResponse response;
  *response.add_answers() =
      ReadAnswer("0793", kChild, kCaseManager, grpc::Status::OK, Raw({Summary("0793-C000001")}));
  hop::v1::ChildQueryAnswer empty;
  *response.add_answers() = ReadAnswer("0171", kChild, kCaseManager, grpc::Status::OK, empty);
  *response.add_answers() =
      ReadAnswer("0283", kChild, kCaseManager,
                 grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"), empty);
  EXPECT_EQ(DescribeAnswers(response),
            "0793 answered (1), 0171 no visible records, 0283 unreachable");

  *response.add_answers() =
      ReadAnswer("0624", kChild, kCaseManager,
                 grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline"), empty);
  *response.add_answers() =
      ReadAnswer("0795", kChild, kCaseManager,
                 grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not a peer"), empty);
  EXPECT_EQ(DescribeAnswers(response),
            "0793 answered (1), 0171 no visible records, 0283 unreachable, 0624 timed out, "
            "0795 refused");
}

TEST(PeerQueryDescribeAnswersTest, CountsSummariesAndHandlesNoAnswers) {
  EXPECT_EQ(DescribeAnswers(hop::v1::QueryPeersResponse()), "");
  hop::v1::QueryPeersResponse response;
  *response.add_answers() = ReadAnswer(
      "0793", kChild, kProtection, grpc::Status::OK,
      Raw({Summary("0793-C000001"),
           Summary("0793-C000003", kPeer, kChild, hop::v1::SHARE_BASIS_CHILD_PROTECTION)}));
  EXPECT_EQ(DescribeAnswers(response), "0793 answered (2)");
}

}  // namespace
}  // namespace hop::federation
