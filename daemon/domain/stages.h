// The case path inside one municipality: stage I (teacher) -> II (institution coordinator) ->
// III (municipal case manager), one step at a time, never backwards; and from any stage onto
// the child-protection track. A closed case changes no more.
// Pure functions of the case value; thread-safe.
#ifndef HOP_DAEMON_DOMAIN_STAGES_H_
#define HOP_DAEMON_DOMAIN_STAGES_H_

#include "absl/status/status.h"
#include "hop/v1/records.pb.h"

namespace hop::domain {

// OK if the case may be changed at all; FailedPrecondition "case <id> is closed (...)" if not.
absl::Status CheckOpen(const hop::v1::Case& c);

// OK if `c` may move from its stage to `to`: the case is open, `to` is exactly one stage
// above the current one. Errors:
//   InvalidArgument "to_stage: ..." when `to` is unspecified or not a stage;
//   FailedPrecondition "illegal stage change II -> II: ..." naming allowed next stage otherwise
//   (also when the case is closed or already at stage III).
absl::Status CheckEscalation(const hop::v1::Case& c, hop::v1::Stage to);

// OK if `c` may move onto the child-protection track: open and not on it already
// (FailedPrecondition otherwise).
absl::Status CheckMoveToChildProtection(const hop::v1::Case& c);

// "I", "II", "III" or "unspecified".
const char* StageName(hop::v1::Stage stage);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_STAGES_H_
