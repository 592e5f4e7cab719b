// The federation CA's certificate revocation list (CRL), loaded from a PEM file and checked
// against the CA's signature, so a forged or foreign CRL is refused.
// Immutable after Load: IsRevoked may be called from any thread.
#ifndef HOP_DAEMON_SECURITY_CRL_H_
#define HOP_DAEMON_SECURITY_CRL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "daemon/security/x509.h"

namespace hop::security {

// Default of tls.crl_grace_hours: how long past its nextUpdate a CRL stays in force.
inline constexpr uint32_t kDefaultCrlGraceHours = 24;

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
  bool IsRevoked(X509* cert) const;

  // Unix time after which the CRL should be renewed (its nextUpdate), 0 if it has none.
  int64_t next_update() const { return next_update_; }
  // Its cRLNumber extension (hop-pki counts up from 1000 with every CRL), -1 if it has none.
  int64_t number() const { return number_; }
  size_t revoked_count() const;

 private:
  RevocationList(X509CrlPtr crl, int64_t next_update, int64_t number)
      : crl_(std::move(crl)), next_update_(next_update), number_(number) {}
  X509CrlPtr crl_;
  int64_t next_update_;
  int64_t number_;
};

// Keeps the highest CRL number a node has had in force, across restarts (hopd: the store's
// meta family). Implementations are thread-safe.
class CrlNumberStore {
 public:
  virtual ~CrlNumberStore() = default;
  // The highest number saved, -1 if none yet.
  virtual absl::StatusOr<int64_t> Highest() const = 0;
  virtual absl::Status Save(int64_t number) = 0;
};

// The CRL file as the CA operator keeps it up to date: Current() notices when the file has
// been replaced (inode, size or modification time changed) and loads the new list, so a
// revocation takes effect on the next call without a restart. A replacement that does not
// load (malformed, or not signed by the CA) is logged and ignored: the last good list stays.
// So is a replacement whose CRL number is lower than the one in force (a rollback would
// un-revoke certificates): logged and counted (rollbacks_refused()).
//
// A list past its nextUpdate plus the grace period is stale: CheckFresh() then fails, and
// the node refuses federation calls (incoming and outgoing) until a fresh CRL is installed.
// Thread-safe.
class CrlSource {
 public:
  // Loads the CRL once; errors as RevocationList::Load. `grace_hours`: 0 means
  // kDefaultCrlGraceHours. With `numbers` (may be null; must outlive the source), a CRL whose
  // number is lower than the highest saved there is refused (FailedPrecondition naming the
  // file and both numbers: a rollback across a restart), and each newer number put in force
  // is saved.
  static absl::StatusOr<std::unique_ptr<CrlSource>> Open(std::string crl_path,
                                                         std::string ca_cert_path,
                                                         uint32_t grace_hours = 0,
                                                         CrlNumberStore* numbers = nullptr);

  // The newest good list (one stat() call per call).
  std::shared_ptr<const RevocationList> Current() const;

  // OK while the list in force is within nextUpdate + grace at `now_unix`; otherwise
  // FailedPrecondition naming the file, when it expired, and how to recover.
  absl::Status CheckFresh(int64_t now_unix) const;

  const std::string& path() const { return crl_path_; }
  int64_t grace_seconds() const { return grace_seconds_; }
  // How many replacements were refused because their CRL number went backwards.
  uint64_t rollbacks_refused() const;

 private:
  struct FileStamp {
    uint64_t inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp& o) const {
      return inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
  };
  static FileStamp Stamp(const std::string& path);
  CrlSource(std::string crl_path, std::string ca_cert_path, int64_t grace_seconds,
            CrlNumberStore* numbers)
      : crl_path_(std::move(crl_path)),
        ca_cert_path_(std::move(ca_cert_path)),
        grace_seconds_(grace_seconds),
        numbers_(numbers) {}
  // Saves `number` to numbers_ (if any); logs a failure (the list stays in force).
  void SaveNumber(int64_t number) const;

  const std::string crl_path_;
  const std::string ca_cert_path_;
  const int64_t grace_seconds_;
  CrlNumberStore* const numbers_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const RevocationList> list_ ABSL_GUARDED_BY(mu_);
  mutable FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  mutable uint64_t rollbacks_refused_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_CRL_H_
