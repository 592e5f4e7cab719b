#include "daemon/api/node_metrics.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "daemon/federation/federation_service.h"
#include "daemon/ops/metrics.h"

namespace hop::api {
namespace {

using ops::TextWriter;

void DescribeUpdatedElsewhere() {
  ops::Registry& r = ops::Registry::Default();
  r.Describe("hop_peer_bytes_in_total", "counter",
             "Bytes of feed batches received from the peer since start");
  r.Describe("hop_peer_bytes_out_total", "counter",
             "Bytes of feed batches served to the peer since start");
  r.Describe("hop_sync_duration_seconds", "histogram", "Duration of each pull from a peer");
  r.Describe("hop_query_duration_seconds", "histogram",
             "Duration of live queries asked by this node's staff (fan-out to the peers)");
  r.Describe("hop_api_request_duration_seconds", "histogram",
             "Duration of staff API calls by method");
  r.Describe("hop_refusals_total", "counter",
             "Calls refused or failed, by API (staff, federation) and reason (status code)");
  r.Describe("hop_nudges_sent_total", "counter",
             "Nudges sent to peers after their feed gained a tombstone, by outcome (a failed "
             "one is dropped: the peer gets the tombstone at its next pull)");
  r.Describe("hop_nudges_received_total", "counter", "Nudges received from each peer");
  r.Describe("hop_nudged_pulls_total", "counter",
             "Pulls made because the peer nudged (at most one per peer per 10 s)");
  r.Describe("hop_closed_cases_purged_total", "counter",
             "Closed cases purged after retention.closed_case_days");
  r.Describe("hop_receipts_delivered_total", "counter",
             "Look-up receipts the owner acknowledged, by owner, since start");
  r.Describe("hop_receipts_refused_by_owner_total", "counter",
             "Look-up receipts the owner refused for good (logged with its reason), by owner");
  r.Describe("hop_receipts_outbox_refusals_total", "counter",
             "Look-ups refused because the receipts outbox was full");
}

// The erasure of purged data (store/eraser.h).
void CollectErasure(const NodeMetricsSources& s, TextWriter& out) {
  const store::Store& store = s.records->store();
  const std::optional<int64_t> since = store.ErasurePendingSince();
  out.Family("hop_erasure_pending_seconds", "gauge",
             "Seconds since the oldest purge not yet compacted out of the data directory (0 = "
             "none; bounded by retention.erase_within_seconds)");
  out.Sample("hop_erasure_pending_seconds", {},
             since.has_value()
                 ? static_cast<double>(std::max<int64_t>(0, s.clock->NowUnix() - *since))
                 : 0.0);
  out.Family("hop_erasure_last_timestamp_seconds", "gauge",
             "When the last erasure finished (unix seconds; 0 = never)");
  out.Sample("hop_erasure_last_timestamp_seconds", {}, static_cast<double>(store.LastErasure()));
  if (s.eraser == nullptr) return;
  const store::Eraser::Stats stats = s.eraser->stats();
  out.Family("hop_erasure_duration_seconds", "gauge", "How long the last erasure took");
  out.Sample("hop_erasure_duration_seconds", {}, absl::ToDoubleSeconds(stats.last_took));
  out.Family("hop_erasure_failures_total", "counter", "Erasures that failed (retried)");
  out.Sample("hop_erasure_failures_total", {}, static_cast<double>(stats.failures));
}

void Collect(const NodeMetricsSources& s, TextWriter& out) {
  out.Family("hop_build_info", "gauge", "Version and municipality of this node");
  out.Sample("hop_build_info", {{"version", HOP_VERSION}, {"municipality", s.municipality}}, 1);
  out.Family("hop_start_time_seconds", "gauge", "When this hopd started (unix seconds)");
  out.Sample("hop_start_time_seconds", {}, static_cast<double>(s.started_at));

  const std::vector<hop::v1::PeerSyncState> peers = s.puller->States();
  struct Gauge {
    const char* name;
    const char* type;
    const char* help;
    std::function<double(const hop::v1::PeerSyncState&)> value;
  };
  std::map<std::string, hop::v1::FeedProgress> served;  // read once per peer and scrape
  for (const hop::v1::PeerSyncState& p : peers) {
    served[p.municipality()] =
        federation::FederationService::Progress(s.records->store(), p.municipality());
  }
  auto progress = [&](const std::string& peer) -> const hop::v1::FeedProgress& {
    return served[peer];
  };
  const std::vector<Gauge> gauges = {
      {"hop_peer_last_attempt_timestamp_seconds", "gauge",
       "When this node last tried to pull from the peer (0 = never)",
       [](const auto& p) { return static_cast<double>(p.checkpoint().last_attempt()); }},
      {"hop_peer_last_success_timestamp_seconds", "gauge",
       "When this node last pulled from the peer successfully (0 = never)",
       [](const auto& p) { return static_cast<double>(p.checkpoint().last_success()); }},
      {"hop_peer_records_in_total", "counter", "Feed entries applied from the peer, all time",
       [](const auto& p) { return static_cast<double>(p.checkpoint().records_in()); }},
      {"hop_peer_records_refused_total", "counter", "Feed entries refused from the peer",
       [](const auto& p) { return static_cast<double>(p.checkpoint().refused_in()); }},
      {"hop_peer_records_held", "gauge", "Copies held from the peer",
       [](const auto& p) { return static_cast<double>(p.records_held()); }},
      {"hop_peer_digest_mismatches_total", "counter",
       "Pulls from the peer whose digest did not match (each repaired by a full resync)",
       [](const auto& p) { return static_cast<double>(p.checkpoint().digest_mismatches()); }},
      {"hop_peer_full_resyncs_total", "counter", "Full resyncs from the peer",
       [](const auto& p) { return static_cast<double>(p.checkpoint().full_resyncs()); }},
      {"hop_peer_sync_failures_in_row", "gauge",
       "Failed pulls from the peer since the last success",
       [](const auto& p) { return static_cast<double>(p.checkpoint().failures_in_row()); }},
      {"hop_peer_records_out_total", "counter", "Feed entries served to the peer, all time",
       [&](const auto& p) {
         return static_cast<double>(progress(p.municipality()).records_out());
       }},
      {"hop_peer_position_refusals_total", "counter",
       "Pulls by the peer refused because it claimed a feed position this node never issued",
       [&](const auto& p) {
         return static_cast<double>(progress(p.municipality()).position_refusals());
       }},
      {"hop_peer_withheld_out_total", "counter",
       "Entries served to the peer without content because the record is over the size limit",
       [&](const auto& p) {
         return static_cast<double>(progress(p.municipality()).withheld_out());
       }},
      {"hop_peer_feed_lag", "gauge",
       "Change sequence numbers between the newest entry of the peer's feed and the position "
       "the peer acknowledged (0 = caught up; a peer acknowledges on its next pull)",
       [&](const auto& p) {
         absl::StatusOr<uint64_t> head = s.records->FeedHead(p.municipality());
         const uint64_t acked = progress(p.municipality()).acked_seq();
         return head.ok() && *head > acked ? static_cast<double>(*head - acked) : 0.0;
       }},
  };
  for (const Gauge& g : gauges) {
    out.Family(g.name, g.type, g.help);
    for (const hop::v1::PeerSyncState& p : peers) {
      out.Sample(g.name, {{"peer", p.municipality()}}, g.value(p));
    }
  }

  out.Family("hop_certificate_expiry_timestamp_seconds", "gauge",
             "When the certificate in use expires (unix seconds), the node's own and the CA's");
  for (const auto& [which, path] :
       {std::pair{"node", s.tls.cert}, std::pair{"ca", s.tls.ca_cert}}) {
    if (absl::StatusOr<int64_t> not_after = security::CertificateNotAfter(path); not_after.ok()) {
      out.Sample("hop_certificate_expiry_timestamp_seconds", {{"certificate", which}},
                 static_cast<double>(*not_after));
    }
  }
  out.Family("hop_crl_next_update_timestamp_seconds", "gauge",
             "When the CRL in use must be replaced by a newer one (unix seconds)");
  out.Sample("hop_crl_next_update_timestamp_seconds", {},
             static_cast<double>(s.crl->Current()->next_update()));
  out.Family("hop_crl_number", "gauge", "The cRLNumber of the CRL in force");
  out.Sample("hop_crl_number", {}, static_cast<double>(s.crl->Current()->number()));
  out.Family("hop_crl_stale", "gauge",
             "1 while the CRL in force is past its nextUpdate plus tls.crl_grace_hours: the "
             "node refuses every federation call until a fresh CRL is installed");
  out.Sample("hop_crl_stale", {}, s.crl->CheckFresh(s.clock->NowUnix()).ok() ? 0 : 1);
  out.Family("hop_crl_rollbacks_refused_total", "counter",
             "CRL files refused because their CRL number is lower than the one in force");
  out.Sample("hop_crl_rollbacks_refused_total", {},
             static_cast<double>(s.crl->rollbacks_refused()));

  out.Family("hop_store_writable", "gauge",
             "1 when the store can write, 0 while it cannot (e.g. the disk is full: writes and "
             "audited reads are refused until space is freed; no restart needed)");
  out.Sample("hop_store_writable", {}, s.records->store().Health().writable ? 1 : 0);
  out.Family("hop_store_size_bytes", "gauge", "Approximate on-disk size of each column family");
  for (int f = 0; f < store::kFamilyCount; ++f) {
    const auto family = static_cast<store::Family>(f);
    out.Sample("hop_store_size_bytes", {{"column_family", store::FamilyName(family)}},
               static_cast<double>(s.records->store().ApproximateBytes(family)));
  }
  out.Family("hop_audit_entries", "gauge", "Entries in the audit log");
  out.Sample("hop_audit_entries", {}, static_cast<double>(s.audit->Entries()));
  CollectErasure(s, out);
  if (s.receipts != nullptr) {
    out.Family("hop_receipts_pending", "gauge",
               "Look-up receipts waiting for their owner's acknowledgement, by owner");
    for (const auto& [origin, n] : s.receipts->PendingByOrigin()) {
      out.Sample("hop_receipts_pending", {{"peer", origin}}, static_cast<double>(n));
    }
    out.Family("hop_receipts_outbox_bytes", "gauge", "Bytes of the look-up receipts outbox");
    out.Sample("hop_receipts_outbox_bytes", {}, static_cast<double>(s.receipts->pending_bytes()));
    out.Family("hop_receipts_outbox_full", "gauge",
               "1 while the receipts outbox is full: look-ups of held copies are refused");
    out.Sample("hop_receipts_outbox_full", {}, s.receipts->full() ? 1 : 0);
  }
}

}  // namespace

int RegisterNodeMetrics(NodeMetricsSources sources) {
  DescribeUpdatedElsewhere();
  return ops::Registry::Default().AddCollector(
      [s = std::move(sources)](TextWriter& out) { Collect(s, out); });
}

}  // namespace hop::api
