#include "daemon/casework/feed_writer.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/feed/projection.h"
#include "daemon/feed/withdrawal_notice.h"

namespace hop::casework {
namespace {

// The responsible contact of `c` as published for `user` (null: the municipality only).
hop::v1::ResponsibleContact ContactOf(const hop::v1::Case& c, const hop::v1::User* user) {
  hop::v1::ResponsibleContact contact;
  contact.set_municipality(c.origin());
  if (user != nullptr) {
    contact.set_name(user->name());
    contact.set_role(domain::RoleName(user->role()));
    contact.set_phone(user->phone());
    contact.set_email(user->email());
  }
  return contact;
}

}  // namespace

absl::StatusOr<hop::v1::ResponsibleContact> FeedWriter::ResponsibleOf(
    const hop::v1::Case& c) const {
  const std::string& user_id =
      c.responsible_user().empty() ? c.case_manager() : c.responsible_user();
  if (user_id.empty()) return ContactOf(c, nullptr);
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, records_->GetUser(user_id));
  return ContactOf(c, user.has_value() ? &*user : nullptr);
}

absl::Status FeedWriter::CaseChanged(Mutation& m, const hop::v1::Case& c,
                                     absl::Span<const hop::v1::Consent> consents) const {
  if (peers_.empty()) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(hop::v1::ResponsibleContact responsible, ResponsibleOf(c));
  return Project(m, c, consents, responsible);
}

absl::Status FeedWriter::Project(Mutation& m, const hop::v1::Case& c,
                                 absl::Span<const hop::v1::Consent> consents,
                                 const hop::v1::ResponsibleContact& responsible) const {
  for (const std::string& peer : peers_) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(absl::StrCat("case/", c.id()));
    std::optional<hop::v1::CaseSummary> summary =
        feed::ProjectCase(c, consents, peer, m.now(), responsible);
    if (summary.has_value()) {
      *entry.mutable_case_summary() = *std::move(summary);
    } else {
      entry.set_tombstone(true);
    }
    HOP_RETURN_IF_ERROR(m.PutFeed(peer, std::move(entry)));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> FeedWriter::UserChanged(Mutation& m, const hop::v1::User& u) const {
  if (peers_.empty()) return 0;
  std::vector<hop::v1::Case> cases;
  HOP_RETURN_IF_ERROR(records_->ScanCases("", [&](const hop::v1::Case& c) {
    const std::string& published =
        c.responsible_user().empty() ? c.case_manager() : c.responsible_user();
    if (c.status() == hop::v1::CASE_OPEN && published == u.user_id()) cases.push_back(c);
    return true;
  }));
  for (const hop::v1::Case& c : cases) {
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                         records_->ConsentsOfChild(c.child().isikukood()));
    HOP_RETURN_IF_ERROR(Project(m, c, consents, ContactOf(c, &u)));
  }
  return static_cast<int>(cases.size());
}

absl::Status FeedWriter::CaseChanged(Mutation& m, const hop::v1::Case& c) const {
  if (peers_.empty()) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                       records_->ConsentsOfChild(c.child().isikukood()));
  return CaseChanged(m, c, consents);
}

absl::Status FeedWriter::ConsentsChanged(Mutation& m, const std::string& child,
                                         absl::Span<const hop::v1::Consent> consents) const {
  if (peers_.empty()) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Case> cases, records_->CasesOfChild(child));
  for (const hop::v1::Case& c : cases) HOP_RETURN_IF_ERROR(CaseChanged(m, c, consents));
  return absl::OkStatus();
}

absl::Status FeedWriter::ConsentNotices(Mutation& m, const hop::v1::Consent& c) const {
  if (secret_ == nullptr) return absl::OkStatus();
  for (const std::string& peer : peers_) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(feed::WithdrawalRecordKey(c.id()));
    if (feed::NoticeNeeded(c, peer, m.now())) {
      *entry.mutable_withdrawal_notice() =
          feed::MakeWithdrawalNotice(*secret_, records_->municipality(), peer, c);
    } else {
      entry.set_tombstone(true);  // nothing is written where the peer holds no notice
    }
    HOP_RETURN_IF_ERROR(m.PutFeed(peer, std::move(entry)));
  }
  return absl::OkStatus();
}

absl::Status FeedWriter::InstitutionChanged(Mutation& m, const hop::v1::Institution& i) const {
  for (const std::string& peer : peers_) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(absl::StrCat("institution/", i.id()));
    if (i.retired_at() != 0) {
      entry.set_tombstone(true);
    } else {
      *entry.mutable_institution() = i;
    }
    HOP_RETURN_IF_ERROR(m.PutFeed(peer, std::move(entry)));
  }
  return absl::OkStatus();
}

absl::Status FeedWriter::ContactChanged(Mutation& m, const hop::v1::Contact& c) const {
  for (const std::string& peer : peers_) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(absl::StrCat("contact/", c.id()));
    if (c.retired_at() != 0) {
      entry.set_tombstone(true);
    } else {
      *entry.mutable_contact() = c;
    }
    HOP_RETURN_IF_ERROR(m.PutFeed(peer, std::move(entry)));
  }
  return absl::OkStatus();
}

}  // namespace hop::casework
