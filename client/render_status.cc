// Rendering of node status figures shared by `hopctl status` and `hopctl federation status`:
// durations, expiry dates, and the county-wide table.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "client/render.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {
namespace {

constexpr int64_t kDay = 86400;
// A peer whose last success is older than this is "behind" (the alert's threshold).
constexpr int64_t kSyncStale = 36 * 3600;

// "364 d" / "20 d (SOON)" when under `soon_days` / "EXPIRED 2 d ago" / "-" (the alert
// thresholds of deploy/prometheus/hop_rules.yml: 30 days for certificates, 7 for the CRL).
std::string DaysLeft(int64_t at, int64_t now, int64_t soon_days) {
  if (at == 0) return "-";
  if (at < now) return absl::StrCat("EXPIRED ", (now - at) / kDay, " d ago");
  return absl::StrCat((at - now) / kDay, " d", at - now < soon_days * kDay ? " (SOON)" : "");
}

}  // namespace

std::string StoreState(const hop::v1::NodeStatus& status) {
  if (status.store_writable()) return "writable";
  // A node that cannot write always says why; no reason means a node too old to report it.
  if (status.store_error().empty()) return "-";
  return absl::StrCat("CANNOT WRITE: ", Clean(status.store_error()));
}

std::string Duration(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return absl::StrCat(seconds, " s");
  if (seconds < 3600) return absl::StrCat(seconds / 60, " min");
  if (seconds < kDay) return absl::StrCat(seconds / 3600, " h ", (seconds % 3600) / 60, " min");
  return absl::StrCat(seconds / kDay, " d ", (seconds % kDay) / 3600, " h");
}

std::string ExpiryText(int64_t at, int64_t now, absl::TimeZone zone) {
  if (at == 0) return "-";
  if (at < now)
    return absl::StrCat(FormatTime(at, zone), " (EXPIRED ", Duration(now - at), " ago)");
  return absl::StrCat(FormatTime(at, zone), " (in ", Duration(at - now), ")");
}

std::string RenderFederationStatus(const hop::v1::FederationStatus& report, absl::Time now,
                                   absl::TimeZone zone) {
  Table table({"NODE", "STATE", "VERSION", "UP", "STORE", "PEERS SYNCED", "OLDEST SYNC",
               "NODE CERT", "CA CERT", "CRL", "AUDIT"});
  int up = 0;
  for (const hop::v1::FederationNodeStatus& row : report.nodes()) {
    const domain::Municipality* m = domain::FindMunicipality(row.municipality());
    const std::string node =
        m == nullptr ? row.municipality() : absl::StrCat(row.municipality(), " ", m->name);
    if (!row.reachable()) {
      const bool refused = absl::StartsWith(row.error(), "PERMISSION_DENIED") ||
                           absl::StartsWith(row.error(), "UNAUTHENTICATED");
      table.AddRow(
          {node, refused ? "REFUSED" : "UNREACHABLE", "-", "-", "-", "-", "-", "-", "-", "-", "-"});
      continue;
    }
    ++up;
    const hop::v1::NodeStatus& s = row.status();
    const int64_t t = s.now() != 0 ? s.now() : absl::ToUnixSeconds(now);
    int fresh = 0;
    int64_t oldest = -1;  // oldest last success among peers; 0 = a peer never synced
    for (const hop::v1::PeerSyncState& p : s.peers()) {
      const int64_t last = p.checkpoint().last_success();
      if (last != 0 && t - last <= kSyncStale) ++fresh;
      if (oldest < 0 || last < oldest) oldest = last;
    }
    const bool unwritable = !s.store_writable() && !s.store_error().empty();
    table.AddRow(
        {node, unwritable ? "up, CANNOT WRITE" : "up", s.version(), Duration(t - s.started_at()),
         absl::StrCat(s.store_bytes() / 1024, " KiB"), absl::StrCat(fresh, "/", s.peers_size()),
         oldest < 0    ? "-"
         : oldest == 0 ? "never"
                       : FormatTime(oldest, zone),
         DaysLeft(s.node_cert_expires_at(), t, 30), DaysLeft(s.ca_cert_expires_at(), t, 30),
         DaysLeft(s.crl_next_update(), t, 7), absl::StrCat(s.audit_entries())});
  }
  std::string out = table.Render();
  absl::StrAppend(&out, "\n", up, " of ", report.nodes_size(), " nodes answered");
  for (const hop::v1::FederationNodeStatus& row : report.nodes()) {
    if (!row.reachable()) {
      absl::StrAppend(&out, "\n  ", row.municipality(), " at ", row.address(), ": ",
                      Clean(row.error()));
    } else if (!row.status().store_writable() && !row.status().store_error().empty()) {
      absl::StrAppend(&out, "\n  ", row.municipality(), ": ", Clean(row.status().store_error()));
    }
  }
  absl::StrAppend(&out, "\nPEERS SYNCED: peers pulled from successfully within 36 h.\n");
  return out;
}

}  // namespace hop::client
