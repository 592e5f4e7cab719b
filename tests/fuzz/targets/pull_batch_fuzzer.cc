// Fuzzes what a hostile peer can send in a pull: the bytes of one hop.v1.PullBatch as the
// receiver takes them off the wire, checked entry by entry (Puller::CheckEntry) and applied to
// a real RocksDB store through ReplicaStore::OriginApply, as Puller::ApplyBatches does (that
// method is private, so this follows its steps through the public API: a batch claiming
// another origin is refused whole; a refused entry of the origin's own is kept as a husk; a
// tombstone removes; the rest is upserted). The batch is applied twice (a first pull into an
// empty store, then a repeat that reads the copies back), then the expiry purge, the readers
// and DropOrigin run.
// Contracts: no crash or undefined behaviour; refusals are PermissionDenied or InvalidArgument;
// what is kept passes CheckEntry; the origin's account (digest and count) equals what is on
// disk; every index key names a kept copy and every kept summary is indexed; DropOrigin
// leaves nothing of the origin behind.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/replica_store.h"
#include "daemon/feed/set_digest.h"
#include "daemon/store/store.h"
#include "tests/fuzz/targets/fuzz_util.h"

namespace {

namespace fed = hop::federation;
using hop::fuzz::Require;
using hop::store::Family;

constexpr char kOrigin[] = "0171";              // the peer being pulled from (Elva vald)
constexpr int64_t kNow = 1767225600;            // 2026-01-01T00:00:00Z
constexpr int64_t kLater = kNow + 86400 * 400;  // the purge runs well after every seed's expiry

struct World {
  std::unique_ptr<hop::store::Store> store;
  std::unique_ptr<hop::security::NodeSecret> secret;
  std::unique_ptr<fed::ReplicaStore> replicas;
};

World& TheWorld() {
  static World* world = [] {
    std::string dir = hop::fuzz::ScratchRoot() + "/hop-pull-fuzz-XXXXXX";
    Require(mkdtemp(dir.data()) != nullptr, "mkdtemp");
    auto store = hop::store::Store::Open({dir});
    Require(store.ok(), "opening the store");
    auto* w = new World;
    w->store = *std::move(store);
    w->secret = std::make_unique<hop::security::NodeSecret>(
        *hop::security::NodeSecret::FromBytes(std::string(32, 'f')));
    w->replicas = std::make_unique<fed::ReplicaStore>(w->store.get(), w->secret.get());
    return w;
  }();
  return *world;
}

bool SharedKind(absl::string_view key) {
  return absl::StartsWith(key, "case/") || absl::StartsWith(key, "institution/") ||
         absl::StartsWith(key, "contact/");
}

// One pull of `batch`, as the receiver applies it. `started_empty`: nothing is held from the
// origin, so only repeats within the batch need reading (Puller's fast path).
void Apply(hop::v1::PullBatch batch, bool started_empty) {
  World& w = TheWorld();
  if (batch.origin() != kOrigin) return;  // refused whole: "peer answered as another origin"
  hop::store::WriteBatch wb = w.store->NewBatch();
  fed::ReplicaStore::OriginApply apply(w.replicas.get(), kOrigin, &wb,
                                       w.replicas->Account(kOrigin));
  std::vector<std::string> keys;
  if (!started_empty) {
    for (const hop::v1::FeedEntry& e : batch.entries()) keys.push_back(e.record_key());
  }
  Require(apply.Prefetch(keys).ok(), "prefetch");
  for (hop::v1::FeedEntry& e : *batch.mutable_entries()) {
    const absl::Status ok = fed::Puller::CheckEntry(kOrigin, e);
    if (!ok.ok()) {
      Require(absl::IsPermissionDenied(ok) || absl::IsInvalidArgument(ok), "refusal code");
      if (!e.tombstone() && !absl::IsPermissionDenied(ok) && SharedKind(e.record_key())) {
        apply.Husk(e.record_key(), e.seq(), kNow);
      }
      continue;
    }
    if (e.tombstone()) {
      apply.Remove(e.record_key());
    } else {
      apply.Upsert(std::move(e), kNow);
    }
  }
  apply.Finish();
  Require(w.store->Write(wb).ok(), "write");
}

// Everything in the replicas family, by key.
std::map<std::string, std::string> Dump() {
  std::map<std::string, std::string> all;
  Require(TheWorld()
              .store
              ->Scan(Family::kReplicas, "", "",
                     [&](absl::string_view k, absl::string_view v) {
                       all.emplace(k, v);
                       return true;
                     })
              .ok(),
          "scan");
  return all;
}

// The kept copies agree with the account and the indexes.
void CheckConsistent(int64_t now) {
  const std::map<std::string, std::string> all = Dump();
  const std::string copies = absl::StrCat("o/", kOrigin, "/");
  hop::v1::SetDigest digest;
  uint64_t held = 0;
  std::set<std::string> indexes;  // the y/ and e/ keys the copies need
  for (const auto& [key, value] : all) {
    if (!absl::StartsWith(key, copies)) continue;
    hop::v1::Replica r;
    Require(r.ParseFromString(value), "a kept copy does not parse");
    Require(key == copies + r.entry().record_key(), "copy stored under another key");
    hop::feed::DigestAdd(digest, r.entry().record_key(), r.entry().seq());
    if (r.entry().payload_case() == hop::v1::FeedEntry::PAYLOAD_NOT_SET) continue;  // a husk
    // A withdrawal notice is kept (and counted in the digest) but is not a copy held.
    if (!r.entry().has_withdrawal_notice()) ++held;
    Require(fed::Puller::CheckEntry(kOrigin, r.entry()).ok(), "a refused entry was kept");
    Require(!r.entry().tombstone(), "a tombstone was kept");
    if (!r.entry().has_case_summary()) continue;
    const hop::v1::CaseSummary& s = r.entry().case_summary();
    Require(s.expires_at() == 0 || s.expires_at() > now, "an expired summary kept its content");
    indexes.insert(absl::StrCat("y/", TheWorld().secret->ChildPseudonym(s.child_isikukood()), "/",
                                kOrigin, "/", r.entry().record_key()));
    if (s.expires_at() != 0) {
      indexes.insert(absl::StrFormat("e/%016x/%s/%s", static_cast<uint64_t>(s.expires_at()),
                                     kOrigin, r.entry().record_key()));
    }
  }
  for (const auto& [key, value] : all) {
    if (absl::StartsWith(key, "y/") || absl::StartsWith(key, "e/")) {
      Require(indexes.count(key) == 1, "an index key names no kept summary");
    }
  }
  for (const std::string& key : indexes) Require(all.count(key) == 1, "a summary is not indexed");
  const hop::v1::ReplicaAccount account = TheWorld().replicas->Account(kOrigin);
  Require(account.held() == held, "account.held differs from the copies kept");
  Require(hop::feed::DigestEqual(account.digest(), digest), "account digest differs from disk");
}

void ReadBack(const hop::v1::PullBatch& batch, int64_t now) {
  fed::ReplicaStore& replicas = *TheWorld().replicas;
  for (const hop::v1::FeedEntry& e : batch.entries()) {
    if (!e.has_case_summary()) continue;
    Require(replicas
                .ChildSummaries(e.case_summary().child_isikukood(), now,
                                [&](const hop::v1::Replica& r) {
                                  Require(r.entry().case_summary().child_isikukood() ==
                                              e.case_summary().child_isikukood(),
                                          "ChildSummaries returned another child");
                                })
                .ok(),
            "ChildSummaries");
  }
  Require(replicas
              .ScanInstitutions([](const hop::v1::Institution& i) {
                Require(i.municipality() == kOrigin, "institution of another origin");
              })
              .ok(),
          "ScanInstitutions");
  Require(replicas
              .ScanContacts([](const hop::v1::Contact& c) {
                Require(c.municipality() == kOrigin, "contact of another origin");
              })
              .ok(),
          "ScanContacts");
}

// DropOrigin must leave nothing behind; the family is emptied either way for the next input.
void DropAll() {
  World& w = TheWorld();
  hop::store::WriteBatch drop = w.store->NewBatch();
  Require(w.replicas->DropOrigin(kOrigin, drop).ok(), "DropOrigin");
  Require(w.store->Write(drop).ok(), "write");
  const std::map<std::string, std::string> left = Dump();
  Require(left.empty(), "DropOrigin left keys of the origin behind");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hop::v1::PullBatch batch;
  if (!batch.ParseFromArray(data, static_cast<int>(size))) return 0;
  Apply(batch, /*started_empty=*/true);
  CheckConsistent(kNow);
  Apply(batch, /*started_empty=*/false);
  CheckConsistent(kNow);
  ReadBack(batch, kNow);
  absl::StatusOr<uint64_t> purged = TheWorld().replicas->PurgeExpired(kLater);
  Require(purged.ok(), "PurgeExpired");
  CheckConsistent(kLater);
  DropAll();
  return 0;
}
