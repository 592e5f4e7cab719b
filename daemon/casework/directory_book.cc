#include "daemon/casework/directory_book.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/municipalities.h"

namespace hop::casework {
namespace {

// The stored record with `id`, checked to exist and to be active (NotFound /
// FailedPrecondition naming `field` otherwise).
template <typename T, typename Getter>
absl::Status CheckExists(const std::string& id, absl::string_view field, Getter get) {
  HOP_ASSIGN_OR_RETURN(std::optional<T> existing, get(id));
  if (!existing.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": no entry \"", id, "\" to update; leave the id empty to create one"));
  }
  if (existing->retired_at() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": ", id, " is retired (by ", existing->retired_by(),
                     "); a retired entry does not change: add a new one"));
  }
  return absl::OkStatus();
}

// Retirement is set by Retire* only, never by a Put (`what`: "institution" or "contact").
template <typename T>
absl::Status CheckNotRetiring(const T& entry, absl::string_view what) {
  if (entry.retired_at() == 0 && entry.retired_by().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(what, ".retired_at, ", what,
                                                 ".retired_by: leave them out; use hopctl "
                                                 "directory retire-",
                                                 what, " to retire an entry"));
}

}  // namespace

absl::StatusOr<hop::v1::Institution> DirectoryBook::PutInstitution(const domain::Actor&,
                                                                   hop::v1::Institution i) {
  HOP_RETURN_IF_ERROR(domain::CheckInstitutionLimits(i));
  HOP_RETURN_IF_ERROR(CheckNotRetiring(i, "institution"));
  HOP_ASSIGN_OR_RETURN(*i.mutable_name(), domain::CleanText(i.name(), "institution.name"));
  if (i.kind() == hop::v1::INSTITUTION_KIND_UNSPECIFIED ||
      !hop::v1::InstitutionKind_IsValid(i.kind())) {
    return absl::InvalidArgumentError(
        "institution.kind: required; e.g. kindergarten, school, rajaleidja, social-work");
  }
  if (i.ownership() == hop::v1::OWNERSHIP_UNSPECIFIED ||
      !hop::v1::Ownership_IsValid(i.ownership())) {
    return absl::InvalidArgumentError(
        "institution.ownership: required; one of municipal, private, state");
  }
  if (i.municipality().empty()) i.set_municipality(records_->municipality());
  HOP_RETURN_IF_ERROR(
      domain::ValidateMunicipalityCode(i.municipality(), "institution.municipality"));
  if (i.municipality() != records_->municipality()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "institution.municipality: this node keeps only municipality ", records_->municipality(),
        "'s directory; ", i.municipality(), "'s entries come from its own node"));
  }
  if (!i.id().empty()) {
    HOP_RETURN_IF_ERROR(CheckExists<hop::v1::Institution>(
        i.id(), "institution.id",
        [&](const std::string& id) { return records_->GetInstitution(id); }));
  }
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) {
    if (i.id().empty()) i.set_id(m.NewId(IdKind::kInstitution));
    m.PutInstitution(i);
    return feeds_->InstitutionChanged(m, i);
  }));
  return i;
}

absl::StatusOr<hop::v1::Contact> DirectoryBook::PutContact(const domain::Actor& actor,
                                                           hop::v1::Contact c) {
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> institution,
                       records_->GetInstitution(c.institution_id()));
  if (!institution.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("contact.institution_id: \"", c.institution_id(),
                     "\" is not an institution of this node's directory (add it first)"));
  }
  if (actor.role == hop::v1::ROLE_INSTITUTION_COORDINATOR &&
      c.institution_id() != actor.institution_id) {
    return absl::PermissionDeniedError(absl::StrCat("coordinator ", actor.user_id,
                                                    " may change contacts of institution ",
                                                    actor.institution_id, " only"));
  }
  if (institution->retired_at() != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "contact.institution_id: ", c.institution_id(),
        " is retired; a contact belongs to an active institution (see hopctl directory search)"));
  }
  HOP_RETURN_IF_ERROR(CheckNotRetiring(c, "contact"));
  HOP_RETURN_IF_ERROR(domain::CheckContactLimits(c));
  HOP_ASSIGN_OR_RETURN(*c.mutable_name(), domain::CleanText(c.name(), "contact.name"));
  HOP_ASSIGN_OR_RETURN(*c.mutable_role(), domain::CleanText(c.role(), "contact.role"));
  if (c.phone().empty() && c.email().empty()) {
    return absl::InvalidArgumentError("contact.phone, contact.email: give at least one");
  }
  if (!c.phone().empty()) HOP_RETURN_IF_ERROR(domain::ValidatePhone(c.phone(), "contact.phone"));
  if (!c.email().empty()) HOP_RETURN_IF_ERROR(domain::ValidateEmail(c.email(), "contact.email"));
  for (int i = 0; i < c.age_levels_size(); ++i) {
    if (c.age_levels(i) == hop::v1::LEVEL_UNSPECIFIED || !hop::v1::Level_IsValid(c.age_levels(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("contact.age_levels[", i, "]: one of kindergarten, school, municipality"));
    }
  }
  for (int i = 0; i < c.topics_size(); ++i) {
    HOP_RETURN_IF_ERROR(domain::CountyCodes().CheckNew(domain::CodeKind::kTopic, c.topics(i),
                                                       absl::StrCat("contact.topics[", i, "]")));
  }
  if (!c.id().empty()) {
    HOP_RETURN_IF_ERROR(CheckExists<hop::v1::Contact>(
        c.id(), "contact.id", [&](const std::string& id) { return records_->GetContact(id); }));
  }
  c.set_municipality(institution->municipality());
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) {
    if (c.id().empty()) c.set_id(m.NewId(IdKind::kContact));
    m.PutContact(c);
    return feeds_->ContactChanged(m, c);
  }));
  return c;
}

namespace {

// Whether a contact's topic code matches what was searched (lower case): part of the code or
// of its Estonian or English label ("lastekaitse", "child prot", "child-protection").
bool TopicMatches(const std::string& code, const std::string& searched) {
  if (absl::StrContains(code, searched)) return true;
  const hop::v1::Code* known = domain::CountyCodes().Find(domain::CodeKind::kTopic, code);
  return known != nullptr && (absl::StrContains(absl::AsciiStrToLower(known->et()), searched) ||
                              absl::StrContains(absl::AsciiStrToLower(known->en()), searched));
}

}  // namespace

absl::StatusOr<hop::v1::SearchDirectoryResponse> DirectoryBook::Search(
    const hop::v1::SearchDirectoryRequest& req) const {
  if (!req.municipality().empty()) {
    HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(req.municipality(), "municipality"));
  }
  const std::string role = absl::AsciiStrToLower(req.role());
  const std::string topic = absl::AsciiStrToLower(req.topic());
  const bool contact_filters =
      !role.empty() || !topic.empty() || req.age_level() != hop::v1::LEVEL_UNSPECIFIED;
  hop::v1::SearchDirectoryResponse response;
  std::set<std::string> institutions_of_contacts;
  // Retired entries: this node's own with include_retired only; a peer's never.
  bool own = true;
  auto contact = [&](const hop::v1::Contact& c) {
    if (c.retired_at() != 0 && !(own && req.include_retired())) return;
    if (!req.municipality().empty() && c.municipality() != req.municipality()) return;
    if (!role.empty() && !absl::StrContains(absl::AsciiStrToLower(c.role()), role)) return;
    if (req.age_level() != hop::v1::LEVEL_UNSPECIFIED &&
        std::find(c.age_levels().begin(), c.age_levels().end(), req.age_level()) ==
            c.age_levels().end()) {
      return;
    }
    if (!topic.empty() &&
        std::none_of(c.topics().begin(), c.topics().end(),
                     [&](const std::string& t) { return TopicMatches(t, topic); })) {
      return;
    }
    institutions_of_contacts.insert(c.institution_id());
    *response.add_contacts() = c;
  };
  auto institution = [&](const hop::v1::Institution& i) {
    if (i.retired_at() != 0 && !(own && req.include_retired())) return;
    if (!req.municipality().empty() && i.municipality() != req.municipality()) return;
    if (contact_filters && institutions_of_contacts.count(i.id()) == 0) return;
    *response.add_institutions() = i;
  };
  HOP_RETURN_IF_ERROR(records_->ScanContacts([&](const hop::v1::Contact& c) {
    contact(c);
    return true;
  }));
  own = false;
  if (held_ != nullptr) HOP_RETURN_IF_ERROR(held_->ScanContacts(contact));
  own = true;
  HOP_RETURN_IF_ERROR(records_->ScanInstitutions([&](const hop::v1::Institution& i) {
    institution(i);
    return true;
  }));
  own = false;
  if (held_ != nullptr) HOP_RETURN_IF_ERROR(held_->ScanInstitutions(institution));
  return response;
}

}  // namespace hop::casework
