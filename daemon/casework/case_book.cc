#include "daemon/casework/case_book.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/municipalities.h"
#include "daemon/domain/stages.h"

namespace hop::casework {
namespace {

using hop::v1::Case;

constexpr uint32_t kDefaultListLimit = 100;
constexpr uint32_t kMaxListLimit = 1000;

// The need areas as stored: each a one-line text, cleaned (domain::CleanText).
// The need areas of a request: codes of the county list (domain/code_lists.h), never free
// text, so that only codes can ever cross to another municipality.
absl::StatusOr<std::vector<std::string>> CleanNeeds(
    const google::protobuf::RepeatedPtrField<std::string>& needs, absl::string_view field) {
  std::vector<std::string> cleaned;
  for (int i = 0; i < needs.size(); ++i) {
    HOP_RETURN_IF_ERROR(domain::CountyCodes().CheckNew(domain::CodeKind::kNeedArea, needs[i],
                                                       absl::StrCat(field, "[", i, "]")));
    cleaned.push_back(needs[i]);
  }
  return cleaned;
}

void AddUnique(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& v) {
  if (std::find(list->begin(), list->end(), v) == list->end()) *list->Add() = v;
}

void AppendHistory(Case& c, const domain::Actor& actor, int64_t at, hop::v1::Stage to,
                   bool to_child_protection, const std::string& reason) {
  hop::v1::StageChange* change = c.add_history();
  change->set_from_stage(c.stage());
  change->set_to_stage(to);
  change->set_to_child_protection(to_child_protection);
  change->set_by_user(actor.user_id);
  change->set_at(at);
  change->set_reason(reason);
}

// The relations a SetRelatedMunicipalities request ends must be relations `c` has now, and
// not be set again by the same request; InvalidArgument naming the field and the fix.
absl::Status CheckEndedRelations(const hop::v1::SetRelatedMunicipalitiesRequest& req,
                                 const Case& c) {
  const hop::v1::RelatedMunicipalities& now = c.related();
  if (req.end_registered_residence()) {
    if (now.registered_residence().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("end_registered_residence: case ", c.id(),
                       " has no registered residence to end; nothing changed"));
    }
    if (!req.related().registered_residence().empty()) {
      return absl::InvalidArgumentError(
          "related.registered_residence, end_registered_residence: give one of them (set a "
          "new registered residence, or end the current one)");
    }
  }
  HOP_RETURN_IF_ERROR(domain::CheckCount(req.end_actual_residences_size(),
                                         domain::kMaxActualResidences, "end_actual_residences",
                                         "municipalities"));
  for (int i = 0; i < req.end_actual_residences_size(); ++i) {
    const std::string& code = req.end_actual_residences(i);
    const std::string field = absl::StrCat("end_actual_residences[", i, "]");
    HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(code, field));
    const auto& actual = now.actual_residences();
    if (std::find(actual.begin(), actual.end(), code) == actual.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": case ", c.id(), " has no actual residence ", code,
          " (its actual residences: ", actual.empty() ? "none" : absl::StrJoin(actual, ", "),
          "); end only one it has; nothing changed"));
    }
    const auto& set = req.related().actual_residences();
    if (std::find(set.begin(), set.end(), code) != set.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", code,
          " is also in related.actual_residences; a relation cannot be set and ended at once"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CaseBook::CheckUser(const std::string& user_id, absl::Span<const hop::v1::Role> roles,
                                 absl::string_view field) const {
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, records_->GetUser(user_id));
  if (!user.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", user_id, "\" is not a registered user of this node (see hopctl user list)"));
  }
  if (std::find(roles.begin(), roles.end(), user->role()) == roles.end()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", user_id, " is a ",
                                                   domain::RoleName(user->role()),
                                                   " and cannot take this responsibility"));
  }
  return absl::OkStatus();
}

absl::Status CaseBook::CheckChild(absl::string_view isikukood, absl::string_view field) const {
  return domain::ValidateBornBy(isikukood, field,
                                domain::EstonianToday(records_->clock().NowUnix()))
      .status();
}

absl::StatusOr<Case> CaseBook::Open(const domain::Actor& actor,
                                    const hop::v1::OpenCaseRequest& req) {
  HOP_RETURN_IF_ERROR(CheckChild(req.child().isikukood(), "child.isikukood"));
  hop::v1::Child child = req.child();
  HOP_ASSIGN_OR_RETURN(*child.mutable_name(), domain::CleanText(child.name(), "child.name"));
  if (req.level() == hop::v1::LEVEL_UNSPECIFIED || !hop::v1::Level_IsValid(req.level())) {
    return absl::InvalidArgumentError("level: required; one of kindergarten, school, municipality");
  }
  if (req.institution_id().empty()) {
    return absl::InvalidArgumentError(
        "institution_id: required; the institution where the need was noticed "
        "(see hopctl directory search)");
  }
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> institution,
                       records_->GetInstitution(req.institution_id()));
  if (!institution.has_value() || institution->municipality() != records_->municipality()) {
    return absl::InvalidArgumentError(
        absl::StrCat("institution_id: \"", req.institution_id(),
                     "\" is not an institution of this municipality's directory"));
  }
  if (institution->retired_at() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("institution_id: ", req.institution_id(),
                     " is retired; open the case at the child's "
                     "current institution (see hopctl directory search)"));
  }
  HOP_RETURN_IF_ERROR(domain::CheckCanOpenCase(actor, req.institution_id()));
  HOP_RETURN_IF_ERROR(domain::CheckCount(req.need_areas_size(), domain::kMaxNeedAreas, "need_areas",
                                         "need areas per case"));
  HOP_ASSIGN_OR_RETURN(const std::vector<std::string> needs,
                       CleanNeeds(req.need_areas(), "need_areas"));
  HOP_ASSIGN_OR_RETURN(const std::string reason,
                       domain::CleanText(req.reason(), "reason", domain::kOptionalText));

  Case c;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) {
    c.set_id(m.NewId(IdKind::kCase));
    c.set_origin(records_->municipality());
    *c.mutable_child() = child;
    c.set_level(req.level());
    c.set_institution_id(req.institution_id());
    c.mutable_related()->set_institution_municipality(institution->municipality());
    for (const std::string& need : needs) AddUnique(c.mutable_need_areas(), need);
    if (actor.role == hop::v1::ROLE_TEACHER) c.set_responsible_user(actor.user_id);
    c.set_opened_by(actor.user_id);  // keeps read access once the case moves on (access.h)
    c.set_status(hop::v1::CASE_OPEN);
    c.set_created_at(m.now());
    AppendHistory(c, actor, m.now(), hop::v1::STAGE_I, false, reason.empty() ? "opened" : reason);
    c.set_stage(hop::v1::STAGE_I);
    HOP_RETURN_IF_ERROR(domain::CheckCaseLimits(c));
    m.PutCase(c);
    return feeds_->CaseChanged(m, c);
  }));
  return c;
}

absl::StatusOr<Case> CaseBook::Get(const domain::Actor& actor, const std::string& case_id) const {
  HOP_ASSIGN_OR_RETURN(Case c, Load(case_id));
  const int64_t now = records_->clock().NowUnix();
  HOP_RETURN_IF_ERROR(domain::CheckCaseAccess(actor, c, now, domain::CaseAccess::kReadLimited));
  return ForReader(actor, std::move(c), now);
}

absl::StatusOr<hop::v1::ListCasesResponse> CaseBook::List(
    const domain::Actor& actor, const hop::v1::ListCasesRequest& req) const {
  if (!req.child_isikukood().empty()) {
    HOP_RETURN_IF_ERROR(CheckChild(req.child_isikukood(), "child_isikukood"));
  }
  if (req.limit() > kMaxListLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: at most ", kMaxListLimit, "; use page_token for more"));
  }
  const uint32_t limit = req.limit() == 0 ? kDefaultListLimit : req.limit();
  hop::v1::ListCasesResponse response;
  size_t page_bytes = 0;  // the page is cut by bytes too (domain::kMaxListPageBytes)
  const int64_t now = records_->clock().NowUnix();
  absl::Status read_status;
  auto matches = [&](const Case& c) {
    return domain::AccessTo(actor, c, now) != domain::CaseAccess::kNone &&
           (req.stage() == hop::v1::STAGE_UNSPECIFIED || c.stage() == req.stage()) &&
           (req.status() == hop::v1::CASE_STATUS_UNSPECIFIED || c.status() == req.status()) &&
           (req.institution_id().empty() || c.institution_id() == req.institution_id()) &&
           (!req.child_protection_only() || c.child_protection());
  };
  auto visit = [&](const Case& stored) {
    if (stored.id() < req.page_token() || !matches(stored)) return true;
    absl::StatusOr<Case> c = ForReader(actor, stored, now);
    if (!c.ok()) {
      read_status = c.status();
      return false;
    }
    const size_t bytes = c->ByteSizeLong();
    if (static_cast<uint32_t>(response.cases_size()) == limit ||
        (response.cases_size() > 0 && page_bytes + bytes > domain::kMaxListPageBytes)) {
      response.set_next_page_token(c->id());
      return false;
    }
    page_bytes += bytes;
    *response.add_cases() = *std::move(c);
    return true;
  };
  if (!req.child_isikukood().empty()) {
    HOP_ASSIGN_OR_RETURN(std::vector<Case> cases, records_->CasesOfChild(req.child_isikukood()));
    for (const Case& c : cases) {
      if (!visit(c)) break;
    }
  } else {
    HOP_RETURN_IF_ERROR(records_->ScanCases(req.page_token(), visit));
  }
  HOP_RETURN_IF_ERROR(read_status);
  return response;
}

absl::StatusOr<Case> CaseBook::Change(const domain::Actor& actor, const std::string& case_id,
                                      const std::function<absl::Status(Case&, Mutation&)>& edit) {
  Case result;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(result, Load(case_id));
    HOP_RETURN_IF_ERROR(domain::CheckCaseAccess(actor, result, m.now(), domain::CaseAccess::kFull));
    HOP_RETURN_IF_ERROR(domain::CheckOpen(result));
    const Case before = result;
    HOP_RETURN_IF_ERROR(edit(result, m));
    HOP_RETURN_IF_ERROR(domain::CheckCaseChange(before, result));
    m.PutCase(result);
    return feeds_->CaseChanged(m, result);
  }));
  return result;
}

absl::StatusOr<Case> CaseBook::Escalate(const domain::Actor& actor,
                                        const hop::v1::EscalateRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    HOP_RETURN_IF_ERROR(domain::CheckEscalation(c, req.to_stage()));
    HOP_ASSIGN_OR_RETURN(const std::string reason,
                         domain::CleanText(req.reason(), "reason", domain::kText));
    AppendHistory(c, actor, m.now(), req.to_stage(), c.child_protection(), reason);
    c.set_stage(req.to_stage());
    // The new stage's coordinator takes over; the escalating person keeps it only if they
    // are that coordinator.
    const bool takes_over =
        (req.to_stage() == hop::v1::STAGE_II &&
         actor.role == hop::v1::ROLE_INSTITUTION_COORDINATOR) ||
        (req.to_stage() == hop::v1::STAGE_III && actor.role == hop::v1::ROLE_CASE_MANAGER);
    c.set_responsible_user(takes_over ? actor.user_id : "");
    if (takes_over && req.to_stage() == hop::v1::STAGE_III) c.set_case_manager(actor.user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::MoveToChildProtection(
    const domain::Actor& actor, const hop::v1::MoveToChildProtectionRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    HOP_RETURN_IF_ERROR(domain::CheckMoveToChildProtection(c));
    HOP_ASSIGN_OR_RETURN(const std::string reason,
                         domain::CleanText(req.reason(), "reason", domain::kText));
    AppendHistory(c, actor, m.now(), c.stage(), true, reason);
    c.set_child_protection(true);
    c.set_responsible_user(actor.role == hop::v1::ROLE_CHILD_PROTECTION ? actor.user_id : "");
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::AddNeeds(const domain::Actor& actor,
                                        const hop::v1::AddNeedsRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    if (req.need_areas().empty()) {
      return absl::InvalidArgumentError("need_areas: give at least one need area");
    }
    HOP_RETURN_IF_ERROR(domain::CheckCount(req.need_areas_size(), domain::kMaxNeedAreas,
                                           "need_areas", "need areas per case"));
    HOP_ASSIGN_OR_RETURN(const std::vector<std::string> needs,
                         CleanNeeds(req.need_areas(), "need_areas"));
    for (const std::string& need : needs) AddUnique(c.mutable_need_areas(), need);
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::AddActionItem(const domain::Actor& actor,
                                             const hop::v1::AddActionItemRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    hop::v1::ActionItem item = req.item();
    HOP_ASSIGN_OR_RETURN(*item.mutable_description(),
                         domain::CleanText(item.description(), "item.description", domain::kText));
    if (!item.responsible_user().empty()) {
      HOP_RETURN_IF_ERROR(
          CheckUser(item.responsible_user(), domain::kAssignableRoles, "item.responsible_user"));
    }
    HOP_RETURN_IF_ERROR(domain::ValidateOptionalDate(item.due_date(), "item.due_date"));
    HOP_RETURN_IF_ERROR(
        domain::ValidateOptionalDate(item.evaluation_date(), "item.evaluation_date"));
    hop::v1::ActionItem* added = c.add_action_plan();
    *added = item;
    added->set_id(absl::StrCat("A", c.action_plan_size()));
    return absl::OkStatus();
  });
}

absl::Status CaseBook::CheckServiceCodes(const hop::v1::Service& s) const {
  const domain::CodeLists& codes = domain::CountyCodes();
  HOP_RETURN_IF_ERROR(codes.CheckNew(domain::CodeKind::kServiceType, s.type(), "service.type"));
  if (!s.outcome().empty()) {
    HOP_RETURN_IF_ERROR(codes.CheckNew(domain::CodeKind::kOutcome, s.outcome(), "service.outcome"));
  }
  if (s.provider().empty()) return absl::OkStatus();
  const std::string hint =
      "service.provider: not an institution id of the directory; give the provider's id (e.g. "
      "0793-I000001, see hopctl directory search) or leave it out";
  if (!domain::IsDirectoryIdShaped(s.provider())) return absl::InvalidArgumentError(hint);
  if (!absl::StartsWith(s.provider(), records_->municipality())) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> own,
                       records_->GetInstitution(s.provider()));
  if (!own.has_value()) return absl::InvalidArgumentError(hint);
  if (own->retired_at() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("service.provider: ", s.provider(), " is retired; give the current provider"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Case> CaseBook::AddService(const domain::Actor& actor,
                                          const hop::v1::AddServiceRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    hop::v1::Service s = req.service();
    HOP_RETURN_IF_ERROR(CheckServiceCodes(s));
    HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(s.municipality(), "service.municipality"));
    HOP_RETURN_IF_ERROR(domain::ValidatePeriod(s.start_date(), s.end_date(), "service"));
    HOP_ASSIGN_OR_RETURN(
        *s.mutable_transport_payment_note(),
        domain::CleanText(s.transport_payment_note(), "service.transport_payment_note",
                          domain::kOptionalText));
    hop::v1::Service* added = c.add_services();
    *added = s;
    added->set_id(absl::StrCat("S", c.services_size()));
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::AddAssessment(const domain::Actor& actor,
                                             const hop::v1::AddAssessmentRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    HOP_RETURN_IF_ERROR(domain::ValidateDate(req.assessment().date(), "assessment.date"));
    hop::v1::Assessment assessment = req.assessment();
    HOP_ASSIGN_OR_RETURN(
        *assessment.mutable_conclusion(),
        domain::CleanText(assessment.conclusion(), "assessment.conclusion", domain::kText));
    hop::v1::Assessment* added = c.add_assessments();
    *added = std::move(assessment);
    added->set_by_user(actor.user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::AddNote(const domain::Actor& actor,
                                       const hop::v1::AddNoteRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::string text, domain::CleanText(req.text(), "text", domain::kText));
    hop::v1::Note* note = c.add_notes();
    note->set_by_user(actor.user_id);
    note->set_at(m.now());
    note->set_text(std::move(text));
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::SetRelated(const domain::Actor& actor,
                                          const hop::v1::SetRelatedMunicipalitiesRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    const hop::v1::RelatedMunicipalities& r = req.related();
    if (!r.registered_residence().empty()) {
      HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(r.registered_residence(),
                                                           "related.registered_residence"));
    }
    HOP_RETURN_IF_ERROR(domain::CheckCount(r.actual_residences_size(), domain::kMaxActualResidences,
                                           "related.actual_residences", "municipalities"));
    for (int i = 0; i < r.actual_residences_size(); ++i) {
      HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(
          r.actual_residences(i), absl::StrCat("related.actual_residences[", i, "]")));
    }
    if (!r.institution_municipality().empty()) {
      HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(r.institution_municipality(),
                                                           "related.institution_municipality"));
    }
    HOP_RETURN_IF_ERROR(CheckEndedRelations(req, c));
    hop::v1::RelatedMunicipalities* out = c.mutable_related();
    if (!r.registered_residence().empty()) out->set_registered_residence(r.registered_residence());
    if (r.actual_residences_size() > 0) {
      out->clear_actual_residences();
      for (const std::string& code : r.actual_residences()) {
        AddUnique(out->mutable_actual_residences(), code);
      }
    }
    if (!r.institution_municipality().empty()) {
      out->set_institution_municipality(r.institution_municipality());
    }
    if (req.end_registered_residence()) out->clear_registered_residence();
    for (const std::string& ended : req.end_actual_residences()) {
      auto* list = out->mutable_actual_residences();
      list->erase(std::remove(list->begin(), list->end(), ended), list->end());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::Close(const domain::Actor& actor,
                                     const hop::v1::CloseCaseRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::string reason,
                         domain::CleanText(req.reason(), "reason", domain::kText));
    AddCloseEvent(actor, m.now(), reason, c);
    c.set_status(hop::v1::CASE_CLOSED);
    c.set_closing_reason(std::move(reason));
    return absl::OkStatus();
  });
}

absl::StatusOr<hop::v1::CountCasesResponse> CaseBook::Count() const {
  using Key = std::tuple<int, int, bool, int>;
  std::map<Key, uint64_t> counts;
  uint64_t total = 0;
  HOP_RETURN_IF_ERROR(records_->ScanCases("", [&](const Case& c) {
    ++counts[Key(c.level(), c.stage(), c.child_protection(), c.status())];
    ++total;
    return true;
  }));
  hop::v1::CountCasesResponse response;
  for (const auto& [key, n] : counts) {
    hop::v1::CaseCount* count = response.add_counts();
    count->set_level(static_cast<hop::v1::Level>(std::get<0>(key)));
    count->set_stage(static_cast<hop::v1::Stage>(std::get<1>(key)));
    count->set_child_protection(std::get<2>(key));
    count->set_status(static_cast<hop::v1::CaseStatus>(std::get<3>(key)));
    count->set_count(n);
  }
  response.set_total(total);
  return response;
}

}  // namespace hop::casework
