#include "daemon/feed/set_digest.h"

#include <openssl/evp.h>

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hop::feed {
namespace {

constexpr size_t kXorBytes = 16;

std::array<unsigned char, kXorBytes> MemberHash(absl::string_view record_key, uint64_t seq) {
  std::string input(record_key);
  input.push_back('\0');
  for (int shift = 56; shift >= 0; shift -= 8) input.push_back(static_cast<char>(seq >> shift));
  // Fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm up on every call.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), full, &length, sha256, nullptr);
  std::array<unsigned char, kXorBytes> out;
  std::copy(full, full + kXorBytes, out.begin());
  return out;
}

std::string Padded(const std::string& xor_bytes) {
  std::string out = xor_bytes;
  out.resize(kXorBytes, '\0');
  return out;
}

void Toggle(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq) {
  std::string x = Padded(digest.xor_());
  const std::array<unsigned char, kXorBytes> h = MemberHash(record_key, seq);
  for (size_t i = 0; i < kXorBytes; ++i) x[i] = static_cast<char>(x[i] ^ h[i]);
  digest.set_xor_(std::move(x));
}

}  // namespace

void DigestAdd(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq) {
  Toggle(digest, record_key, seq);
  digest.set_count(digest.count() + 1);
}

void DigestRemove(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq) {
  Toggle(digest, record_key, seq);
  digest.set_count(digest.count() - 1);
}

bool DigestEqual(const hop::v1::SetDigest& a, const hop::v1::SetDigest& b) {
  return a.count() == b.count() && Padded(a.xor_()) == Padded(b.xor_());
}

std::string DigestShort(const hop::v1::SetDigest& digest) {
  return absl::StrCat(digest.count(), "/",
                      absl::BytesToHexString(Padded(digest.xor_())).substr(0, 8));
}

}  // namespace hop::feed
