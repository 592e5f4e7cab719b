#include "daemon/casework/inbox.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/limits.h"

namespace hop::casework {
namespace {

using store::Family;

std::string Prefix(const std::string& user_id) { return absl::StrCat("n/", user_id, "/"); }

}  // namespace

absl::StatusOr<std::unique_ptr<Inbox>> Inbox::Open(store::Store* store, const Clock* clock) {
  std::unique_ptr<Inbox> inbox(new Inbox(store, clock));
  // The newest id is read off the entries themselves (batches of concurrent notifications may
  // be written in either order, so no separate counter could be trusted).
  uint64_t last = 0;
  bool bad = false;
  HOP_RETURN_IF_ERROR(
      store->Scan(Family::kUsers, "n/", "", [&](absl::string_view key, absl::string_view) {
        uint64_t id = 0;
        const size_t slash = key.rfind('/');
        if (slash == absl::string_view::npos || !absl::SimpleHexAtoi(key.substr(slash + 1), &id)) {
          bad = true;
          return false;
        }
        last = std::max(last, id);
        return true;
      }));
  if (bad) return absl::DataLossError("an inbox key of the users family is malformed");
  absl::MutexLock lock(&inbox->mu_);
  inbox->last_id_ = last;
  return inbox;
}

void Inbox::Notify(store::WriteBatch& batch, const std::vector<std::string>& users,
                   hop::v1::InboxEntry entry) {
  std::set<std::string> distinct(users.begin(), users.end());
  distinct.erase("");
  if (distinct.empty()) return;
  entry.set_time(clock_->NowUnix());
  absl::MutexLock lock(&mu_);
  for (const std::string& user : distinct) {
    entry.set_id(absl::StrFormat("%016x", ++last_id_));
    batch.Put(Family::kUsers, absl::StrCat(Prefix(user), entry.id()), entry.SerializeAsString());
  }
}

absl::StatusOr<std::vector<hop::v1::InboxEntry>> Inbox::List(const std::string& user_id,
                                                             bool include_acknowledged) const {
  std::vector<hop::v1::InboxEntry> entries;
  bool corrupt = false;
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kUsers, Prefix(user_id), "", [&](absl::string_view, absl::string_view value) {
        hop::v1::InboxEntry e;
        if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = true;
          return false;
        }
        if (include_acknowledged || e.acknowledged_at() == 0) {
          entries.push_back(std::move(e));
        }
        return true;
      }));
  if (corrupt)
    return absl::DataLossError(absl::StrCat("an inbox entry of ", user_id, " is unreadable"));
  return entries;
}

absl::StatusOr<uint32_t> Inbox::Acknowledge(const std::string& user_id,
                                            const std::vector<std::string>& ids, bool all) {
  HOP_RETURN_IF_ERROR(
      domain::CheckCount(ids.size(), domain::kMaxInboxAckIds, "ids", "entries per call"));
  absl::MutexLock lock(&mu_);  // no two acknowledgements interleave their read and write
  std::vector<hop::v1::InboxEntry> chosen;
  if (all) {
    HOP_ASSIGN_OR_RETURN(chosen, List(user_id, /*include_acknowledged=*/false));
  } else {
    for (const std::string& id : std::set<std::string>(ids.begin(), ids.end())) {
      HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                           store_->Get(Family::kUsers, absl::StrCat(Prefix(user_id), id)));
      hop::v1::InboxEntry e;
      if (!raw.has_value() || !e.ParseFromString(*raw)) {
        return absl::NotFoundError(absl::StrCat(
            "inbox entry ", id, ": not in your inbox; see the ids with `hopctl inbox`"));
      }
      if (e.acknowledged_at() == 0) chosen.push_back(std::move(e));
    }
  }
  if (chosen.empty()) return 0u;
  store::WriteBatch batch = store_->NewBatch();
  const int64_t now = clock_->NowUnix();
  for (hop::v1::InboxEntry& e : chosen) {
    e.set_acknowledged_at(now);
    batch.Put(Family::kUsers, absl::StrCat(Prefix(user_id), e.id()), e.SerializeAsString());
  }
  HOP_RETURN_IF_ERROR(store_->Write(batch));
  return static_cast<uint32_t>(chosen.size());
}

}  // namespace hop::casework
