// DirectoryBook, issue 13: retiring institutions and contact persons (contracts in
// directory_book.h). The feed writer turns a retired entry into a tombstone for every peer.
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/directory_book.h"
#include "daemon/domain/fields.h"

namespace hop::casework {
namespace {

// What still hangs on an institution: its active contacts, open cases and bound users.
struct Dependants {
  int contacts = 0;
  int open_cases = 0;
  std::vector<std::string> users;
};

absl::StatusOr<Dependants> DependantsOf(const RecordStore& records, const std::string& id) {
  Dependants d;
  HOP_RETURN_IF_ERROR(records.ScanContacts([&](const hop::v1::Contact& c) {
    d.contacts += c.institution_id() == id && c.retired_at() == 0;
    return true;
  }));
  HOP_RETURN_IF_ERROR(records.ScanCases("", [&](const hop::v1::Case& c) {
    d.open_cases += c.institution_id() == id && c.status() == hop::v1::CASE_OPEN;
    return true;
  }));
  HOP_RETURN_IF_ERROR(records.ScanUsers([&](const hop::v1::User& u) {
    if (u.institution_id() == id) d.users.push_back(u.user_id());
    return true;
  }));
  return d;
}

// FailedPrecondition naming what is left to do before `id` can retire, or OK.
absl::Status CheckNothingLeft(const Dependants& d, const std::string& id) {
  std::vector<std::string> left;
  if (d.contacts > 0) {
    left.push_back(absl::StrCat(d.contacts, " active contact(s): retire them first (hopctl ",
                                "directory search --municipality, then directory retire-contact)"));
  }
  if (d.open_cases > 0) {
    left.push_back(absl::StrCat(d.open_cases,
                                " open case(s): move them to the child's new institution or "
                                "close them first (hopctl case list --institution ",
                                id, ")"));
  }
  if (!d.users.empty()) {
    left.push_back(absl::StrCat(d.users.size(), " user(s) bound to it (",
                                absl::StrJoin(d.users, ", "),
                                "): move them first (hopctl user update USER --institution ID)"));
  }
  if (left.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "institution ", id, " still has ", absl::StrJoin(left, "; "), "; nothing changed"));
}

template <typename T>
absl::Status CheckActive(const std::optional<T>& entry, const std::string& id,
                         absl::string_view field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (!entry.has_value()) {
    return absl::NotFoundError(absl::StrCat(field, ": no entry \"", id,
                                            "\" in this node's own directory (a peer's entry is "
                                            "retired at its own node)"));
  }
  if (entry->retired_at() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": ", id, " is retired already (by ", entry->retired_by(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<hop::v1::Institution> DirectoryBook::RetireInstitution(
    const domain::Actor& actor, const hop::v1::RetireInstitutionRequest& req) {
  HOP_RETURN_IF_ERROR(domain::CleanText(req.reason(), "reason", domain::kText).status());
  hop::v1::Institution i;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> found,
                         records_->GetInstitution(req.institution_id()));
    HOP_RETURN_IF_ERROR(CheckActive(found, req.institution_id(), "institution_id"));
    HOP_ASSIGN_OR_RETURN(const Dependants dependants, DependantsOf(*records_, found->id()));
    HOP_RETURN_IF_ERROR(CheckNothingLeft(dependants, found->id()));
    i = *std::move(found);
    i.set_retired_at(m.now());
    i.set_retired_by(actor.user_id);
    m.PutInstitution(i);
    return feeds_->InstitutionChanged(m, i);
  }));
  return i;
}

absl::StatusOr<hop::v1::Contact> DirectoryBook::RetireContact(
    const domain::Actor& actor, const hop::v1::RetireContactRequest& req) {
  HOP_RETURN_IF_ERROR(domain::CleanText(req.reason(), "reason", domain::kText).status());
  hop::v1::Contact c;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Contact> found,
                         records_->GetContact(req.contact_id()));
    HOP_RETURN_IF_ERROR(CheckActive(found, req.contact_id(), "contact_id"));
    if (actor.role == hop::v1::ROLE_INSTITUTION_COORDINATOR &&
        found->institution_id() != actor.institution_id) {
      return absl::PermissionDeniedError(absl::StrCat("coordinator ", actor.user_id,
                                                      " may retire contacts of institution ",
                                                      actor.institution_id, " only"));
    }
    c = *std::move(found);
    c.set_retired_at(m.now());
    c.set_retired_by(actor.user_id);
    m.PutContact(c);
    return feeds_->ContactChanged(m, c);
  }));
  return c;
}

}  // namespace hop::casework
