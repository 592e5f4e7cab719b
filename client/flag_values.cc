#include "client/flag_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "client/args.h"
#include "daemon/base/status_macros.h"

namespace hop::client {
namespace {

using namespace hop::v1;  // NOLINT(build/namespaces): enum constants only

template <typename E>
struct Word {
  E value;
  absl::string_view word;
};

constexpr Word<Level> kLevels[] = {{LEVEL_KINDERGARTEN, "kindergarten"},
                                   {LEVEL_SCHOOL, "school"},
                                   {LEVEL_MUNICIPALITY, "municipality"}};
constexpr Word<Stage> kStages[] = {{STAGE_I, "I"}, {STAGE_II, "II"}, {STAGE_III, "III"}};
constexpr Word<CaseStatus> kStatuses[] = {{CASE_OPEN, "open"}, {CASE_CLOSED, "closed"}};
constexpr Word<Role> kRoles[] = {{ROLE_TEACHER, "teacher"},
                                 {ROLE_INSTITUTION_COORDINATOR, "coordinator"},
                                 {ROLE_CASE_MANAGER, "case-manager"},
                                 {ROLE_CHILD_PROTECTION, "child-protection"},
                                 {ROLE_NETWORK_LEADER, "network-leader"},
                                 {ROLE_ADMIN, "admin"},
                                 {ROLE_SCHOOL_NURSE, "school-nurse"},
                                 {ROLE_SOCIAL_PEDAGOGUE, "social-pedagogue"},
                                 {ROLE_SPECIAL_PEDAGOGUE, "special-pedagogue"},
                                 {ROLE_SPEECH_THERAPIST, "speech-therapist"},
                                 {ROLE_PSYCHOLOGIST, "psychologist"}};
constexpr Word<InstitutionKind> kKinds[] = {{INSTITUTION_KINDERGARTEN, "kindergarten"},
                                            {INSTITUTION_SCHOOL, "school"},
                                            {INSTITUTION_HOBBY_SCHOOL, "hobby-school"},
                                            {INSTITUTION_RAJALEIDJA, "rajaleidja"},
                                            {INSTITUTION_YOUTH_WORK, "youth-work"},
                                            {INSTITUTION_SOCIAL_WORK, "social-work"},
                                            {INSTITUTION_HEALTH, "health"},
                                            {INSTITUTION_POLICE, "police"},
                                            {INSTITUTION_MUNICIPALITY, "municipality"},
                                            {INSTITUTION_OTHER, "other"}};
constexpr Word<Ownership> kOwnerships[] = {
    {OWNERSHIP_MUNICIPAL, "municipal"}, {OWNERSHIP_PRIVATE, "private"}, {OWNERSHIP_STATE, "state"}};
constexpr Word<ConsentScope> kScopes[] = {{SCOPE_CASE_SUMMARY, "summary"},
                                          {SCOPE_RESPONSIBLE_CONTACT, "contact"},
                                          {SCOPE_SERVICE_HISTORY, "services"},
                                          {SCOPE_SCHOOL_READINESS_CARD, "readiness"}};

template <typename E, size_t N>
std::string NameOf(const Word<E> (&words)[N], E value) {
  for (const Word<E>& w : words) {
    if (w.value == value) return std::string(w.word);
  }
  return "-";
}

template <typename E, size_t N>
std::string Sentence(const Word<E> (&words)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) absl::StrAppend(&out, i + 1 == N ? " or " : ", ");
    absl::StrAppend(&out, words[i].word);
  }
  return out;
}

template <typename E, size_t N>
absl::StatusOr<E> ParseWord(const Word<E> (&words)[N], absl::string_view flag,
                            absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (const Word<E>& w : words) {
    if (absl::AsciiStrToLower(w.word) == lower) return w.value;
  }
  return UsageError(absl::StrCat("--", flag, ": expected ", Sentence(words), ", got '", text, "'"));
}

}  // namespace

std::string LevelName(Level level) { return NameOf(kLevels, level); }
std::string StageName(Stage stage) { return NameOf(kStages, stage); }
std::string CaseStatusName(CaseStatus status) { return NameOf(kStatuses, status); }
std::string RoleName(Role role) { return NameOf(kRoles, role); }
std::string InstitutionKindName(InstitutionKind kind) { return NameOf(kKinds, kind); }
std::string OwnershipName(Ownership ownership) { return NameOf(kOwnerships, ownership); }
std::string ScopeName(ConsentScope scope) { return NameOf(kScopes, scope); }

std::string LevelWords() { return Sentence(kLevels); }
std::string RoleWords() { return Sentence(kRoles); }
std::string InstitutionKindWords() { return Sentence(kKinds); }
std::string OwnershipWords() { return Sentence(kOwnerships); }
std::string ScopeWords() { return Sentence(kScopes); }

absl::StatusOr<Level> ParseLevel(absl::string_view flag, absl::string_view text) {
  return ParseWord(kLevels, flag, text);
}

absl::StatusOr<Stage> ParseStage(absl::string_view flag, absl::string_view text) {
  const absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t == "1") return STAGE_I;
  if (t == "2") return STAGE_II;
  if (t == "3") return STAGE_III;
  return ParseWord(kStages, flag, text);
}

absl::StatusOr<CaseStatus> ParseCaseStatus(absl::string_view flag, absl::string_view text) {
  return ParseWord(kStatuses, flag, text);
}

absl::StatusOr<Role> ParseRole(absl::string_view flag, absl::string_view text) {
  return ParseWord(kRoles, flag, text);
}

absl::StatusOr<InstitutionKind> ParseInstitutionKind(absl::string_view flag,
                                                     absl::string_view text) {
  return ParseWord(kKinds, flag, text);
}

absl::StatusOr<Ownership> ParseOwnership(absl::string_view flag, absl::string_view text) {
  return ParseWord(kOwnerships, flag, text);
}

absl::StatusOr<ConsentScope> ParseScope(absl::string_view flag, absl::string_view text) {
  return ParseWord(kScopes, flag, text);
}

absl::StatusOr<std::string> ParseDate(absl::string_view flag, absl::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime is strict about the format but normalises nothing away: compare back so
  // that "2024-02-30" is refused rather than read as March 1.
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return UsageError(absl::StrCat("--", flag, ": expected a date YYYY-MM-DD, got '", text, "'"));
  }
  return std::string(text);
}

absl::StatusOr<int64_t> ParseDateMidnight(absl::string_view flag, absl::string_view text,
                                          absl::TimeZone zone) {
  absl::StatusOr<std::string> date = ParseDate(flag, text);
  if (!date.ok()) return date.status();
  absl::CivilDay day;
  absl::ParseCivilTime(*date, &day);
  return absl::ToUnixSeconds(absl::FromCivil(day, zone));
}

absl::StatusOr<uint32_t> ParsePositive(absl::string_view flag, absl::string_view text,
                                       uint32_t max) {
  uint32_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value == 0 || value > max) {
    return UsageError(absl::StrCat("--", flag, ": expected a whole number from 1 to ", max,
                                   ", got '", text, "'"));
  }
  return value;
}

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    for (absl::string_view item : absl::StrSplit(value, ',')) {
      item = absl::StripAsciiWhitespace(item);
      if (!item.empty()) items.emplace_back(item);
    }
  }
  return items;
}

absl::StatusOr<uint32_t> ParseDeadlineMs(const ParsedArgs& args) {
  uint32_t seconds = 5;
  if (args.Has("deadline")) {
    HOP_ASSIGN_OR_RETURN(seconds, ParsePositive("--deadline", args.Get("deadline"), 30));
  }
  if (absl::Seconds(seconds) >= args.globals.timeout) {
    return UsageError(absl::StrCat("--deadline ", seconds, " s must be shorter than --timeout (",
                                   absl::FormatDuration(args.globals.timeout),
                                   "); add e.g. --timeout ", seconds + 5));
  }
  return seconds * 1000;
}

}  // namespace hop::client
