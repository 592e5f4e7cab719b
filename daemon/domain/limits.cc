#include "daemon/domain/limits.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/municipalities.h"

namespace hop::domain {
namespace {

absl::Status CheckBytes(size_t bytes, size_t max, absl::string_view what) {
  if (bytes <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(what, ": at most ", max, " bytes (", bytes,
                                                 "); split it or remove old entries"));
}

// A received text field: within kMaxTextBytes, valid UTF-8, no control or bidirectional
// formatting character, already NFC (fields.h ValidateReceivedText); `index` >= 0 names an
// element of a list. The indexed name is built only for the message of a refusal.
absl::Status Text(const std::string& value, absl::string_view field, int index = -1) {
  absl::Status ok = ValidateReceivedText(value, field);
  if (ok.ok() || index < 0) return ok;
  return ValidateReceivedText(value, absl::StrCat(field, "[", index, "]"));
}

// A received code (need area, service type, outcome, topic): code-shaped, whatever the list
// version (code_lists.h IsCodeShaped): free text never crosses.
absl::Status Code(const std::string& value, absl::string_view field, int index = -1) {
  if (IsCodeShaped(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, index >= 0 ? absl::StrCat("[", index, "]") : "",
                   ": not a code of the county list (free text never crosses)"));
}

absl::Status CheckSummaryTexts(const hop::v1::CaseSummary& s) {
  HOP_RETURN_IF_ERROR(Text(s.case_id(), "case_summary.case_id"));
  HOP_RETURN_IF_ERROR(Text(s.origin(), "case_summary.origin"));
  HOP_RETURN_IF_ERROR(Text(s.child_isikukood(), "case_summary.child_isikukood"));
  HOP_RETURN_IF_ERROR(Text(s.consent_id(), "case_summary.consent_id"));
  for (int i = 0; i < s.need_areas_size(); ++i) {
    HOP_RETURN_IF_ERROR(Code(s.need_areas(i), "case_summary.need_areas", i));
  }
  for (int i = 0; i < s.services_size(); ++i) {
    const hop::v1::ServiceSummary& v = s.services(i);
    const std::string at = absl::StrCat("case_summary.services[", i, "].");
    HOP_RETURN_IF_ERROR(Code(v.type(), absl::StrCat(at, "type")));
    if (!v.outcome().empty()) HOP_RETURN_IF_ERROR(Code(v.outcome(), absl::StrCat(at, "outcome")));
    if (!v.provider().empty() && !IsDirectoryIdShaped(v.provider())) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "provider: not a directory institution id (free text never crosses)"));
    }
    HOP_RETURN_IF_ERROR(
        ValidateMunicipalityCode(v.municipality(), absl::StrCat(at, "municipality")));
    HOP_RETURN_IF_ERROR(ValidatePeriod(v.start_date(), v.end_date(), at.substr(0, at.size() - 1)));
  }
  const hop::v1::ResponsibleContact& r = s.responsible();
  for (const auto& [value, name] : {std::pair{&r.name(), "name"},
                                    {&r.role(), "role"},
                                    {&r.municipality(), "municipality"},
                                    {&r.phone(), "phone"},
                                    {&r.email(), "email"}}) {
    HOP_RETURN_IF_ERROR(Text(*value, absl::StrCat("case_summary.responsible.", name)));
  }
  return absl::OkStatus();
}

absl::Status CheckInstitutionTexts(const hop::v1::Institution& i) {
  HOP_RETURN_IF_ERROR(Text(i.id(), "institution.id"));
  HOP_RETURN_IF_ERROR(Text(i.name(), "institution.name"));
  return Text(i.municipality(), "institution.municipality");
}

absl::Status CheckContactTexts(const hop::v1::Contact& c) {
  for (const auto& [value, name] : {std::pair{&c.id(), "contact.id"},
                                    {&c.institution_id(), "contact.institution_id"},
                                    {&c.name(), "contact.name"},
                                    {&c.role(), "contact.role"},
                                    {&c.phone(), "contact.phone"},
                                    {&c.email(), "contact.email"},
                                    {&c.municipality(), "contact.municipality"}}) {
    HOP_RETURN_IF_ERROR(Text(*value, name));
  }
  for (int i = 0; i < c.topics_size(); ++i) {
    HOP_RETURN_IF_ERROR(Code(c.topics(i), "contact.topics", i));
  }
  return absl::OkStatus();
}

absl::Status CheckChange(size_t count, size_t max, absl::string_view field,
                         absl::string_view what) {
  if (count <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": at most ", max, " ", what, " (this change would make ", count, ")"));
}

}  // namespace

absl::Status CheckCount(size_t count, size_t max, absl::string_view field, absl::string_view what) {
  if (count <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": at most ", max, " ", what, " (", count, " given)"));
}

absl::Status CheckCaseLimits(const hop::v1::Case& c) {
  // A new case is a change from nothing.
  return CheckCaseChange(hop::v1::Case(), c);
}

absl::Status CheckCaseChange(const hop::v1::Case& before, const hop::v1::Case& after) {
  struct Count {
    int before, after;
    size_t max;
    const char* field;
    const char* what;
  };
  const Count counts[] = {
      {before.need_areas_size(), after.need_areas_size(), kMaxNeedAreas, "need_areas",
       "need areas per case"},
      {before.action_plan_size(), after.action_plan_size(), kMaxActionItems, "action_plan",
       "action items per case"},
      {before.services_size(), after.services_size(), kMaxServices, "services",
       "services per case"},
      {before.assessments_size(), after.assessments_size(), kMaxAssessments, "assessments",
       "assessments per case"},
      {before.notes_size(), after.notes_size(), kMaxNotes, "notes", "notes per case"},
      {before.history_size(), after.history_size(), kMaxStageChanges, "history",
       "history entries per case"},
      {before.related().actual_residences_size(), after.related().actual_residences_size(),
       kMaxActualResidences, "related.actual_residences", "municipalities"},
      {before.assignees_size(), after.assignees_size(), kMaxAssignees, "assignees",
       "assignees per case"},
      {before.former_institutions_size(), after.former_institutions_size(), kMaxFormerInstitutions,
       "former_institutions",
       "institutions left within their read period; wait until the oldest period ends"},
  };
  bool lists_grew = false;
  for (const Count& n : counts) {
    if (n.after > n.before && std::string_view(n.field) != "history") lists_grew = true;
    if (n.after > n.before) HOP_RETURN_IF_ERROR(CheckChange(n.after, n.max, n.field, n.what));
  }
  const size_t was = before.ByteSizeLong();
  const size_t bytes = after.ByteSizeLong();
  if (bytes <= kMaxCaseBytes) return absl::OkStatus();
  if (was <= kMaxCaseBytes || lists_grew || bytes > was + kMaxTextBytes + 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case: at most ", kMaxCaseBytes, " bytes per case (this change would make ", bytes,
        "); keep long texts in the institution's own system and refer to them"));
  }
  return absl::OkStatus();  // an oversized case from before the limits, not grown
}

absl::Status CheckConsentLimits(const hop::v1::Consent& c) {
  HOP_RETURN_IF_ERROR(
      CheckCount(c.recipients_size(), kMaxRecipients, "recipients", "municipalities"));
  HOP_RETURN_IF_ERROR(CheckCount(c.scopes_size(), kMaxScopes, "scopes", "scopes"));
  return CheckBytes(c.ByteSizeLong(), kMaxConsentBytes, "consent");
}

absl::Status CheckContactLimits(const hop::v1::Contact& c) {
  HOP_RETURN_IF_ERROR(CheckCount(c.topics_size(), kMaxTopics, "contact.topics", "topics"));
  HOP_RETURN_IF_ERROR(
      CheckCount(c.age_levels_size(), kMaxAgeLevels, "contact.age_levels", "age levels"));
  return CheckBytes(c.ByteSizeLong(), kMaxDirectoryRecordBytes, "contact");
}

absl::Status CheckInstitutionLimits(const hop::v1::Institution& i) {
  return CheckBytes(i.ByteSizeLong(), kMaxDirectoryRecordBytes, "institution");
}

absl::Status CheckSummaryLimits(const hop::v1::CaseSummary& s) {
  HOP_RETURN_IF_ERROR(
      CheckCount(s.need_areas_size(), kMaxNeedAreas, "case_summary.need_areas", "need areas"));
  HOP_RETURN_IF_ERROR(
      CheckCount(s.services_size(), kMaxServices, "case_summary.services", "services"));
  return CheckSummaryTexts(s);
}

absl::Status CheckReceivedEntryLimits(const hop::v1::FeedEntry& entry, size_t entry_bytes) {
  HOP_RETURN_IF_ERROR(CheckBytes(entry_bytes, kMaxFeedEntryBytes, "entry"));
  HOP_RETURN_IF_ERROR(CheckBytes(entry.record_key().size(), kMaxTextBytes, "record_key"));
  switch (entry.payload_case()) {
    case hop::v1::FeedEntry::kCaseSummary:
      return CheckSummaryLimits(entry.case_summary());
    case hop::v1::FeedEntry::kInstitution:
      return CheckInstitutionTexts(entry.institution());
    case hop::v1::FeedEntry::kContact:
      HOP_RETURN_IF_ERROR(
          CheckCount(entry.contact().topics_size(), kMaxTopics, "contact.topics", "topics"));
      HOP_RETURN_IF_ERROR(CheckCount(entry.contact().age_levels_size(), kMaxAgeLevels,
                                     "contact.age_levels", "age levels"));
      return CheckContactTexts(entry.contact());
    default:
      return absl::OkStatus();
  }
}

}  // namespace hop::domain
