// The words hopctl uses for the API's enums, in both directions, and the checks of option
// values that are the client's business (format only: business rules are the server's).
//
// Parse* functions return a usage error naming the option and the accepted words, e.g.
// "--level: expected kindergarten, school or municipality". Name functions return lower-case
// words ("case-manager", "school"; stages as "I", "II", "III") and "-" for UNSPECIFIED or an
// unknown number. Pure functions; thread-safe.
#ifndef HOP_CLIENT_FLAG_VALUES_H_
#define HOP_CLIENT_FLAG_VALUES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/args.h"
#include "hop/v1/records.pb.h"

namespace hop::client {

std::string LevelName(hop::v1::Level level);
std::string StageName(hop::v1::Stage stage);
std::string CaseStatusName(hop::v1::CaseStatus status);
std::string RoleName(hop::v1::Role role);
std::string InstitutionKindName(hop::v1::InstitutionKind kind);
std::string OwnershipName(hop::v1::Ownership ownership);
std::string ScopeName(hop::v1::ConsentScope scope);

// `flag` is the option name without dashes; it appears in the error message.
absl::StatusOr<hop::v1::Level> ParseLevel(absl::string_view flag, absl::string_view text);
// Accepts I, II, III (any case) and 1, 2, 3.
absl::StatusOr<hop::v1::Stage> ParseStage(absl::string_view flag, absl::string_view text);
absl::StatusOr<hop::v1::CaseStatus> ParseCaseStatus(absl::string_view flag, absl::string_view text);
absl::StatusOr<hop::v1::Role> ParseRole(absl::string_view flag, absl::string_view text);
absl::StatusOr<hop::v1::InstitutionKind> ParseInstitutionKind(absl::string_view flag,
                                                              absl::string_view text);
absl::StatusOr<hop::v1::Ownership> ParseOwnership(absl::string_view flag, absl::string_view text);
absl::StatusOr<hop::v1::ConsentScope> ParseScope(absl::string_view flag, absl::string_view text);

// The accepted words of each enum, as a sentence ("a, b or c"), for help texts.
std::string LevelWords();
std::string RoleWords();
std::string InstitutionKindWords();
std::string OwnershipWords();
std::string ScopeWords();

// Checks a calendar date "YYYY-MM-DD" (a real day); returns it unchanged.
absl::StatusOr<std::string> ParseDate(absl::string_view flag, absl::string_view text);

// A calendar date "YYYY-MM-DD" as the Unix seconds of its midnight in `zone`.
absl::StatusOr<int64_t> ParseDateMidnight(absl::string_view flag, absl::string_view text,
                                          absl::TimeZone zone);

// A positive integer (at most `max`).
absl::StatusOr<uint32_t> ParsePositive(absl::string_view flag, absl::string_view text,
                                       uint32_t max);

// Splits each value at commas, trims spaces and drops empty items: {"0793, 0171", "0283"}
// -> {"0793", "0171", "0283"}.
std::vector<std::string> SplitList(const std::vector<std::string>& values);

// The --deadline SECONDS of a command that asks the peers (default 5, at most 30), in
// milliseconds; a usage error unless shorter than the global --timeout.
absl::StatusOr<uint32_t> ParseDeadlineMs(const ParsedArgs& args);

}  // namespace hop::client

#endif  // HOP_CLIENT_FLAG_VALUES_H_
