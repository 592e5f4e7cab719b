#include "daemon/security/node_secret.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hop::security {
namespace {

constexpr absl::string_view kPseudonymDomain = "hop child pseudonym v1";
constexpr size_t kPseudonymBytes = 16;

std::string Errno() { return std::strerror(errno); }

// Writes kBytes of fresh randomness to a new file at `path` (O_EXCL: never overwrites).
absl::StatusOr<std::string> Create(const std::string& path) {
  std::string bytes(NodeSecret::kBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size()) != 1) {
    return absl::InternalError("no randomness for the node secret (RAND_bytes failed)");
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create the node secret ", path, ": ", Errno(),
                     "; create it by hand (head -c 32 /dev/urandom > ", path, "; chmod 600 ", path,
                     "; chown it to the user hopd runs as) or set secret_file"));
  }
  bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
            ::fsync(fd) == 0;
  std::string error = ok ? "" : Errno();
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return absl::InternalError(absl::StrCat("cannot write the node secret ", path, ": ", error));
  }
  return bytes;
}

absl::StatusOr<std::string> Read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read the node secret ", path, ": ", Errno()));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("the node secret ", path, " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return absl::PermissionDeniedError(
        absl::StrCat("the node secret ", path, " is readable or writable by others (mode ",
                     absl::StrFormat("%o", st.st_mode & 0777), "); run: chmod 600 ", path));
  }
  std::string bytes(NodeSecret::kBytes + 1, '\0');
  ssize_t n = ::read(fd, bytes.data(), bytes.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(NodeSecret::kBytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the node secret ", path, " must hold exactly ", NodeSecret::kBytes,
                     " bytes; it is damaged or not a hop node secret (restore it from your copy)"));
  }
  bytes.resize(NodeSecret::kBytes);
  return bytes;
}

std::string Hmac(absl::string_view key, absl::string_view domain, absl::string_view message) {
  std::string input = absl::StrCat(domain, absl::string_view("\0", 1), message);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, &out_len);
  return std::string(reinterpret_cast<char*>(out), out_len);
}

}  // namespace

absl::StatusOr<NodeSecret> NodeSecret::LoadOrCreate(const std::string& path, bool* created) {
  if (created != nullptr) *created = false;
  if (path.empty()) return absl::InvalidArgumentError("secret_file: no path given");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    absl::StatusOr<std::string> made = Create(path);
    if (!made.ok()) return made.status();
    if (created != nullptr) *created = true;
    return NodeSecret(*std::move(made));
  }
  absl::StatusOr<std::string> bytes = Read(path);
  if (!bytes.ok()) return bytes.status();
  return NodeSecret(*std::move(bytes));
}

absl::StatusOr<NodeSecret> NodeSecret::FromBytes(absl::string_view bytes) {
  if (bytes.size() != kBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a node secret has ", kBytes, " bytes, not ", bytes.size()));
  }
  return NodeSecret(std::string(bytes));
}

std::string NodeSecret::ChildPseudonym(absl::string_view isikukood) const {
  std::string mac = Hmac(bytes_, kPseudonymDomain, isikukood);
  return absl::StrCat("p",
                      absl::BytesToHexString(absl::string_view(mac).substr(0, kPseudonymBytes)));
}

std::string NodeSecret::Mac(absl::string_view domain, absl::string_view message) const {
  return Hmac(bytes_, domain, message);
}

bool NodeSecret::Verify(absl::string_view domain, absl::string_view message,
                        absl::string_view mac) const {
  std::string expected = Mac(domain, message);
  return mac.size() == expected.size() &&
         CRYPTO_memcmp(mac.data(), expected.data(), expected.size()) == 0;
}

std::string NodeSecretPath(absl::string_view secret_file, absl::string_view tls_key) {
  if (!secret_file.empty()) return std::string(secret_file);
  if (absl::EndsWith(tls_key, ".key")) {
    return absl::StrCat(tls_key.substr(0, tls_key.size() - 4), ".secret");
  }
  return absl::StrCat(tls_key, ".secret");
}

}  // namespace hop::security
