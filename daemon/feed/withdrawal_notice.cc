#include "daemon/feed/withdrawal_notice.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/limits.h"

namespace hop::feed {
namespace {

constexpr size_t kTokenBytes = 32;  // NodeSecret::Mac: HMAC-SHA256

// What the token covers; fields separated by NUL (none of them can hold one: the checked
// shape allows digits, letters and '-' only).
std::string TokenMessage(absl::string_view origin, absl::string_view recipient,
                         const hop::v1::WithdrawalNotice& n) {
  return absl::StrCat(origin, std::string(1, '\0'), recipient, std::string(1, '\0'), n.consent_id(),
                      std::string(1, '\0'), n.withdrawn_at(), std::string(1, '\0'), n.expires_at());
}

}  // namespace

std::string WithdrawalRecordKey(absl::string_view consent_id) {
  return absl::StrCat(kWithdrawalRecordPrefix, consent_id);
}

bool NoticeNeeded(const hop::v1::Consent& c, absl::string_view recipient, int64_t now) {
  if (c.withdrawn_at() == 0 || c.valid_until() <= now) return false;
  return std::find(c.recipients().begin(), c.recipients().end(), recipient) != c.recipients().end();
}

hop::v1::WithdrawalNotice MakeWithdrawalNotice(const security::NodeSecret& secret,
                                               absl::string_view origin,
                                               absl::string_view recipient,
                                               const hop::v1::Consent& c) {
  hop::v1::WithdrawalNotice n;
  n.set_consent_id(c.id());
  n.set_withdrawn_at(c.withdrawn_at());
  n.set_expires_at(c.valid_until());
  n.set_token(secret.Mac(kWithdrawalNoticeDomain, TokenMessage(origin, recipient, n)));
  return n;
}

absl::Status CheckNoticeShape(absl::string_view origin, absl::string_view record_key,
                              const hop::v1::WithdrawalNotice& n) {
  const std::string& id = n.consent_id();
  if (id.size() > domain::kMaxConsentIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat("withdrawal_notice.consent_id: at most ",
                                                   domain::kMaxConsentIdBytes, " bytes (",
                                                   id.size(), ")"));
  }
  const std::string prefix = absl::StrCat(origin, "-K");
  if (!absl::StartsWith(id, prefix)) {
    return absl::PermissionDeniedError(
        absl::StrCat("withdrawal_notice.consent_id: not a consent of ", origin));
  }
  const absl::string_view number = absl::string_view(id).substr(prefix.size());
  if (number.empty() || !std::all_of(number.begin(), number.end(), absl::ascii_isdigit)) {
    return absl::InvalidArgumentError("withdrawal_notice.consent_id: must be \"<EHAK>-K<digits>\"");
  }
  if (record_key != WithdrawalRecordKey(id)) {
    return absl::InvalidArgumentError(
        "record_key: a withdrawal notice must be filed as \"withdrawal/<consent_id>\"");
  }
  if (n.withdrawn_at() <= 0) {
    return absl::InvalidArgumentError("withdrawal_notice.withdrawn_at: must be set");
  }
  if (n.expires_at() <= 0) {
    return absl::InvalidArgumentError("withdrawal_notice.expires_at: must be set");
  }
  if (n.token().size() != kTokenBytes) {
    return absl::InvalidArgumentError(absl::StrCat("withdrawal_notice.token: must be ", kTokenBytes,
                                                   " bytes (", n.token().size(), ")"));
  }
  return absl::OkStatus();
}

absl::Status VerifyHandedBack(const security::NodeSecret& secret, absl::string_view origin,
                              absl::string_view recipient, const hop::v1::WithdrawalNotice& n) {
  HOP_RETURN_IF_ERROR(CheckNoticeShape(origin, WithdrawalRecordKey(n.consent_id()), n));
  if (!secret.Verify(kWithdrawalNoticeDomain, TokenMessage(origin, recipient, n), n.token())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "withdrawal notice for consent ", n.consent_id(),
        ": the token does not match (not made by ", origin, " for ", recipient, ", or altered)"));
  }
  return absl::OkStatus();
}

absl::Status CheckHandbackLimits(const hop::v1::WithdrawalHandback& h) {
  HOP_RETURN_IF_ERROR(domain::CheckCount(h.notices_size(), domain::kMaxHandbackNotices,
                                         "withdrawals.notices", "withdrawal notices per pull"));
  size_t bytes = 0;
  for (const hop::v1::WithdrawalNotice& n : h.notices()) bytes += n.ByteSizeLong();
  if (bytes > domain::kMaxHandbackBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "withdrawals.notices: at most ", domain::kMaxHandbackBytes,
        " bytes of withdrawal notices per pull (", bytes, "); send the rest with more"));
  }
  return absl::OkStatus();
}

}  // namespace hop::feed
