#include "daemon/domain/limits.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace hop::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status CheckBytes(size_t bytes, size_t max, absl::string_view what) {
  if (bytes <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(what, ": at most ", max, " bytes (", bytes,
                                                 "); split it or remove old entries"));
}

// Every string field of `m`, at any depth, within kMaxTextBytes; the message names the field
// by its path, e.g. "case_summary.services[3].provider".
absl::Status CheckStringSizes(const Message& m, const std::string& path) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string name = path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string at = f->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
      if (f->type() == FieldDescriptor::TYPE_STRING || f->type() == FieldDescriptor::TYPE_BYTES) {
        std::string scratch;
        const std::string& value = f->is_repeated()
                                       ? r->GetRepeatedStringReference(m, f, i, &scratch)
                                       : r->GetStringReference(m, f, &scratch);
        HOP_RETURN_IF_ERROR(CheckBytes(value.size(), kMaxTextBytes, at));
      } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
        HOP_RETURN_IF_ERROR(CheckStringSizes(
            f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f), at));
      }
    }
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
  HOP_RETURN_IF_ERROR(
      CheckChange(c.need_areas_size(), kMaxNeedAreas, "need_areas", "need areas per case"));
  HOP_RETURN_IF_ERROR(
      CheckChange(c.action_plan_size(), kMaxActionItems, "action_plan", "action items per case"));
  HOP_RETURN_IF_ERROR(
      CheckChange(c.services_size(), kMaxServices, "services", "services per case"));
  HOP_RETURN_IF_ERROR(
      CheckChange(c.assessments_size(), kMaxAssessments, "assessments", "assessments per case"));
  HOP_RETURN_IF_ERROR(CheckChange(c.notes_size(), kMaxNotes, "notes", "notes per case"));
  HOP_RETURN_IF_ERROR(
      CheckChange(c.history_size(), kMaxStageChanges, "history", "stage changes per case"));
  HOP_RETURN_IF_ERROR(CheckChange(c.related().actual_residences_size(), kMaxActualResidences,
                                  "related.actual_residences", "municipalities"));
  const size_t bytes = c.ByteSizeLong();
  if (bytes > kMaxCaseBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case: at most ", kMaxCaseBytes, " bytes per case (this change would make ", bytes,
        "); keep long texts in the institution's own system and refer to them"));
  }
  return absl::OkStatus();
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
       "stage changes per case"},
      {before.related().actual_residences_size(), after.related().actual_residences_size(),
       kMaxActualResidences, "related.actual_residences", "municipalities"},
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
  return CheckStringSizes(s, "case_summary");
}

absl::Status CheckReceivedEntryLimits(const hop::v1::FeedEntry& entry, size_t entry_bytes) {
  HOP_RETURN_IF_ERROR(CheckBytes(entry_bytes, kMaxFeedEntryBytes, "entry"));
  HOP_RETURN_IF_ERROR(CheckBytes(entry.record_key().size(), kMaxTextBytes, "record_key"));
  switch (entry.payload_case()) {
    case hop::v1::FeedEntry::kCaseSummary:
      return CheckSummaryLimits(entry.case_summary());
    case hop::v1::FeedEntry::kInstitution:
      return CheckStringSizes(entry.institution(), "institution");
    case hop::v1::FeedEntry::kContact:
      HOP_RETURN_IF_ERROR(
          CheckCount(entry.contact().topics_size(), kMaxTopics, "contact.topics", "topics"));
      HOP_RETURN_IF_ERROR(CheckCount(entry.contact().age_levels_size(), kMaxAgeLevels,
                                     "contact.age_levels", "age levels"));
      return CheckStringSizes(entry.contact(), "contact");
    default:
      return absl::OkStatus();
  }
}

}  // namespace hop::domain
