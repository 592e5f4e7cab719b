// hop.v1.CaseWork: the staff API for cases, consents, the directory, lookups, live queries
// to the peers and the caller's inbox. Each handler
// authorizes through Authorizer (rule per method) and delegates to the casework books.
// CountCases answers every caller with small cells suppressed (figures/suppression.h:
// SuppressCounts; a suppressed total is 0 with rows present); CountyFigures asks the county
// (figures/county_figures.h).
// Thread-safe; borrowed pointers must outlive the service.
#ifndef HOP_DAEMON_API_CASEWORK_SERVICE_H_
#define HOP_DAEMON_API_CASEWORK_SERVICE_H_

#include "daemon/api/authorizer.h"
#include "daemon/casework/case_book.h"
#include "daemon/casework/consent_book.h"
#include "daemon/casework/directory_book.h"
#include "daemon/casework/inbox.h"
#include "daemon/federation/child_lookup.h"
#include "daemon/federation/consent_delivery.h"
#include "daemon/federation/peer_query.h"
#include "daemon/figures/county_figures.h"
#include "hop/v1/casework.grpc.pb.h"

namespace hop::api {

class CaseWorkService final : public hop::v1::CaseWork::Service {
 public:
  CaseWorkService(const Authorizer* authorizer, casework::CaseBook* cases,
                  casework::ConsentBook* consents, casework::DirectoryBook* directory,
                  const federation::ChildLookup* lookup, federation::PeerQuery* peer_query,
                  casework::Inbox* inbox, const federation::ConsentDelivery* delivery,
                  const figures::CountyFigures* county_figures)
      : authorizer_(authorizer),
        cases_(cases),
        consents_(consents),
        directory_(directory),
        lookup_(lookup),
        peer_query_(peer_query),
        inbox_(inbox),
        delivery_(delivery),
        county_figures_(county_figures) {}

  using Ctx = grpc::ServerContext;
  grpc::Status OpenCase(Ctx*, const hop::v1::OpenCaseRequest*, hop::v1::Case*) override;
  grpc::Status GetCase(Ctx*, const hop::v1::GetCaseRequest*, hop::v1::Case*) override;
  grpc::Status ListCases(Ctx*, const hop::v1::ListCasesRequest*,
                         hop::v1::ListCasesResponse*) override;
  grpc::Status Escalate(Ctx*, const hop::v1::EscalateRequest*, hop::v1::Case*) override;
  grpc::Status MoveToChildProtection(Ctx*, const hop::v1::MoveToChildProtectionRequest*,
                                     hop::v1::Case*) override;
  grpc::Status Assign(Ctx*, const hop::v1::AssignRequest*, hop::v1::Case*) override;
  grpc::Status AddNeeds(Ctx*, const hop::v1::AddNeedsRequest*, hop::v1::Case*) override;
  grpc::Status AddActionItem(Ctx*, const hop::v1::AddActionItemRequest*, hop::v1::Case*) override;
  grpc::Status AddService(Ctx*, const hop::v1::AddServiceRequest*, hop::v1::Case*) override;
  grpc::Status AddAssessment(Ctx*, const hop::v1::AddAssessmentRequest*, hop::v1::Case*) override;
  grpc::Status AddNote(Ctx*, const hop::v1::AddNoteRequest*, hop::v1::Case*) override;
  grpc::Status SetRelatedMunicipalities(Ctx*, const hop::v1::SetRelatedMunicipalitiesRequest*,
                                        hop::v1::Case*) override;
  grpc::Status CloseCase(Ctx*, const hop::v1::CloseCaseRequest*, hop::v1::Case*) override;
  grpc::Status CountCases(Ctx*, const hop::v1::CountCasesRequest*,
                          hop::v1::CountCasesResponse*) override;
  grpc::Status GrantConsent(Ctx*, const hop::v1::GrantConsentRequest*, hop::v1::Consent*) override;
  grpc::Status WithdrawConsent(Ctx*, const hop::v1::WithdrawConsentRequest*,
                               hop::v1::WithdrawConsentResponse*) override;
  grpc::Status ListConsents(Ctx*, const hop::v1::ListConsentsRequest*,
                            hop::v1::ListConsentsResponse*) override;
  grpc::Status PutInstitution(Ctx*, const hop::v1::PutInstitutionRequest*,
                              hop::v1::Institution*) override;
  grpc::Status PutContact(Ctx*, const hop::v1::PutContactRequest*, hop::v1::Contact*) override;
  grpc::Status SearchDirectory(Ctx*, const hop::v1::SearchDirectoryRequest*,
                               hop::v1::SearchDirectoryResponse*) override;
  grpc::Status Lookup(Ctx*, const hop::v1::LookupRequest*, hop::v1::LookupResponse*) override;
  grpc::Status QueryPeers(Ctx*, const hop::v1::QueryPeersRequest*,
                          hop::v1::QueryPeersResponse*) override;
  grpc::Status ListInbox(Ctx*, const hop::v1::ListInboxRequest*,
                         hop::v1::ListInboxResponse*) override;
  grpc::Status AckInbox(Ctx*, const hop::v1::AckInboxRequest*, hop::v1::AckInboxResponse*) override;
  // Issue 13: transitions inside the municipality (helper C).
  grpc::Status ChangeInstitution(Ctx*, const hop::v1::ChangeInstitutionRequest*,
                                 hop::v1::Case*) override;

  // County figures (issue 13): network leaders only (authz rule).
  grpc::Status CountyFigures(Ctx*, const hop::v1::CountyFiguresRequest*,
                             hop::v1::CountyFiguresResponse*) override;

  // Issue 13: case work, complete; directory retirement.
  grpc::Status EndService(Ctx*, const hop::v1::EndServiceRequest*, hop::v1::Case*) override;
  grpc::Status CompleteActionItem(Ctx*, const hop::v1::CompleteActionItemRequest*,
                                  hop::v1::Case*) override;
  grpc::Status ReopenCase(Ctx*, const hop::v1::ReopenCaseRequest*, hop::v1::Case*) override;
  grpc::Status LeaveChildProtection(Ctx*, const hop::v1::LeaveChildProtectionRequest*,
                                    hop::v1::Case*) override;
  grpc::Status RetireInstitution(Ctx*, const hop::v1::RetireInstitutionRequest*,
                                 hop::v1::Institution*) override;
  grpc::Status RetireContact(Ctx*, const hop::v1::RetireContactRequest*,
                             hop::v1::Contact*) override;

 private:
  const Authorizer* const authorizer_;
  casework::CaseBook* const cases_;
  casework::ConsentBook* const consents_;
  casework::DirectoryBook* const directory_;
  const federation::ChildLookup* const lookup_;
  federation::PeerQuery* const peer_query_;
  casework::Inbox* const inbox_;
  const federation::ConsentDelivery* const delivery_;
  const figures::CountyFigures* const county_figures_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_CASEWORK_SERVICE_H_
