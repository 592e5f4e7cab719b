#include "daemon/feed/projection.h"

#include <algorithm>

#include "daemon/domain/code_lists.h"
#include "daemon/domain/consent.h"

namespace hop::feed {
namespace {

// The active consent covering (peer, scope) that lasts longest, or nullptr.
const hop::v1::Consent* BestConsent(const hop::v1::Case& c,
                                    absl::Span<const hop::v1::Consent> consents,
                                    absl::string_view peer, hop::v1::ConsentScope scope,
                                    int64_t now) {
  const hop::v1::Consent* best = nullptr;
  for (const hop::v1::Consent& consent : consents) {
    if (consent.child_isikukood() != c.child().isikukood()) continue;
    if (!domain::ConsentCovers(consent, peer, scope, now)) continue;
    if (best == nullptr || consent.valid_until() > best->valid_until()) best = &consent;
  }
  return best;
}

}  // namespace

bool IsRelatedMunicipality(const hop::v1::Case& c, absl::string_view peer) {
  const hop::v1::RelatedMunicipalities& r = c.related();
  return r.registered_residence() == peer || r.institution_municipality() == peer ||
         std::find(r.actual_residences().begin(), r.actual_residences().end(), peer) !=
             r.actual_residences().end();
}

std::optional<hop::v1::CaseSummary> ProjectCase(const hop::v1::Case& c,
                                                absl::Span<const hop::v1::Consent> consents,
                                                absl::string_view peer, int64_t now,
                                                const hop::v1::ResponsibleContact& responsible) {
  if (c.status() != hop::v1::CASE_OPEN || peer.empty() || peer == c.origin()) {
    return std::nullopt;
  }
  hop::v1::CaseSummary s;
  s.set_case_id(c.id());
  s.set_origin(c.origin());
  s.set_child_isikukood(c.child().isikukood());
  s.set_updated_at(c.updated_at());
  if (c.child_protection()) {
    if (!IsRelatedMunicipality(c, peer)) return std::nullopt;
    s.set_basis(hop::v1::SHARE_BASIS_CHILD_PROTECTION);
    s.set_child_protection(true);
    *s.mutable_responsible() = responsible;
    return s;
  }
  const hop::v1::Consent* summary =
      BestConsent(c, consents, peer, hop::v1::SCOPE_CASE_SUMMARY, now);
  if (summary == nullptr) return std::nullopt;
  s.set_basis(hop::v1::SHARE_BASIS_CONSENT);
  s.set_level(c.level());
  s.set_stage(c.stage());
  for (const std::string& need : c.need_areas()) {
    if (domain::IsCodeShaped(need)) *s.add_need_areas() = need;
  }
  s.set_consent_id(summary->id());
  int64_t expires_at = summary->valid_until();
  if (const hop::v1::Consent* contact =
          BestConsent(c, consents, peer, hop::v1::SCOPE_RESPONSIBLE_CONTACT, now)) {
    *s.mutable_responsible() = responsible;
    expires_at = std::min(expires_at, contact->valid_until());
  }
  if (const hop::v1::Consent* history =
          BestConsent(c, consents, peer, hop::v1::SCOPE_SERVICE_HISTORY, now)) {
    for (const hop::v1::Service& service : c.services()) {
      if (!domain::IsCodeShaped(service.type())) continue;
      hop::v1::ServiceSummary* out = s.add_services();
      out->set_type(service.type());
      if (domain::IsDirectoryIdShaped(service.provider())) out->set_provider(service.provider());
      out->set_municipality(service.municipality());
      out->set_start_date(service.start_date());
      out->set_end_date(service.end_date());
      if (domain::IsCodeShaped(service.outcome())) out->set_outcome(service.outcome());
    }
    expires_at = std::min(expires_at, history->valid_until());
  }
  s.set_expires_at(expires_at);
  return s;
}

}  // namespace hop::feed
