// The node's own secret: 32 random bytes that only this node knows, kept in a file outside
// the data directory and outside backups, next to the TLS key (NodeConfig.secret_file;
// default: tls.key with ".key" replaced by ".secret"). It keys
//   - the pseudonyms that name children in the audit log and the store's indexes, so that a
//     data directory or backup holds no isikukood and cannot be searched without the secret
//     (ChildPseudonym), and
//   - the tokens this node hands its peers and later checks itself (Mac), e.g. the
//     withdrawal receipts peers hand back after a restore.
// A restore from backup keeps the secret (it is not in the backup), so pseudonyms and tokens
// made before the restore still match. Losing the file loses the ability to search the audit
// log by child; keep a copy with the TLS key.
//
// Thread-safe (immutable after construction).
#ifndef HOP_DAEMON_SECURITY_NODE_SECRET_H_
#define HOP_DAEMON_SECURITY_NODE_SECRET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hop::security {

class NodeSecret {
 public:
  static constexpr size_t kBytes = 32;

  // Reads the secret at `path`; when the file does not exist, creates it (kBytes from the
  // OS's random source, mode 0600, written and fsync'd before it is used) and sets
  // `*created` (may be null). Errors name the path and the fix:
  //   InvalidArgument  the file is not exactly kBytes long;
  //   PermissionDenied the file is readable or writable by group or others (chmod 600), or
  //                    cannot be read or created;
  //   Internal         no randomness or another I/O failure.
  static absl::StatusOr<NodeSecret> LoadOrCreate(const std::string& path, bool* created = nullptr);

  // A secret with the given bytes (tests and tools); InvalidArgument unless kBytes long.
  static absl::StatusOr<NodeSecret> FromBytes(absl::string_view bytes);

  // The keyed pseudonym of a child: "p" and 32 lower-case hex digits (the first 16 bytes of
  // HMAC-SHA256(secret, "hop child pseudonym v1\0" + isikukood)). The same isikukood always
  // gives the same pseudonym at this node; another node's differs. Never empty.
  std::string ChildPseudonym(absl::string_view isikukood) const;

  // HMAC-SHA256(secret, domain + "\0" + message): 32 raw bytes. `domain` separates uses
  // (e.g. "withdrawal receipt v1") so that one use's token is never valid for another.
  std::string Mac(absl::string_view domain, absl::string_view message) const;

  // Whether `mac` is Mac(domain, message), compared in constant time.
  bool Verify(absl::string_view domain, absl::string_view message, absl::string_view mac) const;

 private:
  explicit NodeSecret(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;
};

// The secret file of a node whose config says `secret_file` (may be empty) and `tls_key`:
// `secret_file` when set, else tls_key with a trailing ".key" replaced by ".secret" (or
// ".secret" appended).
std::string NodeSecretPath(absl::string_view secret_file, absl::string_view tls_key);

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_NODE_SECRET_H_
