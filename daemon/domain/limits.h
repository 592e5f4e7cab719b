// The maximum of every repeated field and every record a hop node stores, serves or accepts:
// one place, enforced at the staff API (the books, before anything is written) and again on
// receipt from a peer (federation/puller). README "Limits" lists them for operators.
//
// Every Check* function is pure and thread-safe. It returns OK or InvalidArgument whose
// message names the field, the limit and the value found, e.g.
//   "need_areas: at most 64 need areas per case (this change would make 65)".
//
// How the byte limits fit together (so no single record can stop a link):
//   one text field            <= kMaxTextBytes          (domain/fields.h, 4 KiB)
//   one stored case           <= kMaxCaseBytes          (1 MiB, notes and history included)
//   one feed entry            <= kMaxFeedEntryBytes     (a summary of the largest case fits)
//   one Pull batch (a gRPC message): entries are added while the batch stays within
//                                kPullBatchTargetBytes; a batch holds at least one entry, so
//                                it is at most kMaxFeedEntryBytes + kPullBatchOverheadBytes,
//                                below kMaxPullMessageBytes, what every receiver accepts.
//   an entry above kMaxFeedEntryBytes (a record stored before these limits) is never sent
//   whole: the owner sends it without payload, and the receiver refuses it and goes on.
#ifndef HOP_DAEMON_DOMAIN_LIMITS_H_
#define HOP_DAEMON_DOMAIN_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::domain {

// A case (juhtum).
inline constexpr size_t kMaxNeedAreas = 64;
inline constexpr size_t kMaxActionItems = 200;
inline constexpr size_t kMaxServices = 200;
inline constexpr size_t kMaxAssessments = 200;
inline constexpr size_t kMaxNotes = 1000;
// History entries (StageChange): stage moves and, since issue 13, every close, reopen, assignment
// and institution change, so a long case has room (the case's byte limit bounds them too).
inline constexpr size_t kMaxStageChanges = 1000;
inline constexpr size_t kMaxActualResidences = 4;
// People assigned to one case (Case.assignees, issue 13) and the bytes of one assignee's task.
inline constexpr size_t kMaxAssignees = 20;
// Institutions a case left within their read period (Case.former_institutions).
inline constexpr size_t kMaxFormerInstitutions = 20;
inline constexpr size_t kMaxAssigneeTaskBytes = 200;
inline constexpr size_t kMaxCaseBytes = size_t{1} << 20;

// A consent: recipients are municipality codes (Estonia has 79 municipalities).
inline constexpr size_t kMaxRecipients = 79;
inline constexpr size_t kMaxScopes = 4;
inline constexpr size_t kMaxConsentBytes = 64 << 10;

// The directory.
inline constexpr size_t kMaxTopics = 32;
inline constexpr size_t kMaxAgeLevels = 3;
inline constexpr size_t kMaxDirectoryRecordBytes = 64 << 10;

// Requests.
inline constexpr size_t kMaxQueryPeers = 78;     // every other municipality
inline constexpr size_t kMaxInboxAckIds = 1000;  // per AckInbox call
// A page of ListCases is cut at this many bytes (next_page_token gives the rest).
inline constexpr size_t kMaxListPageBytes = 2 << 20;

// Federation.
inline constexpr size_t kMaxFeedEntryBytes = kMaxCaseBytes + (64 << 10);
inline constexpr size_t kPullBatchTargetBytes = 1 << 20;
inline constexpr size_t kPullBatchOverheadBytes = 16 << 10;  // origin, epoch, digest, audit head
inline constexpr int kMaxPullBatchEntries = 500;
// What a receiver accepts in one gRPC message of a pull (gRPC's default receive limit).
inline constexpr size_t kMaxPullMessageBytes = 4 << 20;
static_assert(kMaxFeedEntryBytes + kPullBatchOverheadBytes < kMaxPullMessageBytes);
static_assert(kPullBatchTargetBytes + kPullBatchOverheadBytes < kMaxPullMessageBytes);
// Withdrawal notices handed back to a restored origin in one Pull request (a puller holding
// more sends them in several pulls); the whole request stays within what the federation port
// accepts (64 KiB, daemon/api/node.cc).
inline constexpr size_t kMaxHandbackNotices = 500;
inline constexpr size_t kMaxHandbackBytes = 48 << 10;
// A consent id as it crosses in a withdrawal notice ("<EHAK>-K<number>").
inline constexpr size_t kMaxConsentIdBytes = 64;

// Look-up receipts (issue 11). One receipt: id, case id, asker, purpose (500) and a few
// numbers; a call carries at most kMaxReceiptsPerCall of them, far below the federation
// port's 64 KiB request limit. The outbox of receipts not yet acknowledged by their owners
// holds at most kMaxOutboxReceipts receipts and kMaxOutboxBytes bytes: when full, look-ups
// that would show held copies are refused (RESOURCE_EXHAUSTED) until owners acknowledge.
inline constexpr size_t kMaxReceiptBytes = 1024;
inline constexpr size_t kMaxReceiptsPerCall = 50;
inline constexpr size_t kMaxOutboxReceipts = 100000;
inline constexpr size_t kMaxOutboxBytes = 64 << 20;
// Receipts an owner accepts from one peer per minute (a node held up for a day sends its
// backlog over a few minutes; the sender backs off and retries).
inline constexpr uint32_t kMaxReceiptsPerPeerPerMinute = 1200;
static_assert(kMaxReceiptBytes * kMaxReceiptsPerCall < (64 << 10));

// InvalidArgument "<field>: at most <max> <what> (<found>)" when count > max.
absl::Status CheckCount(size_t count, size_t max, absl::string_view field, absl::string_view what);

// Every repeated field of a case within its maximum, and the whole case within kMaxCaseBytes.
// Run on the case as it would be stored, after a change; the message says "this change would
// make N".
absl::Status CheckCaseLimits(const hop::v1::Case& c);
// retention.closed_case_days (config): 0 keeps closed cases for ever (the default);
// otherwise within [kMinClosedCaseDays, kMaxClosedCaseDays] (casework/retention.h).
inline constexpr uint32_t kMinClosedCaseDays = 30;
inline constexpr uint32_t kMaxClosedCaseDays = 36500;
// casework.former_institution_read_days (config): how long the staff of an institution a case
// left keep read access to what they wrote (issue 13); 0 = the default.
inline constexpr uint32_t kDefaultFormerInstitutionReadDays = 90;
inline constexpr uint32_t kMaxFormerInstitutionReadDays = 3650;

// A change from `before` to `after` of a stored case. As CheckCaseLimits, except that a case
// already beyond a limit (stored before the limits existed) may still be escalated, assigned
// and closed: what is already over is refused only when the change makes it grow (a count), or
// adds more than one text field to an oversized case or grows any of its lists.
absl::Status CheckCaseChange(const hop::v1::Case& before, const hop::v1::Case& after);
// Recipients and scopes of a consent, and its size.
absl::Status CheckConsentLimits(const hop::v1::Consent& c);
// Topics and age levels of a contact, and its size.
absl::Status CheckContactLimits(const hop::v1::Contact& c);
absl::Status CheckInstitutionLimits(const hop::v1::Institution& i);

// A received feed entry: its size (`entry_bytes`, as received) and, for its payload, every
// repeated field and every text field within the limits above. Tombstones carry nothing.
absl::Status CheckReceivedEntryLimits(const hop::v1::FeedEntry& entry, size_t entry_bytes);
// A summary received in a live query answer, by the same rules.
absl::Status CheckSummaryLimits(const hop::v1::CaseSummary& s);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_LIMITS_H_
