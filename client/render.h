// Human-readable renderings of the API's records and responses (see output.h for the
// building blocks). Lists are tables with a header row; single records are key/value blocks.
// Times are shown in `zone`, enums as lower-case words. Pure; thread-safe.
#ifndef HOP_CLIENT_RENDER_H_
#define HOP_CLIENT_RENDER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::client {

// Cases (render_case.cc).
std::string RenderCase(const hop::v1::Case& c, absl::TimeZone zone);
std::string RenderCaseTable(const std::vector<hop::v1::Case>& cases, absl::TimeZone zone);
std::string RenderCounts(const hop::v1::CountCasesResponse& counts);
// One stage-history entry: "2024-05-02 09:15  I -> II  by mari: reason".
std::string RenderStageChange(const hop::v1::StageChange& change, absl::TimeZone zone);

// Consents, directory, users, node (render_records.cc).
// A consent's state at `now`: "withdrawn", "expired", "not yet valid" or "active".
std::string ConsentState(const hop::v1::Consent& consent, absl::Time now);
std::string RenderConsent(const hop::v1::Consent& consent, absl::Time now, absl::TimeZone zone);
// Per consent and recipient: what the recipient holds of the child now, and its last pull.
std::string RenderDeliveryTable(const std::vector<hop::v1::ConsentDelivery>& deliveries,
                                absl::TimeZone zone);
std::string RenderConsentTable(const std::vector<hop::v1::Consent>& consents, absl::Time now,
                               absl::TimeZone zone);
std::string RenderInstitution(const hop::v1::Institution& institution, absl::TimeZone zone);
std::string RenderContact(const hop::v1::Contact& contact, absl::TimeZone zone);
std::string RenderDirectory(const hop::v1::SearchDirectoryResponse& result, absl::TimeZone zone);
std::string RenderUser(const hop::v1::User& user, absl::TimeZone zone);
std::string RenderUserTable(const std::vector<hop::v1::User>& users, absl::TimeZone zone);
std::string RenderNodeStatus(const hop::v1::NodeStatus& status, absl::TimeZone zone);
// `hopctl federation status`: one row per node; unreachable nodes with the reason.
std::string RenderFederationStatus(const hop::v1::FederationStatus& report, absl::Time now,
                                   absl::TimeZone zone);
// Whether the node's store can write (render_status.cc): "writable", "CANNOT WRITE: <why>",
// or "-" from a node too old to say.
std::string StoreState(const hop::v1::NodeStatus& status);
// "3 d 4 h", "5 h 2 min", "42 s".
std::string Duration(int64_t seconds);
// "2027-11-23 10:00 (in 364 days)" / "... (EXPIRED 2 days ago)" / "-" for 0.
std::string ExpiryText(int64_t at, int64_t now, absl::TimeZone zone);
std::string RenderWhoAmI(const hop::v1::WhoAmIResponse& who);
// Lookup (render_lookup.cc): local cases, then each held summary with origin, basis,
// responsible contact and freshness ("last sync 3 h ago" relative to `now`).
std::string RenderLookup(const hop::v1::LookupResponse& response, absl::Time now,
                         absl::TimeZone zone);
// Audit (render_audit.cc): the chain check, and one child's access report in plain language.
// `hopctl query`: each peer's outcome, then the summaries it shared.
std::string RenderQueryAnswers(const hop::v1::QueryPeersResponse& response, absl::TimeZone zone);
// `hopctl inbox`: who asked about which child, from where, when and why.
std::string RenderInbox(const std::vector<hop::v1::InboxEntry>& entries, absl::TimeZone zone);
std::string RenderAuditVerify(const hop::v1::VerifyAuditResponse& result);
std::string RenderAccessReport(const std::string& child,
                               const hop::v1::SubjectReportResponse& report, absl::TimeZone zone);
// One row per peer: last attempt and success, position, records in/held, refused, last error.
std::string RenderPeerTable(const std::vector<hop::v1::PeerSyncState>& peers, absl::TimeZone zone);

}  // namespace hop::client

#endif  // HOP_CLIENT_RENDER_H_
