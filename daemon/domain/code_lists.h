// The county code lists (proto/hop/v1/codes.proto): need areas, service types, outcomes and
// contact topics are codes from one versioned list, built into hopd and hopctl from
// daemon/domain/codes/county_codes.textproto. Only codes cross between municipalities.
// Pure; thread-safe (immutable after construction).
#ifndef HOP_DAEMON_DOMAIN_CODE_LISTS_H_
#define HOP_DAEMON_DOMAIN_CODE_LISTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hop/v1/codes.pb.h"

namespace hop::domain {

enum class CodeKind { kNeedArea, kServiceType, kOutcome, kTopic };

// "need area", "service type", "outcome", "topic".
const char* CodeKindName(CodeKind kind);

class CodeLists {
 public:
  // The list built into this binary. Internal error only if the built-in file is broken
  // (a build that should never have passed its tests).
  static absl::StatusOr<CodeLists> County();

  // Parses and checks a hop.v1.CodeLists textproto: version > 0, valid_from a date, every
  // code [a-z][a-z0-9-]{1,39} and unique within its list, both labels set. InvalidArgument
  // naming `source`, the list and the code otherwise.
  static absl::StatusOr<CodeLists> Parse(absl::string_view textproto, absl::string_view source);

  // OK if `code` is a current (not retired) code of `kind`. Otherwise InvalidArgument
  // naming `field` (e.g. "need_areas[2]"), the value, and how to find the valid codes, e.g.
  //   need_areas[0]: "lugemine" is not a need area code of the county list (version 1);
  //   did you mean "reading" (Lugemisraskused)? `hopctl codes need-areas` lists them all
  absl::Status CheckNew(CodeKind kind, absl::string_view code, absl::string_view field) const;

  // OK if `code` is any code of `kind`, retired ones included (records already stored, or
  // received from a node that has not yet taken a newer list version). InvalidArgument as
  // CheckNew otherwise.
  absl::Status CheckKnown(CodeKind kind, absl::string_view code, absl::string_view field) const;

  // The code's entry, or null if `code` is not in the list.
  const hop::v1::Code* Find(CodeKind kind, absl::string_view code) const;

  // "Lugemisraskused" (language "et", the default) or "Reading difficulties" ("en"); the code
  // itself when it is not in the list (a newer list at another node).
  std::string Label(CodeKind kind, absl::string_view code, absl::string_view language = "et") const;

  // Every code of `kind`, in the list's order.
  const std::vector<hop::v1::Code>& List(CodeKind kind) const;

  uint32_t version() const { return lists_.version(); }
  const hop::v1::CodeLists& lists() const { return lists_; }

 private:
  explicit CodeLists(hop::v1::CodeLists lists);
  absl::Status Check(CodeKind kind, absl::string_view code, absl::string_view field,
                     bool allow_retired) const;

  hop::v1::CodeLists lists_;
  std::vector<hop::v1::Code> by_kind_[4];
  std::map<std::string, size_t, std::less<>> index_[4];  // code -> position in by_kind_
};

// The county list built into this binary, parsed once (constant data, like the EHAK table
// in municipalities.h). Aborts the process if the built-in file is broken, which the unit
// tests rule out for every build.
const CodeLists& CountyCodes();

// Whether `value` has the shape of a code ([a-z][a-z0-9-]{1,39}), whatever the list version:
// what a receiver checks, so that a node on an older list still takes a newer code but never
// free text.
bool IsCodeShaped(absl::string_view value);

// Whether `value` has the shape of a directory id ("0793-I000001", "0171-P000012"): four
// digits, '-', one capital letter, six or more digits.
bool IsDirectoryIdShaped(absl::string_view value);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_CODE_LISTS_H_
