// SetDigest: an order-independent digest of a set of feed entries, each named by its
// (record_key, seq). The owner keeps one per peer over that peer's live feed entries; the
// receiver keeps one per origin over the copies it holds. Both are updated incrementally
// with each change, so comparing them after a pull costs nothing per record held
// (DESIGN.md "Sync": a mismatch triggers a full resync).
//
// The digest is the count plus the XOR of SHA-256(record_key "\0" seq as 8 big-endian bytes)
// truncated to 16 bytes. Adding and removing the same member cancel out. Pure functions.
#ifndef HOP_DAEMON_FEED_SET_DIGEST_H_
#define HOP_DAEMON_FEED_SET_DIGEST_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "hop/v1/federation.pb.h"

namespace hop::feed {

void DigestAdd(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq);
void DigestRemove(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq);
// The same digest as a mutable accumulator, for many changes in a row without a protobuf
// round trip per change.
class DigestAccumulator {
 public:
  explicit DigestAccumulator(const hop::v1::SetDigest& digest);
  void Add(absl::string_view record_key, uint64_t seq);
  void Remove(absl::string_view record_key, uint64_t seq);
  uint64_t count() const { return count_; }
  hop::v1::SetDigest ToProto() const;

 private:
  void Toggle(absl::string_view record_key, uint64_t seq);
  uint64_t count_ = 0;
  unsigned char xor_[16] = {};
};

// Equal count and XOR (an empty xor field equals sixteen zero bytes).
bool DigestEqual(const hop::v1::SetDigest& a, const hop::v1::SetDigest& b);
// "count/first 8 hex digits of the XOR", for logs.
std::string DigestShort(const hop::v1::SetDigest& digest);

}  // namespace hop::feed

#endif  // HOP_DAEMON_FEED_SET_DIGEST_H_
