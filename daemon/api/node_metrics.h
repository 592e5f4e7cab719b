// The node's gauges for Prometheus, read off its live state at each scrape (ops/metrics.h):
// build info, per-peer sync state (last attempt and success, records in and out, feed lag,
// digest mismatches, full resyncs, failures in a row), certificate expiry times (the node's
// own and the CA's, read from the files so a reload shows), the CRL's next update, whether
// the store can write (hop_store_writable), store size per column family and the audit
// log's length, and the erasure of purged data (how long a purge has waited, the last
// erasure's time and duration, failures). No personal data.
#ifndef HOP_DAEMON_API_NODE_METRICS_H_
#define HOP_DAEMON_API_NODE_METRICS_H_

#include <string>

#include "daemon/audit/audit_log.h"
#include "daemon/base/clock.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/receipt_outbox.h"
#include "daemon/security/crl.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/store/eraser.h"

namespace hop::api {

struct NodeMetricsSources {
  std::string municipality;
  security::TlsPaths tls;
  const casework::RecordStore* records = nullptr;
  const federation::Puller* puller = nullptr;
  const security::CrlSource* crl = nullptr;
  const audit::AuditLog* audit = nullptr;
  const Clock* clock = nullptr;
  int64_t started_at = 0;
  const store::Eraser* eraser = nullptr;
  const federation::ReceiptOutbox* receipts = nullptr;  // may be null
};

// Registers the collector with ops::Registry::Default(); returns its id (RemoveCollector it
// before the sources are destroyed). Also describes the counters and histograms the node's
// parts update, so they are listed from the first scrape.
int RegisterNodeMetrics(NodeMetricsSources sources);

}  // namespace hop::api

#endif  // HOP_DAEMON_API_NODE_METRICS_H_
