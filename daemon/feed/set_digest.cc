#include "daemon/feed/set_digest.h"

#include <openssl/evp.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hop::feed {
namespace {

constexpr size_t kXorBytes = 16;

// SHA-256(record_key "\0" seq as 8 big-endian bytes), first kXorBytes bytes.
void MemberHash(absl::string_view record_key, uint64_t seq, unsigned char out[kXorBytes]) {
  // Fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm up on every call.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  char stack[128];
  std::string heap;
  const size_t size = record_key.size() + 1 + 8;
  char* input = stack;
  if (size > sizeof(stack)) {
    heap.resize(size);
    input = heap.data();
  }
  std::memcpy(input, record_key.data(), record_key.size());
  input[record_key.size()] = '\0';
  for (int i = 0; i < 8; ++i)
    input[record_key.size() + 1 + i] = static_cast<char>(seq >> (56 - 8 * i));
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input, size, full, &length, sha256, nullptr);
  std::memcpy(out, full, kXorBytes);
}

std::string Padded(const std::string& xor_bytes) {
  std::string out = xor_bytes;
  out.resize(kXorBytes, '\0');
  return out;
}

void Toggle(hop::v1::SetDigest& digest, absl::string_view record_key, uint64_t seq) {
  std::string x = Padded(digest.xor_());
  unsigned char h[kXorBytes];
  MemberHash(record_key, seq, h);
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

DigestAccumulator::DigestAccumulator(const hop::v1::SetDigest& digest) : count_(digest.count()) {
  const std::string x = Padded(digest.xor_());
  std::memcpy(xor_, x.data(), kXorBytes);
}

void DigestAccumulator::Toggle(absl::string_view record_key, uint64_t seq) {
  unsigned char h[kXorBytes];
  MemberHash(record_key, seq, h);
  for (size_t i = 0; i < kXorBytes; ++i) xor_[i] ^= h[i];
}

void DigestAccumulator::Add(absl::string_view record_key, uint64_t seq) {
  Toggle(record_key, seq);
  ++count_;
}

void DigestAccumulator::Remove(absl::string_view record_key, uint64_t seq) {
  Toggle(record_key, seq);
  --count_;
}

hop::v1::SetDigest DigestAccumulator::ToProto() const {
  hop::v1::SetDigest digest;
  digest.set_count(count_);
  digest.set_xor_(std::string(reinterpret_cast<const char*>(xor_), kXorBytes));
  return digest;
}

bool DigestEqual(const hop::v1::SetDigest& a, const hop::v1::SetDigest& b) {
  return a.count() == b.count() && Padded(a.xor_()) == Padded(b.xor_());
}

std::string DigestShort(const hop::v1::SetDigest& digest) {
  return absl::StrCat(digest.count(), "/",
                      absl::BytesToHexString(Padded(digest.xor_())).substr(0, 8));
}

}  // namespace hop::feed
