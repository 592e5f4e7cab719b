// The 79 Estonian municipalities (omavalitsused) by EHAK code: the node identities of the
// federation. Codes are four digits with leading zero, e.g. "0793" for Tartu linn.
// Pure, thread-safe; the table is static and lives for the whole program.
#ifndef HOP_DAEMON_DOMAIN_MUNICIPALITIES_H_
#define HOP_DAEMON_DOMAIN_MUNICIPALITIES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hop::domain {

struct Municipality {
  absl::string_view code;    // EHAK, 4 digits
  absl::string_view name;    // e.g. "Tartu linn", "Elva vald"
  absl::string_view county;  // e.g. "Tartumaa"
};

// All 79 municipalities, ordered by code.
absl::Span<const Municipality> AllMunicipalities();

// The municipality with this code, or nullptr.
const Municipality* FindMunicipality(absl::string_view code);

// OK if `code` is a known EHAK municipality code; otherwise InvalidArgument naming `field`, e.g.
//   "peers[2].municipality: unknown municipality code \"793\"; expected a 4-digit EHAK code such
//    as 0793 (Tartu linn)".
absl::Status ValidateMunicipalityCode(absl::string_view code, absl::string_view field);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_MUNICIPALITIES_H_
