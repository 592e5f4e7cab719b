#include "daemon/security/tls_policy.h"

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

namespace hop::security {
namespace {

// The application name CONF_modules_load looks up in the default section.
constexpr char kAppName[] = "hop_tls";

// Protocol: "-ALL,TLSv1.3" sets SSL_OP_NO_SSLv3 ... SSL_OP_NO_TLSv1_2, which OpenSSL honours
// whatever the min/max protocol versions say; gRPC raises only the minimum afterwards.
constexpr char kPolicy[] =
    "hop_tls = hop_tls_modules\n"
    "[hop_tls_modules]\n"
    "ssl_conf = hop_ssl\n"
    "[hop_ssl]\n"
    "system_default = hop_tls13_only\n"
    "[hop_tls13_only]\n"
    "MinProtocol = TLSv1.3\n"
    "MaxProtocol = TLSv1.3\n"
    "Protocol = -ALL, TLSv1.3\n";

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    absl::StrAppend(&out, out.empty() ? "" : "; ", buf);
  }
  return out.empty() ? "no OpenSSL error" : out;
}

absl::Status LoadPolicy() {
  // OpenSSL loads its default configuration file once, on first use; doing it now means that
  // file cannot come after (and over) the policy.
  if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, nullptr) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL did not initialise: ", OpenSslErrors()));
  }
  std::unique_ptr<CONF, decltype(&NCONF_free)> conf(NCONF_new(nullptr), &NCONF_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(kPolicy, -1), &BIO_free);
  if (conf == nullptr || bio == nullptr) return absl::ResourceExhaustedError("out of memory");
  long error_line = 0;
  if (NCONF_load_bio(conf.get(), bio.get(), &error_line) != 1) {
    return absl::InternalError(
        absl::StrCat("TLS policy: line ", error_line, " does not parse: ", OpenSslErrors()));
  }
  if (CONF_modules_load(conf.get(), kAppName, 0) <= 0) {
    return absl::InternalError(
        absl::StrCat("TLS policy: OpenSSL refused the ssl_conf module: ", OpenSslErrors()));
  }
  return absl::OkStatus();
}

// What a new SSL_CTX gets, with gRPC's own lowering of the minimum applied as gRPC does.
absl::Status CheckPolicyApplies() {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_method()), &SSL_CTX_free);
  if (ctx == nullptr) {
    return absl::InternalError(absl::StrCat("SSL_CTX_new failed: ", OpenSslErrors()));
  }
  if (SSL_CTX_get_min_proto_version(ctx.get()) != TLS1_3_VERSION) {
    return absl::InternalError(
        "TLS policy not applied: a new SSL_CTX does not have TLS 1.3 as its minimum "
        "(another OpenSSL configuration overrides system_default?)");
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);  // as gRPC 1.51 does
  const uint64_t off = SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;
  if ((SSL_CTX_get_options(ctx.get()) & off) != off ||
      (SSL_CTX_get_options(ctx.get()) & SSL_OP_NO_TLSv1_3) != 0) {
    return absl::InternalError(
        "TLS policy not applied: a new SSL_CTX still allows TLS 1.2 or older, or not TLS 1.3");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RequireTls13Only() {
  if (absl::Status loaded = LoadPolicy(); !loaded.ok()) return loaded;
  return CheckPolicyApplies();
}

}  // namespace hop::security
