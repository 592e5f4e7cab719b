// FeedListener: how the node's own record store tells the rest of the node that peers' feeds
// gained tombstones (DESIGN.md "Per-peer change feeds"), so those peers can be nudged to pull
// at once (federation/nudger.h) instead of at their next nightly sync.
#ifndef HOP_DAEMON_CASEWORK_FEED_LISTENER_H_
#define HOP_DAEMON_CASEWORK_FEED_LISTENER_H_

#include <set>
#include <string>

namespace hop::casework {

class FeedListener {
 public:
  virtual ~FeedListener() = default;
  // Called after a mutation that wrote a tombstone into the feed of each of `peers` (EHAK
  // codes) has been committed, from the committing thread while the store's write lock is
  // held: must only note the peers (e.g. push them onto a queue) and return at once; it must
  // not block or call back into the RecordStore. Implementations must be thread-safe.
  virtual void TombstonesCommitted(const std::set<std::string>& peers) = 0;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_FEED_LISTENER_H_
