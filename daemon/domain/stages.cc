#include "daemon/domain/stages.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace hop::domain {
namespace {

using hop::v1::Stage;

bool IsStage(Stage s) {
  return s == hop::v1::STAGE_I || s == hop::v1::STAGE_II || s == hop::v1::STAGE_III;
}

// "II" for a stage, the raw number for a value outside the enum (proto3 enums are open).
std::string Describe(Stage s) {
  if (IsStage(s) || s == hop::v1::STAGE_UNSPECIFIED) return StageName(s);
  return absl::StrCat(static_cast<int>(s));
}

// What may follow the current stage, for the end of an "illegal stage change" message.
std::string AllowedNext(Stage from) {
  switch (from) {
    case hop::v1::STAGE_I:
      return "the allowed next stage is II";
    case hop::v1::STAGE_II:
      return "the allowed next stage is III";
    case hop::v1::STAGE_III:
      return "stage III is the last stage, no further escalation (the child-protection track "
             "stays available)";
    default:
      return "the case has no valid current stage; it must be at I, II or III";
  }
}

}  // namespace

absl::Status CheckOpen(const hop::v1::Case& c) {
  if (c.status() == hop::v1::CASE_OPEN) return absl::OkStatus();
  // Fails closed: anything but an explicit CASE_OPEN counts as not changeable. The closing
  // reason is free text and is not echoed.
  const char* why = c.status() == hop::v1::CASE_CLOSED
                        ? "a closed case changes no more"
                        : "its status is not open; only open cases change";
  return absl::FailedPreconditionError(absl::StrCat("case ", c.id(), " is closed (", why, ")"));
}

absl::Status CheckEscalation(const hop::v1::Case& c, Stage to) {
  if (to == hop::v1::STAGE_UNSPECIFIED) {
    return absl::InvalidArgumentError("to_stage: is unspecified; expected II or III");
  }
  if (!IsStage(to)) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_stage: ", static_cast<int>(to), " is not a stage; expected I, II or III"));
  }
  const Stage from = c.stage();
  const std::string change =
      absl::StrCat("illegal stage change ", Describe(from), " -> ", StageName(to), ": ");
  if (absl::Status open = CheckOpen(c); !open.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(change, open.message()));
  }
  if (!IsStage(from)) {
    return absl::FailedPreconditionError(absl::StrCat(change, AllowedNext(from)));
  }
  if (static_cast<int>(to) == static_cast<int>(from) + 1) return absl::OkStatus();
  std::string why;
  if (to == from) {
    why = absl::StrCat("the case is already at stage ", StageName(from));
  } else if (to < from) {
    why = "stages never go backwards";
  } else {
    why = "stages move one step at a time";
  }
  return absl::FailedPreconditionError(absl::StrCat(change, why, "; ", AllowedNext(from)));
}

absl::Status CheckMoveToChildProtection(const hop::v1::Case& c) {
  if (absl::Status open = CheckOpen(c); !open.ok()) return open;
  if (c.child_protection()) {
    return absl::FailedPreconditionError(
        absl::StrCat("case ", c.id(), " is already on the child-protection track"));
  }
  return absl::OkStatus();
}

const char* StageName(Stage stage) {
  switch (stage) {
    case hop::v1::STAGE_I:
      return "I";
    case hop::v1::STAGE_II:
      return "II";
    case hop::v1::STAGE_III:
      return "III";
    default:
      return "unspecified";
  }
}

}  // namespace hop::domain
