// Case operations of one node (juhtumid): open, read, list, stage changes and the case's
// contents, each checked against the acting user's access (daemon/domain/access.h), the stage
// rules (daemon/domain/stages.h) and field validation; bad input changes nothing.
// Error codes: NotFound (no such case), PermissionDenied (not visible to the actor),
// InvalidArgument (bad field, message names it), FailedPrecondition (closed case, illegal
// stage change). Every change is one atomic write. Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_CASE_BOOK_H_
#define HOP_DAEMON_CASEWORK_CASE_BOOK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "daemon/domain/access.h"
#include "daemon/domain/limits.h"
#include "hop/v1/casework.pb.h"

namespace hop::casework {

class CaseBook {
 public:
  // Made from NodeConfig.casework (0 there = the defaults here).
  struct Options {
    // Days the staff of an institution a case left keep read access (ChangeInstitution);
    // node.cc resolves the config's 0 to this default.
    uint32_t former_institution_read_days = domain::kDefaultFormerInstitutionReadDays;
  };

  // `records` and `feeds` must outlive the CaseBook.
  CaseBook(RecordStore* records, const FeedWriter* feeds) : CaseBook(records, feeds, Options()) {}
  CaseBook(RecordStore* records, const FeedWriter* feeds, Options options)
      : records_(records), feeds_(feeds), options_(options) {}

  absl::StatusOr<hop::v1::Case> Open(const domain::Actor& actor,
                                     const hop::v1::OpenCaseRequest& request);
  // The case as `actor` may read it: whole with full access, reduced (domain::RedactForReader)
  // with read-limited access (domain/access.h); PermissionDenied without access.
  absl::StatusOr<hop::v1::Case> Get(const domain::Actor& actor, const std::string& case_id) const;
  absl::StatusOr<hop::v1::ListCasesResponse> List(const domain::Actor& actor,
                                                  const hop::v1::ListCasesRequest& request) const;
  absl::StatusOr<hop::v1::Case> Escalate(const domain::Actor& actor,
                                         const hop::v1::EscalateRequest& request);
  absl::StatusOr<hop::v1::Case> MoveToChildProtection(
      const domain::Actor& actor, const hop::v1::MoveToChildProtectionRequest& request);
  absl::StatusOr<hop::v1::Case> AddNeeds(const domain::Actor& actor,
                                         const hop::v1::AddNeedsRequest& request);
  absl::StatusOr<hop::v1::Case> AddActionItem(const domain::Actor& actor,
                                              const hop::v1::AddActionItemRequest& request);
  absl::StatusOr<hop::v1::Case> AddService(const domain::Actor& actor,
                                           const hop::v1::AddServiceRequest& request);
  absl::StatusOr<hop::v1::Case> AddAssessment(const domain::Actor& actor,
                                              const hop::v1::AddAssessmentRequest& request);
  absl::StatusOr<hop::v1::Case> AddNote(const domain::Actor& actor,
                                        const hop::v1::AddNoteRequest& request);
  absl::StatusOr<hop::v1::Case> SetRelated(const domain::Actor& actor,
                                           const hop::v1::SetRelatedMunicipalitiesRequest& request);
  absl::StatusOr<hop::v1::Case> Close(const domain::Actor& actor,
                                      const hop::v1::CloseCaseRequest& request);
  // OK iff `isikukood` is a valid code of a child born by today (the node's clock, Estonian
  // date); InvalidArgument naming `field` and the birth date otherwise. Every request that
  // names a child checks this (cases here, look-ups and questions to peers in api/).
  absl::Status CheckChild(absl::string_view isikukood, absl::string_view field) const;
  // Counts by level, stage, track and status: no personal data.
  absl::StatusOr<hop::v1::CountCasesResponse> Count() const;

  // Issue 13: transitions and assignment (case_book_transition.cc).
  // Sets the responsible person and/or case manager, adds assignees (user and task; each a
  // registered user of a case-worker or support-specialist role, at most
  // domain::kMaxAssignees per case) and removes assignees (each must be one; removals are
  // applied before additions, so remove and add again changes a task). One history entry
  // CASE_EVENT_ASSIGNED. InvalidArgument naming the field when nothing is given or an entry
  // is bad; nothing changes then.
  absl::StatusOr<hop::v1::Case> Assign(const domain::Actor& actor,
                                       const hop::v1::AssignRequest& request);
  // The case follows the child to another institution of this municipality's directory (not
  // retired, not the current one), with a reason. The responsible person: at stage II the
  // request's, a coordinator of the new institution (required); at stage I the request's, a
  // teacher of the new institution, or nobody; at stage III and on the child-protection track
  // it stays (the request must not name one). Assignees bound to the institution left are
  // removed. The institution left becomes a FormerInstitution readable until now +
  // Options::former_institution_read_days; history entry CASE_EVENT_INSTITUTION_CHANGED.
  // Callers: the current institution's coordinator, a case manager, a child-protection
  // specialist (PermissionDenied for others). InvalidArgument naming the field otherwise.
  absl::StatusOr<hop::v1::Case> ChangeInstitution(const domain::Actor& actor,
                                                  const hop::v1::ChangeInstitutionRequest& request);
  // Issue 13: case work, complete (defined in case_book_work.cc). Each checks the actor may
  // see the case (NotFound / PermissionDenied as Get), changes nothing on an error, and
  // recomputes every peer's feed in the same write.
  // Ends a service: end_date a real date, not before the service's start, not after today
  // (the node's clock, Estonian date); outcome a county outcome code (hopctl codes outcomes).
  // A service has ended once it has an outcome and an end date up to today: ending it again
  // is FailedPrecondition (a planned end date still in the future may be ended earlier).
  absl::StatusOr<hop::v1::Case> EndService(const domain::Actor& actor,
                                           const hop::v1::EndServiceRequest& request);
  // Marks an action item done: evaluation required (multi-line free text, local only: the feed
  // never carries the action plan); done_date a real date, empty = today, not in the future;
  // done_by = the actor. FailedPrecondition if it is done already.
  absl::StatusOr<hop::v1::Case> CompleteActionItem(
      const domain::Actor& actor, const hop::v1::CompleteActionItemRequest& request);
  // Opens a closed case again (FailedPrecondition if it is open): reason required, history
  // event REOPENED; the closing reason moves out of the case (the CLOSED history entry keeps
  // it); the case leaves the retention index (it is not purged while open); peers that may see
  // it get its summary again.
  absl::StatusOr<hop::v1::Case> Reopen(const domain::Actor& actor,
                                       const hop::v1::ReopenCaseRequest& request);
  // Takes an open case off the child-protection track (FailedPrecondition if it is not on
  // it): reason required, history event LEFT_CHILD_PROTECTION. The case keeps its stage and
  // its responsible person (until reassigned). Peers that held the child-protection fact get
  // a tombstone (and are nudged) unless a consent lets them see the summary.
  absl::StatusOr<hop::v1::Case> LeaveChildProtection(
      const domain::Actor& actor, const hop::v1::LeaveChildProtectionRequest& request);

 private:
  // Loads the case, checks it is visible to `actor` and open, lets `edit` validate and change
  // it, then writes it. `edit` returns an error to abort without writing.
  absl::StatusOr<hop::v1::Case> Change(
      const domain::Actor& actor, const std::string& case_id,
      const std::function<absl::Status(hop::v1::Case&, Mutation&)>& edit);
  // A registered user with one of the roles, else InvalidArgument naming `field`.
  absl::Status CheckUser(const std::string& user_id, absl::Span<const hop::v1::Role> roles,
                         absl::string_view field) const;
  // Issue 13 (case_book_readers.cc): `c` as `actor` may read it at `now` (whole with full
  // access, else domain::RedactForReader with the institutions of the case's entry authors).
  absl::StatusOr<hop::v1::Case> ForReader(const domain::Actor& actor, hop::v1::Case c,
                                          int64_t now) const;
  // The stored case, NotFound naming `case_id` if there is none.
  absl::StatusOr<hop::v1::Case> Load(const std::string& case_id) const;
  // Issue 13 (case_book_transition.cc), parts of ChangeInstitution: who may move `c` and to
  // where; the responsible person after the move; the assignees bound to `institution` go.
  absl::Status CheckCanMove(const domain::Actor& actor, const hop::v1::Case& c,
                            const hop::v1::ChangeInstitutionRequest& request) const;
  absl::StatusOr<std::string> NewResponsible(
      const hop::v1::Case& c, const hop::v1::ChangeInstitutionRequest& request) const;
  absl::Status DropInstitutionAssignees(hop::v1::Case& c, const std::string& institution) const;
  // A service's type and outcome are county codes and its provider (optional) a directory
  // institution id (this municipality's must exist), else InvalidArgument naming the field.
  absl::Status CheckServiceCodes(const hop::v1::Service& s) const;
  // Issue 13: the history entry of closing (event CLOSED, the stage kept, the reason).
  static void AddCloseEvent(const domain::Actor& actor, int64_t at, const std::string& reason,
                            hop::v1::Case& c);

  RecordStore* const records_;
  const FeedWriter* const feeds_;
  const Options options_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_CASE_BOOK_H_
