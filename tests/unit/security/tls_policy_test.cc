// The TLS 1.3-only policy (security/tls_policy.h) reaches every SSL_CTX made afterwards, even
// after the lowering of the minimum gRPC 1.51 applies to each of its contexts.
#include "daemon/security/tls_policy.h"

#include <openssl/ssl.h>

#include "gtest/gtest.h"

namespace hop::security {
namespace {

TEST(TlsPolicyTest, EveryNewContextIsTls13Only) {
  ASSERT_TRUE(RequireTls13Only().ok());
  ASSERT_TRUE(RequireTls13Only().ok()) << "idempotent";
  for (const SSL_METHOD* method : {TLS_method(), TLS_server_method(), TLS_client_method()}) {
    SSL_CTX* ctx = SSL_CTX_new(method);
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_3_VERSION);
    EXPECT_EQ(SSL_CTX_get_max_proto_version(ctx), TLS1_3_VERSION);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);  // what gRPC does to each context
    EXPECT_NE(SSL_CTX_get_options(ctx) & SSL_OP_NO_TLSv1_2, 0u);
    EXPECT_EQ(SSL_CTX_get_options(ctx) & SSL_OP_NO_TLSv1_3, 0u);
    SSL_CTX_free(ctx);
  }
}

}  // namespace
}  // namespace hop::security
