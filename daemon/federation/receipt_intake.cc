#include "daemon/federation/receipt_intake.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/limits.h"
#include "daemon/federation/query_answerer.h"

namespace hop::federation {
namespace {

constexpr int64_t kClockSkewSeconds = 300;
constexpr int64_t kMaxAgeSeconds = 366 * 86400;
constexpr size_t kMaxCaseIdBytes = 64;

std::string SeenKey(const std::string& peer, const std::string& id) {
  return absl::StrCat("rcpt-in/", peer, "/", id);
}

bool IsReceiptId(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) {
      return false;
    }
  }
  return true;
}

absl::Status CheckFields(const std::string& peer, const hop::v1::LookupReceipt& r, int64_t now) {
  if (r.ByteSizeLong() > domain::kMaxReceiptBytes) {
    return absl::InvalidArgumentError(absl::StrCat("receipt: at most ", domain::kMaxReceiptBytes,
                                                   " bytes (", r.ByteSizeLong(), ")"));
  }
  if (!IsReceiptId(r.id())) {
    return absl::InvalidArgumentError("id: expected 32 lower-case hex digits");
  }
  if (r.case_id().empty() || r.case_id().size() > kMaxCaseIdBytes) {
    return absl::InvalidArgumentError("case_id: expected this node's case id");
  }
  HOP_RETURN_IF_ERROR(CheckAsker(peer, r.asker()));
  HOP_RETURN_IF_ERROR(CheckAskerRole(r.asker_role()));
  if (r.asker_municipality() != peer) {
    return absl::PermissionDeniedError(
        absl::StrCat("asker_municipality: ", absl::CHexEscape(r.asker_municipality().substr(0, 16)),
                     " is not the sending node's municipality ", peer));
  }
  if (r.looked_up_at() > now + kClockSkewSeconds || r.looked_up_at() < now - kMaxAgeSeconds) {
    return absl::InvalidArgumentError(absl::StrCat("looked_up_at: ", r.looked_up_at(),
                                                   " is not within the last year (now ", now, ")"));
  }
  HOP_RETURN_IF_ERROR(domain::ValidatePurpose(r.purpose(), "purpose"));
  if (r.basis() != hop::v1::SHARE_BASIS_CONSENT &&
      r.basis() != hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
    return absl::InvalidArgumentError("basis: expected consent or child protection");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReceiptIntake::Check(const std::string& peer, const hop::v1::LookupReceipt& r,
                                  const std::optional<hop::v1::Case>& c) const {
  HOP_RETURN_IF_ERROR(CheckFields(peer, r, records_->clock().NowUnix()));
  const std::string no_copy =
      absl::StrCat("case ", r.case_id(), ": ", peer, " holds no copy of it from ",
                   records_->municipality(), " and has not held one lately");
  if (!c.has_value()) return absl::NotFoundError(no_copy);
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::FeedEntry> entry,
                       records_->FeedEntryOf(peer, absl::StrCat("case/", c->id())));
  if (!entry.has_value()) return absl::NotFoundError(no_copy);
  hop::v1::ShareBasis basis = r.basis();
  if (!entry->tombstone()) {
    if (!entry->has_case_summary()) return absl::NotFoundError(no_copy);
    basis = entry->case_summary().basis();
  }
  const domain::Actor asker{r.asker(), r.asker_role(), ""};
  if (!domain::CanSeeHeldSummary(asker, basis)) {
    return absl::PermissionDeniedError(
        absl::StrCat("case ", r.case_id(), ": a ", domain::RoleName(r.asker_role()),
                     " cannot see the copy ", peer, " holds (child-protection basis)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ReceiptIntake::Seen(const std::string& peer, const std::string& id) const {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                       records_->store().Get(store::Family::kSyncState, SeenKey(peer, id)));
  return raw.has_value();
}

void ReceiptIntake::Land(store::WriteBatch& batch, const std::string& peer,
                         const hop::v1::LookupReceipt& r, const hop::v1::Case& c,
                         std::vector<hop::v1::AuditEntry>& entries) {
  batch.Put(store::Family::kSyncState, SeenKey(peer, r.id()),
            absl::StrCat(records_->clock().NowUnix()));
  hop::v1::InboxEntry note;
  note.set_case_id(c.id());
  note.set_child_isikukood(c.child().isikukood());
  note.set_asker(r.asker());
  note.set_asker_role(domain::RoleName(r.asker_role()));
  note.set_asker_municipality(peer);
  note.set_purpose(r.purpose());
  note.set_kind("lookup");
  inbox_->Notify(batch, domain::NotifiedOf(c), note);
  hop::v1::AuditEntry e;
  e.set_actor(r.asker());
  e.set_actor_role(domain::RoleName(r.asker_role()));
  e.set_actor_municipality(peer);
  e.set_action("Federation.Receipts: look-up of a held copy");
  e.set_object(
      absl::StrCat("case ", c.id(), ": the copy held at ", peer, " (receipt ", r.id(), ")"));
  e.add_subjects(c.child().isikukood());
  e.set_purpose(r.purpose());
  e.set_outcome("ok");
  e.set_occurred_at(r.looked_up_at());
  e.set_child_protection(r.basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION ||
                         c.child_protection());
  entries.push_back(std::move(e));
}

absl::StatusOr<hop::v1::LookupReceiptAck> ReceiptIntake::Take(
    const std::string& peer, const hop::v1::LookupReceiptBatch& batch) {
  absl::MutexLock lock(&mu_);
  std::vector<hop::v1::AuditEntry> entries;
  auto refusal = [&](const std::string& object, const std::string& reason) {
    hop::v1::AuditEntry e =
        audit::PeerNodeEntry(peer, "Federation.Receipts: look-up receipt", object);
    e.set_outcome(absl::StrCat("refused: ", reason));
    return e;
  };
  absl::Status whole = domain::CheckCount(batch.receipts_size(), domain::kMaxReceiptsPerCall,
                                          "receipts", "receipts per call");
  hop::v1::LookupReceiptAck ack;
  std::set<std::string> taken;  // ids landed by this call
  store::WriteBatch write = records_->store().NewBatch();
  for (int i = 0; whole.ok() && i < batch.receipts_size(); ++i) {
    const hop::v1::LookupReceipt& r = batch.receipts(i);
    if (absl::Status limit = limiter_.Take(peer, absl::StrCat("look-up receipts from ", peer));
        !limit.ok()) {
      if (i == 0) whole = limit;
      break;  // the rest stays unacknowledged: the sender retries
    }
    HOP_ASSIGN_OR_RETURN(bool seen, IsReceiptId(r.id()) ? Seen(peer, r.id()) : false);
    if (seen || taken.count(r.id()) > 0) {
      ack.add_accepted(r.id());
      continue;
    }
    std::optional<hop::v1::Case> c;
    if (!r.case_id().empty() && r.case_id().size() <= kMaxCaseIdBytes) {
      HOP_ASSIGN_OR_RETURN(c, records_->GetCase(r.case_id()));
    }
    if (absl::Status ok = Check(peer, r, c); !ok.ok()) {
      hop::v1::AuditEntry e =
          refusal(absl::StrCat("receipt ", absl::CHexEscape(r.id().substr(0, 40)), " for case ",
                               absl::CHexEscape(r.case_id().substr(0, kMaxCaseIdBytes))),
                  std::string(ok.message()));
      if (c.has_value()) {
        e.add_subjects(c->child().isikukood());
        e.set_child_protection(c->child_protection() ||
                               r.basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION);
      }
      entries.push_back(std::move(e));
      hop::v1::LookupReceiptRefusal* refused = ack.add_refused();
      refused->set_id(r.id().substr(0, 64));
      refused->set_reason(std::string(ok.message()));
      continue;
    }
    Land(write, peer, r, *c, entries);
    taken.insert(r.id());
    ack.add_accepted(r.id());
  }
  if (!whole.ok())
    entries.push_back(refusal("a batch of look-up receipts", std::string(whole.message())));
  if (absl::Status written = audit_->Commit(write, std::move(entries)); !written.ok()) {
    LogError("audit", "cannot write an audit entry", {{"error", std::string(written.message())}});
    return absl::InternalError("the audit trail cannot be written; the node takes no receipts");
  }
  LogInfo("federation", "look-up receipts taken",
          {{"peer", peer},
           {"accepted", absl::StrCat(ack.accepted_size())},
           {"refused", absl::StrCat(ack.refused_size())}});
  if (!whole.ok()) return whole;
  return ack;
}

}  // namespace hop::federation
