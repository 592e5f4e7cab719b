#include "daemon/federation/query_answerer.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/federation/federation_service.h"
#include "daemon/security/identity.h"

namespace hop::federation {
namespace {

// Longest asker identity accepted (a SPIFFE id is far shorter).
constexpr size_t kMaxAskerBytes = 256;

}  // namespace

absl::Status CheckAsker(const std::string& peer, const std::string& asker) {
  if (asker.empty() || asker.size() > kMaxAskerBytes) {
    return absl::InvalidArgumentError(
        "asker: expected the asking staff member's certificate identity (at most 256 bytes)");
  }
  absl::StatusOr<security::Principal> who = security::ParseSpiffeId(asker);
  if (!who.ok() || who->kind != security::PrincipalKind::kStaff || who->municipality != peer) {
    return absl::PermissionDeniedError(absl::StrCat(
        "asker: ", absl::CHexEscape(asker.substr(0, 80)), " is not a staff identity of ", peer,
        " (", security::StaffSpiffeId(peer, "<user-id>"),
        "); a node may ask only for its own staff"));
  }
  return absl::OkStatus();
}

absl::Status CheckAskerRole(hop::v1::Role role) {
  if (role == hop::v1::ROLE_CASE_MANAGER || role == hop::v1::ROLE_CHILD_PROTECTION) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("asker_role: ", domain::RoleName(role),
                   " may not ask other municipalities; only case managers and child-protection "
                   "specialists may"));
}

namespace {

absl::Status ValidateQuery(const std::string& peer, const hop::v1::ChildQuery& q) {
  HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(q.child_isikukood(), "child_isikukood"));
  HOP_RETURN_IF_ERROR(domain::ValidatePurpose(q.purpose(), "purpose"));
  HOP_RETURN_IF_ERROR(CheckAsker(peer, q.asker()));
  return CheckAskerRole(q.asker_role());
}

}  // namespace

hop::v1::AuditEntry QueryAnswerer::EntryFor(const std::string& peer,
                                            const hop::v1::ChildQuery& query) const {
  hop::v1::AuditEntry entry;
  if (CheckAsker(peer, query.asker()).ok()) {
    entry.set_actor(query.asker());
    entry.set_actor_role(domain::RoleName(query.asker_role()));
    entry.set_object(absl::StrCat("question from ", peer));
  } else {
    // Never record an identity the asking node may not vouch for as the actor.
    entry.set_actor(security::NodeSpiffeId(peer));
    entry.set_actor_role("peer-node");
    entry.set_object(absl::StrCat("question from ", peer, " naming an unverified asker \"",
                                  absl::CHexEscape(query.asker().substr(0, 80)), "\""));
  }
  entry.set_actor_municipality(peer);
  entry.set_action("Federation.Query: answered");
  entry.set_purpose(query.purpose().substr(0, domain::kMaxPurposeBytes));
  if (domain::ValidateIsikukood(query.child_isikukood()).ok()) {
    entry.add_subjects(query.child_isikukood());
  }
  return entry;
}

absl::Status QueryAnswerer::CheckPeerInThisEpoch(const std::string& peer) const {
  const hop::v1::FeedProgress progress = FederationService::Progress(records_->store(), peer);
  if (progress.epoch().empty() || progress.epoch() == records_->epoch()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "node ", records_->municipality(), " was restored from a backup and answers ", peer,
      "'s questions again once ", peer,
      " has synced with it (its sync hands back the withdrawals made since the backup); run "
      "hopctl sync --peer ",
      records_->municipality(), " at ", peer, " and ask again"));
}

absl::StatusOr<hop::v1::ChildQueryAnswer> QueryAnswerer::Decide(const std::string& peer,
                                                                const hop::v1::ChildQuery& query,
                                                                std::vector<hop::v1::Case>& cases) {
  HOP_RETURN_IF_ERROR(limiter_.Take(peer, absl::StrCat("queries from ", peer)));
  HOP_RETURN_IF_ERROR(ValidateQuery(peer, query));
  HOP_RETURN_IF_ERROR(CheckPeerInThisEpoch(peer));
  if (absl::Status swept = sweep_(); !swept.ok()) {
    LogWarning("federation", "consent expiry sweep failed",
               {{"error", std::string(swept.message())}});
  }
  hop::v1::ChildQueryAnswer answer;
  answer.set_origin(records_->municipality());
  HOP_ASSIGN_OR_RETURN(cases, records_->CasesOfChild(query.child_isikukood()));
  const domain::Actor asker{query.asker(), query.asker_role(), ""};
  const int64_t now = records_->clock().NowUnix();
  for (const hop::v1::Case& c : cases) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::FeedEntry> entry,
                         records_->FeedEntryOf(peer, absl::StrCat("case/", c.id())));
    if (!entry.has_value() || entry->tombstone() || !entry->has_case_summary()) continue;
    const hop::v1::CaseSummary& s = entry->case_summary();
    if (s.expires_at() != 0 && s.expires_at() <= now) continue;  // the sweep is due any moment
    if (!domain::CanSeeHeldSummary(asker, s.basis())) continue;
    *answer.add_summaries() = s;
  }
  return answer;
}

absl::StatusOr<hop::v1::ChildQueryAnswer> QueryAnswerer::Answer(const std::string& peer,
                                                                const hop::v1::ChildQuery& query) {
  std::vector<hop::v1::Case> cases;
  absl::StatusOr<hop::v1::ChildQueryAnswer> answer = Decide(peer, query, cases);
  hop::v1::AuditEntry entry = EntryFor(peer, query);
  store::WriteBatch batch = records_->store().NewBatch();
  if (cases.empty()) {
    // A question leaves nothing where there is nothing (issue 11): who asked, from where and
    // when, under the child's pseudonym (AuditLog::Commit); not the asker's purpose.
    entry.clear_purpose();
  }
  if (!answer.ok()) {
    entry.set_outcome(absl::StrCat("refused: ", answer.status().message()));
  } else if (cases.empty()) {
    entry.set_outcome("ok; no case of the child here");
  } else {
    for (const hop::v1::CaseSummary& s : answer->summaries()) {
      if (s.basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION) entry.set_child_protection(true);
    }
    entry.set_outcome(answer->summaries_size() == 0
                          ? "ok; nothing visible to the asker"
                          : absl::StrCat("ok; ", answer->summaries_size(), " summaries shared"));
    hop::v1::InboxEntry note;
    note.set_child_isikukood(query.child_isikukood());
    note.set_asker(query.asker());
    note.set_asker_role(domain::RoleName(query.asker_role()));
    note.set_asker_municipality(peer);
    note.set_purpose(query.purpose());
    note.set_kind("query");
    for (const hop::v1::Case& c : cases) {
      note.set_case_id(c.id());
      inbox_->Notify(batch, domain::NotifiedOf(c), note);
    }
  }
  if (absl::Status written = audit_->Commit(batch, {std::move(entry)}); !written.ok()) {
    LogError("audit", "cannot write an audit entry", {{"error", std::string(written.message())}});
    return absl::InternalError("the audit trail cannot be written; the node refuses to answer");
  }
  if (!answer.ok()) {
    LogWarning("federation", "query refused",
               {{"peer", peer}, {"code", absl::StatusCodeToString(answer.status().code())}});
  }
  return answer;
}

}  // namespace hop::federation
