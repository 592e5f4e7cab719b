// The federation CA's certificate revocation list (CRL), loaded from a PEM file and checked
// against the CA's signature, so a forged or foreign CRL is refused.
// Immutable after Load: IsRevoked may be called from any thread.
#ifndef HOP_DAEMON_SECURITY_CRL_H_
#define HOP_DAEMON_SECURITY_CRL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "daemon/security/x509.h"

namespace hop::security {

class RevocationList {
 public:
  // Loads `crl_path` and verifies it was signed by the CA in `ca_cert_path`.
  // Errors: NotFound/PermissionDenied for unreadable files; InvalidArgument naming the file
  // for malformed PEM, a CRL not signed by that CA.
  static absl::StatusOr<std::unique_ptr<RevocationList>> Load(const std::string& crl_path,
                                                              const std::string& ca_cert_path);

  // True iff the certificate in `cert_pem` is listed. InvalidArgument if it is not a PEM
  // certificate.
  absl::StatusOr<bool> IsRevoked(absl::string_view cert_pem) const;

  // Unix time after which the CRL should be renewed (its nextUpdate), 0 if it has none.
  int64_t next_update() const { return next_update_; }
  size_t revoked_count() const;

 private:
  RevocationList(X509CrlPtr crl, int64_t next_update)
      : crl_(std::move(crl)), next_update_(next_update) {}
  X509CrlPtr crl_;
  int64_t next_update_;
};

// The CRL file as the CA operator keeps it up to date: Current() notices when the file has
// been replaced (inode, size or modification time changed) and loads the new list, so a
// revocation takes effect on the next call without a restart. A replacement that does not
// load (malformed, or not signed by the CA) is logged and ignored: the last good list stays.
// Thread-safe.
class CrlSource {
 public:
  // Loads the CRL once; errors as RevocationList::Load.
  static absl::StatusOr<std::unique_ptr<CrlSource>> Open(std::string crl_path,
                                                         std::string ca_cert_path);

  // The newest good list (one stat() call per call).
  std::shared_ptr<const RevocationList> Current() const;

 private:
  struct FileStamp {
    uint64_t inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp& o) const {
      return inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
  };
  static FileStamp Stamp(const std::string& path);
  CrlSource(std::string crl_path, std::string ca_cert_path)
      : crl_path_(std::move(crl_path)), ca_cert_path_(std::move(ca_cert_path)) {}

  const std::string crl_path_;
  const std::string ca_cert_path_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const RevocationList> list_ ABSL_GUARDED_BY(mu_);
  mutable FileStamp stamp_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_CRL_H_
