// hop.v1.Federation on the federation port: serves each configured peer its own change feed
// (casework/RecordStore::ScanFeed) in batches. Only node certificates of configured peers are
// served (PERMISSION_DENIED otherwise; UNAUTHENTICATED for revoked certificates).
//
// Each pull first runs the owner's consent-expiry sweep (so the feed and digest already
// reflect consents that ended), then reads the feed and the peer's digest from one
// snapshot; the digest rides on the last batch. The caller's since_seq (in this epoch) is its
// acknowledgement: tombstones up to it are collected, and the progress is kept in
// sync_state "out/<peer>" (hop.v1.FeedProgress). Batches are cut by count and bytes
// (FeedBatcher). A caller claiming a position this node never issued (since_seq in this epoch
// beyond the newest change here) is refused with OUT_OF_RANGE, logged, audited and counted
// (hop_peer_position_refusals_total, FeedProgress.position_refusals) and changes nothing: the
// epoch moves only by this node's own act (hopd --restore, a wiped store). The honest puller
// answers OUT_OF_RANGE by pulling from zero.
// A pull from an earlier epoch of this node first goes through the WithdrawalHandback
// (federation/withdrawal_handback.h): the caller is asked for the withdrawal notices it
// holds, which are re-applied here before the feed is served from zero; re-applied and
// refused notices are counted in FeedProgress.
// Live queries (Query) are answered by a QueryAnswerer, look-up receipts (Receipts) taken by
// a ReceiptIntake, for the same configured peers. The
// last batch of every pull carries this node's audit head, which the peer keeps as a witness
// and hands back on Witness (for `hopctl audit verify`). A Nudge from a configured peer is
// handed to `nudges` (the scheduler pulls that peer soon, rate-limited; NudgeLimiter).
// Figures (issue 13) answers a configured peer of the same county (PERMISSION_DENIED for a
// peer of another county) asking for its network leader (FiguresRequest.asker must be that
// peer's staff identity, asker_role ROLE_NETWORK_LEADER; else PERMISSION_DENIED, or
// INVALID_ARGUMENT for a malformed asker) with this node's published figures (counts only,
// small cells suppressed: figures/counting.h); every answer and refusal is audited, naming
// no child. At most kFiguresPerPeerPerMinute answers per peer (RESOURCE_EXHAUSTED beyond).
// Thread-safe; borrowed pointers must outlive the service.
#ifndef HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_
#define HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_

#include <functional>
#include <set>
#include <string>

#include "daemon/base/rate_limiter.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/nudge_limiter.h"
#include "daemon/federation/query_answerer.h"
#include "daemon/federation/receipt_intake.h"
#include "daemon/federation/withdrawal_handback.h"
#include "daemon/security/peer_identity.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {

// Figures answers per calling peer and minute (each one counts every case of this node).
inline constexpr uint32_t kFiguresPerPeerPerMinute = 30;

class FederationService final : public hop::v1::Federation::Service {
 public:
  // This node's published county figures (figures::PublishedFigures).
  using FiguresSource = std::function<absl::StatusOr<hop::v1::MunicipalityFigures>()>;

  // `sweep` runs before each pull is served (the owner's consent-expiry sweep).
  // `audit` (may be null) records every pull served, with the children whose summaries it
  // carried, and every refused pull.
  FederationService(std::set<std::string> peers, const security::PeerAuthenticator* authenticator,
                    casework::RecordStore* records, audit::AuditLog* audit,
                    std::function<absl::Status()> sweep, QueryAnswerer* answerer,
                    WithdrawalHandback* handback, NudgeSink* nudges, ReceiptIntake* receipts,
                    FiguresSource figures)
      : peers_(std::move(peers)),
        authenticator_(authenticator),
        records_(records),
        audit_(audit),
        sweep_(std::move(sweep)),
        answerer_(answerer),
        handback_(handback),
        nudges_(nudges),
        receipts_(receipts),
        figures_(std::move(figures)),
        figures_limiter_(kFiguresPerPeerPerMinute, &records->clock()) {}

  grpc::Status Pull(grpc::ServerContext* context, const hop::v1::PullRequest* request,
                    grpc::ServerWriter<hop::v1::PullBatch>* writer) override;
  grpc::Status Query(grpc::ServerContext* context, const hop::v1::ChildQuery* request,
                     hop::v1::ChildQueryAnswer* answer) override;
  // Look-up receipts from the calling peer (ReceiptIntake).
  grpc::Status Receipts(grpc::ServerContext* context, const hop::v1::LookupReceiptBatch* request,
                        hop::v1::LookupReceiptAck* ack) override;
  // What this node witnessed of the calling peer's audit log (see Puller: "w/<origin>").
  grpc::Status Witness(grpc::ServerContext* context, const hop::v1::WitnessRequest* request,
                       hop::v1::AuditWitness* witness) override;
  // The calling peer asks to be pulled soon (it wrote a tombstone for this node).
  grpc::Status Nudge(grpc::ServerContext* context, const hop::v1::NudgeRequest* request,
                     hop::v1::NudgeResponse* response) override;
  // County figures for a network leader of a peer of the same county (see above).
  grpc::Status Figures(grpc::ServerContext* context, const hop::v1::FiguresRequest* request,
                       hop::v1::FiguresAnswer* answer) override;

  // What this node has served `peer` so far (empty if never).
  static hop::v1::FeedProgress Progress(const store::Store& store, const std::string& peer);

 private:
  // Records the peer's acknowledgement and collects the tombstones it covers.
  void Acknowledge(const std::string& peer, uint64_t acked_seq);
  // OK when `since` (in this epoch) is a position this node has issued; else the refusal
  // (OUT_OF_RANGE), logged, audited and counted.
  absl::Status CheckPosition(const std::string& peer, uint64_t since);
  // Runs the withdrawal handback of a pull and counts it in the peer's progress; true when
  // the pull was answered by asking for withdrawals (nothing else is to be served).
  absl::StatusOr<bool> HandBack(const std::string& peer, const hop::v1::PullRequest& request,
                                grpc::ServerWriter<hop::v1::PullBatch>* writer);
  // Saves the peer's progress, audited with the children whose summaries were served: one
  // entry per basis, the one for `cp_subjects` (child-protection basis) marked
  // child_protection.
  // `served_seq`: the newest seq of the feed this pull covered (FeedProgress.served_seq).
  void RecordServed(const std::string& peer, const std::string& epoch, uint64_t acked_seq,
                    uint64_t served_seq, uint64_t sent, uint64_t withheld,
                    const std::set<std::string>& subjects,
                    const std::set<std::string>& cp_subjects);
  // The caller's municipality if it is a configured peer node; otherwise the refusal
  // (UNAUTHENTICATED / PERMISSION_DENIED), logged and audited under `action`.
  absl::StatusOr<std::string> AuthenticatePeer(const grpc::ServerContext& context,
                                               absl::string_view action);
  void AuditRefusal(const std::string& caller, absl::string_view action, const std::string& reason);
  // The figures for `peer`'s asker, or the refusal (audited either way).
  absl::StatusOr<hop::v1::FiguresAnswer> AnswerFigures(const std::string& peer,
                                                       const hop::v1::FiguresRequest& request);

  const std::set<std::string> peers_;
  const security::PeerAuthenticator* const authenticator_;
  casework::RecordStore* const records_;
  audit::AuditLog* const audit_;
  const std::function<absl::Status()> sweep_;
  QueryAnswerer* const answerer_;
  WithdrawalHandback* const handback_;
  NudgeSink* const nudges_;
  ReceiptIntake* const receipts_;
  const FiguresSource figures_;
  RateLimiter figures_limiter_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_
