// CaseBook: loading a case and what a read-limited reader gets of it (issue 13; access.h).
#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/case_book.h"

namespace hop::casework {

using hop::v1::Case;

absl::StatusOr<Case> CaseBook::Load(const std::string& case_id) const {
  HOP_ASSIGN_OR_RETURN(std::optional<Case> c, records_->GetCase(case_id));
  if (!c.has_value()) {
    return absl::NotFoundError(absl::StrCat("case_id: no case \"", case_id, "\" at this node"));
  }
  return *std::move(c);
}

absl::StatusOr<Case> CaseBook::ForReader(const domain::Actor& actor, Case c, int64_t now) const {
  HOP_RETURN_IF_ERROR(domain::CheckCaseAccess(actor, c, now, domain::CaseAccess::kReadLimited));
  if (domain::AccessTo(actor, c, now) == domain::CaseAccess::kFull) return c;
  domain::UserInstitutions institution_of;
  for (const std::string& user_id : domain::EntryAuthors(c)) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, records_->GetUser(user_id));
    if (user.has_value()) institution_of[user_id] = user->institution_id();
  }
  return domain::RedactForReader(c, actor, now, institution_of);
}

}  // namespace hop::casework
