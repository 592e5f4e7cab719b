// Withdrawal notices (README "Withdrawals stay final"): when a consent is withdrawn, its
// origin writes a hop.v1.WithdrawalNotice into the feed of every peer the consent named
// (record_key "withdrawal/<consent id>"). A peer keeps it until the origin tombstones it (at
// the consent's valid_until) and hands it back when the origin asks after a restore; the
// origin then withdraws the consent again if its restored store has it active.
//
// A notice carries the consent id (an origin-local counter, "<EHAK>-K000042": nothing of the
// child, guardian or purpose), the withdrawal time, its own expiry and a token: the origin's
// NodeSecret::Mac over origin, recipient and those fields. The secret lives outside the data
// directory and backups, so a restored origin checks tokens it made before the backup; the
// recipient is bound in, so a peer cannot hand back a notice made for another peer.
//
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_FEED_WITHDRAWAL_NOTICE_H_
#define HOP_DAEMON_FEED_WITHDRAWAL_NOTICE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "daemon/security/node_secret.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::feed {

inline constexpr char kWithdrawalRecordPrefix[] = "withdrawal/";
// The MAC domain of notice tokens.
inline constexpr char kWithdrawalNoticeDomain[] = "hop withdrawal notice v1";

// "withdrawal/<consent_id>".
std::string WithdrawalRecordKey(absl::string_view consent_id);

// Whether `recipient` needs a notice of consent `c` at `now`: `c` is withdrawn, names
// `recipient` and could still count (valid_until after `now`). A notice no longer needed is
// tombstoned.
bool NoticeNeeded(const hop::v1::Consent& c, absl::string_view recipient, int64_t now);

// The notice of withdrawn consent `c` for `recipient`, with `origin`'s token.
hop::v1::WithdrawalNotice MakeWithdrawalNotice(const security::NodeSecret& secret,
                                               absl::string_view origin,
                                               absl::string_view recipient,
                                               const hop::v1::Consent& c);

// The shape of a notice received from `origin` under `record_key` (the receiver cannot check
// the token): record_key is "withdrawal/<consent_id>", consent_id is "<origin>-K<digits>"
// within kMaxConsentIdBytes, withdrawn_at and expires_at are set, the token is 32 bytes.
// InvalidArgument naming the field otherwise (PermissionDenied for another origin's consent).
absl::Status CheckNoticeShape(absl::string_view origin, absl::string_view record_key,
                              const hop::v1::WithdrawalNotice& n);

// Whether `n`, handed back by `recipient`, is a notice `origin` (this node, holding `secret`)
// made for that recipient: its shape (as CheckNoticeShape) and its token. PermissionDenied
// "the token ... does not match" for a forged or altered notice or one made for another peer.
absl::Status VerifyHandedBack(const security::NodeSecret& secret, absl::string_view origin,
                              absl::string_view recipient, const hop::v1::WithdrawalNotice& n);

// The count and bytes of a handback within domain::kMaxHandbackNotices / kMaxHandbackBytes
// (bytes: the notices' serialized size); InvalidArgument naming the field and the limit.
absl::Status CheckHandbackLimits(const hop::v1::WithdrawalHandback& h);

}  // namespace hop::feed

#endif  // HOP_DAEMON_FEED_WITHDRAWAL_NOTICE_H_
